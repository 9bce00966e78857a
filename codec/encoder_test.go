package codec

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// zeroReader is a source of masking keys for tests and benchmarks: it
// never allocates and yields zeros.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// countReader yields 0, 1, 2, ... and counts the bytes read.
type countReader struct{ n int }

func (r *countReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.n)
		r.n++
	}
	return len(p), nil
}

func newEncoder(t testing.TB, role Role, rand io.Reader) *Encoder {
	t.Helper()
	e, err := NewEncoder(role, rand)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEncoderRFCExamples rebuilds the frames of RFC 6455 section 5.7.
func TestEncoderRFCExamples(t *testing.T) {
	server := newEncoder(t, RoleServer, nil)
	rfcKey := bytes.NewReader(bytes.Repeat([]byte{0x37, 0xfa, 0x21, 0x3d}, 2))
	client := newEncoder(t, RoleClient, rfcKey)
	hello := []byte("Hello")
	tests := []struct {
		name string
		got  func() ([]byte, error)
		want string
	}{
		{"unmasked text", func() ([]byte, error) { return server.AppendMessage(nil, spec.OpText, hello, 0) }, "81 05 48 65 6c 6c 6f"},
		{"masked text", func() ([]byte, error) { return client.AppendMessage(nil, spec.OpText, hello, 0) }, "81 85 37 fa 21 3d 7f 9f 4d 51 58"},
		{"fragmented text", func() ([]byte, error) { return server.AppendMessage(nil, spec.OpText, hello, 3) }, "01 03 48 65 6c 80 02 6c 6f"},
		{"unmasked ping", func() ([]byte, error) { return server.AppendPing(nil, hello) }, "89 05 48 65 6c 6c 6f"},
		{"masked pong", func() ([]byte, error) { return client.AppendPong(nil, hello) }, "8a 85 37 fa 21 3d 7f 9f 4d 51 58"},
		{"256-byte binary header", func() ([]byte, error) {
			b, err := server.AppendMessage(nil, spec.OpBinary, make([]byte, 256), 0)
			return b[:4], err
		}, "82 7e 01 00"},
		{"64 KiB binary header", func() ([]byte, error) {
			b, err := server.AppendMessage(nil, spec.OpBinary, make([]byte, 65536), 0)
			return b[:10], err
		}, "82 7f 00 00 00 00 00 01 00 00"},
		{"close 1000 bye", func() ([]byte, error) { return server.AppendClose(nil, spec.CloseNormal, "bye") }, "88 05 03 e8 62 79 65"},
		{"empty close", func() ([]byte, error) { return server.AppendClose(nil, spec.CloseNoStatus, "") }, "88 00"},
	}
	for _, tt := range tests {
		got, err := tt.got()
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if want := dehex(tt.want); !bytes.Equal(got, want) {
			t.Errorf("%s: % x, want % x", tt.name, got, want)
		}
	}
	if string(hello) != "Hello" {
		t.Errorf("the caller's payload was modified: %q", hello)
	}
}

// TestEncoderFreshKeys checks that a client masks every frame of its
// messages, its control frames and its Close (R-5.1-client-masks,
// R-6.1-client-mask, R-5.5.1-close-masked) with a new 4-byte key each
// (R-5.3-fresh-key), and that a server never masks
// (R-5.1-server-never-masks).
func TestEncoderFreshKeys(t *testing.T) {
	src := &countReader{}
	client := newEncoder(t, RoleClient, src)
	out, err := client.AppendMessage(nil, spec.OpBinary, []byte("0123456789"), 3)
	if err != nil {
		t.Fatal(err)
	}
	out, _ = client.AppendPing(out, nil)
	out, _ = client.AppendClose(out, spec.CloseGoingAway, "")
	var keys [][4]byte
	for p := out; len(p) > 0; {
		h, n, err := ParseHeader(p)
		if err != nil || n == 0 || !h.Masked {
			t.Fatalf("frame % x: %+v, %v", p, h, err)
		}
		keys = append(keys, h.Key)
		p = p[n+int(h.Length):]
	}
	want := [][4]byte{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}, {12, 13, 14, 15}, {16, 17, 18, 19}, {20, 21, 22, 23}}
	if diff := cmp.Diff(want, keys); diff != "" || src.n != 24 {
		t.Errorf("keys (-want +got):\n%s (read %d bytes)", diff, src.n)
	}
	server := newEncoder(t, RoleServer, &countReader{})
	out, _ = server.AppendMessage(nil, spec.OpBinary, []byte("0123456789"), 3)
	for p := out; len(p) > 0; {
		h, n, _ := ParseHeader(p)
		if h.Masked {
			t.Fatal("a server masked a frame")
		}
		p = p[n+int(h.Length):]
	}
}

