package codec

// An Extension is a negotiated WebSocket extension that gives meaning to
// RSV bits and transforms the payload of the data messages that set them,
// as permessage-deflate (RFC 7692) does with RSV1. It is the Decoder's only
// extension point; a Decoder without one fails every frame with an RSV bit
// set (R-5.2-rsv-fail).
//
// The Decoder applies the RFC 7692 section 6 placement rule for every
// extension: the claimed bits may be set only on the first frame of a data
// message, which marks the whole message as transformed; on a
// continuation or control frame they fail the connection with 1002
// (D-6-rsv1-placement). A message whose first frame does not set them is
// delivered as it arrived (D-6-optional).
//
// For a transformed message the Decoder unmasks the payload of each of its
// frames, in order and in pieces of any size, and hands the pieces to
// Transform. The bytes Transform returns are what the Decoder validates
// and delivers: text must be valid UTF-8 after the transformation
// (D-6-utf8-after), and DecoderOptions.MaxMessage limits the transformed
// size, so that a decompression bomb fails with 1009 instead of using
// memory (R-10.4-limits). Events carry the transformed bytes, which may
// alias the extension's buffers.
//
// An Extension belongs to one direction of one connection and keeps any
// state it needs between messages (such as a compression window); it is
// called only from Decoder methods, in the caller's goroutine.
type Extension interface {
	// Rsv returns the RSV bits the extension defines, as a combination
	// of Rsv1, Rsv2 and Rsv3 (permessage-deflate returns Rsv1). It must
	// return the same non-zero value on every call.
	Rsv() uint8

	// Transform consumes a prefix of in, the next unmasked payload bytes
	// of the current transformed message, and returns the transformed
	// bytes it produced and how many bytes of in it consumed. out may
	// alias a buffer owned by the extension; it only has to stay valid
	// until the next call to Transform or Reset.
	//
	// final is true when in ends the message (in may then be empty). The
	// Decoder calls Transform again, with the bytes of in not yet
	// consumed and final still true, until it returns done. done must be
	// false unless final is true, all of in has been consumed and no
	// output is left; the next call after done belongs to a new message.
	//
	// Every call must make progress: consume at least one byte, return
	// some output, or return done. To keep memory bounded, an extension
	// whose output can be much larger than its input (a decompressor)
	// should return output in bounded pieces rather than all at once; the
	// Decoder calls again for the rest.
	//
	// An error fails the Decoder. A *ProtocolError blames the peer and
	// gives the close code (for example 1007 for data that does not
	// decompress); any other error is treated as the extension's own
	// failure, and Conn fails the connection with 1011.
	Transform(in []byte, final bool) (out []byte, consumed int, done bool, err error)

	// Reset discards the state of any message in progress and any state
	// kept between messages. Decoder.Reset calls it.
	Reset()
}
