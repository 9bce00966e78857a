package vectors_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/vectors"
)

func loadHandshake(t *testing.T) *vectors.HandshakeFile {
	t.Helper()
	f, err := vectors.Handshake()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// server builds the handshake.Server a vector's policy describes.
func server(p *vectors.ServerPolicy) *handshake.Server {
	s := new(handshake.Server)
	if p == nil {
		return s
	}
	if len(p.Subprotocols) > 0 {
		s.SelectSubprotocol = func(offered []string) string {
			for _, o := range offered {
				if slices.Contains(p.Subprotocols, o) {
					return o
				}
			}
			return ""
		}
	}
	if len(p.Extensions) > 0 {
		s.NegotiateExtensions = func(offered []handshake.Extension) []handshake.Extension {
			var out []handshake.Extension
			for _, o := range offered {
				taken := slices.ContainsFunc(out, func(e handshake.Extension) bool { return e.Name == o.Name })
				if !taken && slices.Contains(p.Extensions, o.Name) {
					out = append(out, handshake.Extension{Name: o.Name})
				}
			}
			return out
		}
	}
	if len(p.Origins) > 0 {
		s.CheckOrigin = func(r *handshake.Request) bool {
			return slices.Contains(p.Origins, r.Header.Get("Origin"))
		}
	}
	if len(p.Resources) > 0 {
		s.CheckResource = func(resource string) bool { return slices.Contains(p.Resources, resource) }
	}
	return s
}

func toHeader(fields []vectors.HeaderField) handshake.Header {
	var h handshake.Header
	for _, f := range fields {
		h.Add(f.Name, f.Value)
	}
	return h
}

func toExtensions(vs []vectors.ExtensionValue) []handshake.Extension {
	var out []handshake.Extension
	for _, v := range vs {
		e := handshake.Extension{Name: v.Name}
		for _, p := range v.Params {
			e.Params = append(e.Params, handshake.Param{Name: p.Name, Value: p.Value})
		}
		out = append(out, e)
	}
	return out
}

// TestRequestVectors feeds every request vector to ParseRequest and
// Server.Accept with the vector's policy: unfinished heads ask for more,
// accepted ones give the listed 101 response byte for byte and hand the
// trailing bytes on, refused ones give the listed status, requirement and
// fields, and a response that parses as HTTP with that status. Every
// refusal is a 4xx (H-10.7-http-status).
func TestRequestVectors(t *testing.T) {
	f := loadHandshake(t)
	if len(f.Requests) == 0 {
		t.Fatal("no request vectors")
	}
	seen := map[string]bool{}
	for _, v := range f.Requests {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			if n := btoi(v.NeedMore) + btoi(v.Accept != nil) + btoi(v.Reject != nil); n != 1 {
				t.Fatalf("%d outcomes, want exactly one", n)
			}
			in := append([]byte(v.Request), v.Trailing...)
			req, n, err := handshake.ParseRequest(in, v.MaxHeadSize)
			if v.NeedMore {
				if req != nil || n != 0 || err != nil {
					t.Fatalf("ParseRequest = %v, %d, %v; want need-more", req, n, err)
				}
				return
			}
			var acc *handshake.Acceptance
			if err == nil {
				if req == nil || n == 0 {
					t.Fatalf("ParseRequest asks for more bytes")
				}
				if n != len(v.Request) || !bytes.Equal(in[n:], v.Trailing) {
					t.Fatalf("head size %d, want %d (trailing bytes must be handed on untouched)", n, len(v.Request))
				}
				acc, err = server(v.Server).Accept(req)
			}
			if v.Accept != nil {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				if got := string(acc.Response); got != v.Accept.Response {
					t.Errorf("response:\n%q\nwant\n%q", got, v.Accept.Response)
				}
				if acc.Subprotocol != v.Accept.Subprotocol || handshake.FormatExtensions(acc.Extensions) != v.Accept.Extensions {
					t.Errorf("agreed %q %q, want %q %q", acc.Subprotocol, handshake.FormatExtensions(acc.Extensions), v.Accept.Subprotocol, v.Accept.Extensions)
				}
				return
			}
			var rej *handshake.Rejection
			if !errors.As(err, &rej) {
				t.Fatalf("error %v is not a *Rejection (accepted: %v)", err, acc != nil)
			}
			if rej.Status != v.Reject.Status || rej.Requirement != v.Reject.Requirement {
				t.Errorf("rejected with %d %s (%s), want %d %s", rej.Status, rej.Requirement, rej.Detail, v.Reject.Status, v.Reject.Requirement)
			}
			if rej.Status < 400 || rej.Status > 499 {
				t.Errorf("status %d is not a 4xx (H-10.7-http-status)", rej.Status)
			}
			for _, want := range v.Reject.Header {
				if !slices.Contains(rej.Header.Values(want.Name), want.Value) {
					t.Errorf("rejection lacks %s: %s; header %v", want.Name, want.Value, rej.Header)
				}
			}
			resp, n, err := handshake.ParseResponse(rej.Response(), 0)
			if err != nil || resp == nil || resp.Status != rej.Status {
				t.Fatalf("the rejection's response does not parse back: %v, %v", resp, err)
			}
			if body := rej.Response()[n:]; resp.Header.Get("Content-Length") != itoa(len(body)) {
				t.Errorf("Content-Length %q for a body of %d bytes", resp.Header.Get("Content-Length"), len(body))
			}
		})
	}
}

