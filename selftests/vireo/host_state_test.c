// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's state survives whatever the guest does to its own copy: the
 * guest writes STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, FS and GS base,
 * SYSENTER, TSC_AUX and EFER.SCE, and uses SYSCALL/SYSRET with them; the
 * host thread then makes system calls, reads its thread-local storage
 * (FS-relative), starts threads, and moves between CPUs, and the guest
 * finds its values unchanged on the next entry.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/prctl.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"
#include "host_state_test.h"

/* What the guest puts in the MSRs it shares with the host's kernel. */
static const struct {
	u32 msr;
	u64 val;
} scribble[] = {
	{ MSR_STAR, 0x0010000800000000ULL },
	{ MSR_CSTAR, 0xffffffff8badf00dULL },
	{ MSR_SYSCALL_MASK, 0x700 },
	{ MSR_KERNEL_GS_BASE, 0xffff8880deadbe00ULL },
	{ MSR_FS_BASE, 0x00007fffbeef0000ULL },
	{ MSR_GS_BASE, 0xffff8880cafe0000ULL },
	{ MSR_IA32_SYSENTER_CS, 0x1234 },
	{ MSR_IA32_SYSENTER_ESP, 0xffff88805a5a5000ULL },
	{ MSR_IA32_SYSENTER_EIP, 0xffffffff81c0ffeeULL },
};

/* Updated by guest_syscall_entry (host_state_test.S). */
u64 syscall_count, syscall_rflags;

static u64 user_syscalls(u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		asm volatile("syscall" : : "a"(i) : "rcx", "r11", "memory");
	return n;
}

static void check_msrs(bool tsc_aux)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scribble); i++)
		GUEST_ASSERT_EQ(rdmsr(scribble[i].msr), scribble[i].val);
	GUEST_ASSERT_EQ(rdmsr(MSR_LSTAR), (u64)guest_syscall_entry);
	GUEST_ASSERT(rdmsr(MSR_EFER) & EFER_SCE);
	if (tsc_aux)
		GUEST_ASSERT_EQ(rdmsr(MSR_TSC_AUX), 0x5a5a);
}

static void guest_scribble(u64 rounds, u64 tsc_aux)
{
	unsigned int i;
	u64 r;

	for (i = 0; i < ARRAY_SIZE(scribble); i++)
		wrmsr(scribble[i].msr, scribble[i].val);
	wrmsr(MSR_LSTAR, (u64)guest_syscall_entry);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	if (tsc_aux)
		wrmsr(MSR_TSC_AUX, 0x5a5a);
	for (r = 0; r < rounds; r++) {
		GUEST_SYNC(r);
		check_msrs(tsc_aux);
		/* The guest's SYSCALL goes to the guest's LSTAR. */
		GUEST_ASSERT_EQ(guest_run_user(user_syscalls, 3), 3);
		GUEST_ASSERT(READ_ONCE(syscall_count) >= 3 * (r + 1));
		GUEST_ASSERT(READ_ONCE(syscall_rflags) & X86_EFLAGS_FIXED);
	}
	GUEST_DONE();
}

static __thread u64 tls_value = 0x7157;

static void *thread_fn(void *arg)
{
	tls_value = (u64)arg;
	return (void *)tls_value;
}

/* The host's side of a round: everything that needs its MSRs intact. */
static void host_round(int round)
{
	unsigned long fs = 0, gs = 0;
	void *ret = NULL;
	pthread_t t;
	int fds[2];
	char c = 'x';
	cpu_set_t set;

	TEST_ASSERT_EQ(tls_value, 0x7157 + round);
	tls_value++;
	TEST_ASSERT_OK(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	TEST_ASSERT(fs == (unsigned long)pthread_self(),
		    "FS base %#lx, the thread is at %#lx", fs,
		    (unsigned long)pthread_self());
	TEST_ASSERT_OK(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	TEST_ASSERT(gs == 0, "GS base %#lx", gs);
	errno = 0;
	TEST_ASSERT(close(-1) == -1 && errno == EBADF, "errno %d", errno);
	TEST_ASSERT_OK(pipe(fds));
	TEST_ASSERT(write(fds[1], &c, 1) == 1 && read(fds[0], &c, 1) == 1,
		    "pipe: %m");
	close(fds[0]);
	close(fds[1]);
	TEST_ASSERT_EQ(getpid(), syscall(SYS_getpid));
	pthread_create(&t, NULL, thread_fn, (void *)0x1234UL);
	pthread_join(t, &ret);
	TEST_ASSERT_EQ((unsigned long)ret, 0x1234);
	/* Next round on the other CPU, if there is one. */
	CPU_ZERO(&set);
	CPU_SET(round % 2 ? 0 : 1, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		CPU_SET(0, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	usleep(1000);
}

static void test_scribble(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *e = cpuid_find(c, 0x80000001, 0);
	u64 rounds = 6, aux = e && (e->edx & CPUID_80000001_EDX_RDTSCP);
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_scribble);
	u64 r;

	vcpu_args_set(vcpu, 2, rounds, aux);
	for (r = 0; r < rounds; r++) {
		vcpu_expect_sync(vcpu, r);
		host_round(r);
	}
	vcpu_expect_done(vcpu);
	TEST_ASSERT_EQ(read_guest_global(vm, syscall_count), 3 * rounds);
	vm_free(vm);
}

/* Two vCPUs scribbling on two host threads at once, on both CPUs. */
static void *run_rounds(void *arg)
{
	struct vcpu *vcpu = arg;
	u64 r;

	for (r = 0; r < 4; r++) {
		vcpu_expect_sync(vcpu, r);
		TEST_ASSERT_EQ(tls_value, 0x7157);
		errno = 0;
		TEST_ASSERT(close(-1) == -1 && errno == EBADF, "errno");
	}
	vcpu_expect_done(vcpu);
	return NULL;
}

static void test_two_vcpus(void)
{
	struct vcpu *v[2];
	struct vm *vm = vm_create_with_vcpus(2, guest_scribble, v);
	pthread_t t[2];
	int i;

	for (i = 0; i < 2; i++) {
		vcpu_args_set(v[i], 2, 4ULL, 0ULL);
		pthread_create(&t[i], NULL, run_rounds, v[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	TEST_ASSERT_EQ(read_guest_global(vm, syscall_count), 2 * 3 * 4);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_scribble, "guest SYSCALL MSRs and FS/GS bases vs host syscalls, TLS, CPU moves"),
	VTEST(test_two_vcpus, "two scribbling vCPUs on two host threads"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
