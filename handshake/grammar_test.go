package handshake

import (
	"strings"
	"testing"
)

func TestValidKey(t *testing.T) {
	tests := map[string]bool{
		"dGhlIHNhbXBsZSBub25jZQ==":     true,
		"AQIDBAUGBwgJCgsMDQ4PEC==":     true, // non-canonical, RFC 6455 section 4.1
		"AAAAAAAAAAAAAAAAAAAAAA==":     true,
		"+/+/+/+/+/+/+/+/+/+/+w==":     true,
		"dGhlIHNhbXBsZSBub25jZQ":       false,
		"dGhlIHNhbXBsZSBub25jZQ=":      false,
		"dGhlIHNhbXBsZSBub25jZQ===":    false,
		"dGhlIHNhbXBsZSBub25jZ\r\n=":   false,
		"dGhlIHNhbXBsZSBub25jZ\r\n==":  false,
		"dGhlIHNhbXBsZSBub25j\r\nQ==":  false,
		"-_-_-_-_-_-_-_-_-_-_-w==":     false,
		"dGhlIHNhbXBs ZSBub25jZQ=":     false,
		"dGhlIHNhbXBsZSBub25jZ===":     false,
		"AQIDBAUGBwgJCgsMDQ4PEBESExQ=": false,
		"":                             false,
	}
	for k, want := range tests {
		if got := validKey(k); got != want {
			t.Errorf("validKey(%q) = %v", k, got)
		}
	}
}

// TestValidVersionNumber pins the version grammar of RFC 6455 section
// 4.3, range-checked to 0-255 although the ABNF lets 256-299 through.
func TestValidVersionNumber(t *testing.T) {
	for _, v := range []string{"0", "7", "8", "13", "99", "100", "199", "200", "255"} {
		if !validVersionNumber(v) {
			t.Errorf("validVersionNumber(%q) = false", v)
		}
	}
	for _, v := range []string{"", "00", "013", "256", "299", "300", "1000", "+13", "-1", "1a", " 13", "13 "} {
		if validVersionNumber(v) {
			t.Errorf("validVersionNumber(%q) = true", v)
		}
	}
}

func TestValidHost(t *testing.T) {
	for _, h := range []string{"a", "server.example.com", "server.example.com:80", "h:", "127.0.0.1:9001", "[::1]", "[::1]:9001",
		"[v1.fe80::a+en1]", "xn--bcher-kva.example", "a_b~c!$&'()*+,;=", "%41b"} {
		if !validHost(h) {
			t.Errorf("validHost(%q) = false", h)
		}
	}
	for _, h := range []string{"", ":80", "a b", "a:8o", "[::1", "[::1]x", "[]", "[::g]", "user@h", "h/p", "%4", "%zz", "a:80:90", "caf\u00e9"} {
		if validHost(h) {
			t.Errorf("validHost(%q) = true", h)
		}
	}
}

// TestProtocolsDuplicateInLongList: duplicates are found in lists long
// enough for the map path as well as in short ones.
func TestProtocolsDuplicateInLongList(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	if _, err := ParseProtocols(strings.Join(names, ", ")); err != nil {
		t.Fatal(err)
	}
	for i := range names {
		list := strings.Join(append(append([]string(nil), names...), names[i]), ",")
		if _, err := ParseProtocols(list); err == nil {
			t.Errorf("duplicate %q in %q not found", names[i], list)
		}
	}
}
