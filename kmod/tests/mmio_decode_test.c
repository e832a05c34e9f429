// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the MMIO instruction decoder (mmio_decode.c).
 *
 * Each case is an instruction as GNU as encodes it (or, for prefix orders
 * as will not emit, as objdump decodes it), the CPU mode it runs in, and
 * what the SDM says the instruction does: direction, access size,
 * register, immediate, length. The expected values are written out here,
 * not derived from the decoder's tables. The rejects cover forms that
 * cannot cause an MMIO exit, instructions vireo does not emulate, bytes
 * that end too soon and instructions longer than 15 bytes.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../mmio_decode.h"

struct decode_case {
	const char *desc;
	enum vireo_cpu_mode mode;
	const char *bytes;	/* the instruction, and nothing after it */
	unsigned int avail;	/* strlen() would stop at a 0x00 byte */
	int ret;
	struct vireo_mmio_insn want;
};

#define DECODE(_desc, _mode, _bytes, ...) {				\
	.desc = (_desc), .mode = VIREO_MODE_##_mode, .bytes = (_bytes),	\
	.avail = sizeof(_bytes) - 1, .want = { __VA_ARGS__ } }

#define REJECT(_desc, _mode, _bytes, _ret) {				\
	.desc = (_desc), .mode = VIREO_MODE_##_mode, .bytes = (_bytes),	\
	.avail = sizeof(_bytes) - 1, .ret = (_ret) }