// TestEncoderFragments decodes what AppendMessage writes and checks the
// frame boundaries: full fragments, then the remainder, and no empty
// final frame when the length is a multiple of the fragment size.
func TestEncoderFragments(t *testing.T) {
	tests := []struct {
		size, frag int
		want       []int
	}{
		{0, 0, []int{0}}, {0, 4, []int{0}}, {10, 0, []int{10}}, {10, 10, []int{10}}, {10, 11, []int{10}},
		{10, 3, []int{3, 3, 3, 1}}, {12, 4, []int{4, 4, 4}}, {65536, 1300, append(repeatInt(1300, 50), 536)},
	}
	for _, tt := range tests {
		enc := newEncoder(t, RoleClient, zeroReader{})
		out, err := enc.AppendMessage([]byte("prefix"), spec.OpBinary, bytes.Repeat([]byte{7}, tt.size), tt.frag)
		if err != nil {
			t.Fatal(err)
		}
		if string(out[:6]) != "prefix" {
			t.Fatal("dst overwritten")
		}
		var sizes []int
		for p, i := out[6:], 0; len(p) > 0; i++ {
			h, n, _ := ParseHeader(p)
			wantOp := spec.OpContinuation
			if i == 0 {
				wantOp = spec.OpBinary
			}
			if h.Opcode != wantOp || h.Fin != (len(p) == n+int(h.Length)) {
				t.Errorf("size %d frag %d: frame %d is %v fin=%v", tt.size, tt.frag, i, h.Opcode, h.Fin)
			}
			sizes = append(sizes, int(h.Length))
			p = p[n+int(h.Length):]
		}
		if diff := cmp.Diff(tt.want, sizes); diff != "" {
			t.Errorf("size %d frag %d (-want +got):\n%s", tt.size, tt.frag, diff)
		}
	}
}

