package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// scanned is a frame as a scan of it is compared: header, preview and
// control payload (nil for a data frame), and the offset of its end.
type scanned struct {
	Header  codec.Header
	Preview []byte
	Control []byte
	End     int
}

// walkFrames is the reference for codec.FrameScanner: a plain loop over
// the whole input that parses each header with ParseHeader and takes each
// payload from the input, unmasked with a byte loop written from RFC 6455
// section 5.3. It stops at an incomplete frame, or at a header whose
// 64-bit length has its top bit set (lostAt; -1 when none), and counts
// the headers ParseHeader returned an error for.
func walkFrames(in []byte, previewLen int) (frames []scanned, lostAt, parseErrs int) {
	off := 0
	for {
		h, n, err := codec.ParseHeader(in[off:])
		if n == 0 {
			return frames, -1, parseErrs
		}
		if err != nil {
			parseErrs++
			if h.Length > spec.MaxPayloadLength {
				return frames, off, parseErrs
			}
		}
		if uint64(len(in)-off-n) < h.Length {
			return frames, -1, parseErrs
		}
		payload := bytes.Clone(in[off+n : off+n+int(h.Length)])
		if h.Masked {
			for i := range payload {
				payload[i] ^= h.Key[i%4]
			}
		}
		f := scanned{Header: h, Preview: payload[:min(len(payload), previewLen)], End: off + n + len(payload)}
		if h.Opcode.IsControl() {
			f.Control = payload[:min(len(payload), spec.MaxControlPayload)]
		}
		frames = append(frames, f)
		off = f.End
	}
}

// runScanner scans in, read sizes as in runDecoder, checking the calling
// contract: every call consumes at least one byte and no more than given,
// leaves its input as it was, and finishes frames only with done.
func runScanner(t *testing.T, s *codec.FrameScanner, in []byte, sizes []int) ([]scanned, error) {
	buf := bytes.Clone(in)
	var frames []scanned
	off := 0
	for i := 0; off < len(buf); i++ {
		end := min(off+sizes[min(i, len(sizes)-1)], len(buf))
		for off < end {
			n, done, err := s.Scan(buf[off:end])
			if n < 1 || n > end-off {
				t.Fatalf("Scan consumed %d of %d bytes", n, end-off)
			}
			if !bytes.Equal(buf[off:end], in[off:end]) {
				t.Fatalf("Scan modified its input")
			}
			off += n
			if done {
				f := s.Frame()
				frames = append(frames, scanned{Header: f.Header, Preview: bytes.Clone(f.Preview), Control: bytes.Clone(f.Control), End: off})
			}
			if err != nil {
				if done || off != end {
					t.Fatalf("error %v with done = %v, %d bytes left", err, done, end-off)
				}
				if n2, _, err2 := s.Scan(buf[off-1:]); n2 != len(buf)-off+1 || err2 != err {
					t.Fatalf("error not sticky: %d, %v", n2, err2)
				}
				return frames, err
			}
		}
	}
	return frames, nil
}

// FuzzFrameScanner checks codec.FrameScanner on any input, with a preview
// length taken from the input's size: the frames it finds, their previews
// and control payloads, where each ends, and where framing is lost
// (R-5.2-len-msb0, the only thing that stops it) agree with walkFrames,
// whole, byte by byte and in an awkward chunking; and scanning allocates
// nothing but the errors ParseHeader returns for non-minimal lengths and
// a set top length bit.
func FuzzFrameScanner(f *testing.F) {
	for _, s := range streamSeeds(f) {
		f.Add(s)
	}
	pool := codec.NewFrameScanner(200)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMaxInput {
			return
		}
		previewLen := []int{0, 7, 64, 200}[len(in)%4]
		want, lostAt, parseErrs := walkFrames(in, previewLen)
		for _, sizes := range [][]int{{len(in) + 1}, {1}, chunkSizes(in)} {
			got, err := runScanner(t, codec.NewFrameScanner(previewLen), in, sizes)
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []byte) bool {
				return bytes.Equal(a, b) && (a == nil) == (b == nil)
			})); diff != "" {
				t.Fatalf("chunks %v: frames differ (-reference +scanner):\n%s", sizes, diff)
			}
			if lostAt < 0 {
				if err != nil {
					t.Fatalf("chunks %v: %v", sizes, err)
				}
				continue
			}
			var pe *codec.ProtocolError
			if !errors.As(err, &pe) || pe.Requirement != "R-5.2-len-msb0" || pe.Offset != int64(lostAt+2) {
				t.Fatalf("chunks %v: error %v, want R-5.2-len-msb0 at %d", sizes, err, lostAt+2)
			}
		}
		if !raceDetector {
			allocs := testing.AllocsPerRun(1, func() {
				pool.Reset()
				for p := in; len(p) > 0; {
					n, _, _ := pool.Scan(p)
					p = p[n:]
				}
			})
			// ParseHeader's error: the value and its detail text.
			if limit := float64(4 * parseErrs); allocs > limit {
				t.Fatalf("scanning allocates %v times with %d header errors", allocs, parseErrs)
			}
		}
	})
}
