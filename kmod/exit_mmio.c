// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: EPT violations, which are dirty logging or MMIO.
 *
 * Guest RAM is mapped in full when a slot is created (ept.c), so an EPT
 * violation means one of three things:
 *   - the first write to a page of a dirty-logged slot: mark it dirty, make
 *     it writable, resume;
 *   - an access to the local APIC page: emulated here, in the kernel;
 *   - an access to no RAM at all, or a write to a read-only slot: MMIO,
 *     for the VMM.
 * An MMIO access needs the instruction: vireo fetches it from guest RIP,
 * decodes it (mmio_decode.c) and tells the VMM the address, size,
 * direction and, for writes, the data. A write is complete when the VMM
 * sees it; a read completes at the next VIREO_RUN
 * (vireo_mmio_complete_read()) with the VMM's data, extended into the
 * destination register as the instruction says. STOS and MOVS move one
 * element per exit; with REP, RIP stays until RCX runs out. An instruction
 * the decoder does not know stops the vCPU with an internal error that
 * names its bytes: vireo never guesses.
 */
#include <linux/kernel.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "ept.h"
#include "exit.h"
#include "gmem.h"
#include "lapic.h"
#include "memslot.h"
#include "mmio_decode.h"
#include "regs.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx_ops.h"

/* EPT violations in a row on mapped RAM before vireo calls it a loop. */
#define EPT_RETRY_LIMIT	64

static u64 addr_mask(u8 addr_size)
{
	return addr_size == 8 ? ~0ull : (1ull << (addr_size * 8)) - 1;
}

