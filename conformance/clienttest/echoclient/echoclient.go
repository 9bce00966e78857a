// Package echoclient is a strict WebSocket echo client built only on
// wskit's own handshake and codec packages. It is the reference client of
// the client suite (package clienttest): as the loopback server passes
// every case run against servers, this client passes every case run
// against clients, and "wskit echo-client URL" runs it from the command
// line, for "wskit conform-client -exec".
//
// [Run] connects to a URL, sends back every text and binary message with
// the same type and payload, and leaves the rest to codec.Conn: pings are
// answered, the server's Close is echoed, and any protocol violation fails
// the connection with the right close code. Every frame it sends is masked
// with a fresh key from crypto/rand (R-5.1-client-masks). Once the closing
// handshake is done it waits for the server to close TCP, as RFC 6455 asks
// of clients (R-7.1.1-close-tcp-cleanly), and closes it itself only after
// Config.CloseTimeout.
//
// [ReadText] is the other half of a harness for Autobahn's fuzzing-server
// API: it opens a URL such as /getCaseCount and returns the text messages
// the server sends before it closes.
package echoclient

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
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
	DefaultCloseTimeout     = 2 * time.Second
)

// Config configures the client. The zero Config is usable.
type Config struct {
	// HandshakeTimeout bounds the TCP connect, TLS and the opening
	// handshake together.
	HandshakeTimeout time.Duration
	// IdleTimeout ends a connection on which nothing arrived for this
	// long: the client fails it with 1001 (going away).
	IdleTimeout time.Duration
	// CloseTimeout is how long the client waits for the server to close
	// TCP after the closing handshake, or after the client failed the
	// connection, before it closes TCP itself.
	CloseTimeout time.Duration
	// MaxMessage is the largest message accepted; zero means the codec's
	// default (16 MiB, the largest message of the suite). Larger ones
	// fail the connection with 1009.
	MaxMessage uint64
	// Rand supplies handshake nonces and masking keys; nil means
	// crypto/rand.Reader (R-5.3-unpredictable-key).
	Rand io.Reader
	// Header holds extra fields for the opening handshake, such as
	// User-Agent or Origin.
	Header handshake.Header
	// TLSConfig configures TLS for wss:// URLs; nil means Go's defaults.
	// The server name is the URL's host unless set here.
	TLSConfig *tls.Config
	// Deflate, if not nil, offers permessage-deflate (RFC 7692) with its
	// offers and level; the client then checks the server's answer
	// against them, fails the connection on an invalid one (closing TCP,
	// D-7-client-fail), and compresses and decompresses as agreed. Nil
	// offers no extension.
	Deflate *deflate.ClientOptions
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
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	return c
}

// ErrNotOpened is wrapped by the errors of Run and ReadText when the
// WebSocket connection never opened: the URL, the TCP connect, TLS or the
// opening handshake failed.
var ErrNotOpened = errors.New("the WebSocket connection did not open")

// ErrRefused is wrapped, with ErrNotOpened, when the server answered the
// opening handshake with a response the client refused: not a response
// head, or not a valid acceptance of the request (RFC 6455 section 4.1;
// the handshake.ResponseError is in the chain too). A client-testing
// server sends such responses on purpose (the cases of category 0).
var ErrRefused = errors.New("the server's response was refused")

// Run connects to url (ws:// or wss://), echoes every message until the
// connection ends, and returns nil when it ended with a completed closing
// handshake. Otherwise the error says what happened: it wraps
// ErrNotOpened when the connection never opened, is a
// *codec.ProtocolError when the server broke the protocol (the client
// failed the connection for it), and otherwise says how the connection
// ended. Cancelling ctx drops the connection.
func Run(ctx context.Context, url string, cfg Config) error {
	return connect(ctx, url, cfg, func(op spec.Opcode, msg []byte) bool { return true })
}

// ReadText connects to url, collects the text messages the server sends
// until it closes the connection, and returns them. It echoes nothing.
// This is how a harness reads Autobahn's /getCaseCount, /getCaseInfo and
// /getCaseStatus, and waits for /updateReports. A connection that ends
// without a completed closing handshake returns the messages received so
// far with the error.
func ReadText(ctx context.Context, url string, cfg Config) ([]string, error) {
	var texts []string
	err := connect(ctx, url, cfg, func(op spec.Opcode, msg []byte) bool {
		if op == spec.OpText {
			texts = append(texts, string(msg))
		}
		return false
	})
	return texts, err
}

// connect opens the connection and runs the session; handle gets each
// message and says whether to echo it.
func connect(ctx context.Context, url string, cfg Config, handle func(spec.Opcode, []byte) bool) error {
	cfg = cfg.withDefaults()
	nc, ws, rest, err := open(ctx, url, cfg)
	if err != nil {
		return fmt.Errorf("echoclient: %w: %w", ErrNotOpened, err)
	}
	return session(ctx, nc, ws, rest, cfg, handle)
}

