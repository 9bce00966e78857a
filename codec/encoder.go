package codec

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/wskit/wskit/spec"
)

// An Encoder appends well-formed frames for one endpoint: unmasked for a
// server (R-5.1-server-never-masks), masked with a fresh key per frame for
// a client (R-5.1-client-masks, R-5.3-fresh-key). Every method checks
// what the protocol forbids a sender and returns a plain error (see
// ErrControlTooLong and its neighbours) instead of writing a bad frame;
// to build invalid frames on purpose, use AppendHeader and Mask.
//
// The methods follow the append convention of encoding/binary and
// strconv: they append to dst and return the extended slice, and they do
// not allocate when dst has room. The caller's payload is never modified;
// a client's payload is copied into dst and masked there.
//
// An Encoder is not safe for concurrent use.
type Encoder struct {
	role Role
	rand io.Reader
	key  [4]byte
}

// NewEncoder returns an Encoder for role. A client Encoder reads each
// frame's masking key, 4 bytes, from rand; keys must come from a strong
// source of entropy and must not let a server or proxy predict the next
// one (R-5.3-unpredictable-key), so pass crypto/rand.Reader, except in
// tests that need repeatable bytes. A server Encoder never masks and
// ignores rand, which may be nil.
func NewEncoder(role Role, rand io.Reader) (*Encoder, error) {
	if !role.valid() {
		return nil, errors.New("codec: NewEncoder: role is " + role.String() + "; want RoleServer or RoleClient")
	}
	if role == RoleClient && rand == nil {
		return nil, errors.New("codec: NewEncoder: a client needs a source of masking keys; pass crypto/rand.Reader")
	}
	return &Encoder{role: role, rand: rand}, nil
}

// Role returns the role e encodes for.
func (e *Encoder) Role() Role { return e.role }

// AppendFrame appends one frame with the given FIN bit, opcode and
// payload. The opcode must be defined (R-5.2-opcode-fail); a control
// frame must be final and carry at most 125 bytes. AppendFrame does not
// check that data frames form valid messages: a frame may end inside a
// UTF-8 code point, and the order of text, binary and continuation frames
// is the caller's business (Conn.SendFrame checks it).
//
// A client's frame is masked with a new key read from the Encoder's
// source; an error reading it is returned wrapped, with dst unchanged.
func (e *Encoder) AppendFrame(dst []byte, fin bool, op spec.Opcode, payload []byte) ([]byte, error) {
	if op > 0xF || op.IsReserved() {
		return dst, ErrReservedOpcode
	}
	if op.IsControl() {
		if !fin {
			return dst, ErrControlFragmented
		}
		if len(payload) > spec.MaxControlPayload {
			return dst, ErrControlTooLong
		}
	}
	return e.appendFrame(dst, fin, op, payload)
}

// appendFrame appends a frame that has passed the checks.
func (e *Encoder) appendFrame(dst []byte, fin bool, op spec.Opcode, payload []byte) ([]byte, error) {
	return e.appendFrameRsv(dst, fin, 0, op, payload)
}

// appendFrameRsv appends a frame with RSV bits that has passed the checks.
func (e *Encoder) appendFrameRsv(dst []byte, fin bool, rsv uint8, op spec.Opcode, payload []byte) ([]byte, error) {
	h := Header{Fin: fin, Rsv: rsv, Opcode: op, Length: uint64(len(payload))}
	if e.role == RoleClient {
		// R-5.1-client-masks, R-6.1-client-mask, R-5.5.1-close-masked:
		// every client frame is masked. R-5.3-fresh-key: a new key for
		// every frame, never reused.
		if _, err := io.ReadFull(e.rand, e.key[:]); err != nil {
			return dst, &maskKeyError{err}
		}
		h.Masked = true
		h.Key = e.key
	}
	dst = AppendHeader(dst, h)
	// R-10.3-freeze-payload: the payload is copied; later changes to the
	// caller's buffer cannot reach this frame.
	if len(payload) <= copyChunk {
		start := len(dst)
		dst = append(dst, payload...)
		if h.Masked {
			Mask(h.Key, 0, dst[start:])
		}
		return dst, nil
	}
	// Copy (and mask) a piece at a time: a single copy of a large
	// payload bypasses the cache (memmove's non-temporal stores from
	// about 1 MiB on), so masking it afterwards, or writing it to the
	// transport, would read it back from memory; in pieces, each is
	// masked while it is in the cache, and the frame stays there.
	dst = slices.Grow(dst, len(payload))
	pos := 0
	for len(payload) > 0 {
		k := min(len(payload), copyChunk)
		start := len(dst)
		dst = append(dst, payload[:k]...)
		if h.Masked {
			pos = Mask(h.Key, pos, dst[start:])
		}
		payload = payload[k:]
	}
	return dst, nil
}

