package bench

// In-memory transports shared by the decode and encode benchmarks, so that
// every library reads from and writes to the same kind of byte stream and
// none of them waits on a socket or a goroutine:
//
//   - stream is an endless source: it repeats a fixed byte slice forever,
//     copying into the caller's buffer on each Read, as a socket read
//     copies out of the kernel.
//   - memConn is a net.Conn over a stream (reads) and a growing byte slice
//     (writes), with no-op deadlines. Writes are copied, as a socket write
//     copies into the kernel, so a library that hands its payload to the
//     connection without copying it first still pays for one copy.
//   - hijackWriter is an http.ResponseWriter that can be hijacked, so that
//     gorilla's Upgrader and coder's Accept can turn a hand-built request
//     into a server-side connection without an HTTP server.
//
// Client-side connections need a server's 101 response carrying the accept
// key for the random nonce the library chose; memConn.respond computes it
// with wskit's handshake.AcceptKey from the request the client wrote.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	coder "github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"
	"github.com/wskit/wskit/handshake"
)

// ioBufferSize is the size of the bufio.Reader and bufio.Writer every
// library gets over its memConn: gorilla's default, and bufio's.
const ioBufferSize = 4096

// A stream is an endless io.Reader that repeats b.
type stream struct {
	b   []byte
	off int
}

// Read copies the next bytes of the repetition into p, stopping at the end
// of b so that every repetition starts on a Read boundary.
func (s *stream) Read(p []byte) (int, error) {
	if s.off == len(s.b) {
		s.off = 0
	}
	n := copy(p, s.b[s.off:])
	s.off += n
	return n, nil
}

// A sink is an io.Writer that appends everything written to it to b.
type sink struct{ b []byte }

// Write appends p to s.b.
func (s *sink) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

// A memConn is a net.Conn that reads from in and appends what is written
// to out.b. Before the first read, if respond is set, it treats what was
// written so far as an HTTP request and reads respond's answer first.
type memConn struct {
	in      io.Reader
	out     sink
	respond func(request []byte) []byte
}

func (c *memConn) Read(p []byte) (int, error) {
	if c.respond != nil {
		var resp io.Reader = bytes.NewReader(c.respond(c.out.b))
		if c.in != nil {
			resp = io.MultiReader(resp, c.in)
		}
		c.in = resp
		c.respond = nil
		c.out.b = c.out.b[:0]
	}
	if c.in == nil {
		return 0, io.EOF
	}
	return c.in.Read(p)
}

func (c *memConn) Write(p []byte) (int, error)        { return c.out.Write(p) }
func (c *memConn) Close() error                       { return nil }
func (c *memConn) LocalAddr() net.Addr                { return memAddr{} }
func (c *memConn) RemoteAddr() net.Addr               { return memAddr{} }
func (c *memConn) SetDeadline(t time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(t time.Time) error { return nil }

type memAddr struct{}

func (memAddr) Network() string { return "mem" }
func (memAddr) String() string  { return "mem" }

// A hijackWriter is the http.ResponseWriter of a request whose connection
// is conn. Only the status and headers are recorded; a library that
// upgrades writes its 101 response to conn itself or, like coder, leaves
// it to the server, which is absent here.
type hijackWriter struct {
	conn   *memConn
	header http.Header
	status int
}

func (w *hijackWriter) Header() http.Header { return w.header }
func (w *hijackWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *hijackWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}
func (w *hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, bufio.NewReadWriter(bufio.NewReaderSize(w.conn, ioBufferSize), bufio.NewWriterSize(w.conn, ioBufferSize)), nil
}

// upgradeRequest returns a client's opening handshake as a server handler
// sees it, with the nonce of RFC 6455 section 1.3.
func upgradeRequest() *http.Request {
	return &http.Request{
		Method:     http.MethodGet,
		URL:        &url.URL{Path: "/"},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       "bench.invalid",
		Header: http.Header{
			"Upgrade":               {"websocket"},
			"Connection":            {"Upgrade"},
			"Sec-Websocket-Key":     {"dGhlIHNhbXBsZSBub25jZQ=="},
			"Sec-Websocket-Version": {"13"},
		},
	}
}

// newGorillaServer returns the server side of a gorilla connection that
// reads from in, upgraded by gorilla's Upgrader with its default buffers.
func newGorillaServer(in io.Reader) (*gorilla.Conn, *memConn, error) {
	conn := &memConn{in: in}
	w := &hijackWriter{conn: conn, header: http.Header{}}
	var u gorilla.Upgrader
	c, err := u.Upgrade(w, upgradeRequest(), nil)
	if err != nil {
		return nil, nil, err
	}
	c.SetReadLimit(maxMessage)
	conn.out.b = conn.out.b[:0] // drop the 101 response
	return c, conn, nil
}

// newCoderServer returns the server side of a coder connection that reads
// from in, accepted by coder's Accept without compression.
func newCoderServer(in io.Reader) (*coder.Conn, *memConn, error) {
	conn := &memConn{in: in}
	w := &hijackWriter{conn: conn, header: http.Header{}}
	c, err := coder.Accept(w, upgradeRequest(), &coder.AcceptOptions{CompressionMode: coder.CompressionDisabled})
	if err != nil {
		return nil, nil, err
	}
	c.SetReadLimit(maxMessage)
	return c, conn, nil
}

// newGorillaClient returns the client side of a gorilla connection whose
// writes go to the returned memConn, after a handshake answered by
// respond101. writeBufferSize is the Dialer's WriteBufferSize.
func newGorillaClient(writeBufferSize int) (*gorilla.Conn, *memConn, error) {
	conn := &memConn{respond: respond101}
	d := gorilla.Dialer{
		NetDialContext:  func(context.Context, string, string) (net.Conn, error) { return conn, nil },
		WriteBufferSize: writeBufferSize,
	}
	c, _, err := d.Dial("ws://bench.invalid/", nil)
	if err != nil {
		return nil, nil, err
	}
	return c, conn, nil
}

// newCoderClient returns the client side of a coder connection whose
// writes go to the returned memConn. coder dials through an http.Client and
// takes the connection from the 101 response's body, so the client's
// transport answers the request itself.
func newCoderClient() (*coder.Conn, *memConn, error) {
	conn := &memConn{}
	rt := roundTripper(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			Status:     "101 Switching Protocols",
			StatusCode: http.StatusSwitchingProtocols,
			Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{
				"Upgrade":              {"websocket"},
				"Connection":           {"Upgrade"},
				"Sec-Websocket-Accept": {handshake.AcceptKey(req.Header.Get("Sec-WebSocket-Key"))},
			},
			Body:    conn,
			Request: req,
		}, nil
	})
	c, _, err := coder.Dial(context.Background(), "ws://bench.invalid/", &coder.DialOptions{
		HTTPClient:      &http.Client{Transport: rt},
		CompressionMode: coder.CompressionDisabled,
	})
	if err != nil {
		return nil, nil, err
	}
	return c, conn, nil
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// respond101 answers the opening handshake in request with a 101 response,
// or with a 400 if it is not a request.
func respond101(request []byte) []byte {
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(request)))
	if err != nil {
		return []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
	}
	return []byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		handshake.AcceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n\r\n")
}

// errUnexpected reports a frame or message a benchmark did not send.
var errUnexpected = errors.New("bench: unexpected frame or message")
