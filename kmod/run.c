// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: VIREO_RUN, the loop that runs a vCPU.
 *
 * The loop has two levels. The outer one (vireo_vcpu_run()) may sleep: it
 * finishes what userspace answered to the last exit, waits while the vCPU
 * is halted, waits for a SIPI or the VM is paused, and returns to
 * userspace. The inner one (vcpu_enter_loop()) runs with preemption
 * disabled, between vcpu_load() and vcpu_put(): VM entry, VM exit, and the
 * exit handlers that need no sleep, which is nearly all of them. So an
 * exit handled in the kernel costs one trip through the inner loop and no
 * host state reload: the guest's FPU state (fpu.c), and the MSRs and
 * segments the host only needs in userspace, are switched once per inner
 * loop (vcpu_load(), vcpu_put()).
 *
 * The inner loop ends when a handler must return to userspace, when the
 * vCPU halts, when the scheduler wants the CPU, when a signal is pending,
 * or when another thread asks (vireo_vcpu_request(): INIT, SIPI, pause,
 * destroy). Requests and kicks pair like KVM's: the vCPU publishes
 * IN_GUEST before it looks at its requests, a requester sets its request
 * before it looks at the mode, and sends an IPI to a vCPU in the guest,
 * whose arrival is an exit.
 */
#include <linux/context_tracking.h>
#include <linux/hw_breakpoint.h>
#include <linux/irqflags.h>
#include <linux/rcuwait.h>
#include <linux/sched/signal.h>
#include <linux/vtime.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/xcr.h>
#include <asm/fsgsbase.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "exit.h"
#include "fpu.h"
#include "inject.h"
#include "msr.h"
#include "regs.h"
#include "run.h"
#include "trace.h"
#include "vcpu.h"
#include "vm.h"
#include "vmcs.h"
#include "vmenter.h"
#include "vmx_ops.h"

/* Requests that end the inner loop; VIREO_REQ_EVENT does not. */
#define OUTER_REQUESTS	(BIT(VIREO_REQ_STOP) | BIT(VIREO_REQ_INIT) | BIT(VIREO_REQ_SIPI))

static u64 vireo_host_xcr0 __ro_after_init;
static bool vireo_host_xsave __ro_after_init;

/**
 * vireo_run_init() - read the host state the run loop restores
 */
void vireo_run_init(void)
{
	/* The kernel may have turned XSAVE off after CPUID said OSXSAVE. */
	vireo_host_xsave = boot_cpu_has(X86_FEATURE_XSAVE) &&
			   (cr4_read_shadow() & X86_CR4_OSXSAVE);
	if (vireo_host_xsave)
		vireo_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
}

/*
 * What the kernel does around a switch to user mode, for the guest. Guest
 * mode is an RCU quiescent state; @note_qs says so to RCU. Once per jiffy
 * is enough: the slow path, taken at least once per host timer tick (the
 * tick's interrupt, or the preemption timer, is an exit), reports it.
 */
static __always_inline void guest_state_enter(bool note_qs)
{
	instrumentation_begin();
	vtime_account_guest_enter();
	trace_hardirqs_on_prepare();
	lockdep_hardirqs_on_prepare();
	instrumentation_end();
	if (!context_tracking_guest_enter() && note_qs)
		rcu_virt_note_context_switch(smp_processor_id());
	lockdep_hardirqs_on(CALLER_ADDR0);
}

static __always_inline void guest_state_exit(void)
{
	lockdep_hardirqs_off(CALLER_ADDR0);
	context_tracking_guest_exit();
	instrumentation_begin();
	trace_hardirqs_off_finish();
	vtime_account_guest_exit();
	instrumentation_end();
}

