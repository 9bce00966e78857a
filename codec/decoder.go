// The Decoder is a resumable state machine over one direction of one
// connection, in the manner of compress/flate's decompressor: it keeps an
// explicit state (reading a header, a data payload, a control payload,
// draining an extension, owing a message end), resumes there on the next
// call, and after an error only repeats it.
//
// Memory: the Decoder holds at most a partial header (14 bytes) and one
// control payload (125 bytes) in fixed arrays; data payload is unmasked in
// the caller's buffer and handed back as a slice of it. Nothing is ever
// allocated from a length the peer declared.

package codec

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"

	"github.com/wskit/wskit/spec"
)

// Default limits of a Decoder. 16 MiB is the largest message Autobahn
// sends (case 9.1.6); 1<<17 frames leaves room for its case 9.3.1, a 4 MiB
// message sent as 65537 frames.
const (
	DefaultMaxFramePayload, DefaultMaxMessage = 16 << 20, 16 << 20
	DefaultMaxFragments                       = 1 << 17
)

// DecoderOptions configures a Decoder. Only Role is required; zero limits
// mean the defaults. The limits are what RFC 6455 section 10.4 asks an
// endpoint to impose; exceeding one fails with 1009 (R-10.4-limits).
type DecoderOptions struct {
	// Role is the role of the receiving endpoint: RoleServer expects
	// masked frames, RoleClient unmasked ones. Required.
	Role Role
	// MaxFramePayload limits the declared payload length of one data
	// frame; 0 means DefaultMaxFramePayload. Control frames are limited
	// to 125 bytes by the protocol itself.
	MaxFramePayload uint64
	// MaxMessage limits the size of a reassembled data message: the sum
	// of its frames' declared lengths, or, for a message an Extension
	// transforms, the size after the transformation. 0 means
	// DefaultMaxMessage (16 MiB).
	MaxMessage uint64
	// MaxFragments limits the number of frames in one data message,
	// empty frames included, so that a flood of empty fragments fails
	// too. 0 means DefaultMaxFragments.
	MaxFragments int
	// AllowNonMinimalLength accepts payload lengths written in a longer
	// form than needed. Senders must use the minimal form
	// (R-5.2-len-minimal); by default the Decoder rejects other forms
	// with 1002.
	AllowNonMinimalLength bool
	// Extension is the negotiated extension that defines RSV bits, or
	// nil when none was negotiated: then every RSV bit fails the
	// connection (R-5.2-rsv-fail).
	Extension Extension
}

// decoderState is where a Decoder resumes.
type decoderState uint8

const (
	stateHeader  decoderState = iota // reading a frame header
	stateData                        // reading the payload of a data frame
	stateControl                     // reading the payload of a control frame
	stateDrain                       // the final frame is read; the extension may have output left
	stateEnd                         // the message is complete; EventMessageEnd is owed
)

// A Decoder turns the bytes one endpoint receives into events, applying
// every receive rule of RFC 6455 section 5 (and, through an Extension,
// RFC 7692 section 6). It is fed whatever bytes arrived, in any chunking.
//
// A Decoder is not safe for concurrent use. Create one with NewDecoder.
type Decoder struct {
	// Configuration, fixed by NewDecoder.
	role            Role
	maxFrame        uint64
	maxMessage      uint64
	maxFragments    int
	allowNonMinimal bool
	ext             Extension
	extBits         uint8

	err     error // sticky
	off     int64 // stream bytes consumed
	state   decoderState
	discard bool // DiscardData: data payloads are skipped, with no events

	// The frame being read.
	hdr      headerReader // a header split across calls
	h        Header
	hsize    int
	frameOff int64  // stream offset of the frame's first byte
	left     uint64 // payload bytes not yet consumed
	maskPos  int    // key offset of the next payload byte to unmask
	unmasked int    // bytes at the front of the input already unmasked but not consumed (extension path)

	// The data message in progress.
	inMessage bool
	msgOp     spec.Opcode
	msgExt    bool   // transformed by the extension
	msgLen    uint64 // declared bytes so far, or transformed bytes so far when msgExt
	fragments int
	text      UTF8Validator

	// The control frame being read.
	ctrl  [spec.MaxControlPayload]byte
	ctrlN int
}

