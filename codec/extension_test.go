package codec

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// xorExtension is a test-only Extension that proves the hook: it turns
// each payload byte into factor copies of the byte XOR mask, so its
// output is larger than its input, and it hands out at most chunk bytes
// per call, so the Decoder has to come back for the rest. It stands in
// for permessage-deflate, which needs the same things: RSV1 on the first
// frame, state across calls, output that outgrows input.
type xorExtension struct {
	bits   uint8
	mask   byte
	factor int
	chunk  int

	buf      []byte
	cur      byte // the byte being repeated
	left     int  // copies of cur still to hand out
	messages int  // messages completed
	resets   int
	calls    int
	failOn   int   // fail on this call (1-based), if non-zero
	failWith error // the error to fail with
	stall    bool  // return no progress
}

func newXOR(factor, chunk int) *xorExtension {
	return &xorExtension{bits: Rsv1, mask: 0x20, factor: factor, chunk: chunk, buf: make([]byte, 0, chunk)}
}

func (e *xorExtension) Rsv() uint8 { return e.bits }

func (e *xorExtension) Transform(in []byte, final bool) ([]byte, int, bool, error) {
	e.calls++
	if e.failOn != 0 && e.calls == e.failOn {
		return nil, 0, false, e.failWith
	}
	if e.stall {
		return nil, 0, false, nil
	}
	out := e.buf[:0]
	consumed := 0
	for len(out) < e.chunk {
		if e.left == 0 {
			if consumed == len(in) {
				break
			}
			e.cur, e.left = in[consumed]^e.mask, e.factor
			consumed++
		}
		n := min(e.left, e.chunk-len(out))
		for range n {
			out = append(out, e.cur)
		}
		e.left -= n
	}
	done := final && consumed == len(in) && e.left == 0
	if done {
		e.messages++
	}
	e.buf = out
	return out, consumed, done, nil
}

func (e *xorExtension) Reset() {
	e.resets++
	e.left = 0
}

// xorFrames is a transformed message as the peer sends it: the payload
// XORed with mask and marked with RSV1 on its first frame.
func xorFrames(op spec.Opcode, mask byte, pieces ...string) []tframe {
	var out []tframe
	for i, p := range pieces {
		b := []byte(p)
		for j := range b {
			b[j] ^= mask
		}
		f := tframe{fin: i == len(pieces)-1, op: spec.OpContinuation, payload: string(b)}
		if i == 0 {
			f.op, f.rsv = op, Rsv1
		}
		out = append(out, f)
	}
	return out
}

// TestExtensionTransforms: a transformed message keeps the opcode of its
// first frame (D-6-opcode) and is delivered as the extension's output, in
// any chunking; a message without RSV1 is delivered as sent
// (D-6-optional). Without an Extension, the same RSV1 frames fail: an
// extension is used only once negotiated (R-5.8-negotiate).
func TestExtensionTransforms(t *testing.T) {
	// A transformed text message interrupted by a ping, with an empty
	// middle fragment; an untransformed one (no RSV1, D-6-optional); a
	// transformed binary message in one frame.
	noExt := newDecoder(t, DecoderOptions{Role: RoleServer})
	_, err := feed(t, noExt, wire(RoleServer, xorFrames(spec.OpText, 0x20, "x")...))
	checkProtocolError(t, err, 1002, "R-5.2-rsv-fail", 0)
	for _, factor := range []int{1, 3} {
		// Repeating the bytes of a multi-byte character breaks it, so
		// the expanding run sends ASCII text.
		tail := "lo, κόσμε"
		if factor > 1 {
			tail = "lo, world"
		}
		msg := xorFrames(spec.OpText, 0x20, "Hel", "", tail)
		frames := []tframe{msg[0], ping("p"), msg[1], msg[2], text(true, "plain")}
		frames = append(frames, xorFrames(spec.OpBinary, 0x20, "\x00\xff")...)
		in := wire(RoleServer, frames...)
		rep := func(s string) string {
			var b strings.Builder
			for i := 0; i < len(s); i++ {
				b.WriteString(strings.Repeat(s[i:i+1], factor))
			}
			return b.String()
		}
		want := []string{`ping "p"`, fmt.Sprintf("text %q", rep("Hel"+tail)), `text "plain"`, fmt.Sprintf("binary %q", rep("\x00\xff"))}
		for _, sizes := range chunkings {
			for _, chunk := range []int{1, 4, 1000} {
				ext := newXOR(factor, chunk)
				d := newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext})
				evs, err := feed(t, d, in, sizes...)
				if err != nil {
					t.Fatalf("factor %d, chunk %d, sizes %v: %v", factor, chunk, sizes, err)
				}
				if diff := cmp.Diff(want, messages(evs)); diff != "" {
					t.Fatalf("factor %d, chunk %d, sizes %v (-want +got):\n%s", factor, chunk, sizes, diff)
				}
				if ext.messages != 2 {
					t.Errorf("extension finished %d messages, want 2", ext.messages)
				}
			}
		}
	}
}

