// SPDX-License-Identifier: GPL-2.0-only
/*
 * External interrupts (VIREO_INTERRUPT) and NMIs (VIREO_NMI): HLT woken
 * from another thread, a busy guest kicked out to take an interrupt,
 * RFLAGS.IF and the STI interrupt shadow respected, several pending
 * vectors each delivered once, NMIs delivered with IF clear and blocked
 * until IRET.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define VEC	0x30

static u32 irq_count[256];
static u64 irq_rip;

static void count_irq(struct ex_regs *regs)
{
	WRITE_ONCE(irq_count[regs->vector], irq_count[regs->vector] + 1);
	irq_rip = regs->rip;
	GUEST_ASSERT_EQ(regs->error_code, 0);
}

static u32 count(int v)
{
	return READ_ONCE(irq_count[v]);
}

struct later {
	struct vcpu *vcpu;
	int vector;		/* -1: NMI */
	unsigned int ms;
};

static void *inject_later(void *arg)
{
	struct later *l = arg;

	usleep(l->ms * 1000);
	if (l->vector < 0)
		vcpu_nmi(l->vcpu);
	else
		vcpu_interrupt(l->vcpu, l->vector);
	return NULL;
}

static void guest_hlt(void)
{
	guest_set_handler(VEC, count_irq);
	safe_halt();
	cli();
	GUEST_ASSERT_EQ(count(VEC), 1);
	GUEST_DONE();
}

static void test_hlt_wakeup(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_hlt);
	struct later l = { vcpu, VEC, 300 };
	struct vireo_stats st;
	pthread_t t;
	u64 start = monotonic_ns();

	pthread_create(&t, NULL, inject_later, &l);
	vcpu_expect_done(vcpu);
	pthread_join(t, NULL);
	TEST_ASSERT(monotonic_ns() - start >= 250 * 1000000ULL,
		    "HLT ended after %llu ms, before the interrupt",
		    (monotonic_ns() - start) / 1000000);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT(st.halt_sleeps >= 1, "halt_sleeps %llu", st.halt_sleeps);
	TEST_ASSERT_EQ(st.injected_irqs, 1);
	TEST_ASSERT(st.vmx_exits[12] >= 1, "no HLT exit counted");
	vm_free(vm);
}

static void guest_busy(void)
{
	guest_set_handler(VEC, count_irq);
	sti();
	/* No exit in this loop: only a kick can bring the interrupt in. */
	while (!count(VEC))
		cpu_relax();
	cli();
	GUEST_DONE();
}

static void test_kick_busy(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_busy);
	struct later l = { vcpu, VEC, 200 };
	pthread_t t;

	pthread_create(&t, NULL, inject_later, &l);
	vcpu_expect_done(vcpu);
	pthread_join(t, NULL);
	vm_free(vm);
}

static void guest_if(void)
{
	u64 first, second, i;

	guest_set_handler(VEC, count_irq);
	cli();
	GUEST_SYNC(1);		/* the VMM queues VEC */
	for (i = 0; i < 100000; i++)
		cpu_relax();
	GUEST_ASSERT_EQ(count(VEC), 0);
	GUEST_SYNC(2);		/* more exits with IF clear */
	GUEST_ASSERT_EQ(count(VEC), 0);
	/* STI blocks interrupts for one more instruction. */
	asm volatile("sti\n\t"
		     "movl %[c], %k[first]\n\t"
		     "nop\n\t"
		     "movl %[c], %k[second]\n\t"
		     "cli"
		     : [first] "=&r"(first), [second] "=&r"(second)
		     : [c] "m"(irq_count[VEC]) : "memory");
	GUEST_ASSERT_EQ(first, 0);
	GUEST_ASSERT_EQ(second, 1);
	GUEST_DONE();
}

static void test_if_and_shadow(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_if);

	vcpu_expect_sync(vcpu, 1);
	TEST_ASSERT_EQ(vcpu->run->if_flag, 0);
	vcpu_interrupt(vcpu, VEC);
	vcpu_expect_sync(vcpu, 2);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_many(void)
{
	int v;

	for (v = 0x40; v < 0x48; v++)
		guest_set_handler(v, count_irq);
	guest_set_handler(0xff, count_irq);
	GUEST_SYNC(1);
	sti();
	for (v = 0; v < 1000; v++)
		cpu_relax();
	cli();
	for (v = 0x40; v < 0x48; v++)
		GUEST_ASSERT_EQ(count(v), 1);
	GUEST_ASSERT_EQ(count(0xff), 1);
	GUEST_DONE();
}