// NewDecoder returns a Decoder configured by opts. It checks the options
// once: Role must be RoleServer or RoleClient, MaxFragments must not be
// negative, and an Extension's Rsv must be a non-zero combination of Rsv1,
// Rsv2 and Rsv3.
func NewDecoder(opts DecoderOptions) (*Decoder, error) {
	d := new(Decoder)
	if err := d.configure(opts); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Decoder) configure(opts DecoderOptions) error {
	if !opts.Role.valid() {
		return errors.New("codec: DecoderOptions.Role is " + opts.Role.String() + "; want RoleServer or RoleClient")
	}
	if opts.MaxFragments < 0 {
		return errors.New("codec: DecoderOptions.MaxFragments is " + strconv.Itoa(opts.MaxFragments) + "; want 0 (the default) or 1 and above")
	}
	d.role = opts.Role
	d.maxFrame = opts.MaxFramePayload
	if d.maxFrame == 0 {
		d.maxFrame = DefaultMaxFramePayload
	}
	d.maxMessage = opts.MaxMessage
	if d.maxMessage == 0 {
		d.maxMessage = DefaultMaxMessage
	}
	d.maxFragments = opts.MaxFragments
	if d.maxFragments == 0 {
		d.maxFragments = DefaultMaxFragments
	}
	d.allowNonMinimal = opts.AllowNonMinimalLength
	d.ext = opts.Extension
	if d.ext != nil {
		d.extBits = d.ext.Rsv()
		if d.extBits == 0 || d.extBits&^(Rsv1|Rsv2|Rsv3) != 0 {
			return errors.New("codec: Extension.Rsv returned " + strconv.Itoa(int(d.extBits)) + "; want a non-zero combination of Rsv1, Rsv2 and Rsv3")
		}
	}
	return nil
}

// Offset returns the number of stream bytes consumed so far: the sum of
// the n values Decode returned since NewDecoder or Reset.
func (d *Decoder) Offset() int64 { return d.off }

// Reset puts d back in its initial state, as NewDecoder left it, keeping
// its options and its buffers, so that a Decoder can be pooled and reused
// for a new connection. It also resets the Extension, if any.
func (d *Decoder) Reset() {
	*d = Decoder{
		role: d.role, maxFrame: d.maxFrame, maxMessage: d.maxMessage, maxFragments: d.maxFragments,
		allowNonMinimal: d.allowNonMinimal, ext: d.ext, extBits: d.extBits,
	}
	if d.ext != nil {
		d.ext.Reset()
	}
}

// DiscardData makes d skip data messages from now on, the rest of one in
// progress included (it gets no EventMessageEnd): their frames are still
// read and every header rule still applies (masking, RSV bits, opcodes,
// fragmentation order, frame and message limits), but their payloads are
// neither unmasked, passed to the Extension nor checked as UTF-8, and
// Decode returns no event for them. Control frames are decoded as before.
//
// It is for an endpoint that wants nothing more from its peer but its
// Close: one that has sent its own Close (RFC 6455 section 1.4: data
// received after it may be discarded) and must still read until the
// peer's Close arrives, without inflating a compressed message it will
// drop. The Extension's state no longer follows the stream (a message
// compressed with context takeover cannot be inflated after one was
// skipped), so it is not called again until Reset, which also ends
// discarding.
func (d *Decoder) DiscardData() { d.discard = true }

