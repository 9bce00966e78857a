package bench

// Masking in place (RFC 6455 section 5.3): wskit's codec.Mask against
// gobwas's ws.Cipher and a plain byte loop, at key offset 0 and at an odd
// offset, where a word-at-a-time implementation must first realign. The
// memmove row is the ceiling: copy of the same number of bytes between two
// buffers, which reads and writes as much memory as masking in place.
//
// Not compared, because their masking functions are not exported:
// gorilla/websocket (maskBytes), coder/websocket (mask, maskGo) and
// lxzan/gws (internal.MaskXOR, in an internal package another module
// cannot import). Copying them here would measure a copy, not the library.

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gobwas/ws"
	"github.com/wskit/wskit/codec"
)

// maskKey is the masking key of RFC 6455 section 5.7's examples.
var maskKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// A masker masks p in place with key, starting at key offset pos.
type masker struct {
	lib  string
	mask func(key [4]byte, pos int, p []byte)
}

var maskers = []masker{
	{"wskit", func(key [4]byte, pos int, p []byte) { codec.Mask(key, pos, p) }},
	{"gobwas", func(key [4]byte, pos int, p []byte) { ws.Cipher(p, key, pos) }},
	{"loop", maskLoop},
}

// maskLoop is the definition: byte i is XORed with key[(pos+i) mod 4].
func maskLoop(key [4]byte, pos int, p []byte) {
	for i := range p {
		p[i] ^= key[(pos+i)&3]
	}
}

var maskSizes = []struct {
	name string
	n    int
}{
	{"16B", 16}, {"125B", 125}, {"1KiB", 1 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20},
}

// maskInput returns n bytes that are not all alike.
func maskInput(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + i>>8)
	}
	return p
}

// checkMask reports whether m masks p from pos exactly as maskLoop does.
func checkMask(m masker, pos int, p []byte) error {
	want := bytes.Clone(p)
	maskLoop(maskKey, pos, want)
	got := bytes.Clone(p)
	m.mask(maskKey, pos, got)
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: mask of %d bytes from offset %d differs from the byte loop", m.lib, len(p), pos)
	}
	return nil
}

// TestMaskAgree checks that every masker computes the same bytes, at every
// key offset and for lengths around the word sizes the fast paths use.
func TestMaskAgree(t *testing.T) {
	for _, m := range maskers {
		for _, n := range []int{0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 125, 1000, 1 << 10, 64<<10 + 3} {
			for pos := range 4 {
				if err := checkMask(m, pos, maskInput(n)); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

func BenchmarkMask(b *testing.B) {
	for _, size := range maskSizes {
		for _, pos := range []int{0, 1} {
			for _, m := range maskers {
				b.Run(fmt.Sprintf("size=%s/pos=%d/lib=%s", size.name, pos, m.lib), func(b *testing.B) {
					p := maskInput(size.n)
					if err := checkMask(m, pos, p); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(p)))
					b.ReportAllocs()
					for b.Loop() {
						m.mask(maskKey, pos, p)
					}
				})
			}
			// The same row for both offsets, so that benchstat -col /lib
			// lines it up with every masker.
			b.Run(fmt.Sprintf("size=%s/pos=%d/lib=memmove", size.name, pos), func(b *testing.B) {
				src, dst := maskInput(size.n), make([]byte, size.n)
				b.SetBytes(int64(len(src)))
				b.ReportAllocs()
				for b.Loop() {
					copy(dst, src)
				}
				if !bytes.Equal(dst, src) {
					b.Fatal("copy did not copy")
				}
			})
		}
	}
}
