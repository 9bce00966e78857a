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
// A message that arrives in one frame within one read is echoed in one
// frame; any other is echoed in frames of at most 64 KiB, the chunks it
// was held in, so that echoing never copies a message whole or keeps a
// buffer of its size (RFC 6455 section 5.4 lets an endpoint fragment what
// it sends).
//
// It speaks permessage-deflate (RFC 7692) when a client offers it, unless
// Config.DisableDeflate is set.
//
// The server has a handshake timeout, an idle timeout, a close timeout, a
// message size limit, a memory budget for the messages all connections
// are reassembling, and a connection limit, and shuts down gracefully:
// open connections get a Close with 1001 (going away).
package loopback

import (
	"compress/flate"
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
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
	DefaultMaxBuffered      = 256 << 20
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
	// CloseTimeout bounds the closing handshake: from the moment the
	// server sends its Close (after the idle timeout, for a message over
	// the memory budget, in Shutdown) or receives the client's, the
	// connection ends within CloseTimeout, whatever the client sends
	// meanwhile. It is a deadline, not a timeout per read: a client that
	// keeps sending pings or single bytes instead of its Close does not
	// extend it. It also bounds each write to the client.
	CloseTimeout time.Duration
	// MaxMessage is the largest message the server accepts; larger ones
	// fail the connection with 1009 (R-10.4-limits).
	MaxMessage uint64
	// MaxBuffered is the memory budget, in bytes, for the messages being
	// reassembled for echo, summed over all connections (R-10.4-limits).
	// The default, DefaultMaxBuffered (256 MiB), holds 16 messages of the
	// default MaxMessage at once, so that "wskit conform" running 16
	// cases at a time with Autobahn's largest messages (16 MiB, category
	// 9) still fits, while a crowd of clients each holding an unfinished
	// message cannot take more. Beyond the budget a connection costs a
	// fixed amount (read and write buffers, about 100 KiB at most), so
	// the server's memory stays within MaxBuffered plus MaxConns times
	// that. A MaxBuffered below MaxMessage refuses the largest messages
	// every time.
	//
	// A connection whose message needs more than is left is closed with
	// 1013 (Try Again Later, in the close code registry of RFC 6455
	// section 11.7, to which section 7.4.2 leaves 1000-2999), and the
	// part of its message already held is released at once; until the
	// client's Close arrives, the rest of its data is skipped unread
	// (codec.Conn.DiscardData), so the rest of a compressed message is
	// never inflated. Section 10.4
	// asks for limits on the message size after reassembly; MaxMessage is
	// the limit per message (1009), the budget the one that bounds the
	// server's memory. 1009 would be wrong for it: the message is within
	// MaxMessage and may well be accepted once other messages have ended,
	// which is what 1013 says. Backpressure (not reading that connection
	// until the budget frees) was rejected: a message's size is not known
	// until it ends, so connections each holding part of a message can
	// fill the budget with none able to finish, each waiting for the
	// others while it keeps its memory and its slot; and a connection that
	// is not read cannot have its pings answered or its Close received.
	MaxBuffered int64
	// MaxConns is the most connections served at once; further ones get
	// HTTP 503 as soon as their request head is read, without waiting
	// for a slot. On a loopback server this limit is the answer to a
	// flood of connections: each connection costs a goroutine and fixed
	// buffers until its handshake timeout or idle timeout ends it, and
	// what is beyond the limit is refused. A flood that holds every slot
	// makes every new client get 503 for as long as it lasts; raise the
	// limit (wskit serve -max-conns) or lower the timeouts for hostile
	// clients.
	MaxConns int
	// Name is sent in the Server header field; empty means "wskit-loopback".
	Name string
	// DisableDeflate turns permessage-deflate (RFC 7692) off. By default
	// the server accepts the client's first valid permessage-deflate
	// offer, as package deflate's ServerOptions do (declining invalid
	// ones, D-7-server-decline), compresses what it echoes at
	// flate.BestSpeed and decompresses what it receives, within
	// MaxMessage after inflating (a decompression bomb fails with 1009).
	DisableDeflate bool
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
	if c.MaxBuffered <= 0 {
		c.MaxBuffered = DefaultMaxBuffered
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
	cfg     Config
	hs      handshake.Server
	deflate *deflate.ServerOptions // nil when Config.DisableDeflate
	budget  budget                 // Config.MaxBuffered

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	closed    bool
	wg        sync.WaitGroup // one per connection goroutine
}

// New returns a Server with the given configuration.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:       cfg,
		hs:        handshake.Server{Header: handshake.Header{{Name: "Server", Value: cfg.Name}}},
		budget:    budget{limit: cfg.MaxBuffered},
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
	}
	if !cfg.DisableDeflate {
		// Connections without context takeover borrow a compressor per
		// message from the pool, so that idle ones hold none.
		s.deflate = &deflate.ServerOptions{Pool: &writerPool{}}
		s.hs.NegotiateExtensions = s.deflate.NegotiateExtensions
	}
	return s
}

