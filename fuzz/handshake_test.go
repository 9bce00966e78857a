package fuzz

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// handshakeSeeds returns the handshake vectors.
func handshakeSeeds(f *testing.F) *vectors.HandshakeFile {
	f.Helper()
	hs, err := vectors.Handshake()
	if err != nil {
		f.Fatal(err)
	}
	return hs
}

// fuzzServer is the policy FuzzRequest accepts with: the client's first
// subprotocol and every offered extension name, once, without parameters.
var fuzzServer = &handshake.Server{
	SelectSubprotocol: func(offered []string) string { return offered[0] },
	NegotiateExtensions: func(offered []handshake.Extension) []handshake.Extension {
		var out []handshake.Extension
		for _, o := range offered {
			if !slices.ContainsFunc(out, func(e handshake.Extension) bool { return e.Name == o.Name }) {
				out = append(out, handshake.Extension{Name: o.Name})
			}
		}
		return out
	},
}

// checkRejection asserts what every refusal must be: a 4xx (H-10.7-http-status)
// citing a known rule, with the fields its status requires, whose
// response bytes parse back with that status and an exact Content-Length.
func checkRejection(t *testing.T, err error) {
	t.Helper()
	var rej *handshake.Rejection
	if !errors.As(err, &rej) {
		t.Fatalf("error %v is not a *Rejection", err)
	}
	if rej.Status < 400 || rej.Status > 499 {
		t.Fatalf("rejection status %d is not a 4xx", rej.Status)
	}
	if _, ok := spec.Lookup(rej.Requirement); !ok {
		t.Fatalf("rejection cites unknown requirement %q", rej.Requirement)
	}
	switch rej.Status {
	case 405:
		if rej.Header.Get("Allow") != "GET" {
			t.Fatalf("405 without Allow: GET")
		}
	case 426:
		if !slices.Equal(rej.Header.Values("Sec-WebSocket-Version"), []string{"13"}) || rej.Header.Get("Upgrade") != "websocket" {
			t.Fatalf("426 without Sec-WebSocket-Version: 13 and Upgrade: %v", rej.Header)
		}
	}
	wire := rej.Response()
	resp, n, err := handshake.ParseResponse(wire, 0)
	if err != nil || resp == nil || resp.Status != rej.Status {
		t.Fatalf("rejection response %q does not parse back: %v", wire, err)
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(wire)-n) {
		t.Fatalf("Content-Length %q for a body of %d bytes", cl, len(wire)-n)
	}
}

// FuzzRequest checks the server side on any bytes:
//   - need-more comes with no request and no error, and only below the
//     size limit; a parse with a smaller limit never finds a different head;
//   - every error is a well-formed 4xx *Rejection (checkRejection);
//   - a parsed head ends with CRLF CRLF within the limit, its last byte
//     missing asks for more, and the request writes back to a head that
//     parses to the same request;
//   - Accept either refuses (checkRejection) or builds a 101 that parses
//     and that VerifyResponse, given the same request, accepts with the
//     same subprotocol and extensions.
func FuzzRequest(f *testing.F) {
	hs := handshakeSeeds(f)
	for _, v := range hs.Requests {
		f.Add(append([]byte(v.Request), v.Trailing...))
	}
	for _, v := range hs.Responses {
		f.Add([]byte(v.Request))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if len(p) > 12<<10 {
			return // beyond the default limit nothing new is reached
		}
		const small = 256
		reqSmall, nSmall, errSmall := handshake.ParseRequest(p, small)
		req, n, err := handshake.ParseRequest(p, 0)
		if nSmall > 0 && (n != nSmall || !cmp.Equal(req, reqSmall)) {
			t.Fatalf("limit %d finds a %d-byte head, the default limit %d bytes", small, nSmall, n)
		}
		if errSmall != nil {
			checkRejection(t, errSmall)
		}
		if err != nil {
			if n != 0 || req != nil {
				t.Fatalf("error %v with n = %d", err, n)
			}
			checkRejection(t, err)
			return
		}
		if n == 0 {
			if req != nil || len(p) >= handshake.DefaultMaxHeadSize {
				t.Fatalf("need-more with %d bytes", len(p))
			}
			return
		}
		if n > len(p) || n > handshake.DefaultMaxHeadSize || !bytes.HasSuffix(p[:n], []byte("\r\n\r\n")) {
			t.Fatalf("head of %d bytes ends with %q", n, p[max(0, n-4):n])
		}
		if r, m, err := handshake.ParseRequest(p[:n-1], 0); r != nil || m != 0 || err != nil {
			t.Fatalf("the head without its last byte: %v, %d, %v", r, m, err)
		}
		// Written back, a head may grow (a space after each colon, CRLF
		// for a bare LF), so it is parsed with a limit that fits it.
		wrote := req.Append(nil)
		back, m, err := handshake.ParseRequest(wrote, max(len(wrote), handshake.DefaultMaxHeadSize))
		if err != nil || m != len(wrote) || !cmp.Equal(req, back) {
			t.Fatalf("request does not round-trip: %v\n%q", err, wrote)
		}

		acc, err := fuzzServer.Accept(req)
		if err != nil {
			checkRejection(t, err)
			return
		}
		resp, m, err := handshake.ParseResponse(acc.Response, 0)
		if err != nil || m != len(acc.Response) || resp.Status != 101 {
			t.Fatalf("the 101 does not parse: %v\n%q", err, acc.Response)
		}
		agreed, err := handshake.VerifyResponse(req, resp)
		if err != nil {
			t.Fatalf("the client refuses the server's 101: %v\n%q\n%q", err, p[:n], acc.Response)
		}
		if !cmp.Equal(agreed, acc.Negotiated) {
			t.Fatalf("client agreed %v, server %v", agreed, acc.Negotiated)
		}
	})
}

