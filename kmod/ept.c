// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: extended page tables.
 *
 * Each VM has one 4-level EPT hierarchy translating guest-physical to
 * host-physical addresses. vireo fills it eagerly: when a memory slot is
 * created (memslot.c pins its pages), every page of it is mapped at once,
 * with a 2 MiB leaf wherever the host memory behind an aligned 2 MiB of the
 * slot is one physically contiguous, aligned block (a transparent huge
 * page). So RAM never causes an EPT violation; what does is MMIO (no
 * mapping at all), writes to read-only slots, and the first write to each
 * page of a dirty-logged slot, which is mapped 4 KiB and read-only until
 * then.
 *
 * Tables are added under the mmu's slots_lock and only freed with the VM;
 * leaves change under slots_lock (map, unmap) or, for the writable bit of
 * dirty-logged pages, atomically from the exit handlers. Every mapping is
 * write-back; the guest's PAT still applies on top.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <asm/io.h>
#include <asm/vmx.h>

#include "caps.h"
#include "ept.h"
#include "memslot.h"
#include "vmx_ops.h"
#include "vmx_root.h"

#define EPT_R		VMX_EPT_READABLE_MASK
#define EPT_W		VMX_EPT_WRITABLE_MASK
#define EPT_X		VMX_EPT_EXECUTABLE_MASK
#define EPT_RWX		VMX_EPT_RWX_MASK
#define EPT_WB		(VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)
#define EPT_PS		BIT_ULL(7)
#define EPT_ADDR	GENMASK_ULL(51, 12)
#define EPT_LEVELS	4
#define PAGES_2M	512

static unsigned int ept_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static u64 *ept_table(u64 entry)
{
	return __va(entry & EPT_ADDR);
}