// TestResponseVectors checks every response vector with ParseResponse and
// VerifyResponse against the request the client sent.
func TestResponseVectors(t *testing.T) {
	f := loadHandshake(t)
	if len(f.Responses) == 0 {
		t.Fatal("no response vectors")
	}
	seen := map[string]bool{}
	for _, v := range f.Responses {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			if n := btoi(v.NeedMore) + btoi(v.Accept != nil) + btoi(v.Error != nil); n != 1 {
				t.Fatalf("%d outcomes, want exactly one", n)
			}
			req, rn, err := handshake.ParseRequest([]byte(v.Request), 0)
			if err != nil || rn != len(v.Request) {
				t.Fatalf("the vector's request does not parse: %v", err)
			}
			in := append([]byte(v.Response), v.Trailing...)
			resp, n, err := handshake.ParseResponse(in, 0)
			if v.NeedMore {
				if resp != nil || n != 0 || err != nil {
					t.Fatalf("ParseResponse = %v, %d, %v; want need-more", resp, n, err)
				}
				return
			}
			var agreed handshake.Negotiated
			if err == nil {
				if resp == nil || n == 0 {
					t.Fatal("ParseResponse asks for more bytes")
				}
				if n != len(v.Response) || !bytes.Equal(in[n:], v.Trailing) {
					t.Fatalf("head size %d, want %d (trailing bytes must be handed on untouched)", n, len(v.Response))
				}
				agreed, err = handshake.VerifyResponse(req, resp)
			}
			if v.Accept != nil {
				if err != nil {
					t.Fatalf("failed: %v", err)
				}
				want := handshake.Negotiated{Subprotocol: v.Accept.Subprotocol, Extensions: toExtensions(v.Accept.Extensions)}
				if diff := cmp.Diff(want, agreed); diff != "" {
					t.Errorf("agreed (-want +got):\n%s", diff)
				}
				return
			}
			var re *handshake.ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a *ResponseError", err)
			}
			if re.Status != v.Error.Status || re.Requirement != v.Error.Requirement {
				t.Errorf("failed with %d %s (%s), want %d %s", re.Status, re.Requirement, re.Detail, v.Error.Status, v.Error.Requirement)
			}
		})
	}
}

