/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand-written guest code of cpu_modes_test, copied to guest physical
 * 0x8000 (BLOB) and run there in the mode it was written for; only
 * position-independent references, or ones computed from BLOB.
 *
 * blob16: real mode and 16-bit protected mode. BX is the code's offset in
 * DS: 0 in real mode, where DS = CS; BLOB in protected mode, where DS has
 * base 0. ES points at VGA memory (MMIO) in both. blob32: 32-bit protected mode, flat segments.
 * blob_irq: real mode, an interrupt handler for the IVT; the main code
 * waits in HLT.
 */
	.pushsection .text.blob16, "ax"
	.code16
	.globl blob16_start
blob16_start:
	mov $0x12, %al
	out %al, $0x10
	mov $0x3456, %ax
	out %ax, $0x10
	mov $0x789abcde, %eax
	out %eax, $0x10
	in $0x11, %al
	out %al, $0x12
	in $0x11, %ax
	out %ax, $0x12
	in $0x11, %eax
	out %eax, $0x12
	lea blob16_msg - blob16_start(%bx), %si
	mov $5, %cx
	mov $0x13, %dx
	rep outsb
	sub %bx, %si
	mov %si, %ax
	out %ax, $0x12
	movw $0x1f41, %es:0x10
	movl %es:0x20, %eax
	out %eax, $0x12
	movzbw %es:0x30, %ax
	out %ax, $0x12
	xor %eax, %eax
	vmcall
	out %eax, $0x12
	out %al, $0x1f
	hlt
blob16_msg:
	.ascii "hello"
	.globl blob16_end
blob16_end:
	.code64
	.popsection

	.pushsection .text.blob32, "ax"
	.code32
	.globl blob32_start
blob32_start:
	mov $0x12, %al
	out %al, $0x10
	mov $0x3456, %ax
	out %ax, $0x10
	mov $0x789abcde, %eax
	out %eax, $0x10
	in $0x11, %eax
	out %eax, $0x12
	mov $0x8000 + blob32_msg - blob32_start, %esi
	mov $2, %ecx
	mov $0x13, %dx
	rep outsl
	mov %esi, %eax
	out %eax, $0x12
	movw $0x1f41, 0xb8010
	movl $0xcafef00d, 0xc0000000
	mov 0xc0000010, %eax
	out %eax, $0x12
	movsbl 0xc0000020, %eax
	out %eax, $0x12
	mov $0xc0000040, %edi
	mov $0x11223344, %eax
	mov $3, %ecx
	rep stosl
	xor %eax, %eax
	vmcall
	out %eax, $0x12
	mov $0x1000, %eax
	mov $1, %ebx
	mov $2, %ecx
	mov $3, %edx
	mov $4, %esi
	mov $5, %edi
	vmcall
	out %eax, $0x12
	out %al, $0x1f
	hlt
blob32_msg:
	.ascii "hellowor"
	.globl blob32_end
blob32_end:
	.code64
	.popsection

	.pushsection .text.blob_irq, "ax"
	.code16
	.globl blob_irq_start
blob_irq_start:
	sti
	hlt
	out %al, $0x1f
	hlt
	.globl blob_irq_isr
blob_irq_isr:
	mov $0x30, %al
	out %al, $0x12
	iret
	.globl blob_irq_end
blob_irq_end:
	.code64
	.popsection

	.section .note.GNU-stack, "", @progbits