static u64 size_mask(u8 size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* Segment of a decoded prefix, in VMX order (vireo_seg_base()). */
static int vmx_seg(u8 seg, int dflt)
{
	static const int map[] = {
		[VIREO_SEG_ES] = 0, [VIREO_SEG_CS] = 1, [VIREO_SEG_SS] = 2,
		[VIREO_SEG_DS] = 3, [VIREO_SEG_FS] = 4, [VIREO_SEG_GS] = 5,
	};

	return seg == VIREO_SEG_DEFAULT || seg >= ARRAY_SIZE(map) ? dflt : map[seg];
}

/* Write @val to register @reg with the width and extension the CPU uses. */
static void store_reg(struct vireo_vcpu *vcpu, const struct vireo_mmio_insn *insn,
		      u64 val)
{
	unsigned long *r;
	u8 width = insn->reg_size;

	if (insn->reg == VIREO_RSP) {
		/* Loading RSP from MMIO: legal, and vireo keeps RSP in the VMCS. */
		vcpu->regs[VIREO_RSP] = vmcs_readl(GUEST_RSP);
	}
	r = &vcpu->regs[insn->reg];
	if (insn->sign_extend)
		val = (u64)sign_extend64(val, insn->size * 8 - 1);
	if (insn->high8)
		*r = (*r & ~0xff00ul) | ((val & 0xff) << 8);
	else if (width >= 4)
		*r = width == 4 ? (u32)val : val;
	else
		*r = (*r & ~size_mask(width)) | (val & size_mask(width));
	if (insn->reg == VIREO_RSP)
		vmcs_writel(GUEST_RSP, vcpu->regs[VIREO_RSP]);
}

static u64 load_reg(struct vireo_vcpu *vcpu, const struct vireo_mmio_insn *insn)
{
	u64 val = insn->reg == VIREO_RSP ? vmcs_readl(GUEST_RSP) : vcpu->regs[insn->reg];

	return insn->high8 ? (val >> 8) & 0xff : val & size_mask(insn->size);
}

static void set_string_reg(struct vireo_vcpu *vcpu, int reg, u64 val, u8 addr_size)
{
	u64 mask = addr_mask(addr_size);

	if (addr_size == 2)
		vcpu->regs[reg] = (vcpu->regs[reg] & ~mask) | (val & mask);
	else
		vcpu->regs[reg] = val & mask;
}

/* Finish the instruction in vcpu->io.insn: string registers and RIP. */
static void mmio_finish(struct vireo_vcpu *vcpu)
{
	const struct vireo_mmio_insn *insn = &vcpu->io.insn;
	s64 step = vcpu->io.df ? -(s64)insn->size : insn->size;
	u64 mask = addr_mask(insn->addr_size);
	unsigned long rip;
	u32 intr;

	if (insn->kind == VIREO_MMIO_STOS || insn->kind == VIREO_MMIO_MOVS) {
		set_string_reg(vcpu, VIREO_RDI, vcpu->regs[VIREO_RDI] + step, insn->addr_size);
		if (insn->kind == VIREO_MMIO_MOVS)
			set_string_reg(vcpu, VIREO_RSI, vcpu->regs[VIREO_RSI] + step,
				       insn->addr_size);
		if (insn->rep) {
			set_string_reg(vcpu, VIREO_RCX, (vcpu->regs[VIREO_RCX] & mask) - 1,
				       insn->addr_size);
			if (vcpu->regs[VIREO_RCX] & mask)
				return;		/* again, for the next element */
		}
	}
	rip = vmcs_readl(GUEST_RIP) + insn->len;
	if (vireo_cpu_mode(vcpu) != VIREO_MODE_LONG64)
		rip &= 0xffffffff;
	vmcs_writel(GUEST_RIP, rip);
	intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/* The linear address of a MOVS operand: DS:RSI (or override), ES:RDI. */
static u64 string_gva(struct vireo_vcpu *vcpu, bool source)
{
	const struct vireo_mmio_insn *insn = &vcpu->io.insn;
	u64 mask = addr_mask(insn->addr_size);

	if (source)
		return vireo_seg_base(vcpu, vmx_seg(insn->seg, 3)) +
		       (vcpu->regs[VIREO_RSI] & mask);
	return vireo_seg_base(vcpu, 0) + (vcpu->regs[VIREO_RDI] & mask);
}

/**
 * vireo_mmio_complete_read() - finish an MMIO read with its data
 * @vcpu: the vCPU, its VMCS current.
 * @data: what the device returned, little endian in the low bytes.
 *
 * Return: VIREO_RESUME, or an internal error.
 */
int vireo_mmio_complete_read(struct vireo_vcpu *vcpu, u64 data)
{
	const struct vireo_mmio_insn *insn = &vcpu->io.insn;

	data &= size_mask(insn->size);
	if (insn->kind == VIREO_MMIO_MOVS) {
		if (vireo_gva_write(vcpu, string_gva(vcpu, false), &data, insn->size))
			return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
						    "MOVS from MMIO to memory vireo cannot write");
	} else {
		store_reg(vcpu, insn, data);
	}
	mmio_finish(vcpu);
	return VIREO_RESUME;
}

/* The data a write instruction stores; 0 on success. */
static int mmio_write_data(struct vireo_vcpu *vcpu, u64 *data)
{
	const struct vireo_mmio_insn *insn = &vcpu->io.insn;

	switch (insn->kind) {
	case VIREO_MMIO_STORE:
		*data = load_reg(vcpu, insn);
		return 0;
	case VIREO_MMIO_STORE_IMM:
		*data = insn->imm & size_mask(insn->size);
		return 0;
	case VIREO_MMIO_STOS:
		*data = vcpu->regs[VIREO_RAX] & size_mask(insn->size);
		return 0;
	case VIREO_MMIO_MOVS:
		*data = 0;
		return vireo_gva_read(vcpu, string_gva(vcpu, true), data, insn->size);
	default:
		return -EINVAL;
	}
}

/* The local APIC: 32-bit accesses to its registers, in the kernel. */
static int apic_access(struct vireo_vcpu *vcpu, u64 gpa, bool write)
{
	const struct vireo_mmio_insn *insn = &vcpu->io.insn;
	u32 offset = gpa & 0xfff, val = 0;
	u64 data;

	if (write) {
		if (mmio_write_data(vcpu, &data))
			return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
						    "APIC write from memory vireo cannot read");
		if (insn->size == 4)
			vireo_lapic_write(vcpu, offset, data);
		mmio_finish(vcpu);
		return VIREO_RESUME;
	}
	if (insn->size == 4)
		vireo_lapic_read(vcpu, offset, &val);
	return vireo_mmio_complete_read(vcpu, val);
}

/*
 * Decode the instruction in @bytes (@n of them), or take the last decoding
 * when the bytes and the CPU mode are the same: a driver touches its device
 * with the same few instructions over and over, and decoding costs more
 * than comparing. A decoding depends on nothing else.
 */
static int mmio_decode_cached(struct vireo_vcpu *vcpu, const u8 *bytes, int n,
			      struct vireo_mmio_insn *insn)
{
	struct vireo_mmio_cache *c = &vcpu->mmio_cache;
	enum vireo_cpu_mode mode = vireo_cpu_mode(vcpu);
	int r;

	if (c->len && c->len <= n && c->mode == mode && !memcmp(c->bytes, bytes, c->len)) {
		*insn = c->insn;
		return 0;
	}
	if (!n)
		return -EFAULT;
	r = vireo_mmio_decode(bytes, n, mode, insn);
	if (r)
		return r;
	c->insn = *insn;
	c->len = insn->len;
	c->mode = mode;
	memcpy(c->bytes, bytes, insn->len);
	return 0;
}

