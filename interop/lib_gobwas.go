package interop

import (
	"bytes"
	"compress/flate"
	"context"
	"io"
	"net"
	"sync"

	"github.com/gobwas/httphead"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsflate"
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
		Name:    "gobwas",
		Module:  "github.com/gobwas/ws v1.5.0",
		Deflate: "ws.Upgrader{Negotiate: wsflate.Extension{Parameters: wsflate.DefaultParameters}.Negotiate}, ws.Dialer{Extensions: DefaultParameters.Option()}; compressed messages read through wsflate.NewReader over compress/flate with the README's wsutil.Reader (StateExtended, MessageState; no UTF-8 check)",
		Setup:   "ws.Upgrader{Protocol, OnHeader/OnBeforeUpgrade for Origin}.Upgrade on net.Conn, ws.Dialer.Dial; the loop of wsutil.ReadClientData/ReadServerData (DefaultReader, CheckUTF8, ControlFrameHandler); on error the connection is closed (README)",
		Serve: func(cfg Config) (*Server, error) {
			return rawServer(func(conn net.Conn) (Endpoint, error) {
				var origin []byte
				ext := wsflate.Extension{Parameters: wsflate.DefaultParameters}
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
				if cfg.Deflate {
					up.Negotiate = ext.Negotiate
				}
				if _, err := up.Upgrade(conn); err != nil {
					return nil, nil // gobwas wrote the rejection
				}
				_, compressed := ext.Accepted()
				return newGobwasEndpoint(conn, nil, ws.StateServerSide, cfg, compressed), nil
			})
		},
		Dial: func(ctx context.Context, url string, cfg Config) (Endpoint, error) {
			var d ws.Dialer
			if cfg.Deflate {
				d.Extensions = []httphead.Option{wsflate.DefaultParameters.Option()}
			}
			conn, br, hs, err := d.Dial(ctx, url)
			if err != nil {
				return nil, err
			}
			var r io.Reader = conn
			if br != nil {
				r = io.MultiReader(br, conn)
			}
			compressed := false
			for _, o := range hs.Extensions {
				compressed = compressed || bytes.Equal(o.Name, wsflate.ExtensionNameBytes)
			}
			return newGobwasEndpoint(conn, r, ws.StateClientSide, cfg, compressed), nil
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
	// With permessage-deflate: the message state the Reader updates and
	// the inflating reader, as in gobwas's README.
	msg wsflate.MessageState
	fr  *wsflate.Reader
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

// newGobwasEndpoint reads from r (conn when nil). With compressed (the
// handshake agreed on permessage-deflate) its Reader is the one of gobwas's
// README compression example, ws.StateExtended with the MessageState as
// extension and no UTF-8 check (which would see the compressed bytes), and
// compressed messages are read through a wsflate.Reader over
// compress/flate.
func newGobwasEndpoint(conn net.Conn, r io.Reader, state ws.State, cfg Config, compressed bool) *gobwasEndpoint {
	if r == nil {
		r = conn
	}
	e := &gobwasEndpoint{conn: conn, state: state}
	e.w = lockedWriter{&e.wmu, conn}
	if compressed {
		e.rd = &wsutil.Reader{Source: r, State: state | ws.StateExtended, Extensions: []wsutil.RecvExtension{&e.msg}}
		e.fr = wsflate.NewReader(nil, func(r io.Reader) wsflate.Decompressor { return flate.NewReader(r) })
	} else {
		e.rd = wsutil.DefaultReader(r, state)
	}
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
		var src io.Reader = e.rd
		if e.fr != nil && e.msg.IsCompressed() {
			e.fr.Reset(e.rd)
			src = e.fr
		}
		p, err := io.ReadAll(src)
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
