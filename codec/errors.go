package codec

import (
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