// writerPool lends compress/flate writers to the connections that
// compress each message with a fresh window (deflate.WriterPool).
type writerPool [12]sync.Pool // levels -2 to 9

func (p *writerPool) Get(level int) *flate.Writer {
	w, _ := p[level+2].Get().(*flate.Writer)
	return w
}

func (p *writerPool) Put(level int, w *flate.Writer) { p[level+2].Put(w) }

// Buffered returns the bytes of message data the server holds now, over
// all connections, for messages it is reassembling: what is taken from
// Config.MaxBuffered, never more than it.
func (s *Server) Buffered() int64 { return s.budget.used.Load() }

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
// ended (each within Config.CloseTimeout of its Close) or ctx is done;
// then it closes whatever is left. It returns ctx.Err() if it had to
// force connections closed.
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

	// mu guards the setting of ws and away, and the read deadline's
	// choice between them: Shutdown (goAway) and the serving goroutine
	// both look at them. Only the serving goroutine calls ws's methods
	// and writes to nc once ws is set, and no lock is held across a
	// write: goAway asks the serving goroutine to say goodbye instead of
	// writing itself.
	mu   sync.Mutex
	ws   *codec.Conn
	away bool // Shutdown asked for a Close with 1001
	// closeBy is when the connection ends at the latest, set once (under
	// mu, by the serving goroutine), when the first Close is sent or
	// received: the close timeout is a deadline for the whole closing
	// handshake, never extended by what the client sends meanwhile.
	closeBy time.Time

	// The rest is the serving goroutine's.
	inflates bool             // permessage-deflate was agreed: see receive
	msg      message          // the message being reassembled
	large    *[largeRead]byte // the pooled read buffer, while reads fill the small one (see echo)
	heads    []byte           // the frame headers of one batch of echoMessage
	vec      [][]byte         // what writev hands to bufs, reused
	bufs     net.Buffers      // written with one writev

	// The deadlines are set lazily: see setReadDeadline and armWrite.
	now      time.Time // when the last read returned, or the last write began after it
	nowUsed  bool      // a write since the last read took now as its start: see armWrite
	lastRead time.Time // when the last read returned bytes
	wd       time.Time // the write deadline set on nc since the handshake, or zero
	// rd is the read deadline set on nc since the handshake, or zero,
	// under mu (goAway sets it too).
	rd time.Time
}

// serve runs the connection: the opening handshake, then the echo loop.
func (c *conn) serve(full bool) {
	defer c.nc.Close()
	defer c.msg.release(&c.srv.budget)
	cfg := c.srv.cfg
	c.nc.SetDeadline(time.Now().Add(cfg.HandshakeTimeout))
	buf, rest, ok := c.handshake(full)
	if !ok {
		return
	}
	c.echo(buf, rest)
}

// handshake reads and answers the opening handshake. It returns its read
// buffer (smallRead bytes, for the echo loop to go on with), the bytes
// that followed the request head (in that buffer) and whether the
// connection is now a WebSocket connection.
func (c *conn) handshake(full bool) (buf, rest []byte, ok bool) {
	r := handshake.NewRequestReader(0)
	buf = make([]byte, smallRead)
	for {
		m, err := c.nc.Read(buf)
		req, rest, perr := r.Feed(buf[:m])
		if perr != nil {
			var rej *handshake.Rejection
			if errors.As(perr, &rej) {
				c.nc.Write(rej.Response())
			}
			return nil, nil, false
		}
		if req != nil {
			return buf, rest, c.answer(req, full)
		}
		if err != nil {
			return nil, nil, false
		}
	}
}