static void test_many_vectors(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_many);
	int v;

	vcpu_expect_sync(vcpu, 1);
	for (v = 0x40; v < 0x48; v++)
		vcpu_interrupt(vcpu, v);
	/* Queued twice before delivery: still one interrupt (a pending set). */
	vcpu_interrupt(vcpu, 0x43);
	vcpu_interrupt(vcpu, 0xff);
	vcpu_expect_done(vcpu);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT_EQ(st.injected_irqs, 9);
	vm_free(vm);
}

static u32 nmi_count;

static void nmi_handler(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(nmi_count, nmi_count + 1);
	if (READ_ONCE(nmi_count) == 1) {
		/* The VMM queues a second NMI now: blocked until IRET. */
		GUEST_SYNC(2);
		GUEST_ASSERT_EQ(READ_ONCE(nmi_count), 1);
	}
}

static void guest_nmi(void)
{
	u64 i;

	guest_set_handler(NMI_VECTOR, nmi_handler);
	cli();
	GUEST_SYNC(1);
	for (i = 0; i < 1000000 && READ_ONCE(nmi_count) < 2; i++)
		cpu_relax();
	GUEST_ASSERT_EQ(READ_ONCE(nmi_count), 2);
	GUEST_DONE();
}

static void test_nmi(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_nmi);

	vcpu_expect_sync(vcpu, 1);
	vcpu_nmi(vcpu);
	vcpu_expect_sync(vcpu, 2);
	vcpu_nmi(vcpu);
	vcpu_expect_done(vcpu);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT_EQ(st.injected_nmis, 2);
	vm_free(vm);
}

static void guest_nmi_hlt(void)
{
	cli();
	/* IF clear: only an NMI can end this HLT. */
	hlt();
	GUEST_ASSERT_EQ(READ_ONCE(nmi_count), 1);
	GUEST_DONE();
}

static void nmi_handler_plain(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(nmi_count, nmi_count + 1);
}

static void test_nmi_wakes_hlt(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_nmi_hlt);
	struct later l = { vcpu, -1, 200 };
	pthread_t t;

	vm_set_guest_handler(vm, NMI_VECTOR, nmi_handler_plain);
	pthread_create(&t, NULL, inject_later, &l);
	vcpu_expect_done(vcpu);
	pthread_join(t, NULL);
	vm_free(vm);
}

static void guest_pending_at_entry(void)
{
	guest_set_handler(VEC, count_irq);
	GUEST_SYNC(1);
	/* Queued while the vCPU was out; IF was 0 in the ucall... */
	sti();
	asm volatile("nop");
	cli();
	GUEST_ASSERT_EQ(count(VEC), 1);
	GUEST_DONE();
}

static void test_pending_at_entry(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_pending_at_entry);

	vcpu_expect_sync(vcpu, 1);
	vcpu_interrupt(vcpu, VEC);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void test_bad_vector(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_hlt);
	struct vireo_interrupt irq = { .vector = VEC, .flags = 1 };

	TEST_ASSERT_EQ(__vcpu_interrupt(vcpu, 256), -EINVAL);
	TEST_ASSERT_EQ(__vcpu_interrupt(vcpu, ~0U), -EINVAL);
	TEST_ASSERT(ioctl(vcpu->fd, VIREO_INTERRUPT, &irq) == -1 &&
		    errno == EINVAL, "flags = 1: %m");
	TEST_ASSERT(ioctl(vcpu->fd, VIREO_INTERRUPT, NULL) == -1 &&
		    errno == EFAULT, "NULL argument: %m");
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_hlt_wakeup, "HLT sleeps until VIREO_INTERRUPT from another thread"),
	VTEST(test_kick_busy, "VIREO_INTERRUPT kicks a vCPU that never exits"),
	VTEST(test_if_and_shadow, "no delivery while IF = 0, nor in the STI shadow"),
	VTEST(test_many_vectors, "nine pending vectors: each delivered once"),
	VTEST(test_pending_at_entry, "an interrupt queued between RUNs arrives after STI"),
	VTEST(test_nmi, "NMI with IF = 0; a second NMI waits for IRET"),
	VTEST(test_nmi_wakes_hlt, "an NMI ends HLT with IF = 0"),
	VTEST(test_bad_vector, "VIREO_INTERRUPT: vector > 255 or flags: EINVAL; NULL: EFAULT"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
