package codec

import (
	"errors"
	"github.com/wskit/wskit/internal/utf8verdict"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// A utf8Impl is a vector kernel for UTF8Validator.write (nil: the scalar
// loop alone). utf8Impls lists those this machine can run: the scalar loop
// always, plus what archUTF8Impls adds (utf8_amd64_test.go,
// utf8_generic_test.go). Every UTF-8 test of this file runs each of them.
type utf8Impl struct {
	name   string
	prefix func(p []byte) int
}

var utf8Impls = append([]utf8Impl{{"scalar", nil}}, archUTF8Impls()...)

// validateChunks feeds p to a validator in the given chunk sizes (the last
// size repeats) and returns its verdict in utf8verdict.Of's terms.
func validateChunks(p []byte, sizes ...int) (off int, ok, truncated bool) {
	return validateChunksWith(utf8Prefix, p, sizes...)
}

// validateChunksWith is validateChunks with the given vector kernel.
func validateChunksWith(prefix func([]byte) int, p []byte, sizes ...int) (off int, ok, truncated bool) {
	var v UTF8Validator
	pos := 0
	for i := 0; pos < len(p); i++ {
		size := sizes[min(i, len(sizes)-1)]
		end := min(pos+size, len(p))
		n, err := v.write(p[pos:end], prefix)
		if err != nil {
			var ue *InvalidUTF8Error
			if !errors.As(err, &ue) || ue.Truncated || int64(pos+n) != ue.Offset {
				panic("validator error inconsistent with n")
			}
			return int(ue.Offset), false, false
		}
		if n != end-pos {
			panic("short write without error")
		}
		pos = end
	}
	if err := v.Done(); err != nil {
		var ue *InvalidUTF8Error
		if !errors.As(err, &ue) || !ue.Truncated || ue.Offset != int64(len(p)) {
			panic("Done error inconsistent")
		}
		return len(p), false, true
	}
	return 0, true, false
}

// utf8Tests are the payloads of Autobahn category 6 that probe the
// validator's boundaries, with the index at which the stream becomes
// invalid (-1: valid; len: truncated at the end). The indices are those
// Autobahn's own DFA reports (../shared/reference/autobahn.md).
var utf8Tests = []struct {
	name string
	in   string
	bad  int
}{
	{"6.2.1 kosme", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", -1},
	{"6.5.1", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", -1},
	{"6.6.1 lone ce", "\xce", 1},
	{"6.6.3 ends in e1", "\xce\xba\xe1", 3},
	{"6.6.4 ends in e1 bd", "\xce\xba\xe1\xbd", 4},
	{"6.7.1 first 1-byte", "\x00", -1},
	{"6.7.2 first 2-byte", "\xc2\x80", -1},
	{"6.7.3 first 3-byte", "\xe0\xa0\x80", -1},
	{"6.7.4 first 4-byte", "\xf0\x90\x80\x80", -1},
	{"6.8.1 5-byte", "\xf8\x88\x80\x80\x80", 0},
	{"6.8.2 6-byte", "\xfc\x84\x80\x80\x80\x80", 0},
	{"6.9.1 last 1-byte", "\x7f", -1},
	{"6.9.2 last 2-byte", "\xdf\xbf", -1},
	{"6.9.3 last 3-byte", "\xef\xbf\xbf", -1},
	{"6.9.4 last 4-byte", "\xf4\x8f\xbf\xbf", -1},
	{"6.10.1 f7", "\xf7\xbf\xbf\xbf", 0},
	{"6.11.1 before surrogates", "\xed\x9f\xbf", -1},
	{"6.11.2 after surrogates", "\xee\x80\x80", -1},
	{"6.11.3 replacement", "\xef\xbf\xbd", -1},
	{"6.11.5 above U+10FFFF", "\xf4\x90\x80\x80", 1},
	{"6.12.1 lone continuation", "\x80", 0},
	{"6.12.3 continuations", "\x80\xbf", 0},
	{"6.13.1 lonely c0", "\xc0\x20\xc1\x20", 0},
	{"6.13.2 lonely e0", "\xe0\x20\xe1\x20", 1},
	{"6.13.3 lonely f0", "\xf0\x20\xf1\x20", 1},
	{"6.14.1 c0 alone", "\xc0", 0},
	{"6.14.2 e0 80", "\xe0\x80", 1},
	{"6.14.3 f0 80 80", "\xf0\x80\x80", 1},
	{"6.14.6 df truncated", "\xdf", 1},
	{"6.14.7 ef bf truncated", "\xef\xbf", 2},
	{"6.16.1 fe", "\xfe", 0},
	{"6.16.2 ff", "\xff", 0},
	{"6.17.1 overlong slash", "\xc0\xaf", 0},
	{"6.17.2 overlong slash 3", "\xe0\x80\xaf", 1},
	{"6.17.3 overlong slash 4", "\xf0\x80\x80\xaf", 1},
	{"6.18.2 max overlong 3", "\xe0\x9f\xbf", 1},
	{"6.18.3 max overlong 4", "\xf0\x8f\xbf\xbf", 1},
	{"6.19.1 overlong NUL", "\xc0\x80", 0},
	{"6.20.1 surrogate d800", "\xed\xa0\x80", 1},
	{"6.20.7 surrogate dfff", "\xed\xbf\xbf", 1},
	{"6.21.1 paired surrogates", "\xed\xa0\x80\xed\xb0\x80", 1},
	{"6.22.1 non-character fffe", "\xef\xbf\xbe", -1},
	{"6.22.34 non-character 10ffff", "\xf4\x8f\xbf\xbf", -1},
	{"6.4.1 fail-fast prefix", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80\x65\x64\x69\x74\x65\x64", 12},
	{"bad continuation after 2 of 4", "\xf0\x90\x80\x20", 3},
	{"empty", "", -1},
}

func TestUTF8Validator(t *testing.T) {
	for _, tt := range utf8Tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.bad
			refOff, refOK, _ := utf8verdict.Of([]byte(tt.in))
			if refOK != (want < 0) || (!refOK && refOff != want) {
				t.Fatalf("table disagrees with unicode/utf8: reference says %d, %v", refOff, refOK)
			}
			// Also after and between 100 ASCII bytes, so that a
			// vector kernel sees the sequence; the reference has been
			// held to the table above.
			pad := strings.Repeat("a", 100)
			for _, im := range utf8Impls {
				for _, in := range []string{tt.in, pad + tt.in, pad + tt.in + pad} {
					wantOff, wantOK, wantTrunc := utf8verdict.Of([]byte(in))
					for _, size := range []int{len(in) + 1, 1, 2, 3, 33} {
						off, ok, trunc := validateChunksWith(im.prefix, []byte(in), size)
						if off != wantOff || ok != wantOK || trunc != wantTrunc {
							t.Errorf("%s: %d bytes in chunks of %d: got (%d, %v, %v), want (%d, %v, %v)",
								im.name, len(in), size, off, ok, trunc, wantOff, wantOK, wantTrunc)
						}
					}
				}
			}
		})
	}
}

// TestUTF8ValidatorEveryAlignment puts a bad byte, a good multi-byte
// character and an unfinished one after 0..99 ASCII bytes, so that the
// word-at-a-time path stops at every alignment.
func TestUTF8ValidatorEveryAlignment(t *testing.T) {
	for prefix := 0; prefix < 140; prefix++ {
		ascii := strings.Repeat("a", prefix)
		for _, tail := range []string{"\xff", "\x80", "é", "€", "😀", "\xe2\x82", "\xed\xa0\x80", "\xc3", "\xc0", "\xf5", "\xf0\x90\x80", "\xf4\x90", "\xe0\x80"} {
			for _, suffix := range []string{"", strings.Repeat("z", 20), strings.Repeat("z", 64)} {
				in := []byte(ascii + tail + suffix)
				wantOff, wantOK, wantTrunc := utf8verdict.Of(in)
				for _, im := range utf8Impls {
					for _, size := range []int{len(in) + 1, 7, 1, 64, 65} {
						off, ok, trunc := validateChunksWith(im.prefix, in, size)
						if off != wantOff || ok != wantOK || trunc != wantTrunc {
							t.Fatalf("%s: %d ASCII + %q + %d: got (%d, %v, %v), want (%d, %v, %v)",
								im.name, prefix, tail, len(suffix), off, ok, trunc, wantOff, wantOK, wantTrunc)
						}
					}
				}
			}
		}
	}
}

// TestUTF8ValidatorAllShortSequences compares with the reference on every
// 1- and 2-byte input, and on 3-byte inputs whose first byte starts a
// multi-byte sequence, with the third byte at every range boundary.
func TestUTF8ValidatorAllShortSequences(t *testing.T) {
	var buf [3]byte
	check := func(in []byte) {
		wantOff, wantOK, wantTrunc := utf8verdict.Of(in)
		for _, size := range []int{len(in), 1} {
			off, ok, trunc := validateChunks(in, max(size, 1))
			if off != wantOff || ok != wantOK || trunc != wantTrunc {
				t.Fatalf("% x in chunks of %d: got (%d, %v, %v), want (%d, %v, %v)", in, size, off, ok, trunc, wantOff, wantOK, wantTrunc)
			}
		}
	}
	for a := 0; a < 256; a++ {
		buf[0] = byte(a)
		check(buf[:1])
		for b := 0; b < 256; b++ {
			buf[1] = byte(b)
			check(buf[:2])
			if a < 0xC0 {
				continue
			}
			// The third byte at every boundary of the ranges that
			// matter: ASCII, the continuation range and its
			// sub-ranges, lead bytes.
			for _, c := range []byte{0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xf4, 0xf5, 0xff} {
				buf[2] = c
				check(buf[:3])
			}
		}
	}
}

func TestUTF8ValidatorSticky(t *testing.T) {
	var v UTF8Validator
	if _, err := v.Write([]byte("ab\xffcd")); err == nil {
		t.Fatal("no error")
	}
	n, err := v.Write([]byte("valid"))
	var ue *InvalidUTF8Error
	if n != 0 || !errors.As(err, &ue) || ue.Offset != 2 {
		t.Errorf("after failure: n = %d, err = %v; want 0 and offset 2", n, err)
	}
	if err := v.Done(); !errors.As(err, &ue) || ue.Truncated || ue.Offset != 2 {
		t.Errorf("Done after failure = %v", err)
	}
	if v.Incomplete() || v.Len() != 2 {
		t.Errorf("Incomplete = %v, Len = %d", v.Incomplete(), v.Len())
	}
	v.Reset()
	if _, err := v.Write([]byte("\xe2\x82")); err != nil || !v.Incomplete() {
		t.Fatalf("after Reset: %v, incomplete %v", err, v.Incomplete())
	}
	if _, err := v.Write([]byte("\xac")); err != nil || v.Incomplete() || v.Done() != nil {
		t.Fatalf("completing the euro sign: %v", err)
	}
}

func TestInvalidUTF8ErrorString(t *testing.T) {
	if got := (&InvalidUTF8Error{Offset: 3}).Error(); got != "invalid UTF-8 at byte 3" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&InvalidUTF8Error{Offset: 5, Truncated: true}).Error(); got != "UTF-8 text ends inside a code point at byte 5" {
		t.Errorf("Error() = %q", got)
	}
}

