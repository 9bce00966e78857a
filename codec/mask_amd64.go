//go:build !purego

package codec

import "golang.org/x/sys/cpu"

// maskUseAVX2 is decided once, at package initialisation: AVX2 when the CPU
// (and the operating system, for the YMM state) supports it, else SSE2,
// which every amd64 CPU has. The purego build tag drops the assembly.
var maskUseAVX2 = cpu.X86.HasAVX2

// maskWords (mask_amd64.s) masks p in place with k, a key from maskKey32
// whose low byte belongs to p[0]: it jumps to maskAVX2 if maskUseAVX2 is
// set and to maskSSE2 otherwise. The choice is made in assembly so that
// Mask calls the assembly directly, without a Go function in between.
//
//go:noescape
func maskWords(p []byte, k uint32)

// maskAVX2 and maskSSE2 (mask_amd64.s) mask p in place with k, any length,
// any alignment. From 64 bytes on, a head of at most one 1-, 2-, 4-, 8- and
// (AVX2) 16-byte step each brings p to a vector boundary (32 bytes for
// AVX2, 16 for SSE2), rotating k after the 1- and 2-byte steps; a loop then
// XORs 256 bytes (AVX2: eight 32-byte vectors) or 64 bytes (SSE2: four
// 16-byte vectors) per iteration, then whole vectors, and the tail is done
// in 16-, 8-, 4-, 2- and 1-byte steps. maskAVX2 requires AVX2.

//go:noescape
func maskAVX2(p []byte, k uint32)

//go:noescape
func maskSSE2(p []byte, k uint32)
