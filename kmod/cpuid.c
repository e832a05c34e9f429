// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: CPUID, the guest's view of its processor.
 *
 * The VMM decides what the guest sees (VIREO_SET_CPUID, per vCPU); vireo
 * offers a starting point, VIREO_GET_SUPPORTED_CPUID: the host's CPUID
 * with every feature removed that a guest cannot use under vireo (VMX
 * itself, x2APIC, performance monitoring, thermal and power management,
 * speculation-control MSRs, XSAVES, PKU...) and a few added that vireo
 * emulates (TSC-deadline timer, always-running APIC timer, leaf 0x15 with
 * the TSC frequency).
 *
 * The CPUID exit answers from the vCPU's table, then fixes the bits that
 * follow guest state (OSXSAVE, the APIC enable bit, the XSAVE area size of
 * the current XCR0) and, when the table sets the hypervisor bit, answers
 * vireo's own leaves 0x40000000 and 0x40000001 (vireo_para.h). Leaves the
 * table lacks read as zero.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vireo_para.h>
#include <asm/cpufeature.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/types.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>

#include "cpuid.h"
#include "lapic.h"
#include "memslot.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vm.h"

/* The XSAVE components vireo lets a guest enable. */
#define VIREO_XCR0_MASK	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM | \
			 XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 | \
			 XFEATURE_MASK_Hi16_ZMM)
#define VIREO_XCR0_AVX512 (XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 | \
			   XFEATURE_MASK_Hi16_ZMM)

/* PV features vireo implements (in the kernel or through the VMM). */
#define VIREO_PV_ALL	(VIREO_PV_F_CONSOLE | VIREO_PV_F_BLOCK | VIREO_PV_F_CLOCK | \
			 VIREO_PV_F_SYSTEM | VIREO_PV_F_IDLE)

static u64 vireo_xcr0 __ro_after_init;
static u32 vireo_xsave_end[XFEATURE_MAX] __ro_after_init;	/* offset + size */
static u32 vireo_crystal_khz __ro_after_init;
static u32 vireo_crystal_ratio __ro_after_init;

/**
 * vireo_supported_xcr0() - the XSAVE features a guest may enable
 *
 * Return: a subset of the host's XCR0.
 */
u64 vireo_supported_xcr0(void)
{
	return vireo_xcr0;
}

/**
 * vireo_pv_supported() - the PV features vireo can offer
 *
 * Return: VIREO_PV_F_* bits (VIREO_CAP_PV_FEATURES).
 */
u32 vireo_pv_supported(void)
{
	return VIREO_PV_ALL;
}

/**
 * vireo_lapic_khz() - the rate of the APIC timer, the "core crystal"
 *
 * CPUID 0x15 says TSC = crystal * ratio; Linux feeds its APIC timer with
 * the crystal rate, so vireo's APIC timer ticks at exactly that.
 *
 * Return: the rate in kHz.
 */
u32 vireo_lapic_khz(void)
{
	return vireo_crystal_khz;
}

/**
 * vireo_cpuid_init() - read what the CPUID answers depend on
 *
 * Return: 0, or -EOPNOTSUPP when the host has no usable TSC frequency.
 */
int vireo_cpuid_init(void)
{
	u32 eax, ebx, ecx, edx;
	int i;

	if (!tsc_khz)
		return -EOPNOTSUPP;
	/* The crystal must fit CPUID.15H:ECX in Hz. */
	vireo_crystal_ratio = DIV_ROUND_UP(tsc_khz, U32_MAX / 1000);
	vireo_crystal_khz = tsc_khz / vireo_crystal_ratio;

	/* The kernel may have turned XSAVE off after CPUID said OSXSAVE. */
	if (!boot_cpu_has(X86_FEATURE_XSAVE) || !(cr4_read_shadow() & X86_CR4_OSXSAVE))
		return 0;
	vireo_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK) & VIREO_XCR0_MASK;
	/* AVX-512 state is all or nothing. */
	if ((vireo_xcr0 & VIREO_XCR0_AVX512) != VIREO_XCR0_AVX512)
		vireo_xcr0 &= ~VIREO_XCR0_AVX512;
	for (i = 2; i < XFEATURE_MAX; i++) {
		if (!(vireo_xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &eax, &ebx, &ecx, &edx);
		vireo_xsave_end[i] = ebx + eax;
	}
	return 0;
}

