// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine's system-fd and VM-fd ioctls, success and error paths, as
 * Documentation/virt/vireo/api.rst lists them: capabilities,
 * VIREO_GET_MSR_LIST, VIREO_GET_SUPPORTED_CPUID, VIREO_SET_MEMORY_REGION,
 * VIREO_GET_DIRTY_LOG, VIREO_CREATE_VCPU, VIREO_SET_USER_RANGE,
 * VIREO_GET_STATS, unknown commands, and a VM fd used by another process.
 * One TAP result per check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processor.h"
#include "vireo_util.h"
#include "vm.h"

#define GPA	0x40000000ULL
#define MIB	0x100000ULL

/* ioctl() as 0 or -errno. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static bool expect(int r, int want, const char *what)
{
	if (r != want)
		tap_diag("%s: got %d (%s), expected %d", what, r,
			 r < 0 ? strerror(-r) : "success", want);
	return tap_ok(r == want, "%s: %s", what,
		      want ? strerror(-want) : "success");
}

static void test_caps(void)
{
	long v;

	v = vireo_check_cap(VIREO_CAP_MAX_VCPUS);
	tap_ok(v >= 2 && v <= 4096, "CAP_MAX_VCPUS is %ld", v);
	v = vireo_check_cap(VIREO_CAP_MAX_MEMSLOTS);
	tap_ok(v >= 8 && v <= 32768, "CAP_MAX_MEMSLOTS is %ld", v);
	v = vireo_check_cap(VIREO_CAP_RUN_SIZE);
	tap_ok(v == VIREO_RUN_SIZE, "CAP_RUN_SIZE is %ld", v);
	v = vireo_check_cap(VIREO_CAP_TSC_KHZ);
	tap_ok(v > 0, "CAP_TSC_KHZ is %ld", v);
	v = vireo_check_cap(VIREO_CAP_PV_FEATURES);
	tap_ok(v > 0 && !(v & ~0x1fL), "CAP_PV_FEATURES is %#lx", v);
	v = vireo_check_cap(VIREO_CAP_GUEST_PHYS_BITS);
	tap_ok(v >= 36 && v <= 52, "CAP_GUEST_PHYS_BITS is %ld", v);
}

static void test_msr_list(int sys)
{
	static const u32 must[] = {
		MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
		MSR_KERNEL_GS_BASE, MSR_FS_BASE, MSR_GS_BASE, MSR_EFER,
		MSR_IA32_CR_PAT, MSR_IA32_SYSENTER_CS, MSR_IA32_TSC_DEADLINE,
		MSR_IA32_APICBASE,
	};
	struct vireo_msr_list *l = calloc(1, sizeof(*l) + 1024 * 4);
	unsigned int i, j, n;
	bool ok = true;

	l->nmsrs = 0;
	expect(xioctl(sys, VIREO_GET_MSR_LIST, l), -E2BIG,
	       "GET_MSR_LIST with nmsrs 0");
	n = l->nmsrs;
	tap_ok(n > 0 && n <= VIREO_MAX_MSR_ENTRIES,
	       "GET_MSR_LIST's E2BIG says how many: %u", n);
	l->nmsrs = n - 1;
	expect(xioctl(sys, VIREO_GET_MSR_LIST, l), -E2BIG,
	       "GET_MSR_LIST one short");
	l->nmsrs = 1024;
	expect(xioctl(sys, VIREO_GET_MSR_LIST, l), 0, "GET_MSR_LIST with room");
	tap_ok(l->nmsrs == n, "GET_MSR_LIST sets nmsrs to the count (%u)",
	       l->nmsrs);
	for (i = 0; i < ARRAY_SIZE(must); i++) {
		for (j = 0; j < n && l->indices[j] != must[i]; j++)
			;
		if (j == n) {
			tap_diag("MSR %#x is not listed", must[i]);
			ok = false;
		}
	}
	tap_ok(ok, "the list holds the syscall, segment-base, EFER, PAT, SYSENTER, APIC MSRs");
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			ok &= l->indices[i] != l->indices[j];
	tap_ok(ok, "no MSR is listed twice");
	expect(xioctl(sys, VIREO_GET_MSR_LIST, NULL), -EFAULT,
	       "GET_MSR_LIST with a NULL argument");
	free(l);
}

static void test_supported_cpuid(int sys)
{
	struct vireo_cpuid *c = cpuid_alloc(VIREO_MAX_CPUID_ENTRIES);
	unsigned int n;

	c->nent = 0;
	expect(xioctl(sys, VIREO_GET_SUPPORTED_CPUID, c), -E2BIG,
	       "GET_SUPPORTED_CPUID with nent 0");
	n = c->nent;
	tap_ok(n > 0 && n <= VIREO_MAX_CPUID_ENTRIES,
	       "its E2BIG says how many: %u", n);
	c->nent = VIREO_MAX_CPUID_ENTRIES;
	c->padding = 1;
	expect(xioctl(sys, VIREO_GET_SUPPORTED_CPUID, c), -EINVAL,
	       "GET_SUPPORTED_CPUID with padding set");
	c->padding = 0;
	expect(xioctl(sys, VIREO_GET_SUPPORTED_CPUID, c), 0,
	       "GET_SUPPORTED_CPUID with room");
	tap_ok(c->nent == n, "and it gives %u entries", c->nent);
	expect(xioctl(sys, VIREO_GET_SUPPORTED_CPUID, NULL), -EFAULT,
	       "GET_SUPPORTED_CPUID with a NULL argument");
	free(c);
}

static int region(struct vm *vm, u32 slot, u32 flags, u64 gpa, u64 size,
		  void *hva)
{
	struct vireo_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};

	return xioctl(vm->fd, VIREO_SET_MEMORY_REGION, &r);
}

static void test_memory_region(void)
{
	long max = vireo_check_cap(VIREO_CAP_MAX_MEMSLOTS);
	long bits = vireo_check_cap(VIREO_CAP_GUEST_PHYS_BITS);
	struct vireo_memory_region r;
	struct vm *vm = vm_create_barebones();
	char *mem, *ro;

	mem = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || ro == MAP_FAILED)
		tap_bail("mmap: %m");
	expect(region(vm, 0, 0, GPA, MIB, mem), 0, "SET_MEMORY_REGION slot 0");
	expect(region(vm, 1, 0, GPA + 2 * MIB, MIB, mem + MIB), 0,
	       "SET_MEMORY_REGION slot 1, a hole between");
	memset(&r, 0, sizeof(r));
	r.slot = 2;
	r.guest_phys_addr = GPA + 8 * MIB;
	r.memory_size = MIB;
	r.userspace_addr = (uintptr_t)(mem + 2 * MIB);
	r.reserved[1] = 1;
	expect(xioctl(vm->fd, VIREO_SET_MEMORY_REGION, &r), -EINVAL,
	       "SET_MEMORY_REGION with reserved[1] set");
	expect(region(vm, 2, 0x4, GPA + 8 * MIB, MIB, mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION with an unknown flag");
	expect(region(vm, max, 0, GPA + 8 * MIB, MIB, mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION slot CAP_MAX_MEMSLOTS");
	expect(region(vm, 2, 0, GPA + 8 * MIB + 0x800, MIB, mem + 2 * MIB),
	       -EINVAL, "SET_MEMORY_REGION with an unaligned address");
	expect(region(vm, 2, 0, GPA + 8 * MIB, MIB - 0x800, mem + 2 * MIB),
	       -EINVAL, "SET_MEMORY_REGION with an unaligned size");
	expect(region(vm, 2, 0, GPA + 8 * MIB, MIB, mem + 2 * MIB + 8), -EINVAL,
	       "SET_MEMORY_REGION with unaligned memory");
	expect(region(vm, 2, 0, GPA + MIB / 2, MIB, mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION overlapping slot 0's end");
	expect(region(vm, 2, 0, GPA - MIB / 2, MIB, mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION overlapping slot 0's start");
	expect(region(vm, 2, 0, GPA - MIB, 4 * MIB, mem), -EINVAL,
	       "SET_MEMORY_REGION covering slot 0 and 1");
	expect(region(vm, 2, 0, 0xfee00000, PAGE_SIZE, mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION on the APIC page");
	expect(region(vm, 2, 0, 0xfec00000, 4 * MIB, mem), -EINVAL,
	       "SET_MEMORY_REGION across the APIC page");
	expect(region(vm, 2, 0, (1ULL << bits) - PAGE_SIZE, 2 * PAGE_SIZE,
		      mem + 2 * MIB), -EINVAL,
	       "SET_MEMORY_REGION past CAP_GUEST_PHYS_BITS");
	expect(region(vm, 2, 0, -PAGE_SIZE, 2 * PAGE_SIZE, mem + 2 * MIB),
	       -EINVAL, "SET_MEMORY_REGION wrapping around");
	expect(region(vm, 2, 0, GPA + 8 * MIB, MIB, (void *)0xffff888000000000ULL),
	       -EINVAL, "SET_MEMORY_REGION of kernel memory");
	expect(region(vm, 2, 0, GPA + 8 * MIB, MIB, (void *)0x10000000000ULL),
	       -EFAULT, "SET_MEMORY_REGION of unmapped memory");
	expect(region(vm, 2, 0, GPA + 8 * MIB, MIB, ro), -EFAULT,
	       "SET_MEMORY_REGION of read-only memory, writable slot");
	expect(region(vm, 2, VIREO_MEM_READONLY, GPA + 8 * MIB, MIB, ro), 0,
	       "SET_MEMORY_REGION of read-only memory, VIREO_MEM_READONLY");
	expect(xioctl(vm->fd, VIREO_SET_MEMORY_REGION, NULL), -EFAULT,
	       "SET_MEMORY_REGION with a NULL argument");
	/* Changing a slot in use. */
	expect(region(vm, 0, 0, GPA + 16 * MIB, MIB, mem), -EEXIST,
	       "moving slot 0 without deleting it");
	expect(region(vm, 0, 0, GPA, 2 * PAGE_SIZE, mem), -EEXIST,
	       "resizing slot 0 without deleting it");
	expect(region(vm, 0, 0, GPA, MIB, mem + 3 * MIB), -EEXIST,
	       "changing slot 0's memory without deleting it");
	expect(region(vm, 0, VIREO_MEM_READONLY, GPA, MIB, mem), -EEXIST,
	       "making slot 0 read-only without deleting it");
	expect(region(vm, 0, VIREO_MEM_LOG_DIRTY, GPA, MIB, mem), 0,
	       "turning dirty logging on for slot 0");
	expect(region(vm, 0, 0, GPA, MIB, mem), 0,
	       "turning dirty logging off for slot 0");
	expect(region(vm, 1, 0, GPA + 2 * MIB, 0, NULL), 0, "deleting slot 1");
	expect(region(vm, 1, 0, GPA + 2 * MIB, 0, NULL), -ENOENT,
	       "deleting slot 1 again");
	expect(region(vm, 1, 0, GPA + 32 * MIB, MIB, mem + MIB), 0,
	       "slot 1 again, elsewhere");
	vm_free(vm);
	munmap(mem, 4 * MIB);
	munmap(ro, MIB);
}

