/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hcguest's first instructions and its CPU plumbing, in the order the CPU
 * meets them:
 *
 *  - a bzImage setup header (boot protocol 2.15, 64-bit entry, loaded
 *    high at 1 MiB), so that `vireoctl run --kernel` boots the test like
 *    any Linux: the loader puts it at 1 MiB, builds the zero page and
 *    enters startup_64 in long mode with %rsi = the zero page;
 *  - startup_64: a stack, a zeroed .bss, then hcg_main() (hcguest.c);
 *  - the interrupt stubs of vectors 0-47 (exceptions, the 8259's IRQs at
 *    0x20-0x2f), which hand a struct frame to isr_handler();
 *  - run_user(): a trip to CPL 3 that makes a list of hypercalls there and
 *    comes back through vector 0x80 (an interrupt gate of DPL 3).
 */
#define INIT_SIZE	0x200000

	.section .setup, "a"
	.org 0x1f1
	.byte 1			/* setup_sects: the setup part is 1 KiB */
	.word 0			/* root_flags */
	.long 0			/* syssize: 0, not checked */
	.word 0			/* ram_size */
	.word 0xffff		/* vid_mode */
	.word 0			/* root_dev */
	.word 0xaa55		/* boot_flag */
	.byte 0xeb, 0x6a	/* jump: the header ends at 0x26c */
	.ascii "HdrS"
	.word 0x020f		/* version */
	.long 0			/* realmode_swtch */
	.word 0			/* start_sys_seg */
	.word 0			/* kernel_version */
	.byte 0			/* type_of_loader */
	.byte 1			/* loadflags: LOADED_HIGH */
	.word 0			/* setup_move_size */
	.long 0x100000		/* code32_start */
	.long 0			/* ramdisk_image */
	.long 0			/* ramdisk_size */
	.long 0			/* bootsect_kludge */
	.word 0			/* heap_end_ptr */
	.byte 0			/* ext_loader_ver */
	.byte 0			/* ext_loader_type */
	.long 0			/* cmd_line_ptr */
	.long 0x7fffffff	/* initrd_addr_max */
	.long 0x200000		/* kernel_alignment */
	.byte 0			/* relocatable_kernel */
	.byte 0			/* min_alignment */
	.word 1			/* xloadflags: XLF_KERNEL_64 */
	.long 2047		/* cmdline_size */
	.long 0			/* hardware_subarch */
	.quad 0			/* hardware_subarch_data */
	.long 0			/* payload_offset */
	.long 0			/* payload_length */
	.quad 0			/* setup_data */
	.quad 0x100000		/* pref_address */
	.long INIT_SIZE		/* init_size */
	.long 0			/* handover_offset */
	.long 0			/* kernel_info_offset */
	.org 0x400

	.section .head, "ax"
	.code64
	.org 0x200		/* the 64-bit entry, 0x200 into the code */
	.globl startup_64
startup_64:
	cli
	cld
	mov %rsi, %r12
	lea __bss_start(%rip), %rdi
	lea _end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	lea stack_top(%rip), %rsp
	mov %r12, %rdi
	call hcg_main
1:	cli
	hlt
	jmp 1b

	.text
/* Vectors with an error code pushed by the CPU get none from the stub. */
.macro isr_noerr vec
	.balign 16
	pushq $0
	pushq $\vec
	jmp isr_common
.endm
.macro isr_err vec
	.balign 16
	pushq $\vec
	jmp isr_common
.endm

	.balign 16
	.globl isr_stubs
isr_stubs:
	isr_noerr 0
	isr_noerr 1
	isr_noerr 2
	isr_noerr 3
	isr_noerr 4
	isr_noerr 5
	isr_noerr 6
	isr_noerr 7
	isr_err 8
	isr_noerr 9
	isr_err 10
	isr_err 11
	isr_err 12
	isr_err 13
	isr_err 14
	isr_noerr 15
	isr_noerr 16
	isr_err 17
	isr_noerr 18
	isr_noerr 19
	isr_noerr 20
	isr_err 21
	isr_noerr 22
	isr_noerr 23
	isr_noerr 24
	isr_noerr 25
	isr_noerr 26
	isr_noerr 27
	isr_noerr 28
	isr_err 29
	isr_err 30
	isr_noerr 31
	.irp vec, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47
	isr_noerr \vec
	.endr

/* struct frame: r11 ... rax, vec, err, then the CPU's rip, cs, rflags, rsp, ss. */
isr_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov %rsp, %rdi
	cld
	call isr_handler
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq

/*
 * run_user(calls, n): at CPL 3 with interrupts off, for each struct
 * user_call {nr, a0, a1, ret} make the hypercall and store RAX; then
 * int $0x80 back here. n >= 1.
 */
	.globl run_user
run_user:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, saved_rsp(%rip)
	pushq $0x1b			/* ss: user data, RPL 3 */
	lea user_stack_top(%rip), %rax
	push %rax			/* rsp */
	pushq $0x2			/* rflags: IF clear */
	pushq $0x23			/* cs: user code, RPL 3 */
	lea user_code(%rip), %rax
	push %rax			/* rip */
	iretq
user_code:
	mov (%rdi), %rax
	mov 8(%rdi), %rbx
	mov 16(%rdi), %rcx
	vmcall
	mov %rax, 24(%rdi)
	add $32, %rdi
	dec %rsi
	jnz user_code
	int $0x80

/* Vector 0x80: back at CPL 0, on the TSS's stack; drop the frame. */
	.globl user_return_stub
user_return_stub:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov saved_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

/* Loads the GDT (code 0x08, data 0x10), the TSS (0x28) and the IDT. */
	.globl cpu_load
cpu_load:
	lgdt (%rdi)
	lea 1f(%rip), %rax
	pushq $0x08
	push %rax
	lretq
1:	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $0x28, %eax
	ltr %ax
	lidt (%rsi)
	ret

	.bss
	.balign 16
saved_rsp:
	.quad 0
	.balign 4096
	.space 16384
	.globl stack_top
stack_top:
	.space 4096
user_stack_top:
	.space 8192
	.globl tss_stack_top
tss_stack_top:
	.section .note.GNU-stack, "", @progbits
