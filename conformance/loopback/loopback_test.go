package loopback

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// start runs a server on 127.0.0.1 and returns it with its address. The
// test's cleanup closes it.
func start(t *testing.T, cfg Config) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return s, ln.Addr().String()
}

// client is a minimal WebSocket client for the tests, built on the same
// packages.
type client struct {
	t      *testing.T
	nc     net.Conn
	ws     *codec.Conn
	in     []byte        // bytes read after the handshake, not yet received
	queued []codec.Event // events received, not yet returned
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	var nonce [16]byte
	rand.Read(nonce[:])
	req, err := handshake.NewRequest("ws://"+addr+"/", nonce, handshake.RequestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nc.Write(req.Append(nil))
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	var buf []byte
	tmp := make([]byte, 4096)
	for {
		resp, n, err := handshake.ParseResponse(buf, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			if _, err := handshake.VerifyResponse(req, resp); err != nil {
				t.Fatal(err)
			}
			ws, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: rand.Reader})
			if err != nil {
				t.Fatal(err)
			}
			return &client{t: t, nc: nc, ws: ws, in: buf[n:]}
		}
		m, err := nc.Read(tmp)
		if err != nil {
			t.Fatalf("reading the handshake response: %v", err)
		}
		buf = append(buf, tmp[:m]...)
	}
}

func (c *client) send(b []byte, err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// next returns the next event from the server, or an error when the
// connection ends first.
func (c *client) next() (codec.Event, error) {
	tmp := make([]byte, 64<<10)
	for {
		if len(c.queued) > 0 {
			ev := c.queued[0]
			c.queued = c.queued[1:]
			return ev, nil
		}
		if len(c.in) > 0 {
			p := c.in
			c.in = nil
			evs, err := c.ws.Receive(p)
			for _, ev := range evs {
				ev.Data = append([]byte(nil), ev.Data...)
				c.queued = append(c.queued, ev)
			}
			if err != nil {
				return codec.Event{}, err
			}
			continue
		}
		n, err := c.nc.Read(tmp)
		if err != nil {
			return codec.Event{}, err
		}
		c.in = tmp[:n]
	}
}

// expectClose reads until the server's Close and then the end of TCP, and
// returns the close code.
func (c *client) expectClose() spec.CloseCode {
	c.t.Helper()
	for {
		ev, err := c.next()
		if err != nil {
			c.t.Fatalf("no Close before %v", err)
		}
		if ev.Kind == codec.EventClose {
			c.send(c.ws.Outgoing(), nil) // the echo
			// The server closes TCP first. After failing the connection
			// it may close without waiting for our Close (R-7.1.7-fail),
			// which then meets a closed socket: a reset instead of EOF.
			if _, err := c.nc.Read(make([]byte, 1)); err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
				c.t.Errorf("after the closing handshake: %v, want EOF (or a reset) from the server", err)
			}
			return ev.Code
		}
	}
}

