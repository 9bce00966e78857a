//go:build !purego

#include "textflag.h"

// Masking XORs every byte of p with the key byte of its phase. k holds the
// key as a little-endian word whose low byte belongs to p[0]; after an odd
// number of bytes (1 or 3) or two bytes the key is rotated right by 8 or 16
// bits so that its low byte belongs to the next byte again. Steps of 4, 8,
// 16 or 32 bytes leave the phase unchanged, so the wide key (BX: k twice;
// X0/Y0: k broadcast) is built once, after the steps that rotate.
//
// Registers: DI is the next byte, CX the bytes left, AX the 4-byte key, BX
// the 8-byte key, X0/Y0 the vector key, X1-X4/Y1-Y4 data.

// func maskWords(p []byte, k uint32)
TEXT ·maskWords(SB), NOSPLIT, $0-28
	CMPB ·maskUseAVX2(SB), $0
	JEQ  words_sse2
	JMP  ·maskAVX2(SB)

words_sse2:
	JMP ·maskSSE2(SB)

// func maskAVX2(p []byte, k uint32)
// Requires AVX2.
TEXT ·maskAVX2(SB), NOSPLIT, $0-28
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVL k+24(FP), AX
	CMPQ CX, $64
	JB   avx2_short

	// Head: at least 64 bytes, so align DI to 32 bytes first (at most
	// 31 bytes, leaving at least 33).
	TESTQ $1, DI
	JZ    avx2_head2
	XORB  AL, (DI)
	RORL  $8, AX
	INCQ  DI
	DECQ  CX

avx2_head2:
	TESTQ $2, DI
	JZ    avx2_head4
	XORW  AX, (DI)
	RORL  $16, AX
	ADDQ  $2, DI
	SUBQ  $2, CX

avx2_head4:
	MOVL         AX, BX
	SHLQ         $32, BX
	ORQ          AX, BX
	MOVQ         BX, X0
	VPBROADCASTQ X0, Y0
	TESTQ        $4, DI
	JZ           avx2_head8
	XORL         AX, (DI)
	ADDQ         $4, DI
	SUBQ         $4, CX

avx2_head8:
	TESTQ $8, DI
	JZ    avx2_head16
	XORQ  BX, (DI)
	ADDQ  $8, DI
	SUBQ  $8, CX

avx2_head16:
	TESTQ   $16, DI
	JZ      avx2_body
	VPXOR   (DI), X0, X1
	VMOVDQU X1, (DI)
	ADDQ    $16, DI
	SUBQ    $16, CX
	JMP     avx2_body

avx2_short:
	// Fewer than 64 bytes: no alignment, straight to the 32-byte steps.
	MOVL         AX, BX
	SHLQ         $32, BX
	ORQ          AX, BX
	MOVQ         BX, X0
	VPBROADCASTQ X0, Y0

avx2_body:
	CMPQ CX, $256
	JB   avx2_tail32

avx2_loop256:
	VPXOR   (DI), Y0, Y1
	VPXOR   32(DI), Y0, Y2
	VPXOR   64(DI), Y0, Y3
	VPXOR   96(DI), Y0, Y4
	VPXOR   128(DI), Y0, Y5
	VPXOR   160(DI), Y0, Y6
	VPXOR   192(DI), Y0, Y7
	VPXOR   224(DI), Y0, Y8
	VMOVDQU Y1, (DI)
	VMOVDQU Y2, 32(DI)
	VMOVDQU Y3, 64(DI)
	VMOVDQU Y4, 96(DI)
	VMOVDQU Y5, 128(DI)
	VMOVDQU Y6, 160(DI)
	VMOVDQU Y7, 192(DI)
	VMOVDQU Y8, 224(DI)
	ADDQ    $256, DI
	SUBQ    $256, CX
	CMPQ    CX, $256
	JAE     avx2_loop256

avx2_tail32:
	// 0-255 bytes left: up to seven 32-byte steps.
	CMPQ    CX, $32
	JB      avx2_tail16
	VPXOR   (DI), Y0, Y1
	VMOVDQU Y1, (DI)
	ADDQ    $32, DI
	SUBQ    $32, CX
	JMP     avx2_tail32

