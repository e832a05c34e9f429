// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel local APIC (xAPIC at 0xfee00000): its registers and
 * TPR/CR8, the timer in one-shot, periodic and TSC-deadline modes, fixed
 * and NMI IPIs between vCPUs (physical and flat logical destinations,
 * shorthands), and INIT + SIPI bringing up vCPU 1 through the real-mode
 * boot trampoline into 64-bit guest code.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "apic.h"
#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define TIMER_VEC	0x50
#define IPI_VEC		0x60

static u32 irqs[256];
static u64 irq_tsc;
static u32 nmis[MAX_VCPUS];

/* Counts by vector; several vCPUs may take the same one at once. */
static void timer_handler(struct ex_regs *regs)
{
	__atomic_fetch_add(&irqs[regs->vector], 1, __ATOMIC_SEQ_CST);
	irq_tsc = rdtsc();
	apic_eoi();
}

static void nmi_handler(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(nmis[guest_vcpu_id()], nmis[guest_vcpu_id()] + 1);
}

static u32 nirq(int v)
{
	return READ_ONCE(irqs[v]);
}

/* Is @v requested in the IRR (accepted by the APIC, not yet delivered)? */
static bool irr_has(int v)
{
	return apic_read(APIC_IRR + v / 32 * 0x10) & (1u << (v % 32));
}

/* Spin for @cycles TSC cycles with interrupts as they are. */
static void spin_tsc(u64 cycles)
{
	u64 end = rdtsc() + cycles;

	while (rdtsc() < end)
		cpu_relax();
}

static void guest_regs(u64 id)
{
	u32 v;

	GUEST_ASSERT_EQ(apic_read(APIC_ID) >> 24, id);
	v = apic_read(APIC_LVR);
	GUEST_ASSERT_1((v & 0xff) >= 0x10 && (v & 0xff) <= 0x15, v);
	GUEST_ASSERT_1(((v >> 16) & 0xff) >= 4, v);
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_APICBASE),
			APIC_GPA | MSR_IA32_APICBASE_ENABLE |
			(id ? 0 : MSR_IA32_APICBASE_BSP));
	apic_enable();
	GUEST_ASSERT_EQ(apic_read(APIC_SPIV), APIC_SPIV_ENABLE | 0xff);
	write_cr8(5);
	GUEST_ASSERT_EQ(apic_read(APIC_TPR) & 0xf0, 0x50);
	apic_write(APIC_TPR, 0x30);
	GUEST_ASSERT_EQ(read_cr8(), 3);
	write_cr8(0);
	GUEST_ASSERT_EQ(apic_read(APIC_TPR), 0);
	apic_write(APIC_TDCR, APIC_TDCR_1);
	GUEST_ASSERT_EQ(apic_read(APIC_TDCR) & 0xb, APIC_TDCR_1);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | TIMER_VEC);
	GUEST_ASSERT_EQ(apic_read(APIC_LVTT), APIC_LVT_MASKED | TIMER_VEC);
	GUEST_DONE();
}

static void test_regs(void)
{
	struct vcpu *vcpus[2];
	struct vm *vm = vm_create_with_vcpus(2, guest_regs, vcpus);
	struct vireo_stats st;
	int i;

	for (i = 0; i < 2; i++) {
		vcpu_args_set(vcpus[i], 1, (u64)i);
		vcpu_expect_done(vcpus[i]);
	}
	/* The APIC is the kernel's: no MMIO exit reached userspace. */
	vm_get_stats(vm, &st);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_MMIO], 0);
	vm_free(vm);
}

static void guest_oneshot(void)
{
	u64 start, took;

	guest_set_handler(TIMER_VEC, timer_handler);
	apic_enable();
	apic_write(APIC_TDCR, APIC_TDCR_1);
	apic_write(APIC_LVTT, APIC_TIMER_ONESHOT | TIMER_VEC);
	start = rdtsc();
	apic_write(APIC_TMICT, 100000);
	GUEST_ASSERT(apic_read(APIC_TMCCT) <= 100000);
	while (!nirq(TIMER_VEC))
		safe_halt();
	cli();
	took = irq_tsc - start;
	GUEST_ASSERT_EQ(apic_read(APIC_TMCCT), 0);
	/* One-shot: nothing more, however long we wait. */
	sti();
	spin_tsc(2 * took + 1000000);
	cli();
	GUEST_ASSERT_EQ(nirq(TIMER_VEC), 1);
	GUEST_DONE();
}

