// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMs, memory slots and vCPUs (see vm.h): thin wrappers around the
 * ioctls of uapi/linux/vireo.h that keep the library's view of the slots.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image.h"
#include "processor.h"
#include "vireo_util.h"
#include "vm.h"

long vireo_check_cap(long cap)
{
	static int fd = -1;

	if (fd < 0)
		fd = vireo_open();
	return ioctl(fd, VIREO_CHECK_CAP, cap);
}

struct vm *vm_create_barebones(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	TEST_ASSERT(vm, "out of memory");
	vm->sys_fd = vireo_open();
	vm->fd = vireo_create_vm(vm->sys_fd, NULL, &vm->id);
	TEST_ASSERT(vm->fd >= 0, "VIREO_CREATE_VM: %s", strerror(-vm->fd));
	return vm;
}

/* Anonymous memory, 2 MiB aligned and advised huge, as a VMM would use. */
static void *alloc_guest_ram(u64 size)
{
	u64 len = size + HUGE_SIZE;
	char *p, *aligned;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap %#llx bytes: %m",
		    (unsigned long long)len);
	aligned = (char *)align_up((uintptr_t)p, HUGE_SIZE);
	if (aligned > p)
		munmap(p, aligned - p);
	munmap(aligned + size, p + len - (aligned + size));
	madvise(aligned, size, MADV_HUGEPAGE);
	return aligned;
}

struct vm *vm_create(void)
{
	struct vm *vm = vm_create_barebones();
	u64 start, end, size;
	void *mem;

	image_extent(&start, &end);
	vm->image_gpa = start & ~(HUGE_SIZE - 1);
	vm->sys_gpa = align_up(end, HUGE_SIZE);
	vm->scratch_gpa = vm->sys_gpa + SYS_SCRATCH;
	vm->scratch_size = SYS_SIZE - SYS_SCRATCH;
	size = vm->sys_gpa + SYS_SIZE - vm->image_gpa;
	mem = alloc_guest_ram(size);
	vm->slots[IMAGE_SLOT] = (struct vm_slot){ .hva = mem,
						  .gpa = vm->image_gpa,
						  .size = size, .owned = true };
	image_load((char *)mem - vm->image_gpa);
	vm_setup_system(vm);
	TEST_ASSERT_OK(__vm_set_region(vm, IMAGE_SLOT, 0, vm->image_gpa, size,
				       mem));
	vm->has_image = true;
	return vm;
}

struct vm *vm_create_with_vcpus(unsigned int n, void *guest_code,
				struct vcpu **vcpus)
{
	struct vm *vm = vm_create();
	unsigned int i;

	for (i = 0; i < n; i++)
		vcpus[i] = vm_vcpu_add(vm, i, guest_code);
	return vm;
}

struct vm *vm_create_with_one_vcpu(struct vcpu **vcpu, void *guest_code)
{
	return vm_create_with_vcpus(1, guest_code, vcpu);
}

void vm_free(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (!vm->vcpus[i])
			continue;
		munmap(vm->vcpus[i]->run, VIREO_RUN_SIZE);
		close(vm->vcpus[i]->fd);
		free(vm->vcpus[i]);
	}
	close(vm->fd);
	close(vm->sys_fd);
	for (i = 0; i < MAX_SLOTS; i++)
		if (vm->slots[i].owned)
			munmap(vm->slots[i].hva, vm->slots[i].size);
	free(vm);
}

int __vm_set_region(struct vm *vm, u32 slot, u32 flags,
		    u64 gpa, u64 size, void *hva)
{
	struct vireo_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};
	struct vm_slot *s = slot < MAX_SLOTS ? &vm->slots[slot] : NULL;

	if (ioctl(vm->fd, VIREO_SET_MEMORY_REGION, &r))
		return -errno;
	if (!s)
		return 0;
	if (!size) {
		s->used = false;
		return 0;
	}
	if (s->owned && s->hva != hva) {
		munmap(s->hva, s->size);
		s->owned = false;
	}
	s->used = true;
	s->flags = flags;
	s->gpa = gpa;
	s->size = size;
	s->hva = hva;
	return 0;
}

