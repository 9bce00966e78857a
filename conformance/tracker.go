package conformance

import (
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// A frameTracker follows the frame boundaries of the byte stream a testee
// sends, independently of the validating decoder. The runner needs it for
// three things the decoder does not give: the wire log's per-frame rows,
// the received-frame statistics, and the raw body of a Close frame even
// when the decoder rejects it (Autobahn reports an invalid echoed close
// code as the testee's close code).
//
// It is lenient on purpose: it only needs the header layout, so it keeps
// going after violations the decoder reports.
type frameTracker struct {
	hdr      [codec.MaxHeaderSize]byte
	nhdr     int          // bytes of an incomplete header kept in hdr
	cur      codec.Header // header of the frame whose payload is being read
	inFrame  bool
	left     uint64 // payload bytes of cur still to come
	pos      int    // masking key offset within cur's payload
	preview  []byte // first WirePreviewLen payload bytes, unmasked
	control  []byte // whole payload of a control frame (at most 125 bytes kept)
	scratch  []byte // unmasked copy of the bytes kept from one piece
	broken   bool   // a header with the 64-bit length's top bit set: framing is lost
	finished trackedFrame
}

// A trackedFrame is a frame whose last byte has been seen.
type trackedFrame struct {
	header  codec.Header
	preview []byte // first WirePreviewLen bytes of the payload
	control []byte // payload of a control frame, at most 125 bytes
}

// next consumes bytes of p up to the end of the current frame. It returns
// how many bytes it consumed and whether a frame ended there; the frame is
// then in t.finished until the next call.
func (t *frameTracker) next(p []byte) (n int, done bool) {
	if t.broken {
		return len(p), false
	}
	if !t.inFrame {
		// Complete the header from the saved bytes plus p.
		take := min(len(p), len(t.hdr)-t.nhdr)
		copy(t.hdr[t.nhdr:], p[:take])
		h, hn, err := codec.ParseHeader(t.hdr[:t.nhdr+take])
		if hn == 0 {
			t.nhdr += take
			return take, false
		}
		if err != nil && h.Length > spec.MaxPayloadLength {
			t.broken = true
			return len(p), false
		}
		n = hn - t.nhdr
		t.nhdr = 0
		t.cur, t.inFrame, t.left, t.pos = h, true, h.Length, 0
		t.preview = t.preview[:0]
		t.control = t.control[:0]
		p = p[n:]
	}
	take := len(p)
	if uint64(take) > t.left {
		take = int(t.left)
	}
	piece := p[:take]
	want := max(WirePreviewLen-len(t.preview), 0)
	if t.cur.Opcode.IsControl() {
		want = max(want, spec.MaxControlPayload-len(t.control))
	}
	if keep := min(len(piece), want); keep > 0 {
		t.scratch = append(t.scratch[:0], piece[:keep]...)
		if t.cur.Masked {
			codec.Mask(t.cur.Key, t.pos, t.scratch)
		}
		if len(t.preview) < WirePreviewLen {
			t.preview = append(t.preview, t.scratch[:min(keep, WirePreviewLen-len(t.preview))]...)
		}
		if t.cur.Opcode.IsControl() && len(t.control) < spec.MaxControlPayload {
			t.control = append(t.control, t.scratch[:min(keep, spec.MaxControlPayload-len(t.control))]...)
		}
	}
	t.pos += take
	t.left -= uint64(take)
	n += take
	if t.left > 0 {
		return n, false
	}
	t.inFrame = false
	t.finished = trackedFrame{header: t.cur, preview: append([]byte(nil), t.preview...), control: append([]byte(nil), t.control...)}
	return n, true
}
