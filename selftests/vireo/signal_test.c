// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signals and VIREO_RUN: a signal to a thread in RUN makes RUN fail with
 * EINTR and exit reason VIREO_EXIT_INTR, whether the guest computes or
 * sleeps in HLT, and the guest resumes where it was on the next RUN;
 * immediate_exit returns at once after completing a pending IN; SIGKILL
 * ends a process in RUN.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

static u64 spins;
static u32 stop;

static void on_signal(int sig)
{
	(void)sig;
}

static void install(int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
}

struct kicker {
	pthread_t target;
	unsigned int ms;
	int times;
};

static void *kick(void *arg)
{
	struct kicker *k = arg;
	int i;

	for (i = 0; i < k->times; i++) {
		usleep(k->ms * 1000);
		pthread_kill(k->target, SIGUSR1);
	}
	return NULL;
}

static void guest_spin(void)
{
	while (!READ_ONCE(stop))
		WRITE_ONCE(spins, spins + 1);
	GUEST_DONE();
}

static void busy_guest(int sa_flags)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_spin);
	struct kicker k = { pthread_self(), 200, 1 };
	struct vireo_stats st;
	pthread_t t;
	u64 n1, n2;
	int r;

	install(sa_flags);
	pthread_create(&t, NULL, kick, &k);
	r = __vcpu_run(vcpu);
	pthread_join(t, NULL);
	TEST_ASSERT(r == -EINTR, "RUN returned %d, expected -EINTR", r);
	vcpu_assert_exit(vcpu, VIREO_EXIT_INTR);
	n1 = read_guest_global(vm, spins);
	TEST_ASSERT(n1 > 0, "the guest never ran");
	/* Again, without stopping it: it goes on from where it was. */
	pthread_create(&t, NULL, kick, &k);
	r = __vcpu_run(vcpu);
	pthread_join(t, NULL);
	TEST_ASSERT(r == -EINTR, "second RUN returned %d", r);
	n2 = read_guest_global(vm, spins);
	TEST_ASSERT(n2 > n1, "the guest did not go on: %llu, then %llu", n1,
		    n2);
	write_guest_global(vm, stop, 1);
	vcpu_expect_done(vcpu);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_INTR], 2);
	vm_free(vm);
}

static void test_busy(void)
{
	busy_guest(0);
}

static void test_busy_restart(void)
{
	/* SA_RESTART must not hide the signal from the VMM. */
	busy_guest(SA_RESTART);
}

static void guest_hlt(void)
{
	safe_halt();
	cli();
	GUEST_DONE();
}

static void test_hlt(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_hlt);
	struct kicker k = { pthread_self(), 200, 1 };
	pthread_t t;
	int r, i;

	install(0);
	for (i = 0; i < 2; i++) {
		pthread_create(&t, NULL, kick, &k);
		r = __vcpu_run(vcpu);
		pthread_join(t, NULL);
		TEST_ASSERT(r == -EINTR, "RUN %d in HLT returned %d", i, r);
		vcpu_assert_exit(vcpu, VIREO_EXIT_INTR);
		TEST_ASSERT_EQ(vcpu_get_mp_state(vcpu), VIREO_MP_HALTED);
	}
	vm_free(vm);
}

static u32 woken;

static void wake_handler(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(woken, 1);
}

static void test_hlt_then_irq(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_hlt);
	struct kicker k = { pthread_self(), 200, 1 };
	pthread_t t;
	int r;

	install(0);
	vm_set_guest_handler(vm, 0x30, wake_handler);
	pthread_create(&t, NULL, kick, &k);
	r = __vcpu_run(vcpu);
	pthread_join(t, NULL);
	TEST_ASSERT(r == -EINTR, "RUN in HLT returned %d", r);
	/* Still halted: an interrupt queued now ends the HLT. */
	vcpu_interrupt(vcpu, 0x30);
	vcpu_expect_done(vcpu);
	TEST_ASSERT_EQ(read_guest_global(vm, woken), 1);
	TEST_ASSERT_EQ(vcpu_get_mp_state(vcpu), VIREO_MP_RUNNABLE);
	vm_free(vm);
}

