// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory slots while guests run: a deleted slot's guest-physical range
 * turns into MMIO at once (no stale mapping of freed memory), a re-added
 * or moved slot shows its new memory, read-only slots turn writes into
 * MMIO exits, slots are added and removed by another thread while two
 * vCPUs keep reading them, host memory that is not 2 MiB aligned is
 * mapped page by page, and all VIREO_CAP_MAX_MEMSLOTS slots work at once.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define GPA		0x40000000UL
#define GPA2		0x80000000UL
#define ABSENT		0xdeadULL

static u64 stop;

static void guest_reader(void)
{
	for (;;)
		GUEST_SYNC(READ_ONCE(*(u64 *)GPA));
}

/* Run to the next GUEST_SYNC, answering MMIO reads of GPA with ABSENT. */
static u64 next_value(struct vcpu *vcpu, bool expect_mmio)
{
	struct ucall uc;

	vcpu_run(vcpu);
	if (vcpu->run->exit_reason == VIREO_EXIT_MMIO) {
		TEST_ASSERT(expect_mmio, "MMIO exit at %#llx: the slot is there",
			    vcpu->run->mmio.phys_addr);
		TEST_ASSERT(vcpu->run->mmio.phys_addr == GPA &&
			    !vcpu->run->mmio.is_write && vcpu->run->mmio.len == 8,
			    "unexpected MMIO %#llx", vcpu->run->mmio.phys_addr);
		memcpy(vcpu->run->mmio.data, &(u64){ ABSENT }, 8);
		vcpu_run(vcpu);
	} else {
		TEST_ASSERT(!expect_mmio, "no MMIO exit: a stale mapping after delete");
	}
	TEST_ASSERT_EQ(get_ucall(vcpu, &uc), UCALL_SYNC);
	return uc.args[0];
}

static void test_delete_readd_move(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_reader);
	u64 *mem;

	mem = vm_add_region(vm, TEST_SLOT, 0, GPA, HUGE_SIZE);
	mem[0] = 0xa;
	TEST_ASSERT_EQ(next_value(vcpu, false), 0xa);
	vm_delete_region(vm, TEST_SLOT);
	TEST_ASSERT_EQ(next_value(vcpu, true), ABSENT);
	mem = vm_add_region(vm, TEST_SLOT, 0, GPA, HUGE_SIZE);
	mem[0] = 0xb;
	TEST_ASSERT_EQ(next_value(vcpu, false), 0xb);
	/* Moved away: delete, add at another address. */
	vm_delete_region(vm, TEST_SLOT);
	mem = vm_add_region(vm, TEST_SLOT, 0, GPA2, HUGE_SIZE);
	TEST_ASSERT_EQ(next_value(vcpu, true), ABSENT);
	/* Another slot number at the old place. */
	mem = vm_add_region(vm, TEST_SLOT + 1, 0, GPA, PAGE_SIZE);
	mem[0] = 0xc;
	TEST_ASSERT_EQ(next_value(vcpu, false), 0xc);
	vm_free(vm);
}

static void guest_readonly(void)
{
	u64 *p = (u64 *)GPA, dst = GPA + 64, cnt = 3;

	GUEST_ASSERT_EQ(READ_ONCE(p[0]), 0x0123456789abcdefULL);
	WRITE_ONCE(p[1], 0x1111);
	GUEST_ASSERT_EQ(READ_ONCE(p[1]), 0x2222);
	asm volatile("rep stosb" : "+D"(dst), "+c"(cnt) : "a"(0x77)
		     : "memory");
	GUEST_ASSERT_EQ(READ_ONCE(p[8]), 0);
	GUEST_DONE();
}

/*
 * A read-only slot, its content written by the VMM before (ROM loaded,
 * then mapped) or after it is added (the memory is shared both ways).
 */
