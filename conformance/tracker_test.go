package conformance

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// TestTrackerChunking: the tracker finds the same frames, with the same
// headers, previews and control payloads, however the stream is cut into
// reads.
func TestTrackerChunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "frames")
		var stream []byte
		var want []trackedFrame
		for i := 0; i < n; i++ {
			op := spec.Opcode(rapid.SampledFrom([]uint8{0, 1, 2, 8, 9, 10, 3, 11}).Draw(t, "opcode"))
			size := rapid.OneOf(rapid.IntRange(0, 130), rapid.Just(65535), rapid.Just(65536)).Draw(t, "length")
			h := codec.Header{Fin: rapid.Bool().Draw(t, "fin"), Opcode: op, Masked: rapid.Bool().Draw(t, "masked"), Length: uint64(size)}
			if h.Masked {
				h.Key = [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
			}
			payload := bytes.Repeat([]byte{byte(i + 1), 0xAB, 'x'}, size/3+1)[:size]
			masked := slices.Clone(payload)
			if h.Masked {
				codec.Mask(h.Key, 0, masked)
			}
			stream = append(codec.AppendHeader(stream, h), masked...)
			f := trackedFrame{header: h, preview: payload[:min(size, WirePreviewLen)], control: []byte{}}
			if op.IsControl() {
				f.control = payload[:min(size, spec.MaxControlPayload)]
			}
			want = append(want, f)
		}
		cuts := rapid.SliceOfN(rapid.IntRange(0, len(stream)), 0, 10).Draw(t, "cuts")
		slices.Sort(cuts)
		var tr frameTracker
		var got []trackedFrame
		start := 0
		for _, c := range append(cuts, len(stream)) {
			p := stream[start:c]
			start = c
			for len(p) > 0 {
				m, done := tr.next(p)
				if m == 0 {
					t.Fatalf("no progress")
				}
				p = p[m:]
				if done {
					got = append(got, tr.finished)
				}
			}
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(trackedFrame{}), cmp.Comparer(func(a, b []byte) bool { return bytes.Equal(a, b) })); diff != "" {
			t.Fatalf("frames differ (-want +got):\n%s", diff)
		}
	})
}
