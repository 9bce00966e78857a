package spec

import "strconv"

// An Opcode is the 4-bit frame type of RFC 6455 section 5.2.
//
// Opcodes 0x3-0x7 are reserved for further non-control frames and 0xB-0xF
// for further control frames. Control opcodes are exactly those with the
// high bit of the nibble set (0x8-0xF).
type Opcode uint8

// The opcodes defined by RFC 6455 section 5.2.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

var opcodeNames = [16]string{
	OpContinuation: "continuation",
	OpText:         "text",
	OpBinary:       "binary",
	OpClose:        "close",
	OpPing:         "ping",
	OpPong:         "pong",
}

// String returns the opcode's name as RFC 6455 writes it ("text", "ping"),
// "reserved-0x3" for a reserved opcode, and "invalid-0x1f" for a value that
// does not fit in four bits.
func (o Opcode) String() string {
	if o > 0xF {
		return "invalid-0x" + strconv.FormatUint(uint64(o), 16)
	}
	if n := opcodeNames[o]; n != "" {
		return n
	}
	return "reserved-0x" + strconv.FormatUint(uint64(o), 16)
}

// IsControl reports whether o is a control opcode (0x8-0xF), defined or
// reserved. Control frames are never fragmented and carry at most 125 bytes
// of payload (R-5.4-control-unfragmented, R-5.5-control-125).
func (o Opcode) IsControl() bool { return o <= 0xF && o&0x8 != 0 }

// IsData reports whether o is a defined data opcode: continuation, text or
// binary.
func (o Opcode) IsData() bool { return o <= OpBinary }

// IsReserved reports whether o is one of the opcodes RFC 6455 reserves for
// future use (0x3-0x7 and 0xB-0xF). Receiving one without a negotiated
// extension that defines it fails the connection (R-5.2-opcode-fail).
// Values above 0xF are not opcodes at all and are not reserved.
func (o Opcode) IsReserved() bool {
	return o <= 0xF && opcodeNames[o] == ""
}
