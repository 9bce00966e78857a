// Package loopback is a strict WebSocket echo server built only on wskit's
// own handshake and codec packages, for testing clients and as the
// default target of "wskit conform".
//
// It echoes every text and binary message with the same type and payload,
// answers pings, completes the closing handshake and closes TCP first, as
// RFC 6455 asks of servers (R-5.5.1-close-tcp), and fails the connection
// with the right close code on any protocol violation. A plain HTTP GET of
// "/" gets a small page that echoes through the server from a browser.
//
// The server has a handshake timeout, an idle timeout, a message size
// limit and a connection limit, and shuts down gracefully: open
// connections get a Close with 1001 (going away).
package loopback

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// Defaults for Config's zero values.
const (
	DefaultHandshakeTimeout = 5 * time.Second
	DefaultIdleTimeout      = 60 * time.Second
	DefaultCloseTimeout     = 5 * time.Second
	DefaultMaxConns         = 1024
	DefaultMaxMessage       = 16 << 20
)

// Config configures a Server. The zero Config is usable: every zero field
// means its default.
type Config struct {
	// HandshakeTimeout bounds the opening handshake, from accepting the
	// TCP connection to writing the 101 response.
	HandshakeTimeout time.Duration
	// IdleTimeout closes a connection (1001) that received nothing for
	// this long.
	IdleTimeout time.Duration
	// CloseTimeout bounds the wait for the client's answer to a Close the
	// server sent, after which the server closes TCP anyway.
	CloseTimeout time.Duration
	// MaxMessage is the largest message the server accepts; larger ones
	// fail the connection with 1009 (R-10.4-limits).
	MaxMessage uint64
	// MaxConns is the most connections served at once; further ones get
	// HTTP 503.
	MaxConns int
	// Name is sent in the Server header field; empty means "wskit-loopback".
	Name string
}

func (c Config) withDefaults() Config {
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = DefaultCloseTimeout
	}
	if c.MaxMessage == 0 {
		c.MaxMessage = DefaultMaxMessage
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.Name == "" {
		c.Name = "wskit-loopback"
	}
	return c
}

// ErrServerClosed is returned by Serve after Shutdown or Close.
var ErrServerClosed = errors.New("loopback: server closed")

// A Server is the echo server. Create it with New, start it with Serve,
// stop it with Shutdown or Close.
type Server struct {
	cfg Config
	hs  handshake.Server

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	closed    bool
	wg        sync.WaitGroup // one per connection goroutine
}

// New returns a Server with the given configuration.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	return &Server{
		cfg:       cfg,
		hs:        handshake.Server{Header: handshake.Header{{Name: "Server", Value: cfg.Name}}},
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
	}
}

// Serve accepts connections on ln and serves each in its own goroutine
// until Shutdown or Close; it then returns ErrServerClosed. Any other
// error from ln.Accept is returned as is (temporary errors are retried).
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
	}()
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		c := &conn{srv: s, nc: nc}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		full := len(s.conns) >= s.cfg.MaxConns
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer s.forget(c)
			c.serve(full)
		}()
	}
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Shutdown stops accepting connections, sends a Close with 1001 (going
// away) to every open WebSocket connection, and waits until they have all
// ended or ctx is done; then it closes whatever is left. It returns
// ctx.Err() if it had to force connections closed.
func (s *Server) Shutdown(ctx context.Context) error {
	conns := s.stop()
	for _, c := range conns {
		c.goAway()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, c := range conns {
			c.nc.Close()
		}
		<-done
		return ctx.Err()
	}
}

// Close stops the server at once: listeners and connections are closed
// without a closing handshake. It waits for the connection goroutines to
// end.
func (s *Server) Close() error {
	for _, c := range s.stop() {
		c.nc.Close()
	}
	s.wg.Wait()
	return nil
}

// stop marks the server closed, closes its listeners and returns the
// connections open at that moment.
func (s *Server) stop() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for ln := range s.listeners {
		ln.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}

// conn is one client connection.
type conn struct {
	srv *Server
	nc  net.Conn

	// mu guards ws and writes to nc: the serving goroutine and Shutdown
	// both send.
	mu sync.Mutex
	ws *codec.Conn
}

// serve runs the connection: the opening handshake, then the echo loop.
func (c *conn) serve(full bool) {
	defer c.nc.Close()
	cfg := c.srv.cfg
	c.nc.SetDeadline(time.Now().Add(cfg.HandshakeTimeout))
	rest, ok := c.handshake(full)
	if !ok {
		return
	}
	c.echo(rest)
}

// handshake reads and answers the opening handshake. It returns the bytes
// that followed the request head and whether the connection is now a
// WebSocket connection.
func (c *conn) handshake(full bool) ([]byte, bool) {
	r := handshake.NewRequestReader(0)
	buf := make([]byte, 4096)
	for {
		m, err := c.nc.Read(buf)
		req, rest, perr := r.Feed(buf[:m])
		if perr != nil {
			var rej *handshake.Rejection
			if errors.As(perr, &rej) {
				c.nc.Write(rej.Response())
			}
			return nil, false
		}
		if req != nil {
			return c.answer(req, rest, full)
		}
		if err != nil {
			return nil, false
		}
	}
}

// answer accepts or rejects a parsed request.
func (c *conn) answer(req *handshake.Request, rest []byte, full bool) ([]byte, bool) {
	if !req.IsWebSocket() && req.Method == "GET" {
		c.page(req)
		return nil, false
	}
	if full {
		c.nc.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
		return nil, false
	}
	acc, err := c.srv.hs.Accept(req)
	if err != nil {
		var rej *handshake.Rejection
		if errors.As(err, &rej) {
			c.nc.Write(rej.Response())
		}
		return nil, false
	}
	ws, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleServer, MaxMessage: c.srv.cfg.MaxMessage})
	if err != nil {
		return nil, false // unreachable: the options are valid
	}
	// The 101 and c.ws change together under c.mu, so that Shutdown
	// either closes a connection still in its handshake or says goodbye
	// with a Close frame, never closes an open one without a word.
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.nc.Write(acc.Response); err != nil {
		return nil, false
	}
	c.ws = ws
	return append([]byte(nil), rest...), true
}

