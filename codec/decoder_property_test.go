package codec

import (
	"encoding/binary"
	"github.com/wskit/wskit/internal/utf8verdict"
	"math"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// payloadLenGen draws a payload length from every class of the length
// encoding, each a labelled branch (R-5.2-len-encoding): 0, 1-125, 126,
// 127-65535, 65536 and beyond.
func payloadLenGen() *rapid.Generator[int] {
	return rapid.OneOf(
		rapid.Just(0),
		rapid.IntRange(1, 125),
		rapid.Just(126),
		rapid.IntRange(127, math.MaxUint16),
		rapid.Just(math.MaxUint16+1),
		rapid.IntRange(math.MaxUint16+2, 3<<16),
	)
}

// textOfLen draws valid UTF-8 of exactly n bytes, mixing 1- to 4-byte
// characters: a drawn pattern of up to 32 characters, repeated (drawing
// every character of a long text would make the test slow).
func textOfLen(t *rapid.T, n int, label string) []byte {
	runes := []rune{'a', 'Z', ' ', 'é', 'ö', 'κ', 'ό', '€', '世', '\ufffd', '\uffff', '😀', '\U0010ffff'}
	pattern := rapid.SliceOfN(rapid.SampledFrom(runes), 1, 32).Draw(t, label)
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		r := pattern[i%len(pattern)]
		if utf8.RuneLen(r) > n-len(out) {
			r = 'x'
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}

// rapidReader yields bytes drawn from t: masking keys become part of the
// test case, so a failure shrinks them too.
type rapidReader struct{ t *rapid.T }

func (r rapidReader) Read(p []byte) (int, error) {
	copy(p, rapid.SliceOfN(rapid.Byte(), len(p), len(p)).Draw(r.t, "key"))
	return len(p), nil
}

// testMessage is a data message for the round trip.
type testMessage struct {
	Op       spec.Opcode
	Payload  []byte
	Fragment int  // fragment size for AppendMessage; 0: one frame
	PingNext bool // send a ping after it
}

func messageGen() *rapid.Generator[testMessage] {
	return rapid.Custom(func(t *rapid.T) testMessage {
		m := testMessage{Op: rapid.SampledFrom([]spec.Opcode{spec.OpText, spec.OpBinary}).Draw(t, "opcode")}
		n := payloadLenGen().Draw(t, "length")
		if m.Op == spec.OpText {
			m.Payload = textOfLen(t, n, "rune")
		} else {
			m.Payload = make([]byte, n)
			fill := rapid.Byte().Draw(t, "fill")
			for i := range m.Payload {
				m.Payload[i] = fill + byte(i*31)
			}
		}
		// Tiny fragments for short messages; for long ones, at most a
		// few hundred frames, to keep the test fast.
		m.Fragment = rapid.OneOf(rapid.Just(0), rapid.IntRange(1, 16), rapid.IntRange(1, n+2)).Draw(t, "fragment")
		if m.Fragment > 0 && n/m.Fragment > 256 {
			m.Fragment = n / 256
		}
		m.PingNext = rapid.Bool().Draw(t, "ping")
		return m
	})
}

// chunkSizesGen draws how a stream is cut into reads.
func chunkSizesGen(n int) *rapid.Generator[[]int] {
	return rapid.OneOf(
		rapid.Just([]int{max(n, 1)}),
		rapid.Just([]int{1}),
		rapid.SliceOfN(rapid.IntRange(1, max(n, 1)), 1, 8),
	)
}

// TestRoundTrip: messages of every length class, fragmented at random
// sizes, masked with random keys by a client Encoder (or unmasked by a
// server one), decode to the same messages in any chunking.
func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sender := rapid.SampledFrom([]Role{RoleClient, RoleServer}).Draw(t, "sender")
		enc, err := NewEncoder(sender, rapidReader{t})
		if err != nil {
			t.Fatal(err)
		}
		msgs := rapid.SliceOfN(messageGen(), 1, 4).Draw(t, "messages")
		var in []byte
		var want []string
		for i, m := range msgs {
			if in, err = enc.AppendMessage(in, m.Op, m.Payload, m.Fragment); err != nil {
				t.Fatal(err)
			}
			want = append(want, messages([]Event{{Kind: EventMessageStart}, {Kind: EventPayload, Data: m.Payload}, {Kind: EventMessageEnd, Opcode: m.Op}})...)
			if m.PingNext {
				p := []byte{byte(i)}
				in, _ = enc.AppendPing(in, p)
				want = append(want, messages([]Event{{Kind: EventPing, Data: p}})...)
			}
		}
		d, err := NewDecoder(DecoderOptions{Role: peerOf(sender), MaxFragments: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		sizes := chunkSizesGen(len(in)).Draw(t, "chunks")
		if len(in) > 4096 {
			// Byte-at-a-time reads of long streams are covered by
			// TestDecoderChunkingIndependent; here they would only be
			// slow.
			sizes = []int{max(sizes[0], 1000)}
		}
		evs, err := feed(t, d, in, sizes...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, messages(evs)); diff != "" {
			t.Fatalf("round trip (-sent +decoded):\n%s", diff)
		}
	})
}

// streamGen draws the bytes one endpoint of role receives: data messages
// split into fragments (text possibly inside a code point), pings, pongs
// and closes between them, and now and then a broken frame: a wrong RSV
// bit, mask bit or opcode, a non-minimal length, invalid UTF-8, an invalid
// close body.
func streamGen(role Role) *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte {
		var out []byte
		frame := func(fin bool, rsv uint8, op spec.Opcode, payload []byte) {
			h := Header{Fin: fin, Rsv: rsv, Opcode: op, Length: uint64(len(payload))}
			h.Masked = role == RoleServer
			if rapid.IntRange(0, 60).Draw(t, "flip mask") == 17 {
				h.Masked = !h.Masked
			}
			if h.Masked {
				h.Key = [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			}
			if rapid.IntRange(0, 60).Draw(t, "break rsv") == 17 {
				h.Rsv = rapid.Uint8Range(1, 7).Draw(t, "rsv")
			}
			start := len(out)
			out = AppendHeader(out, h)
			if rapid.IntRange(0, 80).Draw(t, "non-minimal length") == 17 {
				// Rewrite the length in the 64-bit form.
				hdr := append([]byte{out[start], out[start+1]&0x80 | 127}, binary.BigEndian.AppendUint64(nil, h.Length)...)
				if h.Masked {
					hdr = append(hdr, h.Key[:]...)
				}
				out = append(out[:start], hdr...)
			}
			p := len(out)
			out = append(out, payload...)
			if h.Masked {
				Mask(h.Key, 0, out[p:])
			}
		}
		control := func() {
			switch rapid.IntRange(0, 9).Draw(t, "control") {
			case 0, 1, 2:
				frame(true, 0, spec.OpPing, rapid.SliceOfN(rapid.Byte(), 0, 125).Draw(t, "ping"))
			case 3, 4:
				frame(true, 0, spec.OpPong, rapid.SliceOfN(rapid.Byte(), 0, 130).Draw(t, "pong"))
			case 5:
				code := rapid.SampledFrom([]uint16{1000, 1001, 1002, 1007, 1014, 3000, 4999, 0, 1005, 1006, 5000}).Draw(t, "close code")
				body := binary.BigEndian.AppendUint16(nil, code)
				body = append(body, rapid.SampledFrom([]string{"", "bye", "\xce\xba", "\xff", "\xe2\x82"}).Draw(t, "reason")...)
				frame(true, 0, spec.OpClose, body[:rapid.IntRange(0, len(body)).Draw(t, "close body length")])
			case 6:
				frame(rapid.Bool().Draw(t, "fin"), 0, spec.Opcode(rapid.IntRange(3, 15).Draw(t, "opcode")), nil)
			default:
			}
		}
		for range rapid.IntRange(0, 5).Draw(t, "units") {
			control()
			op := rapid.SampledFrom([]spec.Opcode{spec.OpText, spec.OpBinary, spec.OpContinuation}).Draw(t, "message opcode")
			var payload []byte
			switch rapid.IntRange(0, 5).Draw(t, "payload kind") {
			case 0:
				payload = rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "bytes")
			case 1:
				payload = textOfLen(t, rapid.IntRange(126, 300).Draw(t, "long text"), "rune")
			default:
				payload = textOfLen(t, rapid.IntRange(0, 40).Draw(t, "text length"), "rune")
			}
			cuts := rapid.SliceOfN(rapid.IntRange(0, len(payload)), 0, 4).Draw(t, "fragments")
			slices.Sort(cuts)
			cuts = append(cuts, len(payload))
			// Now and then the message is left unfinished, so that the
			// next one starts inside it.
			unfinished := rapid.IntRange(0, 8).Draw(t, "unfinished") == 5
			start := 0
			for i, c := range cuts {
				if i > 0 {
					op = spec.OpContinuation
					control()
				}
				frame(i == len(cuts)-1 && !unfinished, 0, op, payload[start:c])
				start = c
			}
		}
		return out
	})
}

