// Package utf8verdict is the reference the UTF-8 validator is checked
// against: the verdict on a text, computed with unicode/utf8 alone. The
// codec's tests, the fuzz targets and the vector generator share it, so
// that all three hold the validator to the same independent oracle.
package utf8verdict

import "unicode/utf8"

// Of returns the verdict on the text p: valid; or truncated, when p is a
// valid prefix that ends inside a code point (reported at bad = len(p));
// or otherwise bad, the index of the first byte after which no
// continuation can make p valid (R-8.1-utf8-fail: fail fast).
func Of(p []byte) (bad int, valid, truncated bool) {
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if r != utf8.RuneError || size != 1 {
			i += size // a rune, U+FFFD itself included
			continue
		}
		// utf8.FullRune is false exactly for a prefix that some
		// continuation can still complete.
		k := 0
		for k < 3 && i+k < len(p) && !utf8.FullRune(p[i:i+k+1]) {
			k++
		}
		if k > 0 && i+k == len(p) {
			return len(p), false, true
		}
		return i + k, false, false
	}
	return 0, true, false
}