func repeatInt(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestEncoderRefuses checks every send-side rule. The errors are plain
// errors, never *ProtocolError, and nothing is appended.
func TestEncoderRefuses(t *testing.T) {
	enc := newEncoder(t, RoleClient, zeroReader{})
	long := make([]byte, 126)
	tests := []struct {
		name string
		call func(dst []byte) ([]byte, error)
		want error
	}{
		{"reserved data opcode", func(d []byte) ([]byte, error) { return enc.AppendFrame(d, true, 3, nil) }, ErrReservedOpcode},
		{"reserved control opcode", func(d []byte) ([]byte, error) { return enc.AppendFrame(d, true, 0xB, nil) }, ErrReservedOpcode},
		{"not an opcode", func(d []byte) ([]byte, error) { return enc.AppendFrame(d, true, 0x10, nil) }, ErrReservedOpcode},
		{"ping of 126 bytes", func(d []byte) ([]byte, error) { return enc.AppendPing(d, long) }, ErrControlTooLong},
		{"pong of 126 bytes", func(d []byte) ([]byte, error) { return enc.AppendPong(d, long) }, ErrControlTooLong},
		{"fragmented ping", func(d []byte) ([]byte, error) { return enc.AppendFrame(d, false, spec.OpPing, nil) }, ErrControlFragmented},
		{"close 1005 with a reason", func(d []byte) ([]byte, error) { return enc.AppendClose(d, spec.CloseNoStatus, "x") }, ErrCloseCode},
		{"close 1006", func(d []byte) ([]byte, error) { return enc.AppendClose(d, spec.CloseAbnormal, "") }, ErrCloseCode},
		{"close 1015", func(d []byte) ([]byte, error) { return enc.AppendClose(d, spec.CloseTLSHandshake, "") }, ErrCloseCode},
		{"close 0", func(d []byte) ([]byte, error) { return enc.AppendClose(d, 0, "") }, ErrCloseCode},
		{"close 5000", func(d []byte) ([]byte, error) { return enc.AppendClose(d, 5000, "") }, ErrCloseCode},
		{"reason of 124 bytes", func(d []byte) ([]byte, error) { return enc.AppendClose(d, 1000, strings.Repeat("*", 124)) }, ErrReasonTooLong},
		{"reason not UTF-8", func(d []byte) ([]byte, error) { return enc.AppendClose(d, 1000, "\xed\xa0\x80") }, ErrReasonNotUTF8},
		{"reason ends inside a code point", func(d []byte) ([]byte, error) { return enc.AppendClose(d, 1000, "\xe2\x82") }, ErrReasonNotUTF8},
		{"text not UTF-8", func(d []byte) ([]byte, error) { return enc.AppendMessage(d, spec.OpText, []byte("\xc0\xaf"), 0) }, ErrTextNotUTF8},
		{"message with a control opcode", func(d []byte) ([]byte, error) { return enc.AppendMessage(d, spec.OpPing, nil, 0) }, ErrReservedOpcode},
		{"message with the continuation opcode", func(d []byte) ([]byte, error) { return enc.AppendMessage(d, spec.OpContinuation, nil, 0) }, ErrReservedOpcode},
	}
	for _, tt := range tests {
		dst := []byte("keep")
		out, err := tt.call(dst)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.want)
		}
		var pe *ProtocolError
		if errors.As(err, &pe) {
			t.Errorf("%s: a caller mistake is a *ProtocolError", tt.name)
		}
		if string(out) != "keep" {
			t.Errorf("%s: dst became %q", tt.name, out)
		}
	}
	// The limits themselves are fine.
	if _, err := enc.AppendPing(nil, long[:125]); err != nil {
		t.Error(err)
	}
	if _, err := enc.AppendClose(nil, 4999, strings.Repeat("é", 61)+"x"); err != nil {
		t.Error(err)
	}
	if _, err := enc.AppendFrame(nil, false, spec.OpText, []byte("\xe2")); err != nil {
		t.Errorf("a frame may end inside a code point: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

// TestEncoderCopiesPayload: a frame's payload is copied into dst when it
// is appended, so the application cannot change a frame it has started
// to send (R-10.3-freeze-payload), and its own buffer is not masked.
func TestEncoderCopiesPayload(t *testing.T) {
	enc := newEncoder(t, RoleClient, &countReader{})
	payload := []byte("original")
	out, err := enc.AppendMessage(nil, spec.OpBinary, payload, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(out)
	copy(payload, "CHANGED!")
	if !bytes.Equal(out, want) {
		t.Error("changing the payload after AppendMessage changed the frames")
	}
	if string(payload) != "CHANGED!" {
		t.Error("the payload buffer was masked in place")
	}
}

func TestEncoderKeySourceFails(t *testing.T) {
	enc := newEncoder(t, RoleClient, failingReader{})
	out, err := enc.AppendMessage([]byte("x"), spec.OpBinary, []byte("abc"), 1)
	if !errors.Is(err, io.ErrClosedPipe) || string(out) != "x" {
		t.Errorf("AppendMessage = %q, %v", out, err)
	}
	if _, err := NewEncoder(RoleClient, nil); err == nil {
		t.Error("a client without a key source")
	}
	if _, err := NewEncoder(0, nil); err == nil {
		t.Error("role 0 accepted")
	}
	if enc.Role() != RoleClient {
		t.Error("Role")
	}
}

// TestEncoderDecoderAgree sends every kind of frame through both roles.
func TestEncoderDecoderAgree(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		enc := newEncoder(t, role, &countReader{})
		var out []byte
		out, _ = enc.AppendMessage(out, spec.OpText, []byte("héllo wörld"), 4)
		out, _ = enc.AppendPing(out, []byte("ping"))
		out, _ = enc.AppendMessage(out, spec.OpBinary, nil, 0)
		out, _ = enc.AppendPong(out, nil)
		out, _ = enc.AppendClose(out, 3000, "done")
		peer := RoleServer
		if role == RoleServer {
			peer = RoleClient
		}
		evs, err := feed(t, newDecoder(t, DecoderOptions{Role: peer}), out, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{`text "héllo wörld"`, `ping "ping"`, `binary ""`, `pong ""`, `close 3000 "done"`}
		if diff := cmp.Diff(want, messages(evs)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", role, diff)
		}
	}
}

func TestEncoderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, src := range []io.Reader{zeroReader{}, rand.Reader} {
		enc := newEncoder(t, RoleClient, src)
		payload := bytes.Repeat([]byte("κόσμε"), 100)
		buf := make([]byte, 0, 4096)
		allocs := testing.AllocsPerRun(100, func() {
			b, _ := enc.AppendMessage(buf[:0], spec.OpText, payload, 100)
			b, _ = enc.AppendPing(b, payload[:16])
			b, _ = enc.AppendFrame(b, true, spec.OpBinary, payload[:16])
			b, _ = enc.AppendClose(b, spec.CloseNormal, "bye")
			buf = b
		})
		if allocs != 0 {
			t.Errorf("%T: encoding allocates %v times per run, want 0", src, allocs)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, bc := range []struct {
		name string
		role Role
		size int
	}{
		{"Masked16B", RoleClient, 16}, {"Masked125B", RoleClient, 125}, {"Masked1MiB", RoleClient, 1 << 20},
		{"Unmasked16B", RoleServer, 16}, {"Unmasked1MiB", RoleServer, 1 << 20},
	} {
		b.Run(bc.name, func(b *testing.B) {
			enc := newEncoder(b, bc.role, zeroReader{})
			payload := bytes.Repeat([]byte{0xfe}, bc.size)
			buf := make([]byte, 0, bc.size+MaxHeaderSize)
			b.SetBytes(int64(bc.size))
			b.ReportAllocs()
			for b.Loop() {
				buf, _ = enc.AppendMessage(buf[:0], spec.OpBinary, payload, 0)
			}
		})
	}
	b.Run("Masked16B/crypto-rand", func(b *testing.B) {
		enc := newEncoder(b, RoleClient, rand.Reader)
		payload := bytes.Repeat([]byte{0xfe}, 16)
		buf := make([]byte, 0, 64)
		b.SetBytes(16)
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = enc.AppendMessage(buf[:0], spec.OpBinary, payload, 0)
		}
	})
}
