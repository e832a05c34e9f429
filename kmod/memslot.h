/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: guest memory slots and the VM's view of guest-physical memory.
 */
#ifndef VIREO_MEMSLOT_H
#define VIREO_MEMSLOT_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vireo.h>

/* Memory slots per VM (VIREO_CAP_MAX_MEMSLOTS). */
#define VIREO_MAX_MEMSLOTS	32

/* The guest-physical page of the local APICs; no slot may cover it. */
#define VIREO_APIC_GPA		0xfee00000ull

struct mm_struct;
struct page;
struct vireo_vm;

/*
 * struct vireo_memslot - one VIREO_SET_MEMORY_REGION
 * Constant while published, except @flags' LOG_DIRTY and @dirty, which
 * change under the mmu's slots_lock and lock.
 */
struct vireo_memslot {
	u32 id;
	u32 flags;		/* VIREO_MEM_* */
	u64 gpa;
	u64 size;
	u64 uaddr;
	unsigned long npages;
	struct page **pages;	/* pinned, one per guest page */
	unsigned long *dirty;	/* LOG_DIRTY: one bit per page */
};

/*
 * struct vireo_mmu - a VM's guest-physical memory
 *
 * @slots_lock serialises changes (set region, dirty log) and may sleep;
 * @lock guards @slots against the exit handlers and the EPT leaves they
 * touch. A slot pointer is written with both held and read with either.
 * EPT tables are only added while the VM lives and freed with it, so a
 * walk under @lock never meets a freed table.
 */
struct vireo_mmu {
	struct mutex slots_lock;	/* changes to slots and EPT */
	spinlock_t lock;	/* slots against exit handlers */
	struct vireo_memslot *slots[VIREO_MAX_MEMSLOTS];
	unsigned long used;	/* bit n: slots[n] is set; for lookups */
	u64 *ept_root;		/* the PML4 table */
	u64 eptp;
	u64 mem_bytes;		/* sum of slot sizes, under slots_lock */
	struct mm_struct *mm;	/* whose RLIMIT_MEMLOCK pays for the pins */
};

int vireo_mmu_init(struct vireo_mmu *mmu);
void vireo_mmu_destroy(struct vireo_mmu *mmu);
int vireo_set_memory_region(struct vireo_vm *vm,
			    const struct vireo_memory_region *region);
int vireo_get_dirty_log(struct vireo_vm *vm, const struct vireo_dirty_log *log);
struct vireo_memslot *vireo_memslot_find(struct vireo_mmu *mmu, u64 gpa);
int vireo_guest_phys_bits(void);

#endif /* VIREO_MEMSLOT_H */
