// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: events into the guest.
 *
 * Before every VM entry, vireo_inject_events() picks at most one event for
 * the VM-entry interruption-information field, in this order:
 *   1. an exception raised by emulation (#GP, #UD, #PF) or an event whose
 *      delivery an exit interrupted (IDT-vectoring information), which
 *      must be delivered again first;
 *   2. an NMI (VIREO_NMI, or an NMI IPI), unless NMIs are blocked: then
 *      NMI-window exiting brings vireo back when they are not;
 *   3. an external interrupt: first the 8259 vectors queued by
 *      VIREO_INTERRUPT (virtual wire: they bypass the local APIC's IRR and
 *      ISR), then the local APIC's highest deliverable vector, which
 *      moves to its ISR. Only when RFLAGS.IF is set and no STI or MOV SS
 *      shadow is active; otherwise interrupt-window exiting.
 *
 * VIREO_INTERRUPT and VIREO_NMI may come from any thread: they only set a
 * bit and kick the vCPU (vireo_vcpu_request()).
 */
#include <linux/bitops.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "inject.h"
#include "lapic.h"
#include "vcpu.h"
#include "vmx_ops.h"

/**
 * vireo_window_exiting() - turn interrupt- or NMI-window exiting on or off
 * @vcpu: the vCPU, its VMCS current.
 * @bits: CPU_BASED_INTR_WINDOW_EXITING and/or CPU_BASED_NMI_WINDOW_EXITING.
 * @on: set rather than clear.
 */
void vireo_window_exiting(struct vireo_vcpu *vcpu, u32 bits, bool on)
{
	u32 ctl = on ? vcpu->proc_ctl | bits : vcpu->proc_ctl & ~bits;

	if (ctl != vcpu->proc_ctl) {
		vcpu->proc_ctl = ctl;
		vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, ctl);
	}
}

/**
 * vireo_has_interrupt() - is an external interrupt waiting for the guest?
 * @vcpu: the vCPU.
 *
 * Return: true when an 8259 vector is queued or the APIC has one to deliver.
 */
bool vireo_has_interrupt(struct vireo_vcpu *vcpu)
{
	return !bitmap_empty(vcpu->extint, 256) || vireo_lapic_has_event(vcpu);
}

static void inject(u8 vector, u32 type, bool has_error, u32 error, u8 insn_len)
{
	u32 info = vector | type | INTR_INFO_VALID_MASK;

	if (has_error) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, insn_len);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);
}

/* The next external interrupt vector, taken from its source, or -1. */
static int take_interrupt(struct vireo_vcpu *vcpu)
{
	int v;

	for (;;) {
		v = find_last_bit(vcpu->extint, 256);
		if (v >= 256)
			break;
		if (test_and_clear_bit(v, vcpu->extint))
			return v;
	}
	v = vireo_lapic_pending(vcpu);
	if (v >= 0)
		vireo_lapic_accept(vcpu, v);
	return v;
}

/**
 * vireo_inject_events() - choose the event for this VM entry
 * @vcpu: the vCPU, its VMCS current, interrupts disabled.
 */
void vireo_inject_events(struct vireo_vcpu *vcpu)
{
	struct vireo_event *ev = &vcpu->event;
	bool nmi = READ_ONCE(vcpu->nmi_pending);
	bool irq = vireo_has_interrupt(vcpu);
	u32 intr;
	int v;

	if (ev->pending) {
		inject(ev->vector, (u32)ev->type << 8, ev->has_error, ev->error, ev->insn_len);
		ev->pending = false;
		/* Anything else waits for the next exit; make sure there is one. */
		if (nmi)
			vireo_window_exiting(vcpu, CPU_BASED_NMI_WINDOW_EXITING, true);
		if (irq)
			vireo_window_exiting(vcpu, CPU_BASED_INTR_WINDOW_EXITING, true);
		return;
	}
	if (!nmi && !irq)
		return;

	intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (nmi) {
		if (intr & (GUEST_INTR_STATE_NMI | GUEST_INTR_STATE_STI |
			    GUEST_INTR_STATE_MOV_SS)) {
			vireo_window_exiting(vcpu, CPU_BASED_NMI_WINDOW_EXITING, true);
		} else {
			WRITE_ONCE(vcpu->nmi_pending, false);
			inject(NMI_VECTOR, INTR_TYPE_NMI_INTR, false, 0, 0);
			vcpu->stats.injected_nmis++;
			if (irq)
				vireo_window_exiting(vcpu, CPU_BASED_INTR_WINDOW_EXITING, true);
			return;
		}
	}
	if (!irq)
		return;
	if (!(vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF) ||
	    (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))) {
		vireo_window_exiting(vcpu, CPU_BASED_INTR_WINDOW_EXITING, true);
		return;
	}
	v = take_interrupt(vcpu);
	if (v < 0)
		return;
	inject(v, INTR_TYPE_EXT_INTR, false, 0, 0);
	vcpu->stats.injected_irqs++;
	/* More waiting: come back as soon as the guest can take it. */
	if (vireo_has_interrupt(vcpu))
		vireo_window_exiting(vcpu, CPU_BASED_INTR_WINDOW_EXITING, true);
}

