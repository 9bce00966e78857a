package loopback

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/handshake"
)

// dripUpgrade is a valid upgrade request padded with short fields to
// exactly size bytes (size must leave room for the padding): the most
// lines a head of that size can have, the worst case for a server that
// parses again whenever a line completes.
func dripUpgrade(t *testing.T, size int) string {
	t.Helper()
	start := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	var b strings.Builder
	b.WriteString(start)
	for b.Len()+len("X: y\r\n")+len("X: \r\n\r\n") <= size {
		b.WriteString("X: y\r\n")
	}
	b.WriteString("X: " + strings.Repeat("y", size-b.Len()-len("X: \r\n\r\n")) + "\r\n\r\n")
	if b.Len() != size {
		t.Fatalf("padded head of %d bytes, want %d", b.Len(), size)
	}
	return b.String()
}

// TestHandshakeDrippedToTheLimit drips heads of exactly the head size
// limit, one byte per read (net.Pipe hands each Write to one Read), and
// checks the server answers within a short handshake timeout: a complete
// head of 8 KiB gets its 101, and 8 KiB that do not end the head get a
// 431 as soon as the last of them arrives, without waiting for more
// (H-10.4-limits). Each byte is scanned once, so dripping costs the server
// what one read of the whole head costs.
func TestHandshakeDrippedToTheLimit(t *testing.T) {
	full := dripUpgrade(t, handshake.DefaultMaxHeadSize)
	for _, tc := range []struct {
		name   string
		head   string
		status int
	}{
		{"complete head of the limit's size", full, 101},
		{"limit reached, head unfinished", full[:len(full)-2] + "XX", 431},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const timeout = 3 * time.Second
			s := New(Config{HandshakeTimeout: timeout})
			client, server := net.Pipe()
			done := make(chan struct{})
			go func() {
				defer close(done)
				(&conn{srv: s, nc: server}).serve(false)
			}()
			defer func() {
				client.Close()
				<-done
			}()
			client.SetDeadline(time.Now().Add(timeout))
			begin := time.Now()
			for i := range len(tc.head) {
				if _, err := client.Write([]byte{tc.head[i]}); err != nil {
					t.Fatalf("byte %d of %d not read: %v", i, len(tc.head), err)
				}
			}
			resp, err := http.ReadResponse(bufio.NewReader(client), nil)
			if err != nil {
				t.Fatalf("no answer to a dripped head of %d bytes after %v: %v", len(tc.head), time.Since(begin), err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			t.Logf("%d bytes dripped and answered in %v", len(tc.head), time.Since(begin))
		})
	}
}