// TestLeadInfoTable checks the lead-byte table against unicode/utf8, row
// by row: a byte starts a sequence of the length utf8 decodes it to, and
// its second-byte range is exactly the set of bytes utf8 accepts there.
func TestLeadInfoTable(t *testing.T) {
	for b := 0; b < 256; b++ {
		x := leadInfo[b]
		var accepted []int
		for c := 0; c < 256; c++ {
			if !utf8.FullRune([]byte{byte(b), byte(c)}) {
				accepted = append(accepted, c)
			} else if r, size := utf8.DecodeRune([]byte{byte(b), byte(c)}); size == 2 && r != utf8.RuneError {
				accepted = append(accepted, c)
			}
		}
		switch {
		case b < 0x80:
			if x != ascii {
				t.Errorf("%#x: not ASCII in the table", b)
			}
		case len(accepted) == 0:
			if x != invalid {
				t.Errorf("%#x: utf8 accepts no second byte, table says %#x", b, x)
			}
		default:
			r := contRanges[x>>4]
			if int(r.lo) != accepted[0] || int(r.hi) != accepted[len(accepted)-1] || len(accepted) != int(r.hi-r.lo)+1 {
				t.Errorf("%#x: table range %#x-%#x, utf8 accepts %#x-%#x", b, r.lo, r.hi, accepted[0], accepted[len(accepted)-1])
			}
			// The sequence length follows from the lead byte's high
			// bits: 110xxxxx, 1110xxxx, 11110xxx.
			need := 1
			switch {
			case b >= 0xF0:
				need = 3
			case b >= 0xE0:
				need = 2
			}
			if int(x&3) != need {
				t.Errorf("%#x: table says %d continuation bytes, want %d", b, x&3, need)
			}
		}
	}
}

