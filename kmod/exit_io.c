// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: port I/O exits.
 *
 * Every IN and OUT exits (the I/O bitmaps are all ones) and goes to the
 * VMM: ports are devices, and devices live in userspace. A plain IN or OUT
 * is one exit. A string instruction (INS, OUTS, with or without REP) is
 * cut into chunks: as many elements as fit the run struct's data area and
 * stay within one guest page in the direction DF says, one exit per chunk.
 * For each chunk vireo moves RSI or RDI and counts RCX down as the CPU
 * would; while elements remain RIP stays put, so the guest executes the
 * instruction again and the next chunk exits in turn. A string buffer the
 * guest's page tables do not map raises #PF in the guest, as the
 * instruction itself would have.
 *
 * OUT data is copied before the exit, so the instruction is complete when
 * userspace sees it. IN completes at the next VIREO_RUN
 * (vireo_io_complete_in()), from what userspace stored in the data area.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "caps.h"
#include "exit.h"
#include "gmem.h"
#include "inject.h"
#include "regs.h"
#include "vcpu.h"
#include "vmx_ops.h"

#define PF_WRITE	BIT(1)

static u8 *io_data(struct vireo_vcpu *vcpu)
{
	return (u8 *)vcpu->run + VIREO_RUN_DATA_OFFSET;
}

static u64 addr_mask(u8 addr_size)
{
	return addr_size == 8 ? ~0ull : (1ull << (addr_size * 8)) - 1;
}

/* Write a string register the way the CPU does for this address size. */
static void set_string_reg(struct vireo_vcpu *vcpu, int reg, u64 val, u8 addr_size)
{
	u64 mask = addr_mask(addr_size);

	if (addr_size == 2)
		vcpu->regs[reg] = (vcpu->regs[reg] & ~mask) | (val & mask);
	else
		vcpu->regs[reg] = val & mask;	/* 32-bit writes zero-extend */
}

/* Address size of the string instruction at RIP. */
static int string_addr_size(struct vireo_vcpu *vcpu, u8 *size)
{
	enum vireo_cpu_mode mode = vireo_cpu_mode(vcpu);
	u8 insn[VIREO_INSN_MAX_LEN];
	int n, i;

	if (vireo_caps.msr[VIREO_MSR_BASIC] & VMX_BASIC_INOUT) {
		*size = 2 << ((vmcs_read32(VMX_INSTRUCTION_INFO) >> 7) & 7);
		return 0;
	}
	/* Without VMX's help: the default size, flipped by a 0x67 prefix. */
	*size = mode == VIREO_MODE_LONG64 ? 8 : mode == VIREO_MODE_PROT32 ? 4 : 2;
	n = vireo_fetch_insn(vcpu, insn);
	for (i = 0; i < n; i++) {
		switch (insn[i]) {
		case 0x67:
			*size = mode == VIREO_MODE_LONG64 ? 4 : 6 - *size;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		case 0x66: case 0xf2: case 0xf3:
			continue;
		}
		if (mode == VIREO_MODE_LONG64 && (insn[i] & 0xf0) == 0x40)
			continue;
		return 0;
	}
	return -EFAULT;
}

/* How many elements of this string instruction fit in one exit. */
static u32 chunk_elements(u64 gva, u8 size, bool df, u32 count)
{
	u32 room = df ? offset_in_page(gva) / size + 1
		      : (PAGE_SIZE - offset_in_page(gva)) / size;

	room = max(room, 1u);	/* an element across a page boundary goes alone */
	return min3(count, room, (u32)(VIREO_RUN_DATA_SIZE / size));
}

/* Copy @n elements between guest memory and @buf in execution order. */
static int string_copy(struct vireo_vcpu *vcpu, u64 gva, u8 *buf, u8 size, u32 n,
		       bool df, bool to_guest)
{
	u32 i;

	if (!df)
		return to_guest ? vireo_gva_write(vcpu, gva, buf, (size_t)n * size)
				: vireo_gva_read(vcpu, gva, buf, (size_t)n * size);
	for (i = 0; i < n; i++, gva -= size, buf += size) {
		int r = to_guest ? vireo_gva_write(vcpu, gva, buf, size)
				 : vireo_gva_read(vcpu, gva, buf, size);
		if (r)
			return r;
	}
	return 0;
}

