package handshake

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHeaderLookup(t *testing.T) {
	h := Header{{"Connection", "keep-alive"}, {"host", "a"}, {"CONNECTION", "Upgrade"}, {"X", ""}}
	if got := h.Get("connection"); got != "keep-alive" {
		t.Errorf("Get = %q", got)
	}
	if got := h.Values("Connection"); !cmp.Equal(got, []string{"keep-alive", "Upgrade"}) {
		t.Errorf("Values = %q", got)
	}
	if got := h.Values("Missing"); got != nil {
		t.Errorf("Values of a missing field = %q", got)
	}
	if got := h.Get("HOST"); got != "a" {
		t.Errorf("Get(HOST) = %q", got)
	}
	// ASCII folding only: the Kelvin sign (U+212A) is not "k".
	if got := (Header{{"\u212aey", "v"}}).Get("key"); got != "" {
		t.Errorf("Kelvin sign folded to k: %q", got)
	}
}

func TestHeaderEdit(t *testing.T) {
	h := Header{{"A", "1"}, {"b", "2"}, {"a", "3"}, {"C", "4"}}
	h.Set("A", "x")
	if want := (Header{{"A", "x"}, {"b", "2"}, {"C", "4"}}); !cmp.Equal(h, want) {
		t.Errorf("Set = %v", h)
	}
	h.Set("D", "5")
	h.Add("b", "6")
	h.Del("B")
	if want := (Header{{"A", "x"}, {"C", "4"}, {"D", "5"}}); !cmp.Equal(h, want) {
		t.Errorf("Add, Del = %v", h)
	}
	var empty Header
	empty.Set("X", "1")
	empty.Del("Y")
	if want := (Header{{"X", "1"}}); !cmp.Equal(empty, want) {
		t.Errorf("on a nil Header: %v", empty)
	}
}

func TestCheckFields(t *testing.T) {
	for _, f := range []Field{{"X", "a\r\nY: b"}, {"X", "a\x00"}, {"X Y", "a"}, {"", "a"}, {"X", " a"}, {"X", "a\t"}, {"X:", "a"}} {
		if _, ok := checkFields(Header{{"Ok", "fine"}, f}); ok {
			t.Errorf("checkFields accepted %q", f)
		}
	}
	if f, ok := checkFields(Header{{"User-Agent", "caf\u00e9 1.0"}, {"X", ""}}); !ok {
		t.Errorf("checkFields refused %q", f)
	}
}

func TestTokenGrammar(t *testing.T) {
	for _, s := range []string{"a", "permessage-deflate", "!#$%&'*+-.^_`|~09AZaz"} {
		if !isToken(s) {
			t.Errorf("isToken(%q) = false", s)
		}
	}
	for _, s := range []string{"", "a b", "a,b", "a;b", "a=b", `"a"`, "a/b", "(a)", "a\t", "\u00e9"} {
		if isToken(s) {
			t.Errorf("isToken(%q) = true", s)
		}
	}
	if got := listElements([]string{" a ,, b", "", ",c,"}); !cmp.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("listElements = %q", got)
	}
	if !hasToken([]string{"keep-alive", " UPGRADE "}, "upgrade") || hasToken([]string{"upgraded, x"}, "upgrade") {
		t.Error("hasToken")
	}
}
