package codec

import (
	"errors"
	"github.com/wskit/wskit/internal/utf8verdict"
	"strings"
	"testing"
	"unicode/utf8"
)

// validateChunks feeds p to a validator in the given chunk sizes (the last
// size repeats) and returns its verdict in utf8verdict.Of's terms.
func validateChunks(p []byte, sizes ...int) (off int, ok, truncated bool) {
	var v UTF8Validator
	pos := 0
	for i := 0; pos < len(p); i++ {
		size := sizes[min(i, len(sizes)-1)]
		end := min(pos+size, len(p))
		n, err := v.Write(p[pos:end])
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
			for _, size := range []int{len(tt.in) + 1, 1, 2, 3} {
				off, ok, truncated := validateChunks([]byte(tt.in), size)
				if ok != (want < 0) || (!ok && off != want) {
					t.Errorf("chunks of %d: offset %d, ok %v; want %d", size, off, ok, want)
				}
				if truncated != (want == len(tt.in)) {
					t.Errorf("chunks of %d: truncated = %v", size, truncated)
				}
			}
		})
	}
}

// TestUTF8ValidatorEveryAlignment puts a bad byte, a good multi-byte
// character and an unfinished one after 0..99 ASCII bytes, so that the
// word-at-a-time path stops at every alignment.
func TestUTF8ValidatorEveryAlignment(t *testing.T) {
	for prefix := 0; prefix < 100; prefix++ {
		ascii := strings.Repeat("a", prefix)
		for _, tail := range []string{"\xff", "\x80", "é", "€", "😀", "\xe2\x82", "\xed\xa0\x80", "\xc3"} {
			for _, suffix := range []string{"", strings.Repeat("z", 20)} {
				in := []byte(ascii + tail + suffix)
				wantOff, wantOK, wantTrunc := utf8verdict.Of(in)
				for _, size := range []int{len(in) + 1, 7, 1} {
					off, ok, trunc := validateChunks(in, size)
					if off != wantOff || ok != wantOK || trunc != wantTrunc {
						t.Fatalf("%d ASCII + %q + %d: got (%d, %v, %v), want (%d, %v, %v)",
							prefix, tail, len(suffix), off, ok, trunc, wantOff, wantOK, wantTrunc)
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
