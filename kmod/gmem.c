// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: guest memory as the host sees it.
 *
 * Emulation needs guest memory: the bytes of an instruction at RIP, the
 * buffer of a string I/O instruction, a page a hypercall names. Guest RAM
 * is the pinned pages of the memory slots (memslot.c), reached here by
 * guest-physical address under the mmu lock, so that a slot deleted
 * meanwhile cannot vanish under the copy. Guest-virtual addresses go
 * through a walk of the guest's own page tables in whatever paging mode
 * it uses (none, 32-bit, PAE, 4-level).
 *
 * These helpers never fault the host and never touch anything but slot
 * pages: every failure is an error code for the caller to turn into a
 * guest fault or an internal error. The walk checks presence and write
 * permission; it does not set accessed and dirty bits in the guest's
 * page tables.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <asm/vmx.h>

#include "gmem.h"
#include "memslot.h"
#include "regs.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx_ops.h"

/* Copy to or from one page of guest RAM; @len stays within the page. */
static int gpa_copy_page(struct vireo_vm *vm, u64 gpa, void *buf, size_t len,
			 bool write)
{
	struct vireo_mmu *mmu = &vm->mmu;
	struct vireo_memslot *slot;
	unsigned long index;
	void *va;
	int ret = 0;

	spin_lock(&mmu->lock);
	slot = vireo_memslot_find(mmu, gpa);
	if (!slot || (write && (slot->flags & VIREO_MEM_READONLY))) {
		ret = -EFAULT;
		goto unlock;
	}
	index = (gpa - slot->gpa) >> PAGE_SHIFT;
	va = kmap_local_page(slot->pages[index]);
	if (write) {
		memcpy(va + offset_in_page(gpa), buf, len);
		if (slot->dirty)
			set_bit(index, slot->dirty);
	} else {
		memcpy(buf, va + offset_in_page(gpa), len);
	}
	kunmap_local(va);
unlock:
	spin_unlock(&mmu->lock);
	return ret;
}

static int gpa_copy(struct vireo_vm *vm, u64 gpa, void *buf, size_t len, bool write)
{
	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(gpa));
		int ret = gpa_copy_page(vm, gpa, buf, chunk, write);

		if (ret)
			return ret;
		gpa += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

/**
 * vireo_gpa_read() - copy guest RAM to the host
 * @vm: the VM.
 * @gpa: guest-physical address.
 * @buf: destination.
 * @len: bytes.
 *
 * Return: 0, or -EFAULT when part of the range is not guest RAM.
 */
int vireo_gpa_read(struct vireo_vm *vm, u64 gpa, void *buf, size_t len)
{
	return gpa_copy(vm, gpa, buf, len, false);
}

/**
 * vireo_gpa_write() - copy host data into guest RAM
 * @vm: the VM.
 * @gpa: guest-physical address.
 * @buf: source.
 * @len: bytes.
 *
 * Pages written are marked dirty in slots that log.
 *
 * Return: 0, or -EFAULT when part of the range is not writable guest RAM.
 */
int vireo_gpa_write(struct vireo_vm *vm, u64 gpa, const void *buf, size_t len)
{
	return gpa_copy(vm, gpa, (void *)buf, len, true);
}

#define PTE_P		BIT_ULL(0)
#define PTE_W		BIT_ULL(1)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* One level of a 64-bit-entry walk: PAE and 4-level paging. */
static int walk_level64(struct vireo_vm *vm, u64 table, u64 gva, int shift,
			bool write, u64 *entry)
{
	u64 e;

	if (vireo_gpa_read(vm, table + ((gva >> shift) & 511) * 8, &e, sizeof(e)))
		return -EFAULT;
	if (!(e & PTE_P) || (write && !(e & PTE_W)))
		return -EFAULT;
	*entry = e;
	return 0;
}

