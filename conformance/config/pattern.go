package config

// Autobahn's patterns (autobahntestsuite/caseset.py) are rewritten by two
// textual replacements, "." -> "\." and then "*" -> ".*", and handed to
// Python's re. A "cases"/"exclude-cases" entry is rewritten only when it
// contains "*" and is then matched with re.match, which anchors at the
// start only; without "*" it is compared as a string. Both sides of
// "exclude-agent-cases" are always rewritten and wrapped in "^...$".
//
// Go's regexp searches anywhere, so the start anchor is added around the
// rewritten expression. The expression is first compiled on its own, so
// that text which Python would refuse (an unbalanced ")") is not rescued by
// the wrapping group.

import (
	"fmt"
	"regexp"
	"strings"
)

// A Pattern is one compiled case or agent pattern. Its zero value is not
// usable; make one with [CompilePattern] or [CompileAnchoredPattern].
// A Pattern is safe for concurrent use.
type Pattern struct {
	src string
	re  *regexp.Regexp // nil for a literal case ID
}

// CompilePattern compiles an entry of "cases" or "exclude-cases". Without
// "*" the pattern is a literal and matches only an equal string. With "*",
// "." is made literal, "*" becomes ".*", other characters keep their
// regular-expression meaning, and the expression is anchored at the start
// only: "9.*" matches "9.1.1", "1.*" does not match "10.1.1", "*.1"
// matches "12.1.18".
//
// The error reports an expression Go's regexp cannot compile.
func CompilePattern(p string) (*Pattern, error) {
	if !strings.Contains(p, "*") {
		return &Pattern{src: p}, nil
	}
	re, err := compile(rewrite(p), "^(?:"+rewrite(p)+")")
	if err != nil {
		return nil, err
	}
	return &Pattern{src: p, re: re}, nil
}

// CompileAnchoredPattern compiles a key of "exclude-agent-cases" or one of
// the case patterns listed under it. The pattern is always a regular
// expression, rewritten as by [CompilePattern] ("." literal, "*" as ".*")
// and anchored at both ends: "gws" matches "gws" but not "gws2", "gws*"
// matches both, "9.*" matches "9.1.1", and "Foo (bar)" does not match
// "Foo (bar)".
func CompileAnchoredPattern(p string) (*Pattern, error) {
	full := "^" + rewrite(p) + "$"
	re, err := compile(full, "^(?:"+full+")")
	if err != nil {
		return nil, err
	}
	return &Pattern{src: p, re: re}, nil
}

func rewrite(p string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p, ".", `\.`), "*", ".*")
}

// compile checks expr as Python would see it, then compiles the anchored
// form used for matching.
func compile(expr, anchored string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(expr); err != nil {
		return nil, fmt.Errorf("regular expression %q: %w", expr, err)
	}
	return regexp.Compile(anchored)
}

// Match reports whether s matches the pattern.
func (p *Pattern) Match(s string) bool {
	if p.re == nil {
		return s == p.src
	}
	return p.re.MatchString(s)
}

// Literal reports whether the pattern is compared by string equality: a
// "cases" or "exclude-cases" entry without "*".
func (p *Pattern) Literal() bool { return p.re == nil }

// String returns the pattern as written in the spec file.
func (p *Pattern) String() string { return p.src }

// isCaseID reports whether s is a case ID in canonical form: decimal
// numbers without leading zeros, separated by single dots.
func isCaseID(s string) bool {
	for part := range strings.SplitSeq(s, ".") {
		if part == "" || len(part) > 1 && part[0] == '0' {
			return false
		}
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}
