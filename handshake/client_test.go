package handshake_test

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wskit/wskit/handshake"
	"pgregory.net/rapid"
)

// TestNewRequestKey: the key is the padded base64 of the nonce given,
// exactly 16 bytes, so a fresh nonce per connection gives a fresh key
// (H-4.1-req-key); NewRequest itself draws no randomness, and the same
// nonce gives the same request.
func TestNewRequestKey(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := [16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "a"))
		b := [16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "b"))
		ra, err := handshake.NewRequest("ws://example.com/", a, handshake.RequestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rb, _ := handshake.NewRequest("ws://example.com/", b, handshake.RequestOptions{})
		key := ra.Header.Get("Sec-WebSocket-Key")
		raw, err := base64.StdEncoding.Strict().DecodeString(key)
		if err != nil || len(key) != 24 || !strings.HasSuffix(key, "==") || string(raw) != string(a[:]) {
			t.Fatalf("key %q does not decode to the nonce % x", key, a)
		}
		if (a == b) != (key == rb.Header.Get("Sec-WebSocket-Key")) {
			t.Fatalf("nonces % x and % x give keys %q and %q", a, b, key, rb.Header.Get("Sec-WebSocket-Key"))
		}
		again, _ := handshake.NewRequest("ws://example.com/", a, handshake.RequestOptions{})
		if !cmp.Equal(ra, again) {
			t.Fatal("NewRequest is not a function of its arguments")
		}
	})
}

// TestNewRequestRules: whatever it is given, a request NewRequest builds
// is a GET over HTTP/1.1 (H-4.1-req-http) of the resource name
// (H-4.1-req-target) with Host (H-4.1-req-host), Upgrade: websocket
// (H-4.1-req-upgrade), Connection: Upgrade (H-4.1-req-connection),
// Sec-WebSocket-Version: 13 (H-4.1-req-version), unique token
// subprotocols in the order given (H-4.1-req-protocols) and the Origin the
// caller passes (H-4.1-req-origin); and a server accepts it.
func TestNewRequestRules(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clientCaseGen().Draw(t, "client")
		req, err := handshake.NewRequest(c.URL, c.Nonce, handshake.RequestOptions{Subprotocols: c.Protocols, Extensions: c.Offers, Header: c.Extra})
		if err != nil {
			t.Fatal(err)
		}
		u, err := handshake.ParseURL(c.URL)
		if err != nil {
			t.Fatal(err)
		}
		h := req.Header
		switch {
		case req.Method != "GET" || req.Major != 1 || req.Minor != 1:
			t.Fatalf("request line %s %s HTTP/%d.%d", req.Method, req.Target, req.Major, req.Minor)
		case req.Target != u.Resource || req.Resource() != u.Resource || !strings.HasPrefix(req.Target, "/"):
			t.Fatalf("target %q, resource %q", req.Target, u.Resource)
		case len(h.Values("Host")) != 1 || h.Get("Host") != u.HostHeader():
			t.Fatalf("Host %q, want %q", h.Values("Host"), u.HostHeader())
		case h.Get("Upgrade") != "websocket" || h.Get("Connection") != "Upgrade" || h.Get("Sec-WebSocket-Version") != "13":
			t.Fatalf("header %v", h)
		case h.Get("Origin") != c.Extra.Get("Origin"):
			t.Fatalf("Origin %q, want %q", h.Get("Origin"), c.Extra.Get("Origin"))
		}
		protos, err := handshake.ParseProtocols(h.Values("Sec-WebSocket-Protocol")...)
		if err != nil || !cmp.Equal(protos, c.Protocols, cmpEmpty) {
			t.Fatalf("offered %q, %v; want %q", protos, err, c.Protocols)
		}
		exts, err := handshake.ParseExtensions(h.Values("Sec-WebSocket-Extensions")...)
		if err != nil || !cmp.Equal(exts, c.Offers, cmpEmpty) {
			t.Fatalf("offered %v, %v; want %v", exts, err, c.Offers)
		}
		if !req.IsWebSocket() {
			t.Fatal("IsWebSocket = false")
		}
		if _, err := new(handshake.Server).Accept(req); err != nil {
			t.Fatalf("the server refuses it: %v", err)
		}
	})
}

var cmpEmpty = cmpopts.EquateEmpty()

