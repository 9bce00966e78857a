package codec

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// scanRun is what a FrameScanner made of a stream: the frames, with their
// slices copied, the stream offset just after each one, and the error.
type scanRun struct {
	frames []ScannedFrame
	ends   []int64
	err    error
}

// scan feeds a copy of in to s in chunks of the given sizes (the last size
// repeats), checking the calling contract on every call: n is in range and
// at least 1 for a non-empty input, the input is not modified, a finished
// frame comes with done only, and after an error everything is consumed
// and the error repeats.
func scan(t tester, s *FrameScanner, in []byte, sizes ...int) scanRun {
	t.Helper()
	if len(sizes) == 0 {
		sizes = []int{len(in) + 1}
	}
	buf := bytes.Clone(in)
	var run scanRun
	off := 0
	for i := 0; off < len(buf); i++ {
		end := min(off+max(sizes[min(i, len(sizes)-1)], 1), len(buf))
		p := buf[off:end]
		for len(p) > 0 {
			n, done, err := s.Scan(p)
			if n < 1 || n > len(p) {
				t.Fatalf("Scan consumed %d of %d bytes", n, len(p))
			}
			if !bytes.Equal(buf[off:end], in[off:end]) {
				t.Fatalf("Scan modified its input")
			}
			f := s.Frame()
			if !done && (f.Header != Header{} || f.Preview != nil || f.Control != nil) {
				t.Fatalf("Frame after a Scan that finished none: %+v", f)
			}
			p = p[n:]
			off += n
			if done {
				if err != nil {
					t.Fatalf("done with error %v", err)
				}
				run.frames = append(run.frames, ScannedFrame{Header: f.Header, Preview: bytes.Clone(f.Preview), Control: bytes.Clone(f.Control)})
				run.ends = append(run.ends, int64(off))
			}
			if err != nil {
				if len(p) != 0 {
					t.Fatalf("error %v with %d bytes left", err, len(p))
				}
				if n2, done2, err2 := s.Scan(in[:1]); n2 != 1 || done2 || err2 != err {
					t.Fatalf("after the error: %d, %v, %v", n2, done2, err2)
				}
				if off < len(buf) {
					// The rest goes the same way.
					if n2, _, err2 := s.Scan(buf[off:]); n2 != len(buf)-off || err2 != err {
						t.Fatalf("after the error: %d of %d, %v", n2, len(buf)-off, err2)
					}
				}
				run.err = err
				return run
			}
		}
	}
	return run
}

// frameCmp compares frames by content; an empty slice equals a nil one
// only for Preview (Control tells a control frame by being non-nil).
var frameCmp = cmp.Options{
	cmp.Comparer(func(a, b ScannedFrame) bool {
		return a.Header == b.Header && bytes.Equal(a.Preview, b.Preview) &&
			bytes.Equal(a.Control, b.Control) && (a.Control == nil) == (b.Control == nil)
	}),
}

func sf(h Header, preview, control string, isControl bool) ScannedFrame {
	f := ScannedFrame{Header: h, Preview: []byte(preview)}
	if isControl {
		f.Control = []byte(control)
	}
	return f
}

var (
	hello       = Header{Fin: true, Opcode: spec.OpText, Length: 5}
	helloMasked = Header{Fin: true, Opcode: spec.OpText, Masked: true, Key: [4]byte{0x37, 0xfa, 0x21, 0x3d}, Length: 5}
)

