//go:build !purego

package codec

import (
	"testing"

	"github.com/wskit/wskit/internal/utf8verdict"
	"golang.org/x/sys/cpu"
	"pgregory.net/rapid"
)

// archUTF8Impls adds the AVX2 kernel when the CPU has it.
func archUTF8Impls() []utf8Impl {
	if cpu.X86.HasAVX2 {
		return []utf8Impl{{"avx2", utf8PrefixAVX2}}
	}
	return nil
}

// TestUTF8Dispatch checks that Write uses the AVX2 kernel exactly when
// the CPU has it.
func TestUTF8Dispatch(t *testing.T) {
	if (utf8Prefix != nil) != cpu.X86.HasAVX2 {
		t.Fatalf("utf8Prefix set: %v, but cpu.X86.HasAVX2 = %v", utf8Prefix != nil, cpu.X86.HasAVX2)
	}
	t.Logf("AVX2: %v", utf8Prefix != nil)
}

// TestUTF8ValidAVX2 holds the kernel itself to its exact contract on
// whole blocks: valid exactly when the input is a prefix of valid UTF-8,
// except that a last byte C0, C1 or F5-FF is judged as if it were a
// valid lead byte.
func TestUTF8ValidAVX2(t *testing.T) {
	if !cpu.X86.HasAVX2 {
		t.Skip("no AVX2")
	}
	rapid.Check(t, func(t *rapid.T) {
		p := utf8KernelInput(t)
		judged := append([]byte(nil), p...)
		if n := len(judged); n > 0 && leadInfo[judged[n-1]] == invalid && judged[n-1] >= 0xC0 {
			judged[n-1] = 0xC2
		}
		_, ok, trunc := utf8verdict.Of(judged)
		if got := utf8ValidAVX2(p); got != (ok || trunc) {
			t.Fatalf("utf8ValidAVX2(% x) = %v, want %v", p, got, ok || trunc)
		}
	})
}

// utf8KernelInput draws whole blocks: pieces of every kind, or valid text
// with a few bytes replaced or pieces inserted, so that most blocks are
// valid up to one error.
func utf8KernelInput(t *rapid.T) []byte {
	var p []byte
	if rapid.Bool().Draw(t, "from pieces") {
		for range rapid.IntRange(0, 40).Draw(t, "pieces") {
			p = append(p, utf8Piece(t)...)
		}
	} else {
		p = textOfLen(t, rapid.IntRange(32, 320).Draw(t, "text length"), "text")
		for range rapid.IntRange(0, 2).Draw(t, "changes") {
			at := rapid.IntRange(0, len(p)-1).Draw(t, "at")
			if rapid.Bool().Draw(t, "replace") {
				p[at] = rapid.Byte().Draw(t, "byte")
			} else {
				p = append(p[:at:at], append(utf8Piece(t), p[at:]...)...)
			}
		}
	}
	return p[:len(p)&^31]
}
