package config

import (
	"testing"
)

// TestCompilePattern pins the semantics of "cases" and "exclude-cases"
// entries (autobahntestsuite caseset.py, resolveCasePatternList): no "*"
// means string equality; with "*", "." is literal, "*" is ".*", the rest is
// regular-expression syntax, anchored at the start only.
func TestCompilePattern(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{"*", []string{"1.1.1", "13.7.18", ""}, nil},
		{"9.*", []string{"9.1.1", "9.7.6", "9."}, []string{"9", "10.1.1", "19.1.1"}},
		// "1.*" is "1\..*": category 1 only, not 10, 12 or 13.
		{"1.*", []string{"1.1.1", "1.2.8"}, []string{"10.1.1", "12.1.1", "13.7.18", "1"}},
		// "1*" is "1.*": every ID that starts with the digit 1.
		{"1*", []string{"1.1.1", "10.1.1", "12.1.1", "13.7.18"}, []string{"2.1", "9.1.1"}},
		// Other regular-expression syntax is kept, as in real files.
		{"1[1-4].*", []string{"12.1.1", "13.7.18", "11.9"}, []string{"1.1.1", "10.1.1", "15.1"}},
		{"1.1.[1-3]*", []string{"1.1.1", "1.1.3"}, []string{"1.1.4", "1.2.1"}},
		{"(1|2).1*", []string{"1.1.1", "2.1", "2.10"}, []string{"3.1", "1.2.1"}},
		// Literal: equality, so no prefix match and no regular expression.
		{"6.4.1", []string{"6.4.1"}, []string{"6.4.10", "6.4", "6x4x1", "16.4.1"}},
		{"2.1", []string{"2.1"}, []string{"2.10", "2.11", "12.1"}},
		{"1.1+", []string{"1.1+"}, []string{"1.11", "1.1"}},
		{"", []string{""}, []string{"1.1.1"}},
		// With "*" the same IDs become prefixes.
		{"6.4.1*", []string{"6.4.1", "6.4.10"}, []string{"6.4.2", "16.4.1"}},
		{"2.1*", []string{"2.1", "2.10", "2.11"}, []string{"2.2", "12.1"}},
		// Anchored at the start...
		{".*", []string{".1"}, []string{"1.1.1", "2.1"}},
		{"1.1.1|2.*", []string{"1.1.1", "2.1", "1.1.10"}, []string{"x2.1", "11.1.1", "3.2.1"}},
		// ...but not at the end.
		{"*.1", []string{"2.1", "1.1.1", "12.1.18", "9.1.6"}, []string{"10.2.2", "3.2"}},
		{"9.*.1", []string{"9.1.1", "9.2.1", "9.1.10"}, []string{"9.1.2", "19.1.1"}},
		{"7.1", nil, []string{"7.1.1"}},
		{"7.1*", []string{"7.1.1", "7.13.2"}, []string{"7.3.1"}},
	}
	for _, tt := range tests {
		p, err := CompilePattern(tt.pattern)
		if err != nil {
			t.Errorf("CompilePattern(%q): %v", tt.pattern, err)
			continue
		}
		for _, id := range tt.match {
			if !p.Match(id) {
				t.Errorf("CompilePattern(%q).Match(%q) = false, want true", tt.pattern, id)
			}
		}
		for _, id := range tt.noMatch {
			if p.Match(id) {
				t.Errorf("CompilePattern(%q).Match(%q) = true, want false", tt.pattern, id)
			}
		}
	}
}

