package utf8verdict

import (
	"testing"
	"unicode/utf8"
)

func TestOf(t *testing.T) {
	tests := []struct {
		in               string
		bad              int
		valid, truncated bool
	}{
		{"", 0, true, false},
		{"κόσμε", 0, true, false},
		{"\uFFFD", 0, true, false},
		{"\xce", 1, false, true},
		{"ab\xe1\xbd", 4, false, true},
		{"\x80", 0, false, false},
		{"ab\xed\xa0\x80", 3, false, false},   // a surrogate: invalid at its second byte
		{"\xf4\x90\x80\x80", 1, false, false}, // above U+10FFFF
		{"\xc0\xaf", 0, false, false},         // overlong
		{"\xe0\x80\xaf", 1, false, false},     // overlong
		{"a\xce b", 2, false, false},          // a lead byte without its continuation
	}
	for _, tt := range tests {
		bad, valid, truncated := Of([]byte(tt.in))
		if bad != tt.bad || valid != tt.valid || truncated != tt.truncated {
			t.Errorf("Of(%q) = %d, %v, %v; want %d, %v, %v", tt.in, bad, valid, truncated, tt.bad, tt.valid, tt.truncated)
		}
		if valid != utf8.ValidString(tt.in) {
			t.Errorf("Of(%q) disagrees with utf8.ValidString", tt.in)
		}
	}
}
