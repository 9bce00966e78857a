// The receive rules of RFC 6455 section 5 that a frame header alone can
// break, applied in this order, so that a header breaking several rules
// always reports the same one:
//
//  1. the length encoding: top bit of a 64-bit length (R-5.2-len-msb0),
//     then a longer form than needed (R-5.2-len-minimal, unless
//     AllowNonMinimalLength);
//  2. RSV bits no negotiated extension defines (R-5.2-rsv-fail);
//  3. reserved opcodes (R-5.2-opcode-fail);
//  4. extension bits on a control or continuation frame
//     (D-6-rsv1-placement);
//  5. control frames: fragmented (R-5.4-control-unfragmented), then
//     longer than 125 bytes (R-5.5-control-125);
//  6. masking by role (R-5.1-server-rejects-unmasked,
//     R-5.1-client-rejects-masked);
//  7. message order: a continuation with no message in progress
//     (R-5.4-orphan-continuation), a text or binary frame inside one
//     (R-5.4-nested-start);
//  8. limits, all 1009 (R-10.4-limits): the frame's declared length, the
//     message's declared size (for messages no extension transforms) and
//     the number of frames in the message, empty ones included.
//
// Offsets point at the header's first byte for rules about byte 0 (FIN,
// RSV, opcode) and for message-order rules, and at its second byte for
// rules about the mask bit and the length. CheckHeader gives them as
// indices into the header, as ParseHeader does; the Decoder adds the
// stream offset of the header's first byte.
//
// The Decoder applies these rules eagerly, before the header is complete,
// under one condition that keeps its errors independent of the chunking:
// it reports an error for a partial header only when every completion of
// those bytes gives the complete header that same error (code,
// requirement, Offset, Detail). An error is so decided when the rule
// broken depends only on the bytes present and no earlier rule in the
// order, and nothing in the error's details, depends on the bytes
// missing. Concretely:
//
//   - no rule depends on the masking key, so once every byte before it
//     has arrived (2 bytes for a 7-bit length, 4 for a 16-bit one, 10 for
//     a 64-bit one) the Decoder applies all of them as to the complete
//     header: 81 80 fails at once for a client, c1 80 for a server;
//   - with only the first 2 bytes of a header with an extended length,
//     a strict Decoder waits: the length encoding comes first and needs
//     the extended bytes (89 7e may still be a non-minimal 16-bit length,
//     R-5.2-len-minimal, rather than R-5.5-control-125);
//   - a Decoder lenient about non-minimal lengths has no length rule left
//     for a 16-bit length, so after 2 bytes it applies rules 2 to 4 and
//     control fragmentation and, for a data frame, masking and message
//     order; the control frame size and everything after it for a
//     control frame, and the limits, wait for the length. A 64-bit
//     length may still break R-5.2-len-msb0, so it is always awaited.
//
// CheckHeader itself judges complete headers only.
//
// CheckHeader is the only place these rules are written: the Decoder calls
// it for every header, and anything else that judges headers (a test
// server, a conformance fixture) is meant to call it too.

package codec

import (
	"strconv"

	"github.com/wskit/wskit/spec"
)

// A HeaderState is what the header rules need to know besides the header:
// the receiving endpoint's role, what was negotiated, the data message in
// progress and the limits.
//
// Only Role is required. The zero values of the other fields mean no
// extension, no message in progress, the Decoder's default limits and a
// strict length encoding, so a receiver that tracks nothing but whether a
// data message is in progress fills in Role and InMessage only.
type HeaderState struct {
	// Role is the role of the endpoint receiving the header: RoleServer
	// expects masked frames (R-5.1-server-rejects-unmasked), RoleClient
	// unmasked ones (R-5.1-client-rejects-masked). Required.
	Role Role

	// ExtensionRsv is the set of RSV bits a negotiated extension defines,
	// as Extension.Rsv returns them (Rsv1 for permessage-deflate), or 0
	// when no extension was negotiated (R-5.2-rsv-fail).
	ExtensionRsv uint8

	// InMessage is true when the first frame of a data message has been
	// received and its final frame has not.
	InMessage bool
	// MessageTransformed is true when the message in progress is one the
	// extension transforms: its first frame set ExtensionRsv bits. Its
	// declared size is then not limited here, since MaxMessage applies to
	// the bytes the extension produces (see DecoderOptions.MaxMessage).
	MessageTransformed bool
	// MessageLength is the sum of the payload lengths the frames of the
	// message in progress declared. It is ignored when MessageTransformed
	// is true.
	MessageLength uint64
	// MessageFragments is the number of frames of the message in
	// progress, empty ones included.
	MessageFragments int

	// MaxFramePayload, MaxMessage and MaxFragments are the limits of
	// DecoderOptions (R-10.4-limits), with the same meaning; 0 means the
	// default (DefaultMaxFramePayload, DefaultMaxMessage,
	// DefaultMaxFragments). MaxFragments must not be negative.
	MaxFramePayload uint64
	MaxMessage      uint64
	MaxFragments    int

	// AllowNonMinimalLength accepts a payload length written in a longer
	// form than needed (R-5.2-len-minimal), as in DecoderOptions.
	AllowNonMinimalLength bool
}