/**
 * vireo_inject_save_idt_vectoring() - keep an event the exit interrupted
 * @vcpu: the vCPU, its VMCS current, right after a VM exit.
 *
 * An exit during event delivery (an EPT violation on the guest's stack, an
 * external interrupt) leaves the event undelivered; it goes in again first.
 */
void vireo_inject_save_idt_vectoring(struct vireo_vcpu *vcpu)
{
	u32 info = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	struct vireo_event *ev = &vcpu->event;
	u32 type;

	if (!(info & VECTORING_INFO_VALID_MASK))
		return;
	type = info & VECTORING_INFO_TYPE_MASK;
	ev->pending = true;
	ev->vector = info & VECTORING_INFO_VECTOR_MASK;
	ev->type = type >> 8;
	ev->has_error = info & VECTORING_INFO_DELIVER_CODE_MASK;
	ev->error = ev->has_error ? vmcs_read32(IDT_VECTORING_ERROR_CODE) : 0;
	ev->insn_len = 0;
	if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXCEPTION)
		ev->insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	/* The NMI goes in again: it is no longer blocked meanwhile. */
	if (type == INTR_TYPE_NMI_INTR)
		vmcs_clear_bits32(GUEST_INTERRUPTIBILITY_INFO, GUEST_INTR_STATE_NMI);
}

/**
 * vireo_inject_exception() - raise a hardware exception in the guest
 * @vcpu: the vCPU.
 * @vector: the exception.
 * @has_error: it pushes an error code.
 * @error: the error code.
 *
 * Delivered at the next VM entry.
 */
void vireo_inject_exception(struct vireo_vcpu *vcpu, u8 vector, bool has_error,
			    u32 error)
{
	struct vireo_event *ev = &vcpu->event;

	ev->pending = true;
	ev->vector = vector;
	ev->type = INTR_TYPE_HARD_EXCEPTION >> 8;
	ev->has_error = has_error;
	ev->error = error;
	ev->insn_len = 0;
}

/**
 * vireo_inject_gp() - #GP(0) in the guest
 * @vcpu: the vCPU.
 */
void vireo_inject_gp(struct vireo_vcpu *vcpu)
{
	vireo_inject_exception(vcpu, X86_TRAP_GP, true, 0);
}

/**
 * vireo_inject_ud() - #UD in the guest
 * @vcpu: the vCPU.
 */
void vireo_inject_ud(struct vireo_vcpu *vcpu)
{
	vireo_inject_exception(vcpu, X86_TRAP_UD, false, 0);
}

/**
 * vireo_inject_pf() - #PF in the guest
 * @vcpu: the vCPU.
 * @address: the faulting linear address, for CR2.
 * @error: the page-fault error code.
 */
void vireo_inject_pf(struct vireo_vcpu *vcpu, u64 address, u32 error)
{
	vcpu->cr2 = address;
	vireo_inject_exception(vcpu, X86_TRAP_PF, true, error);
}

/**
 * vireo_interrupt_ioctl() - VIREO_INTERRUPT: queue an 8259 vector
 * @vcpu: the vCPU; any thread may call this.
 * @arg: the caller's struct vireo_interrupt.
 *
 * Return: 0, -EFAULT, or -EINVAL (flags not zero, vector above 255).
 */
long vireo_interrupt_ioctl(struct vireo_vcpu *vcpu, struct vireo_interrupt __user *arg)
{
	struct vireo_interrupt irq;

	if (copy_from_user(&irq, arg, sizeof(irq)))
		return -EFAULT;
	if (irq.flags || irq.vector > 255)
		return -EINVAL;
	set_bit(irq.vector, vcpu->extint);
	vireo_vcpu_request(vcpu, VIREO_REQ_EVENT);
	return 0;
}

/**
 * vireo_nmi_ioctl() - VIREO_NMI: queue an NMI
 * @vcpu: the vCPU; any thread may call this.
 *
 * Return: 0.
 */
long vireo_nmi_ioctl(struct vireo_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->nmi_pending, true);
	vireo_vcpu_request(vcpu, VIREO_REQ_EVENT);
	return 0;
}