func TestUTF8ValidatorAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p := []byte(strings.Repeat("héllo wörld € 😀 ", 100))
	var v UTF8Validator
	allocs := testing.AllocsPerRun(100, func() {
		v.Reset()
		if _, err := v.Write(p); err != nil {
			t.Fatal(err)
		}
		if err := v.Done(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("validating allocates %v times per run, want 0", allocs)
	}
}

// benchText returns 64 KiB of ASCII or of mixed text (Latin, Greek,
// CJK and emoji: 1- to 4-byte sequences).
func benchText(mixed bool) []byte {
	unit := "The quick brown fox jumps over the lazy dog. "
	if mixed {
		unit = "κόσμε héllo 世界 😀 wörld Привет мир "
	}
	var b []byte
	for len(b) < 64<<10 {
		b = append(b, unit...)
	}
	// Cut on a character boundary.
	b = b[:64<<10]
	for !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return b
}

func BenchmarkUTF8(b *testing.B) {
	for _, kind := range []struct {
		name  string
		mixed bool
	}{{"ASCII", false}, {"Mixed", true}} {
		p := benchText(kind.mixed)
		b.Run("Validator/"+kind.name+"64KiB", func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			var v UTF8Validator
			for b.Loop() {
				v.Reset()
				if _, err := v.Write(p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("utf8.Valid/"+kind.name+"64KiB", func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			b.ReportAllocs()
			for b.Loop() {
				if !utf8.Valid(p) {
					b.Fatal("invalid")
				}
			}
		})
	}
}

// TestUTF8ValidatorShortSequencesInBlocks puts every 1- and 2-byte
// sequence, and the 3-byte ones of TestUTF8ValidatorAllShortSequences, into
// ASCII at the start, around the middle and at the end of 32-byte blocks,
// so that a vector kernel sees each pair of bytes both inside a block,
// across a block boundary and as its last bytes, and checks every
// implementation against the reference.
func TestUTF8ValidatorShortSequencesInBlocks(t *testing.T) {
	check := func(im utf8Impl, in []byte) {
		wantOff, wantOK, wantTrunc := utf8verdict.Of(in)
		off, ok, trunc := validateChunksWith(im.prefix, in, len(in))
		if off != wantOff || ok != wantOK || trunc != wantTrunc {
			t.Fatalf("%s: % x: got (%d, %v, %v), want (%d, %v, %v)", im.name, in, off, ok, trunc, wantOff, wantOK, wantTrunc)
		}
	}
	thirds := []byte{0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xf4, 0xf5, 0xff}
	for _, im := range utf8Impls {
		if im.prefix == nil {
			continue // TestUTF8ValidatorAllShortSequences covers the scalar loop
		}
		for _, c := range []struct{ n, at int }{{64, 0}, {64, 30}, {64, 31}, {64, 62}, {99, 32}, {99, 61}, {99, 97}} {
			buf := []byte(strings.Repeat("a", c.n))
			at := c.at
			for a := 0; a < 256; a++ {
				buf[at] = byte(a)
				check(im, buf)
				for b := 0; b < 256; b++ {
					buf[at+1] = byte(b)
					check(im, buf)
					if a >= 0xC0 && at+2 < c.n {
						for _, c := range thirds {
							buf[at+2] = c
							check(im, buf)
						}
						buf[at+2] = 'a'
					}
				}
				buf[at+1] = 'a'
			}
			buf[at] = 'a'
		}
	}
}

// utf8Piece draws one labelled piece of a test text: valid sequences of
// every length, and each way a stream can go wrong.
func utf8Piece(t *rapid.T) []byte {
	switch kind := rapid.IntRange(0, 12).Draw(t, "kind"); kind {
	case 0: // an ASCII run, long enough to fill blocks
		return []byte(strings.Repeat("a", rapid.IntRange(1, 80).Draw(t, "ascii")))
	case 1:
		return utf8.AppendRune(nil, rapid.RuneFrom(nil, &unicode2Range).Draw(t, "2-byte"))
	case 2:
		r := rapid.RuneFrom(nil, &unicode3Range).Draw(t, "3-byte")
		if r >= 0xD800 && r <= 0xDFFF {
			r = 0xFFFD
		}
		return utf8.AppendRune(nil, r)
	case 3:
		return utf8.AppendRune(nil, rapid.RuneFrom(nil, &unicode4Range).Draw(t, "4-byte"))
	case 4: // a byte that never occurs in UTF-8
		return []byte{rapid.SampledFrom([]byte{0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff}).Draw(t, "never")}
	case 5: // a lone continuation byte
		return []byte{rapid.ByteRange(0x80, 0xbf).Draw(t, "continuation")}
	case 6: // a surrogate
		r := rapid.IntRange(0xD800, 0xDFFF).Draw(t, "surrogate")
		return []byte{0xED, byte(0x80 | r>>6&0x3F), byte(0x80 | r&0x3F)}
	case 7: // overlong forms
		r := rapid.IntRange(0, 0xFFFF).Draw(t, "overlong")
		switch rapid.IntRange(2, 4).Draw(t, "overlong length") {
		case 2:
			r &= 0x7F
			return []byte{byte(0xC0 | r>>6), byte(0x80 | r&0x3F)}
		case 3:
			r &= 0x7FF
			return []byte{0xE0, byte(0x80 | r>>6), byte(0x80 | r&0x3F)}
		default:
			return []byte{0xF0, byte(0x80 | r>>12&0x3F), byte(0x80 | r>>6&0x3F), byte(0x80 | r&0x3F)}
		}
	case 8: // above U+10FFFF
		r := rapid.IntRange(0x110000, 0x1FFFFF).Draw(t, "too large")
		return []byte{byte(0xF0 | r>>18), byte(0x80 | r>>12&0x3F), byte(0x80 | r>>6&0x3F), byte(0x80 | r&0x3F)}
	case 9: // a sequence cut short
		p := utf8.AppendRune(nil, rapid.SampledFrom([]rune{'é', '€', '世', '😀', '\U0010ffff'}).Draw(t, "cut rune"))
		return p[:rapid.IntRange(1, len(p)-1).Draw(t, "cut at")]
	case 10: // any byte
		return []byte{rapid.Byte().Draw(t, "byte")}
	default: // mixed valid text
		return textOfLen(t, rapid.IntRange(1, 100).Draw(t, "text length"), "text")
	}
}

var (
	unicode2Range = unicodeRange(0x80, 0x7FF)
	unicode3Range = unicodeRange(0x800, 0xFFFF)
	unicode4Range = unicodeRange(0x10000, 0x10FFFF)
)

func unicodeRange(lo, hi rune) unicode.RangeTable {
	return unicode.RangeTable{R32: []unicode.Range32{{Lo: uint32(lo), Hi: uint32(hi), Stride: 1}}}
}

// TestUTF8ImplsMatchReference checks every implementation against
// unicode/utf8 (through utf8verdict.Of: validity, the first error's
// offset, truncation) on texts of valid and invalid pieces, mostly valid
// so that the errors come late, written in random chunks.
func TestUTF8ImplsMatchReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p []byte
		for range rapid.IntRange(0, 30).Draw(t, "pieces") {
			if rapid.IntRange(0, 3).Draw(t, "valid piece") > 0 {
				p = append(p, textOfLen(t, rapid.IntRange(1, 120).Draw(t, "text length"), "text")...)
				continue
			}
			p = append(p, utf8Piece(t)...)
		}
		wantOff, wantOK, wantTrunc := utf8verdict.Of(p)
		if wantOK != utf8.Valid(p) {
			t.Fatalf("reference disagrees with utf8.Valid on % x", p)
		}
		sizes := rapid.SliceOfN(rapid.IntRange(1, 300), 1, 8).Draw(t, "sizes")
		for _, im := range utf8Impls {
			off, ok, trunc := validateChunksWith(im.prefix, p, sizes...)
			if ok != wantOK || off != wantOff || trunc != wantTrunc {
				t.Fatalf("%s: % x in chunks %v: (%d, %v, %v), want (%d, %v, %v)", im.name, p, sizes, off, ok, trunc, wantOff, wantOK, wantTrunc)
			}
		}
	})
}