static u64 *ept_alloc_table(void)
{
	return (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
}

/* Replace a 2 MiB leaf by a table of 512 4 KiB leaves with the same rights. */
static int ept_split(u64 *entry)
{
	u64 leaf = READ_ONCE(*entry);
	u64 *table = ept_alloc_table();
	int i;

	if (!table)
		return -ENOMEM;
	for (i = 0; i < 512; i++)
		table[i] = ((leaf & EPT_ADDR) + ((u64)i << PAGE_SHIFT)) |
			   (leaf & (EPT_RWX | EPT_WB));
	/* The table is complete before the walker can see it. */
	smp_wmb();
	WRITE_ONCE(*entry, __pa(table) | EPT_RWX);
	return 0;
}

/*
 * Find the entry for @gpa at @level (1: 4 KiB leaves, 2: 2 MiB). With
 * @alloc, create missing tables and split large leaves on the way (slots_lock
 * held); without, return NULL where the walk ends early.
 */
static u64 *ept_walk(struct vireo_mmu *mmu, u64 gpa, int level, bool alloc)
{
	u64 *table = mmu->ept_root;
	int l;

	for (l = EPT_LEVELS; l > level; l--) {
		u64 *entry = &table[ept_index(gpa, l)];
		u64 val = READ_ONCE(*entry);

		if (!(val & EPT_RWX)) {
			u64 *next;

			if (!alloc)
				return NULL;
			next = ept_alloc_table();
			if (!next)
				return ERR_PTR(-ENOMEM);
			/* The zeroed table before the entry that points to it. */
			smp_wmb();
			val = __pa(next) | EPT_RWX;
			WRITE_ONCE(*entry, val);
		} else if (val & EPT_PS) {
			if (!alloc)
				return NULL;
			if (ept_split(entry))
				return ERR_PTR(-ENOMEM);
			val = READ_ONCE(*entry);
		}
		table = ept_table(val);
	}
	return &table[ept_index(gpa, level)];
}

/* Can pages [i, i + 512) of @slot be one 2 MiB leaf? */
static bool ept_can_map_2m(const struct vireo_memslot *slot, unsigned long i)
{
	unsigned long pfn, j;

	if (!vireo_caps_has_ept_2m() || (slot->flags & VIREO_MEM_LOG_DIRTY) ||
	    !IS_ALIGNED(slot->gpa + ((u64)i << PAGE_SHIFT), SZ_2M) ||
	    i + PAGES_2M > slot->npages)
		return false;
	pfn = page_to_pfn(slot->pages[i]);
	if (!IS_ALIGNED(pfn, PAGES_2M))
		return false;
	for (j = 1; j < PAGES_2M; j++)
		if (page_to_pfn(slot->pages[i + j]) != pfn + j)
			return false;
	return true;
}

/**
 * vireo_ept_map_slot() - map every page of a slot, with the slot's rights
 * @mmu: the VM's mmu, slots_lock held.
 * @slot: a slot whose pages are pinned.
 *
 * Also used to change the rights of a mapped slot (dirty logging on or
 * off): entries are rewritten in place, so the guest never sees a hole.
 *
 * Return: 0 or -ENOMEM (the caller unmaps what was mapped).
 */
int vireo_ept_map_slot(struct vireo_mmu *mmu, struct vireo_memslot *slot)
{
	u64 rights = EPT_R | EPT_X | EPT_WB;
	unsigned long i = 0;
	u64 *entry;

	if (!(slot->flags & (VIREO_MEM_READONLY | VIREO_MEM_LOG_DIRTY)))
		rights |= EPT_W;

	while (i < slot->npages) {
		u64 gpa = slot->gpa + ((u64)i << PAGE_SHIFT);

		if (ept_can_map_2m(slot, i)) {
			entry = ept_walk(mmu, gpa, 2, true);
			if (IS_ERR(entry))
				return PTR_ERR(entry);
			/* A table already here (an earlier 4 KiB mapping) stays. */
			if (!(READ_ONCE(*entry) & EPT_RWX) || (READ_ONCE(*entry) & EPT_PS)) {
				WRITE_ONCE(*entry, page_to_phys(slot->pages[i]) | rights | EPT_PS);
				i += PAGES_2M;
				continue;
			}
		}
		entry = ept_walk(mmu, gpa, 1, true);
		if (IS_ERR(entry))
			return PTR_ERR(entry);
		WRITE_ONCE(*entry, page_to_phys(slot->pages[i]) | rights);
		i++;
	}
	return 0;
}

/**
 * vireo_ept_unmap_slot() - remove every mapping of a slot
 * @mmu: the VM's mmu, slots_lock held, the slot no longer published.
 * @slot: the slot.
 *
 * The caller flushes (vireo_ept_flush()) before it unpins the pages.
 */
void vireo_ept_unmap_slot(struct vireo_mmu *mmu, struct vireo_memslot *slot)
{
	u64 gpa, end = slot->gpa + slot->size;
	u64 *entry;

	for (gpa = slot->gpa; gpa < end; ) {
		entry = ept_walk(mmu, gpa, 2, false);
		if (entry && (READ_ONCE(*entry) & EPT_PS)) {
			WRITE_ONCE(*entry, 0);
			gpa += SZ_2M;
			continue;
		}
		entry = ept_walk(mmu, gpa, 1, false);
		if (entry)
			WRITE_ONCE(*entry, 0);
		gpa += PAGE_SIZE;
	}
}

/* Set or clear the writable bit of the 4 KiB leaf of @gpa, atomically. */
static bool ept_set_writable(struct vireo_mmu *mmu, u64 gpa, bool writable)
{
	u64 *entry = ept_walk(mmu, gpa, 1, false);
	u64 old, new;

	if (!entry)
		return false;
	do {
		old = READ_ONCE(*entry);
		if (!(old & EPT_R))
			return false;
		if (!!(old & EPT_W) == writable)
			return writable;
		new = writable ? old | EPT_W : old & ~EPT_W;
	} while (cmpxchg64(entry, old, new) != old);
	return true;
}

/**
 * vireo_ept_make_writable() - let the guest write a dirty-logged page
 * @mmu: the VM's mmu, with its lock held.
 * @gpa: an address in the page.
 *
 * Return: true when the page is mapped and now writable.
 */
bool vireo_ept_make_writable(struct vireo_mmu *mmu, u64 gpa)
{
	return ept_set_writable(mmu, gpa, true);
}

/**
 * vireo_ept_write_protect() - make a dirty-logged page read-only again
 * @mmu: the VM's mmu, slots_lock held.
 * @gpa: an address in the page.
 *
 * Return: true when the page was writable (the caller must flush).
 */
bool vireo_ept_write_protect(struct vireo_mmu *mmu, u64 gpa)
{
	return ept_set_writable(mmu, gpa, false);
}

static void ept_invept_ipi(void *arg)
{
	/* A CPU still coming online has no translations to drop. */
	if (vireo_vmx_this_cpu_on())
		vireo_invept(VMX_EPT_EXTENT_CONTEXT, *(u64 *)arg);
}

/**
 * vireo_ept_flush() - drop every CPU's cached translations of this EPT
 * @mmu: the VM's mmu.
 *
 * Every online CPU is in VMX root operation while a VM exists. A vCPU in
 * the guest takes the IPI as an exit, so once this returns no CPU uses a
 * translation the caller removed.
 *
 * Context: process context, interrupts enabled.
 */
void vireo_ept_flush(struct vireo_mmu *mmu)
{
	on_each_cpu(ept_invept_ipi, &mmu->eptp, 1);
}

/**
 * vireo_ept_init() - allocate the root of a VM's EPT
 * @mmu: the VM's mmu; sets ept_root and eptp.
 *
 * Return: 0 or -ENOMEM.
 */
int vireo_ept_init(struct vireo_mmu *mmu)
{
	mmu->ept_root = ept_alloc_table();
	if (!mmu->ept_root)
		return -ENOMEM;
	mmu->eptp = __pa(mmu->ept_root) | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
	return 0;
}

static void ept_free_table(u64 *table, int level)
{
	int i;

	if (level > 1)
		for (i = 0; i < 512; i++)
			if ((table[i] & EPT_RWX) && !(table[i] & EPT_PS))
				ept_free_table(ept_table(table[i]), level - 1);
	free_page((unsigned long)table);
}

/**
 * vireo_ept_free() - free a VM's EPT
 * @mmu: the VM's mmu, which no vCPU uses any more.
 */
void vireo_ept_free(struct vireo_mmu *mmu)
{
	if (mmu->ept_root)
		ept_free_table(mmu->ept_root, EPT_LEVELS);
	mmu->ept_root = NULL;
}