// CheckHeader applies the receive rules of RFC 6455 section 5 (and the
// RSV1 placement rule of RFC 7692 section 6) that a frame header alone
// decides, given what st says about the receiving endpoint, and returns
// the first rule h breaks, in the Decoder's fixed order: length encoding
// (R-5.2-len-msb0, R-5.2-len-minimal), RSV bits (R-5.2-rsv-fail), reserved
// opcodes (R-5.2-opcode-fail), extension bits on a control or continuation
// frame (D-6-rsv1-placement), control frame fragmentation and size
// (R-5.4-control-unfragmented, R-5.5-control-125), masking by role
// (R-5.1-server-rejects-unmasked, R-5.1-client-rejects-masked), message
// order (R-5.4-orphan-continuation, R-5.4-nested-start) and limits
// (R-10.4-limits). It is the check the Decoder applies to every header.
//
// parseErr is the error ParseHeader returned together with h, or nil.
// CheckHeader returns it unchanged, as the first rule broken, unless it is
// a non-minimal length (R-5.2-len-minimal) and st.AllowNonMinimalLength is
// set.
//
// Every other violation is a new *ProtocolError with the close code the
// Decoder would send (1002, or 1009 for a limit) and an Offset that is an
// index into the header's bytes, as for ParseHeader: 0 for rules about the
// first byte and message order, 1 for rules about the mask bit and the
// length. The Decoder reports the same error with the stream offset of
// the header's first byte added. CheckHeader does not allocate unless it
// returns a new error.
//
// CheckHeader updates nothing: after a header that passes, the caller
// records the frame in its own state (a text or binary frame without FIN
// starts a message, a continuation with FIN ends it).
//
// CheckHeader panics if st.Role is neither RoleServer nor RoleClient or
// st.MaxFragments is negative: those are mistakes of the caller, not of
// the peer.
func CheckHeader(h Header, parseErr error, st HeaderState) error {
	return checkHeader(&h, parseErr, &st)
}

