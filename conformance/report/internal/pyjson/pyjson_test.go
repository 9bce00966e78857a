package pyjson

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// Expected bytes below are written by hand from the rules of Python 2's
// json.dumps(sort_keys=True, indent=3, separators=(",", ": ")).

func TestPyjsonValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"null", nil, `null`},
		{"true", true, `true`},
		{"false", false, `false`},
		{"int", 1000, `1000`},
		{"negative int64", int64(-1705562451334), `-1705562451334`},
		{"whole float as int", 1.0, `1`},
		{"fraction", 0.5, `0.5`},
		{"small", 0.00001, `1e-05`},
		{"large", 1e16, `1e+16`},
		{"plain decimal", 123456.789, `123456.789`},
		{"NaN", math.NaN(), `null`},
		{"infinity", math.Inf(-1), `null`},
		{"empty object", Object{}, `{}`},
		{"empty array", []any{}, `[]`},
		{"nil array", []any(nil), `[]`},
		{"flat object", Sorted(Member{"b", 1}, Member{"a", nil}),
			"{\n   \"a\": null,\n   \"b\": 1\n}"},
		{"nested", Sorted(
			Member{"z", []any{}},
			Member{"y", Object{}},
			Member{"x", []any{1, Sorted(Member{"d", "e"}), []any{true}}},
		), `{
   "x": [
      1,
      {
         "d": "e"
      },
      [
         true
      ]
   ],
   "y": {},
   "z": []
}`},
	} {
		if got := string(Append(nil, tc.v, 0)); got != tc.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

func TestPyjsonKeyOrder(t *testing.T) {
	// String keys sort as strings, capitals before lower case; int keys
	// numerically, written as strings.
	obj := Sorted(
		Member{"requireClean", true},
		Member{"closedByMe", true},
		Member{"closeCode", []any{}},
		Member{"OK", 1},
		Member{"NON-STRICT", 2},
		Member{"2.1", 3},
		Member{"10.1.1", 4},
		Member{"1.1.1", 5},
	)
	want := `{
   "1.1.1": 5,
   "10.1.1": 4,
   "2.1": 3,
   "NON-STRICT": 2,
   "OK": 1,
   "closeCode": [],
   "closedByMe": true,
   "requireClean": true
}`
	if got := string(Append(nil, obj, 0)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	stats := Stats(map[int]int{65536: 1, 8: 2, 294: 3, 14: 4, 0: 5})
	want = `{
   "0": 5,
   "8": 2,
   "14": 4,
   "294": 3,
   "65536": 1
}`
	if got := string(Append(nil, stats, 0)); got != want {
		t.Errorf("stats: got\n%s\nwant\n%s", got, want)
	}
	if got := string(Append(nil, Stats(nil), 0)); got != "{}" {
		t.Errorf("nil stats: got %s", got)
	}
}

func TestPyjsonStrings(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", `""`},
		{"printable ASCII", "Hello, world! ~", `"Hello, world! ~"`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"slash and script end tag stay", "</script>", `"</script>"`},
		{"short escapes", "\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"other controls and DEL", "\x00\x01\x1f\x7f", `"\u0000\u0001\u001f\u007f"`},
		{"two-byte", "\u00e9", `"\u00e9"`},
		{"three-byte, lower-case hex", "\u20ac\uabcd", `"\u20ac\uabcd"`},
		{"U+FFFF", "\uffff", `"\uffff"`},
		{"astral as surrogate pair", "\U0001F600", `"\ud83d\ude00"`},
		{"last code point", "\U0010FFFF", `"\udbff\udfff"`},
		{"first astral", "\U00010000", `"\ud800\udc00"`},
		{"encoded lone surrogates", "\xed\xa0\x80|\xed\xbf\xbf", `"\ud800|\udfff"`},
		{"encoded surrogate pair (CESU-8)", "\xed\xa0\xbd\xed\xb8\x80", `"\ud83d\ude00"`},
		{"invalid byte", "a\xffb", `"a\ufffdb"`},
		{"overlong two-byte", "\xc0\xaf", `"\ufffd\ufffd"`},
		{"overlong three-byte", "\xe0\x80\xaf", `"\ufffd\ufffd\ufffd"`},
		{"overlong four-byte", "\xf0\x80\x80\xaf", `"\ufffd\ufffd\ufffd\ufffd"`},
		{"above U+10FFFF", "\xf4\x90\x80\x80", `"\ufffd\ufffd\ufffd\ufffd"`},
		{"lead byte F5", "\xf5\x80", `"\ufffd\ufffd"`},
		{"truncated", "\xe2\x82", `"\ufffd\ufffd"`},
		{"truncated then ASCII", "\xe2\x82x", `"\ufffd\ufffdx"`},
	} {
		if got := string(appendString(nil, tc.in)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPreviewText(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	fe := func(n int) []byte { return bytes.Repeat([]byte{0xfe}, n) }
	for _, tc := range []struct {
		name string
		data []byte
		n    int
		want string
	}{
		{"empty", nil, 0, ""},
		{"60 octets: whole, no marker", []byte(a(60)), 60, a(60)},
		{"61 octets: marker though nothing is cut", []byte(a(61)), 61, a(61) + " ..."},
		{"64 octets", []byte(a(64)), 64, a(64) + " ..."},
		{"65 octets: cut to 64", []byte(a(65)), 65, a(64) + " ..."},
		{"only a prefix kept, length says more", []byte(a(64)), 65536, a(64) + " ..."},
		{"short binary", []byte{0x03, 0xe8}, 2, "0x03e8"},
		{"125 x 0xfe", fe(125), 125, "0x" + strings.Repeat("fe", 64) + " ..."},
		{"60 x 0xfe", fe(60), 60, "0x" + strings.Repeat("fe", 60)},
		{"61 x 0xfe", fe(61), 61, "0x" + strings.Repeat("fe", 61) + " ..."},
		{"character cut by the limit", append([]byte(a(63)), 0xc3, 0xa9), 65, "0x" + strings.Repeat("61", 63) + "c3 ..."},
		{"character ending at the limit", append([]byte(a(62)), 0xc3, 0xa9, 'b'), 65, a(62) + "\u00e9 ..."},
		{"encoded surrogate is text", []byte("\xed\xa0\x80"), 3, "\xed\xa0\x80"},
		{"overlong is hex", []byte("\xc0\xaf"), 2, "0xc0af"},
		{"valid UTF-8 text", []byte("\u00e9\U0001F600"), 6, "\u00e9\U0001F600"},
	} {
		if got := PreviewText(tc.data, tc.n); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPreviewHex(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		n    int
		want string
	}{
		{"empty", nil, 0, ""},
		{"short", []byte("GET"), 3, "474554"},
		{"60", bytes.Repeat([]byte{0xab}, 60), 60, strings.Repeat("ab", 60)},
		{"61", bytes.Repeat([]byte{0xab}, 61), 61, strings.Repeat("ab", 61) + " ..."},
		{"294 read, 64 kept", bytes.Repeat([]byte{0xab}, 64), 294, strings.Repeat("ab", 64) + " ..."},
		{"more kept than the limit", bytes.Repeat([]byte{0xab}, 100), 100, strings.Repeat("ab", 64) + " ..."},
	} {
		if got := PreviewHex(tc.data, tc.n); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// repUTF8Byte draws bytes that hit the edges of UTF-8's lead and continuation
// ranges, the surrogate block and the U+10FFFF limit, and sometimes any byte.
var repUTF8Byte = rapid.Custom(func(t *rapid.T) byte {
	edges := []byte{0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf3, 0xf4, 0xf5, 0xf8, 0xff}
	if rapid.Bool().Draw(t, "edge") {
		return rapid.SampledFrom(edges).Draw(t, "edgeByte")
	}
	return rapid.Byte().Draw(t, "anyByte")
})

// repIsEncodedSurrogate reports whether s starts with a well-formed 3-byte
// encoding of U+D800-U+DFFF.
func repIsEncodedSurrogate(s string) bool {
	return len(s) >= 3 && s[0] == 0xed && s[1] >= 0xa0 && s[1] <= 0xbf && s[2]&0xc0 == 0x80
}

// Python 2's decoder differs from Go's only on encoded surrogates.
func TestPyjsonDecodeRuneMatchesUTF8(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := string(rapid.SliceOfN(repUTF8Byte, 0, 8).Draw(t, "bytes"))
		r, size := decodeRune(s)
		if repIsEncodedSurrogate(s) {
			if size != 3 || r < 0xd800 || r > 0xdfff {
				t.Fatalf("%x: got %U size %d, want a surrogate of size 3", s, r, size)
			}
			return
		}
		gr, gsize := utf8.DecodeRuneInString(s)
		if gr == utf8.RuneError && gsize <= 1 {
			gsize = 0 // Go's "invalid" is size 0 here
		}
		if s == "" {
			gsize = 0
		}
		if size != gsize || (size > 0 && r != gr) {
			t.Fatalf("%x: got %U size %d, unicode/utf8 says %U size %d", s, r, size, gr, gsize)
		}
	})
}

// Any valid UTF-8 string survives the writer and encoding/json, and the
// output is ASCII.
func TestPyjsonStringRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		out := appendString(nil, s)
		for _, c := range out {
			if c < 0x20 || c > 0x7e {
				t.Fatalf("non-ASCII or control byte %#x in %s", c, out)
			}
		}
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if back != s {
			t.Fatalf("round trip: %q became %q via %s", s, back, out)
		}
	})
}

// A preview is decodable text or "0x" and hex of at most 64 octets, with
// the marker exactly when the length is over 60.
func TestPreviewTextProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		data := rapid.SliceOfN(repUTF8Byte, 0, 80).Draw(t, "data")
		n := len(data)
		if rapid.Bool().Draw(t, "longer") {
			n += rapid.IntRange(1, 1<<20).Draw(t, "more")
		}
		p := PreviewText(data, n)
		kept, marker := data, ""
		if n > 60 {
			kept, marker = data[:min(len(data), 64)], " ..."
		}
		text := string(kept) + marker
		switch p {
		case text:
			if !decodable(text) {
				t.Fatalf("%q is not decodable but shown as text", text)
			}
		case "0x" + hex.EncodeToString(kept) + marker:
			if decodable(text) {
				t.Fatalf("%q is decodable but shown as hex", text)
			}
		default:
			t.Fatalf("preview %q of %x (n=%d) is neither the text nor the hex form", p, kept, n)
		}
	})
}
