// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls (VMCALL, vireo_para.h): the ones vireo handles (NOP,
 * SET_FEATURES, SYSTEM_EVENT, IDLE), the ones a VMM routes to itself
 * (VIREO_EXIT_HYPERCALL), -VIREO_ENOSYS for unrouted numbers,
 * -VIREO_EPERM from CPL 3, -VIREO_ENOTNEG before feature negotiation, and
 * VIREO_EXIT_SYSTEM_EVENT for poweroff, reset and crash.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <linux/vireo_para.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define USER_HC		VIREO_HC_USER_FIRST

/* VMCALL with every general register set; returns RAX, checks the rest. */
static s64 vmcall_check_regs(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3,
			     u64 a4)
{
	u64 rbx = a0, rcx = a1, rdx = a2, rsi = a3, rdi = a4;
	u64 r8 = 0x8888, r12 = 0x1212, r15 = 0x1515;
	s64 ret;

	asm volatile("mov %[r8], %%r8\n\t"
		     "mov %[r12], %%r12\n\t"
		     "mov %[r15], %%r15\n\t"
		     "vmcall\n\t"
		     "mov %%r8, %[r8]\n\t"
		     "mov %%r12, %[r12]\n\t"
		     "mov %%r15, %[r15]"
		     : "=a"(ret), "+b"(rbx), "+c"(rcx), "+d"(rdx), "+S"(rsi),
		       "+D"(rdi), [r8] "+m"(r8), [r12] "+m"(r12),
		       [r15] "+m"(r15)
		     : "a"(nr) : "r8", "r12", "r15", "memory");
	GUEST_ASSERT(rbx == a0 && rcx == a1 && rdx == a2 && rsi == a3 &&
		     rdi == a4);
	GUEST_ASSERT(r8 == 0x8888 && r12 == 0x1212 && r15 == 0x1515);
	return ret;
}

static void guest_core(void)
{
	static const u64 unknown[] = {
		0x04, 0x07, 0x20, 0x3f, 0x40, 0xfff, 0x1000, 0x1fff, 0x2000,
		0xffffffff, ~0ULL,
	};
	unsigned int i;

	GUEST_ASSERT_EQ(vmcall_check_regs(VIREO_HC_NOP, 1, 2, 3, 4, 5), 0);
	for (i = 0; i < ARRAY_SIZE(unknown); i++)
		GUEST_ASSERT_EQ(vmcall(unknown[i], 0, 0), -VIREO_ENOSYS);
	/* In a feature's block, even unassigned: the feature comes first. */
	GUEST_ASSERT_EQ(vmcall(0x1f, 0, 0), -VIREO_ENOTNEG);
	GUEST_DONE();
}

static void test_core(void)
{
	struct vireo_stats before, after;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_core);

	vcpu_get_stats(vcpu, &before);
	vcpu_expect_done(vcpu);
	vcpu_get_stats(vcpu, &after);
	TEST_ASSERT_EQ(after.hypercalls[VIREO_HC_NOP] -
		       before.hypercalls[VIREO_HC_NOP], 1);
	TEST_ASSERT(after.vmx_exits[18] - before.vmx_exits[18] >= 12,
		    "vmx_exits[VMCALL] grew by %llu",
		    after.vmx_exits[18] - before.vmx_exits[18]);
	vm_free(vm);
}

static void guest_routed(void)
{
	GUEST_ASSERT_EQ(vmcall_check_regs(USER_HC + 1, 0x11, 0x22, 0x33,
					  0x44, 0x55), 0x1234);
	GUEST_ASSERT_EQ(vmcall5(USER_HC + 3, ~0ULL, 0, 0, 0, 1),
			-VIREO_EIO);
	/* Outside the routed range: vireo's answer, no exit. */
	GUEST_ASSERT_EQ(vmcall(USER_HC + 4, 0, 0), -VIREO_ENOSYS);
	GUEST_SYNC(1);
	/* The VMM removed the range. */
	GUEST_ASSERT_EQ(vmcall(USER_HC + 1, 0, 0), -VIREO_ENOSYS);
	GUEST_DONE();
}

