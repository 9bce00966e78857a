package codec

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

func newConn(t testing.TB, role Role, opts ConnOptions) *Conn {
	t.Helper()
	opts.Role = role
	if opts.Rand == nil {
		opts.Rand = &countReader{}
	}
	c, err := NewConn(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func peerOf(r Role) Role {
	if r == RoleServer {
		return RoleClient
	}
	return RoleServer
}

// sent decodes bytes c sent, as its peer would, into whole messages and
// control frames.
func sent(t testing.TB, c *Conn, out []byte) []string {
	t.Helper()
	evs, err := feed(t, newDecoder(t, DecoderOptions{Role: peerOf(c.Role())}), out)
	if err != nil {
		t.Fatalf("the Conn sent bytes its peer rejects: %v", err)
	}
	return messages(evs)
}

// receive passes in (as the peer of c sends it) to c.Receive and returns
// the events as whole messages and control frames.
func receive(t testing.TB, c *Conn, in []byte) ([]string, error) {
	t.Helper()
	evs, err := c.Receive(in)
	var copied []Event
	for _, ev := range evs {
		ev.Data = append([]byte{}, ev.Data...)
		copied = append(copied, ev)
	}
	return messages(copied), err
}

func wantStrings(t testing.TB, what string, want, got []string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func wantState(t testing.TB, c *Conn, state ConnState, closeTransport bool) {
	t.Helper()
	if c.State() != state || c.ShouldCloseTransport() != closeTransport {
		t.Errorf("state %v, close transport %v; want %v, %v", c.State(), c.ShouldCloseTransport(), state, closeTransport)
	}
}

func TestConnPongs(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		c := newConn(t, role, ConnOptions{})
		var frames []tframe
		for i := range 10 {
			frames = append(frames, ping("payload-"+string(rune('0'+i))))
		}
		frames = append(frames, pong("unsolicited"))
		evs, err := receive(t, c, wire(role, frames...))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 11 {
			t.Fatalf("%d events", len(evs))
		}
		// R-5.5.2-pong, R-5.5.3-pong-echo: one pong per ping, same
		// payload, in order (Autobahn 2.10 expects them all, although
		// R-5.5.3-latest-only would allow answering only the last);
		// none for the pong (R-5.5.3-unsolicited).
		var want []string
		for i := range 10 {
			want = append(want, `pong "payload-`+string(rune('0'+i))+`"`)
		}
		wantStrings(t, role.String()+" pongs", want, sent(t, c, c.Outgoing()))
		wantState(t, c, StateOpen, false)
	}
}

// TestConnPingInsideFragmentedText is Autobahn 5.6 with the code point
// split: the pong goes out before the message is complete.
func TestConnPingInsideFragmentedText(t *testing.T) {
	c := newConn(t, RoleServer, ConnOptions{})
	in := wire(RoleServer, text(false, "fragment1 κ\xcf"), ping("ping payload"), cont(true, "\x8cσμε"))
	var all []Event
	for _, part := range [][]byte{in[:20], in[20:]} {
		evs, err := c.Receive(part)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			ev.Data = append([]byte{}, ev.Data...)
			all = append(all, ev)
		}
	}
	wantStrings(t, "events", []string{`ping "ping payload"`, `text "fragment1 κόσμε"`}, messages(all))
	wantStrings(t, "owed", []string{`pong "ping payload"`}, sent(t, c, c.Outgoing()))
}

func TestConnCloseEcho(t *testing.T) {
	tests := []struct {
		name  string
		in    tframe
		event string
		echo  string
		code  spec.CloseCode // R-7.1.5-close-code
	}{
		{"code and reason", closeFrame(1001, "going"), `close 1001 "going"`, `close 1001 ""`, 1001},
		{"empty body", tframe{fin: true, op: spec.OpClose}, `close 1005 ""`, `close 1005 ""`, 1005}, // an empty body, never 1005 on the wire
		{"registered code", closeFrame(3999, ""), `close 3999 ""`, `close 3999 ""`, 3999},
	}
	for _, tt := range tests {
		for _, role := range []Role{RoleServer, RoleClient} {
			c := newConn(t, role, ConnOptions{})
			// Frames after the Close are not processed: no pong, no
			// message (Autobahn 7.1.3, 7.1.4).
			evs, err := receive(t, c, wire(role, tt.in, ping("late"), text(true, "late")))
			if err != nil {
				t.Fatal(err)
			}
			wantStrings(t, tt.name+" events", []string{tt.event}, evs)
			wantState(t, c, StateClosing, false)
			out := c.Outgoing()
			wantStrings(t, tt.name+" echo", []string{tt.echo}, sent(t, c, out))
			if tt.in.payload == "" && len(out) != 2 && len(out) != 6 {
				t.Errorf("empty close echoed as % x", out)
			}
			wantState(t, c, StateClosed, role == RoleServer)
			if evs, err := c.Receive(wire(role, closeFrame(1000, ""))); evs != nil || err != nil {
				t.Errorf("Receive after the close: %v, %v", evs, err)
			}
			if out := c.Outgoing(); len(out) != 0 {
				t.Errorf("a second echo: % x", out)
			}
			if _, err := c.SendMessage(spec.OpText, []byte("x")); !errors.Is(err, ErrCloseSent) {
				t.Errorf("data after the echo: %v", err)
			}
			if !c.Clean() || c.CloseCode() != tt.code {
				t.Errorf("clean %v, code %v", c.Clean(), c.CloseCode())
			}
			if code := c.TransportClosed(); code != tt.code {
				t.Errorf("TransportClosed = %v", code)
			}
		}
	}
}

// TestConnEchoBeforeClose: the application may answer a message that came
// in the same read as the peer's Close before the echo goes out.
func TestConnEchoBeforeClose(t *testing.T) {
	c := newConn(t, RoleServer, ConnOptions{})
	evs, err := receive(t, c, wire(RoleServer, text(true, "Hello World!"), closeFrame(1000, "")))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "events", []string{`text "Hello World!"`, `close 1000 ""`}, evs)
	out, err := c.SendMessage(spec.OpText, []byte("Hello World!"))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "echo", []string{`text "Hello World!"`}, sent(t, c, out))
	wantStrings(t, "close", []string{`close 1000 ""`}, sent(t, c, c.Outgoing()))
	wantState(t, c, StateClosed, true)
}