// copyChunk is the piece in which the Encoder copies, and masks, a large
// payload.
const copyChunk = 16 << 10

// AppendMessage appends a whole data message. op must be spec.OpText or
// spec.OpBinary; a text payload must be valid UTF-8 (R-5.6-text-utf8),
// otherwise ErrTextNotUTF8 is returned and nothing is appended.
//
// If fragmentSize is positive and the payload is longer, the message is
// sent as frames of fragmentSize bytes, the first with op and FIN=0, the
// rest as continuations, the last with FIN=1 and the remainder (never an
// empty frame: a payload that is an exact multiple of fragmentSize ends
// with a full frame). Otherwise it is one frame. Fragments may split a
// UTF-8 code point (R-5.6-text-utf8 allows it).
func (e *Encoder) AppendMessage(dst []byte, op spec.Opcode, payload []byte, fragmentSize int) ([]byte, error) {
	if op != spec.OpText && op != spec.OpBinary {
		return dst, ErrReservedOpcode
	}
	if op == spec.OpText && !utf8.Valid(payload) {
		return dst, ErrTextNotUTF8
	}
	if fragmentSize <= 0 || len(payload) <= fragmentSize {
		return e.appendFrame(dst, true, op, payload)
	}
	orig := len(dst)
	for len(payload) > 0 {
		n := min(fragmentSize, len(payload))
		var err error
		dst, err = e.appendFrame(dst, n == len(payload), op, payload[:n])
		if err != nil {
			return dst[:orig], err
		}
		payload = payload[n:]
		op = spec.OpContinuation
	}
	return dst, nil
}

// AppendPing appends a Ping frame carrying payload, at most 125 bytes.
func (e *Encoder) AppendPing(dst []byte, payload []byte) ([]byte, error) {
	return e.AppendFrame(dst, true, spec.OpPing, payload)
}

// AppendPong appends a Pong frame carrying payload, at most 125 bytes. A
// Pong that answers a Ping carries the Ping's payload unchanged
// (R-5.5.3-pong-echo).
func (e *Encoder) AppendPong(dst []byte, payload []byte) ([]byte, error) {
	return e.AppendFrame(dst, true, spec.OpPong, payload)
}

// AppendClose appends a Close frame with code and reason. The code must be
// one that may be sent (spec.CloseCode.IsSendable; never 1005, 1006 or
// 1015: R-7.4.1-reserved-never-sent) and the reason at most 123 bytes of
// UTF-8. The one exception is spec.CloseNoStatus with an empty reason,
// which asks for a Close with an empty body.
func (e *Encoder) AppendClose(dst []byte, code spec.CloseCode, reason string) ([]byte, error) {
	if err := checkCloseBody(code, reason); err != nil {
		return dst, err
	}
	// Build the body in place after the longest possible header, then
	// move it: the body is at most 125 bytes, and this keeps AppendClose
	// free of allocations.
	var body [spec.MaxControlPayload]byte
	return e.appendFrame(dst, true, spec.OpClose, appendCloseBody(body[:0], code, reason))
}

// AppendFrameHeader appends the header of one frame with the given FIN
// bit, opcode and payload length, without the payload, and returns the
// extended slice with the frame's Masker. The checks are AppendFrame's;
// a client's frame gets a new key read from the Encoder's source, as in
// AppendFrame.
//
// The frame is the header followed by the payload through the Masker:
// for a server (m.Masked false) the payload itself, unchanged, so a large
// payload can go to the transport straight from the caller's buffer with
// no copy (as net.Buffers{header, payload}, which uses writev on a TCP
// connection); for a client the payload masked with m.AppendPayload, in
// pieces of any size, so that it can go out through a bounded buffer.
// WriteFrame does all of this for an io.Writer. The payload must be
// exactly length bytes: the header declares them.
func (e *Encoder) AppendFrameHeader(dst []byte, fin bool, op spec.Opcode, length int) ([]byte, Masker, error) {
	if op > 0xF || op.IsReserved() {
		return dst, Masker{}, ErrReservedOpcode
	}
	if op.IsControl() {
		if !fin {
			return dst, Masker{}, ErrControlFragmented
		}
		if length > spec.MaxControlPayload {
			return dst, Masker{}, ErrControlTooLong
		}
	}
	h := Header{Fin: fin, Opcode: op, Length: uint64(max(length, 0))}
	if e.role == RoleClient {
		// R-5.1-client-masks, R-5.3-fresh-key, as in appendFrameRsv.
		if _, err := io.ReadFull(e.rand, e.key[:]); err != nil {
			return dst, Masker{}, &maskKeyError{err}
		}
		h.Masked = true
		h.Key = e.key
	}
	return AppendHeader(dst, h), Masker{key: h.Key, masked: h.Masked}, nil
}

