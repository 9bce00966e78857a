package interop

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
)

// Timeouts of a run. hangTimeout bounds every wait for the library; settle
// is how long the harness waits for output that may or may not come.
const (
	hangTimeout = 2 * time.Second
	settle      = 300 * time.Millisecond
)

// A link is an open connection with a library in one role, after a
// completed opening handshake: the library's application (ep, run by the
// session) and the harness's side (w).
type link struct {
	s     *session
	ep    Endpoint
	w     *wire
	close func()
}

// open connects to lib in role ("server" or "client": the library's role)
// configured by cfg, completes the opening handshake with it, and starts
// its application loop and the harness's reader.
func open(lib Library, role string, cfg Config) (*link, error) {
	if role == "server" {
		return openServer(lib, cfg)
	}
	return openClient(lib, cfg)
}

// openServer starts lib as a server and connects to it as a client.
func openServer(lib Library, cfg Config) (*link, error) {
	srv, err := lib.Serve(cfg)
	if err != nil {
		return nil, err
	}
	conn, rest, err := clientHandshake(srv.Addr)
	if err != nil {
		srv.Stop()
		return nil, err
	}
	var ep Endpoint
	select {
	case ep = <-srv.Accepted:
	case <-time.After(hangTimeout):
		_ = conn.Close()
		srv.Stop()
		return nil, errNoEndpoint
	}
	return start(ep, conn, rest, codec.RoleClient, srv.Stop)
}

// openClient listens on 127.0.0.1, has lib dial it, and answers its
// opening handshake.
func openClient(lib Library, cfg Config) (*link, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	type dialed struct {
		ep  Endpoint
		err error
	}
	ch := make(chan dialed, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- dialed{err: fmt.Errorf("panic in Dial: %v", r)}
			}
		}()
		ep, err := lib.Dial(ctx, "ws://"+ln.Addr().String()+"/", cfg)
		ch <- dialed{ep, err}
	}()
	conn, rest, err := serverHandshake(ln)
	_ = ln.Close()
	if err != nil {
		cancel()
		return nil, err
	}
	var d dialed
	select {
	case d = <-ch:
	case <-time.After(hangTimeout):
		d.err = errNoEndpoint
	}
	cancel()
	if d.err != nil {
		_ = conn.Close()
		return nil, d.err
	}
	return start(d.ep, conn, rest, codec.RoleServer, func() {})
}

// start runs the application loop and the harness's reader of a link.
func start(ep Endpoint, conn net.Conn, rest []byte, harness codec.Role, stop func()) (*link, error) {
	s := newSession()
	w, err := startWire(s, conn, rest, harness)
	if err != nil {
		ep.CloseTransport()
		_ = conn.Close()
		stop()
		return nil, err
	}
	go s.runApp(ep)
	l := &link{s: s, ep: ep, w: w}
	l.close = func() {
		s.setProceed(unlimited)
		w.close()
		ep.CloseTransport()
		s.wait(hangTimeout, func() bool { return s.appEnded })
		stop()
	}
	return l, nil
}

// clientHandshake connects to a library server at addr and completes a
// plain opening handshake (no subprotocol, no extension) built by wskit's
// handshake package. It returns the connection and the bytes that followed
// the 101 response.
func clientHandshake(addr string) (net.Conn, []byte, error) {
	conn, err := net.DialTimeout("tcp", addr, hangTimeout)
	if err != nil {
		return nil, nil, err
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	req, err := handshake.NewRequest("ws://"+addr+"/", nonce, handshake.RequestOptions{})
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(hangTimeout))
	if _, err := conn.Write(req.Append(nil)); err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	resp, rest, err := readResponse(conn)
	if err == nil && resp.Status != 101 {
		err = fmt.Errorf("interop: the library answered %d to a valid handshake", resp.Status)
	}
	if err == nil {
		_, err = handshake.VerifyResponse(req, resp)
	}
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, rest, nil
}

// readResponse reads one response head from conn, within conn's deadline.
func readResponse(conn net.Conn) (*handshake.Response, []byte, error) {
	rr := handshake.NewResponseReader(64 << 10)
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			resp, rest, ferr := rr.Feed(buf[:n])
			if ferr != nil {
				return nil, nil, ferr
			}
			if resp != nil {
				return resp, append([]byte(nil), rest...), nil
			}
		}
		if err != nil {
			return nil, nil, err
		}
	}
}

// serverHandshake accepts one connection on ln and answers its opening
// handshake with wskit's handshake.Server, accepting no subprotocol and no
// extension.
func serverHandshake(ln net.Listener) (net.Conn, []byte, error) {
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(hangTimeout))
	conn, err := ln.Accept()
	if err != nil {
		return nil, nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(hangTimeout))
	rr := handshake.NewRequestReader(0)
	buf := make([]byte, 4096)
	for {
		n, rerr := conn.Read(buf)
		if n > 0 {
			req, rest, err := rr.Feed(buf[:n])
			if err != nil {
				_ = conn.Close()
				return nil, nil, err
			}
			if req != nil {
				var srv handshake.Server
				acc, err := srv.Accept(req)
				if err != nil {
					_ = conn.Close()
					return nil, nil, err
				}
				if _, err := conn.Write(acc.Response); err != nil {
					_ = conn.Close()
					return nil, nil, err
				}
				_ = conn.SetDeadline(time.Time{})
				return conn, append([]byte(nil), rest...), nil
			}
		}
		if rerr != nil {
			_ = conn.Close()
			return nil, nil, rerr
		}
	}
}
