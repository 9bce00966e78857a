// Package pyjson writes JSON exactly as Python 2's json module does with
// Autobahn|Testsuite's settings, for the Autobahn-compatible reports.
//
// Autobahn|Testsuite writes its reports with Python 2's
//
//	json.dumps(obj, sort_keys=True, indent=3, separators=(",", ": "))
//
// so that is the layout reproduced here, byte for byte:
//
//   - every member and element on its own line, indented three blanks per
//     level; "," ends a line, ": " separates key and value, no blank ever
//     ends a line, and there is no newline after the last brace;
//   - an empty object is "{}" and an empty array "[]";
//   - only ASCII is written: '"' and '\\' are escaped, \b \f \n \r \t get
//     their short forms, every other character outside 0x20-0x7E
//     (DEL included) becomes \uXXXX in lower-case hex, a character above
//     U+FFFF a surrogate pair, and '/' is written as it is;
//   - keys are sorted before they are turned into strings, so string keys
//     come out in plain lexicographic order while integer keys (the octet
//     and frame statistics) come out in numeric order, written as strings.
//
// encoding/json cannot do this (it escapes <, > and &, keeps non-ASCII, and
// orders map keys as strings), hence this small writer. Objects keep their
// members in the order they are built in; the builders sort them.
//
// Strings are decoded the way Python 2 decodes UTF-8: encoded surrogates
// (ED A0-BF xx) are accepted and written as \udXXX escapes, exactly as
// Autobahn writes payload previews that contain them. Bytes Python 2 would
// refuse (overlong forms, F5-FF, code points above U+10FFFF, truncated
// sequences) never reach the writer from a preview, which falls back to hex
// for them; in any other string they are written as U+FFFD, one per byte.
package pyjson

import (
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/wskit/wskit/conformance"
)

// A Object is a JSON object written with its members in the order
// held.
type Object []Member

// A Member is one key and value of a Object. Value is one of
// nil (null), bool, int, int64, float64, string, []any or Object.
type Member struct {
	Key   string
	Value any
}

// Sorted returns the members sorted by key, as Python sorts string
// keys (by code point, which for valid UTF-8 is byte order).
func Sorted(members ...Member) Object {
	obj := Object(members)
	sort.SliceStable(obj, func(i, j int) bool { return obj[i].Key < obj[j].Key })
	return obj
}

// Stats returns an integer-keyed map as an object in numeric key
// order with the keys written as decimal strings, as Python 2 writes a
// dict with int keys under sort_keys.
func Stats(m map[int]int) Object {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	obj := make(Object, len(keys))
	for i, k := range keys {
		obj[i] = Member{strconv.Itoa(k), m[k]}
	}
	return obj
}

// indent is the number of blanks per nesting level.
const indent = 3

// Append appends the encoding of v at nesting depth to dst and
// returns the extended buffer. It panics on a value type it does not know:
// that is a bug in this package, never a property of the input.
func Append(dst []byte, v any, depth int) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case float64:
		return appendFloat(dst, v)
	case string:
		return appendString(dst, v)
	case []any:
		if len(v) == 0 {
			return append(dst, "[]"...)
		}
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = Append(dst, e, depth+1)
		}
		dst = newline(dst, depth)
		return append(dst, ']')
	case Object:
		if len(v) == 0 {
			return append(dst, "{}"...)
		}
		dst = append(dst, '{')
		for i, m := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = newline(dst, depth+1)
			dst = appendString(dst, m.Key)
			dst = append(dst, ": "...)
			dst = Append(dst, m.Value, depth+1)
		}
		dst = newline(dst, depth)
		return append(dst, '}')
	}
	panic(fmt.Sprintf("pyjson: cannot encode %T", v))
}

// newline appends a line break and the indentation of depth.
func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < depth*indent; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

// appendFloat appends f as Python's repr does for the values reports
// hold (timer delays), except that an integral value is written as an
// integer: Autobahn's cases give whole delays as int literals (1, 10) and
// fractional ones as floats (0.5). NaN and the infinities, which Python
// would write as invalid JSON, are written as null.
func appendFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return append(dst, "null"...)
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return strconv.AppendInt(dst, int64(f), 10)
	}
	// repr switches to exponent form below 1e-4 and from 1e16 on.
	if a := math.Abs(f); a >= 1e-4 && a < 1e16 {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	return strconv.AppendFloat(dst, f, 'e', -1, 64)
}

// appendString appends s as a quoted, ASCII-only JSON string,
// decoding s with Python 2's UTF-8 rules (see the file comment).
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		r, size := decodeRune(s[i:])
		if size == 0 {
			r, size = 0xfffd, 1
		}
		i += size
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\b':
			dst = append(dst, '\\', 'b')
		case r == '\f':
			dst = append(dst, '\\', 'f')
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r >= 0x20 && r <= 0x7e:
			dst = append(dst, byte(r))
		case r > 0xffff:
			r -= 0x10000
			dst = appendU(dst, 0xd800+r>>10)
			dst = appendU(dst, 0xdc00+r&0x3ff)
		default:
			dst = appendU(dst, r)
		}
	}
	return append(dst, '"')
}

