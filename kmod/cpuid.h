/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: what CPUID tells the guest.
 */
#ifndef VIREO_CPUID_H
#define VIREO_CPUID_H

#include <linux/types.h>
#include <linux/vireo.h>

struct vireo_vcpu;

/* A vCPU's CPUID table, as VIREO_SET_CPUID gave it. */
struct vireo_cpuid_table {
	u32 nent;
	struct vireo_cpuid_entry e[];
};

int vireo_cpuid_init(void);
long vireo_cpuid_get_supported(struct vireo_cpuid __user *arg);
long vireo_cpuid_set(struct vireo_vcpu *vcpu, struct vireo_cpuid __user *arg);
void vireo_cpuid_lookup(struct vireo_vcpu *vcpu, u32 function, u32 index,
			u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
bool vireo_guest_has(struct vireo_vcpu *vcpu, u32 function, int reg, int bit);
u64 vireo_supported_xcr0(void);
u32 vireo_pv_supported(void);

/* Registers for vireo_guest_has(). */
#define CPUID_EAX	0
#define CPUID_EBX	1
#define CPUID_ECX	2
#define CPUID_EDX	3

#endif /* VIREO_CPUID_H */
