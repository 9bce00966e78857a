package codec

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// bitsOf turns a string of labelled bit groups, such as
// "1 000 0001 | 0 0000101", into bytes. Spaces and '|' are ignored; the
// remaining characters must be 0 or 1 and a multiple of 8.
func bitsOf(s string) []byte {
	s = strings.NewReplacer(" ", "", "|", "").Replace(s)
	if len(s)%8 != 0 {
		panic("bitsOf: not a whole number of bytes: " + s)
	}
	out := make([]byte, len(s)/8)
	for i := range s {
		switch s[i] {
		case '1':
			out[i/8] |= 0x80 >> (i % 8)
		case '0':
		default:
			panic("bitsOf: bad character in " + s)
		}
	}
	return out
}

// dehex decodes hex that may contain spaces.
func dehex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// headerTests feeds both ParseHeader and AppendHeader. The first two bytes
// are written bitwise under this legend:
//
//	FIN RSV OPCODE | MASK LENGTH7
var headerTests = []struct {
	name   string
	wire   []byte
	header Header
}{
	{"RFC 6455 5.7 unmasked text", bitsOf("1 000 0001 | 0 0000101"),
		Header{Fin: true, Opcode: spec.OpText, Length: 5}},
	{"RFC 6455 5.7 masked text", append(bitsOf("1 000 0001 | 1 0000101"), 0x37, 0xfa, 0x21, 0x3d),
		Header{Fin: true, Opcode: spec.OpText, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}},
	{"RFC 6455 5.7 first fragment", bitsOf("0 000 0001 | 0 0000011"),
		Header{Opcode: spec.OpText, Length: 3}},
	{"RFC 6455 5.7 last fragment", bitsOf("1 000 0000 | 0 0000010"),
		Header{Fin: true, Opcode: spec.OpContinuation, Length: 2}},
	{"RFC 6455 5.7 ping", bitsOf("1 000 1001 | 0 0000101"),
		Header{Fin: true, Opcode: spec.OpPing, Length: 5}},
	{"RFC 6455 5.7 256 bytes", append(bitsOf("1 000 0010 | 0 1111110"), 0x01, 0x00),
		Header{Fin: true, Opcode: spec.OpBinary, Length: 256}},
	{"RFC 6455 5.7 64 KiB", append(bitsOf("1 000 0010 | 0 1111111"), 0, 0, 0, 0, 0, 1, 0, 0),
		Header{Fin: true, Opcode: spec.OpBinary, Length: 65536}},
	{"empty", bitsOf("1 000 0010 | 0 0000000"),
		Header{Fin: true, Opcode: spec.OpBinary}},
	{"7-bit maximum", bitsOf("1 000 0010 | 0 1111101"),
		Header{Fin: true, Opcode: spec.OpBinary, Length: 125}},
	{"16-bit minimum", append(bitsOf("1 000 0010 | 0 1111110"), 0x00, 0x7e),
		Header{Fin: true, Opcode: spec.OpBinary, Length: 126}},
	{"16-bit maximum masked", append(bitsOf("1 000 0010 | 1 1111110"), 0xff, 0xff, 1, 2, 3, 4),
		Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: [4]byte{1, 2, 3, 4}, Length: 65535}},
	{"64-bit 2^32", append(bitsOf("1 000 0010 | 0 1111111"), 0, 0, 0, 1, 0, 0, 0, 0),
		Header{Fin: true, Opcode: spec.OpBinary, Length: 1 << 32}},
	{"64-bit maximum masked", append(bitsOf("1 000 0010 | 1 1111111"), 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 9, 8, 7, 6),
		Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: [4]byte{9, 8, 7, 6}, Length: 1<<63 - 1}},
	{"all RSV bits and reserved opcode", bitsOf("0 111 1011 | 0 0000000"),
		Header{Rsv: Rsv1 | Rsv2 | Rsv3, Opcode: 0xB}},
	{"RSV1 only", bitsOf("1 100 0001 | 0 0000000"),
		Header{Fin: true, Rsv: Rsv1, Opcode: spec.OpText}},
	{"RSV3 only", bitsOf("1 001 0001 | 0 0000000"),
		Header{Fin: true, Rsv: Rsv3, Opcode: spec.OpText}},
	{"fragmented close with a long payload", append(bitsOf("0 000 1000 | 0 1111110"), 0x00, 0x7e),
		Header{Opcode: spec.OpClose, Length: 126}},
}