// Decode consumes bytes from the front of p and returns at most one event
// and the number of bytes consumed. Call it in a loop, passing what is
// left, until it returns EventNone:
//
//	for {
//		ev, n, err := d.Decode(p)
//		p = p[n:]
//		if err != nil {
//			// fail the connection with err's close code
//		}
//		if ev.Kind == EventNone {
//			break // all of p was consumed; wait for more bytes
//		}
//		// use ev
//	}
//
// EventNone means that every byte of p was consumed and no event is
// pending; a header or control payload split across calls is kept inside
// the Decoder. An event may come with n == 0, for example EventMessageEnd
// after the final frame's payload was returned by the previous call. When
// Decode returns an event with n < len(p), the next call must be given
// p[n:] (with more bytes appended, if any): the bytes not consumed may
// already have been unmasked.
//
// Decode unmasks payload in place: it modifies p. The Data of an
// EventPayload is a slice of p, valid as long as the caller keeps p,
// except for a message an Extension transforms, whose Data may alias the
// extension's buffer and is valid until the next call to Decode. The Data
// of EventPing, EventPong and EventClose aliases a buffer inside the
// Decoder, valid until the next call to Decode.
//
// Every rule is checked as soon as the bytes that break it arrive: header
// rules by CheckHeader, in a fixed order so that a header breaking several
// rules always reports the same one (length encoding, RSV bits, reserved
// opcodes, extension bits on control or continuation frames, control
// frame fragmentation and size, masking by role, message order, limits),
// as soon as the bytes received decide the error the complete header
// gives, whatever its missing bytes (the eager rule in check.go): no rule
// needs the masking key, so a header fails once its length is in (after 2
// bytes for a 7-bit length, 4 or 10 for an extended one), and a lenient
// Decoder (AllowNonMinimalLength) fails a header with a 16-bit length
// after 2 bytes on a rule that comes before the first rule needing the
// length. The error, Offset and Detail included, is the one the complete
// header gives, so it does not depend on the chunking; the UTF-8 of text on each payload piece before it is
// returned (an invalid piece gives the error, not an event); a text message
// ending inside a code point on its last piece; a Close body when the
// frame is complete. A violation is returned as a *ProtocolError whose Offset is
// the stream offset of the offending byte. Errors are sticky: after one,
// every call returns the same error with n == 0 and EventNone. A Close
// frame does not stop the Decoder; what to do with later frames is the
// caller's decision.
//
// Decode does not allocate except to return an error.
func (d *Decoder) Decode(p []byte) (ev Event, n int, err error) {
	if d.err != nil {
		return Event{}, 0, d.err
	}
	if !d.role.valid() {
		d.err = errors.New("codec: Decoder used without NewDecoder")
		return Event{}, 0, d.err
	}
	ev, n, err = d.decode(p, false)
	if err != nil {
		d.err = err
		return Event{}, 0, err
	}
	d.off += int64(n)
	return ev, n, nil
}

// DecodeWhole is Decode, except that a data message sent as one frame
// (FIN set, no RSV bits) whose header and whole payload are in p comes as
// a single EventMessage, whose Data is the whole payload, unmasked in
// place in p and, for text, checked to be valid UTF-8 to its end, instead
// of EventMessageStart, EventPayload and EventMessageEnd: one call per
// small message instead of three. Every other message, fragmented or cut
// by the end of p or transformed by an Extension, comes as the three
// kinds of events Decode returns, so a caller handles both forms. The
// rules and errors are Decode's, with the same offsets; a message that
// breaks one gives the error instead of any of its events.
//
// A Decoder may be driven by Decode and DecodeWhole in turn. DecodeWhole
// does not allocate except to return an error.
func (d *Decoder) DecodeWhole(p []byte) (ev Event, n int, err error) {
	if d.err != nil {
		return Event{}, 0, d.err
	}
	if !d.role.valid() {
		d.err = errors.New("codec: Decoder used without NewDecoder")
		return Event{}, 0, d.err
	}
	if d.state == stateHeader && d.hdr.n == 0 {
		if op, data, n := d.quickWhole(p); n > 0 {
			d.off += int64(n)
			return Event{Kind: EventMessage, Opcode: op, Data: data}, n, nil
		}
	}
	ev, n, err = d.decode(p, true)
	if err != nil {
		d.err = err
		return Event{}, 0, err
	}
	d.off += int64(n)
	return ev, n, nil
}