// TestConnFailure is Autobahn 3.2: a valid message, a frame with RSV2 and a
// ping in one read. The message is returned with the error, can be echoed,
// and the failing Close follows; the ping is never answered.
func TestConnFailure(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		c := newConn(t, role, ConnOptions{})
		evs, err := receive(t, c, wire(role, text(true, "Hello, world!"), tframe{fin: true, rsv: Rsv2, op: spec.OpText, payload: "Hello, world!"}, ping("")))
		checkProtocolError(t, err, 1002, "R-5.2-rsv-fail", -2)
		wantStrings(t, "events", []string{`text "Hello, world!"`}, evs)
		wantState(t, c, StateClosing, false)
		out, serr := c.SendMessage(spec.OpText, []byte("Hello, world!"))
		if serr != nil {
			t.Fatalf("echo before the failing close: %v", serr)
		}
		wantStrings(t, "echo", []string{`text "Hello, world!"`}, sent(t, c, out))
		if _, err := c.SendClose(1000, ""); !errors.Is(err, ErrCloseSent) {
			t.Errorf("SendClose after failing: %v", err)
		}
		wantStrings(t, "failing close", []string{`close 1002 ""`}, sent(t, c, c.Outgoing()))
		wantState(t, c, StateClosed, true)
		// R-7.1.7-fail-stop: nothing more is processed.
		evs2, err2 := c.Receive(wire(role, closeFrame(1000, "")))
		if len(evs2) != 0 || err2 != err || c.CloseReceived() {
			t.Errorf("after failing: %v, %v", evs2, err2)
		}
		if c.Err() != err {
			t.Errorf("Err = %v", c.Err())
		}
		if _, err := c.SendMessage(spec.OpText, nil); !errors.Is(err, ErrClosed) {
			t.Errorf("data after failing: %v", err)
		}
		if _, err := c.SendPing(nil); !errors.Is(err, ErrClosed) {
			t.Errorf("ping after failing: %v", err)
		}
		if len(c.Outgoing()) != 0 {
			t.Error("more bytes after the failing close")
		}
		if code := c.TransportClosed(); code != spec.CloseAbnormal {
			t.Errorf("close code %v, want 1006", code)
		}
	}
}

