/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the VM entry and exit path in vmenter.S.
 */
#ifndef VIREO_VMENTER_H
#define VIREO_VMENTER_H

#include <linux/types.h>

/* Enter the guest; 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed. */
int vireo_vmx_enter(unsigned long *regs, bool resume);

/* Where VM exits land (HOST_RIP). */
extern const char vireo_vmx_exit_point[];

#endif /* VIREO_VMENTER_H */
