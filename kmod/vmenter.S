/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the switch into VMX non-root operation and back.
 *
 * vireo_vmx_enter() loads the guest's general-purpose registers (all but
 * RSP, which the VMCS holds) from @regs, executes VMLAUNCH or VMRESUME,
 * and, when the guest exits, lands at vireo_vmx_exit_point (HOST_RIP) with
 * the stack pointer it had before the entry (HOST_RSP, written here). It
 * then stores the guest's registers back into @regs, scrubs them from the
 * CPU, fills the return stack buffer against guest-poisoned entries, and
 * returns 0. If the VM entry instruction itself fails (VMfail) it returns 1
 * and the VM-instruction error field says why.
 *
 * The register order of @regs is enum vireo_reg (vcpu.h), which is VMX's
 * own numbering of the GPRs; its RSP slot is not used.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* VMCS field encoding of HOST_RSP (asm/vmx.h is C only). */
#define HOST_RSP	0x00006c14

#define REG(n)	((n) * 8)
#define RAX	REG(0)
#define RCX	REG(1)
#define RDX	REG(2)
#define RBX	REG(3)
#define RBP	REG(5)
#define RSI	REG(6)
#define RDI	REG(7)
#define R8	REG(8)
#define R9	REG(9)
#define R10	REG(10)
#define R11	REG(11)
#define R12	REG(12)
#define R13	REG(13)
#define R14	REG(14)
#define R15	REG(15)

.section .noinstr.text, "ax"

/*
 * int vireo_vmx_enter(unsigned long *regs, bool resume)
 *
 * Call with interrupts disabled and this vCPU's VMCS current on this CPU.
 */
SYM_FUNC_START(vireo_vmx_enter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx

	/* @regs stays on the stack: the guest clobbers every register. */
	push %rdi

	/* The exit comes back on this stack, at this depth. */
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	jna .Lvmfail

	/* Remember @resume in the flags: CF = resume. */
	bt $0, %esi

	mov %rdi, %rax
	mov RCX(%rax), %rcx
	mov RDX(%rax), %rdx
	mov RBX(%rax), %rbx
	mov RBP(%rax), %rbp
	mov RSI(%rax), %rsi
	mov RDI(%rax), %rdi
	mov R8(%rax), %r8
	mov R9(%rax), %r9
	mov R10(%rax), %r10
	mov R11(%rax), %r11
	mov R12(%rax), %r12
	mov R13(%rax), %r13
	mov R14(%rax), %r14
	mov R15(%rax), %r15
	mov RAX(%rax), %rax

	/* VERW where the CPU needs it; clobbers ZF, keeps CF. */
	VM_CLEAR_CPU_BUFFERS

	jnc .Lvmlaunch

	/* Control comes back at vireo_vmx_exit_point, not after these. */
	UNWIND_HINT_SAVE
	vmresume
	jmp .Lvmfail_guest_regs
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail_guest_regs

SYM_INNER_LABEL(vireo_vmx_exit_point, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR

	/* The guest's RAX goes to the stack until @regs is back in RAX. */
	push %rax
	mov 8(%rsp), %rax
	pop RAX(%rax)
	mov %rcx, RCX(%rax)
	mov %rdx, RDX(%rax)
	mov %rbx, RBX(%rax)
	mov %rbp, RBP(%rax)
	mov %rsi, RSI(%rax)
	mov %rdi, RDI(%rax)
	mov %r8, R8(%rax)
	mov %r9, R9(%rax)
	mov %r10, R10(%rax)
	mov %r11, R11(%rax)
	mov %r12, R12(%rax)
	mov %r13, R13(%rax)
	mov %r14, R14(%rax)
	mov %r15, R15(%rax)
	xor %ebx, %ebx
	jmp .Lscrub

.Lvmfail_guest_regs:
	/* VMLAUNCH/VMRESUME failed with guest values loaded: drop them. */
	mov $1, %ebx
	jmp .Lscrub

.Lvmfail:
	mov $1, %ebx

.Lscrub:
	/* No guest value may linger in a register, even speculatively. */
	xor %eax, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d

	/* Before the first unbalanced RET: guest-controlled RSB entries out. */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	CLEAR_BRANCH_HISTORY_VMEXIT

	/* Discard @regs. */
	pop %rax
	mov %rbx, %rax
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(vireo_vmx_enter)
