/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: VMCS regions, their execution controls and host state, and which
 * CPU each is loaded on.
 */
#ifndef VIREO_VMCS_H
#define VIREO_VMCS_H

#include <linux/types.h>
#include <asm/processor-flags.h>

struct vireo_vcpu;

/**
 * struct vireo_vmcs_config - execution controls every VMCS starts with
 * @pin: pin-based controls.
 * @proc: primary processor-based controls.
 * @proc2: secondary processor-based controls.
 * @exit: VM-exit controls.
 * @entry: VM-entry controls, without IA-32e mode guest (set per vCPU).
 * @cr0_fixed0: CR0 bits that must be 1 in the guest (PE and PG excepted,
 *              unrestricted guest lifts them).
 * @cr0_fixed1: CR0 bits that may be 1.
 * @cr4_fixed0: CR4 bits that must be 1 (VMXE).
 * @cr4_fixed1: CR4 bits that may be 1.
 */
struct vireo_vmcs_config {
	u32 pin, proc, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

extern struct vireo_vmcs_config vireo_vmcs_config;

/* CR0 and CR4 bits the guest owns: writes to them do not exit. */
#define VIREO_CR0_GUEST_OWNED	X86_CR0_TS
#define VIREO_CR4_GUEST_OWNED	(X86_CR4_PGE | X86_CR4_PSE | X86_CR4_DE | \
				 X86_CR4_TSD | X86_CR4_OSFXSR |		   \
				 X86_CR4_OSXMMEXCPT | X86_CR4_MCE)

int vireo_vmcs_init(void);
void vireo_vmcs_exit(void);
int vireo_vmcs_alloc(struct vireo_vcpu *vcpu);
void vireo_vmcs_free(struct vireo_vcpu *vcpu);
void vireo_vmcs_setup(struct vireo_vcpu *vcpu, u64 eptp);
void vireo_vmcs_load(struct vireo_vcpu *vcpu);
void vireo_vmcs_update_host(struct vireo_vcpu *vcpu);
void vireo_vmcs_clear_cpu(void);
bool vireo_vmcs_has_rdtscp(void);
bool vireo_vmcs_has_invpcid(void);

#endif /* VIREO_VMCS_H */