static void guest_periodic(void)
{
	u32 c1, c2, n;

	guest_set_handler(TIMER_VEC, timer_handler);
	apic_enable();
	apic_write(APIC_TDCR, APIC_TDCR_1);
	apic_write(APIC_LVTT, APIC_TIMER_PERIODIC | TIMER_VEC);
	apic_write(APIC_TMICT, 200000);
	c1 = apic_read(APIC_TMCCT);
	spin_tsc(1000);
	c2 = apic_read(APIC_TMCCT);
	GUEST_ASSERT_1(c1 <= 200000 && c2 <= 200000 && c1 != c2, c2);
	while (nirq(TIMER_VEC) < 3)
		safe_halt();
	cli();
	/*
	 * Masked: it stops interrupting. A tick that came between the last
	 * interrupt and the mask waits in the IRR (IF is 0) and is still
	 * delivered: the mask stops new ticks only. On a slow host (the debug
	 * kernel in Bochs) a period can pass in that window.
	 */
	apic_write(APIC_LVTT, APIC_LVT_MASKED | APIC_TIMER_PERIODIC |
		   TIMER_VEC);
	n = nirq(TIMER_VEC) + irr_has(TIMER_VEC);
	sti();
	spin_tsc(20000000);
	cli();
	GUEST_ASSERT_EQ(nirq(TIMER_VEC), n);
	GUEST_DONE();
}

static void guest_deadline(u64 tsc_khz)
{
	u32 a, b, c, d;
	u64 deadline, end;

	cpuid_count(1, 0, &a, &b, &c, &d);
	GUEST_ASSERT_1(c & CPUID_1_ECX_TSC_DEADLINE, c);
	guest_set_handler(TIMER_VEC, timer_handler);
	apic_enable();
	apic_write(APIC_LVTT, APIC_TIMER_TSC_DEADLINE | TIMER_VEC);
	/* 2 ms ahead. */
	deadline = rdtsc() + 2 * tsc_khz;
	wrmsr(MSR_IA32_TSC_DEADLINE, deadline);
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), deadline);
	while (!nirq(TIMER_VEC))
		safe_halt();
	cli();
	GUEST_ASSERT_1(irq_tsc >= deadline, deadline - irq_tsc);
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_TSC_DEADLINE), 0);
	/* In the past: at once (within 100 ms, for a slow host). */
	wrmsr(MSR_IA32_TSC_DEADLINE, 1);
	end = rdtsc() + 100 * tsc_khz;
	sti();
	while (nirq(TIMER_VEC) < 2 && rdtsc() < end)
		cpu_relax();
	cli();
	GUEST_ASSERT_EQ(nirq(TIMER_VEC), 2);
	/*
	 * Armed, then disarmed with 0: never. The deadline is far enough
	 * that two exits cannot reach it even in an emulator, whose TSC
	 * counts the host kernel's instructions too.
	 */
	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + 50 * tsc_khz);
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	sti();
	spin_tsc(100 * tsc_khz);
	cli();
	GUEST_ASSERT_EQ(nirq(TIMER_VEC), 2);
	GUEST_DONE();
}