// scannerTests are streams with the frames a scanner finds in them. The
// first rows are the examples of RFC 6455 section 5.7.
var scannerTests = []struct {
	name    string
	preview int
	input   []byte
	want    []ScannedFrame
	errReq  string // the error's requirement, if any
	errOff  int64
}{
	{"RFC 6455 5.7 unmasked text", 64, dehex("81 05 48 65 6c 6c 6f"),
		[]ScannedFrame{sf(hello, "Hello", "", false)}, "", 0},
	{"RFC 6455 5.7 masked text", 64, dehex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
		[]ScannedFrame{sf(helloMasked, "Hello", "", false)}, "", 0},
	{"RFC 6455 5.7 fragmented text", 64, dehex("01 03 48 65 6c 80 02 6c 6f"),
		[]ScannedFrame{
			sf(Header{Opcode: spec.OpText, Length: 3}, "Hel", "", false),
			sf(Header{Fin: true, Opcode: spec.OpContinuation, Length: 2}, "lo", "", false),
		}, "", 0},
	{"RFC 6455 5.7 ping and masked pong", 64, dehex("89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58"),
		[]ScannedFrame{
			sf(Header{Fin: true, Opcode: spec.OpPing, Length: 5}, "Hello", "Hello", true),
			sf(Header{Fin: true, Opcode: spec.OpPong, Masked: true, Key: helloMasked.Key, Length: 5}, "Hello", "Hello", true),
		}, "", 0},
	{"RFC 6455 5.7 256 bytes, previewed", 4, append(dehex("82 7e 01 00"), bytes.Repeat([]byte("wxyz"), 64)...),
		[]ScannedFrame{sf(Header{Fin: true, Opcode: spec.OpBinary, Length: 256}, "wxyz", "", false)}, "", 0},
	{"RFC 6455 5.7 64 KiB", 3, append(dehex("82 7f 00 00 00 00 00 01 00 00"), make([]byte, 65536)...),
		[]ScannedFrame{sf(Header{Fin: true, Opcode: spec.OpBinary, Length: 65536}, "\x00\x00\x00", "", false)}, "", 0},
	{"no preview", 0, dehex("81 05 48 65 6c 6c 6f 89 02 68 69"),
		[]ScannedFrame{sf(hello, "", "", false), sf(Header{Fin: true, Opcode: spec.OpPing, Length: 2}, "", "hi", true)}, "", 0},
	{"preview longer than a control frame", 200, wire(RoleServer, ping(strings.Repeat("p", 130)), bin(true, strings.Repeat("b", 210))),
		[]ScannedFrame{
			sf(Header{Fin: true, Opcode: spec.OpPing, Masked: true, Key: [4]byte{0, 0xa5, 0x3c, 1}, Length: 130}, strings.Repeat("p", 130), strings.Repeat("p", 125), true),
			sf(Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: [4]byte{1, 0xa5, 0x3c, 8}, Length: 210}, strings.Repeat("b", 200), "", false),
		}, "", 0},
	// Violations are followed, not judged.
	{"RSV bits, reserved opcodes, a fragmented ping, an orphan continuation", 64,
		wire(RoleClient, tframe{fin: true, rsv: 7, op: spec.OpText, payload: "rsv"}, tframe{op: 0xB, payload: "op"}, tframe{op: spec.OpPing, payload: "frag"}, cont(true, "orphan")),
		[]ScannedFrame{
			sf(Header{Fin: true, Rsv: 7, Opcode: spec.OpText, Length: 3}, "rsv", "", false),
			sf(Header{Opcode: 0xB, Length: 2}, "op", "op", true),
			sf(Header{Opcode: spec.OpPing, Length: 4}, "frag", "frag", true),
			sf(Header{Fin: true, Opcode: spec.OpContinuation, Length: 6}, "orphan", "", false),
		}, "", 0},
	{"oversize close keeps 125 bytes", 64, wire(RoleClient, closeFrame(1000, strings.Repeat("r", 200))),
		[]ScannedFrame{sf(Header{Fin: true, Opcode: spec.OpClose, Length: 202}, "\x03\xe8"+strings.Repeat("r", 62), "\x03\xe8"+strings.Repeat("r", 123), true)}, "", 0},
	{"non-minimal lengths", 64, dehex("82 7e 00 02 68 69 81 ff 00 00 00 00 00 00 00 01 01 02 03 04 69"),
		[]ScannedFrame{
			sf(Header{Fin: true, Opcode: spec.OpBinary, Length: 2}, "hi", "", false),
			sf(Header{Fin: true, Opcode: spec.OpText, Masked: true, Key: [4]byte{1, 2, 3, 4}, Length: 1}, "h", "", false),
		}, "", 0},
	{"empty frames", 64, dehex("80 00 88 00 8a 80 01 02 03 04"),
		[]ScannedFrame{
			sf(Header{Fin: true, Opcode: spec.OpContinuation}, "", "", false),
			sf(Header{Fin: true, Opcode: spec.OpClose}, "", "", true),
			sf(Header{Fin: true, Opcode: spec.OpPong, Masked: true, Key: [4]byte{1, 2, 3, 4}}, "", "", true),
		}, "", 0},
	// R-5.2-len-msb0 loses the framing: frames before it are found,
	// everything from it on is consumed and nothing more is found.
	{"top length bit after a frame", 64, append(dehex("89 00 82 ff 80 00 00 00 00 00 00 05 01 02 03 04"), dehex("81 05 48 65 6c 6c 6f")...),
		[]ScannedFrame{sf(Header{Fin: true, Opcode: spec.OpPing}, "", "", true)}, "R-5.2-len-msb0", 4},
	{"top length bit alone", 64, dehex("02 7f ff ff ff ff ff ff ff ff"), nil, "R-5.2-len-msb0", 2},
}

