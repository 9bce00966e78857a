package codec

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/wskit/wskit/spec"
)

// TestDecodeWhole: a one-frame message whose header and payload are all in
// the input comes as one EventMessage from one call; a fragmented message,
// one cut by the end of the input and a control frame come as Decode gives
// them.
func TestDecodeWhole(t *testing.T) {
	long := strings.Repeat("κόσμε", 40)
	huge := strings.Repeat("x", 70000)
	in := wire(RoleServer, text(true, "hello"), bin(true, ""), ping("p"), text(true, long), bin(true, huge),
		bin(false, "ab"), cont(true, "c"), text(true, "cut"))
	cut := len(in) - 2 // inside the last message's payload
	buf := bytes.Clone(in)
	d := newDecoder(t, DecoderOptions{Role: RoleServer})
	var got []string
	for _, p := range [][]byte{buf[:cut], buf[cut:]} {
		for {
			ev, n, err := d.DecodeWhole(p)
			if err != nil {
				t.Fatal(err)
			}
			p = p[n:]
			if ev.Kind == EventNone {
				break
			}
			s := evString(ev)
			if ev.Kind == EventMessage {
				s = "message " + ev.Opcode.String() + " " + string(ev.Data[:min(len(ev.Data), 8)])
			}
			got = append(got, s)
		}
	}
	want := []string{
		"message text hello", "message binary ", `ping "p"`, "message text " + long[:8], "message binary xxxxxxxx",
		"message-start binary", `payload "ab"`, `payload "c"`, "message-end binary",
		"message-start text", `payload "c"`, `payload "ut"`, "message-end text",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestDecodeWholeAgrees: DecodeWhole reports what Decode reports, a whole
// message as its three events, with the same error (code, requirement,
// offset), for any stream and any chunking, both roles.
func TestDecodeWholeAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		role := rapid.SampledFrom([]Role{RoleServer, RoleClient}).Draw(t, "role")
		in := streamGen(role).Draw(t, "stream")
		opts := DecoderOptions{Role: role, MaxMessage: 200, MaxFragments: 4}
		ref, refErr := feed(t, newDecoder(t, opts), in)
		for _, sizes := range [][]int{nil, {1}, chunkSizesGen(len(in)).Draw(t, "chunks")} {
			got, err := feedWith(t, newDecoder(t, opts).DecodeWhole, in, sizes...)
			if err != nil || refErr != nil {
				// A message refused whole gives no events; Decode has
				// given its start.
				ref, got = withoutTrailingStart(ref), withoutTrailingStart(got)
			}
			compareRuns(t, ref, refErr, got, err)
		}
	})
}

// withoutTrailingStart drops trailing payload pieces and then a trailing
// EventMessageStart.
func withoutTrailingStart(evs []Event) []Event {
	evs = withoutTrailingPayload(evs)
	if n := len(evs); n > 0 && evs[n-1].Kind == EventMessageStart {
		evs = evs[:n-1]
	}
	return evs
}

// TestDecodeWholeErrors: a one-frame text message with invalid UTF-8, or
// ending inside a code point, fails with the error and offset Decode
// gives.
func TestDecodeWholeErrors(t *testing.T) {
	for _, payload := range []string{"ab\xffcd", "abc\xe2\x82", "\xed\xa0\x80", strings.Repeat("a", 200) + "\xc0"} {
		in := wire(RoleServer, text(true, "ok"), text(true, payload))
		_, want := feed(t, newDecoder(t, DecoderOptions{Role: RoleServer}), in)
		_, got := feedWith(t, newDecoder(t, DecoderOptions{Role: RoleServer}).DecodeWhole, in)
		wp, ok := want.(*ProtocolError)
		if !ok {
			t.Fatalf("%q: Decode gave %v", payload, want)
		}
		checkProtocolError(t, got, wp.Code, wp.Requirement, wp.Offset)
	}
}