// answer accepts or rejects a parsed request. It reports whether the
// connection is now a WebSocket connection.
func (c *conn) answer(req *handshake.Request, full bool) bool {
	if !req.IsWebSocket() && req.Method == "GET" {
		c.page(req)
		return false
	}
	if full {
		c.nc.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
		return false
	}
	acc, err := c.srv.hs.Accept(req)
	if err != nil {
		var rej *handshake.Rejection
		if errors.As(err, &rej) {
			c.nc.Write(rej.Response())
		}
		return false
	}
	// With permessage-deflate agreed, the Conn compresses what it sends
	// and inflates what it receives (D-5-use-agreed); otherwise it is
	// plain.
	ws, err := c.srv.deflate.NewConn(acc, codec.ConnOptions{Role: codec.RoleServer, MaxMessage: c.srv.cfg.MaxMessage})
	if err != nil {
		return false // unreachable: the options are valid, and the acceptance is the server's own
	}
	c.inflates = len(acc.Extensions) > 0
	// c.ws is set, under c.mu, before the 101 is written, and the lock is
	// not held across the write: a Shutdown that comes first closes the
	// connection, still in its handshake (the write then fails), and one
	// that comes later finds c.ws and asks for a goodbye (goAway), which
	// the echo loop sends after the 101. Either way an open connection is
	// never closed without a word, and goAway never waits on a client
	// that is slow to take the 101.
	c.mu.Lock()
	c.ws = ws
	c.mu.Unlock()
	_, err = c.nc.Write(acc.Response)
	return err == nil
}

// Read buffers. A connection reads into a buffer of smallRead bytes (the
// one its opening handshake was read into), which holds a small message
// whole; when a read fills it, more is surely waiting, and the next reads
// go into a buffer of largeRead bytes lent by readPool, given back as
// soon as a read leaves room in it (the socket had no more to give). An
// idle connection thus holds smallRead bytes, not largeRead; one that
// streams large messages keeps the large buffer while the stream lasts.
const (
	smallRead = 4 << 10
	largeRead = 32 << 10
)

var readPool = sync.Pool{New: func() any { return new([largeRead]byte) }}

// echo runs the WebSocket connection until it ends. small is the read
// buffer, rest the bytes in it that followed the request head.
func (c *conn) echo(small, rest []byte) {
	defer c.releaseLarge()
	c.now = time.Now()
	c.lastRead = c.now
	in := rest
	full := false // the last read filled its buffer
	for {
		if len(in) > 0 {
			if done := c.receive(in); done {
				return
			}
		}
		// Nothing refers to in any more: its buffer is free.
		buf := small
		if full {
			if c.large == nil {
				c.large = readPool.Get().(*[largeRead]byte)
			}
			buf = c.large[:]
		} else {
			c.releaseLarge()
		}
		open := c.setReadDeadline()
		n, err := c.nc.Read(buf)
		c.now, c.nowUsed = time.Now(), false
		in, full = buf[:n], n == len(buf)
		if n > 0 {
			c.lastRead = c.now
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && open {
			if !c.idle() {
				continue // the idle deadline was set before the last read: set it again
			}
			// Idle, or Shutdown asked: say goodbye and wait for the
			// answer.
			if !c.sayGoodbye() {
				return
			}
			continue
		}
		c.ws.TransportClosed()
		return
	}
}

// releaseLarge gives the large read buffer back to readPool, if it is
// held.
func (c *conn) releaseLarge() {
	if c.large != nil {
		readPool.Put(c.large)
		c.large = nil
	}
}

// setReadDeadline sets the deadline of the next read, if it changed: the
// idle deadline while the connection is open, a deadline already past if
// Shutdown asked for a goodbye (the read then times out at once, and the
// echo loop says goodbye), the close deadline once a Close went either
// way. It reports whether the connection is open. The deadline is chosen
// and set under c.mu, so that a goAway cannot slip in between and have
// its deadline replaced by an idle one.
//
// The idle deadline is IdleTimeout after the last read that returned
// bytes. Setting it costs a lock and a timer update in the runtime, so it
// is set once, and again only when it passes (see idle): by then the
// connection either was idle for IdleTimeout or has read since, and the
// deadline moves to IdleTimeout after that read.
func (c *conn) setReadDeadline() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws.State() == codec.StateOpen {
		if c.away {
			c.rd = longAgo
			c.nc.SetReadDeadline(longAgo)
		} else if c.rd.IsZero() {
			c.rd = c.lastRead.Add(c.srv.cfg.IdleTimeout)
			c.nc.SetReadDeadline(c.rd)
		}
		return true
	}
	c.startClosingLocked()
	if !c.rd.Equal(c.closeBy) {
		c.rd = c.closeBy
		c.nc.SetReadDeadline(c.closeBy)
	}
	return false
}

