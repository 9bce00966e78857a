package codec

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// maskNaive is the byte-loop reference for Mask, written straight from
// RFC 6455 section 5.3.
func maskNaive(key [4]byte, pos int, p []byte) int {
	for i := range p {
		p[i] ^= key[(pos+i)%4]
	}
	return (pos + len(p)) % 4
}

// A maskImpl is one way of masking that must agree with maskNaive: Mask
// itself, as the caller sees it, and each word path it may dispatch to,
// called for every length (without Mask's byte loop for short payloads).
// maskImpls lists those this machine can run: the portable loop always,
// plus what archMaskImpls adds (mask_amd64_test.go, mask_arm64_test.go,
// mask_generic_test.go).
type maskImpl struct {
	name string
	mask func(key [4]byte, pos int, p []byte) int
}

var maskImpls = append([]maskImpl{
	{"Mask", Mask},
	{"generic", maskWith(maskGeneric)},
}, archMaskImpls()...)

// maskWith returns a Mask that hands every payload, whatever its length,
// to words.
func maskWith(words func(p []byte, k uint32)) func(key [4]byte, pos int, p []byte) int {
	return func(key [4]byte, pos int, p []byte) int {
		words(p, maskKey32(key, pos))
		return (pos + len(p)) & 3
	}
}

// maskGuard is what alignedCopy puts on either side of a payload.
var maskGuard = func() []byte {
	g := make([]byte, 64)
	for i := range g {
		g[i] = byte(0xa5 ^ i)
	}
	return g
}()

// alignedCopy copies src into buf (grown if too small) so that its first
// byte sits at an address that is align mod 64, and returns the copy and
// the window around it: maskGuard, the copy, maskGuard.
func alignedCopy(buf, src []byte, align int) (p, window []byte) {
	need := len(src) + 3*64
	if cap(buf) < need {
		buf = make([]byte, need)
	}
	buf = buf[:need]
	off := 64 + (align-int(uintptr(unsafe.Pointer(&buf[0]))))&63
	window = buf[off-64 : off+len(src)+64]
	copy(window, maskGuard)
	copy(window[64+len(src):], maskGuard)
	p = window[64 : 64+len(src) : 64+len(src)]
	copy(p, src)
	return p, window
}

// maskedAsWanted reports whether the window from alignedCopy holds want
// between its guards, and the guards are intact.
func maskedAsWanted(window, want []byte) bool {
	n := len(want)
	return len(window) == n+128 && bytes.Equal(window[:64], maskGuard) &&
		bytes.Equal(window[64:64+n], want) && bytes.Equal(window[64+n:], maskGuard)
}

func TestMaskRFCExample(t *testing.T) {
	for _, m := range maskImpls {
		// RFC 6455 section 5.7: "Hello" masked with 37 fa 21 3d.
		p := []byte("Hello")
		if pos := m.mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p); pos != 1 {
			t.Errorf("%s: pos = %d, want 1", m.name, pos)
		}
		if want := dehex("7f 9f 4d 51 58"); !bytes.Equal(p, want) {
			t.Errorf("%s: masked = % x, want % x", m.name, p, want)
		}
	}
}

// maskTestPositions are the key offsets the exhaustive tests try: every
// phase, and larger values whose phase is taken mod 4 (the largest leaves
// maskNaive room to add the length without overflowing).
var maskTestPositions = []int{0, 1, 2, 3, 4, 5, 7, 1<<20 + 2, math.MaxInt - 1024}

// TestMaskMatchesNaive walks, for every implementation, every key offset,
// every address alignment mod 64 and every length from 0 to 300, which
// crosses each head, loop and tail step of the word paths, and checks that
// no byte outside p changes.
func TestMaskMatchesNaive(t *testing.T) {
	key := [4]byte{0x01, 0x23, 0xc4, 0xf7}
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*7 + 3)
	}
	var buf []byte
	for _, pos := range maskTestPositions {
		for n := 0; n <= len(src); n++ {
			want := slices.Clone(src[:n])
			wp := maskNaive(key, pos, want)
			for _, m := range maskImpls {
				for align := range 64 {
					got, window := alignedCopy(buf, src[:n], align)
					buf = window[:cap(window)]
					if gp := m.mask(key, pos, got); gp != wp || !maskedAsWanted(window, want) {
						t.Fatalf("pos %d align %d len %d: %s differs from the byte loop (pos %d vs %d)", pos, align, n, m.name, gp, wp)
					}
				}
			}
		}
	}
}

