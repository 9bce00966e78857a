//go:build !purego

package codec

import "golang.org/x/sys/cpu"

// utf8Prefix is decided once, at package initialisation: the AVX2 kernel
// when the CPU (and the operating system, for the YMM state) supports it,
// else none, and Write uses its scalar loop throughout. The purego build
// tag drops the assembly.
var utf8Prefix = utf8PrefixFor(cpu.X86.HasAVX2)

func utf8PrefixFor(avx2 bool) func(p []byte) int {
	if avx2 {
		return utf8PrefixAVX2
	}
	return nil
}

// utf8PrefixAVX2 returns the length of a prefix of p that is valid UTF-8
// and ends at a sequence boundary, p taken to start at one; it looks at
// whole 32-byte blocks only and may return less than the longest such
// prefix (0 when the blocks hold an error). Requires AVX2.
func utf8PrefixAVX2(p []byte) int {
	m := len(p) &^ 31
	if m == 0 || !utf8ValidAVX2(p[:m]) {
		return 0
	}
	return utf8Boundary(p[:m])
}

// utf8Boundary returns where the last sequence of p starts, or len(p) if
// p ends in ASCII, given that p is a prefix of valid UTF-8 that starts at
// a sequence boundary: everything before the result is complete, valid
// UTF-8. It returns 0 if p ends in four continuation bytes, which no such
// p does.
func utf8Boundary(p []byte) int {
	n := len(p)
	if n == 0 || p[n-1] < 0x80 {
		return n
	}
	for i := n - 1; i >= 0 && i >= n-4; i-- {
		if p[i] >= 0xC0 {
			return i
		}
	}
	return 0
}

// utf8ValidAVX2 (utf8_amd64.s) reports whether p, whose length is a
// multiple of 32, is a prefix of valid UTF-8: every byte could be
// followed by a valid stream. It does not judge a lead byte in the last
// position (C0, C1 and F5-FF are only refused with the byte after them);
// utf8Boundary, which leaves the last sequence to the caller, makes up for
// that. Requires AVX2.
//
//go:noescape
func utf8ValidAVX2(p []byte) bool