func TestFrameScanner(t *testing.T) {
	for _, tt := range scannerTests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range chunkings {
				run := scan(t, NewFrameScanner(tt.preview), tt.input, sizes...)
				if diff := cmp.Diff(tt.want, run.frames, frameCmp); diff != "" {
					t.Errorf("chunks %v: frames (-want +got):\n%s", sizes, diff)
				}
				if tt.errReq == "" {
					if run.err != nil {
						t.Errorf("chunks %v: error %v", sizes, run.err)
					}
					if len(run.ends) > 0 && run.ends[len(run.ends)-1] != int64(len(tt.input)) {
						t.Errorf("chunks %v: last frame ends at %d of %d", sizes, run.ends[len(run.ends)-1], len(tt.input))
					}
					continue
				}
				checkProtocolError(t, run.err, spec.CloseProtocolError, tt.errReq, tt.errOff)
			}
		})
	}
}

// TestFrameScannerZeroValue: the zero FrameScanner keeps control payloads
// and no preview.
func TestFrameScannerZeroValue(t *testing.T) {
	var s FrameScanner
	run := scan(t, &s, wire(RoleClient, text(true, "hi"), ping("p")))
	want := []ScannedFrame{sf(Header{Fin: true, Opcode: spec.OpText, Length: 2}, "", "", false), sf(Header{Fin: true, Opcode: spec.OpPing, Length: 1}, "", "p", true)}
	if diff := cmp.Diff(want, run.frames, frameCmp); diff != "" {
		t.Errorf("frames (-want +got):\n%s", diff)
	}
}

// TestFrameScannerReset: Reset forgets a half-read frame and a lost
// framing, and keeps the preview length.
func TestFrameScannerReset(t *testing.T) {
	s := NewFrameScanner(2)
	if _, _, err := s.Scan(dehex("82 7f 80 00 00 00 00 00 00 00")); err == nil {
		t.Fatal("no error for a top length bit")
	}
	s.Reset()
	s.Scan(dehex("81 05 48")) // a partial frame, forgotten
	s.Reset()
	run := scan(t, s, dehex("81 05 48 65 6c 6c 6f"))
	if diff := cmp.Diff([]ScannedFrame{sf(hello, "He", "", false)}, run.frames, frameCmp); diff != "" || run.err != nil {
		t.Errorf("after Reset (-want +got):\n%s%v", diff, run.err)
	}
}

func TestNewFrameScannerNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewFrameScanner(-1) did not panic")
		}
	}()
	NewFrameScanner(-1)
}

// scanStream is a stream of frames built with AppendHeader, valid or not,
// with the frames a scanner must find in it.
type scanStream struct {
	Preview int
	Wire    []byte
	Want    []ScannedFrame
	Ends    []int64
	LostAt  int64 // offset of a header with the top length bit set, or -1
}

// scanLengthGen draws payload lengths from every class of the length
// encoding (R-5.2-len-encoding), each a labelled branch, kept short
// enough that a stream of several frames stays quick to build.
func scanLengthGen() *rapid.Generator[int] {
	return rapid.OneOf(
		rapid.Just(0),
		rapid.IntRange(1, 124),
		rapid.Just(125),
		rapid.Just(126),
		rapid.IntRange(127, 300),
		rapid.Just(math.MaxUint16),
		rapid.Just(math.MaxUint16+1),
	)
}

