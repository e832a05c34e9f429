/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the model-specific registers a guest owns.
 */
#ifndef VIREO_MSR_H
#define VIREO_MSR_H

#include <linux/types.h>
#include <linux/vireo.h>

struct vireo_vcpu;

int vireo_msr_get(struct vireo_vcpu *vcpu, u32 index, u64 *data, bool host);
int vireo_msr_set(struct vireo_vcpu *vcpu, u32 index, u64 data, bool host);
bool vireo_msr_handled(u32 index);
long vireo_msr_get_list(struct vireo_msr_list __user *arg);
long vireo_msrs_ioctl(struct vireo_vcpu *vcpu, struct vireo_msrs __user *arg,
		      bool set);
void vireo_msrs_load_guest(struct vireo_vcpu *vcpu);
void vireo_msrs_load_host(struct vireo_vcpu *vcpu);
void vireo_msrs_update_syscall(struct vireo_vcpu *vcpu);
void vireo_msrs_reset(struct vireo_vcpu *vcpu);
void vireo_msrs_init(void);

#endif /* VIREO_MSR_H */