static void test_routed(void)
{
	struct vireo_stats before, after;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_routed);
	struct vireo_run *run = vcpu->run;
	unsigned int i;

	vm_route(vm, VIREO_RANGE_HYPERCALL, USER_HC, 4);
	vcpu_get_stats(vcpu, &before);
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.nr, USER_HC + 1);
	for (i = 0; i < 5; i++)
		TEST_ASSERT(run->hypercall.args[i] == 0x11 * (i + 1),
			    "args[%u] = %#llx", i, run->hypercall.args[i]);
	run->hypercall.ret = 0x1234;
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(run->hypercall.nr, USER_HC + 3);
	TEST_ASSERT_EQ(run->hypercall.args[0], ~0ULL);
	TEST_ASSERT_EQ(run->hypercall.args[4], 1);
	run->hypercall.ret = -VIREO_EIO;
	vcpu_expect_sync(vcpu, 1);
	vcpu_get_stats(vcpu, &after);
	TEST_ASSERT_EQ(after.user_exits[VIREO_EXIT_HYPERCALL] -
		       before.user_exits[VIREO_EXIT_HYPERCALL], 2);
	TEST_ASSERT(after.hypercalls[VIREO_STATS_HC_OTHER] -
		    before.hypercalls[VIREO_STATS_HC_OTHER] >= 2,
		    "routed hypercalls are not counted in hypercalls[HC_OTHER]");
	TEST_ASSERT_OK(__vm_set_user_range(vm, VIREO_RANGE_HYPERCALL,
					   VIREO_RANGE_REMOVE, USER_HC, 4));
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static u64 user_hypercalls(u64 arg)
{
	(void)arg;
	if (vmcall(VIREO_HC_NOP, 0, 0) != -VIREO_EPERM)
		return 1;
	if (vmcall(USER_HC, 0, 0) != -VIREO_EPERM)
		return 2;
	if (vmcall(VIREO_HC_SYSTEM_EVENT, VIREO_PV_POWEROFF, 0) !=
	    -VIREO_EPERM)
		return 3;
	if (vmcall(VIREO_HC_SET_FEATURES, VIREO_PV_F_SYSTEM, 0) !=
	    -VIREO_EPERM)
		return 4;
	if (vmcall(0x3f, 0, 0) != -VIREO_EPERM)
		return 5;
	return 0x600d;
}

static void guest_cpl3(void)
{
	GUEST_ASSERT_EQ(guest_run_user(user_hypercalls, 0), 0x600d);
	/* Back at CPL 0, the same hypercalls work. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_NOP, 0, 0), 0);
	GUEST_DONE();
}

static void test_cpl3(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_cpl3);

	vcpu_set_pv_cpuid(vcpu, VIREO_PV_F_SYSTEM);
	/* Routed, yet never reaches userspace from CPL 3. */
	vm_route(vm, VIREO_RANGE_HYPERCALL, USER_HC, 1);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_negotiation(u64 offered)
{
	/* Feature hypercalls before SET_FEATURES. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SYSTEM_EVENT, VIREO_PV_POWEROFF, 0),
			-VIREO_ENOTNEG);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_IDLE, 0, 0), -VIREO_ENOTNEG);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CONSOLE_WRITE, 0, 0), -VIREO_ENOTNEG);
	/* Bits that are not offered, or unknown. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES, VIREO_PV_F_BLOCK, 0),
			-VIREO_EINVAL);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES, 1ULL << 31, 0),
			-VIREO_EINVAL);
	if (!offered) {
		GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES,
				       VIREO_PV_F_SYSTEM, 0), -VIREO_EINVAL);
		GUEST_DONE();
	}
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES,
			       VIREO_PV_F_SYSTEM | VIREO_PV_F_CONSOLE, 0), 0);
	/* Negotiated but not routed: nobody implements it. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CONSOLE_WRITE, 0, 0), -VIREO_ENOSYS);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_IDLE, 0, 0), -VIREO_ENOTNEG);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SYSTEM_EVENT, 99, 0), -VIREO_EINVAL);
	GUEST_SYNC(1);
	/* Routed now: console write reaches the VMM. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CONSOLE_WRITE, 0x1000, 5), 5);
	GUEST_DONE();
}

static void test_negotiation(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_negotiation);

	vcpu_set_pv_cpuid(vcpu, VIREO_PV_F_SYSTEM | VIREO_PV_F_CONSOLE |
			  VIREO_PV_F_IDLE);
	vcpu_args_set(vcpu, 1, 1ULL);
	vcpu_expect_sync(vcpu, 1);
	vm_route(vm, VIREO_RANGE_HYPERCALL, VIREO_HC_CONSOLE_WRITE, 2);
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_HYPERCALL);
	TEST_ASSERT_EQ(vcpu->run->hypercall.nr, VIREO_HC_CONSOLE_WRITE);
	TEST_ASSERT_EQ(vcpu->run->hypercall.args[0], 0x1000);
	TEST_ASSERT_EQ(vcpu->run->hypercall.args[1], 5);
	vcpu->run->hypercall.ret = 5;
	vcpu_expect_done(vcpu);
	vm_free(vm);

	/* No hypervisor bit: nothing is offered, nothing can be enabled. */
	vm = vm_create_with_one_vcpu(&vcpu, guest_negotiation);
	vcpu_args_set(vcpu, 1, 0ULL);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_system_event(u64 type, u64 data)
{
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES, VIREO_PV_F_SYSTEM, 0),
			0);
	vmcall(VIREO_HC_SYSTEM_EVENT, type, data);
	GUEST_FAIL("VIREO_HC_SYSTEM_EVENT returned to the guest");
}

