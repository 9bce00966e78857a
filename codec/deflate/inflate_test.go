package deflate

import (
	"bytes"
	"compress/flate"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

func dehex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// decodeAll feeds in to a client Decoder with d as its extension, in
// chunks of size, and returns the messages.
func decodeAll(t testing.TB, d *Decompressor, maxMessage uint64, in []byte, size int) ([]string, error) {
	t.Helper()
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient, Extension: d, MaxMessage: maxMessage})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	var cur []byte
	in = bytes.Clone(in)
	for pos := 0; pos < len(in); pos += size {
		p := in[pos:min(pos+size, len(in))]
		for {
			ev, n, err := dec.Decode(p)
			p = p[n:]
			if err != nil {
				return msgs, err
			}
			if ev.Kind == codec.EventNone {
				break
			}
			switch ev.Kind {
			case codec.EventMessageStart:
				cur = []byte{}
			case codec.EventPayload:
				cur = append(cur, ev.Data...)
			case codec.EventMessageEnd:
				msgs = append(msgs, string(cur))
			}
		}
	}
	return msgs, nil
}

// TestRFC7692Section7_2_3 replays the examples of RFC 7692 section 7.2.3
// byte for byte (decoder only: compressors differ).
func TestRFC7692Section7_2_3(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		noTakeover bool
		want       []string
	}{
		{"7.2.3.1 one block", "c1 07 f2 48 cd c9 c9 07 00", false, []string{"Hello"}},
		{"7.2.3.1 fragmented", "41 03 f2 48 cd 80 04 c9 c9 07 00", false, []string{"Hello"}},
		{"7.2.3.2 takeover", "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00", false, []string{"Hello", "Hello"}},
		{"7.2.3.2 no takeover", "c1 07 f2 48 cd c9 c9 07 00 c1 07 f2 48 cd c9 c9 07 00", true, []string{"Hello", "Hello"}},
		{"7.2.3.3 stored", "c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00", false, []string{"Hello"}},
		{"7.2.3.4 bfinal", "c1 08 f3 48 cd c9 c9 07 00 00", false, []string{"Hello"}},
		{"7.2.3.4 bfinal without 00", "c1 07 f3 48 cd c9 c9 07 00 c1 07 f2 48 cd c9 c9 07 00", false, []string{"Hello", "Hello"}},
		{"7.2.3.5 two blocks", "c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00", false, []string{"Hello"}},
		{"7.2.3.6 empty fragment", "41 0b f2 48 cd c9 c9 07 00 00 00 ff ff 80 01 00", false, []string{"Hello"}},
		{"empty payload", "c1 00 c1 07 f2 48 cd c9 c9 07 00", false, []string{"", "Hello"}},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 2, 3, 1000} {
			d, err := NewDecompressor(0, tt.noTakeover)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeAll(t, d, 0, dehex(tt.in), size)
			if err != nil {
				t.Fatalf("%s (chunks of %d): %v", tt.name, size, err)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s (chunks of %d): %q, want %q", tt.name, size, got, tt.want)
			}
		}
	}
}

// TestTakeoverRefused: the second message of 7.2.3.2 refers to the first
// one, which a peer that agreed to no context takeover must not do.
func TestTakeoverRefused(t *testing.T) {
	d, _ := NewDecompressor(0, true)
	_, err := decodeAll(t, d, 0, dehex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"), 100)
	if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseInvalidPayload, Requirement: "D-7.2.2-decompress"}) {
		t.Fatalf("err = %v, want 1007 D-7.2.2-decompress", err)
	}
}

// flateCompress compresses msg with compress/flate, sync-flushed and
// stripped.
func flateCompress(t testing.TB, level int, msgs ...[]byte) [][]byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, m := range msgs {
		buf.Reset()
		w.Write(m)
		w.Flush()
		b := buf.Bytes()
		out = append(out, bytes.Clone(b[:len(b)-4]))
	}
	return out
}

// TestInflateAgainstFlate inflates compress/flate's output of random
// messages at every level, with context takeover, in random chunkings.
func TestInflateAgainstFlate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, level := range []int{flate.HuffmanOnly, flate.NoCompression, 1, 5, 9} {
		var msgs [][]byte
		for i := 0; i < 20; i++ {
			n := r.IntN(100000)
			if i%3 == 0 {
				n = r.IntN(100)
			}
			m := make([]byte, n)
			alpha := 2 + r.IntN(200)
			for j := range m {
				if j > 10 && r.IntN(4) == 0 {
					m[j] = m[j-1-r.IntN(10)]
				} else {
					m[j] = byte(r.IntN(alpha))
				}
			}
			msgs = append(msgs, m)
		}
		comp := flateCompress(t, level, msgs...)
		d, _ := NewDecompressor(0, false)
		var f inflater = d.f
		_ = f
		for i, c := range comp {
			var got []byte
			d.inMessage = false
			rest := c
			for len(rest) > 0 || true {
				k := min(len(rest), 1+r.IntN(5000))
				final := k == len(rest)
				out, n, done, err := d.Transform(rest[:k], final)
				if err != nil {
					t.Fatalf("level %d message %d: %v", level, i, err)
				}
				got = append(got, out...)
				rest = rest[n:]
				if done {
					break
				}
			}
			if !bytes.Equal(got, msgs[i]) {
				t.Fatalf("level %d message %d: got %d bytes, want %d", level, i, len(got), len(msgs[i]))
			}
		}
	}
}

// TestFuzzEmptyCodeLengthCode is FuzzDeflateMessage's first find: a
// dynamic block whose code length code has no codes at all. The decoder
// took "no code of up to 14 bits matches" for "more bits needed", made
// no progress with input left, and the Decoder failed with 1011 instead
// of 1007.
func TestFuzzEmptyCodeLengthCode(t *testing.T) {
	d, _ := NewDecompressor(15, false)
	_, err := decodeAll(t, d, 0, append([]byte{0xc1, 0x08}, "280\xff0\x800\x00"...), 100)
	if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseInvalidPayload, Requirement: "D-7.2.2-decompress"}) {
		t.Fatalf("err = %v, want 1007 D-7.2.2-decompress", err)
	}
}
