package codec

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// endpoint is one Conn of the state machine, with what it has sent and
// received and the model of its closing handshake.
type endpoint struct {
	name string
	conn *Conn
	pipe []byte // bytes handed out and not yet received by the peer
	wire []byte // every byte ever handed out

	// What the application did and saw.
	sentMsgs  []string
	sentPings []string
	gotMsgs   []string
	gotPongs  []string
	gotCloses int
	partial   []byte // payload of a message being received
	partialOp spec.Opcode

	// The model: has a Close gone out, has the peer's arrived.
	closeSent, closeReceived bool
}

// hand appends bytes the Conn handed out to the pipe and the wire log.
func (e *endpoint) hand(out []byte) {
	e.pipe = append(e.pipe, out...)
	e.wire = append(e.wire, out...)
}

// expectState checks the Conn's state against the model.
func (e *endpoint) expectState(t *rapid.T) {
	want := StateOpen
	switch {
	case e.closeSent && e.closeReceived:
		want = StateClosed
	case e.closeSent || e.closeReceived:
		want = StateClosing
	}
	if got := e.conn.State(); got != want {
		t.Fatalf("%s: state %v, model says %v (sent %v, received %v)", e.name, got, want, e.closeSent, e.closeReceived)
	}
	if e.conn.CloseSent() != e.closeSent || e.conn.CloseReceived() != e.closeReceived {
		t.Fatalf("%s: CloseSent %v CloseReceived %v, model %v %v", e.name, e.conn.CloseSent(), e.conn.CloseReceived(), e.closeSent, e.closeReceived)
	}
	if e.conn.ShouldCloseTransport() && !(e.conn.Role() == RoleServer && e.closeSent && e.closeReceived) {
		t.Fatalf("%s: told to close the transport in state sent=%v received=%v", e.name, e.closeSent, e.closeReceived)
	}
}

// checkWire decodes everything e ever sent, as its peer would, and checks
// the invariants of the closing handshake: every frame valid, at most one
// Close and no data frame after it (R-5.5.1-no-data-after-close); a pong
// only as an answer.
func (e *endpoint) checkWire(t *rapid.T) (closes int) {
	d, err := NewDecoder(DecoderOptions{Role: peerOf(e.conn.Role())})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := feed(t, d, e.wire)
	if err != nil {
		t.Fatalf("%s sent bytes its peer rejects: %v", e.name, err)
	}
	for _, ev := range evs {
		switch ev.Kind {
		case EventClose:
			closes++
			if closes > 1 {
				t.Fatalf("%s sent a second Close", e.name)
			}
		case EventMessageStart, EventPayload, EventMessageEnd:
			if closes > 0 {
				t.Fatalf("%s sent data after its Close", e.name)
			}
		}
	}
	return closes
}

// deliver hands the first n bytes of from's pipe to to.Receive, as one
// read, and records what to's application sees.
func deliver(t *rapid.T, from, to *endpoint, n int) {
	in := slices.Clone(from.pipe[:n])
	from.pipe = from.pipe[n:]
	evs, err := to.conn.Receive(in)
	if err != nil {
		t.Fatalf("%s failed on valid input from %s: %v", to.name, from.name, err)
	}
	for _, ev := range evs {
		if to.closeReceived {
			t.Fatalf("%s delivered %v after the peer's Close", to.name, ev.Kind)
		}
		switch ev.Kind {
		case EventMessageStart:
			to.partial, to.partialOp = []byte{}, ev.Opcode
		case EventPayload:
			to.partial = append(to.partial, ev.Data...)
		case EventMessageEnd:
			to.gotMsgs = append(to.gotMsgs, fmt.Sprintf("%v %q", to.partialOp, to.partial))
		case EventPong:
			to.gotPongs = append(to.gotPongs, string(ev.Data))
		case EventClose:
			to.gotCloses++
			to.closeReceived = true
		}
	}
}

// flush takes what e owes (a queued pong or Close echo) and sends it.
func flush(t *rapid.T, e *endpoint) {
	out := e.conn.Outgoing()
	if e.closeReceived && !e.closeSent {
		if len(out) == 0 {
			t.Fatalf("%s owes an echo and handed out nothing", e.name)
		}
		e.closeSent = true // R-5.5.1-echo-close
	}
	e.hand(out)
}