// TestFastHeaderAgrees: every header the Decoder's fast path accepts,
// CheckHeader accepts too, with the same fields and size, for every first
// two bytes, lengths at the edges of each form, and the states that
// matter (in a message or not, transformed, near each limit).
func TestFastHeaderAgrees(t *testing.T) {
	exts := map[byte][][]byte{
		126: {{0, 5}, {0, 125}, {0, 126}, {0x10, 0}, {0xff, 0xff}},
		127: {{0, 0, 0, 0, 0, 0, 0xff, 0xff}, {0, 0, 0, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 0, 0x10, 0, 0},
			{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x80, 0, 0, 0, 0, 0, 0, 0}},
	}
	type state struct {
		inMessage, msgExt bool
		msgLen            uint64
		fragments         int
	}
	states := []state{{}, {inMessage: true}, {inMessage: true, msgExt: true}, {inMessage: true, msgLen: 990, fragments: 2}, {inMessage: true, fragments: 3}}
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, limits := range []DecoderOptions{{}, {MaxFramePayload: 100, MaxMessage: 1000, MaxFragments: 3}, {MaxFramePayload: math.MaxUint64, MaxMessage: math.MaxUint64}} {
			limits.Role = role
			d := newDecoder(t, limits)
			for _, st := range states {
				for b0 := 0; b0 < 256; b0++ {
					for b1 := 0; b1 < 256; b1++ {
						hdrs := [][]byte{{byte(b0), byte(b1)}}
						if ext := exts[byte(b1&0x7F)]; ext != nil {
							hdrs = hdrs[:0]
							for _, e := range ext {
								hdrs = append(hdrs, append([]byte{byte(b0), byte(b1)}, e...))
							}
						}
						for _, h := range hdrs {
							if b1&0x80 != 0 {
								h = append(h, 1, 2, 3, 4)
							}
							h = append(h, 0xAA) // a payload byte
							d.inMessage, d.msgExt, d.msgLen, d.fragments = st.inMessage, st.msgExt, st.msgLen, st.fragments
							d.h = Header{}
							size := d.fastHeader(h)
							if size == 0 {
								continue
							}
							ph, n, perr := ParseHeader(h)
							err := checkHeader(&ph, perr, &HeaderState{
								Role: role, InMessage: st.inMessage, MessageTransformed: st.msgExt,
								MessageLength: st.msgLen, MessageFragments: st.fragments,
								MaxFramePayload: d.maxFrame, MaxMessage: d.maxMessage, MaxFragments: d.maxFragments,
							})
							if err != nil || n != size || ph != d.h {
								t.Fatalf("%v %+v % x: fast path took %+v (%d bytes); CheckHeader: %+v (%d bytes), %v",
									role, st, h, d.h, size, ph, n, err)
							}
						}
					}
				}
			}
		}
	}
}

// TestDecodeWholeAllocs: decoding whole messages in steady state allocates
// nothing.
func TestDecodeWholeAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	template := wire(RoleServer, text(true, "hello"), bin(false, "abc"), ping("p"), cont(true, "def"),
		text(true, strings.Repeat("κόσμε", 40)), bin(true, strings.Repeat("x", 70000)), pong(""), closeFrame(1000, "bye"))
	buf := make([]byte, len(template))
	d := newDecoder(t, DecoderOptions{Role: RoleServer})
	allocs := testing.AllocsPerRun(100, func() {
		copy(buf, template)
		for _, p := range [][]byte{buf[:len(buf)/2], buf[len(buf)/2:]} {
			for {
				ev, n, err := d.DecodeWhole(p)
				if err != nil {
					t.Fatal(err)
				}
				p = p[n:]
				if ev.Kind == EventNone {
					break
				}
			}
		}
	})
	if allocs != 0 {
		t.Errorf("DecodeWhole allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkDecodeWhole(b *testing.B) {
	for _, bc := range []struct {
		name        string
		op          spec.Opcode
		size, count int
	}{{"Masked16BText", spec.OpText, 16, 1024}, {"Masked125BText", spec.OpText, 125, 1024}, {"Masked1MiB", spec.OpBinary, 1 << 20, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			enc := newEncoder(b, RoleClient, zeroReader{})
			var in []byte
			for range bc.count {
				in, _ = enc.AppendFrame(in, true, bc.op, bytes.Repeat([]byte("a"), bc.size))
			}
			buf := make([]byte, len(in))
			d := newDecoder(b, DecoderOptions{Role: RoleServer})
			b.SetBytes(int64(bc.size * bc.count))
			b.ReportAllocs()
			for b.Loop() {
				copy(buf, in)
				p := buf
				for {
					ev, n, err := d.DecodeWhole(p)
					if err != nil {
						b.Fatal(err)
					}
					p = p[n:]
					if ev.Kind == EventNone {
						break
					}
				}
			}
		})
	}
}