// decode does the work of Decode and DecodeWhole (whole). The stream
// offset of p[i] is d.off+i.
func (d *Decoder) decode(p []byte, whole bool) (Event, int, error) {
	n := 0
	for {
		switch d.state {
		case stateHeader:
			if n == len(p) {
				return Event{}, n, nil
			}
			if d.hdr.n == 0 {
				d.frameOff = d.off + int64(n)
				// Fast path: a whole header that plainly passes
				// every rule (see fastHeader).
				if size := d.fastHeader(p[n:]); size > 0 {
					n += size
					ev := d.beginFrame()
					if whole && ev.Kind == EventMessageStart && d.h.Fin && !d.msgExt && uint64(len(p)-n) >= d.left {
						return d.wholeMessage(p, n)
					}
					if ev.Kind != EventNone {
						return ev, n, nil
					}
					continue
				}
			}
			c, size, perr, ok := d.hdr.read(p[n:], &d.h)
			n += c
			if !ok {
				// All of p went into d.hdr. A rule the bytes so far
				// already decide fails now (see checkPartialHeader).
				if d.hdr.n >= 2 {
					if err := d.checkPartialHeader(); err != nil {
						return Event{}, 0, err
					}
				}
				return Event{}, n, nil
			}
			d.hsize = size
			// The header rules, in CheckHeader's order. checkHeader
			// takes pointers: see there.
			err := checkHeader(&d.h, perr, &HeaderState{
				Role:                  d.role,
				ExtensionRsv:          d.extBits,
				InMessage:             d.inMessage,
				MessageTransformed:    d.msgExt,
				MessageLength:         d.msgLen,
				MessageFragments:      d.fragments,
				MaxFramePayload:       d.maxFrame,
				MaxMessage:            d.maxMessage,
				MaxFragments:          d.maxFragments,
				AllowNonMinimalLength: d.allowNonMinimal,
			})
			if err != nil {
				if pe, ok := err.(*ProtocolError); ok {
					// CheckHeader's offsets are indices into the
					// header, and its error is new on every call:
					// move it to the stream in place.
					pe.Offset += d.frameOff
				}
				return Event{}, 0, err
			}
			ev := d.beginFrame()
			if whole && ev.Kind == EventMessageStart && d.h.Fin && !d.msgExt && uint64(len(p)-n) >= d.left {
				return d.wholeMessage(p, n)
			}
			if ev.Kind != EventNone {
				return ev, n, nil
			}

		case stateData:
			if d.left == 0 {
				switch {
				case !d.h.Fin:
					d.state = stateHeader
				case d.discard:
					d.state = stateEnd
				case d.msgExt:
					d.state = stateDrain
				default:
					// An empty final frame: the end of a text message
					// must not be inside a code point. (A non-empty
					// final frame was checked with its last piece.)
					if d.msgOp == spec.OpText && d.text.Incomplete() {
						return Event{}, 0, truncatedText(d.off + int64(n))
					}
					d.state = stateEnd
				}
				continue
			}
			if n == len(p) {
				return Event{}, n, nil
			}
			if d.discard {
				// Skipped: not unmasked, transformed or validated.
				k := min(uint64(len(p)-n), d.left)
				d.left -= k
				n += int(k)
				continue
			}
			if d.msgExt {
				ev, c, err := d.transform(p[n:], n)
				n += c
				if err != nil {
					return Event{}, 0, err
				}
				if ev.Kind != EventNone {
					return ev, n, nil
				}
				continue
			}
			rest := p[n:]
			k := len(rest)
			if uint64(k) > d.left {
				k = int(d.left)
			}
			piece := rest[:k]
			if d.h.Masked {
				d.maskPos = Mask(d.h.Key, d.maskPos, piece)
			}
			if d.msgOp == spec.OpText {
				if i, err := d.text.Write(piece); err != nil {
					return Event{}, 0, invalidText(d.off+int64(n+i), false)
				}
				if d.h.Fin && uint64(k) == d.left && d.text.Incomplete() {
					return Event{}, 0, truncatedText(d.off + int64(n+k))
				}
			}
			d.left -= uint64(k)
			n += k
			return Event{Kind: EventPayload, Opcode: d.msgOp, Data: piece}, n, nil

		case stateControl:
			if d.left > 0 {
				if n == len(p) {
					return Event{}, n, nil
				}
				rest := p[n:]
				k := len(rest)
				if uint64(k) > d.left {
					k = int(d.left)
				}
				dst := d.ctrl[d.ctrlN : d.ctrlN+k]
				copy(dst, rest)
				if d.h.Masked {
					d.maskPos = Mask(d.h.Key, d.maskPos, dst)
				}
				d.ctrlN += k
				d.left -= uint64(k)
				n += k
				if d.left > 0 {
					return Event{}, n, nil // all of p consumed
				}
			}
			ev, err := d.controlEvent()
			if err != nil {
				return Event{}, 0, err
			}
			d.state = stateHeader
			return ev, n, nil

		case stateDrain:
			if d.discard {
				d.state = stateEnd
				continue
			}
			ev, c, err := d.transform(nil, n)
			n += c
			if err != nil {
				return Event{}, 0, err
			}
			if ev.Kind != EventNone {
				return ev, n, nil
			}

		case stateEnd:
			op := d.msgOp
			d.inMessage, d.msgExt, d.msgLen, d.fragments = false, false, 0, 0
			d.state = stateHeader
			if d.discard {
				continue
			}
			return Event{Kind: EventMessageEnd, Opcode: op}, n, nil
		}
	}
}

