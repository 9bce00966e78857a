// Streaming UTF-8 validation (RFC 6455 sections 5.6 and 8.1, RFC 3629).
//
// A text message must be valid UTF-8 as a whole, but a frame may end in
// the middle of a code point (R-5.6-text-utf8), and a receiver should fail
// as soon as the bytes seen so far can no longer start a valid message
// (Autobahn 6.4.x). The validator is therefore a small state machine over
// the well-formed byte sequences of RFC 3629 section 4 (Unicode table
// 3-7):
//
//	U+0000..U+007F     00..7F
//	U+0080..U+07FF     C2..DF   80..BF
//	U+0800..U+0FFF     E0       A0..BF   80..BF
//	U+1000..U+CFFF     E1..EC   80..BF   80..BF
//	U+D000..U+D7FF     ED       80..9F   80..BF
//	U+E000..U+FFFF     EE..EF   80..BF   80..BF
//	U+10000..U+3FFFF   F0       90..BF   80..BF   80..BF
//	U+40000..U+FFFFF   F1..F3   80..BF   80..BF   80..BF
//	U+100000..U+10FFFF F4       80..8F   80..BF   80..BF
//
// The narrowed second-byte ranges after E0, ED, F0 and F4 are what reject
// overlong forms, surrogates (U+D800..U+DFFF) and code points above
// U+10FFFF on the first byte that makes them so, rather than at the end of
// the sequence. Between calls the state is only the number of continuation
// bytes still expected and the range allowed for the next one, which is
// all the 1-3 bytes of an unfinished sequence can say about the future.
//
// Long writes first go to a vector kernel where there is one (AVX2 on
// amd64, utf8_amd64.go and utf8_amd64.s; none elsewhere or under the
// purego build tag, utf8_generic.go). It only ever answers "this many
// bytes are valid and end at a sequence boundary": the scalar loop below
// then takes over where the kernel stopped, so the unfinished sequence
// carried to the next Write, and the offset of an error, always come from
// the scalar loop. When the kernel finds an error it answers 0, and the
// scalar loop finds the error's exact offset from the start.

package codec

import (
	"encoding/binary"
	"strconv"
)

// leadInfo describes a byte in the position of a sequence's first byte:
// the low 2 bits are the number of continuation bytes that follow, the
// high 4 bits index contRanges for the second byte. ascii and invalid are
// special values.
const (
	ascii   = 0x00
	invalid = 0xFF
)

var leadInfo = [256]uint8{
	// 0x00-0x7F: ASCII.
	// 0x80-0xBF: continuation bytes cannot start a sequence.
	0x80: invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
	// 0xC0-0xC1: would only encode U+0000-U+007F (overlong).
	0xC0: invalid, invalid,
	// 0xC2-0xDF: two-byte sequences.
	0xC2: 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0xD0: 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	// 0xE0: three bytes, second byte A0-BF (no overlongs).
	0xE0: 0x12,
	// 0xE1-0xEC: three bytes.
	0xE1: 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
	// 0xED: three bytes, second byte 80-9F (no surrogates).
	0xED: 0x22,
	// 0xEE-0xEF: three bytes.
	0xEE: 0x02, 0x02,
	// 0xF0: four bytes, second byte 90-BF (no overlongs).
	0xF0: 0x33,
	// 0xF1-0xF3: four bytes.
	0xF1: 0x03, 0x03, 0x03,
	// 0xF4: four bytes, second byte 80-8F (nothing above U+10FFFF).
	0xF4: 0x43,
	// 0xF5-0xFF: would encode above U+10FFFF, or are not UTF-8 at all.
	0xF5: invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid, invalid,
}

// contRanges is the range allowed for the second byte of a sequence,
// indexed by leadInfo>>4. It has 16 entries so that the index needs no
// bounds check.
var contRanges = [16]struct{ lo, hi uint8 }{
	0: {0x80, 0xBF},
	1: {0xA0, 0xBF},
	2: {0x80, 0x9F},
	3: {0x90, 0xBF},
	4: {0x80, 0x8F},
}

// A UTF8Validator checks that a byte stream, written to it in pieces of
// any size, is valid UTF-8. It fails on the first byte after which no
// continuation could make the stream valid: overlong forms, surrogates,
// code points above U+10FFFF, a missing or unexpected continuation byte,
// and bytes that never occur in UTF-8 (C0, C1, F5-FF). A stream that stops
// inside a code point is not invalid until Done says it has ended.
//
// The zero value is ready to use and validates a new stream. A
// UTF8Validator carries no bytes between writes, only what the 1-3 bytes of
// an unfinished sequence imply about the next one; it never allocates
// except to return an error.
type UTF8Validator struct {
	n      int64 // bytes accepted so far
	need   uint8 // continuation bytes still expected
	lo, hi uint8 // range of the next continuation byte when need > 0
	failed bool  // sticky: the stream is invalid
}

// An InvalidUTF8Error reports where a byte stream stopped being valid
// UTF-8.
type InvalidUTF8Error struct {
	// Offset counts bytes from the start of the stream. For an invalid
	// byte it is the position of that byte: every byte before it is a
	// prefix of some valid stream. For a stream that ended inside a code
	// point (Truncated) it is the length of the stream, the position of
	// the continuation byte that never came.
	Offset int64
	// Truncated is true when the stream was valid but ended inside a code
	// point.
	Truncated bool
}