static int walk_64(struct vireo_vcpu *vcpu, u64 table, u64 gva, int top,
		   bool write, u64 *gpa)
{
	int shift;
	u64 e;

	for (shift = top; shift >= 12; shift -= 9) {
		if (walk_level64(vcpu->vm, table, gva, shift, write, &e))
			return -EFAULT;
		if (shift < 39 && shift > 12 && (e & PTE_PS)) {
			u64 mask = (1ull << shift) - 1;

			*gpa = ((e & PTE_ADDR) & ~mask) | (gva & mask);
			return 0;
		}
		table = e & PTE_ADDR;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

static int walk_32(struct vireo_vcpu *vcpu, u64 gva, bool write, u64 *gpa)
{
	u32 cr3 = vmcs_readl(GUEST_CR3), e;

	if (vireo_gpa_read(vcpu->vm, (cr3 & 0xfffff000) + ((gva >> 22) & 1023) * 4,
			   &e, sizeof(e)))
		return -EFAULT;
	if (!(e & PTE_P) || (write && !(e & PTE_W)))
		return -EFAULT;
	if ((e & PTE_PS) && (vireo_cr4(vcpu) & X86_CR4_PSE)) {
		/* A 4 MiB page; PSE-36 puts address bits 39:32 in 20:13. */
		*gpa = (e & 0xffc00000) | ((u64)((e >> 13) & 0xff) << 32) |
		       (gva & 0x3fffff);
		return 0;
	}
	if (vireo_gpa_read(vcpu->vm, (e & 0xfffff000) + ((gva >> 12) & 1023) * 4,
			   &e, sizeof(e)))
		return -EFAULT;
	if (!(e & PTE_P) || (write && !(e & PTE_W)))
		return -EFAULT;
	*gpa = (e & 0xfffff000) | (gva & 0xfff);
	return 0;
}

/**
 * vireo_gva_to_gpa() - translate a guest linear address
 * @vcpu: the vCPU, its VMCS current.
 * @gva: the linear address.
 * @write: the access writes.
 * @gpa: out: the guest-physical address.
 *
 * Return: 0, or -EFAULT when the guest's page tables do not map @gva (for
 * a write: writably).
 */
int vireo_gva_to_gpa(struct vireo_vcpu *vcpu, u64 gva, bool write, u64 *gpa)
{
	u64 pdpte;
	int i;

	if (!(vcpu->cr0 & X86_CR0_PG)) {
		*gpa = gva & 0xffffffff;
		return 0;
	}
	if (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA)
		return walk_64(vcpu, vmcs_readl(GUEST_CR3) & PTE_ADDR, gva, 39, write, gpa);
	if (!(vcpu->cr4 & X86_CR4_PAE))
		return walk_32(vcpu, gva, write, gpa);

	/* PAE: the CPU holds the four PDPTEs in the VMCS. */
	i = (gva >> 30) & 3;
	pdpte = vmcs_read64(GUEST_PDPTR0 + 2 * i);
	if (!(pdpte & PTE_P))
		return -EFAULT;
	return walk_64(vcpu, pdpte & PTE_ADDR, gva & 0xffffffff, 21, write, gpa);
}

static int gva_copy(struct vireo_vcpu *vcpu, u64 gva, void *buf, size_t len, bool write)
{
	while (len) {
		size_t chunk = min_t(size_t, len, PAGE_SIZE - offset_in_page(gva));
		u64 gpa;
		int ret;

		ret = vireo_gva_to_gpa(vcpu, gva, write, &gpa);
		if (!ret)
			ret = gpa_copy(vcpu->vm, gpa, buf, chunk, write);
		if (ret)
			return ret;
		gva += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}

/**
 * vireo_gva_read() - copy guest memory at a linear address to the host
 * @vcpu: the vCPU, its VMCS current.
 * @gva: the linear address.
 * @buf: destination.
 * @len: bytes.
 *
 * Return: 0 or -EFAULT.
 */
int vireo_gva_read(struct vireo_vcpu *vcpu, u64 gva, void *buf, size_t len)
{
	return gva_copy(vcpu, gva, buf, len, false);
}

/**
 * vireo_gva_write() - copy host data to guest memory at a linear address
 * @vcpu: the vCPU, its VMCS current.
 * @gva: the linear address.
 * @buf: source.
 * @len: bytes.
 *
 * Return: 0 or -EFAULT.
 */
int vireo_gva_write(struct vireo_vcpu *vcpu, u64 gva, const void *buf, size_t len)
{
	return gva_copy(vcpu, gva, (void *)buf, len, true);
}