static int mmio_emulate(struct vireo_vcpu *vcpu, u64 gpa, bool write)
{
	struct vireo_mmio_insn *insn = &vcpu->io.insn;
	struct vireo_run *run = vcpu->run;
	u8 bytes[VIREO_INSN_MAX_LEN];
	bool load;
	int n, r;
	u64 data;

	n = vireo_fetch_insn(vcpu, bytes);
	r = mmio_decode_cached(vcpu, bytes, n, insn);
	if (r)
		return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
					    "cannot emulate MMIO %s at %#llx: instruction %*phN",
					    write ? "write" : "read", gpa, min(n, 8), bytes);
	/* The instruction must be the access that faulted (not a racing rewrite). */
	load = insn->kind == VIREO_MMIO_LOAD;
	if (insn->kind != VIREO_MMIO_MOVS && write == load)
		return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
					    "MMIO %s at %#llx by an instruction that does not %s",
					    write ? "write" : "read", gpa,
					    write ? "store" : "load");
	if (insn->kind == VIREO_MMIO_STOS || insn->kind == VIREO_MMIO_MOVS)
		vcpu->io.df = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_DF;
	if ((gpa & PAGE_MASK) == VIREO_APIC_GPA)
		return apic_access(vcpu, gpa, write);

	memset(&run->mmio, 0, sizeof(run->mmio));
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn->size;
	run->mmio.is_write = write;
	if (!write) {
		vcpu->pending = VIREO_PENDING_MMIO_READ;
		return vireo_user_exit(vcpu, VIREO_EXIT_MMIO);
	}
	if (mmio_write_data(vcpu, &data))
		return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
					    "MOVS to MMIO at %#llx from memory vireo cannot read",
					    gpa);
	memcpy(run->mmio.data, &data, sizeof(data));
	mmio_finish(vcpu);
	return vireo_user_exit(vcpu, VIREO_EXIT_MMIO);
}

/* A violation on RAM: dirty logging, or a mapping being changed under us. */
static int ram_violation(struct vireo_vcpu *vcpu, struct vireo_mmu *mmu, u64 gpa,
			 bool write)
{
	struct vireo_memslot *slot;
	bool ram = false;

	spin_lock(&mmu->lock);
	slot = vireo_memslot_find(mmu, gpa);
	if (slot && !(write && (slot->flags & VIREO_MEM_READONLY))) {
		ram = true;
		if (write && slot->dirty) {
			set_bit((gpa - slot->gpa) >> PAGE_SHIFT, slot->dirty);
			if (vireo_ept_make_writable(mmu, gpa))
				vcpu->ept_retries = 0;
		}
	}
	spin_unlock(&mmu->lock);
	if (!ram)
		return -ENOENT;
	/* Anything else is a slot change racing with us: the guest retries. */
	if (++vcpu->ept_retries > EPT_RETRY_LIMIT)
		return vireo_internal_error(vcpu, VIREO_INTERNAL_MEMORY,
					    "guest-physical %#llx keeps faulting although it is RAM",
					    gpa);
	return VIREO_RESUME;
}

/**
 * vireo_handle_ept_violation() - a guest access the EPT did not allow
 * @vcpu: the vCPU.
 *
 * Return: VIREO_RESUME (dirty logging, APIC), VIREO_USER (MMIO for the
 * VMM), or an internal error.
 */
int vireo_handle_ept_violation(struct vireo_vcpu *vcpu)
{
	unsigned long q = vireo_exit_qual(vcpu);
	u64 gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
	bool write = q & EPT_VIOLATION_ACC_WRITE;
	int r;

	/* An IRET that unblocked NMIs faulted: NMIs are blocked again. */
	if ((q & INTR_INFO_UNBLOCK_NMI) && !vcpu->event.pending)
		vmcs_set_bits32(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);

	r = ram_violation(vcpu, &vcpu->vm->mmu, gpa, write);
	if (r != -ENOENT)
		return r;
	vcpu->ept_retries = 0;
	if (q & EPT_VIOLATION_ACC_INSTR)
		return vireo_internal_error(vcpu, VIREO_INTERNAL_MEMORY,
					    "instruction fetch from guest-physical %#llx, which is not RAM",
					    gpa);
	/* Delivery of an event faulted on MMIO: nothing to emulate. */
	if (vcpu->event.pending)
		return vireo_internal_error(vcpu, VIREO_INTERNAL_EVENT_DELIVERY,
					    "event delivery touched MMIO at %#llx", gpa);
	return mmio_emulate(vcpu, gpa, write);
}
