package loopback

import (
	"sync"
	"sync/atomic"

	"github.com/wskit/wskit/spec"
)

// The memory budget: every byte of message data the server holds while it
// reassembles messages for echo is reserved from one budget shared by all
// connections, before it is allocated, and released when the message has
// been echoed, when it can no longer be echoed, or when its connection
// ends. The per-message limit (MaxMessage, 1009) bounds one message; the
// budget bounds their sum, which the connection limit alone does not:
// MaxConns connections each holding a message just under MaxMessage
// would otherwise hold MaxConns times MaxMessage bytes (R-10.4-limits).
//
// A connection whose next piece of message would take the budget past
// its limit is closed with 1013 (try again later); see Config.MaxBuffered
// for why this, and not backpressure.

// budget counts the bytes reserved from a fixed limit. It is safe for
// concurrent use.
type budget struct {
	limit int64
	used  atomic.Int64
	peak  atomic.Int64 // the most ever reserved at once, for the tests
}

// reserve takes n bytes from the budget and reports whether it could: it
// takes nothing when n more would exceed the limit.
func (b *budget) reserve(n int64) bool {
	for {
		used := b.used.Load()
		if n > b.limit-used {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			for {
				peak := b.peak.Load()
				if used+n <= peak || b.peak.CompareAndSwap(peak, used+n) {
					return true
				}
			}
		}
	}
}

// release gives back n bytes taken by reserve.
func (b *budget) release(n int64) {
	if b.used.Add(-n) < 0 {
		panic("loopback: budget released more than was reserved")
	}
}

// Chunk sizes of a message being reassembled: the first chunk is
// minChunk bytes, each next one as large as all before it, up to maxChunk.
// A message of any size thus wastes less than maxChunk bytes of what it
// reserves, and each chunk is echoed as one frame, so an echo never needs
// a buffer larger than maxChunk either.
const (
	minChunk = 16 << 10
	maxChunk = 64 << 10
)

// message is the payload of a message being reassembled for echo, held in
// chunks that are never copied or grown (taken from the chunk pool, and
// given back when the message has been echoed or dropped), so that what the message reserves
// from the budget is the memory it holds, to within a chunk. It is owned by
// one connection's serving goroutine.
type message struct {
	op       spec.Opcode
	chunks   [][]byte // filled in order; only the last may have room left
	reserved int64    // the sum of the chunks' capacities, taken from the budget
}

// add appends p to the message, reserving each new chunk from b before
// taking it from the chunk pool. It reports false, having added only part
// of p, when the budget cannot cover the next chunk.
func (m *message) add(b *budget, p []byte) bool {
	for len(p) > 0 {
		if n := len(m.chunks); n > 0 {
			last := m.chunks[n-1]
			k := copy(last[len(last):cap(last)], p)
			m.chunks[n-1] = last[:len(last)+k]
			p = p[k:]
			if len(p) == 0 {
				break
			}
		}
		size := min(max(m.reserved, minChunk), maxChunk)
		if !b.reserve(size) {
			return false
		}
		m.reserved += size
		m.chunks = append(m.chunks, getChunk(size))
	}
	return true
}

// release gives the message's chunks back to the chunk pool and their
// bytes back to b.
func (m *message) release(b *budget) {
	if m.reserved > 0 {
		b.release(m.reserved)
	}
	for i, c := range m.chunks {
		putChunk(c)
		m.chunks[i] = nil
	}
	m.chunks = m.chunks[:0]
	m.reserved = 0
}

// The chunk pool: a reassembled message's chunks are reused by the next
// message, of any connection, instead of being allocated for each message
// and left to the garbage collector (at 64 KiB a message, 16 connections
// echoing at once made about 1 GB/s of garbage). A chunk is charged to the
// budget only while a message holds it: the pool holds at most what
// messages gave back, so never more than the budget's peak, and the
// garbage collector empties it (sync.Pool drops what is not reused within
// two collections). One pool per chunk size; add asks for no other size.
var chunkPools = [3]sync.Pool{
	{New: func() any { return new([minChunk]byte) }},
	{New: func() any { return new([2 * minChunk]byte) }},
	{New: func() any { return new([maxChunk]byte) }},
}

// chunkPool returns the index in chunkPools of the chunks of size bytes.
func chunkPool(size int64) int {
	switch size {
	case minChunk:
		return 0
	case 2 * minChunk:
		return 1
	case maxChunk:
		return 2
	}
	panic("loopback: no chunk pool for this size")
}

// getChunk returns an empty chunk with room for size bytes.
func getChunk(size int64) []byte {
	switch p := chunkPools[chunkPool(size)].Get().(type) {
	case *[minChunk]byte:
		return p[:0]
	case *[2 * minChunk]byte:
		return p[:0]
	case *[maxChunk]byte:
		return p[:0]
	}
	panic("loopback: a chunk pool held something else")
}

// putChunk gives a chunk that getChunk returned back to its pool. Nothing
// may use it afterwards.
func putChunk(c []byte) {
	c = c[:cap(c)]
	switch i := chunkPool(int64(len(c))); i {
	case 0:
		chunkPools[i].Put((*[minChunk]byte)(c))
	case 1:
		chunkPools[i].Put((*[2 * minChunk]byte)(c))
	default:
		chunkPools[i].Put((*[maxChunk]byte)(c))
	}
}