avx2_tail16:
	// 0-31 bytes left: one step of each size whose bit is set in CX.
	TESTQ   $16, CX
	JZ      avx2_tail8
	VPXOR   (DI), X0, X1
	VMOVDQU X1, (DI)
	ADDQ    $16, DI

avx2_tail8:
	TESTQ $8, CX
	JZ    avx2_tail4
	XORQ  BX, (DI)
	ADDQ  $8, DI

avx2_tail4:
	TESTQ $4, CX
	JZ    avx2_tail2
	XORL  AX, (DI)
	ADDQ  $4, DI

avx2_tail2:
	TESTQ $2, CX
	JZ    avx2_tail1
	XORW  AX, (DI)
	SHRL  $16, AX
	ADDQ  $2, DI

avx2_tail1:
	TESTQ $1, CX
	JZ    avx2_done
	XORB  AL, (DI)

avx2_done:
	VZEROUPPER
	RET

// func maskSSE2(p []byte, k uint32)
TEXT ·maskSSE2(SB), NOSPLIT, $0-28
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVL k+24(FP), AX
	CMPQ CX, $64
	JB   sse2_short

	// Head: at least 64 bytes, so align DI to 16 bytes first (at most
	// 15 bytes, leaving at least 49).
	TESTQ $1, DI
	JZ    sse2_head2
	XORB  AL, (DI)
	RORL  $8, AX
	INCQ  DI
	DECQ  CX

sse2_head2:
	TESTQ $2, DI
	JZ    sse2_head4
	XORW  AX, (DI)
	RORL  $16, AX
	ADDQ  $2, DI
	SUBQ  $2, CX

sse2_head4:
	MOVL       AX, BX
	SHLQ       $32, BX
	ORQ        AX, BX
	MOVQ       BX, X0
	PUNPCKLQDQ X0, X0
	TESTQ      $4, DI
	JZ         sse2_head8
	XORL       AX, (DI)
	ADDQ       $4, DI
	SUBQ       $4, CX

sse2_head8:
	TESTQ $8, DI
	JZ    sse2_body
	XORQ  BX, (DI)
	ADDQ  $8, DI
	SUBQ  $8, CX
	JMP   sse2_body

sse2_short:
	// Fewer than 64 bytes: no alignment, straight to the 16-byte steps.
	MOVL       AX, BX
	SHLQ       $32, BX
	ORQ        AX, BX
	MOVQ       BX, X0
	PUNPCKLQDQ X0, X0

sse2_body:
	CMPQ CX, $64
	JB   sse2_tail16

sse2_loop64:
	MOVOU (DI), X1
	MOVOU 16(DI), X2
	MOVOU 32(DI), X3
	MOVOU 48(DI), X4
	PXOR  X0, X1
	PXOR  X0, X2
	PXOR  X0, X3
	PXOR  X0, X4
	MOVOU X1, (DI)
	MOVOU X2, 16(DI)
	MOVOU X3, 32(DI)
	MOVOU X4, 48(DI)
	ADDQ  $64, DI
	SUBQ  $64, CX
	CMPQ  CX, $64
	JAE   sse2_loop64

sse2_tail16:
	// 0-63 bytes left: up to three 16-byte steps.
	CMPQ  CX, $16
	JB    sse2_tail8
	MOVOU (DI), X1
	PXOR  X0, X1
	MOVOU X1, (DI)
	ADDQ  $16, DI
	SUBQ  $16, CX
	JMP   sse2_tail16

sse2_tail8:
	// 0-15 bytes left: one step of each size whose bit is set in CX.
	TESTQ $8, CX
	JZ    sse2_tail4
	XORQ  BX, (DI)
	ADDQ  $8, DI

sse2_tail4:
	TESTQ $4, CX
	JZ    sse2_tail2
	XORL  AX, (DI)
	ADDQ  $4, DI

sse2_tail2:
	TESTQ $2, CX
	JZ    sse2_tail1
	XORW  AX, (DI)
	SHRL  $16, AX
	ADDQ  $2, DI

sse2_tail1:
	TESTQ $1, CX
	JZ    sse2_done
	XORB  AL, (DI)

sse2_done:
	RET
