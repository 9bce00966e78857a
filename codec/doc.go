// Package codec is a sans-IO implementation of the RFC 6455 framing layer:
// bytes in, frames and events out; frames and events in, bytes out. It
// starts no goroutines and does no I/O; randomness, where needed, is passed
// in.
//
// The frame layer is a value type and plain functions:
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
//   - CheckHeader judges a parsed header by the receive rules of RFC 6455
//     section 5, given a HeaderState (role, extension bits, limits, the
//     message in progress). It is the Decoder's own header check, exported
//     so that test servers apply the same rules.
//
// On top of it sit three layers, each usable on its own:
//
//   - Decoder is a streaming state machine for what one endpoint receives.
//     Fed bytes in any chunking, it reports events (message start, payload
//     pieces, message end, ping, pong, close), unmasks payload in place,
//     validates text with a UTF8Validator as it arrives, and applies every
//     receive rule of RFC 6455 section 5, the limits of section 10.4 and,
//     through an Extension, the RSV1 rule of RFC 7692 section 6. It never
//     allocates from a length the peer declared.
//   - Encoder appends well-formed frames, messages (optionally fragmented),
//     pings, pongs and closes, masking a client's frames with keys read
//     from an injected io.Reader, and refuses what a sender must not send.
//   - Conn is the endpoint: Receive gives events and queues the answers the
//     protocol owes (pongs, the close echo, the close that fails the
//     connection); Send* and Outgoing give the bytes to write; it tracks
//     the closing handshake and says who closes the transport.
//
// Extensions plug in at two points: an Extension undoes a transformation
// on what the Decoder receives, a SendExtension applies it to what a Conn
// sends, each owning RSV bits on the first frame of a message. Package
// codec/deflate provides both for permessage-deflate (RFC 7692).
//
// Beside them, FrameScanner follows frame boundaries as the Decoder finds
// them but judges nothing, for observers (a conformance runner's wire log)
// that must keep following a stream the Decoder has rejected.
//
// Violations found in received bytes are reported as *ProtocolError values
// that carry the close code to send and the ID of the requirement broken
// (see package spec). Mistakes of the caller, such as asking for an
// over-long close reason, are plain errors (ErrReasonTooLong and its
// neighbours).
package codec