// A Masker masks the payload of one frame whose header
// Encoder.AppendFrameHeader wrote, as it goes out in pieces: it keeps the
// frame's key and the key offset reached. A server's Masker, and the zero
// Masker, leave the payload as it is.
type Masker struct {
	key    [4]byte
	pos    int
	masked bool
}

// Masked reports whether the frame's payload is masked (a client's frame):
// then it must go out through AppendPayload. Otherwise it goes out as it
// is.
func (m *Masker) Masked() bool { return m.masked }

// AppendPayload appends p, the next bytes of the frame's payload, to dst,
// masked if the frame is, and returns the extended slice. p is not
// modified.
func (m *Masker) AppendPayload(dst, p []byte) []byte {
	start := len(dst)
	dst = append(dst, p...)
	if m.masked {
		m.pos = Mask(m.key, m.pos, dst[start:])
	}
	return dst
}

// headPiece is how much of a large server frame's payload WriteFrame
// writes from scratch, after the header.
const headPiece = 4 << 10

// minScratch is the smallest scratch buffer WriteFrame takes.
const minScratch = 64

// WriteFrame writes one frame with the given FIN bit, opcode and payload
// to w, with the checks of AppendFrame, without copying the payload whole:
//
//   - a server's frame whose header and payload fit in scratch is copied
//     there and written with one Write; a larger one is written as two,
//     the header with the payload's first 4 KiB (or what fits) from
//     scratch, and then the rest of the payload itself, never copied;
//   - a client's frame goes out through scratch: the header and the first
//     bytes of payload masked into it, one Write, then the rest masked
//     into it piece by piece, one Write each, so that masking a payload of
//     any size takes no more memory than scratch (16-64 KiB is a good
//     size: the pieces stay in the processor's cache).
//
// scratch is used from its start up to its capacity, and must have room
// for at least 64 bytes: WriteFrame panics otherwise. The payload is not
// modified. WriteFrame returns the first error of w, or an error of the
// Encoder (then nothing was written); after an error of w, the peer may
// have received part of the frame, so the connection cannot go on.
func (e *Encoder) WriteFrame(w io.Writer, scratch []byte, fin bool, op spec.Opcode, payload []byte) error {
	scratch = scratch[:0:cap(scratch)]
	if cap(scratch) < minScratch {
		panic("codec: WriteFrame with a scratch buffer of " + strconv.Itoa(cap(scratch)) + " bytes; want at least 64")
	}
	buf, m, err := e.AppendFrameHeader(scratch, fin, op, len(payload))
	if err != nil {
		return err
	}
	if !m.masked {
		if len(buf)+len(payload) <= cap(buf) {
			_, err := w.Write(append(buf, payload...))
			return err
		}
		// The header goes out with the first bytes of payload rather
		// than alone: headPiece bytes, or what fits, in a multiple of 64
		// so that the rest starts as aligned as the payload does
		// (copying from a misaligned source is slower).
		k := min(headPiece, cap(buf)-len(buf)) &^ 63
		if _, err := w.Write(append(buf, payload[:k]...)); err != nil {
			return err
		}
		_, err := w.Write(payload[k:])
		return err
	}
	for {
		k := cap(buf) - len(buf)
		if k >= 64 && k < len(payload) {
			k &^= 63 // keep the next piece's start aligned, as above
		}
		k = min(k, len(payload))
		buf = m.AppendPayload(buf, payload[:k])
		payload = payload[k:]
		if _, err := w.Write(buf); err != nil {
			return err
		}
		if len(payload) == 0 {
			return nil
		}
		buf = scratch
	}
}

// maskKeyError wraps a failure to read a masking key.
type maskKeyError struct{ err error }

func (e *maskKeyError) Error() string { return "codec: reading a masking key: " + e.err.Error() }
func (e *maskKeyError) Unwrap() error { return e.err }
