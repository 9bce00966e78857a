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

// dripHead is the browser request padded with one long field to exactly
// DefaultMaxHeadSize bytes.
func dripHead() string {
	head := benchSeed[:len(benchSeed)-2] + "X-Pad: " + strings.Repeat("p", handshake.DefaultMaxHeadSize-len(benchSeed)-9) + "\r\n\r\n"
	if len(head) != handshake.DefaultMaxHeadSize {
		panic("bad padding")
	}
	return head
}

// dripHeadShortLines is the browser request padded with short fields to
// exactly DefaultMaxHeadSize bytes: many lines, the worst case for a
// caller that parses again whenever a line completes.
func dripHeadShortLines() string {
	head := benchSeed[:len(benchSeed)-2]
	for len(head)+len("X: y\r\n")+len("X: \r\n\r\n") <= handshake.DefaultMaxHeadSize {
		head += "X: y\r\n"
	}
	head += "X: " + strings.Repeat("y", handshake.DefaultMaxHeadSize-len(head)-len("X: \r\n\r\n")) + "\r\n\r\n"
	if len(head) != handshake.DefaultMaxHeadSize {
		panic("bad padding")
	}
	return head
}

// BenchmarkParseRequestByteAtATime is the worst case of calling
// ParseRequest again after every byte of an 8 KiB head: each call scans
// what it has, so the cost is quadratic in the head size, bounded by the
// limit. Reported per whole head; compare BenchmarkRequestReaderDrip.
func BenchmarkParseRequestByteAtATime(b *testing.B) {
	p := []byte(dripHead())
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

// BenchmarkParseRequestLineAtATime drips an 8 KiB head of short lines one
// byte at a time and calls ParseRequest only when a byte completes a line,
// as the loopback server did before RequestReader: quadratic in the
// number of lines.
func BenchmarkParseRequestLineAtATime(b *testing.B) {
	p := []byte(dripHeadShortLines())
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		for i := 1; i <= len(p); i++ {
			if p[i-1] != '\n' {
				continue
			}
			if _, n, err := handshake.ParseRequest(p[:i], 0); err != nil || (n != 0) != (i == len(p)) {
				b.Fatalf("prefix %d: n = %d, %v", i, n, err)
			}
		}
	}
}

// BenchmarkRequestReaderDrip feeds an 8 KiB head to a RequestReader one
// byte at a time: linear in the head size, each byte scanned once. The
// reader is Reset between heads, as a server pooling readers would.
func BenchmarkRequestReaderDrip(b *testing.B) {
	for _, bc := range []struct{ name, head string }{
		{"longField", dripHead()},
		{"shortFields", dripHeadShortLines()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := []byte(bc.head)
			r := handshake.NewRequestReader(0)
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset()
				for i := range p {
					if req, _, err := r.Feed(p[i : i+1]); err != nil || (req != nil) != (i == len(p)-1) {
						b.Fatalf("byte %d: %v, %v", i, req, err)
					}
				}
			}
		})
	}
}

// BenchmarkRequestReader feeds the browser request to a RequestReader in
// one piece: the cost of the reader over BenchmarkParseRequest is one
// copy of the head into its (reused) buffer.
func BenchmarkRequestReader(b *testing.B) {
	p := []byte(benchSeed)
	r := handshake.NewRequestReader(0)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset()
		if req, _, err := r.Feed(p); req == nil || err != nil {
			b.Fatal(err)
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