// idle is called when a read of the open connection timed out. It
// reports whether the connection is to say goodbye: Shutdown asked, or
// nothing was read for IdleTimeout. Otherwise the idle deadline was set
// before the last read that returned bytes; idle clears it, and the next
// setReadDeadline sets it again from that read.
func (c *conn) idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.away || c.now.Sub(c.lastRead) >= c.srv.cfg.IdleTimeout {
		return true
	}
	c.rd = time.Time{}
	return false
}

// longAgo is a deadline that has passed.
var longAgo = time.Unix(1, 0)

// startClosing sets the close deadline, if it is not set yet.
func (c *conn) startClosing() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.startClosingLocked()
}

// startClosingLocked is startClosing with c.mu held. (closeBy is written
// under c.mu, for goAway; the serving goroutine, its only writer, reads
// it without.)
func (c *conn) startClosingLocked() {
	if c.closeBy.IsZero() {
		c.closeBy = time.Now().Add(c.srv.cfg.CloseTimeout)
	}
}

// receive feeds bytes to the Conn, echoes the messages they complete and
// writes everything owed. It reports whether the connection is over.
func (c *conn) receive(p []byte) bool {
	if !c.inflates {
		return c.receiveSome(p)
	}
	// A compressed message inflates up to about 1032 times its size, and
	// the Conn holds what one Receive inflates until the next: fed a
	// whole 32 KiB read of a decompression bomb, it would hold up to
	// MaxMessage beside the copy in c.msg. Fed inflateStep octets at a
	// time, it holds about 1 MiB at most, so a bomb costs the server
	// MaxMessage (counted in the budget) plus that.
	for len(p) > 0 {
		n := min(len(p), inflateStep)
		if c.receiveSome(p[:n]) {
			return true
		}
		p = p[n:]
	}
	return false
}

// inflateStep bounds the compressed input of one Conn.Receive: see
// receive.
const inflateStep = 1 << 10

// receiveSome hands p to the Conn and echoes what it completes. It
// reports true if the connection is over.
func (c *conn) receiveSome(p []byte) bool {
	b := &c.srv.budget
	events, rerr := c.ws.Receive(p)
	for i := 0; i < len(events); i++ {
		ev := events[i]
		switch ev.Kind {
		case codec.EventMessageStart:
			c.msg.release(b)
			c.msg.op = ev.Opcode
			// A whole message in this read, in one piece: echo it from
			// the read buffer, without holding or copying it.
			if i+2 < len(events) && events[i+1].Kind == codec.EventPayload && events[i+2].Kind == codec.EventMessageEnd {
				if !c.write(c.ws.SendMessageBuffers(ev.Opcode, events[i+1].Data)) {
					return true
				}
				i += 2
			}
		case codec.EventPayload:
			if c.ws.CloseSent() {
				continue // it can never be echoed: do not hold it
			}
			if !c.msg.add(b, ev.Data) {
				// Over the memory budget: drop the message and ask the
				// client to come back later (see Config.MaxBuffered).
				c.msg.release(b)
				if !c.send(c.ws.SendClose(spec.CloseTryAgainLater, "")) {
					return true
				}
			}
		case codec.EventMessageEnd:
			if !c.echoMessage() {
				return true
			}
			c.msg.release(b)
		}
	}
	if c.ws.State() != codec.StateOpen {
		// A Close went either way: no more echoes, and nothing more
		// of a message to read but its frames (the rest of a
		// decompression bomb is skipped, not inflated).
		c.msg.release(b)
		c.ws.DiscardData()
		c.startClosing()
	}
	if !c.send(c.ws.Outgoing(), nil) {
		return true
	}
	if rerr != nil || c.ws.ShouldCloseTransport() {
		return true // the deferred Close in serve closes TCP first
	}
	return false
}