// TestConformance runs the catalogue against the loopback server: every
// case must pass (behavior OK or INFORMATIONAL, close OK). Of categories
// 12 and 13 (216 cases of 1,000 compressed round trips each, about two
// minutes without the race detector) it runs rows 1, 4 and 11 of every
// sub-category: the smallest messages, 1 KiB, and 8 KiB in frames of 256
// octets; "wskit conform" runs them all.
func TestConformance(t *testing.T) {
	_, addr := start(t, Config{})
	tg, err := conformance.NewTarget("ws://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := autobahn.Select(nil, []string{"12.*.*", "13.*.*"})
	if err != nil {
		t.Fatal(err)
	}
	sample, err := autobahn.Select([]string{"12.*.1", "12.*.4", "12.*.11", "13.*.1", "13.*.4", "13.*.11"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, sample...)
	results, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Parallel: 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(cases) || len(sample) != 36 {
		t.Fatalf("%d results of %d cases, %d of 12 and 13", len(results), len(cases), len(sample))
	}
	for _, r := range results {
		okBehavior := r.Behavior == conformance.OK || r.Behavior == conformance.Informational
		okClose := r.BehaviorClose == conformance.OK || r.BehaviorClose == conformance.Informational
		if !okBehavior || !okClose {
			t.Errorf("%s: %s/%s: %s", r.ID, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}

func TestEcho(t *testing.T) {
	_, addr := start(t, Config{})
	c := dial(t, addr)
	c.send(c.ws.SendMessage(spec.OpText, []byte("héllo")))
	for _, want := range []codec.EventKind{codec.EventMessageStart, codec.EventPayload, codec.EventMessageEnd} {
		ev, err := c.next()
		if err != nil || ev.Kind != want {
			t.Fatalf("event %v %v, want %v", ev.Kind, err, want)
		}
		if ev.Kind == codec.EventPayload && string(ev.Data) != "héllo" {
			t.Errorf("echo %q", ev.Data)
		}
	}
	c.send(c.ws.SendClose(spec.CloseNormal, ""))
	if code := c.expectClose(); code != spec.CloseNormal {
		t.Errorf("close code %v", code)
	}
}

func TestMessageLimit(t *testing.T) {
	_, addr := start(t, Config{MaxMessage: 10})
	c := dial(t, addr)
	c.send(c.ws.SendMessage(spec.OpBinary, make([]byte, 10))) // just under: echoed
	if ev, _ := c.next(); ev.Kind != codec.EventMessageStart {
		t.Fatalf("10-byte message not echoed: %v", ev.Kind)
	}
	c.next()
	c.next()
	c.send(c.ws.SendMessage(spec.OpBinary, make([]byte, 11))) // just over
	if code := c.expectClose(); code != spec.CloseMessageTooBig {
		t.Errorf("close code %v, want 1009", code)
	}
}

// TestEchoPipelined: messages of every size class around the read
// buffers (4 and 32 KiB) and the chunks (16-64 KiB), sent back to back
// without waiting for their echoes, so that reads end anywhere in them,
// come back in order with their payloads, however the server fragments
// them (RFC 6455 section 5.4).
func TestEchoPipelined(t *testing.T) {
	_, addr := start(t, Config{})
	c := dial(t, addr)
	sizes := []int{0, 1, 125, 4095, 4096, 4097, 20000, 32 << 10, 64 << 10, 64<<10 + 14, 300000, 1 << 20, 16, 2000}
	payload := func(i, n int) []byte {
		p := make([]byte, n)
		for j := range p {
			p[j] = 'a' + byte((i*7+j)%26)
		}
		return p
	}
	var frames []byte
	for i, n := range sizes {
		op := spec.OpBinary
		if i%2 == 1 {
			op = spec.OpText
		}
		b, err := c.ws.SendMessage(op, payload(i, n))
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, b...)
	}
	go c.nc.Write(frames) // fails only once the test has ended
	for i, n := range sizes {
		var got []byte
		ev, err := c.next()
		if err != nil || ev.Kind != codec.EventMessageStart {
			t.Fatalf("message %d: %v %v, want its start", i, ev.Kind, err)
		}
		for ev.Kind != codec.EventMessageEnd {
			if ev, err = c.next(); err != nil {
				t.Fatalf("message %d: %v", i, err)
			}
			got = append(got, ev.Data...)
		}
		if !bytes.Equal(got, payload(i, n)) {
			t.Fatalf("message %d: %d bytes echoed, want its %d", i, len(got), n)
		}
	}
}

// TestIdleTimeoutMoves: a connection that keeps receiving is not idle,
// however long it lasts: the idle deadline follows the last read, though
// the server sets it only when it passes.
func TestIdleTimeoutMoves(t *testing.T) {
	// Long enough that a loaded machine does not stall the client for an
	// idle timeout between two messages.
	const idle = time.Second
	_, addr := start(t, Config{IdleTimeout: idle})
	c := dial(t, addr)
	until := time.Now().Add(2 * idle)
	for i := 0; time.Now().Before(until) && i < 1000; i++ {
		c.send(c.ws.SendMessage(spec.OpBinary, []byte("ping")))
		for {
			ev, err := c.next()
			if err != nil {
				t.Fatal(err)
			}
			if ev.Kind == codec.EventClose {
				t.Fatalf("closed with %v while active (message %d)", ev.Code, i)
			}
			if ev.Kind == codec.EventMessageEnd {
				break
			}
		}
		time.Sleep(idle / 20)
	}
	if code := c.expectClose(); code != spec.CloseGoingAway {
		t.Errorf("close code %v once idle, want 1001", code)
	}
}

// TestIdleTimeout: the server may close at any time, and does so with the
// closing handshake (R-7.3-who-closes, R-7.1.2-start-close).
func TestIdleTimeout(t *testing.T) {
	const idle = 100 * time.Millisecond
	_, addr := start(t, Config{IdleTimeout: idle})
	// The server's last read comes after the dial starts, so a server
	// that keeps its timeout closes no sooner than idle after this,
	// however slow the machine.
	start := time.Now()
	c := dial(t, addr)
	if code := c.expectClose(); code != spec.CloseGoingAway {
		t.Errorf("close code %v, want 1001", code)
	}
	if d := time.Since(start); d < idle {
		t.Errorf("closed after %v, before the idle timeout", d)
	}
}

// TestHandshakeTimeout: a server giving up during the opening handshake
// just closes TCP (R-7.2.2-server-abort).
func TestHandshakeTimeout(t *testing.T) {
	_, addr := start(t, Config{HandshakeTimeout: 100 * time.Millisecond})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n")) // never finished
	nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(nc); err != nil {
		t.Errorf("the server did not close the connection: %v", err)
	}
}

func TestMaxConns(t *testing.T) {
	_, addr := start(t, Config{MaxConns: 1})
	dial(t, addr) // the one allowed
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 503 {
		t.Errorf("status %d, want 503", resp.StatusCode)
	}
}

func TestPage(t *testing.T) {
	_, addr := start(t, Config{})
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "new WebSocket(") || strings.Contains(string(body), "http://") {
		t.Errorf("GET /: %d\n%s", resp.StatusCode, body)
	}
	if resp, err := http.Get("http://" + addr + "/nope"); err != nil || resp.StatusCode != 404 {
		t.Errorf("GET /nope: %v %v", resp, err)
	}
	// A bad handshake gets the handshake package's rejection, with an
	// HTTP status that says what was wrong (R-10.7-http-status).
	nc, _ := net.Dial("tcp", addr)
	defer nc.Close()
	nc.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"))
	resp, err = http.ReadResponse(bufio.NewReader(nc), nil)
	if err != nil || resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET" {
		t.Errorf("POST: %v %v", resp, err)
	}
}

// TestShutdown checks the graceful shutdown: every open connection gets a
// Close with 1001, the server closes TCP after the client answers, Serve
// returns ErrServerClosed, and no goroutine is left behind.
func TestShutdown(t *testing.T) {
	before := runtime.NumGoroutine()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{})
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	addr := ln.Addr().String()
	clients := []*client{dial(t, addr), dial(t, addr), dial(t, addr)}
	half, _ := net.Dial("tcp", addr) // a connection still in its opening handshake
	defer half.Close()

	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	for _, c := range clients {
		if code := c.expectClose(); code != spec.CloseGoingAway {
			t.Errorf("close code %v, want 1001", code)
		}
		c.nc.Close()
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener still accepts")
	}
	half.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// TestShutdownDeadline: a client that never answers the Close is cut off
// when the context ends.
func TestShutdownDeadline(t *testing.T) {
	s, addr := start(t, Config{CloseTimeout: time.Minute})
	dial(t, addr)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want the context's error", err)
	}
}

// TestHandshakeDripped: a head sent one byte at a time is still answered,
// and so is one whose lines end in a bare LF (a 400, once the line ends).
func TestHandshakeDripped(t *testing.T) {
	_, addr := start(t, Config{})
	head := "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	for _, tc := range []struct {
		head   string
		status int
	}{
		{head, 101},
		{strings.ReplaceAll(head, "\r\n", "\n"), 400},
	} {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		for i := range len(tc.head) {
			nc.Write([]byte{tc.head[i]})
		}
		nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(nc), nil)
		nc.Close()
		if err != nil || resp.StatusCode != tc.status {
			t.Errorf("dripped head: %v %v, want %d", resp, err, tc.status)
		}
	}
}