static void test_system_event(void)
{
	static const u32 types[] = {
		VIREO_PV_POWEROFF, VIREO_PV_RESET, VIREO_PV_CRASH,
	};
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		vm = vm_create_with_one_vcpu(&vcpu, guest_system_event);
		vcpu_set_pv_cpuid(vcpu, VIREO_PV_F_SYSTEM);
		vcpu_args_set(vcpu, 2, (u64)types[i], 0xfeed0000ULL + i);
		vcpu_run(vcpu);
		vcpu_assert_exit(vcpu, VIREO_EXIT_SYSTEM_EVENT);
		TEST_ASSERT_EQ(vcpu->run->system_event.type, types[i]);
		TEST_ASSERT_EQ(vcpu->run->system_event.data, 0xfeed0000ULL + i);
		vm_get_stats(vm, &st);
		TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_SYSTEM_EVENT], 1);
		TEST_ASSERT_EQ(st.hypercalls[VIREO_HC_SYSTEM_EVENT], 1);
		vm_free(vm);
	}
}

static int idle_irqs;

static void idle_irq(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(idle_irqs, idle_irqs + 1);
}

static void guest_idle(void)
{
	guest_set_handler(0x30, idle_irq);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES, VIREO_PV_F_IDLE, 0), 0);
	GUEST_SYNC(0);
	/* IDLE with interrupts enabled sleeps until the next interrupt. */
	sti();
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_IDLE, 0, 0), 0);
	cli();
	GUEST_ASSERT_EQ(READ_ONCE(idle_irqs), 1);
	GUEST_DONE();
}

static void *kick_later(void *arg)
{
	usleep(200 * 1000);
	vcpu_interrupt(arg, 0x30);
	return NULL;
}

static void test_idle(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_idle);
	pthread_t t;
	u64 start;

	vcpu_set_pv_cpuid(vcpu, VIREO_PV_F_IDLE);
	vcpu_expect_sync(vcpu, 0);
	start = monotonic_ns();
	pthread_create(&t, NULL, kick_later, vcpu);
	vcpu_expect_done(vcpu);
	pthread_join(t, NULL);
	TEST_ASSERT(monotonic_ns() - start >= 150 * 1000 * 1000ULL,
		    "IDLE returned after %llu ms, before the interrupt",
		    (monotonic_ns() - start) / 1000000);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT_EQ(st.hypercalls[VIREO_HC_IDLE], 1);
	vm_free(vm);
}

static struct vireo_pvclock pvclock __attribute__((aligned(64)));

static void guest_clock(u64 tsc_khz)
{
	struct vireo_pvclock *pv = &pvclock;
	u64 tsc = rdtsc();

	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CLOCK_ENABLE, (u64)pv, 0),
			-VIREO_ENOTNEG);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_SET_FEATURES, VIREO_PV_F_CLOCK, 0), 0);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CLOCK_ENABLE, (u64)pv + 8, 0),
			-VIREO_EINVAL);
	/* Not RAM: the MMIO hole at 3 GiB. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CLOCK_ENABLE, 0xc0000000, 0),
			-VIREO_EFAULT);
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CLOCK_ENABLE, (u64)pv, 0), 0);
	GUEST_ASSERT_1(!(READ_ONCE(pv->version) & 1), pv->version);
	GUEST_ASSERT_1(READ_ONCE(pv->version), pv->version);
	GUEST_ASSERT_EQ(pv->tsc_khz, tsc_khz);
	GUEST_ASSERT(pv->flags & VIREO_PVCLOCK_TSC_STABLE);
	GUEST_ASSERT(pv->tsc_to_system_mul);
	GUEST_ASSERT_1(pv->tsc_timestamp >= tsc, pv->tsc_timestamp);
	GUEST_ASSERT(pv->wall_clock_sec > 1700000000ULL);
	GUEST_ASSERT_EQ(pv->padding2, 0);
	GUEST_SYNC(pv->system_time);
	/* 0 turns it off. */
	GUEST_ASSERT_EQ(vmcall(VIREO_HC_CLOCK_ENABLE, 0, 0), 0);
	GUEST_DONE();
}

static void test_clock(void)
{
	long khz = vireo_check_cap(VIREO_CAP_TSC_KHZ);
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_clock);
	struct ucall uc;

	vcpu_set_pv_cpuid(vcpu, VIREO_PV_F_CLOCK);
	vcpu_args_set(vcpu, 1, (u64)khz);
	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_SYNC);
	/* Nanoseconds since the VM was made: less than a minute. */
	TEST_ASSERT(uc.args[0] < 60ULL * 1000000000,
		    "system_time %llu ns", uc.args[0]);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_core, "NOP returns 0 and keeps the other registers; unknown numbers: -ENOSYS"),
	VTEST(test_routed, "routed hypercalls exit with nr and 5 arguments; ret reaches RAX"),
	VTEST(test_cpl3, "hypercalls from CPL 3: -EPERM, never routed"),
	VTEST(test_negotiation, "feature hypercalls need SET_FEATURES of offered bits"),
	VTEST(test_system_event, "SYSTEM_EVENT poweroff, reset, crash: VIREO_EXIT_SYSTEM_EVENT"),
	VTEST(test_idle, "IDLE sleeps until an interrupt"),
	VTEST(test_clock, "CLOCK_ENABLE fills the pv clock page; bad addresses fail"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
