// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: model-specific registers.
 *
 * The guest owns the MSRs in vireo_msrs[] below; RDMSR and WRMSR of
 * anything else raise #GP in the guest, unless the VMM routed the index to
 * itself with VIREO_SET_USER_RANGE (exit.c decides). Where a guest MSR
 * lives:
 *   - in the VMCS, switched by VM entry and exit: EFER, PAT, SYSENTER_*,
 *     FS and GS base;
 *   - in the hardware while the vCPU is loaded, switched by hand around the
 *     run loop (vireo_msrs_load_guest(), vireo_msrs_load_host()):
 *     KERNEL_GS_BASE (which the guest also reaches directly, through SWAPGS
 *     and the MSR bitmap), TSC_AUX, and STAR, LSTAR, CSTAR and SFMASK, but
 *     these only while the guest can use them (EFER.SCE in IA-32e mode),
 *     as KVM does;
 *   - emulated: the TSC (the host's, read only: writes are ignored), the
 *     APIC base and TSC deadline (lapic.c), MTRRs, MISC_ENABLE, the
 *     machine-check status, FEATURE_CONTROL (locked, VMX off), the platform
 *     id (0) and the microcode revision (the host's).
 * VIREO_GET_MSRS and VIREO_SET_MSRS reach the same table; the VMM may
 * write a few things the guest may not (@host is true).
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "cpuid.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "vcpu.h"
#include "vmcs.h"
#include "vmx_ops.h"

/* MTRR MSRs (Intel SDM vol. 3 11.11); the kernel's names are CamelCase. */
#define MSR_MTRR_CAP		0x0fe
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MSR_MTRR_FIX_64K	0x250
#define MSR_MTRR_FIX_16K_80000	0x258
#define MSR_MTRR_FIX_16K_A0000	0x259
#define MSR_MTRR_FIX_4K_FIRST	0x268
#define MSR_MTRR_FIX_4K_LAST	0x26f

#define MTRR_CAP_VALUE		0x508	/* WC, fixed MTRRs, 8 variable pairs */
#define MISC_ENABLE_DEFAULT	(MSR_IA32_MISC_ENABLE_FAST_STRING | \
				 MSR_IA32_MISC_ENABLE_BTS_UNAVAIL | \
				 MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL)

static const u32 vireo_msrs[] = {
	MSR_IA32_TSC, MSR_IA32_PLATFORM_ID, MSR_IA32_APICBASE, MSR_IA32_FEAT_CTL,
	MSR_IA32_UCODE_REV,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_MTRR_CAP, MSR_MTRR_DEF_TYPE, MSR_IA32_CR_PAT, MSR_IA32_MCG_CAP,
	MSR_IA32_MCG_STATUS, MSR_IA32_MISC_ENABLE, MSR_IA32_DEBUGCTLMSR,
	MSR_IA32_TSC_DEADLINE, MSR_EFER, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SYSCALL_MASK, MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_TSC_AUX,
	MSR_MTRR_FIX_64K, MSR_MTRR_FIX_16K_80000, MSR_MTRR_FIX_16K_A0000,
	0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f,
	0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207,
	0x208, 0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f,
};

/* 48-bit canonical: vireo offers no 5-level paging. */
static bool is_canonical_address(u64 addr)
{
	return (u64)((s64)addr << 16 >> 16) == addr;
}

/* Index into vireo_guest_msrs.mtrr_fixed[] of a fixed MTRR, or -1. */
static int mtrr_fixed_index(u32 index)
{
	switch (index) {
	case MSR_MTRR_FIX_64K:
		return 0;
	case MSR_MTRR_FIX_16K_80000:
		return 1;
	case MSR_MTRR_FIX_16K_A0000:
		return 2;
	case MSR_MTRR_FIX_4K_FIRST ... MSR_MTRR_FIX_4K_LAST:
		return 3 + index - MSR_MTRR_FIX_4K_FIRST;
	default:
		return -1;
	}
}

/**
 * vireo_msr_handled() - is @index one of the guest's MSRs?
 * @index: the MSR.
 *
 * Return: true when vireo emulates it.
 */
bool vireo_msr_handled(u32 index)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vireo_msrs); i++)
		if (vireo_msrs[i] == index)
			return true;
	return false;
}