// TestConnFailureCodes: invalid data gets a Close with the code that fits
// it before the connection ends (R-10.7-close-code,
// R-7.1.7-fail-send-close).
func TestConnFailureCodes(t *testing.T) {
	tests := []struct {
		name string
		opts ConnOptions
		in   []byte
		code string
	}{
		{"invalid UTF-8", ConnOptions{}, wire(RoleServer, text(true, "\xff")), `close 1007 ""`},
		{"message too big", ConnOptions{MaxMessage: 4}, wire(RoleServer, text(true, "12345")), `close 1009 ""`},
		{"invalid close code", ConnOptions{}, wire(RoleServer, closeFrame(1005, "")), `close 1002 ""`},
		{"extension failure", ConnOptions{Extension: &xorExtension{bits: Rsv1, stall: true}}, wire(RoleServer, tframe{fin: true, rsv: Rsv1, op: spec.OpBinary, payload: "x"}), `close 1011 ""`},
	}
	for _, tt := range tests {
		c := newConn(t, RoleServer, tt.opts)
		if _, err := c.Receive(tt.in); err == nil {
			t.Fatalf("%s: no error", tt.name)
		}
		wantStrings(t, tt.name, []string{tt.code}, sent(t, c, c.Outgoing()))
	}
}

func TestConnLocalClose(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		c := newConn(t, role, ConnOptions{})
		out, err := c.SendClose(spec.CloseGoingAway, "bye")
		if err != nil {
			t.Fatal(err)
		}
		wantStrings(t, "close", []string{`close 1001 "bye"`}, sent(t, c, out))
		wantState(t, c, StateClosing, false)
		if _, err := c.SendMessage(spec.OpBinary, nil); !errors.Is(err, ErrCloseSent) {
			t.Errorf("data after close: %v", err)
		}
		if _, err := c.SendFrame(true, spec.OpBinary, nil); !errors.Is(err, ErrCloseSent) {
			t.Errorf("frame after close: %v", err)
		}
		if _, err := c.SendClose(1000, ""); !errors.Is(err, ErrCloseSent) {
			t.Errorf("second close: %v", err)
		}
		// The peer still sends data and pings until its Close: data is
		// delivered, pings answered (R-5.5.2-pong: no Close received).
		evs, err := receive(t, c, wire(role, text(true, "in flight"), ping("p")))
		if err != nil {
			t.Fatal(err)
		}
		wantStrings(t, "events while closing", []string{`text "in flight"`, `ping "p"`}, evs)
		wantStrings(t, "pong while closing", []string{`pong "p"`}, sent(t, c, c.Outgoing()))
		evs, err = receive(t, c, wire(role, closeFrame(1001, "")))
		if err != nil {
			t.Fatal(err)
		}
		wantStrings(t, "peer close", []string{`close 1001 ""`}, evs)
		if out := c.Outgoing(); len(out) != 0 {
			t.Errorf("echoed a close after sending one: % x", out)
		}
		// R-5.5.1-close-tcp: the server closes first; the client waits.
		wantState(t, c, StateClosed, role == RoleServer)
		if !c.Clean() || c.CloseCode() != spec.CloseGoingAway {
			t.Errorf("clean %v, code %v", c.Clean(), c.CloseCode())
		}
	}
}

