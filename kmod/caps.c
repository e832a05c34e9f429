// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: what the CPU must offer, checked once at load.
 *
 * vireo reads the VMX capability MSRs of the boot CPU into vireo_caps and
 * compares them with vireo_vmx_reqs[], the list of every VMX feature it
 * relies on. The module refuses to load, naming the first missing feature,
 * rather than failing later at VM entry with an opaque error. The table
 * and vireo_caps_missing() are pure, so KUnit checks them with made-up MSR
 * values (tests/caps_test.c); vireo_caps_init() is the only code here that
 * touches the hardware.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/virtext.h>
#include <asm/vmx.h>
#include <kunit/visibility.h>

#include "caps.h"

struct vireo_vmx_caps vireo_caps __ro_after_init;

static const u32 vireo_msr_index[VIREO_NR_MSRS] = {
	[VIREO_MSR_BASIC]	= MSR_IA32_VMX_BASIC,
	[VIREO_MSR_PIN]		= MSR_IA32_VMX_TRUE_PINBASED_CTLS,
	[VIREO_MSR_PROC]	= MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
	[VIREO_MSR_PROC2]	= MSR_IA32_VMX_PROCBASED_CTLS2,
	[VIREO_MSR_EXIT]	= MSR_IA32_VMX_TRUE_EXIT_CTLS,
	[VIREO_MSR_ENTRY]	= MSR_IA32_VMX_TRUE_ENTRY_CTLS,
	[VIREO_MSR_MISC]	= MSR_IA32_VMX_MISC,
	[VIREO_MSR_EPT_VPID]	= MSR_IA32_VMX_EPT_VPID_CAP,
};

static const char * const vireo_msr_name[VIREO_NR_MSRS] = {
	[VIREO_MSR_BASIC]	= "IA32_VMX_BASIC",
	[VIREO_MSR_PIN]		= "IA32_VMX_TRUE_PINBASED_CTLS",
	[VIREO_MSR_PROC]	= "IA32_VMX_TRUE_PROCBASED_CTLS",
	[VIREO_MSR_PROC2]	= "IA32_VMX_PROCBASED_CTLS2",
	[VIREO_MSR_EXIT]	= "IA32_VMX_TRUE_EXIT_CTLS",
	[VIREO_MSR_ENTRY]	= "IA32_VMX_TRUE_ENTRY_CTLS",
	[VIREO_MSR_MISC]	= "IA32_VMX_MISC",
	[VIREO_MSR_EPT_VPID]	= "IA32_VMX_EPT_VPID_CAP",
};

/* A control that must be allowed to be 1: bits 63:32 of its MSR. */
#define REQ_CTL(_msr, _name, _bit) {				\
	.name = (_name), .msr = VIREO_MSR_##_msr, .set = (u64)(_bit) << 32 }

/* Bits of a capability MSR that must be set, and bits that must be clear. */
#define REQ_BITS(_msr, _name, _set, _clear) {			\
	.name = (_name), .msr = VIREO_MSR_##_msr,		\
	.set = (_set), .clear = (_clear) }

#define VIREO_BASIC_MEM_WB	(VMX_BASIC_MEM_TYPE_WB << VMX_BASIC_MEM_TYPE_SHIFT)
#define VIREO_INVEPT_TYPES	(VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT)
#define VIREO_INVVPID_TYPES	((u64)(VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT |	\
				       VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT) << 32)