static bool pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/* The hand-switched MSRs: where they live while the vCPU is loaded. */
static u64 *switched_msr(struct vireo_vcpu *vcpu, u32 index)
{
	switch (index) {
	case MSR_STAR:
		return &vcpu->msrs.star;
	case MSR_LSTAR:
		return &vcpu->msrs.lstar;
	case MSR_CSTAR:
		return &vcpu->msrs.cstar;
	case MSR_SYSCALL_MASK:
		return &vcpu->msrs.sfmask;
	case MSR_KERNEL_GS_BASE:
		return &vcpu->msrs.kernel_gs_base;
	case MSR_TSC_AUX:
		return vireo_vmcs_has_rdtscp() ? &vcpu->msrs.tsc_aux : NULL;
	default:
		return NULL;
	}
}

/**
 * vireo_msr_get() - read a guest MSR
 * @vcpu: the vCPU, its VMCS current.
 * @index: the MSR.
 * @data: out: its value.
 * @host: the VMM asks (VIREO_GET_MSRS), not the guest.
 *
 * Return: 0, or 1 when the guest should get #GP (an MSR vireo does not
 * emulate).
 */
int vireo_msr_get(struct vireo_vcpu *vcpu, u32 index, u64 *data, bool host)
{
	u64 *sw = switched_msr(vcpu, index);
	int i = mtrr_fixed_index(index);

	if (sw) {
		/* The guest changes KERNEL_GS_BASE with SWAPGS, without exits. */
		if (vcpu->loaded && index == MSR_KERNEL_GS_BASE)
			rdmsrl(index, *sw);
		*data = *sw;
		return 0;
	}
	if (i >= 0) {
		*data = vcpu->msrs.mtrr_fixed[i];
		return 0;
	}
	switch (index) {
	case 0x200 ... 0x20f:
		*data = vcpu->msrs.mtrr_var[index - 0x200];
		break;
	case MSR_IA32_TSC:
		*data = rdtsc();
		break;
	case MSR_IA32_APICBASE:
		*data = vireo_lapic_get_base(vcpu);
		break;
	case MSR_IA32_TSC_DEADLINE:
		*data = vireo_lapic_get_deadline(vcpu);
		break;
	case MSR_IA32_FEAT_CTL:
		*data = FEAT_CTL_LOCKED;
		break;
	case MSR_IA32_UCODE_REV:
		/* The host's: guests judge errata (TSC deadline...) by it. */
		*data = (u64)boot_cpu_data.microcode << 32;
		break;
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_MCG_CAP:
	case MSR_IA32_DEBUGCTLMSR:
		*data = 0;
		break;
	case MSR_IA32_MCG_STATUS:
		*data = vcpu->msrs.mcg_status;
		break;
	case MSR_IA32_MISC_ENABLE:
		*data = vcpu->msrs.misc_enable;
		break;
	case MSR_MTRR_CAP:
		*data = MTRR_CAP_VALUE;
		break;
	case MSR_MTRR_DEF_TYPE:
		*data = vcpu->msrs.mtrr_def_type;
		break;
	case MSR_IA32_SYSENTER_CS:
		*data = vmcs_read32(GUEST_SYSENTER_CS);
		break;
	case MSR_IA32_SYSENTER_ESP:
		*data = vmcs_readl(GUEST_SYSENTER_ESP);
		break;
	case MSR_IA32_SYSENTER_EIP:
		*data = vmcs_readl(GUEST_SYSENTER_EIP);
		break;
	case MSR_IA32_CR_PAT:
		*data = vmcs_read64(GUEST_IA32_PAT);
		break;
	case MSR_EFER:
		*data = vmcs_read64(GUEST_IA32_EFER);
		break;
	case MSR_FS_BASE:
		*data = vmcs_readl(GUEST_FS_BASE);
		break;
	case MSR_GS_BASE:
		*data = vmcs_readl(GUEST_GS_BASE);
		break;
	default:
		return 1;
	}
	return 0;
}