// checkPartialHeader applies the header rules to the incomplete header in
// d.hdr (at least its first two bytes) and returns the error the complete
// header is bound to give, whatever its missing bytes are, or nil when the
// missing bytes could still change the outcome or its details. That is the
// case in two situations (see the eager rule in check.go):
//
//   - every byte but the masking key has arrived: no rule depends on the
//     key, so the header parsed with any key gives the complete header's
//     error;
//   - only the first two bytes of a header with a 16-bit length have
//     arrived and non-minimal lengths are allowed: then no length-encoding
//     rule can fail, and the rules before the first that needs the length
//     (RSV bits, opcode, extension bits, control fragmentation; for a data
//     frame also masking and message order) are decided already.
//
// Otherwise a length-encoding rule (first in the order) or a rule whose
// verdict or detail depends on the length is still open, and the Decoder
// waits. checkPartialHeader does not allocate unless it returns an error.
func (d *Decoder) checkPartialHeader() error {
	r := &d.hdr
	b0, b1 := r.buf[0], r.buf[1]
	st := HeaderState{
		Role:                  d.role,
		ExtensionRsv:          d.extBits,
		InMessage:             d.inMessage,
		MessageTransformed:    d.msgExt,
		MessageLength:         d.msgLen,
		MessageFragments:      d.fragments,
		MaxFramePayload:       d.maxFrame,
		MaxMessage:            d.maxMessage,
		MaxFragments:          d.maxFragments,
		AllowNonMinimalLength: d.allowNonMinimal,
	}
	var h Header
	var perr error
	size := headerLen(b0, b1)
	switch keyless := headerLen(b0, b1&0x7F); {
	case r.n >= keyless:
		// Only (part of) the masking key is missing; the stale bytes
		// after r.n stand in for it.
		h, _, perr = ParseHeader(r.buf[:size])
	case keyless == 4 && d.allowNonMinimal:
		// The 16-bit length is missing. With a length of 0 and no
		// fragment limit, the limits cannot fail and neither can the
		// control frame size; a control frame's masking rule comes
		// after its size rule, so its mask bit is taken as the one its
		// role expects.
		h = Header{Fin: b0&0x80 != 0, Rsv: b0 >> 4 & 7, Opcode: spec.Opcode(b0 & 0xF), Masked: b1&0x80 != 0}
		if h.Opcode.IsControl() {
			h.Masked = d.role == RoleServer
		}
		st.MaxFragments = math.MaxInt
	default:
		return nil
	}
	err := checkHeader(&h, perr, &st)
	if pe, ok := err.(*ProtocolError); ok {
		pe.Offset += d.frameOff
	}
	return err
}

