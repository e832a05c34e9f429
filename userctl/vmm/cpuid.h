/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPUID a guest of vireoctl run sees: what the kernel supports
 * (VIREO_GET_SUPPORTED_CPUID), made into one machine of N processors:
 *
 *  - APIC ids 0 to N-1: leaf 1 EBX[31:24], leaf 0xB (one thread per core,
 *    N cores in one package) and the core count of leaf 4;
 *  - the TSC frequency in leaves 0x15 and 0x16, from VIREO_CAP_TSC_KHZ,
 *    so that Linux needs no PIT calibration (tsc: "Detected ... MHz");
 *  - ARAT (leaf 6): the local APIC timer runs in every C-state;
 *  - no MONITOR/MWAIT, no hypervisor bit: a fully virtualized guest is
 *    not told (issue 6's --pv sets it).
 */
#ifndef VMM_CPUID_H
#define VMM_CPUID_H

#include <linux/vireo.h>

#include "util.h"

/* struct vireo_cpuid with room for the most entries vireo takes. */
struct cpuid_table {
	u32 nent;
	u32 padding;
	struct vireo_cpuid_entry e[VIREO_MAX_CPUID_ENTRIES];
};

/* Fills @out for vCPU @id of @nr_vcpus from the supported @base. Returns 0 or -E2BIG. */
int cpuid_for_vcpu(const struct cpuid_table *base, struct cpuid_table *out, int id,
		   int nr_vcpus, u32 tsc_khz);

/* The entry for (function, index), or NULL. */
struct vireo_cpuid_entry *cpuid_find(struct cpuid_table *t, u32 function, u32 index);

#endif
