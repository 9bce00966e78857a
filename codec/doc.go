// Package codec is a sans-IO implementation of the RFC 6455 framing layer:
// bytes in, frames and events out; frames and events in, bytes out. It
// starts no goroutines and does no I/O; randomness, where needed, is passed
// in.
//
// The frame layer is three plain functions and a value type:
//
//   - Header is the fixed part of a frame: FIN, the three RSV bits, the
//     opcode, the mask flag and key, and the payload length.
//   - ParseHeader reads a header from the front of a byte slice, or reports
//     that more bytes are needed without consuming any.
//   - AppendHeader writes exactly what a Header says, in the minimal length
//     form, without judging it, so that tests and conformance runners can
//     build invalid frames on purpose.
//   - Mask applies the masking transform in place and returns the key offset
//     to resume from, so a payload can be unmasked in pieces of any size.
//
// Violations found in received bytes are reported as *ProtocolError values
// that carry the close code to send and the ID of the requirement broken
// (see package spec).
package codec