/**
 * vireo_msr_set() - write a guest MSR
 * @vcpu: the vCPU, its VMCS current.
 * @index: the MSR.
 * @data: the value.
 * @host: the VMM writes (VIREO_SET_MSRS), not the guest.
 *
 * Return: 0, or 1 when the write is refused (#GP for the guest, an error
 * for the VMM): unknown MSR, reserved bits, non-canonical address.
 */
int vireo_msr_set(struct vireo_vcpu *vcpu, u32 index, u64 data, bool host)
{
	u64 *sw = switched_msr(vcpu, index);
	int i = mtrr_fixed_index(index);

	if (sw) {
		if (index != MSR_STAR && index != MSR_SYSCALL_MASK &&
		    index != MSR_TSC_AUX && !is_canonical_address(data))
			return 1;
		if ((index == MSR_TSC_AUX || index == MSR_SYSCALL_MASK) && data >> 32)
			return 1;
		*sw = data;
		if (vcpu->loaded && (index == MSR_KERNEL_GS_BASE || index == MSR_TSC_AUX ||
				     vcpu->syscall_loaded))
			wrmsrl(index, data);
		return 0;
	}
	if (i >= 0) {
		vcpu->msrs.mtrr_fixed[i] = data;
		return 0;
	}
	switch (index) {
	case 0x200 ... 0x20f:
		vcpu->msrs.mtrr_var[index - 0x200] = data;
		break;
	case MSR_IA32_TSC:		/* the guest's TSC is the host's */
	case MSR_IA32_UCODE_REV:	/* written before CPUID to latch it */
		break;
	case MSR_IA32_PLATFORM_ID:
		return host ? 0 : 1;
	case MSR_IA32_APICBASE:
		return vireo_lapic_set_base(vcpu, data) ? 1 : 0;
	case MSR_IA32_TSC_DEADLINE:
		vireo_lapic_set_deadline(vcpu, data);
		break;
	case MSR_IA32_FEAT_CTL:
		return host ? 0 : 1;
	case MSR_IA32_DEBUGCTLMSR:
	case MSR_IA32_MCG_CAP:
		return data ? 1 : 0;
	case MSR_IA32_MCG_STATUS:
		vcpu->msrs.mcg_status = data;
		break;
	case MSR_IA32_MISC_ENABLE:
		vcpu->msrs.misc_enable = data;
		break;
	case MSR_MTRR_CAP:
		return host ? 0 : 1;
	case MSR_MTRR_DEF_TYPE:
		if (data & ~0xcffull)
			return 1;
		vcpu->msrs.mtrr_def_type = data;
		break;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, data);
		break;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		if (!is_canonical_address(data))
			return 1;
		vmcs_writel(index == MSR_IA32_SYSENTER_ESP ? GUEST_SYSENTER_ESP :
			    GUEST_SYSENTER_EIP, data);
		break;
	case MSR_IA32_CR_PAT:
		if (!pat_valid(data))
			return 1;
		vmcs_write64(GUEST_IA32_PAT, data);
		break;
	case MSR_EFER:
		return vireo_set_efer(vcpu, data, host) ? 1 : 0;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		if (!is_canonical_address(data))
			return 1;
		vmcs_writel(index == MSR_FS_BASE ? GUEST_FS_BASE : GUEST_GS_BASE, data);
		break;
	default:
		return 1;
	}
	return 0;
}

/* The host's SYSCALL MSRs: the same on every CPU, set once at boot. */
static struct {
	u64 star, lstar, cstar, sfmask;
} vireo_host_syscall __ro_after_init;