static void readonly(bool write_first)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_readonly);
	struct vireo_run *run = vcpu->run;
	struct ucall uc;
	u64 *mem, v = 0;
	int i;

	mem = mmap(NULL, HUGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap: %m");
	if (write_first) {
		mem[0] = 0x0123456789abcdefULL;
		mem[1] = 0x2222;
	}
	TEST_ASSERT_OK(__vm_set_region(vm, TEST_SLOT, VIREO_MEM_READONLY, GPA,
				       HUGE_SIZE, mem));
	if (!write_first) {
		mem[0] = 0x0123456789abcdefULL;
		mem[1] = 0x2222;
	}
	vcpu_run(vcpu);
	if (get_ucall(vcpu, &uc) != UCALL_NONE)
		ucall_report(&uc, __FILE__, __LINE__);
	vcpu_assert_exit(vcpu, VIREO_EXIT_MMIO);
	TEST_ASSERT(run->mmio.is_write && run->mmio.phys_addr == GPA + 8 &&
		    run->mmio.len == 8, "write to the read-only slot: %s %#llx len %u",
		    run->mmio.is_write ? "write" : "read", run->mmio.phys_addr,
		    run->mmio.len);
	memcpy(&v, run->mmio.data, 8);
	TEST_ASSERT_EQ(v, 0x1111);
	for (i = 0; i < 3; i++) {
		vcpu_run(vcpu);
		vcpu_assert_exit(vcpu, VIREO_EXIT_MMIO);
		TEST_ASSERT(run->mmio.is_write &&
			    run->mmio.phys_addr == GPA + 64 + i &&
			    run->mmio.len == 1 && run->mmio.data[0] == 0x77,
			    "REP STOSB to the read-only slot, byte %d", i);
	}
	vcpu_expect_done(vcpu);
	TEST_ASSERT_EQ(mem[1], 0x2222);
	TEST_ASSERT_EQ(mem[8], 0);
	vm_free(vm);
	munmap(mem, HUGE_SIZE);
}

static void test_readonly(void)
{
	readonly(true);
}

static void test_readonly_shared(void)
{
	readonly(false);
}

/* Readers: the value only grows; 0 (MMIO) while the slot is away. */
static void guest_monotonic(void)
{
	u64 last = 0, v, seen = 0;

	while (!READ_ONCE(stop)) {
		v = READ_ONCE(*(u64 *)GPA);
		if (v == ABSENT)
			continue;
		GUEST_ASSERT_1(v >= last, last);
		if (v != last)
			seen++;
		last = v;
	}
	GUEST_SYNC(seen);
	GUEST_DONE();
}

static void *run_reader(void *arg)
{
	struct vcpu *vcpu = arg;
	struct ucall uc;

	for (;;) {
		vcpu_run(vcpu);
		if (vcpu->run->exit_reason == VIREO_EXIT_MMIO) {
			TEST_ASSERT(vcpu->run->mmio.phys_addr == GPA &&
				    !vcpu->run->mmio.is_write,
				    "MMIO %#llx", vcpu->run->mmio.phys_addr);
			memcpy(vcpu->run->mmio.data, &(u64){ ABSENT }, 8);
			continue;
		}
		if (get_ucall(vcpu, &uc) == UCALL_DONE)
			return NULL;
		if (uc.cmd == UCALL_SYNC) {
			tap_diag("vCPU %u saw %llu generations", vcpu->id,
				 uc.args[0]);
			continue;
		}
		if (uc.cmd == UCALL_NONE)
			vcpu_dump(vcpu);
		ucall_report(&uc, __FILE__, __LINE__);
	}
}

