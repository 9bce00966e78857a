//go:build !purego

#include "textflag.h"

// The method is that of J. Keiser and D. Lemire, "Validating UTF-8 in less
// than one instruction per byte" (Software: Practice and Experience, 2021);
// the tables below are derived from RFC 3629's byte ranges (the table in
// utf8.go) and checked against unicode/utf8 by the tests.
//
// utf8ValidAVX2 classifies every byte together with the one, two and three
// bytes before it, 32 bytes per step, with three 16-entry table lookups
// (VPSHUFB) of nibbles: the high nibble of the byte before (utf8LookupHi1),
// its low nibble (utf8LookupLo1) and the high nibble of the byte itself
// (utf8LookupHi2). Each table entry is a set of error classes; the AND of
// the three is the set of classes the pair belongs to:
//
//	bit 0  a lead byte (C0-FF) not followed by a continuation byte
//	bit 1  a continuation byte after ASCII
//	bit 2  E0 followed by 80-9F (overlong three-byte form)
//	bit 3  F4 followed by 90-BF, or F5-FF followed by 90-BF (above U+10FFFF)
//	bit 4  ED followed by A0-BF (surrogate)
//	bit 5  C0 or C1 followed by a continuation (overlong two-byte form)
//	bit 6  F0 followed by 80-8F (overlong four-byte form), or F5-FF
//	       followed by 80-8F (above U+10FFFF)
//	bit 7  a continuation byte after a continuation byte
//
// Bit 7 is not an error when the byte is the third or fourth of a sequence,
// that is when the byte two before is E0 or above or the byte three before
// is F0 or above (a saturating subtraction leaves the top bit set exactly
// then); XORing that condition into bit 7 leaves an error both for a
// continuation that was not expected and for one that was expected and is
// missing. Blocks of 32 ASCII bytes skip the lookups; they are only an
// error if the block before ends inside a sequence (a lead byte among its
// last three bytes that wants more bytes than are left: a saturating
// subtraction of utf8MaxTail).
//
// The bytes before p are taken to be ASCII, and a sequence that is still
// unfinished at the end of p is not an error: the result says whether p is
// a prefix of valid UTF-8, not whether it is complete. A lead byte C0, C1
// or F5-FF in the last position is not seen either (it is only judged
// with the byte after it); the caller resumes its own scan at the last
// lead byte, which covers both.
//
// Runs of ASCII are checked 128 bytes at a time (the OR of four blocks has
// no top bit set), tried again after every ASCII block; after a block with
// multi-byte sequences the loop stays with single blocks.
//
// Registers: SI the next block, CX the bytes left, Y0 the block, Y1-Y4
// temporaries, Y8 the unfinished-tail bits of the previous block, Y9 the
// previous block, Y10 the accumulated errors, Y11 utf8MaxTail, Y12-Y14 the
// tables, Y15 0x0F.

DATA utf8LookupHi1<>+0x00(SB)/8, $0x0202020202020202 // 0-7 ASCII: continuation after ASCII
DATA utf8LookupHi1<>+0x08(SB)/8, $0x4915012180808080 // 8-B: two continuations; C, D, E, F: leads
DATA utf8LookupHi1<>+0x10(SB)/8, $0x0202020202020202
DATA utf8LookupHi1<>+0x18(SB)/8, $0x4915012180808080
GLOBL utf8LookupHi1<>(SB), RODATA|NOPTR, $32

DATA utf8LookupLo1<>+0x00(SB)/8, $0xcbcbcb8b8383a3e7 // 0: all overlongs; 1: C1; 2, 3; 4: F4; 5-7
DATA utf8LookupLo1<>+0x08(SB)/8, $0xcbcbdbcbcbcbcbcb // 8-C; D: ED; E, F
DATA utf8LookupLo1<>+0x10(SB)/8, $0xcbcbcb8b8383a3e7
DATA utf8LookupLo1<>+0x18(SB)/8, $0xcbcbdbcbcbcbcbcb
GLOBL utf8LookupLo1<>(SB), RODATA|NOPTR, $32

DATA utf8LookupHi2<>+0x00(SB)/8, $0x0101010101010101 // 0-7: not a continuation
DATA utf8LookupHi2<>+0x08(SB)/8, $0x01010101babaaee6 // 8, 9, A, B: continuations; C-F: leads
DATA utf8LookupHi2<>+0x10(SB)/8, $0x0101010101010101
DATA utf8LookupHi2<>+0x18(SB)/8, $0x01010101babaaee6
GLOBL utf8LookupHi2<>(SB), RODATA|NOPTR, $32

// utf8MaxTail: the last byte is unfinished above BF, the one before above
// DF, the one before that above EF.
DATA utf8MaxTail<>+0x00(SB)/8, $0xffffffffffffffff
DATA utf8MaxTail<>+0x08(SB)/8, $0xffffffffffffffff
DATA utf8MaxTail<>+0x10(SB)/8, $0xffffffffffffffff
DATA utf8MaxTail<>+0x18(SB)/8, $0xbfdfefffffffffff
GLOBL utf8MaxTail<>(SB), RODATA|NOPTR, $32