// TestEchoPage: a plain GET of "/" gets the self-contained echo page (the
// browser test in .ci/browser.sh drives it through these element IDs);
// any other resource gets 404, and neither is upgraded.
func TestEchoPage(t *testing.T) {
	_, addr := start(t, Config{})
	get := func(target string) string {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(5 * time.Second))
		nc.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"))
		b, err := io.ReadAll(nc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	page := get("/")
	if !strings.HasPrefix(page, "HTTP/1.1 200 OK\r\n") || !strings.Contains(page, "Content-Type: text/html; charset=utf-8") {
		t.Fatalf("GET / answered %q", page[:min(len(page), 200)])
	}
	for _, id := range []string{`id="state"`, `id="extensions"`, `id="protocol"`, `id="message"`, `id="send"`, `id="log"`, "window.wskitEcho"} {
		if !strings.Contains(page, id) {
			t.Errorf("the echo page lacks %s", id)
		}
	}
	for _, external := range []string{"src=", "href=", "@import", "url("} {
		if strings.Contains(page, external) {
			t.Errorf("the echo page refers to something else (%s)", external)
		}
	}
	if other := get("/nope"); !strings.HasPrefix(other, "HTTP/1.1 404 ") {
		t.Errorf("GET /nope answered %q", other[:min(len(other), 200)])
	}
}
