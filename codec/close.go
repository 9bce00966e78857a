// Wire layout of a Close frame's body (RFC 6455 section 5.5.1):
//
//	empty                     no status code (reported as 1005, never sent)
//	code (2 bytes, big-endian) [reason (0-123 bytes of UTF-8)]
//
// A 1-byte body is malformed. The reason is limited to 123 bytes because a
// control frame carries at most 125; a longer reason cannot reach the
// body parser, since the frame already breaks R-5.5-control-125.

package codec

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/wskit/wskit/spec"
)

// parseCloseBody splits a received Close body, whose first byte is at
// stream offset at, into its code and reason, applying the receive rules:
// no 1-byte body (R-5.5.1-close-body), a code valid on the wire
// (R-7.4-invalid-recv) and a UTF-8 reason (R-5.5.1-reason-utf8, failing
// with 1007 as section 8.1 asks). An empty body gives spec.CloseNoStatus.
// reason aliases body.
func parseCloseBody(body []byte, at int64) (code spec.CloseCode, reason []byte, err error) {
	switch len(body) {
	case 0:
		return spec.CloseNoStatus, body, nil
	case 1:
		return 0, nil, protocolError(spec.CloseProtocolError, "R-5.5.1-close-body", at,
			"close frame with a 1-byte body")
	}
	code = spec.CloseCode(binary.BigEndian.Uint16(body))
	if !code.IsValidReceived() {
		return 0, nil, protocolError(spec.CloseProtocolError, "R-7.4-invalid-recv", at,
			"close code "+code.String()+" is not valid on the wire")
	}
	reason = body[2:]
	var v UTF8Validator
	if i, err := v.Write(reason); err != nil {
		return 0, nil, protocolError(spec.CloseInvalidPayload, "R-5.5.1-reason-utf8", at+2+int64(i),
			"close reason is not UTF-8")
	}
	if v.Incomplete() {
		return 0, nil, protocolError(spec.CloseInvalidPayload, "R-5.5.1-reason-utf8", at+int64(len(body)),
			"close reason ends inside a UTF-8 code point")
	}
	return code, reason, nil
}

// checkCloseBody applies the send-side rules to a Close the caller asks
// for: code sendable (R-7.4.1-reserved-never-sent), reason at most 123
// bytes of UTF-8. spec.CloseNoStatus with an empty reason asks for an
// empty body.
func checkCloseBody(code spec.CloseCode, reason string) error {
	if code == spec.CloseNoStatus && reason == "" {
		return nil
	}
	if !code.IsSendable() {
		return ErrCloseCode
	}
	if len(reason) > spec.MaxCloseReason {
		return ErrReasonTooLong
	}
	if !utf8.ValidString(reason) {
		return ErrReasonNotUTF8
	}
	return nil
}

// appendCloseBody appends the body of a Close with code and reason, which
// checkCloseBody accepted: nothing for spec.CloseNoStatus, otherwise the
// 2-byte code and the reason.
func appendCloseBody(dst []byte, code spec.CloseCode, reason string) []byte {
	if code == spec.CloseNoStatus && reason == "" {
		return dst
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(code))
	return append(dst, reason...)
}