static const struct decode_case decode_cases[] = {
	DECODE("64: mov [rbx], eax", LONG64, "\x89\x03", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: mov ecx, [rbx]", LONG64, "\x8b\x0b", .len = 2,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg = 1, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: REX.W mov [rbx], rax", LONG64, "\x48\x89\x03", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 8, .reg_size = 8,
	       .addr_size = 8),
	DECODE("64: REX.WR mov [rbx], r9", LONG64, "\x4c\x89\x0b", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 8, .reg = 9, .reg_size = 8,
	       .addr_size = 8),
	DECODE("64: REX.R mov r15d, [rax]", LONG64, "\x44\x8b\x38", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg = 15, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: 66 mov [rdi], ax", LONG64, "\x66\x89\x07", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 8),
	DECODE("64: 66 REX.R mov r11w, [rdi]", LONG64, "\x66\x44\x8b\x1f",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 2, .reg = 11,
	       .reg_size = 2, .addr_size = 8),
	DECODE("64: mov [rdi], al", LONG64, "\x88\x07", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: mov [rdi], ah (no REX)", LONG64, "\x88\x27", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .high8 = true, .addr_size = 8),
	DECODE("64: REX mov [rdi], spl", LONG64, "\x40\x88\x27", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg = 4, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: mov bh, [rsi] (no REX)", LONG64, "\x8a\x3e", .len = 2,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 3, .reg_size = 1,
	       .high8 = true, .addr_size = 8),
	DECODE("64: REX mov dil, [rsi]", LONG64, "\x40\x8a\x3e", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 7, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: REX.R mov r10b, [rsi]", LONG64, "\x44\x8a\x16", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 10, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: REX before 66 is ignored: ah", LONG64, "\x40\x66\x88\x27",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .high8 = true, .addr_size = 8),
	DECODE("64: REX.W before 66 is ignored", LONG64, "\x48\x66\x89\x03",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 8),
	DECODE("64: REX.W beats 66", LONG64, "\x66\x48\x89\x03", .len = 4,
	       .kind = VIREO_MMIO_STORE, .size = 8, .reg_size = 8,
	       .addr_size = 8),
	DECODE("64: last of two REX counts", LONG64, "\x4c\x40\x89\x0b",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 1,
	       .reg_size = 4, .addr_size = 8),
	DECODE("64: disp8", LONG64, "\x89\x53\x10", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: disp32", LONG64, "\x89\x93\x78\x56\x34\x12", .len = 6,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: SIB, no displacement", LONG64, "\x89\x14\x88", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: SIB + disp8", LONG64, "\x89\x54\x88\x08", .len = 4,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: SIB + disp32", LONG64, "\x89\x94\x88\x00\x10\x00\x00",
	       .len = 7, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2,
	       .reg_size = 4, .addr_size = 8),
	DECODE("64: SIB without base: disp32", LONG64,
	       "\x89\x14\xcd\x00\x10\x00\x00", .len = 7,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: SIB, no base, no index", LONG64,
	       "\x65\x89\x14\x25\x10\x00\x00\x00", .len = 8,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8, .seg = VIREO_SEG_GS),
	DECODE("64: [rsp] needs a SIB", LONG64, "\x89\x14\x24", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: [r12] needs a SIB (REX.B)", LONG64, "\x41\x89\x14\x24",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2,
	       .reg_size = 4, .addr_size = 8),
	DECODE("64: [r13] needs a disp8 (REX.B)", LONG64, "\x41\x89\x55\x00",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2,
	       .reg_size = 4, .addr_size = 8),
	DECODE("64: SIB base r13, mod 0: disp32", LONG64,
	       "\x41\x89\x14\x25\x78\x56\x34\x12", .len = 8,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: REX.WRX load r8, [rbx+r11*2]", LONG64, "\x4e\x8b\x04\x5b",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 8, .reg = 8,
	       .reg_size = 8, .addr_size = 8),
	DECODE("64: RIP-relative", LONG64, "\x89\x15\x00\x01\x00\x00", .len = 6,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: 67 EIP-relative", LONG64, "\x67\x89\x15\x00\x01\x00\x00",
	       .len = 7, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 2,
	       .reg_size = 4, .addr_size = 4),
	DECODE("64: 67 mov [ebx], eax", LONG64, "\x67\x89\x03", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 4),
	DECODE("64: 64 (FS) override", LONG64, "\x64\x89\x03", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 8, .seg = VIREO_SEG_FS),
	DECODE("64: 2E (CS) override is ignored", LONG64, "\x2e\x89\x03",
	       .len = 3, .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: F3 (XRELEASE) on MOV is no REP", LONG64, "\xf3\x89\x03",
	       .len = 3, .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: 13 prefixes, 15 bytes in all", LONG64,
	       "\x2e\x3e\x26\x36\x66\x66\x66\x66\x66\x66\x66\x66\x67\x89\x03",
	       .len = 15, .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 4),
	DECODE("64: movb $0x7f, [rax]", LONG64, "\xc6\x00\x7f", .len = 3,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 1, .imm = 0x7f,
	       .addr_size = 8),
	DECODE("64: movb $0x80, [rax]: imm8 not widened", LONG64,
	       "\xc6\x00\x80", .len = 3, .kind = VIREO_MMIO_STORE_IMM,
	       .size = 1, .imm = 0x80, .addr_size = 8),
	DECODE("64: movw $0x8001: imm16", LONG64, "\x66\xc7\x00\x01\x80",
	       .len = 5, .kind = VIREO_MMIO_STORE_IMM, .size = 2, .imm = 0x8001,
	       .addr_size = 8),
	DECODE("64: movl $0xdeadbeef: imm32", LONG64,
	       "\xc7\x00\xef\xbe\xad\xde", .len = 6,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 4, .imm = 0xdeadbeef,
	       .addr_size = 8),
	DECODE("64: movq $-2: imm32 sign-extended", LONG64,
	       "\x48\xc7\x00\xfe\xff\xff\xff", .len = 7,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 8,
	       .imm = 0xfffffffffffffffeULL, .addr_size = 8),
	DECODE("64: movq $0x7fffffff, RIP-relative", LONG64,
	       "\x48\xc7\x05\x10\x00\x00\x00\xff\xff\xff\x7f", .len = 11,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 8, .imm = 0x7fffffff,
	       .addr_size = 8),
	DECODE("64: movl $1, SIB + disp32", LONG64,
	       "\xc7\x84\xd8\x78\x56\x34\x12\x01\x00\x00\x00", .len = 11,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 4, .imm = 0x1,
	       .addr_size = 8),
	DECODE("64: REX.R on C7 is harmless", LONG64,
	       "\x4c\xc7\x00\x00\x00\x00\x80", .len = 7,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 8,
	       .imm = 0xffffffff80000000ULL, .addr_size = 8),
	DECODE("64: moffs64 load al", LONG64,
	       "\xa0\x88\x77\x66\x55\x44\x33\x22\x11", .len = 9,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: moffs64 load eax", LONG64,
	       "\xa1\x88\x77\x66\x55\x44\x33\x22\x11", .len = 9,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: REX.W moffs64 store rax", LONG64,
	       "\x48\xa3\x88\x77\x66\x55\x44\x33\x22\x11", .len = 10,
	       .kind = VIREO_MMIO_STORE, .size = 8, .reg_size = 8,
	       .addr_size = 8),
	DECODE("64: moffs64 store al", LONG64,
	       "\xa2\x88\x77\x66\x55\x44\x33\x22\x11", .len = 9,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .addr_size = 8),
	DECODE("64: 67 moffs32 load eax", LONG64, "\x67\xa1\x78\x56\x34\x12",
	       .len = 6, .kind = VIREO_MMIO_LOAD, .size = 4, .reg_size = 4,
	       .addr_size = 4),
	DECODE("64: movzx eax, byte [rsi]", LONG64, "\x0f\xb6\x06", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 4,
	       .addr_size = 8),
	DECODE("64: 66 movzx ax, byte [rsi]", LONG64, "\x66\x0f\xb6\x06",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 2,
	       .addr_size = 8),
	DECODE("64: REX.WR movzx r9, word [rsi]", LONG64, "\x4c\x0f\xb7\x0e",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 2, .reg = 9,
	       .reg_size = 8, .addr_size = 8),
	DECODE("64: movzx esi, byte: no high8", LONG64, "\x0f\xb6\x30",
	       .len = 3, .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 6,
	       .reg_size = 4, .addr_size = 8),
	DECODE("64: REX.W movsx rax, byte [rsi]", LONG64, "\x48\x0f\xbe\x06",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 8,
	       .sign_extend = true, .addr_size = 8),
	DECODE("64: movsx edx, word [rsi]", LONG64, "\x0f\xbf\x16", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 2, .reg = 2, .reg_size = 4,
	       .sign_extend = true, .addr_size = 8),
	DECODE("64: REX.W movsxd rax, [rsi]", LONG64, "\x48\x63\x06", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg_size = 8,
	       .sign_extend = true, .addr_size = 8),
	DECODE("64: REX.WR movsxd r12, disp8", LONG64, "\x4c\x63\x66\x08",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 4, .reg = 12,
	       .reg_size = 8, .sign_extend = true, .addr_size = 8),
	DECODE("64: bytes after the instruction are ignored", LONG64,
	       "\x89\x03\x90\x90\x90", .len = 2, .kind = VIREO_MMIO_STORE,
	       .size = 4, .reg_size = 4, .addr_size = 8),
	DECODE("64: stosb", LONG64, "\xaa", .len = 1, .kind = VIREO_MMIO_STOS,
	       .size = 1, .reg_size = 1, .addr_size = 8),
	DECODE("64: stosl", LONG64, "\xab", .len = 1, .kind = VIREO_MMIO_STOS,
	       .size = 4, .reg_size = 4, .addr_size = 8),
	DECODE("64: rep stosq", LONG64, "\xf3\x48\xab", .len = 3,
	       .kind = VIREO_MMIO_STOS, .size = 8, .reg_size = 8, .rep = true,
	       .addr_size = 8),
	DECODE("64: 67 rep stosw", LONG64, "\x67\x66\xf3\xab", .len = 4,
	       .kind = VIREO_MMIO_STOS, .size = 2, .reg_size = 2, .rep = true,
	       .addr_size = 4),
	DECODE("64: movsb", LONG64, "\xa4", .len = 1, .kind = VIREO_MMIO_MOVS,
	       .size = 1, .addr_size = 8),
	DECODE("64: rep movsq", LONG64, "\xf3\x48\xa5", .len = 3,
	       .kind = VIREO_MMIO_MOVS, .size = 8, .rep = true, .addr_size = 8),
	DECODE("64: FS movsw", LONG64, "\x64\x66\xa5", .len = 3,
	       .kind = VIREO_MMIO_MOVS, .size = 2, .addr_size = 8,
	       .seg = VIREO_SEG_FS),
	DECODE("32: mov [ebx], eax", PROT32, "\x89\x03", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 4),
	DECODE("32: 66 mov [ebx], ax", PROT32, "\x66\x89\x03", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 4),
	DECODE("32: mov ecx, [ebp+0x10]", PROT32, "\x8b\x4d\x10", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg = 1, .reg_size = 4,
	       .addr_size = 4),
	DECODE("32: mov dh, [esi] (high8)", PROT32, "\x8a\x36", .len = 2,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 2, .reg_size = 1,
	       .high8 = true, .addr_size = 4),
	DECODE("32: SIB + disp32", PROT32, "\x89\xbc\x88\x78\x56\x34\x12",
	       .len = 7, .kind = VIREO_MMIO_STORE, .size = 4, .reg = 7,
	       .reg_size = 4, .addr_size = 4),
	DECODE("32: mod 0 r/m 5 is disp32 (no RIP)", PROT32,
	       "\x89\x0d\x00\x10\x00\x00", .len = 6, .kind = VIREO_MMIO_STORE,
	       .size = 4, .reg = 1, .reg_size = 4, .addr_size = 4),
	DECODE("32: ES override", PROT32, "\x26\x89\x03", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 4, .seg = VIREO_SEG_ES),
	DECODE("32: SS then DS: last wins", PROT32, "\x36\x3e\x89\x03",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 4, .seg = VIREO_SEG_DS),
	DECODE("32: 67 16-bit addressing [bx+si]", PROT32, "\x67\x89\x00",
	       .len = 3, .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 2),
	DECODE("32: movw $0xfffe, [eax]", PROT32, "\x66\xc7\x00\xfe\xff",
	       .len = 5, .kind = VIREO_MMIO_STORE_IMM, .size = 2, .imm = 0xfffe,
	       .addr_size = 4),
	DECODE("32: movl $-1: no extension past 32", PROT32,
	       "\xc7\x00\xff\xff\xff\xff", .len = 6,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 4, .imm = 0xffffffff,
	       .addr_size = 4),
	DECODE("32: moffs32 load eax", PROT32, "\xa1\x78\x56\x34\x12", .len = 5,
	       .kind = VIREO_MMIO_LOAD, .size = 4, .reg_size = 4,
	       .addr_size = 4),
	DECODE("32: 67 moffs16 store ax", PROT32, "\x67\x66\xa3\x34\x12",
	       .len = 5, .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("32: movzx ecx, word [ebx]", PROT32, "\x0f\xb7\x0b", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 2, .reg = 1, .reg_size = 4,
	       .addr_size = 4),
	DECODE("32: movsx ecx, byte [ebx]", PROT32, "\x0f\xbe\x0b", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg = 1, .reg_size = 4,
	       .sign_extend = true, .addr_size = 4),
	DECODE("32: 66 stosw", PROT32, "\x66\xab", .len = 2,
	       .kind = VIREO_MMIO_STOS, .size = 2, .reg_size = 2,
	       .addr_size = 4),
	DECODE("32: rep movsl", PROT32, "\xf3\xa5", .len = 2,
	       .kind = VIREO_MMIO_MOVS, .size = 4, .rep = true, .addr_size = 4),
	DECODE("32: GS rep movsb", PROT32, "\x65\xf3\xa4", .len = 3,
	       .kind = VIREO_MMIO_MOVS, .size = 1, .rep = true, .addr_size = 4,
	       .seg = VIREO_SEG_GS),
	DECODE("real: mov [bx], ax", REAL, "\x89\x07", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("real: 66 mov [bx], eax", REAL, "\x66\x89\x07", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 4, .reg_size = 4,
	       .addr_size = 2),
	DECODE("real: mov [si], ah (high8)", REAL, "\x88\x24", .len = 2,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .high8 = true, .addr_size = 2),
	DECODE("real: mod 0 r/m 6 is disp16", REAL, "\x89\x16\x34\x12",
	       .len = 4, .kind = VIREO_MMIO_STORE, .size = 2, .reg = 2,
	       .reg_size = 2, .addr_size = 2),
	DECODE("real: [bp] is [bp+disp8]", REAL, "\x89\x46\x00", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("real: [bx+di+disp8]", REAL, "\x8b\x49\x10", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 2, .reg = 1, .reg_size = 2,
	       .addr_size = 2),
	DECODE("real: [bx+si+disp16]", REAL, "\x89\x80\x34\x12", .len = 4,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("real: 67 SIB [eax+ebx*2]", REAL, "\x67\x89\x04\x58", .len = 4,
	       .kind = VIREO_MMIO_STORE, .size = 2, .reg_size = 2,
	       .addr_size = 4),
	DECODE("real: moffs16 load ax", REAL, "\xa1\x34\x12", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("real: moffs16 store al", REAL, "\xa2\x34\x12", .len = 3,
	       .kind = VIREO_MMIO_STORE, .size = 1, .reg_size = 1,
	       .addr_size = 2),
	DECODE("real: 67 moffs32 load ax", REAL, "\x67\xa1\x78\x56\x34\x12",
	       .len = 6, .kind = VIREO_MMIO_LOAD, .size = 2, .reg_size = 2,
	       .addr_size = 4),
	DECODE("real: movb $0xff, [di]", REAL, "\xc6\x05\xff", .len = 3,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 1, .imm = 0xff,
	       .addr_size = 2),
	DECODE("real: rep stosb", REAL, "\xf3\xaa", .len = 2,
	       .kind = VIREO_MMIO_STOS, .size = 1, .reg_size = 1, .rep = true,
	       .addr_size = 2),
	DECODE("real: rep movsw", REAL, "\xf3\xa5", .len = 2,
	       .kind = VIREO_MMIO_MOVS, .size = 2, .rep = true, .addr_size = 2),
	DECODE("real: 66 67 rep stosl", REAL, "\x67\x66\xf3\xab", .len = 4,
	       .kind = VIREO_MMIO_STOS, .size = 4, .reg_size = 4, .rep = true,
	       .addr_size = 4),
	DECODE("pm16: movw $0x1234, [bx]: imm16", PROT16, "\xc7\x07\x34\x12",
	       .len = 4, .kind = VIREO_MMIO_STORE_IMM, .size = 2, .imm = 0x1234,
	       .addr_size = 2),
	DECODE("pm16: 66 movl $0x87654321: imm32", PROT16,
	       "\x66\xc7\x07\x21\x43\x65\x87", .len = 7,
	       .kind = VIREO_MMIO_STORE_IMM, .size = 4, .imm = 0x87654321,
	       .addr_size = 2),
	DECODE("pm16: movzx ax, byte [si]", PROT16, "\x0f\xb6\x04", .len = 3,
	       .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 2,
	       .addr_size = 2),
	DECODE("pm16: 66 movsx eax, byte [si]", PROT16, "\x66\x0f\xbe\x04",
	       .len = 4, .kind = VIREO_MMIO_LOAD, .size = 1, .reg_size = 4,
	       .sign_extend = true, .addr_size = 2),
	DECODE("pm16: mov ax, [bx+si]", PROT16, "\x8b\x00", .len = 2,
	       .kind = VIREO_MMIO_LOAD, .size = 2, .reg_size = 2,
	       .addr_size = 2),
	DECODE("pm16: movsb", PROT16, "\xa4", .len = 1, .kind = VIREO_MMIO_MOVS,
	       .size = 1, .addr_size = 2),
	REJECT("reject 64: mov ebx, eax (mod 3)", LONG64, "\x89\xc3", -EINVAL),
	REJECT("reject 64: movzx eax, al (mod 3)", LONG64, "\x0f\xb6\xc0",
	       -EINVAL),
	REJECT("reject real: mov al, imm (C6 mod 3)", REAL, "\xc6\xc0\x12",
	       -EINVAL),
	REJECT("reject 64: LOCK mov", LONG64, "\xf0\x89\x03", -EINVAL),
	REJECT("reject 64: LOCK stosb", LONG64, "\xf0\xaa", -EINVAL),
	REJECT("reject 64: add [rbx], eax", LONG64, "\x01\x03", -EINVAL),
	REJECT("reject 64: cmp [rbx], eax", LONG64, "\x39\x03", -EINVAL),
	REJECT("reject 64: xchg [rbx], eax", LONG64, "\x87\x03", -EINVAL),
	REJECT("reject 64: mov ds, [rax]", LONG64, "\x8e\x18", -EINVAL),
	REJECT("reject 64: movups (0F 11)", LONG64, "\x0f\x11\x00", -EINVAL),
	REJECT("reject 64: VEX vmovups", LONG64, "\xc5\xf8\x11\x03", -EINVAL),
	REJECT("reject 64: C7 /1 is not MOV", LONG64,
	       "\xc7\x08\x01\x00\x00\x00", -EINVAL),
	REJECT("reject 64: movsxd without REX.W", LONG64, "\x63\x06", -EINVAL),
	REJECT("reject 32: 63 is ARPL", PROT32, "\x63\x03", -EINVAL),
	REJECT("reject 32: 48 is DEC eax, not REX.W", PROT32, "\x48\x89\x03",
	       -EINVAL),
	REJECT("reject 64: REPNE stos", LONG64, "\xf2\xab", -EINVAL),
	REJECT("reject 64: empty", LONG64, "", -ENODATA),
	REJECT("reject 64: only prefixes", LONG64, "\x66\x48", -ENODATA),
	REJECT("reject 64: 0F alone", LONG64, "\x0f", -ENODATA),
	REJECT("reject 64: no ModRM", LONG64, "\x89", -ENODATA),
	REJECT("reject 64: truncated SIB", LONG64, "\x89\x04", -ENODATA),
	REJECT("reject 64: truncated disp32", LONG64, "\x89\x15\x00\x01\x00",
	       -ENODATA),
	REJECT("reject 64: truncated imm32", LONG64, "\xc7\x00\x01\x00",
	       -ENODATA),
	REJECT("reject 64: moffs64 cut to 4 bytes", LONG64,
	       "\xa1\x78\x56\x34\x12", -ENODATA),
	REJECT("reject real: truncated disp16", REAL, "\x89\x16\x34", -ENODATA),
	REJECT("reject 64: 15 prefixes, opcode 16th", LONG64,
	       "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x89\x03",
	       -E2BIG),
	REJECT("reject 64: 14 prefixes, 16 bytes", LONG64,
	       "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x89\x03",
	       -E2BIG),
	REJECT("reject 64: imm32 ends at byte 18", LONG64,
	       "\x66\x66\x66\x66\x66\x66\x66\x66\x67\x2e\x3e\x48\xc7\x00\x01\x00\x00\x00",
	       -E2BIG),
};

static void decode_case_desc(const struct decode_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(decode, decode_cases, decode_case_desc);

static void mmio_decode_one(struct kunit *test)
{
	const struct decode_case *c = test->param_value;
	struct vireo_mmio_insn got, before;
	u8 *buf;
	int ret;

	/* Arrange: a buffer of exactly @avail bytes, so KASAN sees overreads. */
	buf = kunit_kmalloc(test, c->avail ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->bytes, c->avail);
	memset(&got, 0xa5, sizeof(got));
	before = got;
	/* Act */
	ret = vireo_mmio_decode(buf, c->avail, c->mode, &got);
	/* Assert */
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&got, &before, sizeof(got)), 0,
				    "a failed decode wrote its result");
		return;
	}
	KUNIT_EXPECT_EQ(test, got.len, c->want.len);
	KUNIT_EXPECT_EQ(test, got.kind, c->want.kind);
	KUNIT_EXPECT_EQ(test, got.size, c->want.size);
	KUNIT_EXPECT_EQ(test, got.reg, c->want.reg);
	KUNIT_EXPECT_EQ(test, got.reg_size, c->want.reg_size);
	KUNIT_EXPECT_EQ(test, got.high8, c->want.high8);
	KUNIT_EXPECT_EQ(test, got.sign_extend, c->want.sign_extend);
	KUNIT_EXPECT_EQ(test, got.imm, c->want.imm);
	KUNIT_EXPECT_EQ(test, got.rep, c->want.rep);
	KUNIT_EXPECT_EQ(test, got.addr_size, c->want.addr_size);
	KUNIT_EXPECT_EQ(test, got.seg, c->want.seg);
}

static void mmio_decode_unknown_mode(struct kunit *test)
{
	static const u8 mov[] = { 0x89, 0x03 };
	struct vireo_mmio_insn got;

	KUNIT_EXPECT_EQ(test, vireo_mmio_decode(mov, sizeof(mov),
						(enum vireo_cpu_mode)4, &got),
			-EINVAL);
}

static struct kunit_case mmio_decode_test_cases[] = {
	KUNIT_CASE_PARAM(mmio_decode_one, decode_gen_params),
	KUNIT_CASE(mmio_decode_unknown_mode),
	{}
};

static struct kunit_suite mmio_decode_test_suite = {
	.name = "vireo_mmio_decode",
	.test_cases = mmio_decode_test_cases,
};

kunit_test_suite(mmio_decode_test_suite);