// open dials url and performs the opening handshake as a client
// (RFC 6455 section 4.1). It returns the connection, the codec.Conn for
// what the handshake agreed, and the bytes that followed the server's
// response head.
func open(ctx context.Context, rawURL string, cfg Config) (net.Conn, *codec.Conn, []byte, error) {
	u, err := handshake.ParseURL(rawURL)
	if err != nil {
		return nil, nil, nil, err
	}
	host := u.Host
	if len(host) > 1 && host[0] == '[' {
		host = host[1 : len(host)-1]
	}
	deadline := time.Now().Add(cfg.HandshakeTimeout)
	d := net.Dialer{Deadline: deadline}
	nc, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(u.Port)))
	if err != nil {
		return nil, nil, nil, err
	}
	ok := false
	defer func() {
		if !ok {
			nc.Close()
		}
	}()
	nc.SetDeadline(deadline)
	if u.Secure {
		tc := cfg.TLSConfig.Clone()
		if tc == nil {
			tc = &tls.Config{}
		}
		if _, err := netip.ParseAddr(host); err != nil && tc.ServerName == "" {
			tc.ServerName = host // SNI carries host names only (H-4.1-tls-sni)
		}
		c := tls.Client(nc, tc)
		if err := c.HandshakeContext(ctx); err != nil {
			return nil, nil, nil, err
		}
		nc = c
	}
	var nonce [16]byte
	if _, err := io.ReadFull(cfg.Rand, nonce[:]); err != nil {
		return nil, nil, nil, fmt.Errorf("reading a handshake nonce: %w", err)
	}
	ro := handshake.RequestOptions{Header: cfg.Header}
	if cfg.Deflate != nil {
		ro.Extensions = cfg.Deflate.Extensions()
	}
	req, err := handshake.NewRequest(rawURL, nonce, ro)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := nc.Write(req.Append(nil)); err != nil {
		return nil, nil, nil, err
	}
	head := handshake.NewResponseReader(0)
	buf := make([]byte, 4096)
	for {
		n, rerr := nc.Read(buf)
		if n > 0 {
			resp, rest, err := head.Feed(buf[:n])
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%w: %w", ErrRefused, err)
			}
			if resp != nil {
				// Nothing is sent before the response is verified
				// (H-4.1-wait); a bad one fails the connection: closing
				// TCP, with no Close frame, as the connection never
				// opened.
				n, err := handshake.VerifyResponse(req, resp)
				if err != nil {
					return nil, nil, nil, fmt.Errorf("%w: %w", ErrRefused, err)
				}
				opts := codec.ConnOptions{Role: codec.RoleClient, Rand: cfg.Rand, MaxMessage: cfg.MaxMessage}
				var ws *codec.Conn
				if cfg.Deflate != nil {
					ws, err = cfg.Deflate.NewConn(req, n, opts)
				} else {
					ws, err = codec.NewConn(opts)
				}
				if err != nil {
					return nil, nil, nil, fmt.Errorf("%w: %w", ErrRefused, err)
				}
				nc.SetDeadline(time.Time{})
				ok = true
				return nc, ws, append([]byte(nil), rest...), nil
			}
		}
		if rerr != nil {
			return nil, nil, nil, rerr
		}
	}
}

// session runs the WebSocket connection until TCP is closed.
func session(ctx context.Context, nc net.Conn, ws *codec.Conn, rest []byte, cfg Config, handle func(spec.Opcode, []byte) bool) error {
	defer nc.Close()
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Now()) })
	defer stop()

	var (
		buf      = make([]byte, 64<<10)
		msg      []byte
		protoErr error     // the server's violation, if any
		writeErr error     // the first failed write
		closing  time.Time // when the client stopped waiting for more than the server's TCP close
	)
	write := func(b []byte) {
		if len(b) > 0 && writeErr == nil {
			nc.SetWriteDeadline(time.Now().Add(cfg.IdleTimeout))
			_, writeErr = nc.Write(b)
		}
	}
	p := rest
	for {
		if len(p) > 0 {
			evs, rerr := ws.Receive(p)
			for _, ev := range evs {
				switch ev.Kind {
				case codec.EventMessageStart:
					msg = msg[:0]
				case codec.EventPayload:
					msg = append(msg, ev.Data...)
				case codec.EventMessageEnd:
					if handle(ev.Opcode, msg) {
						// Echoed at once, before a Close or a failure that
						// came in the same read (codec.Conn holds those
						// back until Outgoing).
						out, err := ws.SendMessage(ev.Opcode, msg)
						if err == nil {
							write(out)
						}
					}
				}
			}
			write(ws.Outgoing())
			if rerr != nil && protoErr == nil {
				protoErr = rerr
			}
		}
		if closing.IsZero() && (ws.ShouldCloseTransport() || ws.CloseSent() && ws.CloseReceived()) {
			// The closing handshake is done, or the client failed the
			// connection: the server closes TCP first. Half-close our
			// side, so that unread bytes never turn our close into a
			// reset that could lose our Close frame, and wait for the
			// server's end of stream.
			closing = time.Now()
			nc.SetReadDeadline(closing.Add(cfg.CloseTimeout))
			if tc, ok := nc.(interface{ CloseWrite() error }); ok && ws.ShouldCloseTransport() {
				tc.CloseWrite()
			}
		} else if closing.IsZero() {
			nc.SetReadDeadline(time.Now().Add(cfg.IdleTimeout))
		}
		n, err := nc.Read(buf)
		if n > 0 {
			p = buf[:n]
			continue
		}
		if err == nil {
			p = nil
			continue
		}
		var ne net.Error
		switch {
		case ctx.Err() != nil:
			ws.TransportClosed()
			return ctx.Err()
		case !closing.IsZero():
			// The server closed TCP, or did not in time: either way
			// the connection is over.
		case errors.As(err, &ne) && ne.Timeout() && ws.State() == codec.StateOpen:
			// Idle: go away, then wait for the server to close.
			out, _ := ws.SendClose(spec.CloseGoingAway, "")
			write(out)
			p = nil
			continue
		}
		code := ws.TransportClosed()
		switch {
		case protoErr != nil:
			return protoErr
		case ws.Clean():
			return nil
		case writeErr != nil:
			return fmt.Errorf("echoclient: writing: %w", writeErr)
		}
		return fmt.Errorf("echoclient: the connection ended without a closing handshake (close code %d)", code)
	}
}

func isNotOpened(err error) bool { return errors.Is(err, ErrNotOpened) }
