package conformance_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
)

// echoClient is a client-role echo peer on codec.Conn, the way clients
// under test answer Autobahn's fuzzing server: it sends back every message
// and leaves pings, pongs and the closing handshake to codec.Conn.
// codec.Conn fails the connection on a masked frame from the server, so a
// clean run also proves the runner sent unmasked frames.
func echoClient(t *testing.T, nc net.Conn) {
	t.Helper()
	ws, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: zeroReader{}})
	if err != nil {
		t.Error(err)
		return
	}
	defer nc.Close()
	buf := make([]byte, 64<<10)
	var msg []byte
	for {
		nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := nc.Read(buf)
		if err != nil {
			ws.TransportClosed()
			return
		}
		evs, err := ws.Receive(buf[:n])
		for _, ev := range evs {
			switch ev.Kind {
			case codec.EventMessageStart:
				msg = msg[:0]
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				if ws.State() == codec.StateOpen {
					b, err := ws.SendMessage(ev.Opcode, msg)
					if err != nil {
						t.Error(err)
					}
					nc.Write(b)
				}
			}
		}
		if out := ws.Outgoing(); len(out) > 0 {
			nc.Write(out)
		}
		if err != nil {
			t.Errorf("the client failed the connection: %v", err)
			return
		}
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestPlayAsServer runs cases with the runner in the server role against
// a client: the engine sends unmasked frames, and closes TCP itself once
// the closing handshake is done (R-5.5.1-close-tcp).
func TestPlayAsServer(t *testing.T) {
	for _, id := range []string{"1.1.1", "1.2.6", "2.1", "5.6", "7.1.1", "7.7.1"} {
		t.Run(id, func(t *testing.T) {
			c, ok := autobahn.Lookup(id)
			if !ok {
				t.Fatal("no case")
			}
			server, client := net.Pipe()
			done := make(chan struct{})
			go func() {
				defer close(done)
				echoClient(t, client)
			}()
			r, err := conformance.Play(context.Background(), server, c, conformance.PlayOptions{Role: codec.RoleServer, Request: []byte("GET / HTTP/1.1\r\n\r\n")})
			<-done
			if err != nil {
				t.Fatal(err)
			}
			if r.Behavior != conformance.OK || r.BehaviorClose != conformance.OK || !r.WasClean || r.DroppedByMe || !r.IsServer {
				t.Errorf("%s/%s clean=%v droppedByMe=%v isServer=%v: %s", r.Behavior, r.BehaviorClose, r.WasClean, r.DroppedByMe, r.IsServer, r.Reason)
			}
			if r.HTTPRequest != "GET / HTTP/1.1\r\n\r\n" || r.HTTPResponse != "?" {
				t.Errorf("handshake heads %q %q", r.HTTPRequest, r.HTTPResponse)
			}
			for _, e := range r.WireLog {
				if e.Kind == conformance.WireFrameOut && e.Mask != nil {
					t.Errorf("the runner as server masked a frame: %+v", e)
				}
			}
		})
	}
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// TestPlayRandFailure: when the source of masking keys fails, the case
// ends and the error comes back; nothing panics.
func TestPlayRandFailure(t *testing.T) {
	c, _ := autobahn.Lookup("1.1.1")
	server, client := net.Pipe()
	go func() {
		buf := make([]byte, 1024)
		for {
			if _, err := client.Read(buf); err != nil {
				return
			}
		}
	}()
	defer client.Close()
	_, err := conformance.Play(context.Background(), server, c, conformance.PlayOptions{Role: codec.RoleClient, Rand: failingReader{}})
	if err == nil || err.Error() != "conformance: reading a masking key: no entropy" {
		t.Errorf("error %v", err)
	}
}