// quickWhole is DecodeWhole's path for the common case, taken between
// frames: a final text or binary frame without RSV bits, with no message in
// progress, masked as the role expects, within the limits, whose payload is
// all in p and, for text, valid UTF-8. It unmasks the payload in place and
// returns the opcode, the payload and the bytes consumed; for anything
// else it returns n == 0 with p unchanged, and the general path decides,
// errors included.
func (d *Decoder) quickWhole(p []byte) (op spec.Opcode, data []byte, n int) {
	if len(p) < 2 || p[0]&0xF0 != 0x80 || d.inMessage || d.discard {
		return 0, nil, 0
	}
	op = spec.Opcode(p[0] & 0xF)
	masked := p[1]&0x80 != 0
	if op != spec.OpText && op != spec.OpBinary || masked != (d.role == RoleServer) {
		return 0, nil, 0
	}
	length, size := fastLength(p)
	if size == 0 || length > d.maxFrame || length > d.maxMessage {
		return 0, nil, 0
	}
	var key [4]byte
	if masked {
		if len(p) < size+4 {
			return 0, nil, 0
		}
		key = [4]byte(p[size : size+4])
		size += 4
	}
	if uint64(len(p)-size) < length {
		return 0, nil, 0
	}
	n = size + int(length)
	data = p[size:n]
	if masked {
		Mask(key, 0, data)
	}
	if op == spec.OpText && !validUTF8(data) {
		if masked {
			Mask(key, 0, data) // put p back for the general path
		}
		return 0, nil, 0
	}
	return op, data, n
}

// fastLength returns the payload length of the header at the front of p
// and the size of the header up to its masking key, or size 0 when p does
// not hold that much or the length is not in its minimal form or has its
// top bit set.
func fastLength(p []byte) (length uint64, size int) {
	switch length = uint64(p[1] & 0x7F); length {
	case 126:
		if len(p) < 4 {
			return 0, 0
		}
		if length = uint64(binary.BigEndian.Uint16(p[2:])); length < 126 {
			return 0, 0
		}
		return length, 4
	case 127:
		if len(p) < 10 {
			return 0, 0
		}
		if length = binary.BigEndian.Uint64(p[2:]); length <= math.MaxUint16 || length > spec.MaxPayloadLength {
			return 0, 0
		}
		return length, 10
	}
	return length, 2
}

// validUTF8 reports whether p is whole, valid UTF-8: ASCII a word at a
// time for short p, the UTF8Validator for the rest.
func validUTF8(p []byte) bool {
	if len(p) < utf8PrefixMin {
		q := p
		var acc uint64
		for len(q) >= 8 {
			acc |= word(q)
			q = q[8:]
		}
		for _, c := range q {
			acc |= uint64(c)
		}
		if acc&hiBits == 0 {
			return true
		}
	}
	var v UTF8Validator
	_, err := v.Write(p)
	return err == nil && !v.Incomplete()
}

