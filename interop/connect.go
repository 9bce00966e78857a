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
	// offered and accepted are the extensions of the opening handshake:
	// the client's offers and the server's answer.
	offered, accepted []handshake.Extension
}

// An extPlan is the harness's part in negotiating extensions: as a client
// (the library serves) it offers offer; as a server (the library dials) it
// answers the library's offers with answer. The zero extPlan negotiates
// none.
type extPlan struct {
	offer  []handshake.Extension
	answer func(offered []handshake.Extension) []handshake.Extension
}

// open connects to lib in role ("server" or "client": the library's role)
// configured by cfg, completes the opening handshake with it, and starts
// its application loop and the harness's reader.
func open(lib Library, role string, cfg Config) (*link, error) {
	return openWith(lib, role, cfg, extPlan{})
}

// openWith is open with extensions negotiated by plan.
func openWith(lib Library, role string, cfg Config, plan extPlan) (*link, error) {
	if role == "server" {
		return openServer(lib, cfg, plan)
	}
	return openClient(lib, cfg, plan)
}

// openServer starts lib as a server and connects to it as a client.
func openServer(lib Library, cfg Config, plan extPlan) (*link, error) {
	srv, err := lib.Serve(cfg)
	if err != nil {
		return nil, err
	}
	conn, rest, accepted, err := clientHandshake(srv.Addr, plan.offer)
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
	l, err := start(ep, conn, rest, codec.RoleClient, srv.Stop)
	if l != nil {
		l.offered, l.accepted = plan.offer, accepted
	}
	return l, err
}

// openClient listens on 127.0.0.1, has lib dial it, and answers its
// opening handshake.
func openClient(lib Library, cfg Config, plan extPlan) (*link, error) {
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
	conn, rest, offered, accepted, err := serverHandshake(ln, plan.answer)
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
	l, err := start(d.ep, conn, rest, codec.RoleServer, func() {})
	if l != nil {
		l.offered, l.accepted = offered, accepted
	}
	return l, err
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

// clientHandshake connects to a library server at addr and completes an
// opening handshake built by wskit's handshake package, with no subprotocol
// and the extension offers given. It returns the connection, the bytes that
// followed the 101 response and the extensions the server accepted.
func clientHandshake(addr string, offers []handshake.Extension) (net.Conn, []byte, []handshake.Extension, error) {
	conn, err := net.DialTimeout("tcp", addr, hangTimeout)
	if err != nil {
		return nil, nil, nil, err
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	req, err := handshake.NewRequest("ws://"+addr+"/", nonce, handshake.RequestOptions{Extensions: offers})
	if err != nil {
		_ = conn.Close()
		return nil, nil, nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(hangTimeout))
	if _, err := conn.Write(req.Append(nil)); err != nil {
		_ = conn.Close()
		return nil, nil, nil, err
	}
	resp, rest, err := readResponse(conn)
	if err == nil && resp.Status != 101 {
		err = fmt.Errorf("interop: the library answered %d to a valid handshake", resp.Status)
	}
	var neg handshake.Negotiated
	if err == nil {
		neg, err = handshake.VerifyResponse(req, resp)
	}
	if err != nil {
		_ = conn.Close()
		return nil, nil, nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, rest, neg.Extensions, nil
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
// handshake with wskit's handshake.Server, accepting no subprotocol and the
// extensions answer returns (none when answer is nil). It returns the
// connection, the bytes that followed the request head, the extensions the
// client offered and those the answer accepted.
func serverHandshake(ln net.Listener, answer func([]handshake.Extension) []handshake.Extension) (conn net.Conn, rest []byte, offered, accepted []handshake.Extension, err error) {
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(hangTimeout))
	conn, err = ln.Accept()
	if err != nil {
		return nil, nil, nil, nil, err
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
				return nil, nil, nil, nil, err
			}
			if req != nil {
				srv := handshake.Server{NegotiateExtensions: func(o []handshake.Extension) []handshake.Extension {
					offered = o
					if answer == nil {
						return nil
					}
					accepted = answer(o)
					return accepted
				}}
				acc, err := srv.Accept(req)
				if err != nil {
					_ = conn.Close()
					return nil, nil, nil, nil, err
				}
				if _, err := conn.Write(acc.Response); err != nil {
					_ = conn.Close()
					return nil, nil, nil, nil, err
				}
				_ = conn.SetDeadline(time.Time{})
				return conn, append([]byte(nil), rest...), offered, accepted, nil
			}
		}
		if rerr != nil {
			_ = conn.Close()
			return nil, nil, nil, nil, rerr
		}
	}
}
