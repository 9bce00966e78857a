// Wire layout of a frame header (RFC 6455 section 5.2):
//
//	byte 0:  FIN (bit 7) | RSV1 (bit 6) | RSV2 (bit 5) | RSV3 (bit 4) | opcode (bits 3-0)
//	byte 1:  MASK (bit 7) | 7-bit payload length
//	then:    a 16-bit big-endian length if the 7-bit length is 126,
//	         a 64-bit big-endian length if it is 127,
//	then:    a 4-byte masking key if MASK is 1.
//
// A header is therefore 2, 4 or 10 bytes, plus 4 when masked.
//
// Two deliberate choices: a 64-bit length with its top bit set is an error,
// not a huge length (R-5.2-len-msb0), so no caller ever sees a length above
// 2^63-1 from a parse that succeeded; and a length written in a longer form
// than needed is reported (R-5.2-len-minimal), unlike binary.Uvarint, which
// accepts non-canonical input silently. The non-minimal report still
// returns the parsed header, so a decoder that chooses leniency can go on.

package codec

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/wskit/wskit/spec"
)

// The RSV bits as they sit in Header.Rsv. The values match Autobahn's "RSV
// value" numbering: 4 is RSV1, 2 is RSV2, 1 is RSV3.
const (
	Rsv1 uint8 = 0x4
	Rsv2 uint8 = 0x2
	Rsv3 uint8 = 0x1
)

// MaxHeaderSize is the size of the largest frame header: 2 fixed bytes, an
// 8-byte length and a 4-byte masking key.
const MaxHeaderSize = 14

// A Header is the fixed part of a WebSocket frame.
//
// A Header is only a record of fields: it may describe a frame that breaks
// the protocol (a reserved opcode, a fragmented control frame, RSV bits
// nobody negotiated). AppendHeader writes such headers as they are; the
// Decoder is where the rules are applied.
type Header struct {
	Fin    bool        // final fragment of a message
	Rsv    uint8       // RSV bits: Rsv1|Rsv2|Rsv3; only the low 3 bits are used
	Opcode spec.Opcode // frame type; only the low 4 bits are used
	Masked bool        // the payload is masked with Key
	Key    [4]byte     // masking key, meaningful only when Masked
	Length uint64      // payload length in bytes
}

// HeaderSize returns the number of bytes AppendHeader writes for h: 2, 4 or
// 10, plus 4 when h is masked.
func HeaderSize(h Header) int {
	n := 2
	switch {
	case h.Length > math.MaxUint16:
		n += 8
	case h.Length > 125:
		n += 2
	}
	if h.Masked {
		n += 4
	}
	return n
}

// AppendHeader appends the wire form of h to dst and returns the extended
// slice. The length is written in its minimal form (R-5.2-len-minimal);
// every other field is written exactly as given, without any check, so a
// caller can build frames that break the protocol on purpose. Rsv and
// Opcode are truncated to 3 and 4 bits; a Length with its top bit set is
// written as is.
func AppendHeader(dst []byte, h Header) []byte {
	b0 := h.Rsv&7<<4 | byte(h.Opcode)&0xF
	if h.Fin {
		b0 |= 0x80
	}
	var b1 byte
	if h.Masked {
		b1 = 0x80
	}
	switch {
	case h.Length > math.MaxUint16:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, h.Length)
	case h.Length > 125:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	default:
		dst = append(dst, b0, b1|byte(h.Length))
	}
	if h.Masked {
		dst = append(dst, h.Key[:]...)
	}
	return dst
}