static void test_oneshot(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_oneshot);

	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void test_periodic(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_periodic);

	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void test_deadline(void)
{
	long khz = vireo_check_cap(VIREO_CAP_TSC_KHZ);
	struct vcpu *vcpu;
	struct vm *vm;

	TEST_ASSERT(khz > 0, "VIREO_CAP_TSC_KHZ is %ld", khz);
	vm = vm_create_with_one_vcpu(&vcpu, guest_deadline);
	vcpu_args_set(vcpu, 1, (u64)khz);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

/* Run a vCPU to GUEST_DONE in a thread. */
static void *run_to_done(void *arg)
{
	vcpu_expect_done(arg);
	return NULL;
}

static u32 ready[MAX_VCPUS];
static u32 ipis[MAX_VCPUS];
static u32 all_done;

static void ipi_handler(struct ex_regs *regs)
{
	(void)regs;
	WRITE_ONCE(ipis[guest_vcpu_id()], ipis[guest_vcpu_id()] + 1);
	apic_eoi();
}

/* Receivers: flat logical ids, then sleep until the sender is done. */
static void guest_receiver(void)
{
	unsigned int id = guest_vcpu_id();

	guest_set_handler(IPI_VEC, ipi_handler);
	guest_set_handler(NMI_VECTOR, nmi_handler);
	apic_enable();
	apic_write(APIC_DFR, 0xffffffff);
	apic_write(APIC_LDR, 1U << (24 + id));
	WRITE_ONCE(ready[id], 1);
	while (!READ_ONCE(all_done))
		safe_halt();
	cli();
	GUEST_DONE();
}

static void send_wait(u32 dest, u32 low)
{
	apic_icr(dest, low);
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

/* Wait up to ~1 s of TSC for vCPU 1 and 2 to have counted @c1 and @c2. */
static bool wait_counts(u32 *counts, u32 c1, u32 c2, u64 tsc_khz)
{
	u64 end = rdtsc() + 1000 * tsc_khz;

	while (rdtsc() < end)
		if (READ_ONCE(counts[1]) == c1 && READ_ONCE(counts[2]) == c2)
			return true;
	return false;
}

/*
 * vCPU 0 sends, step by step, each checked before the next: fixed to 1
 * by id, fixed to 2 by id, NMI to 1, fixed to 1 and 2 by flat logical
 * mask, fixed to all but itself.
 */
static void guest_sender(u64 tsc_khz)
{
	apic_enable();
	while (!READ_ONCE(ready[1]) || !READ_ONCE(ready[2]))
		cpu_relax();
	send_wait(1, APIC_INT_ASSERT | APIC_DM_FIXED | IPI_VEC);
	GUEST_ASSERT_1(wait_counts(ipis, 1, 0, tsc_khz), ipis[1]);
	send_wait(2, APIC_INT_ASSERT | APIC_DM_FIXED | IPI_VEC);
	GUEST_ASSERT_1(wait_counts(ipis, 1, 1, tsc_khz), ipis[2]);
	send_wait(1, APIC_INT_ASSERT | APIC_DM_NMI);
	GUEST_ASSERT_1(wait_counts(nmis, 1, 0, tsc_khz), nmis[1]);
	send_wait(0x6, APIC_DEST_LOGICAL | APIC_INT_ASSERT | APIC_DM_FIXED |
		  IPI_VEC);
	GUEST_ASSERT_1(wait_counts(ipis, 2, 2, tsc_khz),
		       (u64)ipis[1] << 32 | ipis[2]);
	send_wait(0, APIC_DEST_ALLBUT | APIC_INT_ASSERT | APIC_DM_FIXED |
		  IPI_VEC);
	GUEST_ASSERT_1(wait_counts(ipis, 3, 3, tsc_khz),
		       (u64)ipis[1] << 32 | ipis[2]);
	GUEST_ASSERT_EQ(READ_ONCE(ipis[0]), 0);
	/* Release the receivers: flag, then one more IPI to wake them. */
	WRITE_ONCE(all_done, 1);
	send_wait(0, APIC_DEST_ALLBUT | APIC_INT_ASSERT | APIC_DM_FIXED |
		  IPI_VEC);
	GUEST_DONE();
}

static void test_ipi(void)
{
	long khz = vireo_check_cap(VIREO_CAP_TSC_KHZ);
	struct vcpu *v[3];
	struct vm *vm = vm_create_with_vcpus(3, guest_receiver, v);
	pthread_t t[2];
	int i;

	vcpu_setup_long_mode(v[0], guest_sender);
	vcpu_args_set(v[0], 1, (u64)khz);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run_to_done, v[i + 1]);
	vcpu_expect_done(v[0]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	vm_free(vm);
}

#define TRAMPOLINE	0x8000

static void guest_ap_main(u64 apic_id)
{
	GUEST_ASSERT_EQ(apic_id, 1);
	GUEST_ASSERT(read_cr0() & X86_CR0_PG);
	GUEST_ASSERT(rdmsr(MSR_EFER) & EFER_LMA);
	GUEST_ASSERT_EQ(store_tr(), TSS_SEL(1));
	/* Its own APIC answers, and knows it is no BSP. */
	GUEST_ASSERT_EQ(apic_read(APIC_ID) >> 24, 1);
	GUEST_ASSERT(!(rdmsr(MSR_IA32_APICBASE) & MSR_IA32_APICBASE_BSP));
	GUEST_DONE();
}

static void guest_bsp(void)
{
	apic_enable();
	/* INIT (assert, then deassert as the MP spec does), SIPI twice. */
	send_wait(1, APIC_INT_LEVEL | APIC_INT_ASSERT | APIC_DM_INIT);
	send_wait(1, APIC_INT_LEVEL | APIC_DM_INIT);
	send_wait(1, APIC_DM_STARTUP | (TRAMPOLINE >> 12));
	send_wait(1, APIC_DM_STARTUP | (TRAMPOLINE >> 12));
	GUEST_DONE();
}

static struct vireo_sregs ap_sregs_at_start;

static void *run_ap(void *arg)
{
	struct vcpu *ap = arg;
	struct ucall uc;

	/* Blocks until the BSP's SIPI. */
	vcpu_run(ap);
	vcpu_sregs_get(ap, &ap_sregs_at_start);
	if (get_ucall(ap, &uc) == UCALL_NONE) {
		vcpu_dump(ap);
		TEST_FAIL("the AP's first exit is no ucall");
	}
	if (uc.cmd != UCALL_DONE)
		ucall_report(&uc, __FILE__, __LINE__);
	return NULL;
}

static void test_init_sipi(void)
{
	struct vm *vm = vm_create();
	struct vcpu *bsp, *ap;
	pthread_t t;

	vm_add_low_memory(vm);
	vm_install_boot(vm, TRAMPOLINE, guest_ap_main);
	bsp = vm_vcpu_add(vm, 0, guest_bsp);
	ap = vm_vcpu_add(vm, 1, NULL);
	TEST_ASSERT_EQ(vcpu_get_mp_state(ap), VIREO_MP_WAIT_SIPI);
	pthread_create(&t, NULL, run_ap, ap);
	vcpu_expect_done(bsp);
	pthread_join(t, NULL);
	TEST_ASSERT_EQ(vcpu_get_mp_state(ap), VIREO_MP_RUNNABLE);
	TEST_ASSERT(ap_sregs_at_start.efer & EFER_LMA,
		    "the AP did not reach long mode (EFER %#llx)",
		    ap_sregs_at_start.efer);
	vm_free(vm);
}

/* Where a SIPI starts an AP: real mode, CS = vector << 8, IP = 0. */
static void test_sipi_state(void)
{
	struct vm *vm = vm_create();
	u8 *low = vm_add_low_memory(vm);
	struct vcpu *bsp, *ap;
	struct vireo_sregs s;

	/* At the SIPI's start address: OUT %al, $0x77. */
	memcpy(low + TRAMPOLINE, "\xe6\x77", 2);
	bsp = vm_vcpu_add(vm, 0, guest_bsp);
	ap = vm_vcpu_add(vm, 1, NULL);
	vcpu_expect_done(bsp);
	vcpu_run(ap);
	vcpu_assert_exit(ap, VIREO_EXIT_IO);
	TEST_ASSERT_EQ(ap->run->io.port, 0x77);
	TEST_ASSERT_EQ(ap->run->vcpu_id, 1);
	vcpu_sregs_get(ap, &s);
	TEST_ASSERT(s.cs.selector == TRAMPOLINE >> 4 &&
		    s.cs.base == TRAMPOLINE && !(s.cr0 & X86_CR0_PE),
		    "AP started with CS %#x base %#llx CR0 %#llx",
		    s.cs.selector, s.cs.base, s.cr0);
	/* The OUT at IP 0 (2 bytes) is complete: RIP is past it. */
	TEST_ASSERT_EQ(ap->run->rip, 2);
	TEST_ASSERT_EQ(s.apic_base, APIC_GPA | MSR_IA32_APICBASE_ENABLE);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_regs, "APIC id, version, APIC base MSR, SVR, TPR and CR8, LVT"),
	VTEST(test_oneshot, "timer one-shot: one interrupt, current count 0"),
	VTEST(test_periodic, "timer periodic: repeats, counts down, stops when masked"),
	VTEST(test_deadline, "TSC-deadline timer: on time, at once if past, 0 disarms"),
	VTEST(test_ipi, "IPIs: fixed by id, NMI, flat logical, all-but-self, 3 vCPUs"),
	VTEST(test_sipi_state, "SIPI starts the AP in real mode at vector << 12"),
	VTEST(test_init_sipi, "INIT + SIPI bring vCPU 1 from real mode to 64-bit C code"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
