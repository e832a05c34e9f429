/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the VMX capabilities of this host, read once at load.
 *
 * vireo_caps is filled by vireo_caps_init() before anything else in the
 * module runs and is read-only afterwards. Everything that asks "does the
 * CPU support X" reads it through the helpers below, never the MSRs.
 */
#ifndef VIREO_CAPS_H
#define VIREO_CAPS_H

#include <linux/types.h>

/* The raw VMX capability MSRs vireo looks at. */
enum vireo_vmx_msr {
	VIREO_MSR_BASIC,	/* IA32_VMX_BASIC */
	VIREO_MSR_PIN,		/* IA32_VMX_TRUE_PINBASED_CTLS */
	VIREO_MSR_PROC,		/* IA32_VMX_TRUE_PROCBASED_CTLS */
	VIREO_MSR_PROC2,	/* IA32_VMX_PROCBASED_CTLS2 */
	VIREO_MSR_EXIT,		/* IA32_VMX_TRUE_EXIT_CTLS */
	VIREO_MSR_ENTRY,	/* IA32_VMX_TRUE_ENTRY_CTLS */
	VIREO_MSR_MISC,		/* IA32_VMX_MISC */
	VIREO_MSR_EPT_VPID,	/* IA32_VMX_EPT_VPID_CAP */
	VIREO_NR_MSRS
};

/**
 * struct vireo_vmx_caps - the host's VMX capabilities
 * @msr: raw values of the MSRs named by enum vireo_vmx_msr; for the
 *       control MSRs the allowed-1 settings are bits 63:32.
 */
struct vireo_vmx_caps {
	u64 msr[VIREO_NR_MSRS];
};

/**
 * struct vireo_vmx_req - one VMX feature vireo cannot work without
 * @name: what to tell the user when it is missing.
 * @msr: the MSR to test.
 * @set: the bits of that MSR that must be 1.
 * @clear: the bits of that MSR that must be 0.
 */
struct vireo_vmx_req {
	const char *name;
	enum vireo_vmx_msr msr;
	u64 set;
	u64 clear;
};

extern struct vireo_vmx_caps vireo_caps;

int vireo_caps_init(void);
const struct vireo_vmx_req *vireo_caps_missing(const struct vireo_vmx_caps *caps);
void vireo_caps_read(struct vireo_vmx_caps *caps);
const char *vireo_caps_msr_name(enum vireo_vmx_msr msr);
u32 vireo_caps_revision_id(void);
bool vireo_caps_has_ept_2m(void);
bool vireo_caps_has_ept_1g(void);
int vireo_caps_preemption_timer(void);

#endif /* VIREO_CAPS_H */