func TestParseHeader(t *testing.T) {
	for _, tt := range headerTests {
		t.Run(tt.name, func(t *testing.T) {
			// Trailing payload bytes must not be consumed.
			in := append(append([]byte(nil), tt.wire...), 0xAA, 0xBB)
			h, n, err := ParseHeader(in)
			if err != nil {
				t.Fatalf("ParseHeader: %v", err)
			}
			if n != len(tt.wire) {
				t.Errorf("n = %d, want %d", n, len(tt.wire))
			}
			if diff := cmp.Diff(tt.header, h); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if got := HeaderSize(h); got != len(tt.wire) {
				t.Errorf("HeaderSize = %d, want %d", got, len(tt.wire))
			}
		})
	}
}

func TestAppendHeader(t *testing.T) {
	for _, tt := range headerTests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte("prefix")
			got := AppendHeader(prefix, tt.header)
			if !bytes.Equal(got[:len(prefix)], []byte("prefix")) {
				t.Fatalf("AppendHeader overwrote dst: %q", got[:len(prefix)])
			}
			if !bytes.Equal(got[len(prefix):], tt.wire) {
				t.Errorf("AppendHeader = % x, want % x", got[len(prefix):], tt.wire)
			}
		})
	}
}

// TestParseHeaderPrefixes checks that every proper prefix of every header
// asks for more bytes and consumes nothing.
func TestParseHeaderPrefixes(t *testing.T) {
	for _, tt := range headerTests {
		for i := 0; i < len(tt.wire); i++ {
			h, n, err := ParseHeader(tt.wire[:i])
			if n != 0 || err != nil || h != (Header{}) {
				t.Errorf("%s: ParseHeader(first %d bytes) = %+v, %d, %v; want need-more", tt.name, i, h, n, err)
			}
		}
	}
}

// TestAppendHeaderWritesInvalidFields checks that AppendHeader does not
// judge: out-of-range Rsv and Opcode values are truncated to their bit
// widths, and a 64-bit length with the top bit set is written as given.
func TestAppendHeaderWritesInvalidFields(t *testing.T) {
	got := AppendHeader(nil, Header{Rsv: 0xFF, Opcode: 0x1F, Length: 1 << 63})
	want := append(bitsOf("0 111 1111 | 0 1111111"), 0x80, 0, 0, 0, 0, 0, 0, 0)
	if !bytes.Equal(got, want) {
		t.Errorf("AppendHeader = % x, want % x", got, want)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	tests := []struct {
		name        string
		wire        []byte
		requirement string
		offset      int64
		length      uint64
	}{
		// RFC 6455 section 5.2 gives 124 in the 16-bit form as its own
		// counter-example.
		{"124 in 16-bit form", dehex("82 7e 00 7c"), "R-5.2-len-minimal", 1, 124},
		{"0 in 16-bit form", dehex("82 7e 00 00"), "R-5.2-len-minimal", 1, 0},
		{"125 in 16-bit form masked", dehex("82 fe 00 7d 01 02 03 04"), "R-5.2-len-minimal", 1, 125},
		{"65535 in 64-bit form", dehex("82 7f 00 00 00 00 00 00 ff ff"), "R-5.2-len-minimal", 1, 65535},
		{"0 in 64-bit form", dehex("82 7f 00 00 00 00 00 00 00 00"), "R-5.2-len-minimal", 1, 0},
		{"top bit set", dehex("82 7f 80 00 00 00 00 00 00 00"), "R-5.2-len-msb0", 2, 1 << 63},
		{"all ones", dehex("82 ff ff ff ff ff ff ff ff ff 01 02 03 04"), "R-5.2-len-msb0", 2, 1<<64 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, n, err := ParseHeader(tt.wire)
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseHeader error = %v, want *ProtocolError", err)
			}
			if pe.Code != spec.CloseProtocolError || pe.Requirement != tt.requirement || pe.Offset != tt.offset {
				t.Errorf("error = %+v, want code 1002, %s at %d", pe, tt.requirement, tt.offset)
			}
			if _, ok := spec.Lookup(pe.Requirement); !ok {
				t.Errorf("error cites unknown requirement %q", pe.Requirement)
			}
			if n != len(tt.wire) || h.Length != tt.length {
				t.Errorf("header not returned with the error: n = %d, length = %d", n, h.Length)
			}
			if !errors.Is(err, &ProtocolError{Code: spec.CloseProtocolError, Requirement: tt.requirement}) {
				t.Errorf("errors.Is does not match code and requirement")
			}
			if errors.Is(err, &ProtocolError{Code: spec.CloseInvalidPayload}) {
				t.Errorf("errors.Is matches another code")
			}
		})
	}
}

