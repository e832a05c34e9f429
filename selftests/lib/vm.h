/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host side of the guest-VM library: VMs, memory slots and vCPUs on
 * /dev/vireo, in the spirit of KVM's selftests.
 *
 * vm_create() makes a VM whose slot 0 holds a copy of this test binary at
 * its link addresses (guest physical = guest virtual = host virtual), plus
 * a system area with identity page tables, GDT, IDT, TSSs and stacks (see
 * processor.h). vm_vcpu_add() then starts a vCPU in 64-bit mode at an
 * ordinary C function of the test. Guest code reports back with ucalls
 * (ucall.h). Globals are copied at vm_create(); later changes travel with
 * sync_global_to_guest() and sync_global_from_guest().
 *
 * Every helper without a leading underscore asserts that the ioctl
 * worked; the __ variants return 0 or -errno for tests of the errors.
 */
#ifndef VIREO_SELFTEST_VM_H
#define VIREO_SELFTEST_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "types.h"
#include <linux/vireo.h>

#include "test_util.h"

#define PAGE_SIZE	4096UL
#define HUGE_SIZE	(2UL << 20)
#define MAX_VCPUS	16	/* vireo's VIREO_CAP_MAX_VCPUS, at least */
#define MAX_SLOTS	64	/* slots the library tracks */

struct vm_slot {
	bool used;
	u32 flags;
	u64 gpa;
	u64 size;
	void *hva;
	bool owned;		/* mmap'd by the library: munmap at the end */
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct vireo_run *run;
};

struct vm {
	int sys_fd;
	int fd;
	unsigned int id;
	struct vm_slot slots[MAX_SLOTS];
	struct vcpu *vcpus[MAX_VCPUS];
	bool has_image;		/* slot 0 holds the test binary */
	u64 image_gpa;		/* where slot 0 starts */
	u64 sys_gpa;	/* system area (processor.h) */
	u64 scratch_gpa;	/* free guest RAM for tests, scratch_size bytes */
	u64 scratch_size;
};

/* VMs */
struct vm *vm_create_barebones(void);
struct vm *vm_create(void);
struct vm *vm_create_with_vcpus(unsigned int n, void *guest_code,
				struct vcpu **vcpus);
struct vm *vm_create_with_one_vcpu(struct vcpu **vcpu, void *guest_code);
void vm_free(struct vm *vm);
long vireo_check_cap(long cap);

/* Memory slots: hva is NULL to let the library mmap anonymous memory. */
int __vm_set_region(struct vm *vm, u32 slot, u32 flags,
		    u64 gpa, u64 size, void *hva);
void *vm_add_region(struct vm *vm, u32 slot, u32 flags,
		    u64 gpa, u64 size);
void vm_delete_region(struct vm *vm, u32 slot);
void vm_set_region_flags(struct vm *vm, u32 slot, u32 flags);
void *gpa2hva(struct vm *vm, u64 gpa);
int __vm_get_dirty_log(struct vm *vm, u32 slot, u64 *bitmap);
int __vm_set_user_range(struct vm *vm, u32 kind, u32 flags,
			u32 first, u32 count);
void vm_route(struct vm *vm, u32 kind, u32 first, u32 count);
void vm_get_stats(struct vm *vm, struct vireo_stats *st);

#define sync_global_to_guest(vm, g) ({				\
	typeof(g) *__sg = &(g);						\
	memcpy(gpa2hva(vm, (u64)__sg), __sg, sizeof(*__sg));		\
})
#define sync_global_from_guest(vm, g) ({				\
	typeof(g) *__sg = &(g);						\
	memcpy(__sg, gpa2hva(vm, (u64)__sg), sizeof(*__sg));		\
})
/* Write one guest global without touching the host's copy. */
#define write_guest_global(vm, g, v) do {				\
	typeof(g) __wgv = (v);						\
	memcpy(gpa2hva(vm, (u64)&(g)), &__wgv, sizeof(g));		\
} while (0)
#define read_guest_global(vm, g) ({					\
	typeof(g) __rgv;						\
	memcpy(&__rgv, gpa2hva(vm, (u64)&(g)), sizeof(g));		\
	__rgv;								\
})

/* vCPUs */
int __vm_create_vcpu(struct vm *vm, unsigned int id);
struct vcpu *vm_vcpu_add(struct vm *vm, unsigned int id, void *guest_code);
struct vcpu *vm_vcpu_add_raw(struct vm *vm, unsigned int id);
int __vcpu_run(struct vcpu *vcpu);
void vcpu_run(struct vcpu *vcpu);
void vcpu_regs_get(struct vcpu *vcpu, struct vireo_regs *regs);
void vcpu_regs_set(struct vcpu *vcpu, const struct vireo_regs *regs);
void vcpu_sregs_get(struct vcpu *vcpu, struct vireo_sregs *sregs);
void vcpu_sregs_set(struct vcpu *vcpu, const struct vireo_sregs *sregs);
int __vcpu_sregs_set(struct vcpu *vcpu, const struct vireo_sregs *sregs);
u64 vcpu_get_msr(struct vcpu *vcpu, u32 index);
void vcpu_set_msr(struct vcpu *vcpu, u32 index, u64 value);
void vcpu_args_set(struct vcpu *vcpu, unsigned int n, ...);
int __vcpu_interrupt(struct vcpu *vcpu, u32 vector);
void vcpu_interrupt(struct vcpu *vcpu, u32 vector);
void vcpu_nmi(struct vcpu *vcpu);
u32 vcpu_get_mp_state(struct vcpu *vcpu);
void vcpu_set_mp_state(struct vcpu *vcpu, u32 state);
void vcpu_get_stats(struct vcpu *vcpu, struct vireo_stats *st);

/* CPUID */
struct vireo_cpuid *cpuid_alloc(unsigned int nent);
const struct vireo_cpuid *supported_cpuid(void);
struct vireo_cpuid *cpuid_dup(const struct vireo_cpuid *c, unsigned int room);
struct vireo_cpuid_entry *cpuid_find(struct vireo_cpuid *c, u32 fn,
				     u32 index);
struct vireo_cpuid_entry *cpuid_add(struct vireo_cpuid *c, u32 fn,
				    u32 index, u32 flags);
int __vcpu_set_cpuid(struct vcpu *vcpu, const struct vireo_cpuid *c);
void vcpu_set_cpuid(struct vcpu *vcpu, const struct vireo_cpuid *c);
void vcpu_set_default_cpuid(struct vcpu *vcpu);
void cpuid_set_apic_id(struct vireo_cpuid *c, unsigned int id);
void cpuid_set_pv(struct vireo_cpuid *c, u32 features);
void vcpu_set_pv_cpuid(struct vcpu *vcpu, u32 features);

/* Exits */
const char *exit_reason_str(u32 reason);
void __vcpu_assert_exit(struct vcpu *vcpu, u32 reason,
			const char *file, int line);
#define vcpu_assert_exit(vcpu, reason) \
	__vcpu_assert_exit(vcpu, reason, __FILE__, __LINE__)
void vcpu_dump(struct vcpu *vcpu);

/* Pointer to the port I/O data of the current IO exit. */
static inline void *vcpu_io_data(struct vcpu *vcpu)
{
	return (char *)vcpu->run + vcpu->run->io.data_offset;
}

#endif