// withoutTrailingPayload drops the payload pieces after the last other
// event: the only part of a failing stream's events that depends on
// chunking, since an invalid UTF-8 piece is refused whole.
func withoutTrailingPayload(evs []Event) []Event {
	i := len(evs)
	for i > 0 && evs[i-1].Kind == EventPayload {
		i--
	}
	return evs[:i]
}

// TestDecoderChunkingIndependent: the Decoder's events (payload pieces
// joined) and error (code, requirement and offset) do not depend on how
// the input is cut, for valid and broken streams, for both roles.
func TestDecoderChunkingIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		role := rapid.SampledFrom([]Role{RoleServer, RoleClient}).Draw(t, "role")
		in := streamGen(role).Draw(t, "stream")
		opts := DecoderOptions{Role: role, MaxMessage: 200, MaxFragments: 4}
		whole, wholeErr := feed(t, newDecoder(t, opts), in)
		for _, sizes := range [][]int{{1}, chunkSizesGen(len(in)).Draw(t, "chunks")} {
			got, err := feed(t, newDecoder(t, opts), in, sizes...)
			compareRuns(t, whole, wholeErr, got, err)
		}
	})
}

// TestDecoderEverySplitPoint cuts short streams in two at every possible
// point.
func TestDecoderEverySplitPoint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		role := rapid.SampledFrom([]Role{RoleServer, RoleClient}).Draw(t, "role")
		in := streamGen(role).Draw(t, "stream")
		if len(in) > 150 {
			in = in[:150]
		}
		opts := DecoderOptions{Role: role}
		whole, wholeErr := feed(t, newDecoder(t, opts), in)
		for cut := 0; cut <= len(in); cut++ {
			got, err := feed(t, newDecoder(t, opts), in, cut, len(in))
			compareRuns(t, whole, wholeErr, got, err)
		}
	})
}

