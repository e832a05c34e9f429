/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: guest register state: GPRs, segments, control registers, EFER,
 * XCR0; the reset and INIT states.
 */
#ifndef VIREO_REGS_H
#define VIREO_REGS_H

#include <linux/types.h>
#include <linux/vireo.h>

#include "mmio_decode.h"

struct vireo_vcpu;

int vireo_set_cr0(struct vireo_vcpu *vcpu, u64 cr0, bool host);
int vireo_set_cr4(struct vireo_vcpu *vcpu, u64 cr4, bool host);
int vireo_set_efer(struct vireo_vcpu *vcpu, u64 efer, bool host);
int vireo_set_xcr0(struct vireo_vcpu *vcpu, u64 xcr0);
void vireo_vcpu_reset(struct vireo_vcpu *vcpu, bool init);
void vireo_vcpu_sipi(struct vireo_vcpu *vcpu, u8 vector);
int vireo_cpl(struct vireo_vcpu *vcpu);
u64 vireo_cr0(struct vireo_vcpu *vcpu);
u64 vireo_cr4(struct vireo_vcpu *vcpu);
bool vireo_long_mode(struct vireo_vcpu *vcpu);
bool vireo_64bit(struct vireo_vcpu *vcpu);
enum vireo_cpu_mode vireo_cpu_mode(struct vireo_vcpu *vcpu);
u64 vireo_seg_base(struct vireo_vcpu *vcpu, int seg);
void vireo_skip_insn(struct vireo_vcpu *vcpu);
void vireo_skip_insn_mode(struct vireo_vcpu *vcpu, bool wide);
unsigned long vireo_rip(struct vireo_vcpu *vcpu);

long vireo_get_regs(struct vireo_vcpu *vcpu, struct vireo_regs __user *arg);
long vireo_set_regs(struct vireo_vcpu *vcpu, struct vireo_regs __user *arg);
long vireo_get_sregs(struct vireo_vcpu *vcpu, struct vireo_sregs __user *arg);
long vireo_set_sregs(struct vireo_vcpu *vcpu, struct vireo_sregs __user *arg);

#endif /* VIREO_REGS_H */