// TestConnCloseReplacesEcho: the application answers a received Close with
// its own code instead of the echo; still exactly one Close goes out.
func TestConnCloseReplacesEcho(t *testing.T) {
	c := newConn(t, RoleClient, ConnOptions{})
	if _, err := c.Receive(wire(RoleClient, closeFrame(1000, "why"))); err != nil {
		t.Fatal(err)
	}
	if c.CloseReason() != "why" {
		t.Errorf("CloseReason = %q", c.CloseReason())
	}
	out, err := c.SendClose(4000, "because")
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "close", []string{`close 4000 "because"`}, sent(t, c, out))
	if out := c.Outgoing(); len(out) != 0 {
		t.Errorf("the echo went out too: % x", out)
	}
	wantState(t, c, StateClosed, false)
}

func TestConnSendRules(t *testing.T) {
	c := newConn(t, RoleClient, ConnOptions{FragmentSize: 4})
	out, err := c.SendMessage(spec.OpText, []byte("héllo wörld"))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "fragmented message", []string{`text "héllo wörld"`}, sent(t, c, out))
	// R-5.4-no-interleave: fragments of two messages never interleave;
	// a continuation needs a message in progress.
	if _, err := c.SendFrame(true, spec.OpContinuation, nil); !errors.Is(err, ErrFrameOrder) {
		t.Errorf("continuation first: %v", err)
	}
	var all []byte
	for _, step := range []struct {
		fin bool
		op  spec.Opcode
		p   string
	}{{false, spec.OpText, "a\xe2"}, {false, spec.OpContinuation, "\x82"}, {true, spec.OpContinuation, "\xac"}} {
		if step.op == spec.OpContinuation {
			if _, err := c.SendMessage(spec.OpBinary, nil); !errors.Is(err, ErrFrameOrder) {
				t.Errorf("a message inside a streamed one: %v", err)
			}
			if _, err := c.SendFrame(false, spec.OpBinary, nil); !errors.Is(err, ErrFrameOrder) {
				t.Errorf("a new frame inside a streamed one: %v", err)
			}
			// Control frames may interleave.
			out, err := c.SendPing([]byte("mid"))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, out...)
		}
		out, err := c.SendFrame(step.fin, step.op, []byte(step.p))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out...)
	}
	wantStrings(t, "streamed", []string{`ping "mid"`, `ping "mid"`, `text "a€"`}, sent(t, c, all))
	if _, err := c.SendFrame(true, spec.OpPing, nil); !errors.Is(err, ErrReservedOpcode) {
		t.Errorf("SendFrame with a ping: %v", err)
	}
	if _, err := c.SendMessage(spec.OpText, []byte{0xff}); !errors.Is(err, ErrTextNotUTF8) {
		t.Errorf("invalid text: %v", err)
	}
	if _, err := c.SendClose(spec.CloseNoStatus, "reason"); !errors.Is(err, ErrCloseCode) {
		t.Errorf("close 1005 with a reason: %v", err)
	}
	if _, err := c.SendPong(make([]byte, 126)); !errors.Is(err, ErrControlTooLong) {
		t.Errorf("long pong: %v", err)
	}
	if c.State() != StateOpen {
		t.Errorf("refused sends changed the state to %v", c.State())
	}
}

// TestConnQueuedAnswersComeFirst: pongs owed by Receive go out before the
// next message the application sends.
func TestConnQueuedAnswersComeFirst(t *testing.T) {
	c := newConn(t, RoleServer, ConnOptions{})
	if _, err := c.Receive(wire(RoleServer, ping("1"))); err != nil {
		t.Fatal(err)
	}
	out, err := c.SendMessage(spec.OpBinary, []byte("data"))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "order", []string{`pong "1"`, `binary "data"`}, sent(t, c, out))
	if len(c.Outgoing()) != 0 {
		t.Error("bytes handed out twice")
	}
}

