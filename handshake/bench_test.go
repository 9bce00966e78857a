package handshake_test

import (
	"strings"
	"testing"

	"github.com/wskit/wskit/handshake"
)

const benchSeed = "GET / HTTP/1.1\r\n" +
	"Accept-Encoding: gzip, deflate, br\r\n" +
	"Accept-Language: zh-CN,zh;q=0.9\r\n" +
	"Cache-Control: no-cache\r\n" +
	"Connection: Upgrade\r\n" +
	"Host: localhost:8888\r\n" +
	"Origin: http://127.0.0.1:8080\r\n" +
	"Pragma: no-cache\r\n" +
	"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" +
	"Sec-WebSocket-Key: PTJ1jznYuIh0LHj5uWUegg==\r\n" +
	"Sec-WebSocket-Version: 13\r\n" +
	"Upgrade: websocket\r\n" +
	"User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36\r\n" +
	"\r\n"

// BenchmarkParseRequest parses the seed tutorial's browser request.
func BenchmarkParseRequest(b *testing.B) {
	p := []byte(benchSeed)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, n, err := handshake.ParseRequest(p, 0); n == 0 || err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServerHandshake parses the browser request and accepts it with
// permessage-deflate, building the 101.
func BenchmarkServerHandshake(b *testing.B) {
	p := []byte(benchSeed)
	srv := &handshake.Server{NegotiateExtensions: func(offered []handshake.Extension) []handshake.Extension {
		return []handshake.Extension{{Name: offered[0].Name}}
	}}
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		req, _, err := handshake.ParseRequest(p, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := srv.Accept(req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientHandshake builds a request, then parses and verifies the
// server's 101.
func BenchmarkClientHandshake(b *testing.B) {
	nonce := [16]byte([]byte("the sample nonce"))
	resp := []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n")
	opts := handshake.RequestOptions{Subprotocols: []string{"chat", "superchat"}}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		req, err := handshake.NewRequest("ws://server.example.com/chat", nonce, opts)
		if err != nil {
			b.Fatal(err)
		}
		buf = req.Append(buf[:0])
		r, _, err := handshake.ParseResponse(resp, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := handshake.VerifyResponse(req, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRequestByteAtATime is the worst case of calling
// ParseRequest again after every byte of an 8 KiB head: each call scans
// what it has, so the cost is quadratic in the head size, bounded by the
// limit. Reported per whole head.
func BenchmarkParseRequestByteAtATime(b *testing.B) {
	head := benchSeed[:len(benchSeed)-2] + "X-Pad: " + strings.Repeat("p", handshake.DefaultMaxHeadSize-len(benchSeed)-9) + "\r\n\r\n"
	if len(head) != handshake.DefaultMaxHeadSize {
		b.Fatalf("head of %d bytes", len(head))
	}
	p := []byte(head)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		for i := 1; i <= len(p); i++ {
			if _, n, err := handshake.ParseRequest(p[:i], 0); err != nil || (n != 0) != (i == len(p)) {
				b.Fatalf("prefix %d: n = %d, %v", i, n, err)
			}
		}
	}
}

// BenchmarkParseExtensions parses RFC 7692's offer with a fallback.
func BenchmarkParseExtensions(b *testing.B) {
	v := "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits"
	b.SetBytes(int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := handshake.ParseExtensions(v); err != nil {
			b.Fatal(err)
		}
	}
}