/* Bytes of a standard-format XSAVE area for the components in @xcr0. */
static u32 xsave_size(u64 xcr0)
{
	u32 size = 512 + 64;
	int i;

	for (i = 2; i < XFEATURE_MAX; i++)
		if (xcr0 & BIT_ULL(i))
			size = max(size, vireo_xsave_end[i]);
	return size;
}

static void clear_regs(struct vireo_cpuid_entry *e)
{
	e->eax = 0;
	e->ebx = 0;
	e->ecx = 0;
	e->edx = 0;
}

/* Reduce one host leaf to what vireo supports. */
static void filter_leaf(struct vireo_cpuid_entry *e)
{
	u32 keep;

	switch (e->function) {
	case 1:
		e->ecx &= ~(BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) |
			    BIT(8) | BIT(11) | BIT(14) | BIT(15) | BIT(18) |
			    BIT(21) | BIT(27) | BIT(31));
		e->ecx |= BIT(24);			/* TSC-deadline timer */
		if (!vireo_xcr0)
			e->ecx &= ~(BIT(26) | BIT(28) | BIT(12));	/* XSAVE, AVX, FMA */
		e->edx &= ~(BIT(7) | BIT(14) | BIT(18) | BIT(21) | BIT(22) |
			    BIT(29) | BIT(31));	/* MCE, MCA, PSN, DS, ACPI, TM, PBE */
		break;
	case 6:
		e->eax = BIT(2);			/* ARAT */
		e->ebx = 0;
		e->ecx = 0;
		e->edx = 0;
		break;
	case 7:
		if (e->index) {
			clear_regs(e);
			break;
		}
		e->eax = 0;
		keep = BIT(0) | BIT(3) | BIT(5) | BIT(7) | BIT(8) | BIT(9) |
		       BIT(18) | BIT(19) | BIT(20) | BIT(23) | BIT(24) | BIT(29);
		if (vireo_vmcs_has_invpcid())
			keep |= BIT(10);
		if (vireo_xcr0 & VIREO_XCR0_AVX512)
			keep |= BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) |
				BIT(28) | BIT(30) | BIT(31);
		e->ebx &= keep;
		keep = BIT(8) | BIT(9) | BIT(10);
		if (vireo_xcr0 & VIREO_XCR0_AVX512)
			keep |= BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14);
		if (vireo_vmcs_has_rdtscp())
			keep |= BIT(22);		/* RDPID */
		e->ecx &= keep;
		e->edx &= BIT(4) | BIT(10) | BIT(14);	/* FSRM, MD_CLEAR, SERIALIZE */
		break;
	case 0xa:					/* no PMU */
		clear_regs(e);
		break;
	case 0xd:
		if (e->index == 0) {
			e->eax = (u32)vireo_xcr0;
			e->edx = vireo_xcr0 >> 32;
			e->ebx = xsave_size(XFEATURE_MASK_FP | XFEATURE_MASK_SSE);
			e->ecx = xsave_size(vireo_xcr0);
		} else if (e->index == 1) {
			e->eax &= BIT(0) | BIT(1) | BIT(2);	/* no XSAVES */
			e->ebx = 0;
			e->ecx = 0;
			e->edx = 0;
		}
		break;
	case 0x80000001:
		e->ecx &= BIT(0) | BIT(5) | BIT(8);
		e->edx &= BIT(11) | BIT(20) | BIT(26) | BIT(29);
		if (vireo_vmcs_has_rdtscp())
			e->edx |= boot_cpu_has(X86_FEATURE_RDTSCP) ? BIT(27) : 0;
		break;
	case 0x80000007:
		e->eax = 0;
		e->ebx = 0;
		e->ecx = 0;
		e->edx &= BIT(8);			/* invariant TSC */
		break;
	case 0x80000008:
		e->eax = (e->eax & ~0xffu) | vireo_guest_phys_bits();
		e->ebx = 0;
		e->ecx = 0;
		e->edx = 0;
		break;
	}
}

static bool add_entry(struct vireo_cpuid_entry *t, u32 *n, u32 fn, u32 idx, bool indexed)
{
	struct vireo_cpuid_entry *e;

	if (*n >= VIREO_MAX_CPUID_ENTRIES)
		return false;
	e = &t[(*n)++];
	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = idx;
	e->flags = indexed ? VIREO_CPUID_INDEXED : 0;
	cpuid_count(fn, idx, &e->eax, &e->ebx, &e->ecx, &e->edx);
	filter_leaf(e);
	return true;
}