func scanStreamGen() *rapid.Generator[scanStream] {
	return rapid.Custom(func(t *rapid.T) scanStream {
		st := scanStream{
			Preview: rapid.OneOf(rapid.Just(0), rapid.IntRange(1, 10), rapid.Just(64), rapid.Just(125), rapid.IntRange(126, 300)).Draw(t, "preview"),
			LostAt:  -1,
		}
		for i := range rapid.IntRange(0, 6).Draw(t, "frames") {
			// Any header: every opcode and RSV combination, masked or
			// not, control frames fragmented or oversize.
			h := Header{
				Fin:    rapid.Bool().Draw(t, "fin"),
				Rsv:    rapid.Uint8Range(0, 7).Draw(t, "rsv"),
				Opcode: spec.Opcode(rapid.Uint8Range(0, 15).Draw(t, "opcode")),
				Masked: rapid.Bool().Draw(t, "masked"),
				Length: uint64(scanLengthGen().Draw(t, "length")),
			}
			if h.Masked {
				h.Key = [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			}
			payload := make([]byte, h.Length)
			fill := rapid.Byte().Draw(t, "fill")
			for j := range payload {
				payload[j] = fill + byte(j*7+i)
			}
			start := len(st.Wire)
			st.Wire = AppendHeader(st.Wire, h)
			if rapid.IntRange(0, 5).Draw(t, "non-minimal length") == 0 {
				// The same header with its length in the 64-bit form.
				st.Wire = append(st.Wire[:start], st.Wire[start], st.Wire[start+1]&0x80|127)
				st.Wire = binary.BigEndian.AppendUint64(st.Wire, h.Length)
				if h.Masked {
					st.Wire = append(st.Wire, h.Key[:]...)
				}
			}
			p := len(st.Wire)
			st.Wire = append(st.Wire, payload...)
			if h.Masked {
				Mask(h.Key, 0, st.Wire[p:])
			}
			f := ScannedFrame{Header: h, Preview: payload[:min(len(payload), st.Preview)]}
			if h.Opcode.IsControl() {
				f.Control = payload[:min(len(payload), spec.MaxControlPayload)]
			}
			st.Want = append(st.Want, f)
			st.Ends = append(st.Ends, int64(len(st.Wire)))
		}
		if rapid.IntRange(0, 3).Draw(t, "lose the framing") == 0 {
			st.LostAt = int64(len(st.Wire))
			h := Header{Fin: true, Opcode: spec.OpBinary, Masked: rapid.Bool().Draw(t, "masked"), Length: spec.MaxPayloadLength + 1 + rapid.Uint64Range(0, 1<<20).Draw(t, "length above 2^63")}
			st.Wire = AppendHeader(st.Wire, h)
			st.Wire = append(st.Wire, rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "bytes after")...)
		}
		return st
	})
}

// TestFrameScannerChunking: the scanner finds the frames a stream was
// built from (headers, previews and control payloads unmasked), finishing
// each exactly at its last byte, whatever the chunking, for streams of
// valid and invalid frames; a header with the top length bit set stops it
// for good, with R-5.2-len-msb0 at that header's third byte.
func TestFrameScannerChunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := scanStreamGen().Draw(t, "stream")
		cuts := rapid.SliceOfN(rapid.IntRange(0, len(st.Wire)), 0, 10).Draw(t, "cuts")
		slices.Sort(cuts)
		var sizes []int
		prev := 0
		for _, c := range append(cuts, len(st.Wire)) {
			sizes = append(sizes, c-prev)
			prev = c
		}
		for _, sizes := range [][]int{nil, sizes, {1}} {
			if len(st.Wire) > 2000 && len(sizes) == 1 && sizes[0] == 1 {
				continue // byte by byte through 64 KiB is only slow
			}
			run := scan(t, NewFrameScanner(st.Preview), st.Wire, sizes...)
			if diff := cmp.Diff(st.Want, run.frames, frameCmp); diff != "" {
				t.Fatalf("chunks %v: frames (-built +scanned):\n%s", sizes, diff)
			}
			if diff := cmp.Diff(st.Ends, run.ends); diff != "" {
				t.Fatalf("chunks %v: frame ends (-built +scanned):\n%s", sizes, diff)
			}
			if st.LostAt < 0 {
				if run.err != nil {
					t.Fatalf("chunks %v: %v", sizes, run.err)
				}
				continue
			}
			checkProtocolError(t, run.err, spec.CloseProtocolError, "R-5.2-len-msb0", st.LostAt+2)
		}
	})
}

