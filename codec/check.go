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
// rules about the mask bit and the length.

package codec

import (
	"errors"
	"strconv"

	"github.com/wskit/wskit/spec"
)

// checkHeader applies the header rules to d.h, the header that starts at
// stream offset d.frameOff, given the error ParseHeader returned for it.
func (d *Decoder) checkHeader(perr error) error {
	h := &d.h
	at := d.frameOff
	if perr != nil {
		var pe *ProtocolError
		if !errors.As(perr, &pe) {
			return perr // ParseHeader returns only *ProtocolError
		}
		if pe.Requirement != "R-5.2-len-minimal" || !d.allowNonMinimal {
			pe.Offset += at // ParseHeader's error is new on every call: rebase it in place
			return pe
		}
	}
	var extBits uint8
	if d.ext != nil {
		extBits = d.extBits
	}
	// RFC 6455 section 5.2: "If a nonzero value is received and none of
	// the negotiated extensions defines the meaning of such a nonzero
	// value, the receiving endpoint MUST _Fail the WebSocket
	// Connection_."
	if h.Rsv&^extBits != 0 {
		return protocolError(spec.CloseProtocolError, "R-5.2-rsv-fail", at,
			"RSV bits "+strconv.Itoa(int(h.Rsv))+" set and no negotiated extension defines them")
	}
	// "If an unknown opcode is received, the receiving endpoint MUST
	// _Fail the WebSocket Connection_."
	if h.Opcode.IsReserved() {
		return protocolError(spec.CloseProtocolError, "R-5.2-opcode-fail", at,
			"reserved opcode "+h.Opcode.String())
	}
	control := h.Opcode.IsControl()
	// RFC 7692 section 6: the "Per-Message Compressed" bit is set only on
	// the first frame of a message; control frames and continuation
	// frames with it set fail the connection.
	if h.Rsv != 0 && (control || h.Opcode == spec.OpContinuation) {
		return protocolError(spec.CloseProtocolError, "D-6-rsv1-placement", at,
			"extension RSV bits set on a "+h.Opcode.String()+" frame")
	}
	if control {
		// Section 5.5: "Control frames themselves MUST NOT be
		// fragmented." and "All control frames MUST have a payload
		// length of 125 bytes or less".
		if !h.Fin {
			return protocolError(spec.CloseProtocolError, "R-5.4-control-unfragmented", at,
				"fragmented "+h.Opcode.String()+" frame")
		}
		if h.Length > spec.MaxControlPayload {
			return protocolError(spec.CloseProtocolError, "R-5.5-control-125", at+1,
				h.Opcode.String()+" frame with a payload of "+strconv.FormatUint(h.Length, 10)+" bytes")
		}
	}
	// Section 5.1: "The server MUST close the connection upon receiving a
	// frame that is not masked." and "A client MUST close a connection if
	// it detects a masked frame."
	if d.role == RoleServer && !h.Masked {
		return protocolError(spec.CloseProtocolError, "R-5.1-server-rejects-unmasked", at+1,
			"unmasked frame sent to a server")
	}
	if d.role == RoleClient && h.Masked {
		return protocolError(spec.CloseProtocolError, "R-5.1-client-rejects-masked", at+1,
			"masked frame sent to a client")
	}
	if control {
		return nil
	}
	// Section 5.4: a fragmented message is a text or binary frame
	// followed by continuation frames; anything else out of that order
	// fails the connection.
	if h.Opcode == spec.OpContinuation && !d.inMessage {
		return protocolError(spec.CloseProtocolError, "R-5.4-orphan-continuation", at,
			"continuation frame with no message in progress")
	}
	if h.Opcode != spec.OpContinuation && d.inMessage {
		return protocolError(spec.CloseProtocolError, "R-5.4-nested-start", at,
			h.Opcode.String()+" frame inside a fragmented message")
	}
	// Section 10.4: "implementations SHOULD impose a limit on frame sizes
	// and the total message size after reassembly from multiple frames";
	// the limits are checked on the declared length, before a byte of
	// payload is read.
	if h.Length > d.maxFrame {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", at+1,
			"frame payload of "+strconv.FormatUint(h.Length, 10)+" bytes exceeds the limit of "+strconv.FormatUint(d.maxFrame, 10))
	}
	var sofar uint64
	fragments := 0
	transformed := h.Rsv != 0
	if h.Opcode == spec.OpContinuation {
		sofar, fragments, transformed = d.msgLen, d.fragments, d.msgExt
	}
	if !transformed && h.Length > d.maxMessage-sofar {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", at+1,
			"message of at least "+strconv.FormatUint(sofar+h.Length, 10)+" bytes exceeds the limit of "+strconv.FormatUint(d.maxMessage, 10))
	}
	if fragments >= d.maxFragments {
		return protocolError(spec.CloseMessageTooBig, "R-10.4-limits", at,
			"message of more than "+strconv.Itoa(d.maxFragments)+" frames")
	}
	return nil
}
