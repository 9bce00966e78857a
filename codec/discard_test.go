package codec

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// TestDecoderDiscardData: once DiscardData is called, data messages give
// no events and their payloads are not checked (invalid UTF-8 passes, an
// Extension is never called), while control frames come as before and
// every header rule still fails the connection; the events do not depend
// on how the input is cut.
func TestDecoderDiscardData(t *testing.T) {
	invalid := "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"
	tests := []struct {
		name   string
		frames []tframe
		want   []Event
		code   spec.CloseCode // the error's, if any
	}{
		{"messages are skipped, control frames are not", []tframe{
			text(true, invalid), bin(false, "ab"), ping("p"), cont(false, ""), pong("q"), cont(true, "cd"),
			text(false, "\xe2\x82"), cont(true, ""), closeFrame(1000, "bye"),
		}, []Event{
			{Kind: EventPing, Opcode: spec.OpPing, Data: []byte("p")},
			{Kind: EventPong, Opcode: spec.OpPong, Data: []byte("q")},
			{Kind: EventClose, Opcode: spec.OpClose, Code: 1000, Data: []byte("bye")},
		}, 0},
		{"RSV bits still fail", []tframe{bin(true, "ab"), {fin: true, rsv: Rsv2, op: spec.OpBinary, payload: "x"}}, nil, spec.CloseProtocolError},
		{"a continuation without a message still fails", []tframe{cont(true, "x")}, nil, spec.CloseProtocolError},
		{"a reserved opcode still fails", []tframe{{fin: true, op: 3, payload: "x"}}, nil, spec.CloseProtocolError},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 7, 1 << 20} {
			t.Run(fmt.Sprintf("%s/chunks of %d", tt.name, size), func(t *testing.T) {
				d, err := NewDecoder(DecoderOptions{Role: RoleServer})
				if err != nil {
					t.Fatal(err)
				}
				d.DiscardData()
				got, err := feed(t, d, wire(RoleServer, tt.frames...), size)
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
				if code := closeCodeOf(err); code != tt.code {
					t.Errorf("error %v, want close code %d", err, tt.code)
				}
			})
		}
	}
}

// TestDecoderDiscardMidMessage: discarding from inside a message skips
// its rest (no EventMessageEnd) and every later message, and the
// Extension is not called for any of them, a transformed message in
// progress included.
func TestDecoderDiscardMidMessage(t *testing.T) {
	x := newXOR(4, 8)
	d, err := NewDecoder(DecoderOptions{Role: RoleServer, Extension: x})
	if err != nil {
		t.Fatal(err)
	}
	in := wire(RoleServer,
		tframe{fin: false, rsv: Rsv1, op: spec.OpText, payload: "abc"}, cont(true, "def"),
		tframe{fin: true, rsv: Rsv1, op: spec.OpBinary, payload: strings.Repeat("z", 1000)},
		ping("still"))
	first := len(wire(RoleServer, tframe{fin: false, rsv: Rsv1, op: spec.OpText, payload: "abc"}))
	evs, err := feed(t, d, in[:first])
	if err != nil || len(evs) == 0 || evs[0].Kind != EventMessageStart {
		t.Fatalf("before discarding: %v %v", evs, err)
	}
	calls := x.calls
	d.DiscardData()
	evs, err = feed(t, d, in[first:], 3)
	want := []Event{{Kind: EventPing, Opcode: spec.OpPing, Data: []byte("still")}}
	if diff := cmp.Diff(want, evs); diff != "" || err != nil {
		t.Errorf("after discarding: %v, events (-want +got):\n%s", err, diff)
	}
	if x.calls != calls {
		t.Errorf("the extension was called %d times after DiscardData", x.calls-calls)
	}
	d.Reset()
	if evs, err := feed(t, d, wire(RoleServer, bin(true, "ok"))); err != nil || len(evs) != 3 {
		t.Errorf("after Reset: %v %v, want the message", evs, err)
	}
}

// TestConnDiscardData: a Conn that discards answers pings and the Close
// as before and returns no data events, whatever the messages hold.
func TestConnDiscardData(t *testing.T) {
	c, err := NewConn(ConnOptions{Role: RoleServer})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendClose(spec.CloseTryAgainLater, ""); err != nil {
		t.Fatal(err)
	}
	c.Outgoing()
	c.DiscardData()
	evs, err := c.Receive(wire(RoleServer, text(true, "\xff"), ping("p"), bin(true, "x"), closeFrame(1000, "")))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
	}
	if diff := cmp.Diff([]EventKind{EventPing, EventClose}, kinds); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if !c.CloseReceived() || !c.Clean() {
		t.Errorf("closing handshake not done: received %v, clean %v", c.CloseReceived(), c.Clean())
	}
}

// closeCodeOf is the close code of a *ProtocolError, or 0.
func closeCodeOf(err error) spec.CloseCode {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return 0
}