// ParseHeader parses the frame header at the start of p and returns it with
// the number of bytes it occupies.
//
// If p holds only part of a header, ParseHeader returns n == 0 and a nil
// error: nothing is consumed and the caller should try again with more
// bytes. Every proper prefix of a valid header gives this result.
//
// A header whose 64-bit length has the most significant bit set is a
// *ProtocolError for R-5.2-len-msb0. A length written in a longer form than
// needed is a *ProtocolError for R-5.2-len-minimal; in both cases h and n
// are still returned, so a caller can show the header or, for the
// non-minimal case only, choose to accept it. ParseHeader applies no other
// rule: RSV bits, opcodes and masking are judged by the caller.
//
// ParseHeader does not allocate unless it returns an error.
func ParseHeader(p []byte) (h Header, n int, err error) {
	if len(p) < 2 {
		return Header{}, 0, nil
	}
	b0, b1 := p[0], p[1]
	h.Fin = b0&0x80 != 0
	h.Rsv = b0 >> 4 & 7
	h.Opcode = spec.Opcode(b0 & 0xF)
	h.Masked = b1&0x80 != 0
	ext := 0 // bytes of extended length: 0, 2 or 8
	switch l := b1 & 0x7F; l {
	case 126:
		ext = 2
	case 127:
		ext = 8
	default:
		h.Length = uint64(l)
	}
	n = 2 + ext
	if h.Masked {
		n += 4
	}
	if len(p) < n {
		return Header{}, 0, nil
	}
	switch ext {
	case 2:
		h.Length = uint64(binary.BigEndian.Uint16(p[2:]))
		if h.Length < 126 {
			err = protocolError(spec.CloseProtocolError, "R-5.2-len-minimal", 1,
				"payload length "+strconv.FormatUint(h.Length, 10)+" written in the 16-bit form")
		}
	case 8:
		h.Length = binary.BigEndian.Uint64(p[2:])
		switch {
		case h.Length > spec.MaxPayloadLength:
			err = protocolError(spec.CloseProtocolError, "R-5.2-len-msb0", 2,
				"64-bit payload length has its most significant bit set")
		case h.Length <= math.MaxUint16:
			err = protocolError(spec.CloseProtocolError, "R-5.2-len-minimal", 1,
				"payload length "+strconv.FormatUint(h.Length, 10)+" written in the 64-bit form")
		}
	}
	if h.Masked {
		copy(h.Key[:], p[n-4:n])
	}
	return h, n, err
}

// A headerReader assembles a frame header that may arrive split across
// calls, in at most MaxHeaderSize bytes of its own, and parses it with
// ParseHeader once it is complete. The Decoder and the FrameScanner both
// find frame boundaries with it, so there is one piece of code that does.
type headerReader struct {
	buf [MaxHeaderSize]byte // the bytes of an incomplete header
	n   int                 // how many of buf are used
}

// read reads header bytes from the front of p. It returns the number of
// bytes of p consumed and, once the header is complete (ok), its size and
// the error ParseHeader gave for it, with the header in *h. When the
// header is not complete, all of p was consumed and *h is untouched.
func (r *headerReader) read(p []byte, h *Header) (consumed, size int, perr error, ok bool) {
	if r.n == 0 {
		// Fast path: the whole header is in p.
		if len(p) >= 2 {
			if size = headerLen(p[0], p[1]); len(p) >= size {
				*h, _, perr = ParseHeader(p[:size])
				return size, size, perr, true
			}
		}
	}
	need := 2
	if r.n >= 2 {
		need = headerLen(r.buf[0], r.buf[1])
	}
	for r.n < need && consumed < len(p) {
		r.buf[r.n] = p[consumed]
		r.n++
		consumed++
		if r.n == 2 {
			need = headerLen(r.buf[0], r.buf[1])
		}
	}
	if r.n < need {
		return consumed, 0, nil, false
	}
	*h, _, perr = ParseHeader(r.buf[:need])
	r.n = 0
	return consumed, need, perr, true
}

// headerLen returns the size of the header whose first two bytes are b0
// and b1.
func headerLen(b0, b1 byte) int {
	n := 2
	switch b1 & 0x7F {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if b1&0x80 != 0 {
		n += 4
	}
	return n
}
