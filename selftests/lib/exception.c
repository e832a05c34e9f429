// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest side: the exception dispatcher behind exception.S, and the CPL 3
 * helpers of guest_run_user().
 *
 * Dispatch order: an ASM_SAFE() instruction that faulted resumes at its
 * fixup; the CPL 3 return interrupt resumes guest_run_user()'s caller; a
 * handler installed for the vector runs; anything else is reported to the
 * host as UCALL_UNHANDLED.
 */
#include "types.h"

#include "guest.h"
#include "processor.h"
#include "ucall.h"

guest_handler_t guest_handlers[256];

void guest_exception_dispatch(struct ex_regs *regs)
{
	guest_handler_t h;

	/* A fault at the instruction, or a trap (INT3) just after it. */
	if (regs->r9 == GUEST_FAULT_MAGIC && regs->rip >= regs->r10 &&
	    regs->rip < regs->r11) {
		regs->rip = regs->r11;
		regs->r9 = GUEST_FAULT(regs->vector);
		regs->r10 = regs->error_code;
		return;
	}
	if (regs->vector == USER_RETURN_VECTOR && (regs->cs & 3) == 3) {
		regs->rax = regs->rdi;
		regs->rip = (u64)guest_user_resume;
		regs->cs = KERNEL_CS;
		regs->ss = KERNEL_DS;
		regs->rsp = (u64)(&regs->ss + 1);
		return;
	}
	h = guest_handlers[regs->vector & 0xff];
	if (h) {
		h(regs);
		return;
	}
	ucall(UCALL_UNHANDLED, 4, regs->vector, regs->error_code, regs->rip,
	      regs->cs);
	for (;;)
		ucall(UCALL_ABORT, 0);
}

/* TSS.RSP0 of this vCPU: the TSS the task register points at. */
void guest_set_rsp0(u64 rsp)
{
	struct desc_ptr gdtr;
	u64 *gdt, lo, hi, base;
	struct tss64 *tss;

	store_gdt(&gdtr);
	gdt = (u64 *)gdtr.base;
	lo = gdt[store_tr() >> 3];
	hi = gdt[(store_tr() >> 3) + 1];
	base = ((lo >> 16) & 0xffffff) | ((lo >> 32) & 0xff000000) | (hi << 32);
	tss = (struct tss64 *)base;
	tss->rsp[0] = rsp;
}

void guest_code_returned(void)
{
	GUEST_FAIL("the guest function returned without GUEST_DONE()");
}
