// A FrameScanner finds frame boundaries the way the Decoder does, with the
// same header reader and ParseHeader, but judges nothing: it is for
// observers (a conformance runner's wire log, frame statistics, the raw
// body of a Close frame the Decoder refuses) that must keep following the
// stream after a violation. The only thing that stops it is a 64-bit
// length with its top bit set (R-5.2-len-msb0): the frame's end is then
// unknowable, so every later byte is unframed.
//
// Memory: a partial header (14 bytes) and max(previewLen, 125) bytes of
// payload, fixed when the FrameScanner is made. Nothing is allocated from
// a length the peer declared, nor per frame.

package codec

import (
	"strconv"

	"github.com/wskit/wskit/spec"
)

// A ScannedFrame is a frame whose last byte a FrameScanner has seen. Its
// slices alias the FrameScanner's buffer: see FrameScanner.Frame for how
// long they stay valid.
type ScannedFrame struct {
	// Header is the frame's header as ParseHeader read it, whatever rule
	// it breaks.
	Header Header
	// Preview is the start of the payload, unmasked: its first
	// min(Header.Length, previewLen) bytes.
	Preview []byte
	// Control is the whole payload of a control frame (opcode 0x8 to
	// 0xF, reserved ones included), unmasked, cut at 125 bytes for a
	// frame that declares more (R-5.5-control-125). It is nil for any
	// other frame.
	Control []byte
}

// A FrameScanner follows the frame boundaries of one direction of a
// WebSocket byte stream, fed in any chunking, without applying any rule:
// RSV bits, reserved opcodes, masking, fragmentation, control frame size,
// non-minimal lengths and message order are all left to a Decoder or to
// CheckHeader. For each frame it keeps the header, the first bytes of the
// payload and, for control frames, the whole payload (up to 125 bytes),
// unmasked.
//
// A FrameScanner is not safe for concurrent use. The zero FrameScanner is
// ready to use and keeps no preview, as NewFrameScanner(0).
type FrameScanner struct {
	previewLen int

	hdr      headerReader // a header split across calls
	h        Header       // the frame being read, or the last one finished
	inFrame  bool         // h's payload is being read
	left     uint64       // payload bytes of h still to come
	pos      int          // key offset of the next payload byte
	keep     int          // payload bytes of h to keep
	kept     int          // payload bytes of h kept, unmasked, at the front of the buffer
	small    [spec.MaxControlPayload]byte
	big      []byte // the buffer instead of small when previewLen > 125
	frameOff int64  // stream offset of h's first byte
	off      int64  // stream bytes consumed
	done     bool   // the last Scan finished h
	err      error  // framing is lost; sticky
}

// NewFrameScanner returns a FrameScanner whose frames carry the first
// previewLen bytes of their payload. It panics if previewLen is negative.
func NewFrameScanner(previewLen int) *FrameScanner {
	if previewLen < 0 {
		panic("codec: NewFrameScanner with a negative preview length " + strconv.Itoa(previewLen))
	}
	s := &FrameScanner{previewLen: previewLen}
	if previewLen > spec.MaxControlPayload {
		s.big = make([]byte, previewLen)
	}
	return s
}

// Scan consumes bytes from the front of p, up to the end of the current
// frame, and returns how many it consumed and whether the frame ended
// there. When done is true the finished frame is available from Frame.
// Since Scan stops at every frame end, the loop below sees each frame
// right after its last byte, in wire order, and p[:n] is exactly the part
// of the stream a Decoder must be fed before that frame is handled:
//
//	for len(p) > 0 {
//		n, done, err := s.Scan(p)
//		// Feed p[:n] to the Decoder and handle its events.
//		p = p[n:]
//		if done {
//			// Handle s.Frame(), valid until the next Scan.
//		}
//		if err != nil {
//			// Framing is lost; Scan consumed all of p.
//		}
//	}
//
// Scan never modifies p. A Decoder unmasks its input in place, so give it
// bytes only after Scan has seen them. n is at least 1 when p is not
// empty; a header split across calls is kept inside the FrameScanner.
//
// Scan applies no rule. The one header it cannot follow is one whose
// 64-bit length has its most significant bit set: its end cannot be
// known. Scan then returns ParseHeader's *ProtocolError for
// R-5.2-len-msb0, with Offset moved to the stream (the bytes given to Scan
// since NewFrameScanner or Reset), and consumes all of p; every later call
// consumes all of its input and returns the same error.
//
// Scan does not allocate, except that ParseHeader allocates the error it
// returns for a non-minimal length (R-5.2-len-minimal), which Scan
// ignores, and for a set top length bit.
func (s *FrameScanner) Scan(p []byte) (n int, done bool, err error) {
	s.done = false
	if s.err != nil {
		return len(p), false, s.err
	}
	if !s.inFrame {
		if s.hdr.n == 0 {
			s.frameOff = s.off
		}
		c, _, perr, ok := s.hdr.read(p, &s.h)
		n = c
		if !ok {
			s.off += int64(n)
			return n, false, nil
		}
		if perr != nil && s.h.Length > spec.MaxPayloadLength {
			// R-5.2-len-msb0: framing is lost. (A non-minimal
			// length, ParseHeader's other error, is followed.)
			if pe, ok := perr.(*ProtocolError); ok {
				pe.Offset += s.frameOff // new on every call: rebase it in place
			}
			s.err = perr
			s.off += int64(len(p))
			return len(p), false, perr
		}
		s.inFrame, s.left, s.pos, s.kept = true, s.h.Length, 0, 0
		s.keep = s.previewLen
		if s.h.Opcode.IsControl() {
			s.keep = max(s.keep, spec.MaxControlPayload)
		}
	}
	piece := p[n:]
	if uint64(len(piece)) > s.left {
		piece = piece[:s.left]
	}
	// Bytes are kept from the start of the payload on, so while any are
	// still wanted, s.kept is also the payload offset of piece.
	if k := min(len(piece), s.keep-s.kept); k > 0 {
		dst := s.buffer()[s.kept : s.kept+k]
		copy(dst, piece)
		if s.h.Masked {
			Mask(s.h.Key, s.pos, dst)
		}
		s.kept += k
	}
	s.pos = (s.pos + len(piece)) & 3
	s.left -= uint64(len(piece))
	n += len(piece)
	s.off += int64(n)
	if s.left > 0 {
		return n, false, nil
	}
	s.inFrame, s.done = false, true
	return n, true, nil
}

// Frame returns the frame that the last call to Scan finished, if it
// returned done, and the zero ScannedFrame otherwise. Preview and Control
// alias a buffer inside the FrameScanner: they are valid until the next
// call to Scan or Reset. Copy them to keep them.
func (s *FrameScanner) Frame() ScannedFrame {
	if !s.done {
		return ScannedFrame{}
	}
	kept := s.buffer()[:s.kept]
	f := ScannedFrame{Header: s.h, Preview: kept[:min(len(kept), s.previewLen)]}
	if s.h.Opcode.IsControl() {
		f.Control = kept[:min(len(kept), spec.MaxControlPayload)]
	}
	return f
}

// Reset puts s back in its initial state, keeping its preview length and
// its buffer, so that a FrameScanner can follow a new stream. It also
// clears the error of a stream whose framing was lost.
func (s *FrameScanner) Reset() {
	*s = FrameScanner{previewLen: s.previewLen, big: s.big}
}

// buffer returns where payload bytes are kept.
func (s *FrameScanner) buffer() []byte {
	if s.big != nil {
		return s.big
	}
	return s.small[:]
}
