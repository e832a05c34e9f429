/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest RAM: one anonymous mapping of the whole size, seen by the guest
 * as up to two slots, [0, low) and [4 GiB, 4 GiB + high), with the
 * 32-bit PCI hole and the local APIC between them. Every guest-physical
 * address a device model uses (DMA, tables, the loader) goes through
 * gpa_to_hva(), which checks that the whole range is RAM.
 */
#ifndef VMM_MEM_H
#define VMM_MEM_H

#include "util.h"

/* RAM below 4 GiB ends here at most; above it, PCI MMIO and the APIC. */
#define MEM_LOW_LIMIT	(3 * GIB)
#define MEM_HIGH_BASE	(4 * GIB)

struct mem_region {
	u64 gpa;
	u64 size;
	u8 *hva;
};

struct guest_mem {
	u8 *base;		/* the mapping */
	u64 map_size;
	u64 size;		/* RAM bytes */
	int nr;
	struct mem_region region[2];
};

/* Maps @size bytes of RAM (2 MiB aligned, transparent huge pages). */
int guest_mem_alloc(struct guest_mem *mem, u64 size);
void guest_mem_free(struct guest_mem *mem);
/* Splits @size into the two regions without mapping anything (tests, planning). */
void guest_mem_layout(struct guest_mem *mem, u64 size);

/* Host address of [gpa, gpa + len), or NULL unless it is all RAM of one region. */
void *gpa_to_hva(const struct guest_mem *mem, u64 gpa, u64 len);

/* RAM below 4 GiB, and above it. */
static inline u64 mem_low_size(const struct guest_mem *mem)
{
	return mem->region[0].size;
}

static inline u64 mem_high_size(const struct guest_mem *mem)
{
	return mem->nr > 1 ? mem->region[1].size : 0;
}

#endif
