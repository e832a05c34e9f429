// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the guest's register state.
 *
 * The GPRs live in vcpu->regs (RSP, RIP and RFLAGS in the VMCS), segment
 * registers and most system registers in the VMCS guest-state area. CR0
 * and CR4 have two values: the one the guest sees (vcpu->cr0, cr4, also the
 * read shadows) and the one the CPU runs with, which adds the bits VMX
 * needs (CR0.NE, CR4.VMXE). Writes to them exit (but for the few bits the
 * guest owns, vmcs.h), and land in vireo_set_cr0() and vireo_set_cr4(),
 * which apply the architectural checks (a failed one is a #GP for the
 * guest, EINVAL for the VMM), follow long-mode activation in EFER.LMA and
 * the IA-32e mode entry control, load PAE PDPTEs, and flush the guest's
 * TLB where the architecture says a write does.
 *
 * Unrestricted guest lets the guest run in real mode and unpaged protected
 * mode directly, so there is no mode emulation here: reset state is the
 * architectural one, and VM entry itself checks whatever state the VMM
 * sets (an inconsistent one ends as VIREO_EXIT_FAIL_ENTRY).
 */
#include <linux/uaccess.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "cpuid.h"
#include "gmem.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx_ops.h"

#define CR0_VALID	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | \
			 X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | \
			 X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
#define CR4_VALID	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | \
			 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
			 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
			 X86_CR4_UMIP | X86_CR4_FSGSBASE | X86_CR4_PCIDE | \
			 X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP)
#define CR4_TLB_BITS	(X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE | X86_CR4_PCIDE | \
			 X86_CR4_SMEP | X86_CR4_SMAP)
#define RFLAGS_RESERVED	(GENMASK_ULL(63, 22) | BIT(15) | BIT(5) | BIT(3))

/* VMCS fields of the segment registers, in VMX order. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, NR_SEGS };

static unsigned long seg_sel(int n)
{
	return GUEST_ES_SELECTOR + 2 * n;
}

static unsigned long seg_limit(int n)
{
	return GUEST_ES_LIMIT + 2 * n;
}

static unsigned long seg_ar(int n)
{
	return GUEST_ES_AR_BYTES + 2 * n;
}

static unsigned long seg_base(int n)
{
	return GUEST_ES_BASE + 2 * n;
}

/**
 * vireo_seg_base() - the base of a segment register
 * @vcpu: the vCPU, its VMCS current.
 * @seg: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS (VMX order).
 *
 * Return: the base; 0 for ES, CS, SS and DS in 64-bit mode.
 */
u64 vireo_seg_base(struct vireo_vcpu *vcpu, int seg)
{
	if (vireo_cpu_mode(vcpu) == VIREO_MODE_LONG64 && seg != SEG_FS && seg != SEG_GS)
		return 0;
	return vmcs_readl(seg_base(seg));
}

/**
 * vireo_long_mode() - is IA-32e mode active (EFER.LMA)?
 * @vcpu: the vCPU, its VMCS current.
 *
 * Return: true in 64-bit and compatibility mode.
 */
bool vireo_long_mode(struct vireo_vcpu *vcpu)
{
	return vmcs_read64(GUEST_IA32_EFER) & EFER_LMA;
}

/**
 * vireo_cr0() - CR0 as the guest sees it now
 * @vcpu: the vCPU, its VMCS current.
 *
 * vcpu->cr0 is exact for the bits vireo owns; the guest changes its own
 * bits (TS) without exits, so those come from the VMCS.
 *
 * Return: CR0.
 */
u64 vireo_cr0(struct vireo_vcpu *vcpu)
{
	return (vcpu->cr0 & ~(u64)VIREO_CR0_GUEST_OWNED) |
	       (vmcs_readl(GUEST_CR0) & VIREO_CR0_GUEST_OWNED);
}

/**
 * vireo_cr4() - CR4 as the guest sees it now
 * @vcpu: the vCPU, its VMCS current.
 *
 * As vireo_cr0(), for the CR4 bits the guest owns (PGE, PSE, DE...).
 *
 * Return: CR4.
 */
u64 vireo_cr4(struct vireo_vcpu *vcpu)
{
	return (vcpu->cr4 & ~(u64)VIREO_CR4_GUEST_OWNED) |
	       (vmcs_readl(GUEST_CR4) & VIREO_CR4_GUEST_OWNED);
}

