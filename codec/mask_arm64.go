//go:build !purego

package codec

// maskWords (mask_arm64.s) masks p in place with k, a key from maskKey32
// whose low byte belongs to p[0], any length, any alignment, with NEON
// (Advanced SIMD, which every arm64 CPU Go runs on has): four 16-byte
// vectors per iteration, then 16-, 8-, 4-, 2- and 1-byte steps. It does not
// align p first: arm64 cores load and store unaligned vectors at little or
// no cost, and without arm64 hardware to measure on (the tests run under
// qemu-user) a head loop would be an untested guess.
//
//go:noescape
func maskWords(p []byte, k uint32)