/* Everything vireo needs, in the order a user should hear about it. */
static const struct vireo_vmx_req vireo_vmx_reqs[] = {
	REQ_BITS(BASIC, "TRUE VMX control MSRs", VMX_BASIC_TRUE_CTLS, 0),
	REQ_BITS(BASIC, "write-back VMCS memory type", VIREO_BASIC_MEM_WB,
		 VMX_BASIC_MEM_TYPE_MASK & ~VIREO_BASIC_MEM_WB),
	REQ_BITS(BASIC, "VMX regions above 4 GiB", 0, VMX_BASIC_64),
	REQ_CTL(PIN, "external-interrupt exiting", PIN_BASED_EXT_INTR_MASK),
	REQ_CTL(PIN, "NMI exiting", PIN_BASED_NMI_EXITING),
	REQ_CTL(PIN, "virtual NMIs", PIN_BASED_VIRTUAL_NMIS),
	REQ_CTL(PROC, "interrupt-window exiting", CPU_BASED_INTR_WINDOW_EXITING),
	REQ_CTL(PROC, "NMI-window exiting", CPU_BASED_NMI_WINDOW_EXITING),
	REQ_CTL(PROC, "HLT exiting", CPU_BASED_HLT_EXITING),
	REQ_CTL(PROC, "I/O bitmaps", CPU_BASED_USE_IO_BITMAPS),
	REQ_CTL(PROC, "MSR bitmaps", CPU_BASED_USE_MSR_BITMAPS),
	REQ_CTL(PROC, "secondary processor-based controls",
		CPU_BASED_ACTIVATE_SECONDARY_CONTROLS),
	REQ_CTL(PROC2, "EPT", SECONDARY_EXEC_ENABLE_EPT),
	REQ_CTL(PROC2, "unrestricted guest", SECONDARY_EXEC_UNRESTRICTED_GUEST),
	REQ_CTL(PROC2, "VPID", SECONDARY_EXEC_ENABLE_VPID),
	REQ_CTL(EXIT, "64-bit host address space", VM_EXIT_HOST_ADDR_SPACE_SIZE),
	REQ_CTL(EXIT, "acknowledge interrupt on exit", VM_EXIT_ACK_INTR_ON_EXIT),
	REQ_CTL(EXIT, "save IA32_EFER on exit", VM_EXIT_SAVE_IA32_EFER),
	REQ_CTL(EXIT, "load IA32_EFER on exit", VM_EXIT_LOAD_IA32_EFER),
	REQ_CTL(EXIT, "save IA32_PAT on exit", VM_EXIT_SAVE_IA32_PAT),
	REQ_CTL(EXIT, "load IA32_PAT on exit", VM_EXIT_LOAD_IA32_PAT),
	REQ_CTL(ENTRY, "IA-32e mode guest", VM_ENTRY_IA32E_MODE),
	REQ_CTL(ENTRY, "load IA32_EFER on entry", VM_ENTRY_LOAD_IA32_EFER),
	REQ_CTL(ENTRY, "load IA32_PAT on entry", VM_ENTRY_LOAD_IA32_PAT),
	REQ_BITS(EPT_VPID, "4-level EPT page walk", VMX_EPT_PAGE_WALK_4_BIT, 0),
	REQ_BITS(EPT_VPID, "write-back EPT paging structures", VMX_EPTP_WB_BIT, 0),
	REQ_BITS(EPT_VPID, "INVEPT", VMX_EPT_INVEPT_BIT, 0),
	REQ_BITS(EPT_VPID, "single-context and all-context INVEPT",
		 VIREO_INVEPT_TYPES, 0),
	REQ_BITS(EPT_VPID, "INVVPID", (u64)VMX_VPID_INVVPID_BIT << 32, 0),
	REQ_BITS(EPT_VPID, "single-context and all-context INVVPID",
		 VIREO_INVVPID_TYPES, 0),
};

/**
 * vireo_caps_missing() - find the first required VMX feature @caps lacks
 * @caps: capability MSR values, as vireo_caps_read() fills them.
 *
 * Return: the requirement that is not met, or NULL when @caps has
 * everything vireo needs.
 */
const struct vireo_vmx_req *
vireo_caps_missing(const struct vireo_vmx_caps *caps)
{
	const struct vireo_vmx_req *req;

	for (req = vireo_vmx_reqs; req < vireo_vmx_reqs + ARRAY_SIZE(vireo_vmx_reqs); req++)
		if ((caps->msr[req->msr] & req->set) != req->set ||
		    (caps->msr[req->msr] & req->clear))
			return req;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vireo_caps_missing);

/**
 * vireo_caps_msr_name() - the architectural name of a capability MSR
 * @msr: which one.
 *
 * Return: a name such as "IA32_VMX_BASIC".
 */
const char *vireo_caps_msr_name(enum vireo_vmx_msr msr)
{
	return vireo_msr_name[msr];
}

