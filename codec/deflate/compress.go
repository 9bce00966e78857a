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
// N below 15 it resets (after a sync flush) every 2^N bytes, so that no
// back-reference can exceed the agreed window, and compresses at
// flate.BestSpeed, whose reset costs nothing (see "Window bits" in the
// package documentation).
//
// Memory: compress/flate's compressor, about 1.2 MB at flate.BestSpeed
// and 0.7-0.8 MB at the other levels (compress/flate offers no smaller
// one), allocated when the first message is compressed and kept, since
// context takeover needs its window. Without context takeover it is
// needed only while a message is being compressed: with a WriterPool
// (UsePool), the Compressor borrows one for each message and gives it
// back after, so that idle connections hold none. Compressing allocates
// nothing once the caller's dst has room and the writer exists.
//
// A Compressor is not safe for concurrent use.
type Compressor struct {
	w         *flate.Writer // nil until needed, and between messages when pooled
	sink      sink
	level     int
	takeover  bool
	inMessage bool
	pool      WriterPool
	minSize   int
	segment   int // 2^N for window bits N < 15: bytes between resets; 0 for none
	written   int // bytes written since the last reset, when segment > 0
}

// A WriterPool lends compress/flate Writers to Compressors without
// context takeover, which need one only while they compress a message.
// Package deflate may not import sync; a pool of sync.Pools, one per
// level, fits:
//
//	type pools [12]sync.Pool // levels -2 to 9
//
//	func (p *pools) Get(level int) *flate.Writer {
//		w, _ := p[level+2].Get().(*flate.Writer)
//		return w
//	}
//
//	func (p *pools) Put(level int, w *flate.Writer) { p[level+2].Put(w) }
//
// Get returns a Writer made by flate.NewWriter at level, or nil (the
// Compressor then makes one); Put takes back a Writer of that level.
// Both may be called from several goroutines at once when Compressors
// of several connections share the pool.
type WriterPool interface {
	Get(level int) *flate.Writer
	Put(level int, w *flate.Writer)
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
// with an empty window when noContextTakeover is true.
// Params.Directions gives these for agreed Params.
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
	c := &Compressor{level: level, takeover: !noContextTakeover}
	if windowBits < MaxWindowBits && level != flate.HuffmanOnly {
		// A reset every 2^windowBits bytes keeps every reference
		// within the window; flate.BestSpeed resets in constant time,
		// the other levels clear 640 KB of tables each time.
		// (Huffman-only compression makes no reference at all.)
		c.level = flate.BestSpeed
		c.segment = 1 << windowBits
	}
	return c, nil
}

// UsePool makes a Compressor without context takeover borrow its writer
// from pool for each message and give it back when the message is
// complete. It has no effect on a Compressor with context takeover,
// whose writer holds the window between messages. Call it before the
// first message.
func (c *Compressor) UsePool(pool WriterPool) {
	if !c.takeover {
		c.pool = pool
	}
}

// writer returns the flate.Writer for a new message, reset when context
// takeover is off.
func (c *Compressor) writer() (*flate.Writer, error) {
	if c.w != nil {
		if !c.takeover {
			c.w.Reset(&c.sink) // D-7.2.1-own-takeover
			c.written = 0
		}
		return c.w, nil
	}
	c.written = 0 // a writer from the pool or a new one has an empty window
	if c.pool != nil {
		if w := c.pool.Get(c.level); w != nil {
			w.Reset(&c.sink)
			c.w = w
			return w, nil
		}
	}
	w, err := flate.NewWriter(&c.sink, c.level) // the level was checked
	if err != nil {
		return nil, err
	}
	c.w = w
	return w, nil
}

// Rsv returns codec.Rsv1, the "Per-Message Compressed" bit.
func (c *Compressor) Rsv() uint8 { return codec.Rsv1 }

// SetMinSize makes whole messages shorter than n bytes go uncompressed,
// without RSV1 (D-6-optional): compressing a few bytes costs more than
// it saves (compress/flate stores inputs of 16 bytes or less as they
// are, 5 bytes longer, at flate.BestSpeed). The default, 0, compresses
// every message. Messages streamed frame by frame are always compressed.
func (c *Compressor) SetMinSize(n int) { c.minSize = n }

// TransformMessage reports whether a whole message of size bytes is to
// be compressed: whether it is at least the minimum size.
func (c *Compressor) TransformMessage(size int) bool { return size >= c.minSize }

// AppendTransform appends the compressed form of p, the next piece of the
// message being sent, to dst, as codec.SendExtension asks.
func (c *Compressor) AppendTransform(dst, p []byte, final bool) ([]byte, error) {
	if !c.inMessage {
		if _, err := c.writer(); err != nil {
			return dst, err
		}
		c.inMessage = true
	}
	c.sink.buf = dst
	start := len(dst)
	for len(p) > 0 {
		n := len(p)
		if c.segment > 0 {
			n = min(n, c.segment-c.written)
		}
		if _, err := c.w.Write(p[:n]); err != nil {
			return dst, err
		}
		p = p[n:]
		if c.segment > 0 {
			if c.written += n; c.written == c.segment {
				// Everything so far is out, byte-aligned; the next
				// bytes start with an empty window, so no reference
				// reaches back more than 2^N bytes.
				if err := c.w.Flush(); err != nil {
					return dst, err
				}
				c.w.Reset(&c.sink)
				c.written = 0
			}
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
		if c.pool != nil {
			c.pool.Put(c.level, c.w)
			c.w = nil
		}
	}
	return out, nil
}

// Reset forgets the window and any message in progress, as for a new
// connection.
func (c *Compressor) Reset() {
	c.written = 0
	if c.w != nil {
		c.w.Reset(&c.sink)
		if c.pool != nil {
			c.pool.Put(c.level, c.w)
			c.w = nil
		}
	}
	c.inMessage = false
}