/**
 * vireo_64bit() - is the guest in 64-bit mode (not just IA-32e mode)?
 * @vcpu: the vCPU, its VMCS current.
 *
 * VM entry lets CS.L be set only in IA-32e mode, so CS.L says it all.
 *
 * Return: true in 64-bit mode.
 */
bool vireo_64bit(struct vireo_vcpu *vcpu)
{
	return vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK;
}

/**
 * vireo_cpu_mode() - how the guest decodes instructions right now
 * @vcpu: the vCPU, its VMCS current.
 *
 * Return: the mode, for the instruction decoder.
 */
enum vireo_cpu_mode vireo_cpu_mode(struct vireo_vcpu *vcpu)
{
	u32 ar;

	/* The mode cannot change while an exit is being handled: once per exit. */
	if (vcpu->mode_cache >= 0)
		return vcpu->mode_cache;
	if (!(vcpu->cr0 & X86_CR0_PE) || (vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_VM)) {
		vcpu->mode_cache = VIREO_MODE_REAL;
	} else {
		ar = vmcs_read32(GUEST_CS_AR_BYTES);
		if (ar & VMX_AR_L_MASK)
			vcpu->mode_cache = VIREO_MODE_LONG64;
		else
			vcpu->mode_cache = ar & VMX_AR_DB_MASK ? VIREO_MODE_PROT32 :
								 VIREO_MODE_PROT16;
	}
	return vcpu->mode_cache;
}

/**
 * vireo_cpl() - the guest's current privilege level
 * @vcpu: the vCPU, its VMCS current.
 *
 * Return: 0 to 3 (3 in virtual-8086 mode).
 */
int vireo_cpl(struct vireo_vcpu *vcpu)
{
	if (!(vcpu->cr0 & X86_CR0_PE))
		return 0;
	/* Virtual-8086 mode runs at CPL 3 with SS.DPL 3 too. */
	return VMX_AR_DPL(vmcs_read32(GUEST_SS_AR_BYTES));
}

/**
 * vireo_rip() - the guest's RIP
 * @vcpu: the vCPU, its VMCS current.
 *
 * Return: RIP.
 */
unsigned long vireo_rip(struct vireo_vcpu *vcpu)
{
	return vmcs_readl(GUEST_RIP);
}

/**
 * vireo_skip_insn() - complete the instruction that exited
 * @vcpu: the vCPU, its VMCS current, after an instruction exit.
 *
 * Moves RIP past it and ends an STI or MOV SS interrupt shadow, as
 * executing it would have.
 */
void vireo_skip_insn(struct vireo_vcpu *vcpu)
{
	vireo_skip_insn_mode(vcpu, vireo_64bit(vcpu));
}

/**
 * vireo_skip_insn_mode() - vireo_skip_insn() for a caller that knows the mode
 * @vcpu: the vCPU, its VMCS current, after an instruction exit.
 * @wide: the guest is in 64-bit mode (RIP does not wrap at 4 GiB).
 */
void vireo_skip_insn_mode(struct vireo_vcpu *vcpu, bool wide)
{
	unsigned long rip = vmcs_readl(GUEST_RIP) + vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	u32 intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);

	if (!wide)
		rip &= 0xffffffff;
	vmcs_writel(GUEST_RIP, rip);
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     intr & ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

/* The guest's TLB under its VPID, after a CR write that flushes it. */
static void flush_guest_tlb(struct vireo_vcpu *vcpu)
{
	vireo_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vcpu->vpid, 0);
}

/* PAE paging outside long mode: the CPU takes the PDPTEs from the VMCS. */
static int load_pdptrs(struct vireo_vcpu *vcpu)
{
	u64 pdpte[4];
	int i;

	if (vireo_gpa_read(vcpu->vm, vmcs_readl(GUEST_CR3) & 0xffffffe0, pdpte,
			   sizeof(pdpte)))
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		/* Reserved bits: 2:1, 8:5 and above the address width. */
		if ((pdpte[i] & 1) && (pdpte[i] & (0x1e6ull | GENMASK_ULL(63, 52))))
			return -EINVAL;
		vmcs_write64(GUEST_PDPTR0 + 2 * i, pdpte[i]);
	}
	return 0;
}