// Error returns a message such as "invalid UTF-8 at byte 3".
func (e *InvalidUTF8Error) Error() string {
	if e.Truncated {
		return "UTF-8 text ends inside a code point at byte " + strconv.FormatInt(e.Offset, 10)
	}
	return "invalid UTF-8 at byte " + strconv.FormatInt(e.Offset, 10)
}

// Write validates p as the next bytes of the stream. If they keep the
// stream a valid prefix, Write returns len(p) and a nil error. Otherwise
// it returns the number of bytes of p before the first invalid one and an
// *InvalidUTF8Error whose Offset is that byte's position in the stream.
// Once invalid, the stream stays invalid: later calls return 0 and the
// same error.
func (v *UTF8Validator) Write(p []byte) (int, error) {
	return v.write(p, utf8Prefix)
}

// utf8PrefixMin is the length from which Write hands the bytes after a
// carried sequence to the vector kernel; below it, the call costs more
// than the kernel saves.
const utf8PrefixMin = 64

// write is Write with the vector kernel as a parameter (nil: none), so
// that the tests can run every kernel the machine has. prefix returns the
// length of a prefix of its argument that is valid UTF-8 and ends at a
// sequence boundary, given that the argument starts at one; it may return
// any such length, 0 included.
func (v *UTF8Validator) write(p []byte, prefix func(p []byte) int) (int, error) {
	if v.failed {
		return 0, &InvalidUTF8Error{Offset: v.n}
	}
	i := 0
	// Finish a sequence left open by the previous Write.
	if v.need > 0 {
		need, lo, hi := v.need, v.lo, v.hi
		for need > 0 {
			if i == len(p) {
				v.need, v.lo, v.hi = need, lo, hi
				v.n += int64(len(p))
				return len(p), nil
			}
			if b := p[i]; b < lo || b > hi {
				return v.fail(i)
			}
			lo, hi = 0x80, 0xBF
			need--
			i++
		}
		v.need = 0
	}
	q := p[i:len(p):len(p)]
	if prefix != nil && len(q) >= utf8PrefixMin {
		q = q[prefix(q):]
	}
	for len(q) > 0 {
		c := q[0]
		if c < 0x80 {
			q = q[1:]
			// ASCII fast path: after one ASCII byte, expect more, and
			// skip them a machine word at a time while no byte has
			// its top bit set. (">" rather than ">=" keeps the slice
			// expressions from pointing past the end.)
			if len(q) > 8 && word(q)&hiBits == 0 {
				q = q[8:]
				if len(q) > 16 && (word(q)|word(q[8:]))&hiBits == 0 {
					q = q[16:]
					for len(q) > 32 && (word(q)|word(q[8:])|word(q[16:])|word(q[24:]))&hiBits == 0 {
						q = q[32:]
					}
				}
			}
			continue
		}
		at := len(p) - len(q) // index of the lead byte in p
		x := leadInfo[c]
		if x == invalid {
			return v.fail(at)
		}
		r := contRanges[x>>4]
		need := int(x & 3)
		if len(q) <= need {
			// The sequence continues in the next Write: check the
			// bytes present and carry what the rest must be.
			lo, hi := r.lo, r.hi
			for j := 1; j < len(q); j++ {
				if q[j] < lo || q[j] > hi {
					return v.fail(at + j)
				}
				lo, hi = 0x80, 0xBF
			}
			v.need, v.lo, v.hi = uint8(need-(len(q)-1)), lo, hi
			break
		}
		// The whole sequence is here.
		switch need {
		case 1:
			if q[1] < r.lo || r.hi < q[1] {
				return v.fail(at + 1)
			}
			q = q[2:]
		case 2:
			if q[1] < r.lo || r.hi < q[1] {
				return v.fail(at + 1)
			}
			if q[2] < 0x80 || 0xBF < q[2] {
				return v.fail(at + 2)
			}
			q = q[3:]
		default:
			if q[1] < r.lo || r.hi < q[1] {
				return v.fail(at + 1)
			}
			if q[2] < 0x80 || 0xBF < q[2] {
				return v.fail(at + 2)
			}
			if q[3] < 0x80 || 0xBF < q[3] {
				return v.fail(at + 3)
			}
			q = q[4:]
		}
	}
	v.n += int64(len(p))
	return len(p), nil
}

// hiBits has the top bit of every byte of a word set.
const hiBits = 0x8080808080808080

// word returns the first 8 bytes of p, which must have at least 8.
func word(p []byte) uint64 { return binary.LittleEndian.Uint64(p) }

// fail marks the stream invalid at index i of the current write.
func (v *UTF8Validator) fail(i int) (int, error) {
	v.n += int64(i)
	v.failed = true
	return i, &InvalidUTF8Error{Offset: v.n}
}

// Done reports whether the stream written so far is complete, valid
// UTF-8. It returns an *InvalidUTF8Error with Truncated set if the stream
// ends inside a code point, and the stream's error if it is invalid. Done
// does not change the validator; call Reset to start a new stream.
func (v *UTF8Validator) Done() error {
	if v.failed {
		return &InvalidUTF8Error{Offset: v.n}
	}
	if v.need > 0 {
		return &InvalidUTF8Error{Offset: v.n, Truncated: true}
	}
	return nil
}

// Incomplete reports whether the stream currently ends inside a code
// point, so that Done would fail unless more bytes complete it.
func (v *UTF8Validator) Incomplete() bool { return !v.failed && v.need > 0 }

// Len returns the number of bytes accepted since the last Reset.
func (v *UTF8Validator) Len() int64 { return v.n }

// Reset starts a new stream.
func (v *UTF8Validator) Reset() { *v = UTF8Validator{} }
