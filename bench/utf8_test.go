package bench

// UTF-8 validation of 64 KiB of text: wskit's streaming codec.UTF8Validator
// (one Write of the whole text, then Done, as the Decoder does for a
// payload that arrives in one piece; and sixteen 4 KiB Writes, as it does
// for a payload that arrives in socket-sized pieces) against
// unicode/utf8.Valid, which sees the whole text at once and keeps no state.
//
// Two texts: pure ASCII, where both have a fast path, and mixed text where
// two-, three- and four-byte sequences alternate with short ASCII runs,
// which keeps unicode/utf8 (and wskit's scalar loop, under -tags purego or
// without AVX2) on its rune-at-a-time path; wskit's AVX2 kernel takes both
// texts 32 bytes at a time.

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wskit/wskit/codec"
)

const utf8Size = 64 << 10

// utf8Texts returns the texts, each exactly utf8Size bytes of valid UTF-8.
func utf8Texts() []struct {
	name string
	text []byte
} {
	return []struct {
		name string
		text []byte
	}{
		{"ascii", fillText("The quick brown fox jumps over the lazy dog. 0123456789\n")},
		{"mixed", fillText("Größe ≠ 大小 😀 Ωμέγα, ça va? €5 → 𝄞 ")},
	}
}

// fillText repeats pattern's runes up to utf8Size bytes and pads the end
// with ASCII so that no code point is cut.
func fillText(pattern string) []byte {
	var sb strings.Builder
	for sb.Len() < utf8Size {
		for _, r := range pattern {
			if sb.Len()+utf8.RuneLen(r) > utf8Size {
				break
			}
			sb.WriteRune(r)
		}
		if sb.Len()+4 > utf8Size {
			for sb.Len() < utf8Size {
				sb.WriteByte('.')
			}
		}
	}
	return []byte(sb.String())
}

// A utf8Checker reports whether text is valid UTF-8.
type utf8Checker struct {
	lib   string
	valid func(text []byte) bool
}

func utf8Checkers() []utf8Checker {
	var v codec.UTF8Validator
	return []utf8Checker{
		{"wskit", func(text []byte) bool {
			v.Reset()
			_, err := v.Write(text)
			return err == nil && v.Done() == nil
		}},
		{"wskit-4KiB", func(text []byte) bool {
			v.Reset()
			for p := text; len(p) > 0; {
				n := min(len(p), 4<<10)
				if _, err := v.Write(p[:n]); err != nil {
					return false
				}
				p = p[n:]
			}
			return v.Done() == nil
		}},
		{"stdlib", utf8.Valid},
	}
}

// checkUTF8 reports whether c agrees with unicode/utf8 on text, and on
// text made invalid near its end (a lone continuation byte) and cut inside
// a code point.
func checkUTF8(c utf8Checker, text []byte) error {
	bad := append([]byte(nil), text...)
	bad[len(bad)-3] = 0x80
	cut := append(append([]byte(nil), text[:len(text)-4]...), "€"[:2]...)
	for _, p := range [][]byte{text, bad, cut} {
		if got, want := c.valid(p), utf8.Valid(p); got != want {
			return fmt.Errorf("%s: valid = %v, unicode/utf8 says %v", c.lib, got, want)
		}
	}
	return nil
}

// TestUTF8Agree checks every validator against unicode/utf8 on the
// benchmark texts and their broken variants.
func TestUTF8Agree(t *testing.T) {
	for _, text := range utf8Texts() {
		if len(text.text) != utf8Size || !utf8.Valid(text.text) {
			t.Fatalf("%s: %d bytes, valid %v; want %d valid bytes", text.name, len(text.text), utf8.Valid(text.text), utf8Size)
		}
		for _, c := range utf8Checkers() {
			if err := checkUTF8(c, text.text); err != nil {
				t.Errorf("%s text: %v", text.name, err)
			}
		}
	}
}

func BenchmarkUTF8(b *testing.B) {
	for _, text := range utf8Texts() {
		for _, c := range utf8Checkers() {
			b.Run(fmt.Sprintf("text=%s/lib=%s", text.name, c.lib), func(b *testing.B) {
				if err := checkUTF8(c, text.text); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(text.text)))
				b.ReportAllocs()
				for b.Loop() {
					if !c.valid(text.text) {
						b.Fatal("valid text reported invalid")
					}
				}
			})
		}
	}
}
