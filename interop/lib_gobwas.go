package interop

import (
	"bytes"
	"context"
	"io"
	"net"
	"sync"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// Gobwas drives github.com/gobwas/ws: ws.Upgrader.Upgrade on a raw
// net.Conn and ws.Dialer.Dial; the application loop is the one
// wsutil.ReadClientData runs (wsutil.DefaultReader, CheckUTF8 on by
// default, control frames answered by wsutil.ControlFrameHandler), with
// MaxMessageSize set on the Reader when a vector sets a limit. On any
// other error the application closes the connection, as gobwas's README
// does: gobwas leaves the failing Close frame to the application.
func Gobwas() Library {
	return Library{
		Name:   "gobwas",
		Module: "github.com/gobwas/ws v1.5.0",
		Setup:  "ws.Upgrader{Protocol, OnHeader/OnBeforeUpgrade for Origin}.Upgrade on net.Conn, ws.Dialer.Dial; the loop of wsutil.ReadClientData/ReadServerData (DefaultReader, CheckUTF8, ControlFrameHandler); on error the connection is closed (README)",
		Serve: func(cfg Config) (*Server, error) {
			return rawServer(func(conn net.Conn) (Endpoint, error) {
				var origin []byte
				up := ws.Upgrader{
					Protocol: func(p []byte) bool {
						for _, s := range cfg.Subprotocols() {
							if s == string(p) {
								return true
							}
						}
						return false
					},
					OnHeader: func(key, value []byte) error {
						if bytes.EqualFold(key, []byte("Origin")) {
							origin = append([]byte(nil), value...)
						}
						return nil
					},
					OnBeforeUpgrade: func() (ws.HandshakeHeader, error) {
						if !cfg.OriginAllowed(string(origin)) {
							return nil, ws.RejectConnectionError(ws.RejectionStatus(403))
						}
						return nil, nil
					},
				}
				if _, err := up.Upgrade(conn); err != nil {
					return nil, nil // gobwas wrote the rejection
				}
				return newGobwasEndpoint(conn, nil, ws.StateServerSide, cfg), nil
			})
		},
		Dial: func(ctx context.Context, url string, cfg Config) (Endpoint, error) {
			conn, br, _, err := ws.Dialer{}.Dial(ctx, url)
			if err != nil {
				return nil, err
			}
			var r io.Reader = conn
			if br != nil {
				r = io.MultiReader(br, conn)
			}
			return newGobwasEndpoint(conn, r, ws.StateClientSide, cfg), nil
		},
	}
}

// gobwasEndpoint is a net.Conn spoken to with gobwas's wsutil helpers.
// Writes are serialised: the control handler (pongs, Close echo) and the
// application's sends share the connection.
type gobwasEndpoint struct {
	conn  net.Conn
	rd    *wsutil.Reader
	state ws.State
	wmu   sync.Mutex
	w     lockedWriter
	ctl   wsutil.FrameHandlerFunc
}

// lockedWriter serialises writes to a connection.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func newGobwasEndpoint(conn net.Conn, r io.Reader, state ws.State, cfg Config) *gobwasEndpoint {
	if r == nil {
		r = conn
	}
	e := &gobwasEndpoint{conn: conn, state: state}
	e.w = lockedWriter{&e.wmu, conn}
	e.rd = wsutil.DefaultReader(r, state)
	if n := cfg.ReadLimit(); n > 0 {
		e.rd.MaxMessageSize = n
	}
	e.ctl = wsutil.ControlFrameHandler(e.w, state)
	e.rd.OnIntermediate = e.ctl
	return e
}

// Read is the loop of wsutil.ReadData; a wsutil.ClosedError is the peer's
// Close, any other error closes the connection.
func (e *gobwasEndpoint) Read() (Message, error) {
	for {
		hdr, err := e.rd.NextFrame()
		if err != nil {
			return Message{}, e.fail(err)
		}
		if hdr.OpCode.IsControl() {
			if err := e.ctl(hdr, e.rd); err != nil {
				return Message{}, e.fail(err)
			}
			continue
		}
		p, err := io.ReadAll(e.rd)
		if err != nil {
			return Message{}, e.fail(err)
		}
		return Message{Text: hdr.OpCode == ws.OpText, Data: p}, nil
	}
}

// fail turns gobwas's error into the harness's and closes the connection.
func (e *gobwasEndpoint) fail(err error) error {
	_ = e.conn.Close()
	if ce, ok := err.(wsutil.ClosedError); ok {
		return &PeerClose{Code: int(ce.Code), Reason: []byte(ce.Reason)}
	}
	return err
}

// Send writes one frame with wsutil.WriteMessage; gobwas refuses nothing.
func (e *gobwasEndpoint) Send(a Send) error {
	var op ws.OpCode
	p := a.Data
	switch a.Action {
	case "send-text":
		op = ws.OpText
	case "send-binary":
		op = ws.OpBinary
	case "send-ping":
		op = ws.OpPing
	case "send-pong":
		op = ws.OpPong
	case "send-close":
		op = ws.OpClose
		p = nil
		if a.Code != 1005 {
			p = ws.NewCloseFrameBody(ws.StatusCode(a.Code), string(a.Data))
		}
	default:
		return errUnknownAction(a.Action)
	}
	var buf bytes.Buffer
	if err := wsutil.WriteMessage(&buf, e.state, op, p); err != nil {
		return err
	}
	_, err := e.w.Write(buf.Bytes())
	return err
}

// CloseTransport closes the net.Conn.
func (e *gobwasEndpoint) CloseTransport() { _ = e.conn.Close() }