// TestURLVectors checks ParseURL on every URL vector.
func TestURLVectors(t *testing.T) {
	f := loadHandshake(t)
	seen := map[string]bool{}
	for _, v := range f.URLs {
		checkCommon(t, seen, v.Common)
		u, err := handshake.ParseURL(v.URL)
		if v.Error != "" {
			var re *handshake.RequestError
			if !errors.As(err, &re) || re.Requirement != v.Error {
				t.Errorf("%s: ParseURL(%q) error %v, want requirement %s", v.ID, v.URL, err, v.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: ParseURL(%q): %v", v.ID, v.URL, err)
			continue
		}
		got := [4]string{btos(u.Secure), u.Addr(), u.HostHeader(), u.Resource}
		if want := [4]string{btos(v.Secure), v.Addr, v.Host, v.Resource}; got != want {
			t.Errorf("%s: ParseURL(%q) gives secure, addr, host, resource %q, want %q", v.ID, v.URL, got, want)
		}
	}
}

// TestClientRequestVectors builds every client request with NewRequest
// and compares it byte for byte; the key is the padded base64 of the
// nonce, as H-4.1-req-key requires.
func TestClientRequestVectors(t *testing.T) {
	f := loadHandshake(t)
	seen := map[string]bool{}
	for _, v := range f.ClientRequests {
		checkCommon(t, seen, v.Common)
		if len(v.Nonce) != 16 {
			t.Errorf("%s: nonce of %d bytes", v.ID, len(v.Nonce))
			continue
		}
		req, err := handshake.NewRequest(v.URL, [16]byte(v.Nonce), handshake.RequestOptions{
			Subprotocols: v.Subprotocols, Extensions: toExtensions(v.Extensions), Header: toHeader(v.Header),
		})
		if v.Error != "" {
			var re *handshake.RequestError
			if !errors.As(err, &re) || re.Requirement != v.Error {
				t.Errorf("%s: NewRequest error %v, want requirement %s", v.ID, err, v.Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: NewRequest: %v", v.ID, err)
			continue
		}
		if got := string(req.Append(nil)); got != v.Request {
			t.Errorf("%s: request\n%q\nwant\n%q", v.ID, got, v.Request)
		}
		if key := req.Header.Get("Sec-WebSocket-Key"); key != base64.StdEncoding.EncodeToString(v.Nonce) || len(key) != 24 {
			t.Errorf("%s: key %q is not the padded base64 of the nonce", v.ID, key)
		}
	}
}

// TestExtensionsVectors parses every extension list, compares it with the
// vector, and formats it back to the canonical form, which parses to the
// same list again.
func TestExtensionsVectors(t *testing.T) {
	f := loadHandshake(t)
	seen := map[string]bool{}
	for _, v := range f.Extensions {
		checkCommon(t, seen, v.Common)
		got, err := handshake.ParseExtensions(v.Lines...)
		if v.Error {
			var se *handshake.SyntaxError
			if !errors.As(err, &se) || se.Requirement != "H-9.1-ext-grammar" {
				t.Errorf("%s: ParseExtensions(%q) = %v, %v; want a H-9.1-ext-grammar SyntaxError", v.ID, v.Lines, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: ParseExtensions(%q): %v", v.ID, v.Lines, err)
			continue
		}
		if diff := cmp.Diff(toExtensions(v.Extensions), got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", v.ID, diff)
		}
		formatted := handshake.FormatExtensions(got)
		if formatted != v.Formatted {
			t.Errorf("%s: formatted %q, want %q", v.ID, formatted, v.Formatted)
		}
		again, err := handshake.ParseExtensions(formatted)
		if err != nil || !cmp.Equal(again, got) {
			t.Errorf("%s: the formatted list %q parses to %v, %v", v.ID, formatted, again, err)
		}
	}
}

// TestProtocolsVectors parses every subprotocol list and formats it back.
func TestProtocolsVectors(t *testing.T) {
	f := loadHandshake(t)
	seen := map[string]bool{}
	for _, v := range f.Protocols {
		checkCommon(t, seen, v.Common)
		got, err := handshake.ParseProtocols(v.Lines...)
		if v.Error {
			var se *handshake.SyntaxError
			if !errors.As(err, &se) || se.Requirement != "H-4.2.1-protocol-grammar" {
				t.Errorf("%s: ParseProtocols(%q) = %v, %v; want a H-4.2.1-protocol-grammar SyntaxError", v.ID, v.Lines, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, v.Protocols) {
			t.Errorf("%s: ParseProtocols(%q) = %q, %v; want %q", v.ID, v.Lines, got, err, v.Protocols)
			continue
		}
		if again, err := handshake.ParseProtocols(handshake.FormatProtocols(got)); err != nil || !slices.Equal(again, got) {
			t.Errorf("%s: round trip gives %q, %v", v.ID, again, err)
		}
	}
}

// TestHandshakeVectorIDsUnique checks IDs across the whole file, so a
// vector can be named without its section.
func TestHandshakeVectorIDsUnique(t *testing.T) {
	f := loadHandshake(t)
	seen := map[string]bool{}
	var ids []string
	for _, v := range f.Accept {
		ids = append(ids, v.ID)
	}
	for _, v := range f.URLs {
		ids = append(ids, v.ID)
	}
	for _, v := range f.ClientRequests {
		ids = append(ids, v.ID)
	}
	for _, v := range f.Requests {
		ids = append(ids, v.ID)
	}
	for _, v := range f.Responses {
		ids = append(ids, v.ID)
	}
	for _, v := range f.Extensions {
		ids = append(ids, v.ID)
	}
	for _, v := range f.Protocols {
		ids = append(ids, v.ID)
	}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("ID %s used twice in handshake.json", id)
		}
		seen[id] = true
	}
}

// TestRejectionVectorForEveryServerRule checks that every rule a server
// enforces on a request has at least one refusal vector, with the status
// the package documentation promises.
func TestRejectionVectorForEveryServerRule(t *testing.T) {
	want := map[string]int{
		"H-4.2.1-reject": 400, "H-4.2.1-method": 405, "H-4.2.1-http11": 400, "H-4.2.1-host": 400,
		"H-4.2.1-upgrade": 400, "H-4.2.1-connection": 400, "H-4.2.1-key": 400, "H-11.3.1-key-once": 400,
		"H-4.2.1-version": 426, "H-11.3.5-version-once": 426, "H-4.2.1-protocol-grammar": 400,
		"H-9.1-ext-grammar": 400, "H-4.2.2-origin": 403, "H-4.2.2-resource": 404, "H-10.4-limits": 431,
	}
	for _, v := range loadHandshake(t).Requests {
		if v.Reject != nil && want[v.Reject.Requirement] == v.Reject.Status {
			delete(want, v.Reject.Requirement)
		}
	}
	for id, status := range want {
		t.Errorf("no rejection vector for %s with status %d", id, status)
	}
}

// TestFailureVectorForEveryClientRule does the same for the rules a
// client applies to a response.
func TestFailureVectorForEveryClientRule(t *testing.T) {
	want := map[string]bool{
		"H-4.1-resp-status": true, "H-4.1-resp-upgrade": true, "H-4.1-resp-connection": true, "H-4.1-resp-accept": true,
		"H-4.1-resp-extensions": true, "H-4.1-resp-subprotocol": true, "H-4.1-resp-conform": true, "H-10.4-limits": true,
	}
	for _, v := range loadHandshake(t).Responses {
		if v.Error != nil {
			delete(want, v.Error.Requirement)
		}
	}
	for id := range want {
		t.Errorf("no response vector failing %s", id)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func btos(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func itoa(n int) string { return strconv.Itoa(n) }
