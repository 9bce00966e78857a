package codec

import (
	"errors"
	"strconv"

	"github.com/wskit/wskit/spec"
)

// A ProtocolError reports bytes received from the peer that break a rule of
// RFC 6455 or RFC 7692. Code is what belongs in the Close frame that fails
// the connection: 1002 for framing violations, 1007 for invalid UTF-8, 1009
// for data beyond a configured limit. Requirement names the rule broken.
//
// Caller mistakes, such as asking the encoder for an over-long close reason,
// are never ProtocolErrors: only the peer gets one.
type ProtocolError struct {
	// Code is the close code for the failing Close frame.
	Code spec.CloseCode
	// Requirement is the ID of the rule broken, such as "R-5.2-len-msb0".
	Requirement string
	// Offset is the position of the offending byte. For errors from
	// ParseHeader it is an index into the slice parsed; the Decoder reports
	// offsets from the start of the stream it was fed. It is -1 when no
	// single byte is to blame.
	Offset int64
	// Detail says what was wrong, for people. Tests compare Code and
	// Requirement, not Detail.
	Detail string
}

// Error returns a message such as
// "websocket: protocol error: close 1002 (R-5.2-len-msb0) at offset 2: 64-bit payload length has its most significant bit set".
func (e *ProtocolError) Error() string {
	s := "websocket: protocol error: close " + strconv.Itoa(int(e.Code)) + " (" + e.Requirement + ")"
	if e.Offset >= 0 {
		s += " at offset " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is reports whether target is a *ProtocolError with the same Code and,
// when target's Requirement is not empty, the same Requirement. Offset and
// Detail are ignored, so
//
//	errors.Is(err, &codec.ProtocolError{Code: spec.CloseInvalidPayload})
//
// asks whether err fails the connection with 1007.
func (e *ProtocolError) Is(target error) bool {
	t, ok := target.(*ProtocolError)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Requirement == "" || t.Requirement == e.Requirement)
}

func protocolError(code spec.CloseCode, requirement string, offset int64, detail string) *ProtocolError {
	return &ProtocolError{Code: code, Requirement: requirement, Offset: offset, Detail: detail}
}

// Errors for caller mistakes: asking the Encoder or a Conn for something
// the protocol forbids an endpoint to send. They are plain errors, never
// *ProtocolError, and are compared with errors.Is.
var (
	// ErrReservedOpcode: the opcode is reserved or not a frame type
	// (R-5.2-opcode-fail), or not one the method can send.
	ErrReservedOpcode = errors.New("codec: opcode is reserved or not allowed here")
	// ErrControlTooLong: a control frame payload over 125 bytes
	// (R-5.5-control-125).
	ErrControlTooLong = errors.New("codec: control frame payload over 125 bytes")
	// ErrControlFragmented: a control frame without FIN
	// (R-5.4-control-unfragmented).
	ErrControlFragmented = errors.New("codec: control frames cannot be fragmented")
	// ErrCloseCode: a close code that may not appear on the wire, such as
	// 1005, 1006 or 1015 (R-7.4.1-reserved-never-sent).
	ErrCloseCode = errors.New("codec: close code may not be sent")
	// ErrReasonTooLong: a close reason over 123 bytes (R-5.5.1-close-body).
	ErrReasonTooLong = errors.New("codec: close reason over 123 bytes")
	// ErrReasonNotUTF8: a close reason that is not UTF-8
	// (R-5.5.1-reason-utf8).
	ErrReasonNotUTF8 = errors.New("codec: close reason is not UTF-8")
	// ErrTextNotUTF8: a text message that is not UTF-8 (R-5.6-text-utf8).
	ErrTextNotUTF8 = errors.New("codec: text message is not UTF-8")
	// ErrFrameOrder: a continuation frame with no message in progress, or
	// a new message before the last one was finished (R-5.4-no-interleave).
	ErrFrameOrder = errors.New("codec: data frame out of order")
	// ErrCloseSent: data after our Close (R-5.5.1-no-data-after-close), or
	// a second Close.
	ErrCloseSent = errors.New("codec: a Close frame has already been sent")
	// ErrRsvNotAllowed: RSV bits on a control or continuation frame, or
	// bits other than Rsv1, Rsv2 and Rsv3 (D-6-rsv1-placement).
	ErrRsvNotAllowed = errors.New("codec: RSV bits are allowed only on the first frame of a data message")
	// ErrClosed: the connection is closed; nothing more can be sent.
	ErrClosed = errors.New("codec: connection closed")
)