// utf8Consts: 32 bytes each of 0x60 (at 0), 0x70 (at 32) and 0x80 (at
// 64), what a saturating subtraction leaves at or above 0x80 exactly for
// E0-FF and F0-FF, and the top bit.
DATA utf8Consts<>+0x00(SB)/8, $0x6060606060606060
DATA utf8Consts<>+0x08(SB)/8, $0x6060606060606060
DATA utf8Consts<>+0x10(SB)/8, $0x6060606060606060
DATA utf8Consts<>+0x18(SB)/8, $0x6060606060606060
DATA utf8Consts<>+0x20(SB)/8, $0x7070707070707070
DATA utf8Consts<>+0x28(SB)/8, $0x7070707070707070
DATA utf8Consts<>+0x30(SB)/8, $0x7070707070707070
DATA utf8Consts<>+0x38(SB)/8, $0x7070707070707070
DATA utf8Consts<>+0x40(SB)/8, $0x8080808080808080
DATA utf8Consts<>+0x48(SB)/8, $0x8080808080808080
DATA utf8Consts<>+0x50(SB)/8, $0x8080808080808080
DATA utf8Consts<>+0x58(SB)/8, $0x8080808080808080
DATA utf8Consts<>+0x60(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA utf8Consts<>+0x68(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA utf8Consts<>+0x70(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA utf8Consts<>+0x78(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL utf8Consts<>(SB), RODATA|NOPTR, $128

// func utf8ValidAVX2(p []byte) bool
// len(p) must be a multiple of 32. Requires AVX2.
TEXT ·utf8ValidAVX2(SB), NOSPLIT, $0-25
	MOVQ    p_base+0(FP), SI
	MOVQ    p_len+8(FP), CX
	VMOVDQU utf8Consts<>+0x60(SB), Y15
	VMOVDQU utf8LookupHi1<>(SB), Y14
	VMOVDQU utf8LookupLo1<>(SB), Y13
	VMOVDQU utf8LookupHi2<>(SB), Y12
	VMOVDQU utf8MaxTail<>(SB), Y11
	VPXOR   Y10, Y10, Y10
	VPXOR   Y9, Y9, Y9
	VPXOR   Y8, Y8, Y8

ascii128:
	CMPQ      CX, $128
	JB        tail
	VMOVDQU   (SI), Y0
	VPOR      32(SI), Y0, Y0
	VMOVDQU   64(SI), Y1
	VPOR      96(SI), Y1, Y1
	VPOR      Y0, Y1, Y1
	VPMOVMSKB Y1, AX
	TESTL     AX, AX
	JNZ       block

	// 128 ASCII bytes: an error only if the block before ended
	// unfinished.
	VPOR    Y8, Y10, Y10
	VPXOR   Y8, Y8, Y8
	VMOVDQU 96(SI), Y9
	ADDQ    $128, SI
	SUBQ    $128, CX
	JMP     ascii128

tail:
	TESTQ CX, CX
	JZ    done

block:
	VMOVDQU   (SI), Y0
	VPMOVMSKB Y0, AX
	TESTL     AX, AX
	JNZ       multibyte

	// All ASCII: an error only if the previous block ended unfinished.
	VPOR    Y8, Y10, Y10
	VPXOR   Y8, Y8, Y8
	VMOVDQU Y0, Y9
	ADDQ    $32, SI
	SUBQ    $32, CX
	JMP     ascii128

multibyte:
	// Y1: the last 16 bytes of the previous block, then the first 16 of
	// this one; Y2, Y3, Y4: the block shifted by 1, 2, 3 bytes, with the
	// previous block's last bytes shifted in.
	VPERM2I128 $0x21, Y0, Y9, Y1
	VPALIGNR   $15, Y1, Y0, Y2
	VPALIGNR   $14, Y1, Y0, Y3
	VPALIGNR   $13, Y1, Y0, Y4

	// The error classes of each (byte before, byte) pair.
	VPSRLW  $4, Y2, Y1
	VPAND   Y15, Y1, Y1
	VPSHUFB Y1, Y14, Y1
	VPAND   Y15, Y2, Y2
	VPSHUFB Y2, Y13, Y2
	VPAND   Y2, Y1, Y1
	VPSRLW  $4, Y0, Y2
	VPAND   Y15, Y2, Y2
	VPSHUFB Y2, Y12, Y2
	VPAND   Y2, Y1, Y1

	// Third and fourth bytes of a sequence: top bit set where the byte
	// two before is E0-FF or the byte three before F0-FF.
	VPSUBUSB utf8Consts<>+0x00(SB), Y3, Y3
	VPSUBUSB utf8Consts<>+0x20(SB), Y4, Y4
	VPOR     Y4, Y3, Y3
	VPAND    utf8Consts<>+0x40(SB), Y3, Y3
	VPXOR    Y3, Y1, Y1
	VPOR     Y1, Y10, Y10

	VPSUBUSB Y11, Y0, Y8
	VMOVDQU  Y0, Y9
	ADDQ     $32, SI
	SUBQ     $32, CX
	JNZ      block

done:
	VPTEST    Y10, Y10
	SETEQ     ret+24(FP)
	VZEROUPPER
	RET