/* Switch to the vCPU: its VMCS, its MSRs; save what VM exit clobbers. */
static void vcpu_load(struct vireo_vcpu *vcpu)
{
	struct vireo_host_state *h = &vcpu->host;
	unsigned long fs_base;
	u32 sel;

	vireo_vmcs_load(vcpu);
	savesegment(ds, h->ds_sel);
	savesegment(es, h->es_sel);
	savesegment(fs, h->fs_sel);
	savesegment(gs, h->gs_sel);
	asm volatile("sldt %0" : "=g" (h->ldt_sel));
	/* VM exit loads selectors with RPL 0 and TI 0 only; others come back at put. */
	sel = (h->fs_sel & 7 ? 0 : h->fs_sel) | (h->gs_sel & 7 ? 0 : h->gs_sel) << 16;
	if (sel != h->vmcs_fs_gs_sel) {
		vmcs_write16(HOST_FS_SELECTOR, sel);
		vmcs_write16(HOST_GS_SELECTOR, sel >> 16);
		h->vmcs_fs_gs_sel = sel;
	}
	fs_base = x86_fsbase_read_cpu();
	if (fs_base != h->fs_base) {
		vmcs_writel(HOST_FS_BASE, fs_base);
		h->fs_base = fs_base;
	}
	h->debugctl = __rdmsr(MSR_IA32_DEBUGCTLMSR);
	vireo_msrs_load_guest(vcpu);
	vireo_fpu_load(vcpu);
}

/* Give the host back what the guest and VM exits changed. */
static void vcpu_put(struct vireo_vcpu *vcpu)
{
	struct vireo_host_state *h = &vcpu->host;

	vireo_fpu_put(vcpu);
	vireo_msrs_load_host(vcpu);
	if (h->ldt_sel)
		asm volatile("lldt %0" : : "rm" (h->ldt_sel));
	if (h->gs_sel & 7) {
		load_gs_index(h->gs_sel);
		wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
	if (h->fs_sel & 7) {
		loadsegment(fs, h->fs_sel);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->ds_sel | h->es_sel) {
		loadsegment(ds, h->ds_sel);
		loadsegment(es, h->es_sel);
	}
	/* VM exit sets the TR limit to 0x67 and the GDTR limit to 0xffff. */
	invalidate_tss_limit();
	load_fixmap_gdt(raw_smp_processor_id());
	if (h->debugctl)
		update_debugctlmsr(h->debugctl);
	/*
	 * A #DB in the guest (single-step, say) sets DR6 bits; the host's own
	 * #DB handler must not find them. VM exit set DR7 to 0x400.
	 */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
	else
		set_debugreg(DR6_RESERVED, 6);
}

/* VMLAUNCH or VMRESUME itself failed: the VMCS is bad, a vireo bug. */
static int vcpu_vmfail(struct vireo_vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;
	u32 err = vmcs_read32(VM_INSTRUCTION_ERROR);

	run->fail_entry.hardware_entry_failure_reason = err;
	run->fail_entry.cpu = smp_processor_id();
	run->fail_entry.vm_instruction_error = 1;
	vireo_vm_set_state(vcpu->vm, VIREO_VM_CRASHED, VIREO_REASON_ENTRY_FAILED,
			   "VM entry instruction failed");
	return vireo_user_exit(vcpu, VIREO_EXIT_FAIL_ENTRY);
}

/*
 * Exits handled with interrupts still disabled, without leaving guest
 * context bookkeeping: CPUID and VMCALL, the exits a guest makes in a loop
 * and that need nothing of the host. Anything that arrives meanwhile (a
 * kick, a timer) is a pending interrupt, which makes the next VM entry
 * exit at once, to the slow path.
 * Return: the handler's action, or -1 when the exit needs the slow path.
 */
static int vcpu_fastpath(struct vireo_vcpu *vcpu)
{
	switch (vcpu->exit_reason) {
	case EXIT_REASON_CPUID:
		vireo_exit_account(vcpu);
		return vireo_handle_cpuid(vcpu);
	case EXIT_REASON_VMCALL:
		vireo_exit_account(vcpu);
		return vireo_handle_vmcall(vcpu);
	default:
		return -1;
	}
}

/* The inner loop; preemption disabled, vcpu_load() done. */
static int vcpu_enter_loop(struct vireo_vcpu *vcpu)
{
	unsigned long req;
	int r = -1, fail;
	bool fast, note_qs;

	for (;;) {
		local_irq_disable();
		WRITE_ONCE(vcpu->mode, VIREO_IN_GUEST);
		/* Pairs with vireo_vcpu_kick(): see the mode or see the request. */
		smp_mb();
		req = READ_ONCE(vcpu->requests);
		if (need_resched() || signal_pending(current) || (req & OUTER_REQUESTS)) {
			WRITE_ONCE(vcpu->mode, VIREO_OUTSIDE_GUEST);
			local_irq_enable();
			return signal_pending(current) ? -EINTR : VIREO_OUTER;
		}
		if (unlikely(req & BIT(VIREO_REQ_TLB_FLUSH))) {
			clear_bit(VIREO_REQ_TLB_FLUSH, &vcpu->requests);
			vireo_invept(VMX_EPT_EXTENT_CONTEXT, vcpu->vm->mmu.eptp);
		}
		/* Whoever may have made an event deliverable sets REQ_EVENT. */
		if ((req & BIT(VIREO_REQ_EVENT)) || vcpu->event.pending) {
			clear_bit(VIREO_REQ_EVENT, &vcpu->requests);
			vireo_inject_events(vcpu);
		}
		vireo_vmcs_update_host(vcpu);
		if (vireo_host_xsave && vcpu->xcr0 != vireo_host_xcr0)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->xcr0);
		fast = false;
reenter:
		if (native_read_cr2() != vcpu->cr2)
			native_write_cr2(vcpu->cr2);
		trace_vireo_entry(vcpu->vm->id, vcpu->id);

		/* One quiescent state per jiffy is all RCU needs. */
		note_qs = !fast && time_after(jiffies, vcpu->qs_jiffies);
		if (note_qs)
			vcpu->qs_jiffies = jiffies;
		guest_state_enter(note_qs);
		fail = vireo_vmx_enter(vcpu->regs, vcpu->launched);
		guest_state_exit();

		vcpu->cr2 = native_read_cr2();
		if (likely(!fail)) {
			vcpu->launched = true;
			vcpu->stats.entries++;
			vcpu->exit_reason = vmcs_read32(VM_EXIT_REASON);
			r = vcpu_fastpath(vcpu);
			fast = true;
			if (r == VIREO_RESUME && !vcpu->event.pending)
				goto reenter;
		}
		if (vireo_host_xsave && vcpu->xcr0 != vireo_host_xcr0)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, vireo_host_xcr0);
		WRITE_ONCE(vcpu->mode, VIREO_OUTSIDE_GUEST);
		if (unlikely(fail)) {
			local_irq_enable();
			return vcpu_vmfail(vcpu);
		}
		/* A host NMI caused the exit: the host's handler gets it now. */
		if ((vcpu->exit_reason & 0xffff) == EXIT_REASON_EXCEPTION_NMI &&
		    (vmcs_read32(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) ==
		    INTR_TYPE_NMI_INTR)
			asm volatile("int $2");
		if (r < 0)
			vireo_inject_save_idt_vectoring(vcpu);
		local_irq_enable();

		if (r < 0)
			r = vireo_handle_exit(vcpu);
		if (r != VIREO_RESUME)
			return r;
	}
}