// TestMaskLarge checks lengths far beyond the loops' step sizes, around
// the benchmark sizes, at a few alignments.
func TestMaskLarge(t *testing.T) {
	key := [4]byte{0x9e, 0x37, 0x79, 0xb9}
	var buf []byte
	for _, n := range []int{1000, 1 << 10, 4096 + 13, 64<<10 - 1, 64 << 10, 1<<20 + 3} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(i*13 + i>>9)
		}
		for pos := range 4 {
			want := slices.Clone(src)
			wp := maskNaive(key, pos, want)
			for _, m := range maskImpls {
				for _, align := range []int{0, 1, 2, 3, 5, 15, 17, 31, 33, 63} {
					got, window := alignedCopy(buf, src, align)
					buf = window[:cap(window)]
					if gp := m.mask(key, pos, got); gp != wp || !maskedAsWanted(window, want) {
						t.Fatalf("%s: pos %d align %d len %d: differs from the byte loop (pos %d vs %d)", m.name, pos, align, n, gp, wp)
					}
				}
			}
		}
	}
}

// maskLenGen draws payload lengths class by class: shorter than a word,
// up to Mask's hand-over to maskWords (also the assembly's threshold for
// aligning first), up to one 256-byte AVX2 loop iteration, and beyond.
func maskLenGen() *rapid.Generator[int] {
	return rapid.OneOf(
		rapid.IntRange(0, 7),
		rapid.IntRange(8, maskWordsMin-1),
		rapid.IntRange(maskWordsMin, 255),
		rapid.IntRange(256, 1100),
	)
}

// maskPayloadGen draws a payload of a length from maskLenGen.
func maskPayloadGen() *rapid.Generator[[]byte] {
	return rapid.Custom(func(t *rapid.T) []byte {
		n := maskLenGen().Draw(t, "length")
		return rapid.SliceOfN(rapid.Byte(), n, n).Draw(t, "payload")
	})
}

