package conformance

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/wskit/wskit/handshake"
)

// A Target is the server under test.
type Target struct {
	url    string
	addr   string // host:port to dial
	host   string // the host without brackets, for TLS server name indication
	secure bool   // wss://

	// connecting lets one connection at a time be in the CONNECTING
	// state: from the TCP connect to the verified 101 response
	// (H-4.1-one-connecting). Cases run in parallel once open.
	connecting chan struct{}
	// timeouts counts the opening handshakes in a row that timed out;
	// only the holder of connecting touches it.
	timeouts int
}

// NewTarget checks a ws:// or wss:// URL (H-3-uri-valid) and returns the
// target it names. For wss:// the runner speaks TLS, with the options'
// TLSConfig.
func NewTarget(rawURL string) (*Target, error) {
	u, err := handshake.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	host := u.Host
	if len(host) > 1 && host[0] == '[' {
		host = host[1 : len(host)-1]
	}
	return &Target{
		url: rawURL, addr: net.JoinHostPort(host, strconv.Itoa(u.Port)), host: host, secure: u.Secure,
		connecting: make(chan struct{}, 1),
	}, nil
}

// URL returns the target's URL.
func (t *Target) URL() string { return t.url }

// Addr returns the host:port the runner dials.
func (t *Target) Addr() string { return t.addr }

// userAgent is sent in every opening handshake.
const userAgent = "wskit-conformance"

// A dialError is a failure to open the TCP connection at all.
type dialError struct{ err error }

func (e *dialError) Error() string { return "cannot connect: " + e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// handshake opens the TCP connection and performs the opening handshake as
// the client (RFC 6455 section 4.1), like Autobahn's fuzzing client: the
// Upgrade token in Autobahn's spelling, "WebSocket", which servers must
// compare case-insensitively. It returns the bytes that followed the
// response head. Nothing else is written before the response has been
// verified (H-4.1-wait).
//
// A server that does not answer costs one full timeout: once an opening
// handshake has timed out, the next ones wait at most suspectTimeout, and
// after silentAfter timeouts in a row the remaining cases are not tried
// (ErrSilent). Any answer, even a refusal, ends the suspicion.
func (s *Session) handshake(ctx context.Context) ([]byte, error) {
	// Wait for the other connections to this target to leave the
	// CONNECTING state (H-4.1-one-connecting).
	select {
	case s.target.connecting <- struct{}{}:
		defer func() { <-s.target.connecting }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.t0 = time.Now()
	s.res.Started = s.t0.UTC()
	if n := s.target.timeouts; n >= silentAfter {
		return nil, fmt.Errorf("%w: not run, after %d opening handshakes in a row timed out", ErrSilent, n)
	}
	timeout := s.hsTimeout
	if s.target.timeouts > 0 {
		timeout = min(timeout, suspectTimeout)
	}
	rest, err := s.open(ctx, timeout)
	switch {
	case err == nil:
		s.target.timeouts = 0
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.target.timeouts++
	case ctx.Err() == nil:
		s.target.timeouts = 0 // an answer, if not the right one
	}
	return rest, err
}

// Silent servers: see handshake.
const (
	suspectTimeout = time.Second
	silentAfter    = 3
)

// ErrSilent is the OpenError of the cases not tried because the server
// stopped answering opening handshakes.
var ErrSilent = errors.New("the server does not answer opening handshakes")

// open connects and performs the opening handshake within timeout.
func (s *Session) open(ctx context.Context, timeout time.Duration) ([]byte, error) {
	conn, err := s.dial(ctx, s.t0.Add(timeout))
	if err != nil {
		return nil, err
	}
	req, err := s.newRequest()
	if err != nil {
		return nil, err
	}
	wire := req.Append(nil)
	s.res.HTTPRequest = string(wire)
	s.res.TxOctetStats[len(wire)]++
	s.log(WireEntry{Kind: WireWrite, Len: len(wire), Data: preview(wire)})
	if _, err := conn.Write(wire); err != nil {
		return nil, s.openFailure(err)
	}

	resp, rest, err := s.readResponse(conn)
	if err != nil {
		return nil, err
	}
	n, err := handshake.VerifyResponse(req, resp)
	if err != nil {
		return nil, err
	}
	if err := s.agree(req, n); err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return rest, nil
}

// readResponse reads a response head from conn, recording each read and
// the head in the result, and learns the agent from its Server field. It
// returns the head and a copy of the bytes that followed it.
func (s *Session) readResponse(conn net.Conn) (*handshake.Response, []byte, error) {
	head := handshake.NewResponseReader(0)
	buf := make([]byte, 4096)
	for {
		m, err := conn.Read(buf)
		if m > 0 {
			s.res.RxOctetStats[m]++
			s.log(WireEntry{Kind: WireRead, Len: m, Data: preview(buf[:m])})
			resp, rest, perr := head.Feed(buf[:m])
			if perr != nil {
				s.res.HTTPResponse = string(head.Buffered())
				return nil, nil, perr
			}
			if resp != nil {
				s.res.HTTPResponse = string(head.Buffered())
				if s.agent == "" {
					s.agent = resp.Header.Get("Server")
				}
				return resp, append([]byte(nil), rest...), nil
			}
		}
		if err != nil {
			s.res.HTTPResponse = string(head.Buffered())
			return nil, nil, s.openFailure(err)
		}
	}
}

// dial opens the TCP connection, and TLS over it for a wss:// target, by
// deadline, which stays set on s.conn.
func (s *Session) dial(ctx context.Context, deadline time.Time) (net.Conn, error) {
	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, "tcp", s.target.addr)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, s.openFailure(err)
		}
		return nil, &dialError{err}
	}
	s.conn = conn
	conn.SetDeadline(deadline)
	if s.target.secure {
		// TLS comes first, with the server name of the URL (H-4.1-tls-sni);
		// a TLS failure fails the connection before any handshake byte.
		cfg := s.tls.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if _, err := netip.ParseAddr(s.target.host); err != nil && cfg.ServerName == "" {
			cfg.ServerName = s.target.host // SNI carries host names, never IP addresses (RFC 6066)
		}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, s.openFailure(fmt.Errorf("TLS handshake failed: %w", err))
		}
		s.conn = tc
		conn = tc
	}
	return conn, nil
}

