package handshake

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const rfcRequest = "GET /chat HTTP/1.1\r\n" +
	"Host: server.example.com\r\n" +
	"Upgrade: websocket\r\n" +
	"Connection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
	"Origin: http://example.com\r\n" +
	"Sec-WebSocket-Protocol: chat, superchat\r\n" +
	"Sec-WebSocket-Version: 13\r\n" +
	"\r\n"

func TestParseRequestFields(t *testing.T) {
	req, n, err := ParseRequest([]byte(rfcRequest+"\x81\x85"), 0)
	if err != nil || n != len(rfcRequest) {
		t.Fatalf("ParseRequest = %d, %v", n, err)
	}
	want := &Request{Method: "GET", Target: "/chat", Major: 1, Minor: 1, Header: Header{
		{"Host", "server.example.com"},
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
		{"Origin", "http://example.com"},
		{"Sec-WebSocket-Protocol", "chat, superchat"},
		{"Sec-WebSocket-Version", "13"},
	}}
	if diff := cmp.Diff(want, req); diff != "" {
		t.Fatalf("(-want +got)\n%s", diff)
	}
	if got := string(req.Append(nil)); got != rfcRequest {
		t.Errorf("Append = %q", got)
	}
	if got := req.Append([]byte("prefix")); !bytes.Equal(got, []byte("prefix"+rfcRequest)) {
		t.Errorf("Append onto a prefix = %q", got)
	}
}

// TestParseRequestByteAtATime feeds the RFC request one byte more at a
// time: need-more until the last byte, then the whole head.
func TestParseRequestByteAtATime(t *testing.T) {
	for i := 0; i <= len(rfcRequest); i++ {
		req, n, err := ParseRequest([]byte(rfcRequest[:i]), 0)
		switch {
		case err != nil:
			t.Fatalf("prefix %d: %v", i, err)
		case i < len(rfcRequest) && (req != nil || n != 0):
			t.Fatalf("prefix %d: n = %d", i, n)
		case i == len(rfcRequest) && n != i:
			t.Fatalf("whole head: n = %d", n)
		}
	}
}

// TestHeadLimit pins the limit from both sides (H-10.4-limits): a head of
// exactly maxSize bytes passes whatever follows it, one byte more fails
// with 431, and the status tells a long request line (414) from a method
// that fills the limit (400) and from long fields (431).
func TestHeadLimit(t *testing.T) {
	const limit = 100
	line := "GET / HTTP/1.1\r\n"
	pad := func(n int) string { // a head of exactly n bytes
		base := line + "X: \r\n\r\n"
		return line + "X: " + strings.Repeat("x", n-len(base)) + "\r\n\r\n"
	}
	exact := pad(limit)
	if len(exact) != limit {
		t.Fatal("bad padding")
	}
	tests := []struct {
		name   string
		in     string
		n      int
		status int
	}{
		{"exact", exact, limit, 0},
		{"exact, then junk", exact + strings.Repeat("\x00", 1000), limit, 0},
		{"one over", pad(limit + 1), 0, 431},
		{"one under, unfinished", exact[:limit-1], 0, 0},
		{"limit reached, unfinished", exact[:limit-2] + "x\r", 0, 431},
		{"long target", "GET /" + strings.Repeat("a", limit) + " HTTP/1.1\r\n\r\n", 0, 414},
		{"long method", strings.Repeat("G", limit), 0, 400},
		{"empty lines fill the limit", strings.Repeat("\r\n", limit/2), 0, 400},
		{"empty lines then a request", "\r\n\r\n" + exact[:limit-4], limit, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if tt.name == "empty lines then a request" {
				in = "\r\n\r\n" + pad(limit-4)
			}
			req, n, err := ParseRequest([]byte(in), limit)
			if tt.status == 0 {
				if err != nil || n != tt.n || (n > 0) != (req != nil) {
					t.Fatalf("ParseRequest = %v, %d, %v; want n = %d", req, n, err, tt.n)
				}
				return
			}
			rej, ok := err.(*Rejection)
			if !ok || rej.Status != tt.status || rej.Requirement != "H-10.4-limits" {
				t.Fatalf("err = %v, want %d H-10.4-limits", err, tt.status)
			}
		})
	}
}

// TestHeadLimitBoundsMemory: a huge input, whatever its shape, costs a
// bounded amount of memory (H-10.4-limits), because nothing past the
// limit is read.
func TestHeadLimitBoundsMemory(t *testing.T) {
	huge := bytes.Repeat([]byte("a"), 4<<20)
	fields := append([]byte("GET / HTTP/1.1\r\n"), bytes.Repeat([]byte("X: y\r\n"), 1<<20)...)
	value := append([]byte("GET / HTTP/1.1\r\nX: "), huge...)
	for name, in := range map[string][]byte{"no line end": huge, "endless fields": fields, "endless value": value} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, n, err := ParseRequest(in, 0)
		runtime.ReadMemStats(&after)
		if err == nil || n != 0 {
			t.Errorf("%s: n = %d, err = %v; want a rejection", name, n, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
			t.Errorf("%s: parsing allocated %d bytes", name, grew)
		}
		runtime.ReadMemStats(&before)
		_, _, err = ParseResponse(in, 0)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: ParseResponse accepted it", name)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
			t.Errorf("%s: ParseResponse allocated %d bytes", name, grew)
		}
	}
}