// fastHeader parses the header at the front of p, when p holds all of
// it, and checks it, when it plainly passes every rule of checkHeader: a
// minimal length, no RSV bit, a text or binary frame starting a message or
// a continuation inside one that no extension transforms, or a final
// control frame (whose 7-bit length is at most 125), masked as the role
// expects, within the limits. It sets d.h and d.hsize and returns the
// header's size, or 0 when the header needs the general path: split
// across calls, or breaking a rule, or one (RSV bits, a lenient length)
// whose judgement is left to checkHeader. What it accepts, checkHeader
// accepts too (TestFastHeaderAgrees).
func (d *Decoder) fastHeader(p []byte) int {
	if len(p) < 2 {
		return 0
	}
	b0, b1 := p[0], p[1]
	if b0&0x70 != 0 || (b1&0x80 != 0) != (d.role == RoleServer) {
		return 0
	}
	op := spec.Opcode(b0 & 0xF)
	length, size := fastLength(p)
	if size == 0 {
		return 0
	}
	switch op {
	case spec.OpText, spec.OpBinary:
		if d.inMessage || length > d.maxFrame || length > d.maxMessage {
			return 0
		}
	case spec.OpContinuation:
		if !d.inMessage || d.msgExt || length > d.maxFrame || d.msgLen > d.maxMessage ||
			length > d.maxMessage-d.msgLen || d.fragments >= d.maxFragments {
			return 0
		}
	case spec.OpClose, spec.OpPing, spec.OpPong:
		if b0&0x80 == 0 || length > spec.MaxControlPayload {
			return 0
		}
	default:
		return 0
	}
	h := &d.h
	if b1&0x80 != 0 {
		if len(p) < size+4 {
			return 0
		}
		h.Key = [4]byte(p[size : size+4])
		size += 4
		h.Masked = true
	} else {
		h.Masked = false
	}
	h.Fin = b0&0x80 != 0
	h.Rsv = 0
	h.Opcode = op
	h.Length = length
	d.hsize = size
	return size
}

// wholeMessage delivers the message whose first and final frame's header
// d.beginFrame has just set up, its whole payload being in p from index
// n, as one EventMessage: the EventPayload and EventMessageEnd that
// decode would return next, with the same checks and offsets, in one.
func (d *Decoder) wholeMessage(p []byte, n int) (Event, int, error) {
	k := int(d.left)
	piece := p[n : n+k]
	if d.h.Masked {
		d.maskPos = Mask(d.h.Key, d.maskPos, piece)
	}
	if d.msgOp == spec.OpText {
		if i, err := d.text.Write(piece); err != nil {
			return Event{}, 0, invalidText(d.off+int64(n+i), false)
		}
		if d.text.Incomplete() {
			return Event{}, 0, truncatedText(d.off + int64(n+k))
		}
	}
	d.left = 0
	d.inMessage, d.msgLen, d.fragments = false, 0, 0
	d.state = stateHeader
	return Event{Kind: EventMessage, Opcode: d.msgOp, Data: piece}, n + k, nil
}

// beginFrame sets up the state for the checked header in d.h and returns
// EventMessageStart for the first frame of a data message.
func (d *Decoder) beginFrame() Event {
	h := &d.h
	d.left = h.Length
	d.maskPos = 0
	d.unmasked = 0
	if h.Opcode.IsControl() {
		d.ctrlN = 0
		d.state = stateControl
		return Event{}
	}
	d.state = stateData
	d.fragments++
	if h.Opcode == spec.OpContinuation {
		if !d.msgExt {
			d.msgLen += h.Length
		}
		return Event{}
	}
	d.inMessage = true
	d.msgOp = h.Opcode
	d.msgExt = h.Rsv != 0
	d.msgLen = 0
	if !d.msgExt {
		d.msgLen = h.Length
	}
	d.text.Reset()
	if d.discard {
		return Event{}
	}
	return Event{Kind: EventMessageStart, Opcode: d.msgOp}
}

