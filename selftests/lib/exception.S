/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest side: the 256 IDT entry stubs and the common exception path.
 *
 * Stub n sits at guest_idt_stubs + 16 * n (the host builds the IDT from
 * that). It pushes a zero error code where the CPU pushes none, then the
 * vector, and joins guest_exception_common, which saves the general
 * registers (struct ex_regs, guest.h) and the FPU/SSE state (FXSAVE),
 * calls guest_exception_dispatch() and returns with IRETQ. FXSAVE with
 * CR0.TS set would raise #NM: TS is cleared around the handler and set
 * again after it (at CPL 3, in native tests of this code, CR0 is left
 * alone).
 */
	.text
	.code64

	.balign 16
	.globl guest_idt_stubs
guest_idt_stubs:
	vec = 0
	.rept 256
	.balign 16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	.byte	0x6a, 0			/* pushq $0 */
	.endif
	.byte	0x68			/* pushq $imm32 */
	.long	vec
	jmp	guest_exception_common
	vec = vec + 1
	.endr

	.balign 16
guest_exception_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	/* 22 quadwords below a 16-byte aligned frame: aligned again. */
	xorl	%eax, %eax
	movl	%cs, %ecx
	testb	$3, %cl
	jnz	1f
	movq	%cr0, %rax
	testb	$8, %al			/* CR0.TS */
	jz	1f
	clts
1:	pushq	%rax			/* CR0 (0 at CPL 3), twice: alignment */
	pushq	%rax
	subq	$512, %rsp
	fxsave64 (%rsp)
	leaq	528(%rsp), %rdi
	cld
	call	guest_exception_dispatch
	fxrstor64 (%rsp)
	addq	$512, %rsp
	popq	%rax
	popq	%rax
	testb	$8, %al
	jz	2f
	movq	%cr0, %rax
	orq	$8, %rax
	movq	%rax, %cr0
2:	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq

/*
 * uint64_t guest_run_user(uint64_t (*fn)(uint64_t), uint64_t arg)
 *
 * Point TSS.RSP0 at the current stack, IRETQ to @fn at CPL 3 with a stack
 * 8 KiB lower whose return address leads to INT USER_RETURN_VECTOR (0x80).
 * The dispatcher turns that interrupt into a return to
 * guest_user_resume, on the RSP0 stack, that is, right here.
 */
	.globl guest_run_user
guest_run_user:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	movq	%rdi, %r12
	movq	%rsi, %r13
	movq	%rsp, %rdi
	call	guest_set_rsp0
	leaq	-8192(%rsp), %rax
	leaq	guest_user_return(%rip), %rcx
	subq	$8, %rax
	movq	%rcx, (%rax)
	pushq	$0x1b			/* USER_DS */
	pushq	%rax
	pushfq
	pushq	$0x23			/* USER_CS */
	pushq	%r12
	movq	%r13, %rdi
	iretq

guest_user_return:
	movq	%rax, %rdi
	int	$0x80
	ud2

	.globl guest_user_resume
guest_user_resume:
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/*
 * The first instruction of every 64-bit vCPU: call the test's guest code
 * (RIP was set to it in R15 by the host, arguments in RDI...R9), and if it
 * ever returns, say so.
 */
	.globl guest_entry
guest_entry:
	call	*%r15
	call	guest_code_returned
	ud2

	.section .note.GNU-stack, "", @progbits