void *vm_add_region(struct vm *vm, u32 slot, u32 flags,
		    u64 gpa, u64 size)
{
	void *mem = alloc_guest_ram(size);
	int r;

	TEST_ASSERT(slot < MAX_SLOTS, "slot %u: the library tracks %d", slot,
		    MAX_SLOTS);
	r = __vm_set_region(vm, slot, flags, gpa, size, mem);
	TEST_ASSERT(!r, "SET_MEMORY_REGION slot %u gpa %#llx size %#llx: %s",
		    slot, (unsigned long long)gpa, (unsigned long long)size,
		    strerror(-r));
	vm->slots[slot].owned = true;
	return mem;
}

void vm_delete_region(struct vm *vm, u32 slot)
{
	struct vm_slot *s = &vm->slots[slot];
	int r = __vm_set_region(vm, slot, 0, s->gpa, 0, s->hva);

	TEST_ASSERT(!r, "deleting slot %u: %s", slot, strerror(-r));
	if (s->owned)
		munmap(s->hva, s->size);
	s->owned = false;
	s->hva = NULL;
}

void vm_set_region_flags(struct vm *vm, u32 slot, u32 flags)
{
	struct vm_slot *s = &vm->slots[slot];
	bool owned = s->owned;
	int r = __vm_set_region(vm, slot, flags, s->gpa, s->size, s->hva);

	TEST_ASSERT(!r, "slot %u flags %#x: %s", slot, flags, strerror(-r));
	s->owned = owned;
}

void *gpa2hva(struct vm *vm, u64 gpa)
{
	unsigned int i;

	for (i = 0; i < MAX_SLOTS; i++) {
		struct vm_slot *s = &vm->slots[i];

		if ((s->used || (i == 0 && s->hva)) && gpa >= s->gpa &&
		    gpa < s->gpa + s->size)
			return (char *)s->hva + (gpa - s->gpa);
	}
	TEST_FAIL("guest physical %#llx is in no memory slot",
		  (unsigned long long)gpa);
}

int __vm_get_dirty_log(struct vm *vm, u32 slot, u64 *bitmap)
{
	struct vireo_dirty_log d = { .slot = slot,
				     .bitmap = (uintptr_t)bitmap };

	return ioctl(vm->fd, VIREO_GET_DIRTY_LOG, &d) ? -errno : 0;
}

int __vm_set_user_range(struct vm *vm, u32 kind, u32 flags,
			u32 first, u32 count)
{
	struct vireo_user_range r = { .kind = kind, .flags = flags,
				      .first = first, .count = count };

	return ioctl(vm->fd, VIREO_SET_USER_RANGE, &r) ? -errno : 0;
}

void vm_route(struct vm *vm, u32 kind, u32 first, u32 count)
{
	int r = __vm_set_user_range(vm, kind, 0, first, count);

	TEST_ASSERT(!r, "SET_USER_RANGE kind %u %#x+%u: %s", kind, first,
		    count, strerror(-r));
}

void vm_get_stats(struct vm *vm, struct vireo_stats *st)
{
	TEST_ASSERT_OK(ioctl(vm->fd, VIREO_GET_STATS, st));
}

int __vm_create_vcpu(struct vm *vm, unsigned int id)
{
	int fd = ioctl(vm->fd, VIREO_CREATE_VCPU, id);

	return fd < 0 ? -errno : fd;
}

/* A vCPU in vireo's initial state (the x86 reset state for vCPU 0). */
struct vcpu *vm_vcpu_add_raw(struct vm *vm, unsigned int id)
{
	struct vcpu *vcpu = calloc(1, sizeof(*vcpu));
	long run_size = vireo_check_cap(VIREO_CAP_RUN_SIZE);

