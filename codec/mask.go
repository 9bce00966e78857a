package codec

import (
	"encoding/binary"
	"math/bits"
)

// Mask applies the RFC 6455 masking transform to p in place: byte i of p is
// XORed with key[(pos+i) mod 4] (R-5.3-xor). The same call masks and
// unmasks. It returns the key offset for the byte after p, so a payload
// delivered in pieces is unmasked by feeding each piece the offset the
// previous call returned, starting from 0:
//
//	pos := 0
//	for _, piece := range pieces {
//		pos = codec.Mask(key, pos, piece)
//	}
//
// pos may be any non-negative int; only its value mod 4 matters, and the
// result is always in 0-3.
func Mask(key [4]byte, pos int, p []byte) int {
	pos &= 3
	end := (pos + len(p)) & 3
	if len(p) < 16 {
		for i := range p {
			p[i] ^= key[(pos+i)&3]
		}
		return end
	}
	// Word-at-a-time path: rotate the key so that its first byte lines up
	// with p[0], widen it to 64 bits, and XOR eight bytes per step. Every
	// step covers a multiple of four bytes, so the key phase of the tail
	// is still pos.
	k := bits.RotateLeft32(binary.LittleEndian.Uint32(key[:]), -8*pos)
	k64 := uint64(k)<<32 | uint64(k)
	for len(p) >= 32 {
		binary.LittleEndian.PutUint64(p, binary.LittleEndian.Uint64(p)^k64)
		binary.LittleEndian.PutUint64(p[8:], binary.LittleEndian.Uint64(p[8:])^k64)
		binary.LittleEndian.PutUint64(p[16:], binary.LittleEndian.Uint64(p[16:])^k64)
		binary.LittleEndian.PutUint64(p[24:], binary.LittleEndian.Uint64(p[24:])^k64)
		p = p[32:]
	}
	for len(p) >= 8 {
		binary.LittleEndian.PutUint64(p, binary.LittleEndian.Uint64(p)^k64)
		p = p[8:]
	}
	for i := range p {
		p[i] ^= key[(pos+i)&3]
	}
	return end
}
