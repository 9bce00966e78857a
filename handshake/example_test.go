package handshake_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wskit/wskit/handshake"
)

// A server reads until ParseRequest returns a request, lets its policy
// Accept it, and writes either the 101 response or the rejection. The
// bytes after the head are the client's first frames.
func ExampleServer_Accept() {
	received := []byte("GET /chat HTTP/1.1\r\n" +
		"Host: server.example.com\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Origin: http://example.com\r\n" +
		"Sec-WebSocket-Protocol: chat, superchat\r\n" +
		"Sec-WebSocket-Version: 13\r\n" +
		"\r\n" +
		"\x81\x85...") // the start of a first frame

	req, n, err := handshake.ParseRequest(received, 0)
	switch {
	case err != nil:
		fmt.Printf("write %q and close\n", err.(*handshake.Rejection).Response())
		return
	case n == 0:
		fmt.Println("need more bytes")
		return
	}

	srv := handshake.Server{
		CheckOrigin: func(r *handshake.Request) bool { return r.Header.Get("Origin") == "http://example.com" },
		SelectSubprotocol: func(offered []string) string {
			if slices.Contains(offered, "chat") {
				return "chat"
			}
			return ""
		},
	}
	acc, err := srv.Accept(req)
	var rej *handshake.Rejection
	if errors.As(err, &rej) {
		fmt.Printf("write %q and close\n", rej.Response())
		return
	}
	fmt.Print(strings.ReplaceAll(string(acc.Response), "\r\n", "\n")) // CRLF shown as line breaks
	fmt.Printf("subprotocol %q, %d bytes for the frame decoder\n", acc.Subprotocol, len(received[n:]))
	// Output:
	// HTTP/1.1 101 Switching Protocols
	// Upgrade: websocket
	// Connection: Upgrade
	// Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
	// Sec-WebSocket-Protocol: chat
	//
	// subprotocol "chat", 5 bytes for the frame decoder
}

// A server that reads its connection in pieces feeds each piece to a
// RequestReader: it gets the request as soon as the head is complete, with
// the bytes that followed it, and a rejection as soon as a byte breaks the
// head, while no byte is scanned twice however small the pieces.
func ExampleRequestReader() {
	pieces := []string{ // as a slow client might send them
		"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpg",
		"rade: websocket\r\nConnection: Upgrade\r\n",
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r",
		"\n\r\n\x81\x85...", // the end of the head, then the start of a first frame
	}
	r := handshake.NewRequestReader(0) // 0: DefaultMaxHeadSize (8 KiB)
	for i, piece := range pieces {
		req, rest, err := r.Feed([]byte(piece)) // piece would be buf[:n] after a Read
		if err != nil {
			fmt.Printf("write %q and close\n", err.(*handshake.Rejection).Response())
			return
		}
		if req == nil {
			fmt.Printf("piece %d: need more (%d bytes held)\n", i, len(r.Buffered()))
			continue
		}
		fmt.Printf("piece %d: %s %s with %d fields, %d bytes for the frame decoder\n", i, req.Method, req.Target, len(req.Header), len(rest))
	}

	// A bare LF fails the head in the Feed that brings it.
	r.Reset()
	r.Feed([]byte("GET / HTTP/1.1\r\nHost: example.com"))
	_, _, err := r.Feed([]byte("\nUpgrade: websocket\r\n"))
	var rej *handshake.Rejection
	if errors.As(err, &rej) {
		fmt.Println(rej.Status, rej.Requirement, rej.Detail)
	}
	// Output:
	// piece 0: need more (49 bytes held)
	// piece 1: need more (87 bytes held)
	// piece 2: need more (158 bytes held)
	// piece 3: GET /chat with 5 fields, 5 bytes for the frame decoder
	// 400 H-4.2.1-reject at byte 33: bare LF: lines must end with CRLF (RFC 9112 section 2.2)
}

// A rejection carries its status, the fields that status requires, the
// rule broken and the response bytes to write.
func ExampleRejection() {
	req, _, _ := handshake.ParseRequest([]byte("GET / HTTP/1.1\r\n"+
		"Host: example.com\r\n"+
		"Upgrade: websocket\r\n"+
		"Connection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"+
		"Sec-WebSocket-Version: 8\r\n\r\n"), 0)
	_, err := new(handshake.Server).Accept(req)
	rej := err.(*handshake.Rejection)
	fmt.Println(rej.Status, rej.Requirement, rej.Header.Get("Sec-WebSocket-Version"))
	fmt.Print(strings.ReplaceAll(string(rej.Response()), "\r\n", "\n"))
	// Output:
	// 426 H-4.2.1-version 13
	// HTTP/1.1 426 Upgrade Required
	// Sec-WebSocket-Version: 13
	// Upgrade: websocket
	// Connection: Upgrade, close
	// Content-Type: text/plain; charset=utf-8
	// Content-Length: 58
	//
	// H-4.2.1-version: Sec-WebSocket-Version 8 is not supported
}