// TestExtensionRules: the extension's bits are legal only on the first
// frame of a data message, never on control frames (D-6-rsv1-placement,
// D-6-data-only); text is checked after the transformation
// (D-6-utf8-after); the limit applies to the transformed size.
func TestExtensionRules(t *testing.T) {
	tests := []struct {
		name   string
		factor int
		frames []tframe
		code   spec.CloseCode
		req    string
		offset int64
	}{
		{"RSV1 on a continuation", 1, []tframe{text(false, "a"), {fin: true, rsv: Rsv1, op: spec.OpContinuation, payload: "b"}}, 1002, "D-6-rsv1-placement", 7},
		{"RSV1 on a continuation of a transformed message", 1, []tframe{{rsv: Rsv1, op: spec.OpText, payload: "A"}, {fin: true, rsv: Rsv1, op: spec.OpContinuation, payload: "B"}}, 1002, "D-6-rsv1-placement", 7},
		{"RSV1 on a ping", 1, []tframe{{fin: true, rsv: Rsv1, op: spec.OpPing}}, 1002, "D-6-rsv1-placement", 0},
		{"RSV1 on a close", 1, []tframe{{fin: true, rsv: Rsv1, op: spec.OpClose}}, 1002, "D-6-rsv1-placement", 0},
		{"RSV2 not claimed", 1, []tframe{{fin: true, rsv: Rsv2, op: spec.OpText}}, 1002, "R-5.2-rsv-fail", 0},
		{"RSV1 and RSV3", 1, []tframe{{fin: true, rsv: Rsv1 | Rsv3, op: spec.OpBinary}}, 1002, "R-5.2-rsv-fail", 0},
		// D-6-utf8-after: the text is checked after the transformation
		// (the bytes on the wire are the XOR of these).
		{"invalid text after the transformation", 1, xorFrames(spec.OpText, 0x20, "ok\xc0\xaf"), 1007, "R-8.1-utf8-fail", -2},
		{"invalid text after an expanding transformation", 1000, xorFrames(spec.OpText, 0x20, "ok\xc3"), 1007, "R-8.1-utf8-fail", -2},
		{"text ends inside a code point after the transformation", 1, xorFrames(spec.OpText, 0x20, "ok\xc3"), 1007, "R-5.6-text-utf8", 9},
		// The message limit applies to the transformed size.
		{"decompression bomb", 1000, xorFrames(spec.OpBinary, 0x20, strings.Repeat("x", 11)), 1009, "R-10.4-limits", -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range chunkings {
				ext := newXOR(tt.factor, 64)
				d := newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext, MaxMessage: 10000})
				_, err := feed(t, d, wire(RoleServer, tt.frames...), sizes...)
				checkProtocolError(t, err, tt.code, tt.req, tt.offset)
			}
		})
	}
	// Without the XOR, the same text bytes are valid: the check is on
	// the transformed bytes.
	ext := newXOR(1, 64)
	d := newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext})
	evs, err := feed(t, d, wire(RoleServer, xorFrames(spec.OpText, 0x20, "\xe2\x82\xac")...))
	if err != nil {
		t.Fatalf("valid text after the transformation: %v", err)
	}
	if got := messages(evs); len(got) != 1 || got[0] != `text "€"` {
		t.Errorf("events %q", got)
	}
}

