package codec

import (
	"bytes"
	"fmt"
	"testing"
)

// maskNaive is the byte-loop reference for Mask, written straight from
// RFC 6455 section 5.3.
func maskNaive(key [4]byte, pos int, p []byte) int {
	for i := range p {
		p[i] ^= key[(pos+i)%4]
	}
	return (pos + len(p)) % 4
}

func TestMaskRFCExample(t *testing.T) {
	// RFC 6455 section 5.7: "Hello" masked with 37 fa 21 3d.
	p := []byte("Hello")
	if pos := Mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p); pos != 1 {
		t.Errorf("pos = %d, want 1", pos)
	}
	if want := dehex("7f 9f 4d 51 58"); !bytes.Equal(p, want) {
		t.Errorf("masked = % x, want % x", p, want)
	}
}

// TestMaskMatchesNaive walks every key phase, every sub-slice alignment
// and every length across the word-path boundaries.
func TestMaskMatchesNaive(t *testing.T) {
	key := [4]byte{0x01, 0x23, 0xc4, 0xf7}
	src := make([]byte, 300)
	for i := range src {
		src[i] = byte(i*7 + 3)
	}
	for pos := 0; pos < 8; pos++ {
		for align := 0; align < 8; align++ {
			for n := 0; n+align <= len(src); n++ {
				got := append([]byte(nil), src...)
				want := append([]byte(nil), src...)
				gp := Mask(key, pos, got[align:align+n])
				wp := maskNaive(key, pos, want[align:align+n])
				if gp != wp || !bytes.Equal(got, want) {
					t.Fatalf("pos %d align %d len %d: Mask differs from the byte loop (pos %d vs %d)", pos, align, n, gp, wp)
				}
			}
		}
	}
}

func TestMaskAllocs(t *testing.T) {
	p := make([]byte, 4096)
	if n := testing.AllocsPerRun(10, func() { Mask([4]byte{1, 2, 3, 4}, 1, p) }); n != 0 {
		t.Errorf("Mask allocates %v times", n)
	}
}

func BenchmarkMask(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			p := make([]byte, size)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				Mask([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p)
			}
		})
	}
}

func BenchmarkMaskNaive(b *testing.B) {
	p := make([]byte, 64<<10)
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		maskNaive([4]byte{0x37, 0xfa, 0x21, 0x3d}, 0, p)
	}
}
