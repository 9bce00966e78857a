package conformance

import (
	"bytes"
	"testing"
)

// TestAppendPayload checks the repeated payloads of Frame against a
// byte loop: patterns shorter and longer than the length, an exact
// multiple, a truncation, a prefix already in dst, and lengths past
// maxCopy (a pattern whose length does not divide it).
func TestAppendPayload(t *testing.T) {
	for _, tt := range []struct {
		pattern string
		n       int
	}{{"BAsd7&jh23", 65536}, {"\x00\xfe\x23\xfa\xf0", 1 << 20}, {"*", 7}, {"abc", 9}, {"abcdef", 4}, {"xyz", 1}, {"0123456", 3<<20 + 5}} {
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

// TestQueue: the frames of a turn are written as one write with their
// bytes in order; small frames share a buffer, and a frame larger than
// maxCopy keeps its own, uncopied.
func TestQueue(t *testing.T) {
	small := func(c byte) []byte { return bytes.Repeat([]byte{c}, 10) }
	big := bytes.Repeat([]byte{'B'}, maxCopy+1)
	var s Session
	for _, w := range [][]byte{small('a'), small('b'), big, small('c'), small('d')} {
		s.queue(w)
	}
	if len(s.pending) != 3 || &s.pending[1][0] != &big[0] {
		t.Fatalf("%d buffers; the large frame copied: %v", len(s.pending), len(s.pending) > 1 && &s.pending[1][0] != &big[0])
	}
	want := string(small('a')) + string(small('b')) + string(big) + string(small('c')) + string(small('d'))
	if got := string(bytes.Join(s.pending, nil)); got != want {
		t.Errorf("the turn's bytes differ from the frames in order (%d octets, want %d)", len(got), len(want))
	}
}
