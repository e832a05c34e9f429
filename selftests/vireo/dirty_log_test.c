// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dirty logging (VIREO_MEM_LOG_DIRTY, VIREO_GET_DIRTY_LOG): the bitmap
 * holds exactly the pages the guest wrote since the last call, whatever
 * the instruction (MOV, LOCK ADD, REP STOS across a page boundary), not
 * the pages it only read; the call clears it; pages written again are
 * caught again; bits past the slot's end stay clear; two vCPUs writing at
 * once; logging switched off and on; the data is in memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define GPA		0x40000000UL
#define PAGES		200			/* not a multiple of 64 */
#define BITMAP_WORDS	((PAGES + 63) / 64)
#define ROUNDS		6

/* The pages to write this round, by vCPU; set by the host between rounds. */
static u32 to_write[2][64];
static u32 n_write[2];
static u32 to_read[16];

static void guest_writer(u64 id)
{
	u64 round, i, dst, cnt;
	u8 *page;

	for (round = 1; round <= ROUNDS; round++) {
		for (i = 0; i < 16; i++)
			(void)READ_ONCE(*(u64 *)(GPA + to_read[i] * PAGE_SIZE));
		for (i = 0; i < READ_ONCE(n_write[id]); i++) {
			page = (u8 *)(GPA + to_write[id][i] * PAGE_SIZE);
			switch (i % 3) {
			case 0:
				WRITE_ONCE(page[i], (u8)round);
				break;
			case 1:
				asm volatile("lock addb %1, %0"
					     : "+m"(page[i]) : "q"((u8)round));
				break;
			case 2:
				/* Ends on the page's first byte. */
				dst = (u64)page - 2;
				cnt = 3;
				asm volatile("rep stosb"
					     : "+D"(dst), "+c"(cnt)
					     : "a"(round) : "memory");
				break;
			}
		}
		GUEST_SYNC(round);
	}
	GUEST_DONE();
}

/* Pages touched by entry @i of a write list (REP STOS spills back). */
static void mark(u64 *bits, u32 page, u32 i)
{
	bits[page / 64] |= 1ULL << (page % 64);
	if (i % 3 == 2 && page > 0)
		bits[(page - 1) / 64] |= 1ULL << ((page - 1) % 64);
}

/* Distinct pages, none 0 (REP STOS writes below them). */
static void pick(struct vm *vm, unsigned int nvcpus, u64 *expect)
{
	bool used[PAGES] = { false };
	u32 i, v, p;

	memset(expect, 0, BITMAP_WORDS * 8);
	for (v = 0; v < nvcpus; v++) {
		n_write[v] = 10 + rand() % 40;
		for (i = 0; i < n_write[v]; i++) {
			do
				p = 2 + rand() % (PAGES - 2);
			while (used[p] || used[p - 1] || used[p + 1 < PAGES ? p + 1 : p]);
			used[p] = true;
			to_write[v][i] = p;
			mark(expect, p, i);
		}
	}
	for (i = 0; i < 16; i++)
		to_read[i] = rand() % PAGES;
	sync_global_to_guest(vm, to_write);
	sync_global_to_guest(vm, n_write);
	sync_global_to_guest(vm, to_read);
}

static void check_bitmap(struct vm *vm, const u64 *expect, int round)
{
	u64 bitmap[BITMAP_WORDS + 1];
	int w, r;

	memset(bitmap, 0xa5, sizeof(bitmap));
	r = __vm_get_dirty_log(vm, TEST_SLOT, bitmap);
	TEST_ASSERT(!r, "GET_DIRTY_LOG: %s", strerror(-r));
	for (w = 0; w < BITMAP_WORDS; w++)
		TEST_ASSERT(bitmap[w] == expect[w],
			    "round %d, pages %d-%d: dirty %#llx, written %#llx (missed %#llx, extra %#llx)",
			    round, w * 64, w * 64 + 63, bitmap[w], expect[w],
			    expect[w] & ~bitmap[w], bitmap[w] & ~expect[w]);
	TEST_ASSERT(bitmap[BITMAP_WORDS] == 0xa5a5a5a5a5a5a5a5ULL,
		    "GET_DIRTY_LOG wrote past %d words", BITMAP_WORDS);
	/* Read again: cleared by the first call. */
	r = __vm_get_dirty_log(vm, TEST_SLOT, bitmap);
	TEST_ASSERT(!r, "GET_DIRTY_LOG: %s", strerror(-r));
	for (w = 0; w < BITMAP_WORDS; w++)
		TEST_ASSERT(!bitmap[w], "round %d: not cleared: %#llx at word %d",
			    round, bitmap[w], w);
}