// FuzzResponse checks the client side on any response to any request:
//   - need-more comes with no response and no error; every parse error is
//     a *ResponseError with status 0 citing H-4.1-resp-conform or
//     H-10.4-limits;
//   - a parsed head writes back to one that parses to the same response;
//   - VerifyResponse either fails with a *ResponseError carrying the
//     response's status, H-4.1-resp-status exactly when it is not 101, or
//     accepts a 101 whose single Sec-WebSocket-Accept is AcceptKey of the
//     key sent, whose Upgrade is websocket, and whose subprotocol and
//     extensions were offered.
func FuzzResponse(f *testing.F) {
	for _, v := range handshakeSeeds(f).Responses {
		f.Add([]byte(v.Request), append([]byte(v.Response), v.Trailing...))
	}
	f.Fuzz(func(t *testing.T, reqBytes, p []byte) {
		if len(p) > 12<<10 || len(reqBytes) > 4<<10 {
			return
		}
		req, rn, err := handshake.ParseRequest(reqBytes, 0)
		if err != nil || rn == 0 {
			return
		}
		resp, n, err := handshake.ParseResponse(p, 0)
		if err != nil {
			var re *handshake.ResponseError
			if !errors.As(err, &re) || re.Status != 0 || (re.Requirement != "H-4.1-resp-conform" && re.Requirement != "H-10.4-limits") {
				t.Fatalf("parse error %v", err)
			}
			return
		}
		if n == 0 {
			if resp != nil || len(p) >= handshake.DefaultMaxHeadSize {
				t.Fatalf("need-more with %d bytes", len(p))
			}
			return
		}
		wrote := resp.Append(nil)
		back, m, err := handshake.ParseResponse(wrote, max(len(wrote), handshake.DefaultMaxHeadSize))
		if err != nil || m != len(wrote) || !cmp.Equal(resp, back) {
			t.Fatalf("response does not round-trip: %v\n%q", err, wrote)
		}
		agreed, err := handshake.VerifyResponse(req, resp)
		if err != nil {
			var re *handshake.ResponseError
			if !errors.As(err, &re) || re.Status != resp.Status {
				t.Fatalf("verify error %v for status %d", err, resp.Status)
			}
			if _, ok := spec.Lookup(re.Requirement); !ok || (re.Requirement == "H-4.1-resp-status") != (resp.Status != 101) {
				t.Fatalf("status %d fails %s", resp.Status, re.Requirement)
			}
			return
		}
		accepts := resp.Header.Values("Sec-WebSocket-Accept")
		if resp.Status != 101 || len(accepts) != 1 || accepts[0] != handshake.AcceptKey(req.Header.Get("Sec-WebSocket-Key")) ||
			!strings.EqualFold(strings.Trim(strings.Join(resp.Header.Values("Upgrade"), ","), " \t,"), "websocket") {
			t.Fatalf("accepted %q", p[:n])
		}
		offered, _ := handshake.ParseProtocols(req.Header.Values("Sec-WebSocket-Protocol")...)
		if agreed.Subprotocol != "" && !slices.Contains(offered, agreed.Subprotocol) {
			t.Fatalf("accepted subprotocol %q, offered %q", agreed.Subprotocol, offered)
		}
		offers, _ := handshake.ParseExtensions(req.Header.Values("Sec-WebSocket-Extensions")...)
		for _, e := range agreed.Extensions {
			if !slices.ContainsFunc(offers, func(o handshake.Extension) bool { return o.Name == e.Name }) {
				t.Fatalf("accepted extension %q, offered %v", e.Name, offers)
			}
		}
	})
}