// TestNewRequestFragment: a URL with a fragment, even an empty one, is
// refused (H-3-no-fragment), and %23 is not a fragment.
func TestNewRequestFragment(t *testing.T) {
	for _, u := range []string{"ws://h/#", "ws://h/p#f", "ws://h#", "wss://h/?q#f"} {
		_, err := handshake.NewRequest(u, [16]byte{}, handshake.RequestOptions{})
		var re *handshake.RequestError
		if !errors.As(err, &re) || re.Requirement != "H-3-no-fragment" {
			t.Errorf("NewRequest(%q): %v", u, err)
		}
	}
	req, err := handshake.NewRequest("ws://h/a%23b?c%23d", [16]byte{}, handshake.RequestOptions{})
	if err != nil || req.Target != "/a%23b?c%23d" {
		t.Errorf("escaped hash: %v, %v", req, err)
	}
}

// TestNewRequestEscapesQuery: bytes a request-target may not hold are
// percent-encoded, so the built request is valid (H-4.1-req-target).
func TestNewRequestEscapesQuery(t *testing.T) {
	req, err := handshake.NewRequest("ws://h/p?q=caf\u00e9 x", [16]byte{}, handshake.RequestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if req.Target != "/p?q=caf%C3%A9%20x" {
		t.Errorf("target %q", req.Target)
	}
	if _, err := new(handshake.Server).Accept(req); err != nil {
		t.Errorf("server refuses it: %v", err)
	}
}

// TestVerifyResponseReadsTheRequest: VerifyResponse judges a response by
// the request as sent, so a request edited after NewRequest is the one
// that counts.
func TestVerifyResponseReadsTheRequest(t *testing.T) {
	req, _ := handshake.NewRequest("ws://server.example.com/chat", [16]byte([]byte("the sample nonce")), handshake.RequestOptions{})
	resp, _, err := handshake.ParseResponse([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := handshake.VerifyResponse(req, resp); !errors.Is(err, &handshake.ResponseError{Requirement: "H-4.1-resp-subprotocol"}) {
		t.Errorf("chat was not offered: %v", err)
	}
	req.Header.Add("Sec-WebSocket-Protocol", "chat")
	agreed, err := handshake.VerifyResponse(req, resp)
	if err != nil || agreed.Subprotocol != "chat" {
		t.Errorf("after offering chat: %v, %v", agreed, err)
	}
	req.Header.Set("Sec-WebSocket-Key", "AQIDBAUGBwgJCgsMDQ4PEC==")
	if _, err := handshake.VerifyResponse(req, resp); !errors.Is(err, &handshake.ResponseError{Status: 101, Requirement: "H-4.1-resp-accept"}) {
		t.Errorf("another key: %v", err)
	}
}

func TestResponseErrorIs(t *testing.T) {
	err := error(&handshake.ResponseError{Status: 404, Requirement: "H-4.1-resp-status", Detail: "x"})
	for target, want := range map[*handshake.ResponseError]bool{
		{}:                                 true,
		{Status: 404}:                      true,
		{Status: 101}:                      false,
		{Requirement: "H-4.1-resp-status"}: true,
		{Requirement: "H-4.1-resp-accept"}: false,
	} {
		if got := errors.Is(err, target); got != want {
			t.Errorf("Is(%+v) = %v", target, got)
		}
	}
	if got := err.Error(); got != "handshake: response 404 fails H-4.1-resp-status: x" {
		t.Errorf("Error = %q", got)
	}
}

// TestOfferIsNotUse: an extension the client offered is in use only if
// the server's response accepts it (R-9-offer-not-use); Negotiated lists
// only what the response named, in the response's order.
func TestOfferIsNotUse(t *testing.T) {
	offers := []handshake.Extension{
		{Name: "permessage-deflate", Params: []handshake.Param{{Name: "client_max_window_bits"}}},
		{Name: "x-webkit-foo"},
	}
	req, err := handshake.NewRequest("ws://server.example.com/", [16]byte([]byte("the sample nonce")), handshake.RequestOptions{Extensions: offers})
	if err != nil {
		t.Fatal(err)
	}
	head := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
	for _, tc := range []struct {
		extensions string // the response's Sec-WebSocket-Extensions, "" for none
		want       []string
	}{
		{"", nil},
		{"x-webkit-foo", []string{"x-webkit-foo"}},
		{"permessage-deflate", []string{"permessage-deflate"}},
	} {
		h := head
		if tc.extensions != "" {
			h += "Sec-WebSocket-Extensions: " + tc.extensions + "\r\n"
		}
		resp, _, err := handshake.ParseResponse([]byte(h+"\r\n"), 0)
		if err != nil {
			t.Fatal(err)
		}
		agreed, err := handshake.VerifyResponse(req, resp)
		if err != nil {
			t.Fatalf("%q: %v", tc.extensions, err)
		}
		var names []string
		for _, e := range agreed.Extensions {
			names = append(names, e.Name)
		}
		if !slices.Equal(names, tc.want) {
			t.Errorf("response %q: extensions in use %v, want %v", tc.extensions, names, tc.want)
		}
	}
}