// TestCompileAnchoredPattern pins the semantics of both sides of
// "exclude-agent-cases" (caseset.py, parseExcludeAgentCases): always a
// regular expression, "." literal, "*" as ".*", wrapped in "^...$", and
// matched with re.match.
func TestCompileAnchoredPattern(t *testing.T) {
	tests := []struct {
		pattern string
		match   []string
		noMatch []string
	}{
		{"gws", []string{"gws"}, []string{"gws2", "lxzan/gws", "GWS"}},
		{"gws*", []string{"gws", "gws/client@v1.8.0"}, []string{"lxzan/gws"}},
		{"*gws", []string{"gws", "lxzan/gws"}, []string{"gws2"}},
		{"*", []string{"", "anything at all"}, nil},
		{"ws v2013*", []string{"ws v20130429"}, []string{"ws v2012"}},
		{"1.0", []string{"1.0"}, []string{"1x0", "1.00"}},
		// Case patterns under an agent are anchored at both ends too.
		{"9.*", []string{"9.1.1", "9.7.6"}, []string{"9", "19.1.1", "10.1.1"}},
		{"6.4.1", []string{"6.4.1"}, []string{"6.4.10", "16.4.1"}},
		{"1*", []string{"1.1.1", "10.1.1"}, []string{"2.1"}},
		{"*.1", []string{"2.1", "12.1"}, []string{"1.1.2", "9.1.10"}},
		// Other characters are regular-expression syntax: an agent name
		// with parentheses does not match itself.
		{"Foo (bar)", []string{"Foo bar"}, []string{"Foo (bar)"}},
		{"Auto(bahn)?*", []string{"Auto", "AutobahnPython 0.6"}, []string{"Autumn"}},
		{"c\\+\\+*", []string{"c++", "c++ 1.0"}, []string{"c"}},
		// "^a|b$" under re.match: a prefix "a", or exactly "b".
		{"a|b", []string{"a", "abc", "b"}, []string{"xb", "ba", "c"}},
		{"", []string{""}, []string{"x"}},
	}
	for _, tt := range tests {
		p, err := CompileAnchoredPattern(tt.pattern)
		if err != nil {
			t.Errorf("CompileAnchoredPattern(%q): %v", tt.pattern, err)
			continue
		}
		if p.Literal() {
			t.Errorf("CompileAnchoredPattern(%q).Literal() = true, want false", tt.pattern)
		}
		for _, s := range tt.match {
			if !p.Match(s) {
				t.Errorf("CompileAnchoredPattern(%q).Match(%q) = false, want true", tt.pattern, s)
			}
		}
		for _, s := range tt.noMatch {
			if p.Match(s) {
				t.Errorf("CompileAnchoredPattern(%q).Match(%q) = true, want false", tt.pattern, s)
			}
		}
	}
}

func TestCompilePatternErrors(t *testing.T) {
	tests := []struct {
		pattern  string
		anchored bool
		wantErr  bool
	}{
		{"1[.*", false, true},
		{"1[", false, false}, // no "*": a literal, never compiled (wstest neither)
		{"1[", true, true},
		{"c++", true, true},
		{"c++*", false, true},
		{"(1|2*", false, true},
		// Python refuses the unbalanced ")"; the group this package wraps
		// around the expression must not make it valid.
		{"1)|(2*", false, true},
		{"a)|(b", true, true},
		{"x(?=y)*", false, true}, // lookahead: Python has it, RE2 does not
	}
	for _, tt := range tests {
		compile, name := CompilePattern, "CompilePattern"
		if tt.anchored {
			compile, name = CompileAnchoredPattern, "CompileAnchoredPattern"
		}
		p, err := compile(tt.pattern)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s(%q) error = %v, want error %t", name, tt.pattern, err, tt.wantErr)
		}
		if err != nil && p != nil {
			t.Errorf("%s(%q) returned a pattern with its error", name, tt.pattern)
		}
	}
}

func TestPatternLiteralString(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		literal bool
	}{
		{"6.4.1", true},
		{"6.4.*", false},
		{"*", false},
		{"1[1-4]", true},
	} {
		p, err := CompilePattern(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if p.Literal() != tt.literal {
			t.Errorf("CompilePattern(%q).Literal() = %t, want %t", tt.pattern, p.Literal(), tt.literal)
		}
		if p.String() != tt.pattern {
			t.Errorf("CompilePattern(%q).String() = %q", tt.pattern, p.String())
		}
	}
}

func TestIsCaseID(t *testing.T) {
	for _, s := range []string{"1.1.1", "2.10", "13.7.18", "1", "0.1"} {
		if !isCaseID(s) {
			t.Errorf("isCaseID(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "all", "1.", ".1", "1..1", "06.4.1", " 1.1", "1.1 ", "+1.1", "-1.1", "1.x"} {
		if isCaseID(s) {
			t.Errorf("isCaseID(%q) = true, want false", s)
		}
	}
}