static void test_memlock(void)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { 64 * 1024, 64 * 1024 };
		struct vm *vm = vm_create_barebones();
		char *mem = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		/* Without CAP_IPC_LOCK, the pages count against the limit. */
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setresuid(65534, 65534, 0))
			_exit(3);
		if (region(vm, 0, 0, GPA, MIB, mem) != -ENOMEM)
			_exit(1);
		_exit(region(vm, 0, 0, GPA, 8 * PAGE_SIZE, mem) ? 2 : 0);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "RLIMIT_MEMLOCK: 1 MiB over a 64 KiB limit ENOMEM, 32 KiB fits (status %#x)",
	       status);
}

static int dirty_log(struct vm *vm, u32 slot, u32 padding, u64 reserved,
		     void *bitmap)
{
	struct vireo_dirty_log d = { .slot = slot, .padding = padding,
				     .bitmap = (uintptr_t)bitmap };

	d.reserved[0] = reserved;
	return xioctl(vm->fd, VIREO_GET_DIRTY_LOG, &d);
}

static void test_dirty_log(void)
{
	struct vm *vm = vm_create_barebones();
	u64 bitmap[4] = { ~0ULL, ~0ULL, ~0ULL, ~0ULL };
	char *mem = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	region(vm, 0, VIREO_MEM_LOG_DIRTY, GPA, MIB, mem);
	region(vm, 1, 0, GPA + MIB, PAGE_SIZE, mem);
	expect(dirty_log(vm, 0, 0, 0, bitmap), 0, "GET_DIRTY_LOG");
	tap_ok(!bitmap[0] && !bitmap[1] && !bitmap[2] && !bitmap[3],
	       "a guest that never ran dirtied nothing");
	expect(dirty_log(vm, 0, 1, 0, bitmap), -EINVAL,
	       "GET_DIRTY_LOG with padding set");
	expect(dirty_log(vm, 0, 0, 1, bitmap), -EINVAL,
	       "GET_DIRTY_LOG with reserved set");
	expect(dirty_log(vm, 1, 0, 0, bitmap), -EINVAL,
	       "GET_DIRTY_LOG of a slot without LOG_DIRTY");
	expect(dirty_log(vm, 2, 0, 0, bitmap), -ENOENT,
	       "GET_DIRTY_LOG of an empty slot");
	expect(dirty_log(vm, vireo_check_cap(VIREO_CAP_MAX_MEMSLOTS), 0, 0,
			 bitmap), -EINVAL, "GET_DIRTY_LOG of slot CAP_MAX_MEMSLOTS");
	expect(dirty_log(vm, 0, 0, 0, NULL), -EFAULT,
	       "GET_DIRTY_LOG into a NULL bitmap");
	expect(xioctl(vm->fd, VIREO_GET_DIRTY_LOG, NULL), -EFAULT,
	       "GET_DIRTY_LOG with a NULL argument");
	vm_free(vm);
	munmap(mem, MIB);
}