// TestMaskImplsInvolution: for every implementation, masking twice with the
// same key and offset restores the input (R-5.3-xor).
func TestMaskImplsInvolution(t *testing.T) {
	for _, m := range maskImpls {
		t.Run(m.name, rapid.MakeCheck(func(t *rapid.T) {
			key := [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			pos := rapid.IntRange(0, 3).Draw(t, "pos")
			align := rapid.IntRange(0, 63).Draw(t, "align")
			orig := maskPayloadGen().Draw(t, "payload")
			p, _ := alignedCopy(nil, orig, align)
			m.mask(key, pos, p)
			m.mask(key, pos, p)
			if !bytes.Equal(p, orig) {
				t.Fatalf("masking twice changed the payload")
			}
		}))
	}
}

// TestMaskImplsChunked: for every implementation, masking in any split of
// chunks, resuming at the returned offset, equals masking in one pass with
// the byte loop (R-5.3-xor).
func TestMaskImplsChunked(t *testing.T) {
	for _, m := range maskImpls {
		t.Run(m.name, rapid.MakeCheck(func(t *rapid.T) {
			key := [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			start := rapid.IntRange(0, 1<<20).Draw(t, "pos")
			payload := maskPayloadGen().Draw(t, "payload")
			cuts := rapid.SliceOfN(rapid.IntRange(0, len(payload)), 0, 12).Draw(t, "cuts")
			slices.Sort(cuts)

			whole := slices.Clone(payload)
			wantPos := maskNaive(key, start, whole)

			pieces := slices.Clone(payload)
			pos, from := start, 0
			for _, c := range append(cuts, len(payload)) {
				pos = m.mask(key, pos, pieces[from:c])
				from = c
			}
			if pos != wantPos || !bytes.Equal(pieces, whole) {
				t.Fatalf("chunked masking at %v differs from one pass", cuts)
			}
		}))
	}
}

// TestMaskImplsReference: every implementation equals the byte loop at every
// key offset and every address alignment.
func TestMaskImplsReference(t *testing.T) {
	for _, m := range maskImpls {
		t.Run(m.name, rapid.MakeCheck(func(t *rapid.T) {
			key := [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			pos := rapid.IntRange(0, 1<<20).Draw(t, "pos")
			align := rapid.IntRange(0, 63).Draw(t, "align")
			payload := maskPayloadGen().Draw(t, "payload")
			got, window := alignedCopy(nil, payload, align)
			want := slices.Clone(payload)
			gp := m.mask(key, pos, got)
			wp := maskNaive(key, pos, want)
			if gp != wp {
				t.Fatalf("returned offset %d, want %d", gp, wp)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s differs from the byte loop (-want +got):\n%s", m.name, diff)
			}
			if !maskedAsWanted(window, want) {
				t.Fatalf("%s wrote outside the payload", m.name)
			}
		}))
	}
}

// FuzzMaskImpls is FuzzMask of package fuzz for every implementation this
// machine runs, which package fuzz cannot reach through Mask alone (it
// gets the one Mask dispatches to). The input is the 4-byte key, one byte
// whose low two bits are the key offset and whose upper six are the
// address alignment mod 64, then the payload.
func FuzzMaskImpls(f *testing.F) {
	f.Add([]byte{0x37, 0xfa, 0x21, 0x3d, 1, 'H', 'e', 'l', 'l', 'o'})
	f.Add(append([]byte{0x37, 0xfa, 0x21, 0x3d, 7<<2 | 3}, bytes.Repeat([]byte("wskit"), 60)...))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 5 || len(in) > 1024 {
			return
		}
		key, pos, align := [4]byte(in[:4]), int(in[4]&3), int(in[4]>>2)
		payload := in[5:]
		want := slices.Clone(payload)
		wp := maskNaive(key, pos, want)
		for _, m := range maskImpls {
			p, window := alignedCopy(nil, payload, align)
			if gp := m.mask(key, pos, p); gp != wp {
				t.Fatalf("%s returned offset %d, want %d", m.name, gp, wp)
			}
			if !maskedAsWanted(window, want) {
				t.Fatalf("%s differs from the byte loop", m.name)
			}
			m.mask(key, pos, p)
			if !maskedAsWanted(window, payload) {
				t.Fatalf("%s: masking twice did not restore the payload", m.name)
			}
		}
	})
}

func TestMaskAllocs(t *testing.T) {
	p := make([]byte, 4096)
	for _, m := range maskImpls {
		if n := testing.AllocsPerRun(10, func() { m.mask([4]byte{1, 2, 3, 4}, 1, p[1:]) }); n != 0 {
			t.Errorf("%s allocates %v times", m.name, n)
		}
	}
}

// maskBenchSizes are the payload sizes of BenchmarkMask and
// BenchmarkMaskImpls.
var maskBenchSizes = []struct {
	name string
	n    int
}{
	{"16B", 16}, {"125B", 125}, {"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1024KiB", 1 << 20},
}

// BenchmarkMask measures Mask from key offset 0 on a buffer that starts at
// a 64-byte boundary and (unaligned) one that starts 2 bytes after one, as
// a payload after a 2-byte frame header does.
func BenchmarkMask(b *testing.B) {
	for _, size := range maskBenchSizes {
		for _, align := range []int{0, 2} {
			name := size.name
			if align != 0 {
				name += fmt.Sprintf("/align=%d", align)
			}
			b.Run(name, func(b *testing.B) {
				p, _ := alignedCopy(nil, make([]byte, size.n), align)
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					Mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p)
				}
			})
		}
	}
}

// BenchmarkMaskImpls measures every implementation this machine runs on
// a 64-byte-aligned buffer.
func BenchmarkMaskImpls(b *testing.B) {
	for _, size := range maskBenchSizes {
		for _, m := range maskImpls {
			b.Run(fmt.Sprintf("size=%s/impl=%s", size.name, m.name), func(b *testing.B) {
				p, _ := alignedCopy(nil, make([]byte, size.n), 0)
				b.SetBytes(int64(size.n))
				b.ReportAllocs()
				for b.Loop() {
					m.mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p)
				}
			})
		}
	}
}

func BenchmarkMaskNaive(b *testing.B) {
	p := make([]byte, 64<<10)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		maskNaive([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p)
	}
}
