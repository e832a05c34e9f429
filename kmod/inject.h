/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: delivering interrupts, NMIs and exceptions to the guest.
 */
#ifndef VIREO_INJECT_H
#define VIREO_INJECT_H

#include <linux/types.h>
#include <linux/vireo.h>

struct vireo_vcpu;

void vireo_inject_events(struct vireo_vcpu *vcpu);
void vireo_inject_save_idt_vectoring(struct vireo_vcpu *vcpu);
void vireo_inject_exception(struct vireo_vcpu *vcpu, u8 vector, bool has_error,
			    u32 error);
void vireo_inject_gp(struct vireo_vcpu *vcpu);
void vireo_inject_ud(struct vireo_vcpu *vcpu);
void vireo_inject_pf(struct vireo_vcpu *vcpu, u64 address, u32 error);
bool vireo_has_interrupt(struct vireo_vcpu *vcpu);
void vireo_window_exiting(struct vireo_vcpu *vcpu, u32 bits, bool on);
long vireo_interrupt_ioctl(struct vireo_vcpu *vcpu,
			   struct vireo_interrupt __user *arg);
long vireo_nmi_ioctl(struct vireo_vcpu *vcpu);

#endif /* VIREO_INJECT_H */