static void test_create_vcpu(void)
{
	long max = vireo_check_cap(VIREO_CAP_MAX_VCPUS);
	struct vm *vm = vm_create_barebones();
	int fd;

	fd = __vm_create_vcpu(vm, 0);
	tap_ok(fd >= 0, "CREATE_VCPU 0 gives an fd (%d)", fd);
	tap_ok(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
	       "the vCPU fd is close-on-exec");
	expect(__vm_create_vcpu(vm, 0), -EEXIST, "CREATE_VCPU 0 again");
	fd = __vm_create_vcpu(vm, max - 1);
	tap_ok(fd >= 0, "CREATE_VCPU CAP_MAX_VCPUS - 1 (%ld)", max - 1);
	expect(__vm_create_vcpu(vm, max), -EINVAL,
	       "CREATE_VCPU CAP_MAX_VCPUS");
	fd = ioctl(vm->fd, VIREO_CREATE_VCPU, 0x100000001UL);
	expect(fd < 0 ? -errno : 0, -EINVAL, "CREATE_VCPU 2^32 + 1");
	vm_free(vm);
}

static int range(struct vm *vm, u32 kind, u32 flags, u32 first, u32 count,
		 u64 reserved)
{
	struct vireo_user_range r = { .kind = kind, .flags = flags,
				      .first = first, .count = count };

	r.reserved[1] = reserved;
	return xioctl(vm->fd, VIREO_SET_USER_RANGE, &r);
}

