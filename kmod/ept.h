/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: extended page tables, guest-physical to host-physical.
 */
#ifndef VIREO_EPT_H
#define VIREO_EPT_H

#include <linux/types.h>

struct vireo_mmu;
struct vireo_memslot;

int vireo_ept_init(struct vireo_mmu *mmu);
void vireo_ept_free(struct vireo_mmu *mmu);
int vireo_ept_map_slot(struct vireo_mmu *mmu, struct vireo_memslot *slot);
void vireo_ept_unmap_slot(struct vireo_mmu *mmu, struct vireo_memslot *slot);
bool vireo_ept_make_writable(struct vireo_mmu *mmu, u64 gpa);
bool vireo_ept_write_protect(struct vireo_mmu *mmu, u64 gpa);
void vireo_ept_flush(struct vireo_mmu *mmu);

#endif /* VIREO_EPT_H */
