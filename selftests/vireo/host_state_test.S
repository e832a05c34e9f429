/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * host_state_test's guest SYSCALL handler: count, keep the saved RFLAGS,
 * SYSRET. It runs at CPL 0 on the caller's stack and touches nothing else;
 * LOCK because two vCPUs share the counter.
 */
	.text
	.globl guest_syscall_entry
guest_syscall_entry:
	lock incq syscall_count(%rip)
	movq	%r11, syscall_rflags(%rip)
	sysretq

	.section .note.GNU-stack, "", @progbits