// TestFrameScannerWithDecoder plays the conformance runner's loop: the
// scanner sees each chunk first and the Decoder is fed exactly the bytes
// the scanner consumed. The Decoder's events and error are then those of
// a Decoder fed the stream whole, so the scanner neither changes the
// bytes nor their order; and every control frame the Decoder accepts
// shows the same payload in the scanner's frame.
func TestFrameScannerWithDecoder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		role := rapid.SampledFrom([]Role{RoleServer, RoleClient}).Draw(t, "role")
		in := streamGen(role).Draw(t, "stream")
		opts := DecoderOptions{Role: role, MaxMessage: 200, MaxFragments: 4}
		whole, wholeErr := feed(t, newDecoder(t, opts), in)

		sizes := chunkSizesGen(len(in)).Draw(t, "chunks")
		buf := bytes.Clone(in)
		d := newDecoder(t, opts)
		s := NewFrameScanner(rapid.IntRange(0, 130).Draw(t, "preview"))
		var got []Event
		var err error
		for i, off := 0, 0; off < len(buf); i++ {
			p := buf[off:min(off+sizes[min(i, len(sizes)-1)], len(buf))]
			off += len(p)
			for len(p) > 0 {
				n, done, _ := s.Scan(p)
				var control []Event
				for q := p[:n]; err == nil; {
					ev, m, derr := d.Decode(q)
					q = q[m:]
					if err = derr; err != nil || ev.Kind == EventNone {
						break
					}
					ev.Data = bytes.Clone(ev.Data)
					got = append(got, ev)
					if ev.Kind == EventPing || ev.Kind == EventPong || ev.Kind == EventClose {
						control = append(control, ev)
					}
				}
				p = p[n:]
				if !done {
					if len(control) != 0 {
						t.Fatalf("a %v event before the scanner finished the frame", control[0].Kind)
					}
					continue
				}
				f := s.Frame()
				if err != nil || !f.Header.Opcode.IsControl() {
					continue
				}
				if len(control) != 1 {
					t.Fatalf("%v frame finished with %d control events", f.Header.Opcode, len(control))
				}
				body := control[0].Data
				if control[0].Kind == EventClose && control[0].Code != spec.CloseNoStatus {
					body = binary.BigEndian.AppendUint16(nil, uint16(control[0].Code))
					body = append(body, control[0].Data...)
				}
				if !bytes.Equal(body, f.Control) {
					t.Fatalf("%v: Decoder % x, scanner % x", f.Header.Opcode, body, f.Control)
				}
			}
		}
		compareRuns(t, whole, wholeErr, got, err)
	})
}

// TestFrameScannerAllocs: following frames in steady state allocates
// nothing, whatever the chunking.
func TestFrameScannerAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	in := wire(RoleServer, text(true, "hello"), bin(false, strings.Repeat("b", 300)), ping("p"), cont(true, "def"),
		tframe{fin: true, rsv: 7, op: 0xC, payload: "judged by nobody"}, pong(strings.Repeat("x", 200)), closeFrame(1000, "bye"))
	s := NewFrameScanner(64)
	frames := 0
	allocs := testing.AllocsPerRun(100, func() {
		for _, size := range []int{len(in), 5, 1} {
			for p := in; len(p) > 0; {
				n, done, _ := s.Scan(p[:min(size, len(p))])
				p = p[n:]
				if done {
					frames++
				}
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Scan allocates %v times per run, want 0", allocs)
	}
	if frames != 101*3*7 {
		t.Errorf("found %d frames, want %d", frames, 101*3*7)
	}
}

// TestFrameScannerNoAllocFromDeclaredLength: a header declaring 2^63-1
// bytes costs nothing, and neither do the bytes that follow.
func TestFrameScannerNoAllocFromDeclaredLength(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	in := append([]byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, make([]byte, 4096)...)
	s := NewFrameScanner(300)
	allocs := testing.AllocsPerRun(50, func() {
		s.Reset()
		for p := in; len(p) > 0; {
			n, done, err := s.Scan(p)
			if done || err != nil {
				t.Fatal(done, err)
			}
			p = p[n:]
		}
	})
	if allocs != 0 {
		t.Errorf("following a huge declared frame allocates %v times", allocs)
	}
}

// BenchmarkFrameScanner follows the frames BenchmarkDecode decodes, with
// the conformance runner's 64-byte preview.
func BenchmarkFrameScanner(b *testing.B) {
	for _, bc := range []struct {
		name        string
		size, count int
	}{{"Masked16B", 16, 1024}, {"Masked125B", 125, 1024}, {"Masked1MiB", 1 << 20, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			in := benchFrames(bc.size, bc.count)
			s := NewFrameScanner(64)
			b.SetBytes(int64(bc.size * bc.count))
			b.ReportAllocs()
			for b.Loop() {
				for p := in; len(p) > 0; {
					n, _, _ := s.Scan(p)
					p = p[n:]
				}
			}
		})
	}
}
