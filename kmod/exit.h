/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: VM exit handling.
 */
#ifndef VIREO_EXIT_H
#define VIREO_EXIT_H

#include <linux/compiler_attributes.h>
#include <linux/types.h>

#include <asm/vmx.h>

#include "vcpu.h"
#include "vmx_ops.h"

/* The exit qualification of the current exit, read once, when needed. */
static inline unsigned long vireo_exit_qual(struct vireo_vcpu *vcpu)
{
	if (!vcpu->exit_qual_valid) {
		vcpu->exit_qual = vmcs_readl(EXIT_QUALIFICATION);
		vcpu->exit_qual_valid = true;
	}
	return vcpu->exit_qual;
}

int vireo_handle_exit(struct vireo_vcpu *vcpu);
void vireo_exit_account(struct vireo_vcpu *vcpu);
int vireo_handle_cpuid(struct vireo_vcpu *vcpu);
int vireo_user_exit(struct vireo_vcpu *vcpu, u32 reason);
int vireo_internal_error(struct vireo_vcpu *vcpu, u32 suberror, const char *fmt, ...)
	__printf(3, 4);
int vireo_complete_user_exit(struct vireo_vcpu *vcpu);
int vireo_fetch_insn(struct vireo_vcpu *vcpu, u8 *buf);

/* exit_io.c */
int vireo_handle_io(struct vireo_vcpu *vcpu);
int vireo_io_complete_in(struct vireo_vcpu *vcpu);

/* exit_mmio.c */
int vireo_handle_ept_violation(struct vireo_vcpu *vcpu);
int vireo_mmio_complete_read(struct vireo_vcpu *vcpu, u64 data);

/* hypercall.c */
int vireo_handle_vmcall(struct vireo_vcpu *vcpu);

#endif /* VIREO_EXIT_H */