/**
 * vireo_msrs_init() - read the host MSRs that never change
 */
void vireo_msrs_init(void)
{
	rdmsrl(MSR_STAR, vireo_host_syscall.star);
	rdmsrl(MSR_LSTAR, vireo_host_syscall.lstar);
	rdmsrl(MSR_CSTAR, vireo_host_syscall.cstar);
	rdmsrl(MSR_SYSCALL_MASK, vireo_host_syscall.sfmask);
}

/**
 * vireo_msrs_reset() - the MSR values of a CPU after power-on
 * @vcpu: the vCPU.
 */
void vireo_msrs_reset(struct vireo_vcpu *vcpu)
{
	memset(&vcpu->msrs, 0, sizeof(vcpu->msrs));
	vcpu->msrs.misc_enable = MISC_ENABLE_DEFAULT;
}

/*
 * The switch below runs twice per trip through userspace, so it uses the
 * raw instructions (no tracepoint, no paravirt call: a host with VMX is not
 * a paravirtualized guest) and writes an MSR only when the value changes.
 */
static __always_inline u64 msr_read(u32 msr)
{
	return __rdmsr(msr);
}

static __always_inline void msr_write(u32 msr, u64 val)
{
	__wrmsr(msr, (u32)val, (u32)(val >> 32));
}

/* Are the guest's SYSCALL MSRs needed in hardware? Only for SYSCALL in IA-32e mode. */
static bool syscall_needed(struct vireo_vcpu *vcpu)
{
	u64 efer = vmcs_read64(GUEST_IA32_EFER);

	return (efer & (EFER_SCE | EFER_LMA)) == (EFER_SCE | EFER_LMA);
}

static void load_syscall(struct vireo_vcpu *vcpu, bool guest)
{
	const struct vireo_guest_msrs *g = &vcpu->msrs;

	msr_write(MSR_STAR, guest ? g->star : vireo_host_syscall.star);
	msr_write(MSR_LSTAR, guest ? g->lstar : vireo_host_syscall.lstar);
	msr_write(MSR_CSTAR, guest ? g->cstar : vireo_host_syscall.cstar);
	msr_write(MSR_SYSCALL_MASK, guest ? g->sfmask : vireo_host_syscall.sfmask);
	vcpu->syscall_loaded = guest;
}

/**
 * vireo_msrs_update_syscall() - follow a change of EFER.SCE or EFER.LMA
 * @vcpu: the vCPU, loaded.
 *
 * The guest's STAR, LSTAR, CSTAR and SFMASK go into the hardware only
 * while the guest can execute SYSCALL (EFER.SCE in IA-32e mode); until
 * then the host's stay, and switching costs nothing.
 */
void vireo_msrs_update_syscall(struct vireo_vcpu *vcpu)
{
	bool need = syscall_needed(vcpu);

	if (vcpu->loaded && need != vcpu->syscall_loaded)
		load_syscall(vcpu, need);
}

/**
 * vireo_msrs_load_guest() - switch the hand-switched MSRs to the guest's
 * @vcpu: the vCPU about to run, preemption disabled.
 *
 * Saves the host's KERNEL_GS_BASE for vireo_msrs_load_host(); the host's
 * SYSCALL MSRs never change, and its TSC_AUX is read as the vCPU arrives
 * on a CPU (vmcs.c). While the vCPU is loaded the hardware holds the
 * guest's values, written or already equal.
 */
void vireo_msrs_load_guest(struct vireo_vcpu *vcpu)
{
	vcpu->host.kernel_gs_base = msr_read(MSR_KERNEL_GS_BASE);
	if (vcpu->msrs.kernel_gs_base != vcpu->host.kernel_gs_base)
		msr_write(MSR_KERNEL_GS_BASE, vcpu->msrs.kernel_gs_base);
	/* Unequal only when guests have RDTSCP: both stay 0 otherwise. */
	if (vcpu->msrs.tsc_aux != vcpu->host.tsc_aux && vireo_vmcs_has_rdtscp())
		msr_write(MSR_TSC_AUX, vcpu->msrs.tsc_aux);
	vcpu->loaded = true;
	if (syscall_needed(vcpu))
		load_syscall(vcpu, true);
}