// FuzzUTF8Impls is FuzzUTF8 of package fuzz for every implementation this
// machine has (package fuzz sees only the one Write chooses): the verdict
// and offset of utf8verdict.Of, whole and in chunks of the given size.
func FuzzUTF8Impls(f *testing.F) {
	for _, tt := range utf8Tests {
		f.Add([]byte(strings.Repeat("a", 70)+tt.in+strings.Repeat("é", 20)), uint8(0))
		f.Add([]byte(tt.in), uint8(3))
	}
	f.Add(benchText(true)[:300], uint8(100))
	f.Fuzz(func(t *testing.T, p []byte, size uint8) {
		if len(p) > 4096 {
			return
		}
		wantOff, wantOK, wantTrunc := utf8verdict.Of(p)
		for _, im := range utf8Impls {
			for _, sz := range []int{len(p) + 1, int(size) + 1} {
				off, ok, trunc := validateChunksWith(im.prefix, p, sz)
				if ok != wantOK || off != wantOff || trunc != wantTrunc {
					t.Fatalf("%s: % x in chunks of %d: (%d, %v, %v), want (%d, %v, %v)", im.name, p, sz, off, ok, trunc, wantOff, wantOK, wantTrunc)
				}
			}
		}
	})
}

// TestUTF8PrefixContract checks, for every vector kernel, what write
// relies on: the prefix it returns is valid, complete UTF-8 (a prefix of
// the input that ends at a sequence boundary).
func TestUTF8PrefixContract(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var p []byte
		for range rapid.IntRange(0, 20).Draw(t, "pieces") {
			p = append(p, utf8Piece(t)...)
		}
		for _, im := range utf8Impls {
			if im.prefix == nil {
				continue
			}
			n := im.prefix(p)
			if n < 0 || n > len(p) || !utf8.Valid(p[:n]) {
				t.Fatalf("%s: prefix of % x = %d, not a valid complete prefix", im.name, p, n)
			}
			if _, ok, trunc := utf8verdict.Of(p); (ok || trunc) && len(p) >= 36 && n == 0 {
				t.Fatalf("%s: prefix of the valid % x = 0", im.name, p)
			}
		}
	})
}
