// SPDX-License-Identifier: GPL-2.0-only
/*
 * FPU, SSE and AVX state across exits and host context switches: the
 * guest loads every XMM (or YMM) register, x87 registers and MXCSR, exits
 * many times while the host thread and another thread on the same CPU use
 * their own FPU state and switch, and finds its state intact; the host's
 * registers, live across the VIREO_RUN system call itself, are intact too.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"
#include "fpu_test.h"

#define PORT		0x9a
#define EXITS		200
#define MXCSR_GUEST	0x7f80	/* all masked, flush to zero */

/* 16 vector registers of 32 bytes, then three x87 registers. */
#define VEC_SIZE	(16 * 32)
#define REGS_SIZE	(VEC_SIZE + 3 * 10)

static u8 guest_pat[REGS_SIZE] __attribute__((aligned(32)));
static u8 guest_out[REGS_SIZE] __attribute__((aligned(32)));
static u8 host_pat[REGS_SIZE] __attribute__((aligned(32)));
static u8 host_out[REGS_SIZE] __attribute__((aligned(32)));

static void guest_fpu(u64 avx)
{
	u8 ref[REGS_SIZE] __attribute__((aligned(32)));
	u32 mxcsr = MXCSR_GUEST, mxcsr_out;
	/* Only the XMM halves are loaded by sse_exits(). */
	u64 i, width = avx ? 32 : 16;

	if (avx) {
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
		asm volatile("xsetbv" : : "c"(0), "a"(7), "d"(0));
	}
	/* The x87 values without exits between: what they must be after. */
	sse_exits(guest_pat, ref, 1, PORT);
	asm volatile("ldmxcsr %0" : : "m"(mxcsr));
	if (avx)
		avx_exits(guest_pat, guest_out, EXITS, PORT);
	else
		sse_exits(guest_pat, guest_out, EXITS, PORT);
	asm volatile("stmxcsr %0" : "=m"(mxcsr_out));
	GUEST_ASSERT_EQ(mxcsr_out, MXCSR_GUEST);
	for (i = 0; i < 16; i++)
		GUEST_ASSERT_1(!memcmp(guest_out + 32 * i, guest_pat + 32 * i,
				       width), i);
	GUEST_ASSERT(!memcmp(guest_out + VEC_SIZE, ref + VEC_SIZE, 30));
	GUEST_DONE();
}

static int stop_spinner;

/* Another thread on the same CPU, busy with vector registers of its own. */
static void *spinner(void *arg)
{
	u8 buf[16] __attribute__((aligned(16)));
	int i;

	memset(buf, 0x5a, sizeof(buf));
	(void)arg;
	while (!READ_ONCE(stop_spinner)) {
		for (i = 0; i < 1000; i++)
			asm volatile("movdqa %0, %%xmm0\n\t"
				     "movdqa %%xmm0, %%xmm7\n\t"
				     "movdqa %%xmm7, %%xmm15"
				     : : "m"(buf) : "xmm0", "xmm7", "xmm15");
		sched_yield();
	}
	return NULL;
}

static void run_fpu_guest(bool avx)
{
	size_t width = avx ? 32 : 16;
	struct vcpu *vcpu;
	struct vm *vm;
	struct ucall uc;
	cpu_set_t set;
	pthread_t t;
	long r;
	int i, n;

	for (i = 0; i < REGS_SIZE; i++) {
		guest_pat[i] = i * 13 + 1;
		host_pat[i] = i * 29 + 7;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT_OK(sched_setaffinity(0, sizeof(set), &set));
	pthread_create(&t, NULL, spinner, NULL);
	vm = vm_create_with_one_vcpu(&vcpu, guest_fpu);
	vcpu_args_set(vcpu, 1, (u64)avx);
	/* The reference pass: one exit. */
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_IO);
	for (n = 0; ; n++) {
		memset(host_out, 0, sizeof(host_out));
		r = avx ? avx_ioctl(vcpu->fd, VIREO_RUN, host_pat, host_out) :
			  sse_ioctl(vcpu->fd, VIREO_RUN, host_pat, host_out);
		TEST_ASSERT(r == 0, "RUN returned %ld", r);
		for (i = 0; i < 16; i++)
			TEST_ASSERT(!memcmp(host_out + 32 * i, host_pat + 32 * i,
					    width),
				    "host vector register %d changed across RUN %d",
				    i, n);
		if (get_ucall(vcpu, &uc) != UCALL_NONE)
			break;
		vcpu_assert_exit(vcpu, VIREO_EXIT_IO);
		TEST_ASSERT_EQ(vcpu->run->io.port, PORT);
		if (n % 10 == 0)
			usleep(1000);
		else if (n % 5 == 0)
			sched_yield();
	}
	WRITE_ONCE(stop_spinner, 1);
	pthread_join(t, NULL);
	if (uc.cmd != UCALL_DONE)
		ucall_report(&uc, __FILE__, __LINE__);
	TEST_ASSERT(n == EXITS, "the guest exited %d times, not %d", n, EXITS);
	vm_free(vm);
}

static void test_sse(void)
{
	run_fpu_guest(false);
}

static void test_avx(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *e = cpuid_find(c, 1, 0);
	u32 a, b, cx, d;

	cpuid_count(1, 0, &a, &b, &cx, &d);
	if (!(cx & CPUID_1_ECX_OSXSAVE) || (xgetbv(0) & 7) != 7)
		TEST_SKIP("the host does not use AVX");
	if (!e || !(e->ecx & BIT(28)) || !(e->ecx & CPUID_1_ECX_XSAVE))
		TEST_SKIP("vireo offers no AVX to guests");
	run_fpu_guest(true);
}

static const struct vtest tests[] = {
	VTEST(test_sse, "x87, XMM0-15, MXCSR survive 200 exits and host switches, both ways"),
	VTEST(test_avx, "YMM0-15 survive 200 exits and host switches, both ways"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