/**
 * vireo_msrs_load_host() - give the host its MSRs back
 * @vcpu: the vCPU leaving the run loop, preemption still disabled.
 *
 * KERNEL_GS_BASE is read back first: SWAPGS in the guest changes it
 * without an exit.
 */
void vireo_msrs_load_host(struct vireo_vcpu *vcpu)
{
	vcpu->msrs.kernel_gs_base = msr_read(MSR_KERNEL_GS_BASE);
	if (vcpu->msrs.kernel_gs_base != vcpu->host.kernel_gs_base)
		msr_write(MSR_KERNEL_GS_BASE, vcpu->host.kernel_gs_base);
	if (vcpu->msrs.tsc_aux != vcpu->host.tsc_aux && vireo_vmcs_has_rdtscp())
		msr_write(MSR_TSC_AUX, vcpu->host.tsc_aux);
	if (vcpu->syscall_loaded)
		load_syscall(vcpu, false);
	vcpu->loaded = false;
}

/**
 * vireo_msr_get_list() - VIREO_GET_MSR_LIST
 * @arg: the caller's list; nmsrs in (room), out (count).
 *
 * Return: 0, -EFAULT, or -E2BIG when nmsrs is too small (nmsrs is set to
 * the number needed).
 */
long vireo_msr_get_list(struct vireo_msr_list __user *arg)
{
	u32 n, count = ARRAY_SIZE(vireo_msrs);
	u32 list[ARRAY_SIZE(vireo_msrs)];
	int i;

	if (get_user(n, &arg->nmsrs))
		return -EFAULT;
	if (put_user(count, &arg->nmsrs))
		return -EFAULT;
	if (n < count)
		return -E2BIG;
	for (i = 0; i < count; i++)
		list[i] = vireo_msrs[i];
	if (copy_to_user(arg->indices, list, sizeof(list)))
		return -EFAULT;
	return 0;
}

/**
 * vireo_msrs_ioctl() - VIREO_GET_MSRS and VIREO_SET_MSRS
 * @vcpu: the vCPU, its mutex held, not running.
 * @arg: the caller's struct vireo_msrs.
 * @set: write (SET_MSRS) rather than read.
 *
 * Processes entries in order and stops at the first that fails.
 *
 * Return: the number of entries processed, -EFAULT, -EINVAL (padding, an
 * entry's reserved field), -E2BIG (nmsrs above VIREO_MAX_MSR_ENTRIES),
 * -ENOMEM.
 */
long vireo_msrs_ioctl(struct vireo_vcpu *vcpu, struct vireo_msrs __user *arg, bool set)
{
	struct vireo_msr_entry *e;
	struct vireo_msrs hdr;
	long r;
	u32 i;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EINVAL;
	if (hdr.nmsrs > VIREO_MAX_MSR_ENTRIES)
		return -E2BIG;
	e = memdup_user(arg->entries, hdr.nmsrs * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < hdr.nmsrs; i++)
		if (e[i].reserved) {
			kfree(e);
			return -EINVAL;
		}

	preempt_disable();
	vireo_vmcs_load(vcpu);
	for (i = 0; i < hdr.nmsrs; i++) {
		if (set ? vireo_msr_set(vcpu, e[i].index, e[i].data, true)
			: vireo_msr_get(vcpu, e[i].index, &e[i].data, true))
			break;
	}
	preempt_enable();

	r = i;
	if (!set && copy_to_user(arg->entries, e, i * sizeof(*e)))
		r = -EFAULT;
	kfree(e);
	return r;
}