static bool pae_paging(struct vireo_vcpu *vcpu)
{
	return (vcpu->cr0 & X86_CR0_PG) && (vcpu->cr4 & X86_CR4_PAE) &&
	       !vireo_long_mode(vcpu);
}

static void set_ia32e(struct vireo_vcpu *vcpu, u64 efer)
{
	u32 entry = vmcs_read32(VM_ENTRY_CONTROLS);

	if (efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	else
		entry &= ~VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	vmcs_write64(GUEST_IA32_EFER, efer);
	vireo_msrs_update_syscall(vcpu);
}

/**
 * vireo_set_cr0() - write CR0 as the guest (MOV, CLTS, LMSW) or VMM does
 * @vcpu: the vCPU, its VMCS current.
 * @cr0: the value the guest wants to see.
 * @host: the VMM writes (SET_SREGS): skip the checks that only hold for
 *        transitions made by guest instructions.
 *
 * Return: 0, or -EINVAL for a value the CPU refuses (#GP).
 */
int vireo_set_cr0(struct vireo_vcpu *vcpu, u64 cr0, bool host)
{
	const struct vireo_vmcs_config *c = &vireo_vmcs_config;
	u64 old = vireo_cr0(vcpu), efer = vmcs_read64(GUEST_IA32_EFER);

	cr0 |= X86_CR0_ET;
	if ((cr0 & ~CR0_VALID) || ((cr0 & X86_CR0_PG) && !(cr0 & X86_CR0_PE)) ||
	    ((cr0 & X86_CR0_NW) && !(cr0 & X86_CR0_CD)))
		return -EINVAL;
	if (!(old & X86_CR0_PG) && (cr0 & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(vcpu->cr4 & X86_CR4_PAE))
			return -EINVAL;
		efer |= EFER_LMA;
	} else if ((old & X86_CR0_PG) && !(cr0 & X86_CR0_PG) && (efer & EFER_LMA)) {
		/* Leaving long mode from 64-bit code is a #GP. */
		if (!host && (vmcs_read32(GUEST_CS_AR_BYTES) & VMX_AR_L_MASK))
			return -EINVAL;
		efer &= ~EFER_LMA;
	}
	if (host)
		efer = (efer & ~EFER_LMA) |
		       (((cr0 & X86_CR0_PG) && (efer & EFER_LME)) ? EFER_LMA : 0);
	set_ia32e(vcpu, efer);

	vcpu->cr0 = cr0;
	vcpu->mode_cache = -1;
	vmcs_writel(CR0_READ_SHADOW, cr0);
	vmcs_writel(GUEST_CR0, (cr0 | c->cr0_fixed0) & c->cr0_fixed1);
	if (pae_paging(vcpu) && ((old ^ cr0) & X86_CR0_PG) && load_pdptrs(vcpu))
		return -EINVAL;
	if ((old ^ cr0) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		flush_guest_tlb(vcpu);
	return 0;
}

/* Is every feature behind a CR4 bit in the guest's CPUID? */
static bool cr4_bits_offered(struct vireo_vcpu *vcpu, u64 cr4)
{
	static const struct { u64 bit; u32 leaf; int reg, nr; } need[] = {
		{ X86_CR4_UMIP, 7, CPUID_ECX, 2 },
		{ X86_CR4_FSGSBASE, 7, CPUID_EBX, 0 },
		{ X86_CR4_PCIDE, 1, CPUID_ECX, 17 },
		{ X86_CR4_OSXSAVE, 1, CPUID_ECX, 26 },
		{ X86_CR4_SMEP, 7, CPUID_EBX, 7 },
		{ X86_CR4_SMAP, 7, CPUID_EBX, 20 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(need); i++)
		if ((cr4 & need[i].bit) &&
		    !vireo_guest_has(vcpu, need[i].leaf, need[i].reg, need[i].nr))
			return false;
	return true;
}

/**
 * vireo_set_cr4() - write CR4 as the guest or the VMM does
 * @vcpu: the vCPU, its VMCS current.
 * @cr4: the value the guest wants to see.
 * @host: the VMM writes (SET_SREGS).
 *
 * Return: 0, or -EINVAL for a value the CPU refuses (#GP): reserved bits,
 * features the guest's CPUID lacks, PAE off in long mode, PCIDE outside
 * long mode or with a nonzero PCID in CR3.
 */
int vireo_set_cr4(struct vireo_vcpu *vcpu, u64 cr4, bool host)
{
	const struct vireo_vmcs_config *c = &vireo_vmcs_config;
	u64 old = vireo_cr4(vcpu), real = cr4 | c->cr4_fixed0;

	if ((cr4 & ~CR4_VALID) || (real & ~c->cr4_fixed1) || !cr4_bits_offered(vcpu, cr4))
		return -EINVAL;
	if (!host && vireo_long_mode(vcpu) && !(cr4 & X86_CR4_PAE))
		return -EINVAL;
	if (!host && (cr4 & X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) &&
	    (!vireo_long_mode(vcpu) || (vmcs_readl(GUEST_CR3) & 0xfff)))
		return -EINVAL;

	vcpu->cr4 = cr4;
	vmcs_writel(CR4_READ_SHADOW, cr4);
	vmcs_writel(GUEST_CR4, real);
	if (pae_paging(vcpu) && ((old ^ cr4) & (X86_CR4_PAE | X86_CR4_PSE | X86_CR4_PGE)) &&
	    load_pdptrs(vcpu))
		return -EINVAL;
	if ((old ^ cr4) & CR4_TLB_BITS)
		flush_guest_tlb(vcpu);
	return 0;
}

/**
 * vireo_set_efer() - write IA32_EFER
 * @vcpu: the vCPU, its VMCS current.
 * @efer: the value.
 * @host: the VMM writes: LMA follows LME and CR0.PG rather than the value.
 *
 * Return: 0, or -EINVAL for reserved bits, features the guest's CPUID
 * lacks, or a change of LME while paging is on (#GP).
 */
int vireo_set_efer(struct vireo_vcpu *vcpu, u64 efer, bool host)
{
	u64 old = vmcs_read64(GUEST_IA32_EFER);
	u64 valid = EFER_LMA;

	if (vireo_guest_has(vcpu, 0x80000001, CPUID_EDX, 11))
		valid |= EFER_SCE;
	if (vireo_guest_has(vcpu, 0x80000001, CPUID_EDX, 29))
		valid |= EFER_LME;
	if (vireo_guest_has(vcpu, 0x80000001, CPUID_EDX, 20))
		valid |= EFER_NX;
	if (efer & ~valid)
		return -EINVAL;
	if (host) {
		efer &= ~EFER_LMA;
		if ((efer & EFER_LME) && (vcpu->cr0 & X86_CR0_PG))
			efer |= EFER_LMA;
	} else {
		if ((vcpu->cr0 & X86_CR0_PG) && ((old ^ efer) & EFER_LME))
			return -EINVAL;
		efer = (efer & ~EFER_LMA) | (old & EFER_LMA);
	}
	set_ia32e(vcpu, efer);
	return 0;
}

/**
 * vireo_set_xcr0() - XSETBV of XCR0
 * @vcpu: the vCPU.
 * @xcr0: the value.
 *
 * Return: 0, or -EINVAL for a value the CPU refuses (#GP): x87 off, AVX
 * without SSE, partial AVX-512, or features vireo or the guest's CPUID
 * does not offer.
 */
int vireo_set_xcr0(struct vireo_vcpu *vcpu, u64 xcr0)
{
	u64 allowed = vireo_supported_xcr0();
	u64 avx512 = XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 | XFEATURE_MASK_Hi16_ZMM;
	u32 eax, ebx, ecx, edx;

	vireo_cpuid_lookup(vcpu, 0xd, 0, &eax, &ebx, &ecx, &edx);
	allowed &= ((u64)edx << 32) | eax;
	if (!(xcr0 & XFEATURE_MASK_FP) || (xcr0 & ~allowed) ||
	    ((xcr0 & XFEATURE_MASK_YMM) && !(xcr0 & XFEATURE_MASK_SSE)) ||
	    ((xcr0 & avx512) && ((xcr0 & avx512) != avx512 || !(xcr0 & XFEATURE_MASK_YMM))))
		return -EINVAL;
	vcpu->xcr0 = xcr0;
	return 0;
}

static void set_segment(int n, u16 sel, u64 base, u32 limit, u32 ar)
{
	vmcs_write16(seg_sel(n), sel);
	vmcs_writel(seg_base(n), base);
	vmcs_write32(seg_limit(n), limit);
	vmcs_write32(seg_ar(n), ar);
}

/* Real-mode state common to power-on, INIT and SIPI. */
static void reset_real_mode(struct vireo_vcpu *vcpu, u16 cs_sel, u64 cs_base, u64 rip)
{
	int n;

	for (n = SEG_ES; n <= SEG_GS; n++)
		set_segment(n, 0, 0, 0xffff, 0x93);
	set_segment(SEG_CS, cs_sel, cs_base, 0xffff, 0x9b);
	set_segment(SEG_LDTR, 0, 0, 0xffff, 0x82);
	set_segment(SEG_TR, 0, 0, 0xffff, 0x8b);
	vmcs_writel(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_IDTR_BASE, 0);
	vmcs_write32(GUEST_IDTR_LIMIT, 0xffff);
	vmcs_writel(GUEST_RIP, rip);
	vmcs_writel(GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_writel(GUEST_RSP, 0);
}

/**
 * vireo_vcpu_reset() - the power-on or INIT state of a vCPU
 * @vcpu: the vCPU, its VMCS current.
 * @init: INIT (keeps the MSRs and the APIC's ID and base) rather than
 *        power-on.
 *
 * Starts at the reset vector, 0xFFFF0 in real mode with CS.base
 * 0xFFFF0000, as Intel SDM vol. 3 table 10-1 says.
 */
void vireo_vcpu_reset(struct vireo_vcpu *vcpu, bool init)
{
	memset(vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs[VIREO_RDX] = 0x600;
	vcpu->cr2 = 0;
	vcpu->xcr0 = XFEATURE_MASK_FP;
	vcpu->dr6 = 0xffff0ff0;
	vcpu->dr7 = 0x400;
	memset(vcpu->db, 0, sizeof(vcpu->db));
	memset(&vcpu->event, 0, sizeof(vcpu->event));
	vcpu->pending = VIREO_PENDING_NONE;
	if (!init)
		vireo_msrs_reset(vcpu);

	reset_real_mode(vcpu, 0xf000, 0xffff0000, 0xfff0);
	vcpu->cr0 = 0;
	vcpu->cr4 = 0;
	set_ia32e(vcpu, 0);
	vireo_set_cr4(vcpu, 0, true);
	vireo_set_cr0(vcpu, X86_CR0_CD | X86_CR0_NW | X86_CR0_ET, true);
	vmcs_writel(GUEST_CR3, 0);
	vmcs_writel(GUEST_DR7, 0x400);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_PAT, 0x0007040600070406ull);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	if (init)
		vireo_lapic_reset(vcpu);
}

/**
 * vireo_vcpu_sipi() - start an AP that waited for a SIPI
 * @vcpu: the vCPU, its VMCS current.
 * @vector: the SIPI vector: execution starts at vector * 4096.
 */
void vireo_vcpu_sipi(struct vireo_vcpu *vcpu, u8 vector)
{
	reset_real_mode(vcpu, vector << 8, (u64)vector << 12, 0);
	vcpu->mode_cache = -1;
}

static void get_seg(int n, struct vireo_segment *s)
{
	u32 ar = vmcs_read32(seg_ar(n));

	memset(s, 0, sizeof(*s));
	s->base = vmcs_readl(seg_base(n));
	s->limit = vmcs_read32(seg_limit(n));
	s->selector = vmcs_read16(seg_sel(n));
	s->type = ar & 0xf;
	s->s = (ar >> 4) & 1;
	s->dpl = (ar >> 5) & 3;
	s->present = (ar >> 7) & 1;
	s->avl = (ar >> 12) & 1;
	s->l = (ar >> 13) & 1;
	s->db = (ar >> 14) & 1;
	s->g = (ar >> 15) & 1;
	s->unusable = (ar >> 16) & 1;
}

static int put_seg(int n, const struct vireo_segment *s)
{
	u32 ar;

	if (s->padding || s->type > 15 || s->dpl > 3 || s->present > 1 || s->db > 1 ||
	    s->s > 1 || s->l > 1 || s->g > 1 || s->avl > 1 || s->unusable > 1)
		return -EINVAL;
	ar = s->type | s->s << 4 | s->dpl << 5 | s->present << 7 | s->avl << 12 |
	     s->l << 13 | s->db << 14 | s->g << 15 | s->unusable << 16;
	set_segment(n, s->selector, s->base, s->limit, ar);
	return 0;
}

/**
 * vireo_get_regs() - VIREO_GET_REGS
 * @vcpu: the vCPU, its mutex held.
 * @arg: the caller's struct.
 *
 * Return: 0 or -EFAULT.
 */
long vireo_get_regs(struct vireo_vcpu *vcpu, struct vireo_regs __user *arg)
{
	unsigned long *r = vcpu->regs;
	struct vireo_regs regs = {
		.rax = r[VIREO_RAX], .rbx = r[VIREO_RBX], .rcx = r[VIREO_RCX],
		.rdx = r[VIREO_RDX], .rsi = r[VIREO_RSI], .rdi = r[VIREO_RDI],
		.rbp = r[VIREO_RBP], .r8 = r[VIREO_R8], .r9 = r[VIREO_R9],
		.r10 = r[VIREO_R10], .r11 = r[VIREO_R11], .r12 = r[VIREO_R12],
		.r13 = r[VIREO_R13], .r14 = r[VIREO_R14], .r15 = r[VIREO_R15],
	};

	preempt_disable();
	vireo_vmcs_load(vcpu);
	regs.rsp = vmcs_readl(GUEST_RSP);
	regs.rip = vmcs_readl(GUEST_RIP);
	regs.rflags = vmcs_readl(GUEST_RFLAGS);
	preempt_enable();
	return copy_to_user(arg, &regs, sizeof(regs)) ? -EFAULT : 0;
}

/**
 * vireo_set_regs() - VIREO_SET_REGS
 * @vcpu: the vCPU, its mutex held.
 * @arg: the caller's struct.
 *
 * Discards the completion of a pending I/O or MMIO read exit.
 *
 * Return: 0, -EFAULT, or -EINVAL (reserved RFLAGS bits set).
 */
long vireo_set_regs(struct vireo_vcpu *vcpu, struct vireo_regs __user *arg)
{
	unsigned long *r = vcpu->regs;
	struct vireo_regs regs;

	if (copy_from_user(&regs, arg, sizeof(regs)))
		return -EFAULT;
	if (regs.rflags & RFLAGS_RESERVED)
		return -EINVAL;
	r[VIREO_RAX] = regs.rax;
	r[VIREO_RBX] = regs.rbx;
	r[VIREO_RCX] = regs.rcx;
	r[VIREO_RDX] = regs.rdx;
	r[VIREO_RSI] = regs.rsi;
	r[VIREO_RDI] = regs.rdi;
	r[VIREO_RBP] = regs.rbp;
	r[VIREO_R8] = regs.r8;
	r[VIREO_R9] = regs.r9;
	r[VIREO_R10] = regs.r10;
	r[VIREO_R11] = regs.r11;
	r[VIREO_R12] = regs.r12;
	r[VIREO_R13] = regs.r13;
	r[VIREO_R14] = regs.r14;
	r[VIREO_R15] = regs.r15;
	vcpu->pending = VIREO_PENDING_NONE;
	vcpu->mode_cache = -1;

	preempt_disable();
	vireo_vmcs_load(vcpu);
	vmcs_writel(GUEST_RSP, regs.rsp);
	vmcs_writel(GUEST_RIP, regs.rip);
	vmcs_writel(GUEST_RFLAGS, regs.rflags | X86_EFLAGS_FIXED);
	preempt_enable();
	return 0;
}

/**
 * vireo_get_sregs() - VIREO_GET_SREGS
 * @vcpu: the vCPU, its mutex held.
 * @arg: the caller's struct.
 *
 * Return: 0 or -EFAULT.
 */
long vireo_get_sregs(struct vireo_vcpu *vcpu, struct vireo_sregs __user *arg)
{
	struct vireo_sregs s;

	memset(&s, 0, sizeof(s));
	preempt_disable();
	vireo_vmcs_load(vcpu);
	get_seg(SEG_CS, &s.cs);
	get_seg(SEG_DS, &s.ds);
	get_seg(SEG_ES, &s.es);
	get_seg(SEG_FS, &s.fs);
	get_seg(SEG_GS, &s.gs);
	get_seg(SEG_SS, &s.ss);
	get_seg(SEG_TR, &s.tr);
	get_seg(SEG_LDTR, &s.ldt);
	s.gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	s.gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s.idt.base = vmcs_readl(GUEST_IDTR_BASE);
	s.idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s.cr0 = vireo_cr0(vcpu);
	s.cr2 = vcpu->cr2;
	s.cr3 = vmcs_readl(GUEST_CR3);
	s.cr4 = vireo_cr4(vcpu);
	s.efer = vmcs_read64(GUEST_IA32_EFER);
	preempt_enable();
	s.cr8 = vireo_lapic_get_cr8(vcpu);
	s.apic_base = vireo_lapic_get_base(vcpu);
	return copy_to_user(arg, &s, sizeof(s)) ? -EFAULT : 0;
}

static bool sregs_reserved(const struct vireo_sregs *s)
{
	return s->gdt.padding[0] || s->gdt.padding[1] || s->gdt.padding[2] ||
	       s->idt.padding[0] || s->idt.padding[1] || s->idt.padding[2] ||
	       s->reserved[0] || s->reserved[1] || s->reserved[2] || s->reserved[3] ||
	       s->cr8 > 15;
}

/*
 * Long mode needs PAE. vireo_set_cr0() refuses it when paging is turned on,
 * but a state that already has CR0.PG and EFER.LME (the VMM's whole state
 * at once) is checked here, before anything of it is applied, as KVM's
 * kvm_is_valid_sregs() does: VM entry would fail on it otherwise.
 */
static bool sregs_long_mode_invalid(const struct vireo_sregs *s)
{
	return (s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG) && !(s->cr4 & X86_CR4_PAE);
}

/**
 * vireo_set_sregs() - VIREO_SET_SREGS
 * @vcpu: the vCPU, its mutex held.
 * @arg: the caller's struct.
 *
 * EFER.LMA is derived from EFER.LME and CR0.PG; the IA-32e mode entry
 * control follows. Discards the completion of a pending exit.
 *
 * Return: 0, -EFAULT, or -EINVAL (reserved fields, a value out of range,
 * a CR0, CR4, EFER or APIC base the CPU refuses, PAE PDPTEs that cannot be
 * read or are invalid).
 */
long vireo_set_sregs(struct vireo_vcpu *vcpu, struct vireo_sregs __user *arg)
{
	const struct vireo_segment *segs[NR_SEGS];
	struct vireo_sregs s;
	int n, r;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (sregs_reserved(&s) || sregs_long_mode_invalid(&s) || s.cr3 >> 52)
		return -EINVAL;
	segs[SEG_ES] = &s.es;
	segs[SEG_CS] = &s.cs;
	segs[SEG_SS] = &s.ss;
	segs[SEG_DS] = &s.ds;
	segs[SEG_FS] = &s.fs;
	segs[SEG_GS] = &s.gs;
	segs[SEG_LDTR] = &s.ldt;
	segs[SEG_TR] = &s.tr;
	r = vireo_lapic_set_base(vcpu, s.apic_base);
	if (r)
		return r;

	preempt_disable();
	vireo_vmcs_load(vcpu);
	for (n = 0; n < NR_SEGS && !r; n++)
		r = put_seg(n, segs[n]);
	if (r)
		goto out;
	vmcs_writel(GUEST_GDTR_BASE, s.gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, s.gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, s.idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, s.idt.limit);
	vmcs_writel(GUEST_CR3, s.cr3);
	vcpu->cr2 = s.cr2;
	vcpu->mode_cache = -1;
	/* EFER first: CR0.PG with EFER.LME is what makes LMA. */
	r = vireo_set_efer(vcpu, s.efer & ~EFER_LMA, true);
	if (!r)
		r = vireo_set_cr4(vcpu, s.cr4, true);
	if (!r)
		r = vireo_set_cr0(vcpu, s.cr0, true);
	if (!r && pae_paging(vcpu))
		r = load_pdptrs(vcpu);
	vcpu->pending = VIREO_PENDING_NONE;
out:
	preempt_enable();
	if (!r)
		vireo_lapic_set_cr8(vcpu, s.cr8);
	return r;
}