// appendU appends the escape \uXXXX of the UTF-16 code unit u.
func appendU(dst []byte, u rune) []byte {
	const hexDigits = "0123456789abcdef"
	return append(dst, '\\', 'u', hexDigits[u>>12&0xf], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
}

// decodeRune decodes the first character of s with Python 2's strict
// UTF-8 decoder and returns it with its size in bytes, or size 0 when s
// does not start with a sequence Python 2 accepts. Unlike unicode/utf8 it
// accepts the encoded surrogates U+D800-U+DFFF (ED A0-BF xx); like it, it
// refuses overlong forms, lead bytes C0, C1 and F5-FF, code points above
// U+10FFFF and sequences cut short.
func decodeRune(s string) (r rune, size int) {
	if len(s) == 0 {
		return 0, 0
	}
	b0 := s[0]
	cont := func(i int) bool { return i < len(s) && s[i]&0xc0 == 0x80 }
	switch {
	case b0 < 0x80:
		return rune(b0), 1
	case b0 >= 0xc2 && b0 <= 0xdf:
		if !cont(1) {
			return 0, 0
		}
		return rune(b0&0x1f)<<6 | rune(s[1]&0x3f), 2
	case b0 >= 0xe0 && b0 <= 0xef:
		if !cont(1) || !cont(2) || (b0 == 0xe0 && s[1] < 0xa0) {
			return 0, 0
		}
		return rune(b0&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
	case b0 >= 0xf0 && b0 <= 0xf4:
		if !cont(1) || !cont(2) || !cont(3) || (b0 == 0xf0 && s[1] < 0x90) || (b0 == 0xf4 && s[1] > 0x8f) {
			return 0, 0
		}
		return rune(b0&0x07)<<18 | rune(s[1]&0x3f)<<12 | rune(s[2]&0x3f)<<6 | rune(s[3]&0x3f), 4
	}
	return 0, 0
}

// decodable reports whether Python 2's strict UTF-8 decoder accepts
// all of s.
func decodable(s string) bool {
	for i := 0; i < len(s); {
		_, size := decodeRune(s[i:])
		if size == 0 {
			return false
		}
		i += size
	}
	return true
}

// Payload previews, Autobahn's asciiLogData and binLogData: a payload of
// more than previewKeep octets is shown as its first WirePreviewLen octets
// followed by previewMore, so payloads of 61 to 64 octets get the marker
// although nothing was cut.
const (
	previewMore = " ..."
	previewKeep = conformance.WirePreviewLen - len(previewMore)
)

// PreviewText returns the display form of a payload whose first bytes are
// data and whose full length is n: the text itself when Python 2 can
// decode it (marker included), else "0x" and lower-case hex. The result
// may hold encoded surrogates, which appendString writes as \udXXX.
func PreviewText(data []byte, n int) string {
	n = max(n, len(data))
	if n <= previewKeep {
		if decodable(string(data)) {
			return string(data)
		}
		return "0x" + hex.EncodeToString(data)
	}
	data = data[:min(len(data), conformance.WirePreviewLen)]
	if s := string(data) + previewMore; decodable(s) {
		return s
	}
	return "0x" + hex.EncodeToString(data) + previewMore
}

// PreviewHex returns the hex display form of octets whose first bytes are
// data and whose full length is n, as the RO and TO wire log rows show
// them.
func PreviewHex(data []byte, n int) string {
	n = max(n, len(data))
	if n <= previewKeep {
		return hex.EncodeToString(data)
	}
	return hex.EncodeToString(data[:min(len(data), conformance.WirePreviewLen)]) + previewMore
}

// Display turns s into valid UTF-8 for people and for HTML and XML
// pages: a character Python 2 decodes but Go cannot (an encoded surrogate)
// is written as \udXXX, a byte neither decodes as U+FFFD, and control
// characters other than line feed and tab, and noncharacters such as
// U+FFFF, as \uXXXX (\UXXXXXXXX above U+FFFF). Quotes frame the result so
// blanks at either end stay visible.
func Display(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := decodeRune(s[i:])
		switch {
		case size == 0:
			b.WriteRune(0xfffd)
			size = 1
		case r > 0xffff && r&0xfffe == 0xfffe:
			fmt.Fprintf(&b, "\\U%08x", r)
		case r >= 0xd800 && r <= 0xdfff, r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r <= 0x9f,
			r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
			b.Write(appendU(nil, r))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// DisplayRaw is Display without the quotes, for one-line reasons.
func DisplayRaw(s string) string {
	d := Display(s)
	return d[1 : len(d)-1]
}
