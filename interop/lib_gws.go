package interop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/lxzan/gws"
)

// Gws drives github.com/lxzan/gws: Upgrader.Upgrade under an httptest
// server and NewClient, each connection's ReadLoop in its own goroutine,
// and the event handler of gws's README (OnPing answers with WritePong).
// Its defaults are kept: CheckUtf8Enabled false, ReadMaxPayloadSize 16 MiB.
func Gws() Library {
	return Library{
		Name:   "gws",
		Module: "github.com/lxzan/gws v1.8.9",
		Setup:  "NewUpgrader(handler, ServerOption{SubProtocols, Authorize for Origin, ReadMaxPayloadSize}) under net/http/httptest, NewClient; ReadLoop; OnPing → WritePong as in the README; defaults otherwise (CheckUtf8Enabled false)",
		Serve: func(cfg Config) (*Server, error) {
			opt := &gws.ServerOption{
				SubProtocols:       cfg.Subprotocols(),
				ReadMaxPayloadSize: int(cfg.ReadLimit()),
				Authorize: func(r *http.Request, _ gws.SessionStorage) bool {
					return cfg.OriginAllowed(r.Header.Get("Origin"))
				},
				Logger:            gwsQuiet{},
				PermessageDeflate: gwsDeflate(cfg),
			}
			return httpServer(func(w http.ResponseWriter, r *http.Request) Endpoint {
				h := newGwsEndpoint()
				c, err := gws.NewUpgrader(h, opt).Upgrade(w, r)
				if err != nil {
					return nil
				}
				h.start(c)
				return h
			}), nil
		},
		Deflate: "ServerOption and ClientOption{PermessageDeflate: {Enabled: true, ServerContextTakeover: true, ClientContextTakeover: true}}, window bits left at their default",
		Dial: func(ctx context.Context, url string, cfg Config) (Endpoint, error) {
			h := newGwsEndpoint()
			c, _, err := gws.NewClient(h, &gws.ClientOption{Addr: url, ReadMaxPayloadSize: int(cfg.ReadLimit()), HandshakeTimeout: hangTimeout, Logger: gwsQuiet{}, PermessageDeflate: gwsDeflate(cfg)})
			if err != nil {
				return nil, err
			}
			h.start(c)
			return h, nil
		},
	}
}

// gwsDeflate is gws's permessage-deflate configuration: off, its default,
// or on with context takeover both ways (the recommendation of
// PermessageDeflate's documentation for clients, and what a server must
// allow to read the vectors that keep the window).
func gwsDeflate(cfg Config) gws.PermessageDeflate {
	if !cfg.Deflate {
		return gws.PermessageDeflate{}
	}
	return gws.PermessageDeflate{Enabled: true, ServerContextTakeover: true, ClientContextTakeover: true}
}

// gwsEndpoint is a gws event handler turned into a pull API: OnMessage
// hands each message to Read and waits until Read took it, so that gws
// reads on only when the application does, as with the other libraries.
type gwsEndpoint struct {
	gws.BuiltinEventHandler
	c        *gws.Conn
	messages chan Message
	acks     chan struct{} // Read's request for the next message
	acked    bool          // Read must ack before taking the next message
	ended    chan struct{}
	closed   chan struct{} // CloseTransport was called
	once     sync.Once
	cOnce    sync.Once
	err      error // set before ended is closed
}

func newGwsEndpoint() *gwsEndpoint {
	return &gwsEndpoint{messages: make(chan Message), acks: make(chan struct{}), ended: make(chan struct{}), closed: make(chan struct{})}
}

// start runs ReadLoop, recovering a panic so that Read can raise it in
// the application's goroutine.
func (e *gwsEndpoint) start(c *gws.Conn) {
	e.c = c
	go func() {
		defer func() {
			if r := recover(); r != nil {
				e.end(gwsPanic{r})
			}
		}()
		c.ReadLoop()
		e.end(errors.New("gws: ReadLoop returned"))
	}()
}

// gwsPanic carries a panic out of ReadLoop.
type gwsPanic struct{ v any }

func (p gwsPanic) Error() string { return fmt.Sprint("panic in ReadLoop: ", p.v) }

// end records the first reason the connection ended.
func (e *gwsEndpoint) end(err error) {
	e.once.Do(func() {
		e.err = err
		close(e.ended)
	})
}

// OnClose is called once when the connection ends: a *gws.CloseError is
// the peer's Close.
func (e *gwsEndpoint) OnClose(_ *gws.Conn, err error) {
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		e.end(&PeerClose{Code: int(ce.Code), Reason: ce.Reason})
		return
	}
	e.end(err)
}

// OnPing answers with a pong, as gws's README handler does.
func (e *gwsEndpoint) OnPing(c *gws.Conn, payload []byte) { _ = c.WritePong(payload) }

// OnMessage hands the message to Read and returns when the application
// asks for the next one, as a handler that answers each message in
// OnMessage does.
func (e *gwsEndpoint) OnMessage(_ *gws.Conn, m *gws.Message) {
	msg := Message{Text: m.Opcode == gws.OpcodeText, Data: append([]byte(nil), m.Bytes()...)}
	_ = m.Close()
	select {
	case e.messages <- msg:
	case <-e.closed:
		return
	}
	select {
	case <-e.acks:
	case <-e.closed:
	}
}

// Read returns the next message, or how the connection ended.
func (e *gwsEndpoint) Read() (Message, error) {
	if e.acked {
		select {
		case e.acks <- struct{}{}:
		case <-e.ended:
		case <-e.closed:
		}
	}
	select {
	case m := <-e.messages:
		e.acked = true
		return m, nil
	case <-e.ended:
		if p, ok := e.err.(gwsPanic); ok {
			panic(p.v)
		}
		return Message{}, e.err
	}
}

// Send uses WriteMessage, WritePing, WritePong and WriteClose.
func (e *gwsEndpoint) Send(a Send) error {
	switch a.Action {
	case "send-text":
		return e.c.WriteMessage(gws.OpcodeText, a.Data)
	case "send-binary":
		return e.c.WriteMessage(gws.OpcodeBinary, a.Data)
	case "send-ping":
		return e.c.WritePing(a.Data)
	case "send-pong":
		return e.c.WritePong(a.Data)
	case "send-close":
		return e.c.WriteClose(uint16(a.Code), a.Data)
	}
	return errUnknownAction(a.Action)
}

// CloseTransport closes the net.Conn under the gws.Conn.
func (e *gwsEndpoint) CloseTransport() {
	e.cOnce.Do(func() { close(e.closed) })
	if e.c != nil {
		_ = e.c.NetConn().Close()
	}
}

// gwsQuiet is a gws.Logger that drops the library's error log.
type gwsQuiet struct{}

func (gwsQuiet) Error(...any) {}