static void check_data(const u8 *mem, int round, unsigned int nvcpus)
{
	u32 v, i;

	for (v = 0; v < nvcpus; v++)
		for (i = 0; i < n_write[v]; i++) {
			const u8 *page = mem + to_write[v][i] * PAGE_SIZE;
			u8 want = i % 3 == 1 ? 0 : round;

			if (i % 3 == 2)
				TEST_ASSERT(page[0] == round && page[-1] == round,
					    "REP STOS data on page %u", to_write[v][i]);
			else if (i % 3 == 0)
				TEST_ASSERT(page[i] == want, "page %u byte %u",
					    to_write[v][i], i);
		}
}

static void test_exact(void)
{
	u64 expect[BITMAP_WORDS];
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_writer);
	u8 *mem;
	int round;

	srand(1);
	mem = vm_add_region(vm, TEST_SLOT, VIREO_MEM_LOG_DIRTY, GPA,
			    PAGES * PAGE_SIZE);
	memset(expect, 0, sizeof(expect));
	check_bitmap(vm, expect, 0);
	vcpu_args_set(vcpu, 1, 0ULL);
	for (round = 1; round <= ROUNDS; round++) {
		pick(vm, 1, expect);
		vcpu_expect_sync(vcpu, round);
		check_bitmap(vm, expect, round);
		check_data(mem, round, 1);
	}
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void *run_round(void *arg)
{
	struct vcpu *vcpu = arg;
	struct ucall uc;

	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_SYNC);
	return NULL;
}

static void test_two_vcpus(void)
{
	u64 expect[BITMAP_WORDS];
	struct vcpu *v[2];
	struct vm *vm = vm_create_with_vcpus(2, guest_writer, v);
	pthread_t t[2];
	int round, i;
	u8 *mem;

	srand(2);
	mem = vm_add_region(vm, TEST_SLOT, VIREO_MEM_LOG_DIRTY, GPA,
			    PAGES * PAGE_SIZE);
	for (i = 0; i < 2; i++)
		vcpu_args_set(v[i], 1, (u64)i);
	for (round = 1; round <= ROUNDS; round++) {
		pick(vm, 2, expect);
		for (i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, run_round, v[i]);
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		check_bitmap(vm, expect, round);
		check_data(mem, round, 2);
	}
	vm_free(vm);
}

static void test_toggle(void)
{
	u64 expect[BITMAP_WORDS], bitmap[BITMAP_WORDS];
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_writer);
	int r;

	srand(3);
	vm_add_region(vm, TEST_SLOT, 0, GPA, PAGES * PAGE_SIZE);
	r = __vm_get_dirty_log(vm, TEST_SLOT, bitmap);
	TEST_ASSERT(r == -EINVAL || r == -ENOENT,
		    "GET_DIRTY_LOG without LOG_DIRTY: %s", strerror(-r));
	vcpu_args_set(vcpu, 1, 0ULL);
	/* Round 1 unlogged, then logging on: only round 2's pages. */
	pick(vm, 1, expect);
	vcpu_expect_sync(vcpu, 1);
	vm_set_region_flags(vm, TEST_SLOT, VIREO_MEM_LOG_DIRTY);
	pick(vm, 1, expect);
	vcpu_expect_sync(vcpu, 2);
	check_bitmap(vm, expect, 2);
	/* Off again: writes go on, GET_DIRTY_LOG refuses. */
	vm_set_region_flags(vm, TEST_SLOT, 0);
	pick(vm, 1, expect);
	vcpu_expect_sync(vcpu, 3);
	r = __vm_get_dirty_log(vm, TEST_SLOT, bitmap);
	TEST_ASSERT(r == -EINVAL || r == -ENOENT,
		    "GET_DIRTY_LOG after LOG_DIRTY was cleared: %s",
		    strerror(-r));
	/* On again: a fresh start. */
	vm_set_region_flags(vm, TEST_SLOT, VIREO_MEM_LOG_DIRTY);
	pick(vm, 1, expect);
	vcpu_expect_sync(vcpu, 4);
	check_bitmap(vm, expect, 4);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_exact, "the bitmap is exactly the pages written, and cleared by reading"),
	VTEST(test_two_vcpus, "two vCPUs writing at once: exactly the union"),
	VTEST(test_toggle, "LOG_DIRTY switched off and on; GET_DIRTY_LOG without it fails"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
