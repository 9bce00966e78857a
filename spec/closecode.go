package spec

import "strconv"

// A CloseCode is the status code carried in the first two bytes of a Close
// frame's body (RFC 6455 section 7.4), or reported by an API when no code
// was received.
type CloseCode uint16

// Close codes defined by RFC 6455 section 7.4.1 and later added to the IANA
// "WebSocket Close Code Number Registry" (1012-1014).
const (
	CloseNormal             CloseCode = 1000 // normal closure
	CloseGoingAway          CloseCode = 1001 // endpoint going away
	CloseProtocolError      CloseCode = 1002 // protocol error
	CloseUnsupportedData    CloseCode = 1003 // data type cannot be accepted
	CloseReserved1004       CloseCode = 1004 // reserved; meaning may be defined later
	CloseNoStatus           CloseCode = 1005 // API only: no code was present
	CloseAbnormal           CloseCode = 1006 // API only: closed without a Close frame
	CloseInvalidPayload     CloseCode = 1007 // data inconsistent with the message type (bad UTF-8)
	ClosePolicyViolation    CloseCode = 1008 // policy violation
	CloseMessageTooBig      CloseCode = 1009 // message too big to process
	CloseMandatoryExtension CloseCode = 1010 // client expected an extension the server did not negotiate
	CloseInternalError      CloseCode = 1011 // unexpected condition
	CloseServiceRestart     CloseCode = 1012 // service restart (IANA)
	CloseTryAgainLater      CloseCode = 1013 // try again later (IANA)
	CloseBadGateway         CloseCode = 1014 // bad gateway (IANA)
	CloseTLSHandshake       CloseCode = 1015 // API only: TLS handshake failure
)

// A CloseClass groups close codes by how RFC 6455 section 7.4 and the IANA
// registry allow them to be used.
type CloseClass uint8

// The close-code classes, in the order they appear in the code space.
const (
	ClassUnused     CloseClass = iota // 0-999: not used
	ClassDefined                      // 1000-1003, 1007-1014: defined, valid on the wire
	ClassReserved                     // 1004: reserved, never sent
	ClassLocalOnly                    // 1005, 1006, 1015: API values, never on the wire
	ClassUnassigned                   // 1016-2999: reserved for the protocol, unassigned
	ClassRegistered                   // 3000-3999: registered with IANA for libraries and frameworks
	ClassPrivate                      // 4000-4999: private use by agreement
	ClassOutOfRange                   // 5000-65535: outside the registry
)

var closeClassNames = [...]string{
	ClassUnused:     "unused",
	ClassDefined:    "defined",
	ClassReserved:   "reserved",
	ClassLocalOnly:  "local-only",
	ClassUnassigned: "unassigned",
	ClassRegistered: "registered",
	ClassPrivate:    "private",
	ClassOutOfRange: "out-of-range",
}

// String returns the class name, such as "local-only".
func (c CloseClass) String() string {
	if int(c) < len(closeClassNames) {
		return closeClassNames[c]
	}
	return "CloseClass(" + strconv.Itoa(int(c)) + ")"
}

// closeRanges partitions the whole uint16 code space, row by row as RFC
// 6455 section 7.4 and the IANA registry describe it. TestCloseRanges checks
// that the rows are contiguous, ordered and cover 0-65535.
var closeRanges = [...]struct {
	lo, hi CloseCode
	class  CloseClass
}{
	{0, 999, ClassUnused},
	{1000, 1003, ClassDefined},
	{1004, 1004, ClassReserved},
	{1005, 1006, ClassLocalOnly},
	{1007, 1014, ClassDefined},
	{1015, 1015, ClassLocalOnly},
	{1016, 2999, ClassUnassigned},
	{3000, 3999, ClassRegistered},
	{4000, 4999, ClassPrivate},
	{5000, 65535, ClassOutOfRange},
}

// Class returns the class c belongs to.
func (c CloseCode) Class() CloseClass {
	for _, r := range closeRanges {
		if c <= r.hi {
			return r.class
		}
	}
	return ClassOutOfRange // unreachable: the last row ends at 65535
}

// IsValidReceived reports whether a Close frame carrying c is acceptable to
// a receiver: a defined code (1000-1003, 1007-1014) or one from the
// registered or private ranges (3000-4999). Any other code in a received
// Close frame fails the connection with 1002 (R-7.4-invalid-recv).
//
// 1012-1014 were assigned by IANA after RFC 6455 and are valid. Codes of
// 5000 and above are outside the registry; wskit treats them as invalid.
func (c CloseCode) IsValidReceived() bool {
	switch c.Class() {
	case ClassDefined, ClassRegistered, ClassPrivate:
		return true
	}
	return false
}

// IsSendable reports whether an endpoint may put c in a Close frame it
// sends. 1005, 1006 and 1015 never appear on the wire
// (R-7.4.1-reserved-never-sent), and neither do reserved, unassigned,
// unused or out-of-range codes.
//
// The sendable set equals the set accepted by IsValidReceived; the two
// predicates are kept apart because they answer different questions (what
// the encoder may write, what the decoder must reject), and a test pins
// their agreement.
func (c CloseCode) IsSendable() bool {
	switch c.Class() {
	case ClassDefined, ClassRegistered, ClassPrivate:
		return true
	}
	return false
}

var closeCodeNames = map[CloseCode]string{
	CloseNormal:             "normal closure",
	CloseGoingAway:          "going away",
	CloseProtocolError:      "protocol error",
	CloseUnsupportedData:    "unsupported data",
	CloseReserved1004:       "reserved",
	CloseNoStatus:           "no status received",
	CloseAbnormal:           "abnormal closure",
	CloseInvalidPayload:     "invalid frame payload data",
	ClosePolicyViolation:    "policy violation",
	CloseMessageTooBig:      "message too big",
	CloseMandatoryExtension: "mandatory extension",
	CloseInternalError:      "internal error",
	CloseServiceRestart:     "service restart",
	CloseTryAgainLater:      "try again later",
	CloseBadGateway:         "bad gateway",
	CloseTLSHandshake:       "TLS handshake",
}

// String returns the code and its registry name, such as
// "1002 (protocol error)", or the code and its class for codes without a
// name, such as "3000 (registered)".
func (c CloseCode) String() string {
	n := closeCodeNames[c]
	if n == "" {
		n = c.Class().String()
	}
	return strconv.Itoa(int(c)) + " (" + n + ")"
}