/* Fill @t with the supported table; return its length. */
static u32 build_supported(struct vireo_cpuid_entry *t)
{
	u32 max_basic = cpuid_eax(0), max_ext = cpuid_eax(0x80000000);
	u32 n = 0, fn, i;

	for (fn = 0; fn <= min(max_basic, 0x16u); fn++) {
		switch (fn) {
		case 4:		/* cache topology: until a null type */
			for (i = 0; i < 8 && add_entry(t, &n, fn, i, true) &&
			     (t[n - 1].eax & 0x1f); i++)
				;
			break;
		case 7:
		case 0xb:
			add_entry(t, &n, fn, 0, true);
			add_entry(t, &n, fn, 1, true);
			break;
		case 0xd:
			add_entry(t, &n, fn, 0, true);
			add_entry(t, &n, fn, 1, true);
			for (i = 2; i < 64; i++)
				if (vireo_xcr0 & BIT_ULL(i))
					add_entry(t, &n, fn, i, true);
			break;
		case 3: case 5: case 8: case 9: case 0xc: case 0xe:
		case 0xf: case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: case 0x15:
			break;	/* serial number, MONITOR, RDT, SGX, PT: none */
		default:
			add_entry(t, &n, fn, 0, false);
		}
	}
	/* Leaf 0x15: the TSC frequency, so guests need not calibrate. */
	if (n < VIREO_MAX_CPUID_ENTRIES) {
		memset(&t[n], 0, sizeof(t[n]));
		t[n].function = 0x15;
		t[n].eax = 1;
		t[n].ebx = vireo_crystal_ratio;
		t[n].ecx = vireo_crystal_khz * 1000;
		n++;
	}
	t[0].eax = max(t[0].eax, 0x15u);
	for (fn = 0x80000000; fn <= min(max_ext, 0x80000008u); fn++)
		add_entry(t, &n, fn, 0, false);
	return n;
}

/**
 * vireo_cpuid_get_supported() - VIREO_GET_SUPPORTED_CPUID
 * @arg: the caller's struct vireo_cpuid; nent in, entries and nent out.
 *
 * Return: 0, -EFAULT, -EINVAL (padding), -E2BIG (nent too small; nent is
 * set to the size needed), -ENOMEM.
 */