/**
 * vireo_caps_read() - read the VMX capability MSRs of the current CPU
 * @caps: filled with the MSR values; an MSR that faults reads as 0.
 *
 * Call with preemption disabled when the CPU matters.
 */
void vireo_caps_read(struct vireo_vmx_caps *caps)
{
	int i;

	for (i = 0; i < VIREO_NR_MSRS; i++)
		if (rdmsrl_safe(vireo_msr_index[i], &caps->msr[i]))
			caps->msr[i] = 0;
}

/* Tell VMX that is absent from VMX that firmware or the kernel turned off. */
static int vireo_caps_check_vmx_enabled(void)
{
	u64 feat_ctl = 0;

	if (!cpu_has_vmx()) {
		pr_err("CPU has no VMX (CPUID.1:ECX.VMX is 0); vireo needs Intel VT-x\n");
		return -ENODEV;
	}
	if (boot_cpu_has(X86_FEATURE_VMX))
		return 0;
	rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat_ctl);
	pr_err("VMX is disabled by firmware or the kernel (IA32_FEATURE_CONTROL=%#llx); enable VT-x in the firmware setup\n",
	       feat_ctl);
	return -EOPNOTSUPP;
}

/**
 * vireo_caps_init() - read and check the host's VMX capabilities
 *
 * Fills vireo_caps from the boot CPU and refuses, with a message naming
 * what is missing, a CPU that cannot run vireo.
 *
 * Return: 0, -ENODEV without VMX, -EOPNOTSUPP when VMX is disabled or a
 * required VMX feature is missing.
 */
int vireo_caps_init(void)
{
	const struct vireo_vmx_req *req;
	u32 vmcs_size;
	int r;

	r = vireo_caps_check_vmx_enabled();
	if (r)
		return r;

	preempt_disable();
	vireo_caps_read(&vireo_caps);
	preempt_enable();

	req = vireo_caps_missing(&vireo_caps);
	if (req) {
		pr_err("CPU lacks a VMX feature vireo requires: %s (%s is %#llx)\n",
		       req->name, vireo_caps_msr_name(req->msr),
		       vireo_caps.msr[req->msr]);
		return -EOPNOTSUPP;
	}

	vmcs_size = (vireo_caps.msr[VIREO_MSR_BASIC] >> VMX_BASIC_VMCS_SIZE_SHIFT) & 0x1fff;
	if (!vmcs_size || vmcs_size > PAGE_SIZE) {
		pr_err("CPU reports a VMCS size of %u bytes; vireo supports 1 to %lu\n",
		       vmcs_size, PAGE_SIZE);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * vireo_caps_revision_id() - the VMCS revision identifier of this host
 *
 * Return: bits 30:0 of IA32_VMX_BASIC, to be written at the start of every
 * VMXON region and VMCS.
 */
u32 vireo_caps_revision_id(void)
{
	return vireo_caps.msr[VIREO_MSR_BASIC] & 0x7fffffff;
}

/**
 * vireo_caps_has_ept_2m() - can EPT map 2 MiB pages?
 *
 * Return: true when it can.
 */
bool vireo_caps_has_ept_2m(void)
{
	return vireo_caps.msr[VIREO_MSR_EPT_VPID] & VMX_EPT_2MB_PAGE_BIT;
}

/**
 * vireo_caps_has_ept_1g() - can EPT map 1 GiB pages?
 *
 * Return: true when it can.
 */
bool vireo_caps_has_ept_1g(void)
{
	return vireo_caps.msr[VIREO_MSR_EPT_VPID] & VMX_EPT_1GB_PAGE_BIT;
}

/**
 * vireo_caps_preemption_timer() - the VMX preemption timer's rate
 *
 * Return: -1 without a preemption timer, else the TSC shift it counts at.
 */
int vireo_caps_preemption_timer(void)
{
	if (!(vireo_caps.msr[VIREO_MSR_PIN] & ((u64)PIN_BASED_VMX_PREEMPTION_TIMER << 32)))
		return -1;
	return vireo_caps.msr[VIREO_MSR_MISC] & MSR_IA32_VMX_MISC_PREEMPTION_TIMER_SCALE;
}
