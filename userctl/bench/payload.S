/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: the micro-benchmark guest, 16-bit real-mode code.
 *
 * The host copies the bytes between bench_payload and bench_payload_end
 * to BENCH_CODE_GPA and starts them at CS = BENCH_CODE_SEG, IP = 0, on
 * vireo and on KVM alike (payload.h has the layout and the protocol).
 * The code is position independent within its segment: every address it
 * uses is either a constant of payload.h or a label difference.
 *
 * Each timed operation runs BENCH_P_ITER windows of
 *
 *	rdtsc; mov %eax, %esi; xor %eax, %eax; <op>; rdtsc
 *
 * and stores each window's length. With <op> a NOP the window is the
 * empty window, which the host subtracts from the others: what remains
 * is the round trip of the operation (exit, handling, entry).
 *
 * The HLT test arms the mailbox, reads the TSC, and halts with interrupts
 * enabled; a host thread injects BENCH_VECTOR once the vCPU sleeps, and
 * the handler's first instruction reads the TSC again.
 *
 * Registers: BP counts iterations, DI indexes the samples, ES holds the
 * sample segment, FS the MMIO segment, GS the handler's sample segment,
 * EBX the HLT iteration number. CPUID clobbers EBX, ECX and EDX, VMCALL
 * at most EAX; the loops keep nothing live in those across the operation.
 */
#include "payload.h"

	.section .note.GNU-stack, "", @progbits
	.section .rodata, "a"
	.globl bench_payload, bench_payload_end
	.code16

/* Write a value to the control port; clobbers EAX and DX. */
.macro ctl value
	mov	$(\value), %eax
	mov	$BENCH_PORT_CTL, %dx
	out	%eax, %dx
.endm

/* One timed operation: START, the windows, DONE. */
.macro timed op, insn:vararg
	ctl	BENCH_CTL_START + \op
	xor	%di, %di
	mov	(BENCH_P_ITER), %bp
1:	xor	%ecx, %ecx
	rdtsc
	mov	%eax, %esi
	xor	%eax, %eax
	\insn
	rdtsc
	sub	%esi, %eax
	mov	%eax, %es:(%di)
	add	$4, %di
	dec	%bp
	jnz	1b
	ctl	BENCH_CTL_DONE + \op
.endm

bench_payload:
	cli
	cld
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$BENCH_STACK_TOP, %sp
	mov	$BENCH_WINDOW_SEG, %ax
	mov	%ax, %es
	mov	$BENCH_MMIO_SEG, %ax
	mov	%ax, %fs
	cmpl	$BENCH_MAGIC, (BENCH_P_MAGIC)
	je	1f
	ctl	BENCH_CTL_BAD_MAGIC
	jmp	stop
1:
	timed	BENCH_OP_EMPTY, nop
	/* EAX = 0: vireo's VIREO_HC_NOP, a number KVM does not know. */
	timed	BENCH_OP_VMCALL, vmcall
	timed	BENCH_OP_CPUID, cpuid
	timed	BENCH_OP_PIO, out %al, $BENCH_PORT_OP
	timed	BENCH_OP_MMIO, movb %al, %fs:0

	/* HLT wake-up: the vector's handler, then the 8259 (ICW1-4, OCW1). */
	movw	$(irq_handler - bench_payload), (BENCH_VECTOR * 4)
	movw	$BENCH_CODE_SEG, (BENCH_VECTOR * 4 + 2)
	mov	$0x11, %al
	out	%al, $0x20
	mov	$BENCH_PIC_BASE, %al
	out	%al, $0x21
	mov	$0x04, %al
	out	%al, $0x21
	mov	$0x01, %al
	out	%al, $0x21
	mov	$(0xff & ~(1 << BENCH_IRQ)), %al
	out	%al, $0x21

	mov	$BENCH_T_HLT_SEG, %ax
	mov	%ax, %es
	mov	$BENCH_T_IRQ_SEG, %ax
	mov	%ax, %gs
	xor	%ebx, %ebx
	mov	%ebx, (BENCH_P_ARMED)
	mov	%ebx, (BENCH_P_HANDLED)
	ctl	BENCH_CTL_START + BENCH_OP_HLT
	xor	%di, %di
	mov	(BENCH_P_ITER), %bp
2:	inc	%ebx
	mov	%ebx, (BENCH_P_ARMED)
	rdtsc
	mov	%eax, %es:(%di)
	mov	%edx, %es:4(%di)
	/* STI's shadow covers HLT: the interrupt can only end the HLT. */
3:	sti
	hlt
	cli
	cmp	%ebx, (BENCH_P_HANDLED)
	jne	3b
	add	$8, %di
	dec	%bp
	jnz	2b
	ctl	BENCH_CTL_DONE + BENCH_OP_HLT
	ctl	BENCH_CTL_END
stop:
	cli
	hlt
	jmp	stop

/*
 * BENCH_VECTOR's handler. Interrupts are enabled only across the HLT
 * above, where EAX and EDX are dead, so the handler may clobber them; its
 * first instruction reads the TSC.
 */
irq_handler:
	rdtsc
	mov	%eax, %gs:(%di)
	mov	%edx, %gs:4(%di)
	mov	%ebx, (BENCH_P_HANDLED)
	mov	$0x20, %al
	out	%al, $0x20
	iret
bench_payload_end:
	.code64