// echoMessage echoes the message reassembled in c.msg, one frame per
// chunk, each written from its chunk after its header; without
// compression, up to echoBatch frames go out in one writev. It reports
// false if the connection is over.
func (c *conn) echoMessage() bool {
	chunks := c.msg.chunks
	if len(chunks) <= 1 {
		var p []byte
		if len(chunks) == 1 {
			p = chunks[0]
		}
		return c.write(c.ws.SendMessageBuffers(c.msg.op, p))
	}
	for start := 0; start < len(chunks); start += echoBatch {
		batch := chunks[start:min(start+echoBatch, len(chunks))]
		// The Conn reuses the buffer of each head it returns: the
		// headers are copied to c.heads, and the batch is put together
		// once they are all there.
		c.heads = c.heads[:0]
		var ends [echoBatch]int
		var bodies [echoBatch][]byte
		for j, p := range batch {
			i := start + j
			op := spec.OpContinuation
			if i == 0 {
				op = c.msg.op
			}
			head, body, err := c.ws.SendFrameBuffers(i == len(chunks)-1, op, p)
			if err != nil {
				return true // nothing is to be sent: see write
			}
			if c.inflates {
				// A compressed frame is all in head: written at once,
				// not copied.
				if !c.write(head, body, nil) {
					return false
				}
				continue
			}
			c.heads = append(c.heads, head...)
			ends[j], bodies[j] = len(c.heads), body
		}
		if c.inflates {
			continue
		}
		c.vec = c.vec[:0]
		from := 0
		for j := range batch {
			c.vec = append(c.vec, c.heads[from:ends[j]])
			if len(bodies[j]) > 0 {
				c.vec = append(c.vec, bodies[j])
			}
			from = ends[j]
		}
		if !c.writev() {
			return false
		}
	}
	return true
}

// echoBatch is the most frames of a reassembled message that echoMessage
// writes at once: at most 256 KiB (four chunks of 64 KiB), in one write
// deadline.
const echoBatch = 4

// send writes b, bytes the Conn returned with err; see write.
func (c *conn) send(b []byte, err error) bool { return c.write(b, nil, err) }

// write writes head and then body, what the Conn returned with err (body
// is a payload the Conn did not copy: the read buffer's or a chunk of
// c.msg), in one writev. An error from the Conn means nothing is to be
// sent: after our Close no data goes out (R-5.5.1-no-data-after-close).
// It reports false if the write failed; the connection is then over.
func (c *conn) write(head, body []byte, err error) bool {
	if err != nil || len(head)+len(body) == 0 {
		return true
	}
	if len(body) == 0 {
		c.armWrite()
		if _, err := c.nc.Write(head); err != nil {
			c.ws.TransportClosed()
			return false
		}
		return true
	}
	c.vec = append(c.vec[:0], head, body)
	return c.writev()
}

// writev writes the buffers of c.vec with one writev and forgets them. It
// reports false if the write failed; the connection is then over.
func (c *conn) writev() bool {
	c.armWrite()
	c.bufs = c.vec
	_, err := c.bufs.WriteTo(c.nc)
	clear(c.vec)
	c.vec = c.vec[:0]
	c.bufs = nil
	if err != nil {
		c.ws.TransportClosed()
		return false
	}
	return true
}

// armWrite bounds the next write by the close timeout, and by the close
// deadline once that is set. The write deadline is moved only when it
// would move by more than a sixteenth of the close timeout (a deadline
// costs a lock and a timer update in the runtime): each write is given
// at least 15/16 of the close timeout and at most all of it. The first
// write after a read counts from the end of the read (c.now: no clock
// reading of its own, for the common echo of one message per read); any
// further one reads the clock.
func (c *conn) armWrite() {
	if c.nowUsed {
		c.now = time.Now()
	}
	c.nowUsed = true
	timeout := c.srv.cfg.CloseTimeout
	deadline := c.now.Add(timeout)
	if !c.closeBy.IsZero() && c.closeBy.Before(deadline) {
		deadline = c.closeBy
	}
	if c.wd.IsZero() || deadline.Before(c.wd) || deadline.Sub(c.wd) > timeout/16 {
		c.wd = deadline
		c.nc.SetWriteDeadline(deadline)
	}
}

// sayGoodbye sends a Close with 1001 (going away), unless a Close was
// already sent, and starts the close deadline: the serving goroutine does
// it when the connection was idle for too long or Shutdown asked. It
// reports false if the write failed.
func (c *conn) sayGoodbye() bool {
	b, err := c.ws.SendClose(spec.CloseGoingAway, "")
	if err != nil {
		return true
	}
	c.startClosing()
	return c.send(b, nil)
}

// goAway asks for a Close with 1001 on an open connection: it wakes the
// serving goroutine's read, which then says goodbye (see setReadDeadline)
// and waits for the answer until the close deadline. It never writes, so
// it never waits on a slow client. A connection still in its opening
// handshake is closed; one that is closing already is left to its close
// deadline.
func (c *conn) goAway() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ws == nil {
		c.nc.Close() // still in the opening handshake: nothing to say goodbye to
		return
	}
	if !c.closeBy.IsZero() {
		return // closing already, within its deadline
	}
	c.away = true
	c.nc.SetReadDeadline(longAgo)
}
