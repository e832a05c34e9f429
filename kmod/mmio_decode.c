// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the instruction decoder behind MMIO exits.
 *
 * This file owns the x86 decoding vireo does when a guest access falls
 * outside every memory slot: the prefixes, the opcode tables of the
 * instructions it can emulate (MOV to and from memory, MOV of an immediate,
 * the accumulator MOVs with a direct offset, MOVZX, MOVSX, MOVSXD, STOS and
 * MOVS) and the ModRM/SIB/displacement/immediate lengths. It is pure: the
 * caller fetches the bytes from guest RIP and applies the result, so KUnit
 * checks it with byte strings from the assembler (tests/mmio_decode_test.c).
 *
 * Anything else is -EINVAL, including encodings the CPU would execute but
 * vireo has no use for (a MOV with only register operands cannot cause an
 * MMIO exit). A result of 0 therefore always describes the instruction
 * completely; there is no best-effort decoding.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "mmio_decode.h"

#define REX_W	BIT(3)
#define REX_R	BIT(2)

/* How an opcode's operands are encoded. */
#define OP_MODRM	BIT(0)	/* ModRM with a memory operand follows */
#define OP_MOFFS	BIT(1)	/* an address-size offset follows */
#define OP_IMM		BIT(2)	/* ModRM.reg must be 0; an immediate follows */
#define OP_STRING	BIT(3)	/* STOS or MOVS: rep and addr_size matter */
#define OP_EXTEND	BIT(4)	/* loads @size bytes into an opsize register */
#define OP_SIGNED	BIT(5)	/* ... sign-extending them */
#define OP_REX_W	BIT(6)	/* only valid with REX.W (so only in 64-bit mode) */

/**
 * struct vireo_op - how vireo emulates one opcode
 * @flags: OP_* flags; 0 for an opcode vireo does not decode.
 * @kind: enum vireo_mmio_kind.
 * @size: bytes accessed in memory; 0 for the operand size.
 */
struct vireo_op {
	u8 flags;
	u8 kind;
	u8 size;
};