static void test_user_range(void)
{
	struct vm *vm = vm_create_barebones();
	u32 kind;
	int i, r = 0;

	for (kind = VIREO_RANGE_MSR; kind <= VIREO_RANGE_HYPERCALL; kind++) {
		const char *k = kind == VIREO_RANGE_MSR ? "MSR" : "HYPERCALL";

		tap_ok(range(vm, kind, 0, 0x1000, 16, 0) == 0,
		       "SET_USER_RANGE %s 0x1000+16", k);
		tap_ok(range(vm, kind, 0, 0x100f, 2, 0) == -EEXIST,
		       "SET_USER_RANGE %s overlapping its end: EEXIST", k);
		tap_ok(range(vm, kind, 0, 0xff0, 17, 0) == -EEXIST,
		       "SET_USER_RANGE %s overlapping its start: EEXIST", k);
		tap_ok(range(vm, kind, VIREO_RANGE_REMOVE, 0x1000, 8, 0) == -ENOENT,
		       "SET_USER_RANGE %s removing half of it: ENOENT", k);
		tap_ok(range(vm, kind, VIREO_RANGE_REMOVE, 0x1000, 16, 0) == 0,
		       "SET_USER_RANGE %s removing it", k);
		tap_ok(range(vm, kind, VIREO_RANGE_REMOVE, 0x1000, 16, 0) == -ENOENT,
		       "SET_USER_RANGE %s removing it again: ENOENT", k);
		for (i = 0; i < 16; i++)
			r |= range(vm, kind, 0, 0x2000 + 4 * i, 2, 0);
		tap_ok(!r, "SET_USER_RANGE %s: 16 ranges", k);
		tap_ok(range(vm, kind, 0, 0x3000, 1, 0) == -ENOSPC,
		       "SET_USER_RANGE %s: a 17th: ENOSPC", k);
	}
	expect(range(vm, 0, 0, 0x5000, 1, 0), -EINVAL, "SET_USER_RANGE kind 0");
	expect(range(vm, 3, 0, 0x5000, 1, 0), -EINVAL, "SET_USER_RANGE kind 3");
	expect(range(vm, VIREO_RANGE_MSR, 2, 0x5000, 1, 0), -EINVAL,
	       "SET_USER_RANGE with an unknown flag");
	expect(range(vm, VIREO_RANGE_MSR, 0, 0x5000, 0, 0), -EINVAL,
	       "SET_USER_RANGE with count 0");
	expect(range(vm, VIREO_RANGE_MSR, 0, 0xffffffff, 2, 0), -EINVAL,
	       "SET_USER_RANGE wrapping past 2^32");
	expect(range(vm, VIREO_RANGE_MSR, 0, 0x5000, 1, 1), -EINVAL,
	       "SET_USER_RANGE with reserved set");
	expect(xioctl(vm->fd, VIREO_SET_USER_RANGE, NULL), -EFAULT,
	       "SET_USER_RANGE with a NULL argument");
	vm_free(vm);
}

