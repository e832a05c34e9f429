// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: guest memory slots.
 *
 * VIREO_SET_MEMORY_REGION backs a range of guest-physical memory with the
 * VMM's own memory. vireo pins every page of it for as long as the slot
 * exists (pin_user_pages() with FOLL_LONGTERM, so the pages are migrated
 * out of movable zones first and never move or get reclaimed while the
 * guest may use them), charges them to the VMM's RLIMIT_MEMLOCK (unless it
 * has CAP_IPC_LOCK), and maps them all in the EPT at once (ept.c). Pinning
 * rather than following MMU notifiers keeps the exit path free of page
 * faults and of the invalidation races notifiers bring, at the price of
 * memory that stays resident: the right trade for a hypervisor that runs
 * guests out of RAM it was given for them.
 *
 * Slots can change while vCPUs run. A new slot is mapped before it is
 * published; a deleted slot is unpublished, unmapped and flushed from every
 * CPU's TLB before its pages are unpinned.
 *
 * Dirty logging maps a slot 4 KiB and read-only; the first write to each
 * page exits, sets its bit and makes it writable (vireo_mmu_dirty_fault()
 * in exit_mmio.c); VIREO_GET_DIRTY_LOG hands the bitmap out and
 * write-protects the pages again.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ept.h"
#include "memslot.h"
#include "vm.h"

#define VIREO_MEM_FLAGS		(VIREO_MEM_READONLY | VIREO_MEM_LOG_DIRTY)

/**
 * vireo_guest_phys_bits() - the guest-physical address width slots may use
 *
 * Return: the host's physical address width, at most 48 (4-level EPT).
 */
int vireo_guest_phys_bits(void)
{
	return min_t(int, boot_cpu_data.x86_phys_bits, 48);
}

/**
 * vireo_memslot_find() - the slot that backs a guest-physical address
 * @mmu: the VM's mmu, with its lock or slots_lock held.
 * @gpa: the address.
 *
 * Return: the slot, or NULL when @gpa is not guest RAM (MMIO).
 */
struct vireo_memslot *vireo_memslot_find(struct vireo_mmu *mmu, u64 gpa)
{
	struct vireo_memslot *slot;
	unsigned long used = READ_ONCE(mmu->used);

	/* Open-coded: every MMIO exit looks up two addresses. */
	while (used) {
		slot = mmu->slots[__ffs(used)];
		used &= used - 1;
		if (slot && gpa >= slot->gpa && gpa - slot->gpa < slot->size)
			return slot;
	}
	return NULL;
}

static void memslot_unpin(struct vireo_mmu *mmu, struct vireo_memslot *slot,
			  unsigned long npinned)
{
	unpin_user_pages_dirty_lock(slot->pages, npinned,
				    !(slot->flags & VIREO_MEM_READONLY));
	account_locked_vm(mmu->mm, slot->npages, false);
}

static void memslot_free(struct vireo_memslot *slot)
{
	bitmap_free(slot->dirty);
	kvfree(slot->pages);
	kfree(slot);
}

static long memslot_pin_pages(struct vireo_memslot *slot, unsigned int gup)
{
	unsigned long done = 0;
	long r;

	while (done < slot->npages) {
		r = pin_user_pages_fast(slot->uaddr + done * PAGE_SIZE,
					min(slot->npages - done, 512UL), gup,
					slot->pages + done);
		if (r <= 0) {
			if (done)
				unpin_user_pages(slot->pages, done);
			return r ? r : -EFAULT;
		}
		done += r;
		cond_resched();
	}
	return 0;
}

/*
 * Pin the VMM's pages behind @slot, charged to RLIMIT_MEMLOCK.
 *
 * A read-only slot is pinned for writing too when the VMM's mapping allows
 * it: a read-only pin of memory the VMM has not written yet holds the
 * shared zero page (or a page-cache page of a private file mapping), and
 * the VMM's later writes would go to a copy the guest never sees. Only a
 * mapping the VMM cannot write gets a read-only pin.
 */
static int memslot_pin(struct vireo_mmu *mmu, struct vireo_memslot *slot)
{
	long r;

	if (current->mm != mmu->mm)
		return -EPERM;
	r = account_locked_vm(mmu->mm, slot->npages, true);
	if (r)
		return r;
	r = memslot_pin_pages(slot, FOLL_LONGTERM | FOLL_WRITE);
	if (r == -EFAULT && (slot->flags & VIREO_MEM_READONLY))
		r = memslot_pin_pages(slot, FOLL_LONGTERM);
	if (r)
		account_locked_vm(mmu->mm, slot->npages, false);
	return r;
}

static bool memslot_overlaps(struct vireo_mmu *mmu, u32 id, u64 gpa, u64 size)
{
	struct vireo_memslot *slot;
	int i;

	for (i = 0; i < VIREO_MAX_MEMSLOTS; i++) {
		slot = mmu->slots[i];
		if (slot && i != id && gpa < slot->gpa + slot->size &&
		    slot->gpa < gpa + size)
			return true;
	}
	return false;
}