#define OP(_kind, _size, _flags) \
	{ .flags = (_flags), .kind = VIREO_MMIO_##_kind, .size = (_size) }

/* One-byte opcodes. */
static const struct vireo_op vireo_ops[256] = {
	[0x63] = OP(LOAD,	4, OP_MODRM | OP_EXTEND | OP_SIGNED | OP_REX_W),
	[0x88] = OP(STORE,	1, OP_MODRM),
	[0x89] = OP(STORE,	0, OP_MODRM),
	[0x8a] = OP(LOAD,	1, OP_MODRM),
	[0x8b] = OP(LOAD,	0, OP_MODRM),
	[0xa0] = OP(LOAD,	1, OP_MOFFS),
	[0xa1] = OP(LOAD,	0, OP_MOFFS),
	[0xa2] = OP(STORE,	1, OP_MOFFS),
	[0xa3] = OP(STORE,	0, OP_MOFFS),
	[0xa4] = OP(MOVS,	1, OP_STRING),
	[0xa5] = OP(MOVS,	0, OP_STRING),
	[0xaa] = OP(STOS,	1, OP_STRING),
	[0xab] = OP(STOS,	0, OP_STRING),
	[0xc6] = OP(STORE_IMM,	1, OP_MODRM | OP_IMM),
	[0xc7] = OP(STORE_IMM,	0, OP_MODRM | OP_IMM),
};

/* Two-byte opcodes, after 0F. */
static const struct vireo_op vireo_ops_0f[256] = {
	[0xb6] = OP(LOAD,	1, OP_MODRM | OP_EXTEND),
	[0xb7] = OP(LOAD,	2, OP_MODRM | OP_EXTEND),
	[0xbe] = OP(LOAD,	1, OP_MODRM | OP_EXTEND | OP_SIGNED),
	[0xbf] = OP(LOAD,	2, OP_MODRM | OP_EXTEND | OP_SIGNED),
};

/* The bytes of one instruction and how far decoding has got. */
struct vireo_cursor {
	const u8 *bytes;
	unsigned int avail;
	unsigned int pos;
};

/*
 * Consume @n bytes, returning them as a little-endian number in @val when
 * @val is not NULL: -E2BIG if they would make the instruction longer than
 * the CPU allows, -ENODATA if the caller did not supply them.
 */
static int vireo_take(struct vireo_cursor *c, unsigned int n, u64 *val)
{
	unsigned int i;

	if (c->pos + n > VIREO_INSN_MAX_LEN)
		return -E2BIG;
	if (c->pos + n > c->avail)
		return -ENODATA;
	if (val) {
		*val = 0;
		for (i = 0; i < n; i++)
			*val |= (u64)c->bytes[c->pos + i] << (8 * i);
	}
	c->pos += n;
	return 0;
}

static int vireo_take_u8(struct vireo_cursor *c, u8 *val)
{
	u64 v;
	int r;

	r = vireo_take(c, 1, &v);
	if (!r)
		*val = v;
	return r;
}

/*
 * Skip the SIB byte and displacement that follow @modrm (whose mod is not
 * 3). With 16-bit addressing there is no SIB; mod 0 with r/m 6 is a bare
 * disp16. Otherwise r/m 4 brings a SIB, and mod 0 with r/m 5 (disp32, or
 * RIP-relative in 64-bit mode) or with SIB base 5 (no base) a disp32.
 * REX.B and REX.X never change the length.
 */
static int vireo_skip_address(struct vireo_cursor *c, u8 modrm, u8 addr_size)
{
	u8 mod = modrm >> 6, rm = modrm & 7, sib = 0;
	unsigned int disp;
	int r;

	if (addr_size == 2) {
		if (mod == 0)
			disp = rm == 6 ? 2 : 0;
		else
			disp = mod == 1 ? 1 : 2;
		return vireo_take(c, disp, NULL);
	}

	if (rm == 4) {
		r = vireo_take_u8(c, &sib);
		if (r)
			return r;
	}
	if (mod == 0)
		disp = rm == 5 || (rm == 4 && (sib & 7) == 5) ? 4 : 0;
	else
		disp = mod == 1 ? 1 : 4;
	return vireo_take(c, disp, NULL);
}

/* The prefixes seen before the opcode. */
struct vireo_prefixes {
	bool opsize;	/* 66 */
	bool addrsize;	/* 67 */
	bool rep;	/* F3 */
	bool repne;	/* F2 */
	u8 seg;		/* enum vireo_mmio_seg */
	u8 rex;		/* 0, or the REX byte right before the opcode */
};

/*
 * Consume the legacy and REX prefixes and return the opcode byte in @b.
 * A REX prefix counts only when it is the last prefix; any legacy prefix
 * after it cancels it. 40-4F are INC/DEC outside 64-bit mode, which vireo
 * does not decode, so they end the prefixes there.
 */
static int vireo_prefixes(struct vireo_cursor *c, bool long_mode,
			  struct vireo_prefixes *p, u8 *b)
{
	static const u8 seg_of[4] = {
		[0] = VIREO_SEG_ES, [1] = VIREO_SEG_CS,
		[2] = VIREO_SEG_SS, [3] = VIREO_SEG_DS,
	};
	int r;

	for (;;) {
		r = vireo_take_u8(c, b);
		if (r)
			return r;
		if (long_mode && (*b & 0xf0) == 0x40) {
			p->rex = *b;
			continue;
		}
		switch (*b) {
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			/* 64-bit mode ignores these four. */
			if (!long_mode)
				p->seg = seg_of[(*b >> 3) & 3];
			break;
		case 0x64:
			p->seg = VIREO_SEG_FS;
			break;
		case 0x65:
			p->seg = VIREO_SEG_GS;
			break;
		case 0x66:
			p->opsize = true;
			break;
		case 0x67:
			p->addrsize = true;
			break;
		case 0xf0:
			/* LOCK makes every instruction decoded here #UD. */
			return -EINVAL;
		case 0xf2:
			p->repne = true;
			break;
		case 0xf3:
			p->rep = true;
			break;
		default:
			return 0;
		}
		p->rex = 0;
	}
}

/**
 * vireo_mmio_decode() - decode the instruction that caused an MMIO exit
 * @bytes: the instruction bytes from guest RIP onwards.
 * @avail: how many of @bytes the caller could fetch; more than
 *         VIREO_INSN_MAX_LEN is fine, fewer when the instruction runs into
 *         a page the caller could not read.
 * @mode: the guest's decoding mode, from CR0.PE, RFLAGS.VM, CS.L and CS.D.
 * @insn: the result; written only on success.
 *
 * Decodes MOV (88, 89, 8A, 8B, C6 /0, C7 /0, A0-A3), MOVZX (0F B6, 0F B7),
 * MOVSX (0F BE, 0F BF), MOVSXD (REX.W 63), STOS (AA, AB) and MOVS (A4, A5)
 * with a memory operand, with any legacy prefixes and, in 64-bit mode, REX.
 *
 * Return: 0 with @insn filled in; -EINVAL for an unknown @mode or an
 * instruction vireo does not emulate (another opcode, a register-only
 * ModRM form, LOCK, REPNE on a string move, MOVSXD without REX.W);
 * -ENODATA when the instruction continues past @avail bytes, so the
 * caller may fetch more and retry; -E2BIG when it is longer than 15
 * bytes, which the CPU would refuse with #GP.
 */
int vireo_mmio_decode(const u8 *bytes, unsigned int avail,
		      enum vireo_cpu_mode mode, struct vireo_mmio_insn *insn)
{
	struct vireo_cursor c = { .bytes = bytes, .avail = avail };
	bool long_mode = mode == VIREO_MODE_LONG64;
	struct vireo_mmio_insn out = { };
	struct vireo_prefixes p = { };
	const struct vireo_op *op;
	u8 b, modrm, opsize;
	u64 imm;
	int r;

	if ((unsigned int)mode > VIREO_MODE_LONG64)
		return -EINVAL;
	r = vireo_prefixes(&c, long_mode, &p, &b);
	if (r)
		return r;
	op = &vireo_ops[b];
	if (b == 0x0f) {
		r = vireo_take_u8(&c, &b);
		if (r)
			return r;
		op = &vireo_ops_0f[b];
	}
	if (!op->flags || ((op->flags & OP_REX_W) && !(p.rex & REX_W)))
		return -EINVAL;

	/* The mode's default sizes, flipped by 66 and 67; REX.W beats 66. */
	if (long_mode) {
		opsize = p.rex & REX_W ? 8 : p.opsize ? 2 : 4;
		out.addr_size = p.addrsize ? 4 : 8;
	} else if (mode == VIREO_MODE_PROT32) {
		opsize = p.opsize ? 2 : 4;
		out.addr_size = p.addrsize ? 2 : 4;
	} else {
		opsize = p.opsize ? 4 : 2;
		out.addr_size = p.addrsize ? 4 : 2;
	}

	out.kind = op->kind;
	out.size = op->size ? op->size : opsize;
	out.seg = p.seg;
	if (op->kind != VIREO_MMIO_STORE_IMM && op->kind != VIREO_MMIO_MOVS)
		out.reg_size = op->flags & OP_EXTEND ? opsize : out.size;
	out.sign_extend = op->flags & OP_SIGNED;

	if (op->flags & OP_MODRM) {
		r = vireo_take_u8(&c, &modrm);
		if (r)
			return r;
		/* mod 3 names a register: no memory access, no MMIO exit. */
		if (modrm >> 6 == 3)
			return -EINVAL;
		if ((op->flags & OP_IMM) && (modrm & 0x38))
			return -EINVAL;
		r = vireo_skip_address(&c, modrm, out.addr_size);
		if (r)
			return r;
		if (!(op->flags & OP_IMM))
			out.reg = ((modrm >> 3) & 7) | (p.rex & REX_R ? 8 : 0);
	} else if (op->flags & OP_MOFFS) {
		r = vireo_take(&c, out.addr_size, NULL);
		if (r)
			return r;
	} else if (op->flags & OP_STRING) {
		if (p.repne)
			return -EINVAL;
		out.rep = p.rep;
	}

	if (op->flags & OP_IMM) {
		/* imm8, imm16, or imm32 (sign-extended for 64-bit stores). */
		r = vireo_take(&c, min_t(u8, out.size, 4), &imm);
		if (r)
			return r;
		out.imm = out.size == 8 ? (u64)(s64)(s32)imm : imm;
	}

	/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
	if (out.reg_size == 1 && out.reg >= 4 && !p.rex) {
		out.reg -= 4;
		out.high8 = true;
	}

	out.len = c.pos;
	*insn = out;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vireo_mmio_decode);