static void test_stats_and_unknown(void)
{
	struct vm *vm = vm_create_barebones();
	struct vireo_stats st;
	unsigned int i;
	bool zero = true;

	memset(&st, 0xff, sizeof(st));
	expect(xioctl(vm->fd, VIREO_GET_STATS, &st), 0, "GET_STATS of a new VM");
	for (i = 0; i < sizeof(st) / 8; i++)
		zero &= !((u64 *)&st)[i];
	tap_ok(zero, "a new VM's counters are all zero");
	expect(xioctl(vm->fd, VIREO_GET_STATS, NULL), -EFAULT,
	       "GET_STATS into NULL");
	expect(xioctl(vm->fd, _IO(VIREO_IO, 0x1f), NULL), -ENOTTY,
	       "an unknown VM ioctl");
	expect(xioctl(vm->fd, VIREO_RUN, NULL), -ENOTTY, "VIREO_RUN on a VM fd");
	expect(xioctl(vm->fd, VIREO_CREATE_VM, &st), -ENOTTY,
	       "VIREO_CREATE_VM on a VM fd");
	expect(xioctl(vm->fd, _IOW(VIREO_IO, 0x10, u64), &st), -ENOTTY,
	       "SET_MEMORY_REGION with the wrong size");
	expect(xioctl(vm->sys_fd, VIREO_SET_MEMORY_REGION, &st), -ENOTTY,
	       "SET_MEMORY_REGION on the system fd");
	vm_free(vm);
}

/* A VM fd is its creator's: another process (a fork) gets EIO. */
static void test_other_process(void)
{
	struct vm *vm = vm_create_barebones();
	int status = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		struct vireo_stats st;
		char *mem = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (xioctl(vm->fd, VIREO_GET_STATS, &st) != -EIO)
			_exit(1);
		if (region(vm, 0, 0, GPA, MIB, mem) != -EIO)
			_exit(2);
		if (__vm_create_vcpu(vm, 0) != -EIO)
			_exit(3);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "VM ioctls from a child process: EIO (status %#x)", status);
	tap_ok(__vm_create_vcpu(vm, 0) >= 0, "the creator still can");
	vm_free(vm);
}

int main(void)
{
	int sys;

	tap_plan(98);
	sys = vireo_open();
	test_caps();
	test_msr_list(sys);
	test_supported_cpuid(sys);
	test_memory_region();
	test_memlock();
	test_dirty_log();
	test_create_vcpu();
	test_user_range();
	test_stats_and_unknown();
	test_other_process();
	close(sys);
	return tap_finish();
}