/* Can a halted vCPU go on? */
static bool vcpu_can_wake(struct vireo_vcpu *vcpu)
{
	return READ_ONCE(vcpu->nmi_pending) ||
	       (vcpu->halt_if && vireo_has_interrupt(vcpu));
}

/* Handle INIT and SIPI sent by other vCPUs' APICs. */
static void vcpu_process_mp(struct vireo_vcpu *vcpu)
{
	if (test_and_clear_bit(VIREO_REQ_INIT, &vcpu->requests)) {
		preempt_disable();
		vireo_vmcs_load(vcpu);
		vireo_vcpu_reset(vcpu, true);
		preempt_enable();
		WRITE_ONCE(vcpu->mp_state, VIREO_MP_WAIT_SIPI);
	}
	if (READ_ONCE(vcpu->mp_state) == VIREO_MP_WAIT_SIPI &&
	    test_and_clear_bit(VIREO_REQ_SIPI, &vcpu->requests)) {
		preempt_disable();
		vireo_vmcs_load(vcpu);
		vireo_vcpu_sipi(vcpu, READ_ONCE(vcpu->sipi_vector));
		preempt_enable();
		WRITE_ONCE(vcpu->mp_state, VIREO_MP_RUNNABLE);
	}
}

/* Sleep until @cond or the VM is destroyed; a signal ends it too. */
#define vcpu_wait(wait, vm, cond) \
	rcuwait_wait_event(wait, (cond) || READ_ONCE((vm)->destroyed), TASK_INTERRUPTIBLE)