// checkHeader is CheckHeader, the one implementation of the header rules,
// with its arguments passed by reference. The Decoder calls it directly:
// passing its HeaderState and the header that ParseHeader has just stored
// byte by byte as values, through CheckHeader, made decoding 16-byte
// frames about 3% slower.
func checkHeader(h *Header, parseErr error, st *HeaderState) error {
	if !st.Role.valid() || st.MaxFragments < 0 {
		panic("codec: CheckHeader with HeaderState.Role " + st.Role.String() +
			" and MaxFragments " + strconv.Itoa(st.MaxFragments) + "; want RoleServer or RoleClient and MaxFragments >= 0")
	}
	if parseErr != nil {
		pe, ok := parseErr.(*ProtocolError)
		if !ok || pe.Requirement != "R-5.2-len-minimal" || !st.AllowNonMinimalLength {
			return parseErr
		}
	}
	// RFC 6455 section 5.2: "If a nonzero value is received and none of
	// the negotiated extensions defines the meaning of such a nonzero
	// value, the receiving endpoint MUST _Fail the WebSocket
	// Connection_."
	if h.Rsv&^st.ExtensionRsv != 0 {
		return protocolError(spec.CloseProtocolError, "R-5.2-rsv-fail", 0,
			"RSV bits "+strconv.Itoa(int(h.Rsv))+" set and no negotiated extension defines them")
	}
	// "If an unknown opcode is received, the receiving endpoint MUST
	// _Fail the WebSocket Connection_."
	if h.Opcode.IsReserved() {
		return protocolError(spec.CloseProtocolError, "R-5.2-opcode-fail", 0,
			"reserved opcode "+h.Opcode.String())
	}
	control := h.Opcode.IsControl()
	// RFC 7692 section 6: the "Per-Message Compressed" bit is set only on
	// the first frame of a message; control frames and continuation
	// frames with it set fail the connection.
	if h.Rsv != 0 && (control || h.Opcode == spec.OpContinuation) {
		return protocolError(spec.CloseProtocolError, "D-6-rsv1-placement", 0,
			"extension RSV bits set on a "+h.Opcode.String()+" frame")
	}
	if control {
		// Section 5.5: "Control frames themselves MUST NOT be
		// fragmented." and "All control frames MUST have a payload
		// length of 125 bytes or less".
		if !h.Fin {
			return protocolError(spec.CloseProtocolError, "R-5.4-control-unfragmented", 0,
				"fragmented "+h.Opcode.String()+" frame")
		}
		if h.Length > spec.MaxControlPayload {
			return protocolError(spec.CloseProtocolError, "R-5.5-control-125", 1,
				h.Opcode.String()+" frame with a payload of "+strconv.FormatUint(h.Length, 10)+" bytes")
		}
	}
	// Section 5.1: "The server MUST close the connection upon receiving a
	// frame that is not masked." and "A client MUST close a connection if
	// it detects a masked frame."
	if st.Role == RoleServer && !h.Masked {
		return protocolError(spec.CloseProtocolError, "R-5.1-server-rejects-unmasked", 1,
			"unmasked frame sent to a server")
	}
	if st.Role == RoleClient && h.Masked {
		return protocolError(spec.CloseProtocolError, "R-5.1-client-rejects-masked", 1,
			"masked frame sent to a client")
	}
	if control {
		return nil
	}
	// Section 5.4: a fragmented message is a text or binary frame
	// followed by continuation frames; anything else out of that order
	// fails the connection.
	if h.Opcode == spec.OpContinuation && !st.InMessage {
		return protocolError(spec.CloseProtocolError, "R-5.4-orphan-continuation", 0,
			"continuation frame with no message in progress")
	}
	if h.Opcode != spec.OpContinuation && st.InMessage {
		return protocolError(spec.CloseProtocolError, "R-5.4-nested-start", 0,
			h.Opcode.String()+" frame inside a fragmented message")
	}
	// Section 10.4: "implementations SHOULD impose a limit on frame sizes
	// and the total message size after reassembly from multiple frames";
	// the limits are checked on the declared length, before a byte of
	// payload is read.
	maxFrame, maxMessage, maxFragments := st.MaxFramePayload, st.MaxMessage, st.MaxFragments
	if maxFrame == 0 {
		maxFrame = DefaultMaxFramePayload
	}
	if maxMessage == 0 {
		maxMessage = DefaultMaxMessage
	}
	if maxFragments == 0 {
		maxFragments = DefaultMaxFragments
	}
	if h.Length > maxFrame {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", 1,
			"frame payload of "+strconv.FormatUint(h.Length, 10)+" bytes exceeds the limit of "+strconv.FormatUint(maxFrame, 10))
	}
	var sofar uint64
	fragments := 0
	transformed := h.Rsv != 0
	if h.Opcode == spec.OpContinuation {
		sofar, fragments, transformed = st.MessageLength, st.MessageFragments, st.MessageTransformed
	}
	// sofar > maxMessage never happens in a Decoder, whose earlier
	// frames passed this check; it is tested so that a caller's state
	// cannot wrap the subtraction around.
	if !transformed && (sofar > maxMessage || h.Length > maxMessage-sofar) {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", 1,
			"message of at least "+strconv.FormatUint(sofar+h.Length, 10)+" bytes exceeds the limit of "+strconv.FormatUint(maxMessage, 10))
	}
	if fragments >= maxFragments {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", 0,
			"message of more than "+strconv.Itoa(maxFragments)+" frames")
	}
	return nil
}