/* Advance the string registers past @n elements; true when it is done. */
static bool string_advance(struct vireo_vcpu *vcpu, int reg, u32 n)
{
	struct vireo_io_state *io = &vcpu->io;
	s64 step = (s64)n * io->size * (io->df ? -1 : 1);
	u64 mask = addr_mask(io->addr_size);

	set_string_reg(vcpu, reg, vcpu->regs[reg] + step, io->addr_size);
	if (!io->rep)
		return true;
	set_string_reg(vcpu, VIREO_RCX, (vcpu->regs[VIREO_RCX] & mask) - n, io->addr_size);
	return !(vcpu->regs[VIREO_RCX] & mask);
}

static int io_string(struct vireo_vcpu *vcpu, bool in, u16 port)
{
	struct vireo_io_state *io = &vcpu->io;
	struct vireo_run *run = vcpu->run;
	u64 gva = vmcs_readl(GUEST_LINEAR_ADDRESS), gpa;
	u32 count = 1, n;

	if (string_addr_size(vcpu, &io->addr_size))
		return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
					    "cannot read the string I/O instruction at RIP");
	io->df = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_DF;
	if (io->rep)
		count = vcpu->regs[VIREO_RCX] & addr_mask(io->addr_size);
	if (!count) {
		vireo_skip_insn(vcpu);
		return VIREO_RESUME;
	}
	n = chunk_elements(gva, io->size, io->df, count);

	if (in) {
		/* Fault now, not after userspace has done the I/O. */
		if (vireo_gva_to_gpa(vcpu, gva, true, &gpa)) {
			vireo_inject_pf(vcpu, gva, PF_WRITE);
			return VIREO_RESUME;
		}
		io->gva = gva;
		io->count = n;
		vcpu->pending = VIREO_PENDING_IN;
	} else {
		if (string_copy(vcpu, gva, io_data(vcpu), io->size, n, io->df, false)) {
			vireo_inject_pf(vcpu, gva, 0);
			return VIREO_RESUME;
		}
		if (string_advance(vcpu, VIREO_RSI, n))
			vireo_skip_insn(vcpu);
	}
	run->io.direction = in ? VIREO_IO_IN : VIREO_IO_OUT;
	run->io.size = io->size;
	run->io.port = port;
	run->io.count = n;
	run->io.data_offset = VIREO_RUN_DATA_OFFSET;
	return vireo_user_exit(vcpu, VIREO_EXIT_IO);
}

/**
 * vireo_handle_io() - an IN, OUT, INS or OUTS exit
 * @vcpu: the vCPU.
 *
 * Return: VIREO_USER with a VIREO_EXIT_IO for the VMM, VIREO_RESUME when
 * the guest gets a fault instead, or an internal error.
 */
int vireo_handle_io(struct vireo_vcpu *vcpu)
{
	unsigned long q = vireo_exit_qual(vcpu);
	struct vireo_io_state *io = &vcpu->io;
	struct vireo_run *run = vcpu->run;
	bool in = q & 8;
	u16 port = q >> 16;

	memset(&run->io, 0, sizeof(run->io));
	io->size = (q & 7) + 1;
	io->string = q & 16;
	io->rep = q & 32;
	if (io->string)
		return io_string(vcpu, in, port);

	run->io.direction = in ? VIREO_IO_IN : VIREO_IO_OUT;
	run->io.size = io->size;
	run->io.port = port;
	run->io.count = 1;
	run->io.data_offset = VIREO_RUN_DATA_OFFSET;
	io->count = 1;
	if (in)
		vcpu->pending = VIREO_PENDING_IN;
	else
		memcpy(io_data(vcpu), &vcpu->regs[VIREO_RAX], io->size);
	vireo_skip_insn(vcpu);
	return vireo_user_exit(vcpu, VIREO_EXIT_IO);
}

/**
 * vireo_io_complete_in() - store what userspace read for an IN or INS
 * @vcpu: the vCPU, its VMCS current.
 *
 * Return: VIREO_RESUME, or an internal error.
 */
int vireo_io_complete_in(struct vireo_vcpu *vcpu)
{
	struct vireo_io_state *io = &vcpu->io;
	unsigned long *rax = &vcpu->regs[VIREO_RAX];
	u32 val = 0;

	if (!io->string) {
		memcpy(&val, io_data(vcpu), io->size);
		if (io->size == 4)
			*rax = val;
		else
			*rax = (*rax & ~((1ul << (io->size * 8)) - 1)) | val;
		return VIREO_RESUME;
	}
	if (string_copy(vcpu, io->gva, io_data(vcpu), io->size, io->count, io->df, true))
		return vireo_internal_error(vcpu, VIREO_INTERNAL_MEMORY,
					    "INS buffer at %#llx vanished from guest memory",
					    io->gva);
	if (string_advance(vcpu, VIREO_RDI, io->count))
		vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}