// A client builds its request from a URL and a nonce read from
// crypto/rand, sends it, then parses and verifies the response.
func ExampleVerifyResponse() {
	nonce := [16]byte([]byte("the sample nonce")) // use crypto/rand.Read
	req, err := handshake.NewRequest("ws://server.example.com/chat", nonce, handshake.RequestOptions{
		Subprotocols: []string{"chat", "superchat"},
		Header:       handshake.Header{{Name: "Origin", Value: "http://example.com"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(string(req.Append(nil)), "\r\n", "\n"))

	received := []byte("HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
		"Sec-WebSocket-Protocol: chat\r\n" +
		"\r\n" +
		"\x81\x05Hello")
	resp, n, err := handshake.ParseResponse(received, 0)
	if err != nil || n == 0 {
		fmt.Println("failed or need more:", err)
		return
	}
	agreed, err := handshake.VerifyResponse(req, resp)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("subprotocol %q, first frame % x\n", agreed.Subprotocol, received[n:n+2])
	// Output:
	// GET /chat HTTP/1.1
	// Host: server.example.com
	// Upgrade: websocket
	// Connection: Upgrade
	// Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
	// Sec-WebSocket-Version: 13
	// Sec-WebSocket-Protocol: chat, superchat
	// Origin: http://example.com
	//
	// subprotocol "chat", first frame 81 05
}

// Any status other than 101 is a *ResponseError carrying the status.
func ExampleResponseError() {
	req, _ := handshake.NewRequest("ws://example.com/", [16]byte{}, handshake.RequestOptions{})
	resp, _, _ := handshake.ParseResponse([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), 0)
	_, err := handshake.VerifyResponse(req, resp)
	var re *handshake.ResponseError
	if errors.As(err, &re) {
		fmt.Println(re.Status, re.Requirement)
	}
	// Output:
	// 404 H-4.1-resp-status
}

// Several Sec-WebSocket-Extensions lines are one list; quoted values are
// unquoted, and formatting gives the canonical form.
func ExampleParseExtensions() {
	exts, err := handshake.ParseExtensions(
		`permessage-deflate; client_max_window_bits; server_max_window_bits="10"`,
		`permessage-deflate ;client_max_window_bits`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range exts {
		fmt.Println(e.Name, e.Params)
	}
	fmt.Println(handshake.FormatExtensions(exts))

	_, err = handshake.ParseExtensions(`foo; bar="b,a;z"`)
	fmt.Println(err)
	// Output:
	// permessage-deflate [{client_max_window_bits } {server_max_window_bits 10}]
	// permessage-deflate [{client_max_window_bits }]
	// permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits
	// handshake: Sec-WebSocket-Extensions line 0 byte 9 (H-9.1-ext-grammar): quoted value "b,a;z" does not unescape to a token (RFC 6455 section 9.1)
}

func ExampleParseProtocols() {
	protos, err := handshake.ParseProtocols("chat, superchat", "v2.example")
	fmt.Println(protos, err)
	// Output:
	// [chat superchat v2.example] <nil>
}

func ExampleAcceptKey() {
	fmt.Println(handshake.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
	// Output:
	// s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
}

func ExampleParseURL() {
	u, err := handshake.ParseURL("wss://example.com:8443/chat?room=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.Secure, u.Addr(), u.HostHeader(), u.Resource)
	_, err = handshake.ParseURL("ws://example.com/chat#top")
	fmt.Println(err)
	// Output:
	// true example.com:8443 example.com:8443 /chat?room=1
	// handshake: cannot build request (H-3-no-fragment): "ws://example.com/chat#top": a WebSocket URI has no fragment; write a literal '#' as %23
}

// A conformance runner can send a request that differs from the default
// on purpose: extra fields named like built-in ones replace them in place.
func ExampleNewRequest() {
	nonce := [16]byte{} // use crypto/rand.Read: one fresh nonce per connection
	req, err := handshake.NewRequest("ws://127.0.0.1:9001/echo?case=1", nonce, handshake.RequestOptions{
		Extensions: []handshake.Extension{{Name: "permessage-deflate", Params: []handshake.Param{{Name: "client_max_window_bits"}}}},
		Header: handshake.Header{
			{Name: "Upgrade", Value: "WebSocket"},
			{Name: "User-Agent", Value: "wskit-conform"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(string(req.Append(nil)), "\r\n", "\n"))
	// Output:
	// GET /echo?case=1 HTTP/1.1
	// Host: 127.0.0.1:9001
	// Upgrade: WebSocket
	// Connection: Upgrade
	// Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==
	// Sec-WebSocket-Version: 13
	// Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits
	// User-Agent: wskit-conform
}