// TestConnPair runs a client and a server Conn against each other and
// against a model of the closing handshake: each side sends messages,
// pings and a Close when it likes, bytes travel in reads of any size, and
// queued answers go out when taken. Invariants after every step: the
// states match the model; neither side ever sends data after its Close or
// two Closes; the messages received are a prefix of those sent; pongs
// echo pings. At the end everything is delivered: if a Close was sent,
// both sides are Closed with exactly one Close each way (one echo), and
// every message sent arrived.
func TestConnPair(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		client := &endpoint{name: "client"}
		server := &endpoint{name: "server"}
		var err error
		if client.conn, err = NewConn(ConnOptions{Role: RoleClient, Rand: rapidReader{t}, FragmentSize: rapid.IntRange(0, 8).Draw(t, "client fragment size")}); err != nil {
			t.Fatal(err)
		}
		if server.conn, err = NewConn(ConnOptions{Role: RoleServer, FragmentSize: rapid.IntRange(0, 8).Draw(t, "server fragment size")}); err != nil {
			t.Fatal(err)
		}
		peer := map[*endpoint]*endpoint{client: server, server: client}
		sides := []*endpoint{client, server}

		send := func(t *rapid.T) {
			e := rapid.SampledFrom(sides).Draw(t, "side")
			op := rapid.SampledFrom([]spec.Opcode{spec.OpText, spec.OpBinary}).Draw(t, "opcode")
			p := []byte(rapid.StringN(0, 20, -1).Draw(t, "message"))
			out, err := e.conn.SendMessage(op, p)
			if e.closeSent {
				if !errors.Is(err, ErrCloseSent) {
					t.Fatalf("%s sent data after its Close: %v", e.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", e.name, err)
			}
			e.sentMsgs = append(e.sentMsgs, fmt.Sprintf("%v %q", op, p))
			e.hand(out)
		}
		ping := func(t *rapid.T) {
			e := rapid.SampledFrom(sides).Draw(t, "side")
			p := rapid.StringN(0, 10, 125).Draw(t, "ping")
			out, err := e.conn.SendPing([]byte(p))
			if e.closeSent && e.closeReceived {
				if !errors.Is(err, ErrClosed) {
					t.Fatalf("%s pinged when closed: %v", e.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", e.name, err)
			}
			e.sentPings = append(e.sentPings, p)
			e.hand(out)
		}
		closeAction := func(t *rapid.T) {
			e := rapid.SampledFrom(sides).Draw(t, "side")
			code := rapid.SampledFrom([]spec.CloseCode{spec.CloseNoStatus, 1000, 1001, 1011, 3000, 4999}).Draw(t, "code")
			reason := ""
			if code != spec.CloseNoStatus {
				reason = rapid.StringN(0, 10, 123).Draw(t, "reason")
			}
			out, err := e.conn.SendClose(code, reason)
			if e.closeSent {
				if !errors.Is(err, ErrCloseSent) && !errors.Is(err, ErrClosed) {
					t.Fatalf("%s sent a second Close: %v", e.name, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", e.name, err)
			}
			e.closeSent = true
			e.hand(out)
		}
		deliverAction := func(t *rapid.T) {
			e := rapid.SampledFrom(sides).Draw(t, "from")
			if len(e.pipe) == 0 {
				t.Skip("nothing in flight")
			}
			n := rapid.IntRange(1, len(e.pipe)).Draw(t, "bytes")
			deliver(t, e, peer[e], n)
		}
		flushAction := func(t *rapid.T) {
			flush(t, rapid.SampledFrom(sides).Draw(t, "side"))
		}
		invariant := func(t *rapid.T) {
			for _, e := range sides {
				e.expectState(t)
				e.checkWire(t)
				p := peer[e]
				if len(e.gotMsgs) > len(p.sentMsgs) || !slices.Equal(e.gotMsgs, p.sentMsgs[:len(e.gotMsgs)]) {
					t.Fatalf("%s received %q, %s sent %q", e.name, e.gotMsgs, p.name, p.sentMsgs)
				}
				// R-5.5.3-pong-echo: pongs carry the pings' payloads, in
				// order.
				if len(e.gotPongs) > len(e.sentPings) || !slices.Equal(e.gotPongs, e.sentPings[:len(e.gotPongs)]) {
					t.Fatalf("%s got pongs %q for pings %q", e.name, e.gotPongs, e.sentPings)
				}
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"send":    send,
			"ping":    ping,
			"close":   closeAction,
			"deliver": deliverAction,
			"flush":   flushAction,
			"":        invariant,
		})

		// Deliver everything, answering as the protocol requires.
		for range 4 {
			for _, e := range sides {
				flush(t, e)
				if len(e.pipe) > 0 {
					deliver(t, e, peer[e], len(e.pipe))
				}
			}
		}
		invariant(t)
		closing := client.closeSent || server.closeSent
		for _, e := range sides {
			closes := e.checkWire(t)
			if diff := cmp.Diff(peer[e].sentMsgs, e.gotMsgs); diff != "" {
				t.Fatalf("%s did not receive every message (-sent +received):\n%s", e.name, diff)
			}
			if !closing {
				if e.conn.State() != StateOpen || closes != 0 {
					t.Fatalf("%s: %v with %d closes and nobody closing", e.name, e.conn.State(), closes)
				}
				continue
			}
			if e.conn.State() != StateClosed || closes != 1 || e.gotCloses != 1 || !e.conn.Clean() {
				t.Fatalf("%s ended %v, sent %d Closes, received %d", e.name, e.conn.State(), closes, e.gotCloses)
			}
		}
		if closing && (!server.conn.ShouldCloseTransport() || client.conn.ShouldCloseTransport()) {
			t.Fatal("the server must close the transport, the client must wait")
		}
	})
}