	TEST_ASSERT(vcpu && id < MAX_VCPUS && !vm->vcpus[id], "vCPU %u", id);
	TEST_ASSERT(run_size >= (long)VIREO_RUN_SIZE,
		    "VIREO_CAP_RUN_SIZE is %ld", run_size);
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = __vm_create_vcpu(vm, id);
	TEST_ASSERT(vcpu->fd >= 0, "VIREO_CREATE_VCPU %u: %s", id,
		    strerror(-vcpu->fd));
	vcpu->run = mmap(NULL, VIREO_RUN_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	TEST_ASSERT(vcpu->run != MAP_FAILED, "mmap of vCPU %u: %m", id);
	vm->vcpus[id] = vcpu;
	return vcpu;
}

/*
 * A vCPU with the VM's default CPUID, in 64-bit mode at @guest_code (or at
 * its initial state if NULL), runnable whatever its id.
 */
struct vcpu *vm_vcpu_add(struct vm *vm, unsigned int id, void *guest_code)
{
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, id);

	vcpu_set_default_cpuid(vcpu);
	if (guest_code) {
		TEST_ASSERT(vm->has_image, "guest code needs vm_create()");
		vcpu_setup_long_mode(vcpu, guest_code);
		if (id)
			vcpu_set_mp_state(vcpu, VIREO_MP_RUNNABLE);
	}
	return vcpu;
}

int __vcpu_run(struct vcpu *vcpu)
{
	return ioctl(vcpu->fd, VIREO_RUN, 0) ? -errno : 0;
}

void vcpu_run(struct vcpu *vcpu)
{
	int r = __vcpu_run(vcpu);

	TEST_ASSERT(!r, "VIREO_RUN on vCPU %u: %s (exit reason %u)",
		    vcpu->id, strerror(-r), vcpu->run->exit_reason);
}

void vcpu_regs_get(struct vcpu *vcpu, struct vireo_regs *regs)
{
	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_GET_REGS, regs));
}

void vcpu_regs_set(struct vcpu *vcpu, const struct vireo_regs *regs)
{
	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_SET_REGS, regs));
}

void vcpu_sregs_get(struct vcpu *vcpu, struct vireo_sregs *sregs)
{
	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_GET_SREGS, sregs));
}

int __vcpu_sregs_set(struct vcpu *vcpu, const struct vireo_sregs *sregs)
{
	return ioctl(vcpu->fd, VIREO_SET_SREGS, sregs) ? -errno : 0;
}

void vcpu_sregs_set(struct vcpu *vcpu, const struct vireo_sregs *sregs)
{
	int r = __vcpu_sregs_set(vcpu, sregs);

	TEST_ASSERT(!r, "VIREO_SET_SREGS: %s", strerror(-r));
}

struct msrs1 {
	struct vireo_msrs hdr;
	struct vireo_msr_entry e;
};

u64 vcpu_get_msr(struct vcpu *vcpu, u32 index)
{
	struct msrs1 m = { .hdr.nmsrs = 1, .e.index = index };
	int r = ioctl(vcpu->fd, VIREO_GET_MSRS, &m);

	TEST_ASSERT(r == 1, "VIREO_GET_MSRS %#x: %d (%m)", index, r);
	return m.e.data;
}

void vcpu_set_msr(struct vcpu *vcpu, u32 index, u64 value)
{
	struct msrs1 m = { .hdr.nmsrs = 1, .e.index = index, .e.data = value };
	int r = ioctl(vcpu->fd, VIREO_SET_MSRS, &m);

	TEST_ASSERT(r == 1, "VIREO_SET_MSRS %#x = %#llx: %d (%m)", index,
		    (unsigned long long)value, r);
}

/* Set the first @n integer arguments of the guest function (RDI, RSI...). */
void vcpu_args_set(struct vcpu *vcpu, unsigned int n, ...)
{
	struct vireo_regs regs;
	__u64 *slots[] = { &regs.rdi, &regs.rsi, &regs.rdx, &regs.rcx,
			      &regs.r8, &regs.r9 };
	unsigned int i;
	va_list ap;

	TEST_ASSERT(n <= ARRAY_SIZE(slots), "%u arguments", n);
	vcpu_regs_get(vcpu, &regs);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		*slots[i] = va_arg(ap, u64);
	va_end(ap);
	vcpu_regs_set(vcpu, &regs);
}

