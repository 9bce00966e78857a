package codec

import (
	"encoding/binary"
	"math/bits"
)

// Masking (RFC 6455 section 5.3) is one XOR per payload byte with a 4-byte
// key, so its speed is bounded by how fast the payload streams through the
// cache. Mask handles the key offset and payloads shorter than maskWordsMin
// itself, eight bytes at a time and then byte by byte; longer payloads go
// to maskWords with the key rotated so that its first byte lines up with
// p[0]. maskWords is the portable word-at-a-time loop below (maskGeneric,
// mask_generic.go) or, without the purego build tag, assembly: on amd64
// SSE2 or AVX2, chosen once at start-up (mask_amd64.go, mask_amd64.s), on
// arm64 NEON (mask_arm64.go, mask_arm64.s). Every
// implementation is checked against the byte loop of the tests, at every
// length, key offset and address alignment (maskImpls in mask_test.go).

// maskWordsMin is the payload length from which Mask hands the payload to
// maskWords. Below it, calling out (to assembly in particular: arguments on
// the stack, the vector key to build) costs more than the few words save.
const maskWordsMin = 64

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
	if len(p) >= maskWordsMin {
		maskWords(p, maskKey32(key, pos))
		return end
	}
	if len(p) >= 8 {
		// Eight bytes per step: every step covers a multiple of four
		// bytes, so the key phase of the tail is still pos.
		k := uint64(maskKey32(key, pos))
		k |= k << 32
		for len(p) >= 8 {
			binary.LittleEndian.PutUint64(p, binary.LittleEndian.Uint64(p)^k)
			p = p[8:]
		}
	}
	for i := range p {
		p[i] ^= key[(pos+i)&3]
	}
	return end
}

// maskKey32 returns the key as a little-endian word rotated so that its low
// byte is key[pos]: byte i of a payload starting at key offset pos is
// XORed with byte i mod 4 of the result.
func maskKey32(key [4]byte, pos int) uint32 {
	return bits.RotateLeft32(binary.LittleEndian.Uint32(key[:]), -8*(pos&3))
}

// maskGeneric masks p in place with k, a key from maskKey32 whose low byte
// belongs to p[0]. It XORs eight bytes per step, four steps per loop; every
// step covers a multiple of four bytes, so the key phase of the tail is
// still that of p[0]. It handles any length, and is the implementation
// everywhere but amd64 and arm64, and there under the purego build tag.
func maskGeneric(p []byte, k uint32) {
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
		p[i] ^= byte(k >> (8 * (i & 3)))
	}
}