static void guest_in(void)
{
	u32 v;

	GUEST_SYNC(0);
	v = inl(0x99);
	GUEST_ASSERT_EQ(v, 0x600dcafe);
	GUEST_DONE();
}

static void test_immediate_exit(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_in);
	struct vireo_regs before, after;
	u32 v = 0x600dcafe;
	int r;

	/* Before the guest ever ran: nothing runs. */
	vcpu_regs_get(vcpu, &before);
	vcpu->run->immediate_exit = 1;
	r = __vcpu_run(vcpu);
	TEST_ASSERT(r == -EINTR, "RUN with immediate_exit returned %d", r);
	vcpu_assert_exit(vcpu, VIREO_EXIT_INTR);
	vcpu_regs_get(vcpu, &after);
	TEST_ASSERT_EQ(after.rip, before.rip);
	vcpu->run->immediate_exit = 0;
	vcpu_expect_sync(vcpu, 0);

	/* A pending IN completes: RAX has the data, RIP is past the IN. */
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_IO);
	TEST_ASSERT(vcpu->run->io.direction == VIREO_IO_IN &&
		    vcpu->run->io.port == 0x99, "not the IN");
	memcpy(vcpu_io_data(vcpu), &v, 4);
	vcpu_regs_get(vcpu, &before);
	vcpu->run->immediate_exit = 1;
	r = __vcpu_run(vcpu);
	TEST_ASSERT(r == -EINTR, "RUN with immediate_exit returned %d", r);
	vcpu_regs_get(vcpu, &after);
	TEST_ASSERT_EQ((u32)after.rax, 0x600dcafe);
	/* Past the 1-byte IN, whether RIP moved at the exit or now. */
	TEST_ASSERT(after.rip == before.rip || after.rip == before.rip + 1,
		    "RIP %#llx after the IN, %#llx at its exit", after.rip,
		    before.rip);
	TEST_ASSERT_EQ(vcpu->run->rip, after.rip);
	vcpu->run->immediate_exit = 0;
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static struct vireo_run *kick_run;

static void set_immediate_exit(int sig)
{
	(void)sig;
	kick_run->immediate_exit = 1;
}

/* The race-free kick: the handler sets immediate_exit, RUN sees it. */
static void test_kick_pattern(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_spin);
	struct sigaction sa;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = set_immediate_exit;
	sigaction(SIGUSR1, &sa, NULL);
	kick_run = vcpu->run;
	raise(SIGUSR1);
	r = __vcpu_run(vcpu);
	TEST_ASSERT(r == -EINTR, "RUN returned %d", r);
	TEST_ASSERT_EQ(read_guest_global(vm, spins), 0);
	vm_free(vm);
}

static void test_sigkill(void)
{
	u64 start;
	int status;
	pid_t pid;

	pid = fork();
	TEST_ASSERT(pid >= 0, "fork: %m");
	if (pid == 0) {
		struct vcpu *vcpu;

		vm_create_with_one_vcpu(&vcpu, guest_spin);
		__vcpu_run(vcpu);
		_exit(3);
	}
	usleep(500 * 1000);
	start = monotonic_ns();
	kill(pid, SIGKILL);
	TEST_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid: %m");
	TEST_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		    "child status %#x", status);
	tap_diag("SIGKILL took %llu ms", (monotonic_ns() - start) / 1000000);
	/* Its VM is gone; the next one works. */
	{
		struct vcpu *vcpu;
		struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_in);

		vcpu_expect_sync(vcpu, 0);
		vm_free(vm);
	}
}

static const struct vtest tests[] = {
	VTEST(test_busy, "a signal interrupts RUN of a busy guest: EINTR, exit INTR; it resumes"),
	VTEST(test_busy_restart, "the same with SA_RESTART: RUN still returns EINTR"),
	VTEST(test_hlt, "a signal interrupts RUN in HLT; the vCPU stays halted"),
	VTEST(test_hlt_then_irq, "a halted vCPU that took a signal wakes on an interrupt"),
	VTEST(test_immediate_exit, "immediate_exit: no entry, but a pending IN completes"),
	VTEST(test_kick_pattern, "a signal handler setting immediate_exit before RUN stops it"),
	VTEST(test_sigkill, "SIGKILL ends a process in RUN"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
