/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fpu_test's register-level code: no compiled code may run between
 * loading the registers and checking them.
 *
 * Guest side: load XMM0-15 (or YMM0-15) from @in and an x87 stack (1, pi,
 * log2(10)), execute OUT to @port @n times, store them to @out (x87 after
 * the 512 bytes of vector registers, as three 10-byte values).
 *   void sse_exits(const void *in, void *out, u32 n, u16 port)
 *   void avx_exits(const void *in, void *out, u32 n, u16 port)
 *
 * Host side: the ioctl(@fd, @cmd, 0) system call with XMM0-15 (YMM0-15)
 * loaded from @in, stored to @out afterwards; returns the system call's.
 *   long sse_ioctl(long fd, long cmd, const void *in, void *out)
 *   long avx_ioctl(long fd, long cmd, const void *in, void *out)
 */
	.text

	.macro load_all op, reg, base
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	\op	\n * 32(\base), %\reg\n
	.endr
	.endm

	.macro store_all op, reg, base
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	\op	%\reg\n, \n * 32(\base)
	.endr
	.endm

	.macro exits load, store, reg
	movl	%edx, %r8d
	movl	%ecx, %edx
	fninit
	fld1
	fldpi
	fldl2t
	load_all \load, \reg, %rdi
1:	outb	%al, %dx
	decl	%r8d
	jnz	1b
	store_all \store, \reg, %rsi
	fstpt	512(%rsi)
	fstpt	522(%rsi)
	fstpt	532(%rsi)
	.endm

	.globl sse_exits
sse_exits:
	exits movdqa, movdqa, xmm
	ret

	.globl avx_exits
avx_exits:
	exits vmovdqa, vmovdqa, ymm
	vzeroupper
	ret

	.macro holding load, store, reg
	movq	%rdx, %r9
	movq	%rcx, %r8
	load_all \load, \reg, %r9
	movl	$16, %eax		/* SYS_ioctl */
	xorl	%edx, %edx
	syscall
	store_all \store, \reg, %r8
	.endm

	.globl sse_ioctl
sse_ioctl:
	holding movdqa, movdqa, xmm
	ret

	.globl avx_ioctl
avx_ioctl:
	holding vmovdqa, vmovdqa, ymm
	vzeroupper
	ret

	.section .note.GNU-stack, "", @progbits