// newRequest builds the runner's opening handshake request to the target,
// with a fresh key, Autobahn's fields and the options' Origin and
// subprotocols.
func (s *Session) newRequest() (*handshake.Request, error) {
	var nonce [16]byte
	if _, err := io.ReadFull(s.rand, nonce[:]); err != nil {
		s.randErr = fmt.Errorf("conformance: reading a handshake nonce: %w", err)
		return nil, s.randErr
	}
	header := handshake.Header{
		{Name: "User-Agent", Value: userAgent},
		{Name: "Upgrade", Value: "WebSocket"},
		{Name: "Pragma", Value: "no-cache"},
		{Name: "Cache-Control", Value: "no-cache"},
	}
	if s.origin != "" {
		header = append(header, handshake.Field{Name: "Origin", Value: s.origin})
	}
	return handshake.NewRequest(s.target.url, nonce, handshake.RequestOptions{Subprotocols: s.protos, Extensions: s.c.Extensions, Header: header})
}

// openFailure records how the opening handshake failed on the wire and
// returns err with that account in front, keeping the chain
// (errors.Is(err, os.ErrDeadlineExceeded), io.EOF, ...).
func (s *Session) openFailure(err error) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		s.res.WasOpenHandshakeTimeout = true
		s.res.WasNotCleanReason = "peer did not finish (in time) the opening handshake"
		return fmt.Errorf("%s: %w", s.res.WasNotCleanReason, err)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("the server closed the connection during the opening handshake: %w", err)
	}
	return err
}