// TestExtensionBombBoundedMemory: a message that expands a thousandfold
// past the limit fails with 1009 having allocated nothing, and no event
// is larger than the extension's chunk.
func TestExtensionBombBoundedMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	ext := newXOR(1000, 256)
	d := newDecoder(t, DecoderOptions{Role: RoleClient, Extension: ext, MaxMessage: 1 << 20})
	in := wire(RoleClient, xorFrames(spec.OpBinary, 0x20, strings.Repeat("b", 2000))...)
	var err error
	allocs := testing.AllocsPerRun(20, func() {
		d.Reset()
		buf := in
		for {
			var ev Event
			var n int
			ev, n, err = d.Decode(buf)
			if err != nil {
				return
			}
			buf = buf[n:]
			if len(ev.Data) > 256 {
				t.Fatalf("event of %d bytes", len(ev.Data))
			}
			if ev.Kind == EventNone {
				return
			}
		}
	})
	checkProtocolError(t, err, 1009, "R-10.4-limits", -2)
	// Building the error allocates a little; nothing scales with the
	// declared or transformed size.
	if allocs > 4 {
		t.Errorf("a decompression bomb costs %v allocations", allocs)
	}
}

func TestExtensionErrors(t *testing.T) {
	in := wire(RoleServer, xorFrames(spec.OpText, 0x20, "hello", "world")...)

	ext := newXOR(1, 64)
	ext.failOn, ext.failWith = 2, &ProtocolError{Code: spec.CloseInvalidPayload, Requirement: "R-10.7-validate", Detail: "corrupt"}
	_, err := feed(t, newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext}), in)
	checkProtocolError(t, err, 1007, "R-10.7-validate", 17) // after the second frame's header

	ext = newXOR(1, 64)
	internal := errors.New("out of cheese")
	ext.failOn, ext.failWith = 1, internal
	_, err = feed(t, newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext}), in)
	var pe *ProtocolError
	if err == nil || errors.As(err, &pe) || !strings.Contains(err.Error(), "out of cheese") {
		t.Errorf("an extension's own failure gives %v, want a plain error", err)
	}

	ext = newXOR(1, 64)
	ext.stall = true
	_, err = feed(t, newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext}), in)
	if err == nil || errors.As(err, &pe) {
		t.Errorf("a stalled extension gives %v, want a plain error", err)
	}
}

func TestExtensionReset(t *testing.T) {
	ext := newXOR(1, 64)
	d := newDecoder(t, DecoderOptions{Role: RoleServer, Extension: ext})
	feed(t, d, wire(RoleServer, xorFrames(spec.OpText, 0x20, "half")[0:1]...)) // FIN=1: one whole message
	d.Reset()
	if ext.resets != 1 {
		t.Errorf("Decoder.Reset reset the extension %d times", ext.resets)
	}
}

// TestConnKeepsTransformedPayload: Receive gathers the events of many
// Decode calls, so payload that aliases the extension's buffer (valid
// only until the next Decode) must be copied.
func TestConnKeepsTransformedPayload(t *testing.T) {
	c := newConn(t, RoleServer, ConnOptions{Extension: newXOR(1, 4)})
	frames := append(xorFrames(spec.OpText, 0x20, "Hello, ", "world"), xorFrames(spec.OpBinary, 0x20, "\x00\x01\x02\x03\x04\x05")...)
	evs, err := receive(t, c, wire(RoleServer, frames...))
	if err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "messages", []string{`text "Hello, world"`, `binary "\x00\x01\x02\x03\x04\x05"`}, evs)
}
