package codec

import (
	"unicode/utf8"

	"github.com/wskit/wskit/spec"
)

// A SendExtension is the sending half of a negotiated extension that
// transforms the payload of data messages and marks them with RSV bits,
// as permessage-deflate (RFC 7692) compresses them and sets RSV1. It is
// the counterpart of Extension, which undoes the transformation on the
// receiving side; Conn uses one when ConnOptions.SendExtension is set.
//
// Every data message a Conn sends with a SendExtension is transformed:
// its first frame carries the extension's RSV bits, its continuation
// frames and all control frames carry none (D-6-rsv1-placement,
// D-6-data-only), and its opcode stays text or binary (D-6-opcode). Text
// is checked for UTF-8 before the transformation (D-6-utf8-after).
//
// A SendExtension belongs to one direction of one connection and keeps
// any state it needs between messages (such as a compression window); it
// is called only from Conn methods, in the caller's goroutine.
type SendExtension interface {
	// Rsv returns the RSV bits the extension sets on the first frame of
	// a transformed message, as a combination of Rsv1, Rsv2 and Rsv3. It
	// must return the same non-zero value on every call.
	Rsv() uint8

	// TransformMessage reports whether a whole message of size bytes,
	// sent with Conn.SendMessage, is to be transformed; false sends it
	// as it is, without RSV bits (D-6-optional), for example because it
	// is too small to gain from compression. Messages streamed with
	// Conn.SendFrame are always transformed.
	TransformMessage(size int) bool

	// AppendTransform appends to dst the transformed form of p, the next
	// piece of the payload of the message being sent, and returns the
	// extended slice. final is true for the last piece of the message (p
	// may then be empty); the next call after it belongs to a new
	// message. Each piece becomes the payload of one frame, so the
	// output of each call must be meaningful to the peer on its own
	// frame boundaries. p must not be modified or retained.
	AppendTransform(dst, p []byte, final bool) ([]byte, error)

	// Reset discards the state of any message in progress and any state
	// kept between messages. Conn.Reset calls it.
	Reset()
}

// AppendFrameRsv appends one frame like AppendFrame, with the RSV bits
// rsv set (a combination of Rsv1, Rsv2 and Rsv3). RSV bits mean something
// only when an extension defines them (R-5.2-rsv-fail), and the
// extensions codec knows put them on the first frame of a data message
// only (D-6-rsv1-placement): AppendFrameRsv refuses them on control and
// continuation frames with ErrRsvNotAllowed. With rsv zero it is
// AppendFrame. The payload is written as given: it is the caller's (or a
// SendExtension's) transformed payload.
func (e *Encoder) AppendFrameRsv(dst []byte, fin bool, rsv uint8, op spec.Opcode, payload []byte) ([]byte, error) {
	if rsv&^(Rsv1|Rsv2|Rsv3) != 0 || rsv != 0 && (op.IsControl() || op == spec.OpContinuation) {
		return dst, ErrRsvNotAllowed
	}
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
	return e.appendFrameRsv(dst, fin, rsv, op, payload)
}

// sendTransformed sends a whole data message through the SendExtension:
// the transformed payload, fragmented at FragmentSize, RSV bits on the
// first frame.
func (c *Conn) sendTransformed(op spec.Opcode, payload []byte) ([]byte, error) {
	if op != spec.OpText && op != spec.OpBinary {
		return nil, ErrReservedOpcode
	}
	if op == spec.OpText && !utf8.Valid(payload) {
		return nil, ErrTextNotUTF8
	}
	if !c.sendExt.TransformMessage(len(payload)) {
		out, err := c.enc.AppendMessage(c.out, op, payload, c.fragmentSize)
		c.out = out
		if err != nil {
			return nil, err
		}
		return c.take(), nil
	}
	return c.transformMessage(op, payload)
}

// transformMessage sends a whole data message, checked and accepted by
// TransformMessage, through the SendExtension.
func (c *Conn) transformMessage(op spec.Opcode, payload []byte) ([]byte, error) {
	var err error
	c.scratch, err = c.sendExt.AppendTransform(c.scratch[:0], payload, true)
	if err != nil {
		return nil, c.sendExtFailed(err)
	}
	data := c.scratch
	rsv := c.sendExt.Rsv()
	orig := len(c.out)
	for first := true; first || len(data) > 0; first = false {
		n := len(data)
		if c.fragmentSize > 0 && n > c.fragmentSize {
			n = c.fragmentSize
		}
		c.out, err = c.enc.appendFrameRsv(c.out, n == len(data), rsv, op, data[:n])
		if err != nil {
			c.out = c.out[:orig]
			return nil, err
		}
		data = data[n:]
		op, rsv = spec.OpContinuation, 0
	}
	return c.take(), nil
}

// sendTransformedFrame sends one frame of a streamed message through the
// SendExtension.
func (c *Conn) sendTransformedFrame(fin bool, op spec.Opcode, payload []byte) ([]byte, error) {
	var err error
	c.scratch, err = c.sendExt.AppendTransform(c.scratch[:0], payload, fin)
	if err != nil {
		return nil, c.sendExtFailed(err)
	}
	var rsv uint8
	if op != spec.OpContinuation {
		rsv = c.sendExt.Rsv()
	}
	out, err := c.enc.appendFrameRsv(c.out, fin, rsv, op, c.scratch)
	c.out = out
	if err != nil {
		return nil, err
	}
	c.sending = !fin
	return c.take(), nil
}

// sendExtFailed records a SendExtension's failure: its state is unknown
// after it, so the connection fails with 1011.
func (c *Conn) sendExtFailed(err error) error {
	err = &sendExtensionError{err}
	c.fail(err)
	return err
}

// sendExtensionError wraps a failure of a SendExtension.
type sendExtensionError struct{ err error }

func (e *sendExtensionError) Error() string { return "codec: send extension: " + e.err.Error() }
func (e *sendExtensionError) Unwrap() error { return e.err }
