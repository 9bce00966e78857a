// Canonical Huffman codes of DEFLATE (RFC 1951 section 3.2.2). A code is
// given by the bit length of each symbol's code; codes of the same length
// are consecutive integers in symbol order, and shorter codes come first.
// The bits of a code are packed starting with its most significant bit,
// while the stream is read least significant bit first, so the fast
// table is indexed by the next fastBits stream bits, that is by the
// bit-reversed code.
//
// Decoding peeks: it reads bits from a copy of the accumulator and
// consumes nothing, so that a symbol cut off by the end of the input can
// be decoded again once more bytes arrive.

package deflate

import "math/bits"

// fastBits is the width of the lookup table: codes up to 9 bits (nearly
// every literal and length code) decode with one lookup.
const fastBits = 9

// maxCodeLen is the longest code DEFLATE allows.
const maxCodeLen = 15

// A huffman decodes one canonical code.
type huffman struct {
	count  [maxCodeLen + 1]uint16 // number of codes of each length
	symbol [288]uint16            // symbols in code order
	// fast maps the next fastBits stream bits to symbol<<4 | length for
	// codes up to fastBits long; 0 sends the decoder to the slow path.
	fast [1 << fastBits]uint16
	// maxLen is the length of the longest code, 0 for an empty code:
	// bits that match no code that short match none at all.
	maxLen uint
}

// The outcomes of a decode, besides a symbol.
const (
	needMore = -1 // more bits might complete the code
	badCode  = -2 // no code starts with these bits
)

// build sets up the code from the code lengths of symbols 0..len(lengths)-1.
// An over-subscribed set of lengths is invalid; an incomplete one is
// accepted only when incomplete is true and the code has at most one
// symbol, of length 1 (zlib's rule: a distance code with a single symbol
// is written with one bit; an empty code is allowed and fails only when
// used).
func (h *huffman) build(lengths []uint8, incomplete bool) bool {
	h.count = [maxCodeLen + 1]uint16{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	maxLen := 0
	for l := 1; l <= maxCodeLen; l++ {
		left <<= 1
		left -= int(h.count[l])
		if left < 0 {
			return false // over-subscribed
		}
		if h.count[l] > 0 {
			maxLen = l
		}
	}
	if left > 0 && maxLen > 0 && (!incomplete || maxLen != 1) {
		return false // incomplete
	}
	h.maxLen = uint(maxLen)
	var offs [maxCodeLen + 2]uint16
	for l := 1; l <= maxCodeLen; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	for sym, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(sym)
			offs[l]++
		}
	}
	// The fast table: walk the codes in order, as the canonical
	// assignment numbers them.
	h.fast = [1 << fastBits]uint16{}
	code, index := 0, 0
	for l := 1; l <= fastBits; l++ {
		for i := 0; i < int(h.count[l]); i++ {
			rev := int(bits.Reverse16(uint16(code)) >> (16 - l))
			entry := h.symbol[index]<<4 | uint16(l)
			for j := rev; j < 1<<fastBits; j += 1 << l {
				h.fast[j] = entry
			}
			code++
			index++
		}
		code <<= 1
	}
	return true
}

// decode returns the next symbol and its code length from the n bits of
// acc (the low bits come first in the stream), or needMore or badCode as
// the symbol.
func (h *huffman) decode(acc uint64, n uint) (sym int, length uint) {
	if e := h.fast[acc&(1<<fastBits-1)]; e != 0 {
		l := uint(e & 15)
		if l > n {
			return needMore, 0
		}
		return int(e >> 4), l
	}
	// The slow path walks the code one bit at a time: first is the
	// first code of length l, index the position of its symbol.
	code, first, index := 0, 0, 0
	for l := uint(1); l <= h.maxLen; l++ {
		if l > n {
			return needMore, 0
		}
		code |= int(acc>>(l-1)) & 1
		count := int(h.count[l])
		if code-first < count {
			return int(h.symbol[index+code-first]), l
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return badCode, 0
}

// The fixed codes of RFC 1951 section 3.2.6, built once.
var fixedLit, fixedDist huffman

func init() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	fixedLit.build(l[:], false)
	// Distance codes 30 and 31 take part in the code but never occur
	// in valid data (the decoder rejects them).
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	fixedDist.build(d[:], false)
}