// extensionLine is a reference recogniser for one Sec-WebSocket-Extensions
// field line, written as a regular expression from RFC 6455 section 9.1,
// independently of the parser: a list of possibly empty elements, each an
// extension token with parameters whose values are tokens or quoted
// strings made of token characters, each possibly escaped.
var extensionLine = func() *regexp.Regexp {
	const (
		ows   = `[ \t]*`
		tchar = "[!#$%&'*+.^_`|~0-9A-Za-z-]"
		token = tchar + `+`
		value = `(?:` + token + `|"(?:\\?` + tchar + `)+")`
		param = token + `(?:` + ows + `=` + ows + value + `)?`
		ext   = token + `(?:` + ows + `;` + ows + param + `)*`
	)
	return regexp.MustCompile(`^(?:` + ows + `(?:` + ext + `)?` + ows + `,)*` + ows + `(?:` + ext + `)?` + ows + `$`)
}()

var hasExtension = regexp.MustCompile("[!#$%&'*+.^_`|~0-9A-Za-z-]")

// FuzzExtensions checks ParseExtensions on any value, split into field
// lines at each newline:
//   - it accepts exactly what the reference regular expression accepts
//     (with at least one extension in the list);
//   - an error is a *SyntaxError citing H-9.1-ext-grammar whose line and
//     offset point into the input;
//   - an accepted list formats to a value that parses to the same list,
//     and formatting is then stable: format(parse(format(x))) = format(x).
func FuzzExtensions(f *testing.F) {
	hs := handshakeSeeds(f)
	for _, v := range hs.Extensions {
		f.Add(strings.Join(v.Lines, "\n"))
	}
	for _, v := range hs.Requests {
		for _, line := range strings.Split(v.Request, "\r\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Sec-WebSocket-Extensions") {
				f.Add(strings.TrimSpace(value))
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4<<10 {
			return
		}
		lines := strings.Split(s, "\n")
		exts, err := handshake.ParseExtensions(lines...)
		wantOK, any := true, false
		for _, l := range lines {
			wantOK = wantOK && extensionLine.MatchString(l)
			any = any || hasExtension.MatchString(l)
		}
		wantOK = wantOK && any
		if (err == nil) != wantOK {
			t.Fatalf("ParseExtensions(%q) = %v, %v; the reference says ok = %v", lines, exts, err, wantOK)
		}
		if err != nil {
			var se *handshake.SyntaxError
			if !errors.As(err, &se) || se.Requirement != "H-9.1-ext-grammar" || se.Line < 0 || se.Line >= len(lines) || se.Offset < 0 || se.Offset > len(lines[se.Line]) {
				t.Fatalf("error %#v for %q", err, lines)
			}
			return
		}
		formatted := handshake.FormatExtensions(exts)
		again, err := handshake.ParseExtensions(formatted)
		if err != nil || !cmp.Equal(exts, again) {
			t.Fatalf("%q formats to %q, which parses to %v, %v", lines, formatted, again, err)
		}
		if handshake.FormatExtensions(again) != formatted {
			t.Fatalf("formatting %q is not stable", formatted)
		}
	})
}
