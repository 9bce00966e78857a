package codec

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// lengthClasses draws payload lengths that hit every boundary of the
// length encoding on purpose (R-5.2-len-encoding): each class is a fixed
// edge or a range between edges, so shrinking reports the class by name.
func lengthGen() *rapid.Generator[uint64] {
	return rapid.OneOf(
		rapid.Just[uint64](0),
		rapid.Uint64Range(1, 124),
		rapid.Just[uint64](125),
		rapid.Just[uint64](126),
		rapid.Uint64Range(127, math.MaxUint16-1),
		rapid.Just[uint64](math.MaxUint16),
		rapid.Just[uint64](math.MaxUint16+1),
		rapid.Uint64Range(math.MaxUint16+2, 1<<32-1),
		rapid.Just[uint64](1<<32),
		rapid.Uint64Range(1<<32+1, spec.MaxPayloadLength-1),
		rapid.Just[uint64](spec.MaxPayloadLength),
	)
}

// headerGen draws any header a parse can produce: every opcode, RSV
// combination and length class, masked or not.
func headerGen() *rapid.Generator[Header] {
	return rapid.Custom(func(t *rapid.T) Header {
		h := Header{
			Fin:    rapid.Bool().Draw(t, "fin"),
			Rsv:    rapid.Uint8Range(0, 7).Draw(t, "rsv"),
			Opcode: spec.Opcode(rapid.Uint8Range(0, 15).Draw(t, "opcode")),
			Masked: rapid.Bool().Draw(t, "masked"),
			Length: lengthGen().Draw(t, "length"),
		}
		if h.Masked {
			h.Key = [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
		}
		return h
	})
}

// TestHeaderRoundTrip: parse(append(h)) == h, the size is HeaderSize(h),
// and every proper prefix asks for more bytes.
func TestHeaderRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := headerGen().Draw(t, "header")
		wire := AppendHeader(nil, h)
		if len(wire) != HeaderSize(h) {
			t.Fatalf("len(wire) = %d, HeaderSize = %d", len(wire), HeaderSize(h))
		}
		got, n, err := ParseHeader(append(wire, 0xEE))
		if err != nil {
			t.Fatalf("ParseHeader(% x): %v", wire, err)
		}
		if n != len(wire) {
			t.Fatalf("n = %d, want %d", n, len(wire))
		}
		if diff := cmp.Diff(h, got); diff != "" {
			t.Fatalf("round trip mismatch (-want +got):\n%s", diff)
		}
		cut := rapid.IntRange(0, len(wire)-1).Draw(t, "cut")
		if _, n, err := ParseHeader(wire[:cut]); n != 0 || err != nil {
			t.Fatalf("prefix of %d bytes: n = %d, err = %v", cut, n, err)
		}
	})
}

// TestHeaderCanonical: whenever ParseHeader accepts bytes without error,
// AppendHeader gives back exactly those bytes (no non-minimal length and
// no set top bit slips through).
func TestHeaderCanonical(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SliceOfN(rapid.Byte(), 0, MaxHeaderSize+2).Draw(t, "bytes")
		h, n, err := ParseHeader(p)
		if err != nil || n == 0 {
			return
		}
		if back := AppendHeader(nil, h); !bytes.Equal(back, p[:n]) {
			t.Fatalf("ParseHeader(% x) = %+v, but AppendHeader gives % x", p[:n], h, back)
		}
	})
}
