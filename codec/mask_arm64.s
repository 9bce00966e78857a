//go:build !purego

#include "textflag.h"

// Masking XORs every byte of p with the key byte of its phase. k holds the
// key as a little-endian word whose low byte belongs to p[0]. Steps of 4,
// 8, 16 or 64 bytes leave the phase unchanged; only the 2-byte step before
// the last byte shifts the key.
//
// Registers: R0 is the next byte, R1 the bytes left, R2 the 4-byte key, R3
// the 8-byte key, V0 the vector key, V1-V4 data, R4 scratch.

// func maskWords(p []byte, k uint32)
TEXT ·maskWords(SB), NOSPLIT, $0-28
	MOVD  p_base+0(FP), R0
	MOVD  p_len+8(FP), R1
	MOVWU k+24(FP), R2
	ORR   R2<<32, R2, R3
	VDUP  R2, V0.S4
	CMP   $64, R1
	BLT   tail16

loop64:
	VLD1   (R0), [V1.B16, V2.B16, V3.B16, V4.B16]
	VEOR   V0.B16, V1.B16, V1.B16
	VEOR   V0.B16, V2.B16, V2.B16
	VEOR   V0.B16, V3.B16, V3.B16
	VEOR   V0.B16, V4.B16, V4.B16
	VST1.P [V1.B16, V2.B16, V3.B16, V4.B16], 64(R0)
	SUB    $64, R1
	CMP    $64, R1
	BGE    loop64

tail16:
	// 0-63 bytes left: up to three 16-byte steps.
	CMP    $16, R1
	BLT    tail8
	VLD1   (R0), [V1.B16]
	VEOR   V0.B16, V1.B16, V1.B16
	VST1.P [V1.B16], 16(R0)
	SUB    $16, R1
	B      tail16

tail8:
	// 0-15 bytes left: one step of each size whose bit is set in R1.
	TBZ    $3, R1, tail4
	MOVD   (R0), R4
	EOR    R3, R4
	MOVD.P R4, 8(R0)

tail4:
	TBZ    $2, R1, tail2
	MOVWU  (R0), R4
	EORW   R2, R4
	MOVW.P R4, 4(R0)

tail2:
	TBZ    $1, R1, tail1
	MOVHU  (R0), R4
	EORW   R2, R4
	MOVH.P R4, 2(R0)
	LSRW   $16, R2

tail1:
	TBZ   $0, R1, done
	MOVBU (R0), R4
	EORW  R2, R4
	MOVB  R4, (R0)

done:
	RET