func TestProtocolErrorString(t *testing.T) {
	_, _, err := ParseHeader(dehex("82 7f 80 00 00 00 00 00 00 00"))
	want := "websocket: protocol error: close 1002 (R-5.2-len-msb0) at offset 2: 64-bit payload length has its most significant bit set"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	e := &ProtocolError{Code: 1009, Requirement: "R-10.4-limits", Offset: -1}
	if got := e.Error(); got != "websocket: protocol error: close 1009 (R-10.4-limits)" {
		t.Errorf("Error() = %q", got)
	}
	if e.Is(errors.New("other")) {
		t.Error("Is matched a non-ProtocolError")
	}
}

func TestHeaderSize(t *testing.T) {
	tests := []struct {
		length uint64
		masked bool
		want   int
	}{
		{0, false, 2}, {125, false, 2}, {126, false, 4}, {65535, false, 4},
		{65536, false, 10}, {1<<63 - 1, false, 10},
		{0, true, 6}, {125, true, 6}, {126, true, 8}, {65535, true, 8},
		{65536, true, 14}, {1<<64 - 1, true, MaxHeaderSize},
	}
	for _, tt := range tests {
		if got := HeaderSize(Header{Length: tt.length, Masked: tt.masked}); got != tt.want {
			t.Errorf("HeaderSize(length %d, masked %v) = %d, want %d", tt.length, tt.masked, got, tt.want)
		}
	}
}

func TestParseAppendAllocs(t *testing.T) {
	wire := dehex("82 ff 00 00 00 00 00 01 00 00 01 02 03 04")
	buf := make([]byte, 0, MaxHeaderSize)
	allocs := testing.AllocsPerRun(100, func() {
		h, _, err := ParseHeader(wire)
		if err != nil {
			t.Fatal(err)
		}
		buf = AppendHeader(buf[:0], h)
	})
	if allocs != 0 {
		t.Errorf("ParseHeader+AppendHeader allocate %v times per run, want 0", allocs)
	}
}

func BenchmarkParseHeader(b *testing.B) {
	wire := dehex("82 fe 01 00 01 02 03 04")
	b.ReportAllocs()
	for b.Loop() {
		if _, n, _ := ParseHeader(wire); n == 0 {
			b.Fatal("short")
		}
	}
}

func BenchmarkAppendHeader(b *testing.B) {
	h := Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: [4]byte{1, 2, 3, 4}, Length: 256}
	buf := make([]byte, 0, MaxHeaderSize)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendHeader(buf[:0], h)
	}
}