/*
 * Sleep until the vCPU may enter the guest.
 * Return: 1 when it may, VIREO_USER (destroyed), or -EINTR.
 */
static int vcpu_block(struct vireo_vcpu *vcpu)
{
	struct vireo_vm *vm = vcpu->vm;

	for (;;) {
		if (READ_ONCE(vcpu->requests) & BIT(VIREO_REQ_STOP))
			clear_bit(VIREO_REQ_STOP, &vcpu->requests);
		if (READ_ONCE(vm->destroyed))
			return vireo_user_exit(vcpu, VIREO_EXIT_DESTROYED);
		if (READ_ONCE(vcpu->requests) & (BIT(VIREO_REQ_INIT) | BIT(VIREO_REQ_SIPI)))
			vcpu_process_mp(vcpu);
		if (signal_pending(current))
			return -EINTR;
		if (READ_ONCE(vm->paused)) {
			vcpu_wait(&vcpu->wait, vm, !READ_ONCE(vm->paused));
			continue;
		}
		switch (READ_ONCE(vcpu->mp_state)) {
		case VIREO_MP_WAIT_SIPI:
			vcpu_wait(&vcpu->wait, vm, READ_ONCE(vcpu->requests) & OUTER_REQUESTS);
			continue;
		case VIREO_MP_HALTED:
			if (vcpu_can_wake(vcpu)) {
				WRITE_ONCE(vcpu->mp_state, VIREO_MP_RUNNABLE);
				return 1;
			}
			vcpu->stats.halt_sleeps++;
			vcpu_wait(&vcpu->wait, vm, vcpu_can_wake(vcpu) ||
				  (READ_ONCE(vcpu->requests) & OUTER_REQUESTS));
			continue;
		default:
			return 1;
		}
	}
}

/* RIP and IF for the run struct, on the paths that leave outside the loop. */
static void vcpu_fill_run(struct vireo_vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;

	preempt_disable();
	vireo_vmcs_load(vcpu);
	run->rip = vmcs_readl(GUEST_RIP);
	run->if_flag = !!(vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF);
	preempt_enable();
}

/**
 * vireo_vcpu_run() - VIREO_RUN
 * @vcpu: the vCPU, its mutex held.
 *
 * Return: 0 with run->exit_reason set, -EINTR (a signal, or
 * immediate_exit; exit reason VIREO_EXIT_INTR), -EIO (the vCPU stopped
 * with an internal error earlier and cannot run again).
 */
long vireo_vcpu_run(struct vireo_vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;
	int r;

	if (vcpu->dead)
		return -EIO;
	run->exit_reason = VIREO_EXIT_NONE;
	vcpu->exit_reason = 0;
	vcpu->mode_cache = -1;

	if (READ_ONCE(run->immediate_exit)) {
		r = -EINTR;
		if (vcpu->pending != VIREO_PENDING_NONE) {
			preempt_disable();
			vireo_vmcs_load(vcpu);
			r = vireo_complete_user_exit(vcpu);
			preempt_enable();
			r = r == VIREO_USER ? VIREO_USER : -EINTR;
		}
		goto out;
	}

	for (;;) {
		r = vcpu_block(vcpu);
		if (r != 1)
			break;
		if (unlikely(READ_ONCE(vcpu->vm->state) == VIREO_VM_CREATED))
			vireo_vm_running(vcpu->vm);
		preempt_disable();
		vcpu_load(vcpu);
		r = VIREO_RESUME;
		if (vcpu->pending != VIREO_PENDING_NONE)
			r = vireo_complete_user_exit(vcpu);
		if (r == VIREO_RESUME)
			r = vcpu_enter_loop(vcpu);
		vcpu_put(vcpu);
		preempt_enable();
		if (r != VIREO_OUTER)
			break;
		cond_resched();
	}
out:
	if (r == -EINTR)
		vireo_user_exit(vcpu, VIREO_EXIT_INTR);
	/* Exits from inside the loop filled these already. */
	if (r != VIREO_USER || run->exit_reason == VIREO_EXIT_DESTROYED ||
	    run->exit_reason == VIREO_EXIT_INTERNAL_ERROR)
		vcpu_fill_run(vcpu);
	return r == -EINTR ? -EINTR : 0;
}
