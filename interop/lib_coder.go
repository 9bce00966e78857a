package interop

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/coder/websocket"
)

// Coder drives github.com/coder/websocket: Accept under an httptest server
// and Dial, without compression; Read(ctx) in the application loop, which
// answers pings and echoes a Close itself.
func Coder() Library {
	return Library{
		Name:   "coder",
		Module: "github.com/coder/websocket v1.8.15",
		Setup:  "Accept(AcceptOptions{Subprotocols, OriginPatterns, CompressionMode: CompressionDisabled}) under net/http/httptest, Dial with CompressionDisabled; Read loop; SetReadLimit when a vector sets a limit (default 32768)",
		Serve: func(cfg Config) (*Server, error) {
			opts := &websocket.AcceptOptions{
				Subprotocols:    cfg.Subprotocols(),
				OriginPatterns:  coderOrigins(cfg),
				CompressionMode: coderCompression(cfg),
			}
			return httpServer(func(w http.ResponseWriter, r *http.Request) Endpoint {
				c, err := websocket.Accept(w, r, opts)
				if err != nil {
					return nil
				}
				return newCoderEndpoint(c, cfg)
			}), nil
		},
		Deflate: "AcceptOptions and DialOptions{CompressionMode: CompressionContextTakeover} (which falls back to no context takeover when the peer asks)",
		Dial: func(ctx context.Context, u string, cfg Config) (Endpoint, error) {
			c, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{CompressionMode: coderCompression(cfg)})
			if err != nil {
				return nil, err
			}
			return newCoderEndpoint(c, cfg), nil
		},
	}
}

// coderCompression is CompressionDisabled, coder's default, or
// CompressionContextTakeover for the deflate vectors.
func coderCompression(cfg Config) websocket.CompressionMode {
	if cfg.Deflate {
		return websocket.CompressionContextTakeover
	}
	return websocket.CompressionDisabled
}

// coderOrigins expresses a policy's Origin list as coder's host patterns:
// "*" when every Origin is served. coder always serves a request without
// Origin (not from a browser) and one whose Origin host is the Host.
func coderOrigins(cfg Config) []string {
	origins := cfg.Origins()
	if origins == nil {
		return []string{"*"}
	}
	var out []string
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil {
			out = append(out, u.Host)
		}
	}
	return out
}

// coderEndpoint is a coder *websocket.Conn.
type coderEndpoint struct{ c *websocket.Conn }

func newCoderEndpoint(c *websocket.Conn, cfg Config) *coderEndpoint {
	if n := cfg.ReadLimit(); n > 0 {
		c.SetReadLimit(n)
	}
	return &coderEndpoint{c}
}

// Read is Conn.Read; a websocket.CloseError is the peer's Close.
func (e *coderEndpoint) Read() (Message, error) {
	typ, p, err := e.c.Read(context.Background())
	if err != nil {
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return Message{}, &PeerClose{Code: int(ce.Code), Reason: []byte(ce.Reason)}
		}
		return Message{}, err
	}
	return Message{Text: typ == websocket.MessageText, Data: p}, nil
}

// Send uses Write, Ping (which waits for the pong) and Close (which waits
// for the peer's Close); coder has no API to send a pong.
func (e *coderEndpoint) Send(a Send) error {
	ctx, cancel := context.WithTimeout(context.Background(), hangTimeout)
	defer cancel()
	switch a.Action {
	case "send-text":
		return e.c.Write(ctx, websocket.MessageText, a.Data)
	case "send-binary":
		return e.c.Write(ctx, websocket.MessageBinary, a.Data)
	case "send-ping":
		err := e.c.Ping(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			return nil // sent; the harness does not answer it
		}
		return err
	case "send-pong":
		return ErrUnsupported
	case "send-close":
		if len(a.Data) > 0 && a.Code == 1005 {
			return ErrUnsupported
		}
		return e.c.Close(websocket.StatusCode(a.Code), string(a.Data))
	}
	return errUnknownAction(a.Action)
}

// CloseTransport is CloseNow.
func (e *coderEndpoint) CloseTransport() { _ = e.c.CloseNow() }
