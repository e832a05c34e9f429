/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --stats: what the guest cost, printed on stderr when it ends: the
 * kernel's counters (VIREO_GET_STATS on the VM: VM exits by VMX reason,
 * returns to vireoctl by reason, hypercalls, entries, HLT sleeps,
 * injected interrupts) and vireoctl's (exits per device, unclaimed
 * accesses).
 */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdio.h>

#include "vm.h"

/* The name of VMX basic exit reason @reason (Intel SDM vol. 3, appendix C). */
const char *vmx_exit_name(unsigned int reason);
/* The name of VIREO_EXIT_* @reason. */
const char *vireo_exit_name(unsigned int reason);

void stats_print(struct vm *vm, FILE *out);

#endif