// TestFailFast: bytes no head may contain fail at once, before the end of
// the head arrives, so a server need not wait for a peer that is not
// speaking HTTP (a TLS ClientHello, binary junk).
func TestFailFast(t *testing.T) {
	for _, in := range []string{"\x16\x03\x01\x02\x00", "GET / HTTP/1.1\r\nHost: a\x00", "GET / HTTP/1.1\nHost", "GET /\rx"} {
		_, _, err := ParseRequest([]byte(in), 0)
		if rej, ok := err.(*Rejection); !ok || rej.Status != 400 || rej.Requirement != "H-4.2.1-reject" {
			t.Errorf("ParseRequest(%q) = %v, want 400 H-4.2.1-reject", in, err)
		}
	}
}

// TestResponseUnfold: in a response, folded lines are joined with one
// space, as RFC 9112 section 5.2 requires of a user agent; in a request
// they are refused (H-4.2.1-reject).
func TestResponseUnfold(t *testing.T) {
	in := "HTTP/1.1 101 Switching Protocols\r\nX-A: one\r\n two\r\n\t three \r\nX-B:\r\n  b\r\nX-C: c\r\n \r\n\r\n"
	resp, n, err := ParseResponse([]byte(in), 0)
	if err != nil || n != len(in) {
		t.Fatalf("ParseResponse = %d, %v", n, err)
	}
	want := Header{{"X-A", "one two three"}, {"X-B", "b"}, {"X-C", "c"}}
	if diff := cmp.Diff(want, resp.Header); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	_, _, err = ParseRequest([]byte("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n"), 0)
	if rej, ok := err.(*Rejection); !ok || rej.Status != 400 || rej.Requirement != "H-4.2.1-reject" {
		t.Errorf("folded request: %v", err)
	}
}

func TestParseResponseStatusLine(t *testing.T) {
	tests := []struct {
		line   string
		status int
		reason string
		ok     bool
	}{
		{"HTTP/1.1 101 Switching Protocols", 101, "Switching Protocols", true},
		{"HTTP/1.1 101 ", 101, "", true},
		{"HTTP/1.1 404 Not  Found\t", 404, "Not  Found\t", true},
		{"HTTP/1.1 099 Low", 99, "Low", true},
		{"HTTP/1.1 101", 0, "", false},
		{"HTTP/1.1  101 x", 0, "", false},
		{"HTTP/1.1 1011 x", 0, "", false},
		{"HTTP/1.1 -01 x", 0, "", false},
		{"HTTP/11 101 x", 0, "", false},
		{"101 Switching Protocols", 0, "", false},
	}
	for _, tt := range tests {
		resp, _, err := ParseResponse([]byte(tt.line+"\r\n\r\n"), 0)
		if !tt.ok {
			if re, ok := err.(*ResponseError); !ok || re.Requirement != "H-4.1-resp-conform" {
				t.Errorf("%q: %v, want H-4.1-resp-conform", tt.line, err)
			}
			continue
		}
		if err != nil || resp.Status != tt.status || resp.Reason != tt.reason {
			t.Errorf("%q: %+v, %v", tt.line, resp, err)
			continue
		}
		if got := string(resp.Append(nil)); got != tt.line+"\r\n\r\n" {
			t.Errorf("%q: Append = %q", tt.line, got)
		}
	}
}

func TestResource(t *testing.T) {
	tests := map[string]string{
		"/chat":                         "/chat",
		"/chat?x=1":                     "/chat?x=1",
		"http://h/chat?x=1":             "/chat?x=1",
		"HTTPS://h:8443":                "/",
		"http://h?q":                    "/?q",
		"http://user@h/":                "",
		"http:///x":                     "",
		"ws://h/":                       "",
		"*":                             "",
		"h:80":                          "",
		"/a#b":                          "",
		"/a b":                          "",
		"":                              "",
		"/caf\u00e9":                    "",
		"//h/p":                         "//h/p",
		"http://h/p/../q%20?a=b&c=%2F#": "",
	}
	for target, want := range tests {
		if got := (&Request{Target: target}).Resource(); got != want {
			t.Errorf("Resource(%q) = %q, want %q", target, got, want)
		}
	}
}

func TestIsWebSocket(t *testing.T) {
	tests := []struct {
		major, minor int
		upgrade      []string
		want         bool
	}{
		{1, 1, []string{"websocket"}, true},
		{1, 1, []string{"h2c", "WebSocket"}, true},
		{1, 2, []string{"foo, websocket"}, true},
		{1, 0, []string{"websocket"}, false}, // RFC 9110 section 7.8
		{1, 1, []string{"websocket2"}, false},
		{1, 1, nil, false},
		{2, 0, []string{"websocket"}, false},
	}
	for _, tt := range tests {
		r := &Request{Major: tt.major, Minor: tt.minor}
		for _, u := range tt.upgrade {
			r.Header.Add("Upgrade", u)
		}
		if got := r.IsWebSocket(); got != tt.want {
			t.Errorf("HTTP/%d.%d Upgrade %q: IsWebSocket = %v", tt.major, tt.minor, tt.upgrade, got)
		}
	}
}

func TestFieldNameEnd(t *testing.T) {
	tests := map[string]int{
		"Host: a":      4,
		"Host:a":       4,
		"Host:":        4,
		"X-A_b~!: v":   7,
		"Host : a":     -1,
		"Ho st: a":     -1,
		": a":          -1,
		"Host":         -1,
		"H\u00f6st: a": -1,
		"":             -1,
	}
	for line, want := range tests {
		if got := fieldNameEnd([]byte(line)); got != want {
			t.Errorf("fieldNameEnd(%q) = %d, want %d", line, got, want)
		}
	}
	// The value loses its surrounding whitespace, and only that.
	req, _, err := ParseRequest([]byte("GET / HTTP/1.1\r\nA: \t x  y \t\r\nB:\r\nC:   \r\n\r\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Header{{"A", "x  y"}, {"B", ""}, {"C", ""}}); !cmp.Equal(req.Header, want) {
		t.Errorf("fields %q", req.Header)
	}
}
