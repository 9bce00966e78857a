// The character classes and list rules shared by every header grammar of
// the handshake, from RFC 9110 section 5.6 (which RFC 6455's RFC 2616
// rules map onto):
//
//	token  = 1*tchar
//	tchar  = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//	         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
//	OWS    = *( SP / HTAB )
//	#rule  = [ element ] *( OWS "," OWS [ element ] )
//
// A recipient accepts empty list elements (RFC 9110 section 5.6.1, and
// RFC 2616 section 2.1 before it), so "a, , b" is the list a, b; a 1#rule
// still needs one non-empty element.

package handshake

import "strings"

// tchar marks the bytes that may appear in a token.
var tchar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// isToken reports whether s is a non-empty token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return false
		}
	}
	return true
}

// isOWS reports whether c is optional whitespace: SP or HTAB.
func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// trimOWS removes leading and trailing SP and HTAB.
func trimOWS(s string) string {
	i, j := 0, len(s)
	for i < j && isOWS(s[i]) {
		i++
	}
	for j > i && isOWS(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isFieldValueByte reports whether c may appear inside a field value:
// VCHAR, obs-text, SP or HTAB (RFC 9110 section 5.5). CR, LF, NUL and the
// other control characters may not.
func isFieldValueByte(c byte) bool {
	return c == '\t' || c == ' ' || ('!' <= c && c <= '~') || c >= 0x80
}

// lower returns the ASCII lower-case form of c.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold compares ASCII case-insensitively. Unlike strings.EqualFold it
// never folds non-ASCII runes (the Kelvin sign is not "k"), which matters
// for names and tokens that must be ASCII.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// listElements splits header field values that follow the #rule into their
// non-empty elements, with OWS removed, in order. Several field lines
// count as one comma-joined line (RFC 9110 section 5.3). It does not look
// inside quoted strings: it is only for lists of tokens.
func listElements(values []string) []string {
	var out []string
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if e = trimOWS(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// hasToken reports whether any element of the #rule lists in values equals
// token, compared ASCII case-insensitively.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if equalFold(trimOWS(e), token) {
				return true
			}
		}
	}
	return false
}
