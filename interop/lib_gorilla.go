package interop

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Gorilla drives github.com/gorilla/websocket: Upgrader.Upgrade under an
// httptest server, Dialer.DialContext, ReadMessage in the application loop,
// the default ping and close handlers (which answer pings and echo a Close).
func Gorilla() Library {
	return Library{
		Name:   "gorilla",
		Module: "github.com/gorilla/websocket v1.5.3",
		Setup:  "Upgrader{Subprotocols, CheckOrigin} under net/http/httptest, Dialer.DialContext; ReadMessage loop; default ping and close handlers; SetReadLimit when a vector sets a limit (default: none)",
		Serve: func(cfg Config) (*Server, error) {
			up := websocket.Upgrader{
				Subprotocols:      cfg.Subprotocols(),
				CheckOrigin:       func(r *http.Request) bool { return cfg.OriginAllowed(r.Header.Get("Origin")) },
				EnableCompression: cfg.Deflate,
			}
			return httpServer(func(w http.ResponseWriter, r *http.Request) Endpoint {
				c, err := up.Upgrade(w, r, nil)
				if err != nil {
					return nil
				}
				return newGorillaEndpoint(c, cfg)
			}), nil
		},
		Deflate: "Upgrader{EnableCompression: true}, Dialer{EnableCompression: true} (gorilla's only permessage-deflate setting)",
		Dial: func(ctx context.Context, url string, cfg Config) (Endpoint, error) {
			d := *websocket.DefaultDialer
			d.EnableCompression = cfg.Deflate
			c, _, err := d.DialContext(ctx, url, nil)
			if err != nil {
				return nil, err
			}
			return newGorillaEndpoint(c, cfg), nil
		},
	}
}

// gorillaEndpoint is a gorilla *websocket.Conn.
type gorillaEndpoint struct{ c *websocket.Conn }

func newGorillaEndpoint(c *websocket.Conn, cfg Config) *gorillaEndpoint {
	if n := cfg.ReadLimit(); n > 0 {
		c.SetReadLimit(n)
	}
	return &gorillaEndpoint{c}
}

// Read is ReadMessage; a *websocket.CloseError is the peer's Close.
func (e *gorillaEndpoint) Read() (Message, error) {
	typ, p, err := e.c.ReadMessage()
	if err != nil {
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			return Message{}, &PeerClose{Code: ce.Code, Reason: []byte(ce.Text)}
		}
		return Message{}, err
	}
	return Message{Text: typ == websocket.TextMessage, Data: p}, nil
}

// Send uses WriteMessage for data and WriteControl for control frames.
func (e *gorillaEndpoint) Send(a Send) error {
	deadline := time.Now().Add(hangTimeout)
	switch a.Action {
	case "send-text":
		return e.c.WriteMessage(websocket.TextMessage, a.Data)
	case "send-binary":
		return e.c.WriteMessage(websocket.BinaryMessage, a.Data)
	case "send-ping":
		return e.c.WriteControl(websocket.PingMessage, a.Data, deadline)
	case "send-pong":
		return e.c.WriteControl(websocket.PongMessage, a.Data, deadline)
	case "send-close":
		return e.c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(a.Code, string(a.Data)), deadline)
	}
	return errUnknownAction(a.Action)
}

// CloseTransport is Conn.Close, which closes the connection without a
// Close frame.
func (e *gorillaEndpoint) CloseTransport() { _ = e.c.Close() }
