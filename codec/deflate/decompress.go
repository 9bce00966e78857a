package deflate

import "github.com/wskit/wskit/codec"

// A Decompressor undoes permessage-deflate on the messages one endpoint
// receives: it is the codec.Extension to put in
// codec.DecoderOptions.Extension or codec.ConnOptions.Extension. For each
// message whose first frame has RSV1 set, the Decoder hands it the
// payload in pieces; it appends 00 00 ff ff after the last one and
// inflates (D-7.2.2-decompress), and the Decoder checks what comes out:
// UTF-8 for text, fail-fast across fragments (D-6-utf8-after), and
// MaxMessage on the inflated size. A message without RSV1 never reaches
// it (D-6-optional), and RSV1 on a continuation or control frame fails
// the Decoder with 1002 (D-6-rsv1-placement).
//
// Memory: one 32 KiB window, allocated by NewDecompressor, and about
// 5 KB of code tables; nothing else, whatever the data. Output comes in
// pieces of at most 32 KiB, slices of the window, so a decompression
// bomb stops at the Decoder's MaxMessage with 1009 having used no more
// memory than that. Inflating allocates nothing.
//
// Data that is not valid DEFLATE, that refers back before the window the
// peer agreed on (or before the message, under no_context_takeover), or
// that ends inside a block once 00 00 ff ff is appended, fails with 1007
// (D-7.2.2-decompress). An empty compressed payload is read as an empty
// message. A message may end with a final block (BFINAL), with or
// without the 00 byte RFC 7692 section 7.2.3.4 shows after it; blocks
// after a final block continue the same stream (D-7.2.3.4-bfinal).
//
// A Decompressor is not safe for concurrent use.
type Decompressor struct {
	f          inflater
	takeover   bool // the peer may refer into earlier messages
	inMessage  bool
	gotPayload bool
}

// NewDecompressor returns a Decompressor for messages from a peer that
// compresses with a window of 2^windowBits bytes (8-15; 0 means 15) and,
// when noContextTakeover is true, starts every message with an empty
// window (<peer>_no_context_takeover; D-7.2.2-peer-takeover). With
// context takeover the window is kept from one message to the next.
// Params.Directions gives these for agreed Params.
func NewDecompressor(windowBits int, noContextTakeover bool) (*Decompressor, error) {
	if windowBits == 0 {
		windowBits = MaxWindowBits
	}
	if windowBits < MinWindowBits || windowBits > MaxWindowBits {
		return nil, errorString("deflate: NewDecompressor: window bits " + itoa(windowBits) + "; want 8-15, or 0 for 15")
	}
	d := &Decompressor{takeover: !noContextTakeover}
	d.f.init(windowBits)
	return d, nil
}

// Rsv returns codec.Rsv1, the "Per-Message Compressed" bit.
func (d *Decompressor) Rsv() uint8 { return codec.Rsv1 }

// Transform inflates the next piece of a compressed message, as
// codec.Extension asks: out is a slice of the window, valid until the
// next call; errors are *codec.ProtocolError with code 1007.
func (d *Decompressor) Transform(in []byte, final bool) (out []byte, consumed int, done bool, err error) {
	if !d.inMessage {
		d.inMessage, d.gotPayload = true, false
		d.f.startMessage(d.takeover)
	}
	if len(in) > 0 {
		d.gotPayload = true
	}
	if final && !d.gotPayload {
		// An empty payload is not DEFLATE (the appended tail alone
		// starts a stored block it cannot finish). Senders always send
		// at least one byte; read nothing as an empty message, leaving
		// the window as it was.
		d.inMessage = false
		return nil, 0, true, nil
	}
	out, consumed, done, err = d.f.run(in, final)
	if done {
		d.inMessage = false
	}
	return out, consumed, done, err
}

// Reset forgets the message in progress and the window, as for a new
// connection. The window's memory is kept.
func (d *Decompressor) Reset() {
	d.f.reset()
	d.inMessage = false
}