static void test_concurrent(void)
{
	struct vcpu *v[2];
	struct vm *vm = vm_create_with_vcpus(2, guest_monotonic, v);
	pthread_t t[2];
	u64 g, *mem, size;
	int i;

	mem = vm_add_region(vm, TEST_SLOT, 0, GPA, HUGE_SIZE);
	mem[0] = 1;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run_reader, v[i]);
	for (g = 2; g < 40; g++) {
		usleep(2000);
		/* Freed right away (munmap): the guest must not see it again. */
		vm_delete_region(vm, TEST_SLOT);
		usleep(1000);
		size = g % 2 ? HUGE_SIZE : 16 * PAGE_SIZE;
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		TEST_ASSERT(mem != MAP_FAILED, "mmap: %m");
		/* The new generation is there before the guest can look. */
		mem[0] = g;
		TEST_ASSERT_OK(__vm_set_region(vm, TEST_SLOT, 0, GPA, size,
					       mem));
		vm->slots[TEST_SLOT].owned = true;
	}
	write_guest_global(vm, stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	vm_free(vm);
}

static void guest_pages(u64 gpa, u64 pages)
{
	u64 i;

	for (i = 0; i < pages; i++)
		GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)(gpa + i * PAGE_SIZE)), i + 1);
	GUEST_DONE();
}

/* Host memory 4 KiB past a 2 MiB boundary, as transparent huge pages. */
static void test_misaligned_host(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_pages);
	size_t len = 3 * HUGE_SIZE;
	char *p, *base;
	u64 i;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap: %m");
	base = (char *)align_up((uintptr_t)p, HUGE_SIZE);
	madvise(base, 2 * HUGE_SIZE, MADV_HUGEPAGE);
	for (i = 0; i < 2 * HUGE_SIZE / PAGE_SIZE; i++)
		*(u64 *)(base + i * PAGE_SIZE) = i;
	TEST_ASSERT_OK(__vm_set_region(vm, TEST_SLOT, 0, GPA, HUGE_SIZE,
				       base + PAGE_SIZE));
	vcpu_args_set(vcpu, 2, GPA, HUGE_SIZE / PAGE_SIZE);
	vcpu_expect_done(vcpu);
	vm_free(vm);
	munmap(p, len);
}

static void guest_many(u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)(GPA + i * 2 * PAGE_SIZE)),
				i + 100);
	GUEST_DONE();
}

static void test_all_slots(void)
{
	long max = vireo_check_cap(VIREO_CAP_MAX_MEMSLOTS);
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_many);
	u64 *mem, i, n;

	TEST_ASSERT(max >= 8, "VIREO_CAP_MAX_MEMSLOTS is %ld", max);
	n = max - TEST_SLOT;
	mem = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(mem != MAP_FAILED, "mmap: %m");
	for (i = 0; i < n; i++) {
		mem[i * PAGE_SIZE / 8] = i + 100;
		/* One page each, with holes between them. */
		TEST_ASSERT_OK(__vm_set_region(vm, TEST_SLOT + i, 0,
					       GPA + i * 2 * PAGE_SIZE,
					       PAGE_SIZE,
					       (char *)mem + i * PAGE_SIZE));
	}
	TEST_ASSERT(__vm_set_region(vm, max, 0, GPA - HUGE_SIZE, PAGE_SIZE,
				    mem) == -EINVAL, "slot %ld accepted", max);
	vcpu_args_set(vcpu, 1, n);
	vcpu_expect_done(vcpu);
	tap_diag("%ld slots", max);
	vm_free(vm);
	munmap(mem, n * PAGE_SIZE);
}

static const struct vtest tests[] = {
	VTEST(test_delete_readd_move, "a deleted slot is MMIO at once; re-added and moved slots"),
	VTEST(test_readonly, "read-only slot: reads from memory, writes exit as MMIO"),
	VTEST(test_readonly_shared, "read-only slot: the VMM's later writes reach the guest"),
	VTEST(test_misaligned_host, "host memory off a 2 MiB boundary maps page by page"),
	VTEST(test_all_slots, "VIREO_CAP_MAX_MEMSLOTS slots at once; one more: EINVAL"),
	VTEST(test_concurrent, "slots deleted and re-added 38 times while 2 vCPUs read them"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