static int memslot_check(const struct vireo_memory_region *r)
{
	u64 limit = 1ull << vireo_guest_phys_bits();

	if (r->reserved[0] || r->reserved[1] || (r->flags & ~VIREO_MEM_FLAGS) ||
	    r->slot >= VIREO_MAX_MEMSLOTS)
		return -EINVAL;
	if (!r->memory_size)
		return 0;
	if (!PAGE_ALIGNED(r->guest_phys_addr) || !PAGE_ALIGNED(r->memory_size) ||
	    !PAGE_ALIGNED(r->userspace_addr))
		return -EINVAL;
	if (r->memory_size > limit || r->guest_phys_addr > limit - r->memory_size)
		return -EINVAL;
	if (r->userspace_addr + r->memory_size < r->userspace_addr ||
	    !access_ok(u64_to_user_ptr(r->userspace_addr), r->memory_size))
		return -EINVAL;
	if (r->guest_phys_addr <= VIREO_APIC_GPA + PAGE_SIZE - 1 &&
	    r->guest_phys_addr + r->memory_size > VIREO_APIC_GPA)
		return -EINVAL;
	return 0;
}

/* Unpublish, unmap, flush and free slot @id; slots_lock held. */
static void memslot_delete(struct vireo_mmu *mmu, u32 id)
{
	struct vireo_memslot *slot = mmu->slots[id];

	spin_lock(&mmu->lock);
	mmu->slots[id] = NULL;
	WRITE_ONCE(mmu->used, mmu->used & ~BIT(id));
	spin_unlock(&mmu->lock);
	vireo_ept_unmap_slot(mmu, slot);
	vireo_ept_flush(mmu);
	mmu->mem_bytes -= slot->size;
	memslot_unpin(mmu, slot, slot->npages);
	memslot_free(slot);
}

/* Turn dirty logging of a live slot on or off; slots_lock held. */
static int memslot_set_logging(struct vireo_mmu *mmu, struct vireo_memslot *slot,
			       u32 flags)
{
	unsigned long *dirty = NULL, *old;
	int r;

	if (flags & VIREO_MEM_LOG_DIRTY) {
		dirty = bitmap_zalloc(slot->npages, GFP_KERNEL_ACCOUNT);
		if (!dirty)
			return -ENOMEM;
	}
	spin_lock(&mmu->lock);
	old = slot->dirty;
	slot->dirty = dirty;
	slot->flags = flags;
	spin_unlock(&mmu->lock);
	r = vireo_ept_map_slot(mmu, slot);
	vireo_ept_flush(mmu);
	bitmap_free(old);
	return r;
}

static int memslot_create(struct vireo_mmu *mmu, const struct vireo_memory_region *r)
{
	struct vireo_memslot *slot;
	int ret;

	if (memslot_overlaps(mmu, r->slot, r->guest_phys_addr, r->memory_size))
		return -EINVAL;
	slot = kzalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return -ENOMEM;
	slot->id = r->slot;
	slot->flags = r->flags;
	slot->gpa = r->guest_phys_addr;
	slot->size = r->memory_size;
	slot->uaddr = r->userspace_addr;
	slot->npages = r->memory_size >> PAGE_SHIFT;
	slot->pages = kvcalloc(slot->npages, sizeof(*slot->pages), GFP_KERNEL_ACCOUNT);
	if (!slot->pages) {
		ret = -ENOMEM;
		goto free_slot;
	}
	if (r->flags & VIREO_MEM_LOG_DIRTY) {
		slot->dirty = bitmap_zalloc(slot->npages, GFP_KERNEL_ACCOUNT);
		if (!slot->dirty) {
			ret = -ENOMEM;
			goto free_slot;
		}
	}
	ret = memslot_pin(mmu, slot);
	if (ret)
		goto free_slot;
	ret = vireo_ept_map_slot(mmu, slot);
	if (ret)
		goto unmap;

	spin_lock(&mmu->lock);
	mmu->slots[r->slot] = slot;
	WRITE_ONCE(mmu->used, mmu->used | BIT(r->slot));
	spin_unlock(&mmu->lock);
	mmu->mem_bytes += slot->size;
	return 0;

unmap:
	vireo_ept_unmap_slot(mmu, slot);
	vireo_ept_flush(mmu);
	memslot_unpin(mmu, slot, slot->npages);
free_slot:
	memslot_free(slot);
	return ret;
}