int __vcpu_interrupt(struct vcpu *vcpu, u32 vector)
{
	struct vireo_interrupt irq = { .vector = vector };

	return ioctl(vcpu->fd, VIREO_INTERRUPT, &irq) ? -errno : 0;
}

void vcpu_interrupt(struct vcpu *vcpu, u32 vector)
{
	int r = __vcpu_interrupt(vcpu, vector);

	TEST_ASSERT(!r, "VIREO_INTERRUPT %u: %s", vector, strerror(-r));
}

void vcpu_nmi(struct vcpu *vcpu)
{
	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_NMI, 0));
}

u32 vcpu_get_mp_state(struct vcpu *vcpu)
{
	struct vireo_mp_state mp;

	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_GET_MP_STATE, &mp));
	return mp.state;
}

void vcpu_set_mp_state(struct vcpu *vcpu, u32 state)
{
	struct vireo_mp_state mp = { .state = state };

	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_SET_MP_STATE, &mp));
}

void vcpu_get_stats(struct vcpu *vcpu, struct vireo_stats *st)
{
	TEST_ASSERT_OK(ioctl(vcpu->fd, VIREO_GET_STATS, st));
}

const char *exit_reason_str(u32 reason)
{
	static const char *const names[] = {
		[VIREO_EXIT_NONE] = "NONE",
		[VIREO_EXIT_IO] = "IO",
		[VIREO_EXIT_MMIO] = "MMIO",
		[VIREO_EXIT_HYPERCALL] = "HYPERCALL",
		[VIREO_EXIT_MSR] = "MSR",
		[VIREO_EXIT_SHUTDOWN] = "SHUTDOWN",
		[VIREO_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[VIREO_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[VIREO_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[VIREO_EXIT_INTR] = "INTR",
		[VIREO_EXIT_DESTROYED] = "DESTROYED",
	};

	return reason < ARRAY_SIZE(names) && names[reason] ? names[reason] : "?";
}

/* Print what the last exit says, for a failing test's log. */
void vcpu_dump(struct vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;
	unsigned int i;

	tap_diag("vCPU %u: exit %s (%u), VMX exit %u, qualification %#llx, RIP %#llx",
		 vcpu->id, exit_reason_str(run->exit_reason), run->exit_reason,
		 run->hw_exit_reason,
		 (unsigned long long)run->exit_qualification,
		 (unsigned long long)run->rip);
	switch (run->exit_reason) {
	case VIREO_EXIT_IO:
		tap_diag("  io: %s port %#x size %u count %u",
			 run->io.direction == VIREO_IO_OUT ? "out" : "in",
			 run->io.port, run->io.size, run->io.count);
		break;
	case VIREO_EXIT_MMIO:
		tap_diag("  mmio: %s %#llx len %u",
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len);
		break;
	case VIREO_EXIT_INTERNAL_ERROR:
		tap_diag("  internal error %u: %.*s", run->internal.suberror,
			 VIREO_INTERNAL_REASON_LEN, run->internal.reason);
		for (i = 0; i < run->internal.ndata && i < 8; i++)
			tap_diag("  data[%u] = %#llx", i,
				 (unsigned long long)run->internal.data[i]);
		break;
	case VIREO_EXIT_FAIL_ENTRY:
		tap_diag("  entry failure %#llx (vm-instruction error: %u) on CPU %u",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			 run->fail_entry.vm_instruction_error,
			 run->fail_entry.cpu);
		break;
	}
}

void __vcpu_assert_exit(struct vcpu *vcpu, u32 reason, const char *file,
			int line)
{
	if (vcpu->run->exit_reason == reason)
		return;
	vcpu_dump(vcpu);
	test_fail(file, line, NULL, "expected exit %s, got %s (%u)",
		  exit_reason_str(reason),
		  exit_reason_str(vcpu->run->exit_reason),
		  vcpu->run->exit_reason);
}
