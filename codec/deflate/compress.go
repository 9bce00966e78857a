package deflate

import (
	"compress/flate"

	"github.com/wskit/wskit/codec"
)

// A Compressor applies permessage-deflate to the messages one endpoint
// sends: it is the codec.SendExtension to put in
// codec.ConnOptions.SendExtension. It compresses with compress/flate and
// follows RFC 7692 section 7.2.1 (D-7.2.1-compress): each piece of a
// message is written to the compressor and sync-flushed (zlib's
// Z_SYNC_FLUSH), so that every frame's payload can be inflated as it
// arrives; the 00 00 ff ff that ends the last piece's flush is removed,
// and kept on the others, as RFC 7692 requires of a message compressed
// frame by frame. An empty message is sent as the single byte 00.
//
// With noContextTakeover the compressor is reset before every message
// (D-7.2.1-own-takeover); otherwise it keeps its window. With window bits
// below 15 it compresses Huffman-only, so that no back-reference can
// exceed the agreed window (see the note on window bits in the package
// documentation).
//
// Memory: compress/flate's compressor, allocated once by NewCompressor:
// about 1.2 MB at flate.BestSpeed and 0.7-0.8 MB at the other levels,
// whatever the context takeover (compress/flate offers no smaller
// compressor). Compressing allocates nothing once the caller's dst has
// room.
//
// A Compressor is not safe for concurrent use.
type Compressor struct {
	w          *flate.Writer
	sink       sink
	takeover   bool
	inMessage  bool
	windowBits int
}

// sink is the flate.Writer's destination: it appends to a slice.
type sink struct{ buf []byte }

func (s *sink) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// checkLevel validates a compression level: 0 stands for
// flate.BestSpeed, and flate.NoCompression is refused (compressing
// nothing only adds bytes; send messages without RSV1 instead).
func checkLevel(level int) error {
	if level < flate.HuffmanOnly || level > flate.BestCompression {
		return errorString("deflate: compression level " + itoa(level) + "; want flate.HuffmanOnly (-2) to flate.BestCompression (9), or 0 for flate.BestSpeed")
	}
	return nil
}

// NewCompressor returns a Compressor at the given compress/flate level
// (0 means flate.BestSpeed) for an endpoint whose agreed window is
// 2^windowBits bytes (8-15; 0 means 15) and which starts every message
// with an empty window when noContextTakeover is true. Use ForRole to get
// these from agreed Params.
func NewCompressor(level, windowBits int, noContextTakeover bool) (*Compressor, error) {
	if err := checkLevel(level); err != nil {
		return nil, err
	}
	if level == 0 {
		level = flate.BestSpeed
	}
	if windowBits == 0 {
		windowBits = MaxWindowBits
	}
	if windowBits < MinWindowBits || windowBits > MaxWindowBits {
		return nil, errorString("deflate: NewCompressor: window bits " + itoa(windowBits) + "; want 8-15, or 0 for 15")
	}
	if windowBits < MaxWindowBits {
		// No LZ77 references at all: none can reach beyond 2^windowBits.
		level = flate.HuffmanOnly
	}
	c := &Compressor{takeover: !noContextTakeover, windowBits: windowBits}
	w, err := flate.NewWriter(&c.sink, level)
	if err != nil {
		return nil, err
	}
	c.w = w
	return c, nil
}

// Rsv returns codec.Rsv1, the "Per-Message Compressed" bit.
func (c *Compressor) Rsv() uint8 { return codec.Rsv1 }

// AppendTransform appends the compressed form of p, the next piece of the
// message being sent, to dst, as codec.SendExtension asks.
func (c *Compressor) AppendTransform(dst, p []byte, final bool) ([]byte, error) {
	if !c.inMessage {
		c.inMessage = true
		if !c.takeover {
			c.w.Reset(&c.sink) // D-7.2.1-own-takeover
		}
	}
	c.sink.buf = dst
	start := len(dst)
	if len(p) > 0 {
		if _, err := c.w.Write(p); err != nil {
			return dst, err
		}
	}
	if err := c.w.Flush(); err != nil {
		return dst, err
	}
	out := c.sink.buf
	c.sink.buf = nil
	if final {
		c.inMessage = false
		// A sync flush ends with an empty stored block, 00 00 ff ff
		// after its header bits; every Flush writes one, so the bytes
		// are there.
		if n := len(out); n-start < 5 || string(out[n-4:]) != string(tail[:]) {
			c.inMessage = true
			return dst, errorString("deflate: the compressor's output does not end with 00 00 ff ff")
		}
		out = out[:len(out)-4]
	}
	return out, nil
}

// Reset forgets the window and any message in progress, as for a new
// connection.
func (c *Compressor) Reset() {
	c.w.Reset(&c.sink)
	c.inMessage = false
}