/**
 * vireo_set_memory_region() - VIREO_SET_MEMORY_REGION
 * @vm: the VM.
 * @r: the caller's region, copied in.
 *
 * A size of 0 deletes the slot. An existing slot may only have its
 * VIREO_MEM_LOG_DIRTY flag changed (same address, size, memory); any other
 * change to a slot in use is refused.
 *
 * Return: 0, -EINVAL (flags, reserved fields, slot number, alignment,
 * size, overlap, the APIC page), -EEXIST (the slot is in use), -ENOENT
 * (deleting an empty slot), -EFAULT or -ENOMEM (pinning, RLIMIT_MEMLOCK),
 * -EPERM (a process other than the VM's creator).
 */
int vireo_set_memory_region(struct vireo_vm *vm, const struct vireo_memory_region *r)
{
	struct vireo_mmu *mmu = &vm->mmu;
	struct vireo_memslot *slot;
	int ret;

	ret = memslot_check(r);
	if (ret)
		return ret;

	mutex_lock(&mmu->slots_lock);
	slot = mmu->slots[r->slot];
	if (!r->memory_size) {
		ret = slot ? 0 : -ENOENT;
		if (slot)
			memslot_delete(mmu, r->slot);
	} else if (!slot) {
		ret = memslot_create(mmu, r);
	} else if (slot->gpa != r->guest_phys_addr || slot->size != r->memory_size ||
		   slot->uaddr != r->userspace_addr ||
		   ((slot->flags ^ r->flags) & VIREO_MEM_READONLY)) {
		ret = -EEXIST;
	} else if (slot->flags != r->flags) {
		ret = memslot_set_logging(mmu, slot, r->flags);
	}
	mutex_unlock(&mmu->slots_lock);
	return ret;
}

/**
 * vireo_get_dirty_log() - VIREO_GET_DIRTY_LOG
 * @vm: the VM.
 * @log: the caller's request, copied in.
 *
 * Copies out the pages written since the last call (or since logging
 * began) and starts a new round: the bits are cleared and the pages
 * write-protected again.
 *
 * Return: 0, -EINVAL (reserved fields, slot number, a slot without
 * logging), -ENOENT (empty slot), -EFAULT, -ENOMEM.
 */
int vireo_get_dirty_log(struct vireo_vm *vm, const struct vireo_dirty_log *log)
{
	struct vireo_mmu *mmu = &vm->mmu;
	struct vireo_memslot *slot;
	unsigned long *copy, i;
	size_t bytes;
	bool flush = false;
	int ret;

	if (log->padding || log->reserved[0] || log->reserved[1] ||
	    log->slot >= VIREO_MAX_MEMSLOTS)
		return -EINVAL;

	mutex_lock(&mmu->slots_lock);
	slot = mmu->slots[log->slot];
	ret = !slot ? -ENOENT : !(slot->flags & VIREO_MEM_LOG_DIRTY) ? -EINVAL : 0;
	if (ret)
		goto unlock;
	bytes = BITS_TO_LONGS(slot->npages) * sizeof(long);
	copy = kvzalloc(bytes, GFP_KERNEL_ACCOUNT);
	if (!copy) {
		ret = -ENOMEM;
		goto unlock;
	}
	for (i = 0; i < BITS_TO_LONGS(slot->npages); i++)
		copy[i] = xchg(&slot->dirty[i], 0);
	for_each_set_bit(i, copy, slot->npages)
		flush |= vireo_ept_write_protect(mmu, slot->gpa + (i << PAGE_SHIFT));
	if (flush)
		vireo_ept_flush(mmu);
	if (copy_to_user(u64_to_user_ptr(log->bitmap), copy, bytes))
		ret = -EFAULT;
	kvfree(copy);
unlock:
	mutex_unlock(&mmu->slots_lock);
	return ret;
}

/**
 * vireo_mmu_init() - set up an empty guest-physical address space
 * @mmu: the VM's mmu.
 *
 * Return: 0 or -ENOMEM.
 */
int vireo_mmu_init(struct vireo_mmu *mmu)
{
	mutex_init(&mmu->slots_lock);
	spin_lock_init(&mmu->lock);
	mmu->mm = current->mm;
	mmgrab(mmu->mm);
	if (vireo_ept_init(mmu)) {
		mmdrop(mmu->mm);
		return -ENOMEM;
	}
	return 0;
}

/**
 * vireo_mmu_destroy() - unpin every slot and free the EPT
 * @mmu: the VM's mmu; no vCPU runs any more.
 */
void vireo_mmu_destroy(struct vireo_mmu *mmu)
{
	struct vireo_memslot *slot;
	int i;

	/* A later VM may get the same EPT root: leave no translation behind. */
	vireo_ept_flush(mmu);
	for (i = 0; i < VIREO_MAX_MEMSLOTS; i++) {
		slot = mmu->slots[i];
		if (!slot)
			continue;
		mmu->slots[i] = NULL;
		memslot_unpin(mmu, slot, slot->npages);
		memslot_free(slot);
	}
	vireo_ept_free(mmu);
	mmdrop(mmu->mm);
}