func compareRuns(t *rapid.T, whole []Event, wholeErr error, got []Event, err error) {
	if (err == nil) != (wholeErr == nil) {
		t.Fatalf("whole: %v; chunked: %v", wholeErr, err)
	}
	if err != nil {
		pw, pg := wholeErr.(*ProtocolError), err.(*ProtocolError)
		if pw.Code != pg.Code || pw.Requirement != pg.Requirement || pw.Offset != pg.Offset {
			t.Fatalf("whole: %v; chunked: %v", wholeErr, err)
		}
		whole, got = withoutTrailingPayload(whole), withoutTrailingPayload(got)
	}
	if diff := cmp.Diff(merged(whole), merged(got)); diff != "" {
		t.Fatalf("events differ (-whole +chunked):\n%s", diff)
	}
}

// TestUTF8Chunking: the validator's verdict and failure offset do not
// depend on how the bytes are cut, and agree with unicode/utf8 on the
// whole.
func TestUTF8Chunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p []byte
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			p = textOfLen(t, rapid.IntRange(0, 200).Draw(t, "length"), "rune")
		case 1:
			p = rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(t, "bytes")
		default:
			p = textOfLen(t, rapid.IntRange(1, 200).Draw(t, "length"), "rune")
			p[rapid.IntRange(0, len(p)-1).Draw(t, "at")] = rapid.Byte().Draw(t, "byte")
		}
		wantOff, wantOK, wantTrunc := utf8verdict.Of(p)
		if wantOK != utf8.Valid(p) {
			t.Fatalf("reference disagrees with utf8.Valid on % x", p)
		}
		sizes := rapid.SliceOfN(rapid.IntRange(1, 9), 1, 10).Draw(t, "sizes")
		off, ok, trunc := validateChunks(p, sizes...)
		if ok != wantOK || off != wantOff || trunc != wantTrunc {
			t.Fatalf("% x in chunks %v: (%d, %v, %v), want (%d, %v, %v)", p, sizes, off, ok, trunc, wantOff, wantOK, wantTrunc)
		}
	})
}