func TestConnTransportLoss(t *testing.T) {
	c := newConn(t, RoleClient, ConnOptions{})
	c.Receive(wire(RoleClient, ping("x")))
	if code := c.TransportClosed(); code != spec.CloseAbnormal {
		t.Errorf("code %v, want 1006", code)
	}
	wantState(t, c, StateClosed, false)
	if len(c.Outgoing()) != 0 {
		t.Error("bytes owed after the transport is gone")
	}
	if _, err := c.SendPing(nil); !errors.Is(err, ErrClosed) {
		t.Errorf("ping: %v", err)
	}
	if _, err := c.SendClose(1000, ""); !errors.Is(err, ErrClosed) {
		t.Errorf("close: %v", err)
	}
	if evs, err := c.Receive(wire(RoleClient, text(true, "x"))); evs != nil || err != nil {
		t.Errorf("receive: %v %v", evs, err)
	}
	if c.Clean() {
		t.Error("clean without a closing handshake")
	}
}

// TestConnMaskKeyFailure: a client that cannot read a masking key fails
// locally and owes nothing it cannot send.
func TestConnMaskKeyFailure(t *testing.T) {
	c, err := NewConn(ConnOptions{Role: RoleClient, Rand: failingReader{}})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := c.Receive(wire(RoleClient, ping("x")))
	var pe *ProtocolError
	if err == nil || errors.As(err, &pe) || len(evs) != 1 {
		t.Fatalf("Receive = %v, %v", evs, err)
	}
	if out := c.Outgoing(); len(out) != 0 {
		t.Errorf("owed % x", out)
	}
	wantState(t, c, StateClosed, true)
}

func TestConnReset(t *testing.T) {
	c := newConn(t, RoleServer, ConnOptions{MaxMessage: 3})
	c.Receive(wire(RoleServer, text(true, "toolong")))
	c.Outgoing()
	c.Reset()
	wantState(t, c, StateOpen, false)
	if c.Err() != nil || c.CloseSent() {
		t.Error("Reset kept the failure")
	}
	evs, err := receive(t, c, wire(RoleServer, text(true, "abc")))
	if err != nil || len(evs) != 1 {
		t.Fatal(evs, err)
	}
	if _, err := c.Receive(wire(RoleServer, text(true, "abcd"))); err == nil {
		t.Error("Reset forgot MaxMessage")
	}
}

func TestNewConnOptions(t *testing.T) {
	for _, opts := range []ConnOptions{{}, {Role: RoleClient}, {Role: RoleServer, MaxFragments: -1}} {
		if _, err := NewConn(opts); err == nil {
			t.Errorf("NewConn(%+v) accepted", opts)
		}
	}
	for s, want := range map[ConnState]string{StateOpen: "open", StateClosing: "closing", StateClosed: "closed", 9: "ConnState(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q", s, s.String())
		}
	}
}

// TestConnAllocs: echoing messages and answering pings allocates nothing
// in steady state.
func TestConnAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	c := newConn(t, RoleServer, ConnOptions{Rand: zeroReader{}})
	template := wire(RoleServer, text(false, "hello "), ping("are you there"), cont(true, "wörld"), bin(true, strings.Repeat("x", 300)))
	buf := make([]byte, len(template))
	var msg []byte
	run := func() {
		copy(buf, template)
		evs, err := c.Receive(buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			switch ev.Kind {
			case EventMessageStart:
				msg = msg[:0]
			case EventPayload:
				msg = append(msg, ev.Data...)
			case EventMessageEnd:
				if _, err := c.SendMessage(ev.Opcode, msg); err != nil {
					t.Fatal(err)
				}
			}
		}
		c.Outgoing()
	}
	run()
	if allocs := testing.AllocsPerRun(100, run); allocs != 0 {
		t.Errorf("an echo round allocates %v times, want 0", allocs)
	}
}

func BenchmarkConnEcho(b *testing.B) {
	for _, size := range []int{16, 1 << 20} {
		b.Run(map[int]string{16: "16B", 1 << 20: "1MiB"}[size], func(b *testing.B) {
			c := newConn(b, RoleServer, ConnOptions{Rand: zeroReader{}})
			template := benchFrames(size, 1)
			buf := make([]byte, len(template))
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				copy(buf, template)
				evs, err := c.Receive(buf)
				if err != nil {
					b.Fatal(err)
				}
				for _, ev := range evs {
					if ev.Kind == EventPayload {
						if _, err := c.SendMessage(ev.Opcode, ev.Data); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}
