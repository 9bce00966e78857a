package handshake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
)

const minimal = "GET /chat HTTP/1.1\r\n" +
	"Host: server.example.com\r\n" +
	"Upgrade: websocket\r\n" +
	"Connection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
	"Sec-WebSocket-Version: 13\r\n"

func parse(t *testing.T, head string) *handshake.Request {
	t.Helper()
	req, n, err := handshake.ParseRequest([]byte(head), 0)
	if err != nil || n == 0 {
		t.Fatalf("ParseRequest(%q) = %d, %v", head, n, err)
	}
	return req
}

// TestCheckOrder: when a request breaks several rules, the first in the
// documented order is reported.
func TestCheckOrder(t *testing.T) {
	tests := []struct {
		head        string
		status      int
		requirement string
	}{
		{"POST /chat HTTP/1.0\r\n\r\n", 405, "H-4.2.1-method"},
		{"GET /chat HTTP/1.0\r\n\r\n", 400, "H-4.2.1-http11"},
		{"GET /chat HTTP/1.1\r\n\r\n", 400, "H-4.2.1-host"},
		{"GET /chat HTTP/1.1\r\nHost: a\r\n\r\n", 400, "H-4.2.1-upgrade"},
		{"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n", 400, "H-4.2.1-connection"},
		{"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\nContent-Length: 1\r\n\r\n", 400, "H-4.2.1-reject"},
		{"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Key: a\r\nSec-WebSocket-Key: b\r\n\r\n", 400, "H-11.3.1-key-once"},
		{"GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Key: a\r\n\r\n", 400, "H-4.2.1-key"},
		{minimal[:strings.Index(minimal, "Sec-WebSocket-Version")] + "Sec-WebSocket-Protocol: a b\r\n\r\n", 426, "H-4.2.1-version"},
		{minimal + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: a b\r\n\r\n", 426, "H-11.3.5-version-once"},
		{minimal + "Sec-WebSocket-Protocol: a b\r\nSec-WebSocket-Extensions: ;\r\n\r\n", 400, "H-4.2.1-protocol-grammar"},
		{minimal + "Sec-WebSocket-Extensions: ;\r\nOrigin: http://evil.example\r\n\r\n", 400, "H-9.1-ext-grammar"},
		{minimal + "Origin: http://evil.example\r\n\r\n", 403, "H-4.2.2-origin"},
		{minimal + "Origin: http://example.com\r\n\r\n", 404, "H-4.2.2-resource"},
	}
	srv := &handshake.Server{
		CheckOrigin:   func(r *handshake.Request) bool { return r.Header.Get("Origin") == "http://example.com" },
		CheckResource: func(resource string) bool { return resource == "/echo" },
	}
	for _, tt := range tests {
		_, err := srv.Accept(parse(t, tt.head))
		if !errors.Is(err, &handshake.Rejection{Status: tt.status, Requirement: tt.requirement}) {
			t.Errorf("%q: %v, want %d %s", tt.head, err, tt.status, tt.requirement)
		}
		// The server closes after refusing: whatever the client sent
		// after a refused head cannot be trusted to be anything.
		if rej, ok := err.(*handshake.Rejection); ok && !strings.Contains(rej.Header.Get("Connection"), "close") {
			t.Errorf("%q: rejection without Connection: close: %v", tt.head, rej.Header)
		}
	}
}

// TestVersionRejection: the answer to a version it does not speak lists
// every version the server speaks, 13 alone, in one field
// (H-4.2.2-version-advertise, H-4.4-advertise-all), and carries Upgrade as
// RFC 9110 section 15.5.22 requires of a 426.
func TestVersionRejection(t *testing.T) {
	_, err := new(handshake.Server).Accept(parse(t, strings.Replace(minimal, "Version: 13", "Version: 8", 1)+"\r\n"))
	var rej *handshake.Rejection
	if !errors.As(err, &rej) || rej.Status != 426 {
		t.Fatalf("err = %v", err)
	}
	if got := rej.Header.Values("Sec-WebSocket-Version"); !cmp.Equal(got, []string{"13"}) {
		t.Errorf("Sec-WebSocket-Version = %q, want exactly [13]", got)
	}
	resp, _, err := handshake.ParseResponse(rej.Response(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 426 || resp.Header.Get("Upgrade") != "websocket" || !strings.Contains(resp.Header.Get("Connection"), "Upgrade") {
		t.Errorf("426 response %q", rej.Response())
	}
}

// TestMethodRejection: a 405 carries Allow: GET (RFC 9110 section 15.5.6).
func TestMethodRejection(t *testing.T) {
	_, err := new(handshake.Server).Accept(parse(t, strings.Replace(minimal, "GET", "PUT", 1)+"\r\n"))
	var rej *handshake.Rejection
	if !errors.As(err, &rej) || rej.Status != 405 || rej.Header.Get("Allow") != "GET" || rej.Requirement != "H-4.2.1-method" {
		t.Fatalf("err = %v, header %v", err, rej)
	}
}

func TestRejectionResponse(t *testing.T) {
	rej := &handshake.Rejection{Status: 400, Requirement: "H-4.2.1-key", Detail: "no key", Header: handshake.Header{{Name: "Connection", Value: "close"}}}
	want := "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 20\r\n\r\nH-4.2.1-key: no key\n"
	if got := string(rej.Response()); got != want {
		t.Errorf("Response =\n%q\nwant\n%q", got, want)
	}
	if got := string(rej.AppendResponse([]byte("x"))); got != "x"+want {
		t.Errorf("AppendResponse onto a prefix = %q", got)
	}
	if got := rej.Error(); got != "handshake: rejected with 400 Bad Request (H-4.2.1-key): no key" {
		t.Errorf("Error = %q", got)
	}
	empty := &handshake.Rejection{Status: 404}
	if got := string(empty.Response()); got != "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n" {
		t.Errorf("empty rejection = %q", got)
	}
	if !errors.Is(rej, &handshake.Rejection{Status: 400}) || errors.Is(rej, &handshake.Rejection{Status: 400, Requirement: "H-4.2.1-host"}) {
		t.Error("Is")
	}
}

// TestCallerRejections: a server may refuse for its own reasons first,
// asking for authentication or redirecting (H-4.2.2-auth/redirect); a
// Rejection it builds writes any status and fields.
func TestCallerRejections(t *testing.T) {
	auth := &handshake.Rejection{Status: 401, Requirement: "H-4.2.2-auth/redirect", Header: handshake.Header{{Name: "WWW-Authenticate", Value: `Basic realm="chat"`}}}
	redirect := &handshake.Rejection{Status: 307, Requirement: "H-4.2.2-auth/redirect", Header: handshake.Header{{Name: "Location", Value: "ws://other.example/chat"}}}
	req, _ := handshake.NewRequest("ws://server.example.com/chat", [16]byte{1}, handshake.RequestOptions{})
	for _, rej := range []*handshake.Rejection{auth, redirect} {
		resp, n, err := handshake.ParseResponse(rej.Response(), 0)
		if err != nil || n == 0 || resp.Status != rej.Status || resp.Header.Get(rej.Header[0].Name) != rej.Header[0].Value {
			t.Fatalf("%d: %q does not parse back: %v", rej.Status, rej.Response(), err)
		}
		// The client sees the status and may handle it as plain HTTP.
		_, err = handshake.VerifyResponse(req, resp)
		if !errors.Is(err, &handshake.ResponseError{Status: rej.Status, Requirement: "H-4.1-resp-status"}) {
			t.Errorf("%d: client error %v", rej.Status, err)
		}
	}
}

// TestHookMistakes: a policy that breaks a server rule is a caller bug,
// reported as a plain error, never as a Rejection and never as a response
// that breaks H-4.2.2-subprotocol or H-4.2.2-extensions.
func TestHookMistakes(t *testing.T) {
	req := parse(t, minimal+"Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: foo; x=1\r\n\r\n")
	servers := map[string]*handshake.Server{
		"subprotocol not offered": {SelectSubprotocol: func([]string) string { return "superchat" }},
		"extension not offered":   {NegotiateExtensions: func([]handshake.Extension) []handshake.Extension { return []handshake.Extension{{Name: "bar"}} }},
		"extension not a token": {NegotiateExtensions: func([]handshake.Extension) []handshake.Extension {
			return []handshake.Extension{{Name: "foo", Params: []handshake.Param{{Name: "x", Value: "a b"}}}}
		}},
		"bad extra field":        {Header: handshake.Header{{Name: "Server", Value: "x\r\ny"}}},
		"extra handshake field":  {Header: handshake.Header{{Name: "sec-websocket-accept", Value: "x"}}},
		"extra Content-Length":   {Header: handshake.Header{{Name: "Content-Length", Value: "0"}}},
		"extra Connection field": {Header: handshake.Header{{Name: "Connection", Value: "close"}}},
	}
	for name, srv := range servers {
		acc, err := srv.Accept(req)
		var rej *handshake.Rejection
		if err == nil || errors.As(err, &rej) || acc != nil {
			t.Errorf("%s: Accept = %v, %v; want a plain error", name, acc, err)
		}
	}
}

func TestServerPolicy(t *testing.T) {
	called := 0
	srv := &handshake.Server{
		SelectSubprotocol: func(offered []string) string {
			called++
			offered[0] = "mutated" // the server's copy must not change
			return ""
		},
		NegotiateExtensions: func(offered []handshake.Extension) []handshake.Extension {
			called++
			return []handshake.Extension{offered[1], {Name: offered[0].Name, Params: []handshake.Param{{Name: "y", Value: "2"}}}}
		},
		Header: handshake.Header{{Name: "Server", Value: "wskit"}},
	}
	acc, err := srv.Accept(parse(t, minimal+"Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: foo; x=1, bar\r\n\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if called != 2 || acc.Subprotocol != "" {
		t.Errorf("called %d, subprotocol %q", called, acc.Subprotocol)
	}
	want := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
		"Sec-WebSocket-Extensions: bar, foo; y=2\r\nServer: wskit\r\n\r\n"
	if string(acc.Response) != want {
		t.Errorf("response\n%q\nwant\n%q", acc.Response, want)
	}
	if acc.Key != "dGhlIHNhbXBsZSBub25jZQ==" {
		t.Errorf("Key = %q", acc.Key)
	}

	// The hooks are not called when the client offers nothing.
	called = 0
	if _, err := srv.Accept(parse(t, minimal+"\r\n")); err != nil || called != 0 {
		t.Errorf("hooks called %d times without offers, err %v", called, err)
	}
	// A nil or zero Server accepts any valid request with no negotiation.
	var nilServer *handshake.Server
	acc, err = nilServer.Accept(parse(t, minimal+"Sec-WebSocket-Protocol: chat\r\n\r\n"))
	if err != nil || acc.Subprotocol != "" || acc.Extensions != nil {
		t.Errorf("nil Server: %v, %v", acc, err)
	}
}

// TestAcceptKeyUsesTrimmedKey: the accept value is computed on the key as
// received, surrounding whitespace removed, never on its decoded bytes
// (H-4.2.2-accept).
func TestAcceptKeyUsesTrimmedKey(t *testing.T) {
	acc, err := new(handshake.Server).Accept(parse(t, strings.Replace(minimal, ": dGhl", ":\t  dGhl", 1)+"\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(acc.Response), "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n") {
		t.Errorf("response %q", acc.Response)
	}
	if handshake.AcceptKey("the sample nonce") == handshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ==") {
		t.Error("the accept of the decoded bytes equals the accept of the key")
	}
}
