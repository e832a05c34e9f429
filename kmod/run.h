/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: VIREO_RUN.
 */
#ifndef VIREO_RUN_H
#define VIREO_RUN_H

struct vireo_vcpu;

void vireo_run_init(void);
long vireo_vcpu_run(struct vireo_vcpu *vcpu);

#endif /* VIREO_RUN_H */
