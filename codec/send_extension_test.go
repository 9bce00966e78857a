package codec

import (
	"errors"
	"testing"

	"github.com/wskit/wskit/spec"
)

// xorSend is a test-only SendExtension, the sending half of
// xorExtension with factor 1: it XORs each byte with mask.
type xorSend struct {
	mask    byte
	minSize int
	resets  int
	pieces  []bool // the final flag of every call
	failOn  int
}

func (x *xorSend) Rsv() uint8                     { return Rsv1 }
func (x *xorSend) TransformMessage(size int) bool { return size >= x.minSize }
func (x *xorSend) Reset()                         { x.resets++ }

func (x *xorSend) AppendTransform(dst, p []byte, final bool) ([]byte, error) {
	x.pieces = append(x.pieces, final)
	if x.failOn != 0 && len(x.pieces) == x.failOn {
		return dst, errors.New("xorSend failed")
	}
	for _, b := range p {
		dst = append(dst, b^x.mask)
	}
	return dst, nil
}

func headers(t *testing.T, b []byte) []Header {
	t.Helper()
	var hs []Header
	for len(b) > 0 {
		h, n, err := ParseHeader(b)
		if err != nil || n == 0 {
			t.Fatalf("ParseHeader: %v", err)
		}
		hs = append(hs, h)
		b = b[n+int(h.Length):]
	}
	return hs
}

// TestSendExtension: a Conn with a SendExtension transforms each data
// message, whole (fragmented at FragmentSize) or streamed, with RSV1 on
// its first frame only (D-6-rsv1-placement) and never on control frames
// (D-6-data-only); a receiving Conn with the matching Extension gets the
// messages back; a message the extension declines goes as it is
// (D-6-optional).
func TestSendExtension(t *testing.T) {
	x := &xorSend{mask: 0x20, minSize: 3}
	snd, err := NewConn(ConnOptions{Role: RoleServer, SendExtension: x, FragmentSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	rcv, err := NewConn(ConnOptions{Role: RoleClient, Rand: zeroRand{}, Extension: newXOR(1, 5)})
	if err != nil {
		t.Fatal(err)
	}
	var all []byte
	out, err := snd.SendMessage(spec.OpText, []byte("Hello, world"))
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range headers(t, out) {
		if (h.Rsv == Rsv1) != (i == 0) || h.Length > 4 {
			t.Errorf("whole message, frame %d: %+v", i, h)
		}
	}
	all = append(all, out...)
	out, _ = snd.SendMessage(spec.OpBinary, []byte("hi")) // below minSize
	if h := headers(t, out)[0]; h.Rsv != 0 || string(out[2:]) != "hi" {
		t.Errorf("declined message: %+v % x", h, out)
	}
	all = append(all, out...)
	for i, p := range []string{"str", "", "eam"} {
		op := spec.OpContinuation
		if i == 0 {
			op = spec.OpText
		}
		out, err := snd.SendFrame(i == 2, op, []byte(p))
		if err != nil {
			t.Fatal(err)
		}
		h := headers(t, out)[0]
		if (h.Rsv == Rsv1) != (i == 0) {
			t.Errorf("streamed frame %d: %+v", i, h)
		}
		all = append(all, out...)
		if i == 0 {
			out, _ = snd.SendPing([]byte("p"))
			if h := headers(t, out)[0]; h.Rsv != 0 || string(out[2:]) != "p" {
				t.Errorf("ping: %+v", h)
			}
			all = append(all, out...)
		}
	}
	evs, err := rcv.Receive(all)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	var cur []byte
	for _, ev := range evs {
		switch ev.Kind {
		case EventMessageStart:
			cur = cur[:0]
		case EventPayload:
			cur = append(cur, ev.Data...)
		case EventMessageEnd:
			msgs = append(msgs, string(cur))
		}
	}
	if len(msgs) != 3 || msgs[0] != "Hello, world" || msgs[1] != "hi" || msgs[2] != "stream" {
		t.Errorf("received %q", msgs)
	}
	snd.Reset()
	if x.resets != 1 {
		t.Errorf("Reset called the extension's %d times", x.resets)
	}
	// A failing extension fails the connection with 1011.
	x.failOn = len(x.pieces) + 1
	if _, err := snd.SendMessage(spec.OpText, []byte("boom")); err == nil || snd.Err() == nil {
		t.Fatalf("SendMessage = %v, Err %v", err, snd.Err())
	}
	if code := headers(t, snd.Outgoing())[0]; code.Opcode != spec.OpClose {
		t.Errorf("no Close after the extension failed")
	}
}

type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestAppendFrameRsv: RSV bits only on the first frame of a data
// message, and only the three defined ones.
func TestAppendFrameRsv(t *testing.T) {
	e, _ := NewEncoder(RoleServer, nil)
	for _, tt := range []struct {
		rsv uint8
		op  spec.Opcode
		ok  bool
	}{
		{Rsv1, spec.OpText, true}, {Rsv1 | Rsv3, spec.OpBinary, true}, {0, spec.OpContinuation, true},
		{Rsv1, spec.OpContinuation, false}, {Rsv1, spec.OpPing, false}, {Rsv2, spec.OpClose, false}, {0x8, spec.OpText, false},
	} {
		out, err := e.AppendFrameRsv(nil, true, tt.rsv, tt.op, []byte("x"))
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrRsvNotAllowed) {
			t.Errorf("rsv %d %v: %v", tt.rsv, tt.op, err)
			continue
		}
		if err == nil && (out[0]>>4&7 != tt.rsv || spec.Opcode(out[0]&0xF) != tt.op) {
			t.Errorf("rsv %d %v: wrote % x", tt.rsv, tt.op, out)
		}
	}
}