long vireo_cpuid_get_supported(struct vireo_cpuid __user *arg)
{
	struct vireo_cpuid hdr;
	struct vireo_cpuid_entry *t;
	long r = 0;
	u32 n;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EINVAL;
	t = kcalloc(VIREO_MAX_CPUID_ENTRIES, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	n = build_supported(t);
	if (hdr.nent < n)
		r = -E2BIG;
	else if (copy_to_user(arg->entries, t, n * sizeof(*t)))
		r = -EFAULT;
	if (put_user(n, &arg->nent))
		r = -EFAULT;
	kfree(t);
	return r;
}

static int check_entries(const struct vireo_cpuid_table *t, u32 *pv_offered)
{
	u32 i, j;

	*pv_offered = 0;
	for (i = 0; i < t->nent; i++) {
		const struct vireo_cpuid_entry *e = &t->e[i];

		if (e->reserved[0] || e->reserved[1] || e->reserved[2] ||
		    (e->flags & ~VIREO_CPUID_INDEXED) ||
		    (!(e->flags & VIREO_CPUID_INDEXED) && e->index))
			return -EINVAL;
		if (e->function == VIREO_CPUID_SIGNATURE)
			return -EINVAL;
		if (e->function == VIREO_CPUID_FEATURES) {
			if ((e->eax & ~VIREO_PV_ALL) || e->ebx || e->ecx || e->edx)
				return -EINVAL;
			*pv_offered = e->eax;
		}
		for (j = 0; j < i; j++)
			if (t->e[j].function == e->function && t->e[j].index == e->index)
				return -EINVAL;
	}
	return 0;
}

/**
 * vireo_cpuid_set() - VIREO_SET_CPUID
 * @vcpu: the vCPU, its mutex held.
 * @arg: the caller's table.
 *
 * Return: 0, -EFAULT, -E2BIG (more than VIREO_MAX_CPUID_ENTRIES), -EINVAL
 * (padding, reserved fields or flags, an index without
 * VIREO_CPUID_INDEXED, a duplicate leaf, leaf 0x40000000, or a leaf
 * 0x40000001 offering features vireo lacks), -ENOMEM.
 */
long vireo_cpuid_set(struct vireo_vcpu *vcpu, struct vireo_cpuid __user *arg)
{
	struct vireo_cpuid_table *t;
	struct vireo_cpuid hdr;
	u32 offered;
	int r;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EINVAL;
	if (hdr.nent > VIREO_MAX_CPUID_ENTRIES)
		return -E2BIG;
	t = kzalloc(struct_size(t, e, hdr.nent), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->nent = hdr.nent;
	if (copy_from_user(t->e, arg->entries, hdr.nent * sizeof(t->e[0]))) {
		kfree(t);
		return -EFAULT;
	}
	r = check_entries(t, &offered);
	if (r) {
		kfree(t);
		return r;
	}
	kfree(vcpu->cpuid);
	vcpu->cpuid = t;
	WRITE_ONCE(vcpu->vm->pv_offered, offered);
	return 0;
}

static const struct vireo_cpuid_entry *find(const struct vireo_cpuid_table *t,
					    u32 fn, u32 idx)
{
	u32 i;

	if (!t)
		return NULL;
	for (i = 0; i < t->nent; i++)
		if (t->e[i].function == fn &&
		    (!(t->e[i].flags & VIREO_CPUID_INDEXED) || t->e[i].index == idx))
			return &t->e[i];
	return NULL;
}

/**
 * vireo_guest_has() - does the vCPU's CPUID table set a feature bit?
 * @vcpu: the vCPU.
 * @function: the leaf (subleaf 0).
 * @reg: CPUID_EAX to CPUID_EDX.
 * @bit: the bit.
 *
 * Return: true when set.
 */
bool vireo_guest_has(struct vireo_vcpu *vcpu, u32 function, int reg, int bit)
{
	const struct vireo_cpuid_entry *e = find(vcpu->cpuid, function, 0);
	u32 regs[4];

	if (!e)
		return false;
	regs[CPUID_EAX] = e->eax;
	regs[CPUID_EBX] = e->ebx;
	regs[CPUID_ECX] = e->ecx;
	regs[CPUID_EDX] = e->edx;
	return regs[reg] & BIT(bit);
}

/**
 * vireo_cpuid_lookup() - what CPUID returns in the guest now
 * @vcpu: the vCPU, its VMCS current.
 * @function: EAX.
 * @index: ECX.
 * @eax: out.
 * @ebx: out.
 * @ecx: out.
 * @edx: out.
 */
void vireo_cpuid_lookup(struct vireo_vcpu *vcpu, u32 function, u32 index,
			u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	const struct vireo_cpuid_entry *e;
	static const char sig[12] __nonstring = VIREO_SIGNATURE;

	if ((function == VIREO_CPUID_SIGNATURE || function == VIREO_CPUID_FEATURES) &&
	    vireo_guest_has(vcpu, 1, CPUID_ECX, 31)) {
		*ebx = 0;
		*ecx = 0;
		*edx = 0;
		if (function == VIREO_CPUID_SIGNATURE) {
			*eax = VIREO_CPUID_MAX_LEAF;
			memcpy(ebx, sig, 4);
			memcpy(ecx, sig + 4, 4);
			memcpy(edx, sig + 8, 4);
		} else {
			*eax = READ_ONCE(vcpu->vm->pv_offered);
		}
		return;
	}

	e = find(vcpu->cpuid, function, index);
	if (!e) {
		*eax = 0;
		*ebx = 0;
		*ecx = 0;
		*edx = 0;
		return;
	}
	*eax = e->eax;
	*ebx = e->ebx;
	*ecx = e->ecx;
	*edx = e->edx;
	switch (function) {
	case 1:
		*ecx &= ~BIT(27);
		if (vcpu->cr4 & X86_CR4_OSXSAVE)
			*ecx |= BIT(27);
		if (!(vireo_lapic_get_base(vcpu) & MSR_IA32_APICBASE_ENABLE))
			*edx &= ~BIT(9);
		break;
	case 7:
		if (!index)
			*ecx &= ~BIT(4);		/* OSPKE */
		break;
	case 0xd:
		if (index <= 1)
			*ebx = xsave_size(vcpu->xcr0);
		break;
	}
}
