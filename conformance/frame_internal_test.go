package conformance

import (
	"bytes"
	"testing"
)

// TestAppendPayload checks the repeated payloads of Frame against a
// byte loop: patterns shorter and longer than the length, an exact
// multiple, a truncation, and a prefix already in dst.
func TestAppendPayload(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		n       int
	}{{"BAsd7&jh23", 65536}, {"\x00\xfe\x23\xfa\xf0", 1 << 20}, {"*", 7}, {"abc", 9}, {"abcdef", 4}, {"xyz", 1}} {
		f := Frame{Payload: []byte(tt.pattern), RepeatLength: tt.n}
		want := []byte("prefix")
		for i := 0; i < tt.n; i++ {
			want = append(want, tt.pattern[i%len(tt.pattern)])
		}
		got := f.appendPayload([]byte("prefix"))
		if !bytes.Equal(got, want) || f.payloadLen() != tt.n {
			t.Errorf("%q to %d: got %d octets (payloadLen %d), want %d", tt.pattern, tt.n, len(got)-6, f.payloadLen(), tt.n)
		}
	}
	if got := (Frame{Payload: []byte("hi")}).appendPayload(nil); string(got) != "hi" {
		t.Errorf("plain payload: %q", got)
	}
}
