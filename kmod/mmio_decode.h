/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: decoding the guest instruction behind an MMIO exit.
 *
 * When a guest touches guest-physical memory that no memory slot backs, the
 * EPT violation tells vireo the address but not what the instruction does.
 * vireo_mmio_decode() turns the instruction bytes, fetched by the caller
 * from guest RIP, into a struct vireo_mmio_insn: direction, access size,
 * register or immediate, prefixes that matter, and length. It supports the
 * MOV family and the STOS/MOVS string moves, and nothing else.
 */
#ifndef VIREO_MMIO_DECODE_H
#define VIREO_MMIO_DECODE_H

#include <linux/types.h>

/* The architectural limit on the length of one x86 instruction. */
#define VIREO_INSN_MAX_LEN	15

/**
 * enum vireo_cpu_mode - how the guest CPU decodes instructions
 * @VIREO_MODE_REAL: real mode or virtual-8086 mode; operand and address
 *                   size 16.
 * @VIREO_MODE_PROT16: protected mode (or compatibility mode) with a 16-bit
 *                     code segment (CS.D = 0).
 * @VIREO_MODE_PROT32: protected mode (or compatibility mode) with a 32-bit
 *                     code segment (CS.D = 1).
 * @VIREO_MODE_LONG64: 64-bit mode (CS.L = 1): operand size 32, address
 *                     size 64, REX prefixes.
 */
enum vireo_cpu_mode {
	VIREO_MODE_REAL,
	VIREO_MODE_PROT16,
	VIREO_MODE_PROT32,
	VIREO_MODE_LONG64,
};

/**
 * enum vireo_mmio_kind - what the instruction does with memory
 * @VIREO_MMIO_LOAD: memory to register @reg (MOV, MOVZX, MOVSX, MOVSXD).
 * @VIREO_MMIO_STORE: register @reg to memory (MOV).
 * @VIREO_MMIO_STORE_IMM: @imm to memory (MOV with an immediate).
 * @VIREO_MMIO_STOS: AL/AX/EAX/RAX to ES:[rDI]; the caller steps rDI by
 *                   RFLAGS.DF and, with @rep, counts rCX down.
 * @VIREO_MMIO_MOVS: [rSI] (DS or @seg) to ES:[rDI]; either side may be
 *                   the MMIO one, and DF and @rep work as for STOS.
 */
enum vireo_mmio_kind {
	VIREO_MMIO_LOAD,
	VIREO_MMIO_STORE,
	VIREO_MMIO_STORE_IMM,
	VIREO_MMIO_STOS,
	VIREO_MMIO_MOVS,
};

/**
 * enum vireo_mmio_seg - segment override prefix of the instruction
 * @VIREO_SEG_DEFAULT: no override (or, in 64-bit mode, only ES/CS/SS/DS
 *                     overrides, which that mode ignores).
 * @VIREO_SEG_ES: 26.
 * @VIREO_SEG_CS: 2E.
 * @VIREO_SEG_SS: 36.
 * @VIREO_SEG_DS: 3E.
 * @VIREO_SEG_FS: 64.
 * @VIREO_SEG_GS: 65.
 */
enum vireo_mmio_seg {
	VIREO_SEG_DEFAULT,
	VIREO_SEG_ES,
	VIREO_SEG_CS,
	VIREO_SEG_SS,
	VIREO_SEG_DS,
	VIREO_SEG_FS,
	VIREO_SEG_GS,
};

/**
 * struct vireo_mmio_insn - one decoded memory-accessing instruction
 * @imm: the immediate of %VIREO_MMIO_STORE_IMM, as the CPU stores it:
 *       zero-extended from @size bytes, except that a 64-bit store
 *       sign-extends its 32-bit immediate. 0 for other kinds.
 * @kind: what the instruction does (enum vireo_mmio_kind).
 * @len: length of the instruction in bytes, prefixes included: add it to
 *       RIP to complete the instruction.
 * @size: bytes the instruction reads or writes in memory: 1, 2, 4 or 8.
 * @reg: the register operand of LOAD, STORE and STOS, 0-15 in VMX order
 *       (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15). With @high8 it
 *       is the register whose bits 15:8 are meant.
 * @reg_size: width of that register operand; it differs from @size only
 *       for MOVZX, MOVSX and MOVSXD, which load @size bytes into a wider
 *       register. 0 for STORE_IMM and MOVS. The caller applies the
 *       architectural rule that a 4-byte write to a GPR in 64-bit mode
 *       clears bits 63:32 and narrower writes keep the rest.
 * @high8: the register operand is AH, CH, DH or BH (@reg 0-3): a byte
 *       register 4-7 encoded without any REX prefix.
 * @sign_extend: a LOAD that sign-extends (MOVSX, MOVSXD) rather than
 *       zero-extends @size bytes to @reg_size.
 * @rep: an F3 (REP) prefix on STOS or MOVS.
 * @addr_size: address size in bytes, 2, 4 or 8: the width of rSI, rDI and
 *       rCX that STOS and MOVS use and update.
 * @seg: segment override prefix (enum vireo_mmio_seg), the last one wins;
 *       what a MOVS source or the caller's own address checks use.
 */
struct vireo_mmio_insn {
	u64 imm;
	u8 kind;
	u8 len;
	u8 size;
	u8 reg;
	u8 reg_size;
	bool high8;
	bool sign_extend;
	bool rep;
	u8 addr_size;
	u8 seg;
};

int vireo_mmio_decode(const u8 *bytes, unsigned int avail,
		      enum vireo_cpu_mode mode, struct vireo_mmio_insn *insn);

#endif /* VIREO_MMIO_DECODE_H */
