package interop

import (
	"context"
	"errors"
	"fmt"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/vectors"
)

// A Library is one WebSocket implementation under test, as its drivers
// expose it: a server on a loopback listener and a client that dials a URL.
type Library struct {
	// Name is the column heading, such as "gorilla".
	Name string
	// Module is the Go module and version driven, such as
	// "github.com/gorilla/websocket v1.5.3".
	Module string
	// Setup says in one line how the driver configures the library.
	Setup string
	// Exact is true for a library that can be configured with every
	// receive limit, leniency and server policy the vectors use (wskit
	// itself). Other libraries get "n/a" on vectors that need an option
	// they lack.
	Exact bool
	// Serve starts a server configured by cfg on 127.0.0.1.
	Serve func(cfg Config) (*Server, error)
	// Dial connects a client configured by cfg to url (ws://127.0.0.1:port/).
	Dial func(ctx context.Context, url string, cfg Config) (Endpoint, error)
	// Deflate says in one line how the driver turns permessage-deflate
	// on (Config.Deflate); "" when the library has no permessage-deflate.
	Deflate string
}

// A Server is a running library server.
type Server struct {
	// Addr is the listener's address, host:port.
	Addr string
	// Accepted receives the application side of each connection the
	// library upgraded.
	Accepted <-chan Endpoint
	// Stop closes the listener and every connection; it waits for the
	// server's goroutines (bounded by the drivers' own timeouts).
	Stop func()
}

// Config is what a vector asks of the endpoint under test.
type Config struct {
	// Limits are the receive limits of decoder.json and conn.json, or nil
	// for the library's defaults.
	Limits *vectors.Limits
	// Policy is a server's handshake policy (handshake.json), or nil.
	Policy *vectors.ServerPolicy
	// MaxHeadSize is the server's limit on a request head, 0 for its
	// default.
	MaxHeadSize int
	// Deflate turns permessage-deflate on (deflate.json): a server
	// accepts an offer as the library's documented configuration does,
	// a client offers it.
	Deflate bool
	// DeflateOffer, with Deflate, are the parameters the vector agreed
	// on, for a client that can offer exactly them (wskit); the others
	// make their own offers.
	DeflateOffer *deflate.Params
	// DeflatePolicy, with Deflate, is a server's permessage-deflate
	// policy (deflate.json offers), for a library that takes every one
	// (wskit); nil means the library's defaults.
	DeflatePolicy *vectors.DeflatePolicy
}

// ReadLimit is the one read limit of a library that has a single limit on
// the size of a received message: maxMessage, else maxFramePayload, else 0
// (the library's default).
func (c Config) ReadLimit() int64 {
	if c.Limits == nil {
		return 0
	}
	if c.Limits.MaxMessage != 0 {
		return int64(c.Limits.MaxMessage)
	}
	return int64(c.Limits.MaxFramePayload)
}

// Subprotocols returns the subprotocols of the server policy, or nil.
func (c Config) Subprotocols() []string {
	if c.Policy == nil {
		return nil
	}
	return c.Policy.Subprotocols
}

// Origins returns the Origin values the server policy serves; nil means
// every Origin.
func (c Config) Origins() []string {
	if c.Policy == nil {
		return nil
	}
	return c.Policy.Origins
}

// OriginAllowed applies the policy's Origin list to an Origin value ("" when
// absent), as handshake.json defines it.
func (c Config) OriginAllowed(origin string) bool {
	allowed := c.Origins()
	if allowed == nil {
		return true
	}
	for _, o := range allowed {
		if o == origin {
			return true
		}
	}
	return false
}

// A Message is a data message the library delivered to its application.
type Message struct {
	// Text is true for a text message, false for binary.
	Text bool
	// Data is the payload.
	Data []byte
}

// An Endpoint is the application's side of one library connection after
// the opening handshake. Read is called from one goroutine; Send and Close
// may be called from another while Read blocks, as each library allows.
type Endpoint interface {
	// Read returns the next data message. It returns a *PeerClose when
	// the peer's Close frame ended the connection, and another error when
	// the library failed the connection or the transport ended.
	Read() (Message, error)
	// Send makes the application send one message or control frame.
	// It returns ErrUnsupported when the library has no API for it.
	Send(a Send) error
	// CloseTransport closes the underlying connection at once.
	CloseTransport()
}

// A Send is an application request of conn.json: "send-text",
// "send-binary", "send-ping", "send-pong" or "send-close".
type Send struct {
	Action string
	Data   []byte
	// Code is the close code of "send-close"; 1005 asks for an empty body.
	Code int
}

// PeerClose is the error Read returns when the peer's Close ended the
// connection: its code (1005 for an empty body) and reason, as the library
// reports them.
type PeerClose struct {
	Code   int
	Reason []byte
}

func (e *PeerClose) Error() string { return fmt.Sprintf("peer closed with %d %q", e.Code, e.Reason) }

// ErrUnsupported is returned by Send when the library has no public API for
// the action (coder/websocket cannot send a pong on its own, for instance).
var ErrUnsupported = errors.New("interop: the library has no API for this")

// errUnknownAction reports a Send action this harness does not know.
func errUnknownAction(a string) error { return fmt.Errorf("interop: unknown send action %q", a) }