// transform feeds the extension the next payload bytes of a transformed
// message, from the front of p (nil when draining after the final frame),
// where p starts at index n of the input. It returns the event to report,
// if any, and the number of bytes of p consumed.
func (d *Decoder) transform(p []byte, n int) (Event, int, error) {
	k := len(p)
	if uint64(k) > d.left {
		k = int(d.left)
	}
	in := p[:k]
	// The first d.unmasked bytes were unmasked by an earlier call whose
	// event was returned before the extension consumed them.
	if u := min(d.unmasked, k); d.h.Masked && u < k {
		d.maskPos = Mask(d.h.Key, d.maskPos, in[u:])
	}
	d.unmasked = max(d.unmasked, k)
	final := d.h.Fin && uint64(k) == d.left
	out, c, done, err := d.ext.Transform(in, final)
	at := d.off + int64(n)
	if err != nil {
		// The extension cannot know stream offsets: report the
		// position reached.
		var pe *ProtocolError
		if errors.As(err, &pe) {
			return Event{}, 0, protocolError(pe.Code, pe.Requirement, at, pe.Detail)
		}
		return Event{}, 0, errors.New("codec: extension: " + err.Error())
	}
	switch {
	case c < 0 || c > k:
		return Event{}, 0, errors.New("codec: extension consumed " + strconv.Itoa(c) + " of " + strconv.Itoa(k) + " bytes")
	case done && (!final || c != k):
		return Event{}, 0, errors.New("codec: extension reported done before the end of the message")
	case c == 0 && len(out) == 0 && !done:
		return Event{}, 0, errors.New("codec: extension made no progress")
	}
	d.unmasked -= c
	d.left -= uint64(c)
	at += int64(c)
	if uint64(len(out)) > d.maxMessage-d.msgLen {
		return Event{}, 0, protocolError(spec.CloseMessageTooBig, "R-10.4-limits", at,
			"message exceeds the limit of "+strconv.FormatUint(d.maxMessage, 10)+" bytes after the extension's transformation")
	}
	d.msgLen += uint64(len(out))
	if d.msgOp == spec.OpText {
		// D-6-utf8-after: text is validated after the transformation.
		// The offset is the stream position reached, since the bad
		// byte is not in the stream.
		if _, err := d.text.Write(out); err != nil {
			return Event{}, 0, invalidText(at, true)
		}
		if done && d.text.Incomplete() {
			return Event{}, 0, truncatedText(at)
		}
	}
	if done {
		d.state = stateEnd
	}
	if len(out) == 0 {
		return Event{}, c, nil
	}
	return Event{Kind: EventPayload, Opcode: d.msgOp, Data: out}, c, nil
}

// controlEvent turns the complete control frame in d.ctrl into an event,
// applying the rules for Close bodies.
func (d *Decoder) controlEvent() (Event, error) {
	data := d.ctrl[:d.ctrlN]
	switch d.h.Opcode {
	case spec.OpPing:
		return Event{Kind: EventPing, Opcode: spec.OpPing, Data: data}, nil
	case spec.OpPong:
		return Event{Kind: EventPong, Opcode: spec.OpPong, Data: data}, nil
	}
	code, reason, err := parseCloseBody(data, d.frameOff+int64(d.hsize))
	if err != nil {
		return Event{}, err
	}
	return Event{Kind: EventClose, Opcode: spec.OpClose, Code: code, Data: reason}, nil
}

// invalidText is the error for text that is not UTF-8 at stream offset
// at (R-8.1-utf8-fail).
func invalidText(at int64, transformed bool) *ProtocolError {
	detail := "invalid UTF-8 in a text message"
	if transformed {
		detail += " after the extension's transformation"
	}
	return protocolError(spec.CloseInvalidPayload, "R-8.1-utf8-fail", at, detail)
}

// truncatedText is the error for a text message that ends inside a code
// point, at stream offset at, where the missing byte should have been
// (R-5.6-text-utf8).
func truncatedText(at int64) *ProtocolError {
	return protocolError(spec.CloseInvalidPayload, "R-5.6-text-utf8", at,
		"text message ends inside a UTF-8 code point")
}