// echo runs the WebSocket connection until it ends.
func (c *conn) echo(rest []byte) {
	cfg := c.srv.cfg
	buf := make([]byte, 32<<10)
	var msg []byte
	var msgOp spec.Opcode
	in := rest
	for {
		if len(in) > 0 {
			if done := c.receive(in, &msg, &msgOp); done {
				return
			}
		}
		c.mu.Lock()
		state := c.ws.State()
		c.mu.Unlock()
		deadline := cfg.IdleTimeout
		if state != codec.StateOpen {
			deadline = cfg.CloseTimeout
		}
		c.nc.SetReadDeadline(time.Now().Add(deadline))
		n, err := c.nc.Read(buf)
		if n > 0 {
			in = buf[:n]
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && state == codec.StateOpen {
			// Idle: say goodbye and wait for the answer.
			c.goAway()
			in = nil
			continue
		}
		c.mu.Lock()
		c.ws.TransportClosed()
		c.mu.Unlock()
		return
	}
}

// receive feeds bytes to the Conn, echoes the messages they complete and
// writes everything owed. It reports whether the connection is over.
func (c *conn) receive(p []byte, msg *[]byte, msgOp *spec.Opcode) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	events, rerr := c.ws.Receive(p)
	var out []byte
	for _, ev := range events {
		switch ev.Kind {
		case codec.EventMessageStart:
			*msg, *msgOp = (*msg)[:0], ev.Opcode
		case codec.EventPayload:
			*msg = append(*msg, ev.Data...)
		case codec.EventMessageEnd:
			b, err := c.ws.SendMessage(*msgOp, *msg)
			if err != nil {
				continue // our Close already went out: no data after it
			}
			out = append(out, b...)
			if cap(*msg) > 1<<20 {
				*msg = nil // do not keep a big buffer for an idle connection
			}
		}
	}
	out = append(out, c.ws.Outgoing()...)
	if len(out) > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.CloseTimeout))
		if _, err := c.nc.Write(out); err != nil {
			c.ws.TransportClosed()
			return true
		}
	}
	if rerr != nil || c.ws.ShouldCloseTransport() {
		return true // the deferred Close in serve closes TCP first
	}
	return false
}

// goAway sends a Close with 1001 if the connection is open.
func (c *conn) goAway() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == nil {
		c.nc.Close() // still in the opening handshake: nothing to say goodbye to
		return
	}
	if c.ws.State() != codec.StateOpen {
		return
	}
	b, err := c.ws.SendClose(spec.CloseGoingAway, "")
	if err != nil {
		return
	}
	c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.CloseTimeout))
	c.nc.Write(b)
	// The reply arrives on the serving goroutine, which then closes TCP;
	// make sure it does not wait longer than CloseTimeout for it.
	c.nc.SetReadDeadline(time.Now().Add(c.srv.cfg.CloseTimeout))
}
