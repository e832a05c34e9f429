/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What guest code (ordinary C functions of a test, run inside the VM in
 * 64-bit mode by vm_vcpu_add()) can use besides ucall.h and x86.h:
 * exception handlers, instructions that may fault, and CPL 3.
 *
 * An exception with no handler ends the test with a UCALL_UNHANDLED that
 * names the vector, error code and RIP. guest_set_handler() installs one
 * for the whole VM (the table is guest memory: vm_set_guest_handler() sets
 * it from the host). Handlers get the interrupted registers and may change
 * them, RIP included; the FPU/SSE state is saved around them.
 *
 * The *_safe() helpers run one instruction and return 0, or
 * GUEST_FAULT(vector) if it raised an exception (which is then skipped).
 */
#ifndef VIREO_SELFTEST_GUEST_H
#define VIREO_SELFTEST_GUEST_H

#include "types.h"

#include "x86.h"

struct ex_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

typedef void (*guest_handler_t)(struct ex_regs *regs);

extern guest_handler_t guest_handlers[256];

/* Internals of exception.S and exception.c, named for the library. */
extern const char guest_idt_stubs[];
extern const char guest_entry[];
extern const char guest_user_resume[];
void guest_exception_dispatch(struct ex_regs *regs);
void guest_set_rsp0(u64 rsp);
void guest_code_returned(void);

static inline void guest_set_handler(int vector, guest_handler_t h)
{
	guest_handlers[vector] = h;
	asm volatile("" : : : "memory");
}

/*
 * Fault recovery: ASM_SAFE() marks one instruction. If it faults (or
 * traps), the exception dispatcher sees the magic in R9 and a RIP between
 * R10 (the instruction) and R11 (the fixup), resumes at R11 and leaves
 * GUEST_FAULT(vector) in R9 and the error code in R10.
 */
#define GUEST_FAULT_MAGIC	0x5afe5afe5afeULL
#define GUEST_FAULT(vec)	(0x100 | (vec))
#define ASM_SAFE(insn)							\
	"movabs $" __stringify(GUEST_FAULT_MAGIC) ", %%r9\n\t"		\
	"lea 1f(%%rip), %%r10\n\t"					\
	"lea 2f(%%rip), %%r11\n\t"					\
	"1: " insn "\n\t"						\
	"xor %%r9d, %%r9d\n\t"						\
	"2:\n\t"
#define ASM_SAFE_CLOBBERS	"r9", "r10", "r11", "memory"

#ifndef __stringify
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#endif

static inline u64 rdmsr_safe(u32 msr, u64 *val)
{
	u32 lo = 0, hi = 0;
	u64 fault;

	asm volatile(ASM_SAFE("rdmsr") "mov %%r9, %[f]"
		     : [f] "=rm"(fault), "+a"(lo), "+d"(hi)
		     : "c"(msr) : ASM_SAFE_CLOBBERS);
	*val = lo | ((u64)hi << 32);
	return fault;
}

static inline u64 wrmsr_safe(u32 msr, u64 val)
{
	u64 fault;

	asm volatile(ASM_SAFE("wrmsr") "mov %%r9, %[f]"
		     : [f] "=rm"(fault)
		     : "c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
		     : ASM_SAFE_CLOBBERS);
	return fault;
}

static inline u64 xsetbv_safe(u32 idx, u64 val)
{
	u64 fault;

	asm volatile(ASM_SAFE("xsetbv") "mov %%r9, %[f]"
		     : [f] "=rm"(fault)
		     : "c"(idx), "a"((u32)val), "d"((u32)(val >> 32))
		     : ASM_SAFE_CLOBBERS);
	return fault;
}

#define DEFINE_WRITE_CR_SAFE(n)						\
static inline u64 write_cr##n##_safe(u64 v)			\
{									\
	u64 fault;							\
									\
	asm volatile(ASM_SAFE("mov %[v], %%cr" #n) "mov %%r9, %[f]"	\
		     : [f] "=rm"(fault) : [v] "r"(v) : ASM_SAFE_CLOBBERS); \
	return fault;							\
}

DEFINE_WRITE_CR_SAFE(0)
DEFINE_WRITE_CR_SAFE(3)
DEFINE_WRITE_CR_SAFE(4)
DEFINE_WRITE_CR_SAFE(8)

/*
 * Run any instruction string safely; it may not use R9-R11. Operands are
 * the inputs given, by name (%[name]).
 */
#define asm_safe(insn, ...) ({						\
	u64 __fault;							\
	asm volatile(ASM_SAFE(insn) "mov %%r9, %[f]"			\
		     : [f] "=rm"(__fault) : __VA_ARGS__ : ASM_SAFE_CLOBBERS); \
	__fault;							\
})

/* The same for instructions that may write RAX and RDX (RDMSR, IN...). */
#define asm_safe_ad(insn, ...) ({					\
	u64 __fault, __rax, __rdx;					\
	asm volatile(ASM_SAFE(insn) "mov %%r9, %[f]"			\
		     : [f] "=rm"(__fault), "=a"(__rax), "=d"(__rdx)	\
		     : __VA_ARGS__ : ASM_SAFE_CLOBBERS);		\
	(void)__rax;							\
	(void)__rdx;							\
	__fault;							\
})

/*
 * Run @fn(@arg) at CPL 3 (flat 64-bit user segments, all memory user
 * accessible) on a stack below the current one, and return what it
 * returns. Exceptions at CPL 3 go through the normal handlers.
 */
u64 guest_run_user(u64 (*fn)(u64), u64 arg);

/* The vCPU id, from the initial APIC id of CPUID leaf 1. */
static inline unsigned int guest_vcpu_id(void)
{
	u32 a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

/* vireo's hypercall: VMCALL with RAX = nr, arguments in RBX, RCX, RDX, RSI, RDI. */
static inline s64 vmcall5(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3,
			  u64 a4)
{
	s64 ret;

	asm volatile("vmcall" : "=a"(ret)
		     : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
		     : "memory");
	return ret;
}

static inline s64 vmcall(u64 nr, u64 a0, u64 a1)
{
	return vmcall5(nr, a0, a1, 0, 0, 0);
}

#endif
