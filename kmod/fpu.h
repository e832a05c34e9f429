/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the guest's x87, SSE and AVX state.
 */
#ifndef VIREO_FPU_H
#define VIREO_FPU_H

#include <linux/types.h>

struct vireo_vcpu;

void vireo_fpu_init(void);
int vireo_fpu_alloc(struct vireo_vcpu *vcpu);
void vireo_fpu_free(struct vireo_vcpu *vcpu);
void vireo_fpu_load(struct vireo_vcpu *vcpu);
void vireo_fpu_put(struct vireo_vcpu *vcpu);

#endif /* VIREO_FPU_H */
