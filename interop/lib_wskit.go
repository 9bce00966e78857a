package interop

import (
	"context"
	"crypto/rand"
	"errors"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// Wskit is the reference row: wskit's handshake package (Server.Accept,
// NewRequest and VerifyResponse) and codec.Conn, over a net.Conn.
func Wskit() Library {
	return Library{
		Name:    "wskit",
		Module:  "github.com/wskit/wskit (this repository)",
		Setup:   "handshake.Server / handshake.NewRequest + codec.Conn with the vector's limits; every Conn answer (pong, Close echo, failing Close) written as soon as it is owed",
		Exact:   true,
		Deflate: "codec/deflate: ServerOptions{} (accepts the first valid offer as asked) in handshake.Server.NegotiateExtensions and ServerOptions.NewConn; ClientOptions{} (the plain offer) and ClientOptions.NewConn",
		Serve:   wskitServe,
		Dial:    wskitDial,
	}
}

// wskitServe answers each opening handshake with a handshake.Server
// following cfg's policy.
func wskitServe(cfg Config) (*Server, error) {
	return rawServer(func(conn net.Conn) (Endpoint, error) {
		rr := handshake.NewRequestReader(cfg.MaxHeadSize)
		buf := make([]byte, 4096)
		for {
			n, rerr := conn.Read(buf)
			req, rest, err := rr.Feed(buf[:n])
			var rej *handshake.Rejection
			if errors.As(err, &rej) {
				_, _ = conn.Write(rej.Response())
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			if req != nil {
				srv := wskitPolicy(cfg)
				var so deflate.ServerOptions
				if p := cfg.DeflatePolicy; p != nil {
					so.ServerNoContextTakeover, so.ClientNoContextTakeover = p.ServerNoContextTakeover, p.ClientNoContextTakeover
					so.ClientMaxWindowBits = p.ClientMaxWindowBits
				}
				if cfg.Deflate {
					srv.NegotiateExtensions = so.NegotiateExtensions
				}
				acc, err := srv.Accept(req)
				if errors.As(err, &rej) {
					_, _ = conn.Write(rej.Response())
					return nil, nil
				}
				if err != nil {
					return nil, err
				}
				if _, err := conn.Write(acc.Response); err != nil {
					return nil, err
				}
				if cfg.Deflate {
					c, err := so.NewConn(acc, wskitOptions(codec.RoleServer, cfg))
					if err != nil {
						return nil, err
					}
					return newWskitEndpointConn(conn, c, rest), nil
				}
				return newWskitEndpoint(conn, codec.RoleServer, cfg, rest)
			}
			if rerr != nil {
				return nil, rerr
			}
		}
	})
}

// wskitPolicy expresses a vector's server policy as a handshake.Server.
func wskitPolicy(cfg Config) *handshake.Server {
	srv := &handshake.Server{}
	if cfg.Policy == nil {
		return srv
	}
	p := cfg.Policy
	if p.Origins != nil {
		srv.CheckOrigin = func(req *handshake.Request) bool { return cfg.OriginAllowed(req.Header.Get("Origin")) }
	}
	if p.Resources != nil {
		srv.CheckResource = func(resource string) bool { return slices.Contains(p.Resources, resource) }
	}
	if p.Subprotocols != nil {
		srv.SelectSubprotocol = func(offered []string) string {
			for _, o := range offered {
				if slices.Contains(p.Subprotocols, o) {
					return o
				}
			}
			return ""
		}
	}
	if p.Extensions != nil {
		srv.NegotiateExtensions = func(offered []handshake.Extension) []handshake.Extension {
			var out []handshake.Extension
			for _, o := range offered {
				if slices.Contains(p.Extensions, o.Name) && !slices.ContainsFunc(out, func(e handshake.Extension) bool { return e.Name == o.Name }) {
					out = append(out, handshake.Extension{Name: o.Name})
				}
			}
			return out
		}
	}
	return srv
}

// wskitDial is a wskit client: NewRequest, ResponseReader, VerifyResponse.
func wskitDial(ctx context.Context, url string, cfg Config) (Endpoint, error) {
	u, err := handshake.ParseURL(url)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Addr())
	if err != nil {
		return nil, err
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	var co deflate.ClientOptions
	var ro handshake.RequestOptions
	if cfg.Deflate {
		if cfg.DeflateOffer != nil {
			co.Offers = []deflate.Params{*cfg.DeflateOffer}
		}
		ro.Extensions = co.Extensions()
	}
	req, err := handshake.NewRequest(url, nonce, ro)
	if err == nil {
		_ = conn.SetDeadline(time.Now().Add(hangTimeout))
		_, err = conn.Write(req.Append(nil))
	}
	var rest []byte
	var neg handshake.Negotiated
	if err == nil {
		var resp *handshake.Response
		resp, rest, err = readResponse(conn)
		if err == nil {
			neg, err = handshake.VerifyResponse(req, resp)
		}
	}
	var c *codec.Conn
	if err == nil && cfg.Deflate {
		c, err = co.NewConn(req, neg, wskitOptions(codec.RoleClient, cfg))
	}
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	if c != nil {
		return newWskitEndpointConn(conn, c, rest), nil
	}
	return newWskitEndpoint(conn, codec.RoleClient, cfg, rest)
}

// A wskitEndpoint is a codec.Conn driven over a net.Conn.
type wskitEndpoint struct {
	conn    net.Conn
	mu      sync.Mutex // guards c and writes
	c       *codec.Conn
	initial []byte
	buf     []byte
	pending []Message
	msg     []byte
	text    bool
	end     error
}

// wskitOptions are the Conn options of an endpoint in role with cfg's
// limits.
func wskitOptions(role codec.Role, cfg Config) codec.ConnOptions {
	opts := codec.ConnOptions{Role: role, Rand: rand.Reader}
	if l := cfg.Limits; l != nil {
		opts.MaxFramePayload, opts.MaxMessage = l.MaxFramePayload, l.MaxMessage
		opts.MaxFragments, opts.AllowNonMinimalLength = l.MaxFragments, l.AllowNonMinimalLength
	}
	return opts
}

func newWskitEndpoint(conn net.Conn, role codec.Role, cfg Config, initial []byte) (*wskitEndpoint, error) {
	c, err := codec.NewConn(wskitOptions(role, cfg))
	if err != nil {
		return nil, err
	}
	return newWskitEndpointConn(conn, c, initial), nil
}

// newWskitEndpointConn drives c over conn, initial being the bytes that
// followed the handshake head.
func newWskitEndpointConn(conn net.Conn, c *codec.Conn, initial []byte) *wskitEndpoint {
	return &wskitEndpoint{conn: conn, c: c, initial: append([]byte(nil), initial...), buf: make([]byte, 32<<10)}
}

// Read feeds the transport's bytes to the Conn and returns its messages.
func (e *wskitEndpoint) Read() (Message, error) {
	for {
		if len(e.pending) > 0 {
			m := e.pending[0]
			e.pending = e.pending[1:]
			return m, nil
		}
		if pc, ok := e.end.(*PeerClose); ok {
			return Message{}, pc // the echo waits for TakeOutgoing
		}
		// The application has answered what it read: what the Conn
		// owes goes out now (a Close it holds back follows the answers).
		e.TakeOutgoing()
		if e.end != nil {
			return Message{}, e.end
		}
		p := e.initial
		e.initial = nil
		var rerr error
		if p == nil {
			var n int
			n, rerr = e.conn.Read(e.buf)
			p = e.buf[:n]
		}
		e.receive(p)
		if rerr != nil && e.end == nil {
			e.mu.Lock()
			e.c.TransportClosed()
			e.mu.Unlock()
			e.end = rerr
		}
	}
}

// receive runs p through the Conn and queues the messages it completes;
// Read writes what the Conn owes once they are read.
func (e *wskitEndpoint) receive(p []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	evs, err := e.c.Receive(p)
	for _, ev := range evs {
		switch ev.Kind {
		case codec.EventMessageStart:
			e.msg, e.text = []byte{}, ev.Opcode == spec.OpText
		case codec.EventPayload:
			e.msg = append(e.msg, ev.Data...)
		case codec.EventMessageEnd:
			e.pending = append(e.pending, Message{Text: e.text, Data: e.msg})
		case codec.EventClose:
			e.end = &PeerClose{Code: int(ev.Code), Reason: append([]byte(nil), ev.Data...)}
		}
	}
	if err != nil {
		e.end = err
	}
}

// flush writes b and closes the transport when the Conn says so; the
// caller holds e.mu.
func (e *wskitEndpoint) flush(b []byte) {
	if len(b) > 0 {
		_ = e.conn.SetWriteDeadline(time.Now().Add(hangTimeout))
		_, _ = e.conn.Write(b)
	}
	if e.c.ShouldCloseTransport() {
		_ = e.conn.Close()
	}
}

// Send has the Conn build the frame and writes it.
func (e *wskitEndpoint) Send(a Send) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var (
		b   []byte
		err error
	)
	switch a.Action {
	case "send-text":
		b, err = e.c.SendMessage(spec.OpText, a.Data)
	case "send-binary":
		b, err = e.c.SendMessage(spec.OpBinary, a.Data)
	case "send-ping":
		b, err = e.c.SendPing(a.Data)
	case "send-pong":
		b, err = e.c.SendPong(a.Data)
	case "send-close":
		b, err = e.c.SendClose(spec.CloseCode(a.Code), string(a.Data))
	default:
		return errUnknownAction(a.Action)
	}
	if err != nil {
		return err
	}
	e.flush(b)
	return nil
}

// TakeOutgoing writes what the Conn owes, as conn.json's take-outgoing.
func (e *wskitEndpoint) TakeOutgoing() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.flush(e.c.Outgoing())
}

// CloseTransport closes the net.Conn.
func (e *wskitEndpoint) CloseTransport() { _ = e.conn.Close() }
