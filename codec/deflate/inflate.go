// A resumable raw DEFLATE decoder (RFC 1951), written for a sans-IO
// codec: it is fed whatever bytes have arrived, stops when they run out,
// and resumes there on the next call. compress/flate cannot be used for
// this: its decompressor pulls from an io.Reader, and a reader that runs
// dry mid-block leaves it with a sticky error.
//
// Layout of the state: a 64-bit bit accumulator (acc, nacc bits, the
// stream's next bit lowest) holds input taken from the caller; whole
// units are decoded from it only when all their bits are present (a
// literal/length code with its extra bits and its distance code with
// its extra bits is at most 48 bits, and the accumulator is refilled to
// at least 56 when input is available), so running out of input never
// leaves a unit half done. Dynamic block headers are read one unit (a
// count, a code length code, a code length with its repeat bits) at a
// time for the same reason.
//
// Output is written into a 32 KiB ring, the LZ77 window, and handed out
// as slices of it, so that decoding allocates nothing: a call returns at
// the latest when the ring's end is reached, and the next call wraps
// around. The caller's earlier slices are then overwritten, which is why
// they stay valid only until the next call.

package deflate

import (
	"encoding/binary"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// windowSize is the largest LZ77 window of DEFLATE, and the ring's size.
const windowSize = 1 << MaxWindowBits

// tail is what RFC 7692 section 7.2.2 appends to every message before
// inflating it: the 4 bytes a sync flush ends with, which the sender
// stripped (D-7.2.2-decompress).
var tail = [4]byte{0x00, 0x00, 0xff, 0xff}

// inflateState is where the decoder resumes.
type inflateState uint8

const (
	sBlockHeader inflateState = iota // between blocks: BFINAL and BTYPE next
	sStoredLen                       // a stored block's LEN and NLEN
	sStored                          // a stored block's bytes
	sDynCounts                       // HLIT, HDIST, HCLEN
	sDynCodeLens                     // the code length code's lengths
	sDynLens                         // the literal/length and distance code lengths
	sData                            // a Huffman block's symbols
	sFailed                          // sticky error
)

// Length and distance bases and extra bits (RFC 1951 section 3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// codeLenOrder is the order of the code length code's lengths.
	codeLenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// An inflater decodes one direction's DEFLATE stream, one message at a
// time. The zero value is not usable: call init.
type inflater struct {
	// Input of the current call, and the appended tail.
	in      []byte
	pos     int
	tailing bool // the message's last input is in; tail follows it
	tailN   int  // tail bytes taken into acc

	acc  uint64
	nacc uint

	window []byte // the ring, windowSize bytes
	wpos   int    // where the next output byte goes
	wstart int    // the first output byte not yet handed out
	have   int    // bytes of history a distance may reach, at most maxDist
	// maxDist is the window the peer agreed to compress with, 2^bits.
	maxDist int

	state     inflateState
	last      bool // the current block is the final one (BFINAL)
	lastSeen  bool // a final block has ended (RFC 7692 section 7.2.3.4)
	stored    int  // bytes left in the stored block
	mlen      int  // bytes of a match still to copy
	mdist     int
	lit, dist *huffman

	// A dynamic block header being read.
	hlit, hdist, hclen, nlens int
	lens                      [286 + 30]uint8
	codeLens                  huffman
	dynLit, dynDist           huffman

	err error
}

// init sets up the ring and the peer's window size, 2^bits.
func (f *inflater) init(bits int) {
	if f.window == nil {
		f.window = make([]byte, windowSize)
	}
	f.maxDist = 1 << bits
	f.reset()
}

// reset forgets everything, history included.
func (f *inflater) reset() {
	*f = inflater{window: f.window, maxDist: f.maxDist}
}

// startMessage prepares for a new message; with history false, no
// distance may reach into earlier messages (the peer's
// no_context_takeover).
func (f *inflater) startMessage(history bool) {
	f.tailing, f.tailN = false, 0
	f.lastSeen = false
	if !history {
		f.have = 0
	}
}

// corrupt records and returns a decoding error.
func (f *inflater) corrupt(detail string) error {
	f.state = sFailed
	f.err = &codec.ProtocolError{Code: spec.CloseInvalidPayload, Requirement: "D-7.2.2-decompress", Offset: -1,
		Detail: "permessage-deflate data does not inflate: " + detail}
	return f.err
}

// refill moves input into the accumulator until it holds at least 57
// bits or the input (and, once tailing, the tail) runs out.
func (f *inflater) refill() {
	if f.nacc <= 56 && len(f.in)-f.pos >= 8 {
		f.acc |= binary.LittleEndian.Uint64(f.in[f.pos:]) << f.nacc
		k := (63 - f.nacc) >> 3
		f.pos += int(k)
		f.nacc += k << 3
		// The bytes above nacc came from beyond what was taken.
		f.acc &= 1<<f.nacc - 1
		return
	}
	for f.nacc <= 56 {
		switch {
		case f.pos < len(f.in):
			f.acc |= uint64(f.in[f.pos]) << f.nacc
			f.pos++
		case f.tailing && f.tailN < len(tail):
			f.acc |= uint64(tail[f.tailN]) << f.nacc
			f.tailN++
		default:
			return
		}
		f.nacc += 8
	}
}

// exhausted reports whether no input is left to take.
func (f *inflater) exhausted() bool {
	return f.pos == len(f.in) && (!f.tailing || f.tailN == len(tail))
}

func (f *inflater) drop(n uint) {
	f.acc >>= n
	f.nacc -= n
}

// run decodes as much of in as it can. final says in ends the message.
// It returns the output produced (a slice of the ring, valid until the
// next call), the bytes of in consumed, and whether the message is
// complete.
func (f *inflater) run(in []byte, final bool) (out []byte, consumed int, done bool, err error) {
	if f.err != nil {
		return nil, 0, false, f.err
	}
	if f.wpos == len(f.window) {
		f.wpos = 0
	}
	f.wstart = f.wpos
	f.in, f.pos = in, 0
	f.tailing = final
	done, err = f.decode()
	out = f.window[f.wstart:f.wpos]
	consumed = f.pos
	f.in = nil
	return out, consumed, done, err
}

// decode runs the state machine until the ring's end is reached, the
// input runs out, the message is complete, or the data is corrupt.
func (f *inflater) decode() (done bool, err error) {
	for {
		switch f.state {
		case sBlockHeader:
			if f.lastSeen && f.pos == len(f.in) && f.tailing && f.nacc == uint(f.tailN)*8 {
				// D-7.2.3.4-bfinal: the message ended right after a
				// final block, without the 00 byte that would make
				// the appended tail an empty stored block. Accept it
				// and drop the tail.
				f.acc, f.nacc, f.tailN = 0, 0, len(tail)
				return true, nil
			}
			if f.nacc < 3 {
				f.refill()
				if f.nacc < 3 {
					return f.atEnd()
				}
			}
			f.lastSeen = false
			f.last = f.acc&1 != 0
			btype := f.acc >> 1 & 3
			f.drop(3)
			switch btype {
			case 0:
				f.drop(f.nacc & 7) // to the byte boundary
				f.state = sStoredLen
			case 1:
				f.lit, f.dist = &fixedLit, &fixedDist
				f.state = sData
			case 2:
				f.state = sDynCounts
			default:
				return false, f.corrupt("block type 3 is reserved")
			}

		case sStoredLen:
			if f.nacc < 32 {
				f.refill()
				if f.nacc < 32 {
					return f.starved()
				}
			}
			n, nn := uint16(f.acc), uint16(f.acc>>16)
			f.drop(32)
			if n != ^nn {
				return false, f.corrupt("stored block length does not match its complement")
			}
			f.stored = int(n)
			f.state = sStored

		case sStored:
			for f.stored > 0 {
				if f.wpos == len(f.window) {
					return false, nil
				}
				if f.nacc >= 8 {
					f.put(byte(f.acc))
					f.drop(8)
					f.stored--
					continue
				}
				if f.pos < len(f.in) {
					k := copy(f.window[f.wpos:min(f.wpos+f.stored, len(f.window))], f.in[f.pos:])
					f.pos += k
					f.wpos += k
					f.stored -= k
					f.have = min(f.have+k, f.maxDist)
					continue
				}
				f.refill() // the tail, if it is due
				if f.nacc < 8 {
					return f.starved()
				}
			}
			f.endBlock()

		case sDynCounts:
			if f.nacc < 14 {
				f.refill()
				if f.nacc < 14 {
					return f.starved()
				}
			}
			f.hlit = 257 + int(f.acc&31)
			f.hdist = 1 + int(f.acc>>5&31)
			f.hclen = 4 + int(f.acc>>10&15)
			f.drop(14)
			if f.hlit > 286 || f.hdist > 30 {
				return false, f.corrupt("too many literal/length or distance codes")
			}
			f.lens = [len(f.lens)]uint8{}
			f.nlens = 0
			f.state = sDynCodeLens

		case sDynCodeLens:
			for f.nlens < f.hclen {
				if f.nacc < 3 {
					f.refill()
					if f.nacc < 3 {
						return f.starved()
					}
				}
				f.lens[codeLenOrder[f.nlens]] = uint8(f.acc & 7)
				f.drop(3)
				f.nlens++
			}
			if !f.codeLens.build(f.lens[:19], false) {
				return false, f.corrupt("invalid code length code")
			}
			f.lens = [len(f.lens)]uint8{}
			f.nlens = 0
			f.state = sDynLens

		case sDynLens:
			total := f.hlit + f.hdist
			for f.nlens < total {
				if f.nacc < 14 {
					f.refill()
				}
				sym, l := f.codeLens.decode(f.acc, f.nacc)
				if sym == badCode {
					return false, f.corrupt("invalid code length symbol")
				}
				if sym == needMore {
					return f.starved()
				}
				if sym < 16 {
					f.lens[f.nlens] = uint8(sym)
					f.nlens++
					f.drop(l)
					continue
				}
				var extra, base uint
				var val uint8
				switch sym {
				case 16:
					if f.nlens == 0 {
						return false, f.corrupt("code length repeat with no previous length")
					}
					extra, base, val = 2, 3, f.lens[f.nlens-1]
				case 17:
					extra, base = 3, 3
				default:
					extra, base = 7, 11
				}
				if l+extra > f.nacc {
					return f.starved()
				}
				rep := int(base + uint(f.acc>>l)&(1<<extra-1))
				if f.nlens+rep > total {
					return false, f.corrupt("code length repeat past the last code")
				}
				for range rep {
					f.lens[f.nlens] = val
					f.nlens++
				}
				f.drop(l + extra)
			}
			if f.lens[256] == 0 {
				return false, f.corrupt("no end-of-block code")
			}
			if !f.dynLit.build(f.lens[:f.hlit], true) || !f.dynDist.build(f.lens[f.hlit:total], true) {
				return false, f.corrupt("invalid literal/length or distance code lengths")
			}
			f.lit, f.dist = &f.dynLit, &f.dynDist
			f.state = sData

		case sData:
			if end, err := f.data(); err != nil || !end {
				if err == nil && f.wpos != len(f.window) {
					return f.starved()
				}
				return false, err
			}
			f.endBlock()

		case sFailed:
			return false, f.err
		}
	}
}

// data decodes the symbols of a Huffman block until its end-of-block
// code (end true), the ring's end, or the input's end.
func (f *inflater) data() (end bool, err error) {
	for {
		if f.mlen > 0 && !f.copyMatch() {
			return false, nil // the ring is full
		}
		if f.wpos == len(f.window) {
			return false, nil
		}
		if f.nacc < 48 {
			f.refill()
		}
		sym, l := f.lit.decode(f.acc, f.nacc)
		switch {
		case sym < 0:
			if sym == badCode {
				return false, f.corrupt("invalid literal/length code")
			}
			return false, nil // more input needed
		case sym < 256:
			f.drop(l)
			f.put(byte(sym))
			continue
		case sym == 256:
			f.drop(l)
			return true, nil
		case sym > 285:
			return false, f.corrupt("invalid length symbol " + itoa(sym))
		}
		// A length, then a distance, all of it present or nothing
		// consumed.
		i := sym - 257
		n := l
		le := uint(lengthExtra[i])
		if n+le > f.nacc {
			return false, nil
		}
		length := int(lengthBase[i]) + int(f.acc>>n&(1<<le-1))
		n += le
		dsym, dl := f.dist.decode(f.acc>>n, f.nacc-n)
		switch {
		case dsym == needMore:
			return false, nil
		case dsym == badCode:
			return false, f.corrupt("invalid distance code")
		case dsym >= 30:
			return false, f.corrupt("invalid distance symbol " + itoa(dsym))
		}
		n += dl
		de := uint(distExtra[dsym])
		if n+de > f.nacc {
			return false, nil
		}
		dist := int(distBase[dsym]) + int(f.acc>>n&(1<<de-1))
		n += de
		if dist > f.have {
			return false, f.corrupt("distance " + itoa(dist) + " reaches back before the window (" + itoa(f.have) + " bytes of history)")
		}
		f.drop(n)
		f.mlen, f.mdist = length, dist
	}
}

// put writes one literal byte.
func (f *inflater) put(b byte) {
	f.window[f.wpos] = b
	f.wpos++
	if f.have < f.maxDist {
		f.have++
	}
}

// copyMatch copies as much of the pending match as fits before the
// ring's end, and reports whether it is complete.
func (f *inflater) copyMatch() bool {
	w := f.window
	for f.mlen > 0 {
		if f.wpos == len(w) {
			return false
		}
		src := f.wpos - f.mdist
		if src < 0 {
			src += len(w)
		}
		// Copy at most mdist bytes at a time, so that every source
		// byte was written before this copy (copy's memmove semantics
		// are then LZ77's); when the source lies just behind, the
		// copied bytes become the source of the next round, doubling
		// the step.
		k := min(f.mlen, len(w)-f.wpos, len(w)-src, f.mdist)
		if src < f.wpos {
			k = min(f.mlen, len(w)-f.wpos)
			k = copyRepeat(w[src:f.wpos+k], f.wpos-src)
		} else {
			copy(w[f.wpos:f.wpos+k], w[src:src+k])
		}
		f.wpos += k
		f.mlen -= k
		f.have = min(f.have+k, f.maxDist)
	}
	return true
}

// copyRepeat fills b[d:] by copying from d bytes back, as LZ77 does, and
// returns the number of bytes written, len(b)-d.
func copyRepeat(b []byte, d int) int {
	n := d
	for n < len(b) {
		n += copy(b[n:], b[n-d:n])
	}
	return len(b) - d
}

// endBlock finishes a block. A final block is padded to a byte boundary
// (RFC 7692 section 7.2.1), and blocks may follow it in this stream
// (D-7.2.3.4-bfinal).
func (f *inflater) endBlock() {
	if f.last {
		f.drop(f.nacc & 7)
		f.lastSeen = true
	}
	f.state = sBlockHeader
}

// starved is what decode returns when a unit needs bytes that have not
// arrived: nothing more to do until they do, or corrupt data if the
// message is over.
func (f *inflater) starved() (bool, error) {
	if f.exhausted() && f.tailing {
		return false, f.corrupt("the message ends inside a DEFLATE block")
	}
	return false, nil
}

// atEnd is decode's result between blocks when fewer than 3 bits are
// left: the end of the message if all of it, tail included, is in, and
// what is left is padding.
func (f *inflater) atEnd() (bool, error) {
	if !f.exhausted() {
		return false, nil
	}
	if !f.tailing {
		return false, nil
	}
	if f.acc != 0 {
		return false, f.corrupt("the message ends inside a DEFLATE block")
	}
	f.acc, f.nacc = 0, 0
	return true, nil
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
