/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A real-mode boot trampoline into the library's 64-bit environment, as a
 * bootloader or an AP started by INIT/SIPI runs it: LGDT, CR0.PE, far jump
 * to 32-bit code, CR4.PAE, CR3, EFER.LME, CR0.PG, far jump to 64-bit code,
 * then, by the APIC id from CPUID, its stack and TSS, and guest_entry with
 * the test's function in R15 and the APIC id in RDI.
 *
 * It is copied below 1 MiB (vm_install_boot(), processor.c) and entered
 * at its first byte with CS base = its address. The host patches the
 * quantities at the end; code addresses inside it are computed from its
 * own address, so it runs wherever it is copied.
 */
	.text
	.code16
	.globl boot16_start
boot16_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	boot_gdtr - boot16_start
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	*(boot_far32 - boot16_start)

	.code32
boot32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	/* The trampoline's own address, patched in by the host. */
	movl	$0, %ebx
	.globl boot_base_imm
boot_base_imm = . - 4
	movl	$0x620, %eax		/* PAE, OSFXSR, OSXMMEXCPT */
	movl	%eax, %cr4
	movl	boot_cr3 - boot16_start(%ebx), %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$0x80010022, %eax	/* PG, WP, NE, MP */
	movl	%eax, %cr0
	ljmpl	*(boot_far64 - boot16_start)(%ebx)

	.code64
boot64:
	movl	%ebx, %r12d
	lidt	boot_idtr - boot16_start(%r12)
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	movl	%ebx, %edi		/* the APIC id, the vCPU id */
	leal	1(%rdi), %eax
	imulq	boot_stack_size - boot16_start(%r12), %rax
	movq	boot_stacks - boot16_start(%r12), %rsp
	addq	%rax, %rsp
	movl	%edi, %eax
	shll	$4, %eax
	addl	$0x40, %eax		/* TSS_SEL(id) */
	ltr	%ax
	movq	boot_entry - boot16_start(%r12), %r15
	movabsq	$guest_entry, %rax
	jmp	*%rax

	.balign 8
	.globl boot_gdtr, boot_idtr, boot_cr3, boot_stacks, boot_entry
	.globl boot_stack_size
	.globl boot_far32, boot_far64
boot_gdtr:
	.word	0
	.long	0
	.word	0
boot_idtr:
	.word	0
	.quad	0
	.word	0, 0, 0
boot_cr3:
	.long	0, 0
boot_stacks:
	.quad	0
boot_entry:
	.quad	0
boot_stack_size:
	.quad	0
boot_far32:
	.long	boot32 - boot16_start	/* plus the base, by the host */
	.word	0x28			/* KERNEL_CS32 */
	.word	0
boot_far64:
	.long	boot64 - boot16_start
	.word	0x08			/* KERNEL_CS */
	.word	0
	.globl boot16_end
boot16_end:

	.section .note.GNU-stack, "", @progbits
