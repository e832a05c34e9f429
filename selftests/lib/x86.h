/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 architecture for the selftests: control register, RFLAGS and MSR
 * numbers, exception vectors, descriptor formats, and inline wrappers of
 * the instructions guest code executes. Everything here is usable from
 * guest code (no libc, no host state).
 */
#ifndef VIREO_SELFTEST_X86_H
#define VIREO_SELFTEST_X86_H

#include "types.h"

#define X86_CR0_PE	BIT(0)
#define X86_CR0_MP	BIT(1)
#define X86_CR0_EM	BIT(2)
#define X86_CR0_TS	BIT(3)
#define X86_CR0_ET	BIT(4)
#define X86_CR0_NE	BIT(5)
#define X86_CR0_WP	BIT(16)
#define X86_CR0_AM	BIT(18)
#define X86_CR0_NW	BIT(29)
#define X86_CR0_CD	BIT(30)
#define X86_CR0_PG	BIT(31)

#define X86_CR4_VME		BIT(0)
#define X86_CR4_PVI		BIT(1)
#define X86_CR4_TSD		BIT(2)
#define X86_CR4_DE		BIT(3)
#define X86_CR4_PSE		BIT(4)
#define X86_CR4_PAE		BIT(5)
#define X86_CR4_MCE		BIT(6)
#define X86_CR4_PGE		BIT(7)
#define X86_CR4_PCE		BIT(8)
#define X86_CR4_OSFXSR		BIT(9)
#define X86_CR4_OSXMMEXCPT	BIT(10)
#define X86_CR4_UMIP		BIT(11)
#define X86_CR4_LA57		BIT(12)
#define X86_CR4_VMXE		BIT(13)
#define X86_CR4_SMXE		BIT(14)
#define X86_CR4_FSGSBASE	BIT(16)
#define X86_CR4_PCIDE		BIT(17)
#define X86_CR4_OSXSAVE		BIT(18)
#define X86_CR4_SMEP		BIT(20)
#define X86_CR4_SMAP		BIT(21)

#define X86_EFLAGS_CF		BIT(0)
#define X86_EFLAGS_FIXED	BIT(1)
#define X86_EFLAGS_ZF		BIT(6)
#define X86_EFLAGS_TF		BIT(8)
#define X86_EFLAGS_IF		BIT(9)
#define X86_EFLAGS_DF		BIT(10)
#define X86_EFLAGS_IOPL		(3UL << 12)
#define X86_EFLAGS_AC		BIT(18)

#define EFER_SCE		BIT(0)
#define EFER_LME		BIT(8)
#define EFER_LMA		BIT(10)
#define EFER_NX			BIT(11)

#define MSR_IA32_TSC			0x00000010
#define MSR_IA32_APICBASE		0x0000001b
#define  MSR_IA32_APICBASE_BSP		BIT(8)
#define  MSR_IA32_APICBASE_ENABLE	BIT(11)
#define  MSR_IA32_APICBASE_BASE		0xfffff000UL
#define MSR_IA32_FEATURE_CONTROL	0x0000003a
#define MSR_IA32_SYSENTER_CS		0x00000174
#define MSR_IA32_SYSENTER_ESP		0x00000175
#define MSR_IA32_SYSENTER_EIP		0x00000176
#define MSR_IA32_MISC_ENABLE		0x000001a0
#define MSR_IA32_CR_PAT			0x00000277
#define MSR_IA32_TSC_DEADLINE		0x000006e0
#define MSR_IA32_VMX_BASIC		0x00000480
#define MSR_EFER			0xc0000080
#define MSR_STAR			0xc0000081
#define MSR_LSTAR			0xc0000082
#define MSR_CSTAR			0xc0000083
#define MSR_SYSCALL_MASK		0xc0000084
#define MSR_FS_BASE			0xc0000100
#define MSR_GS_BASE			0xc0000101
#define MSR_KERNEL_GS_BASE		0xc0000102
#define MSR_TSC_AUX			0xc0000103

#define DE_VECTOR	0
#define DB_VECTOR	1
#define NMI_VECTOR	2
#define BP_VECTOR	3
#define UD_VECTOR	6
#define NM_VECTOR	7
#define DF_VECTOR	8
#define TS_VECTOR	10
#define NP_VECTOR	11
#define SS_VECTOR	12
#define GP_VECTOR	13
#define PF_VECTOR	14
#define MF_VECTOR	16
#define AC_VECTOR	17
#define XM_VECTOR	19

/* CPUID bits the tests look at. */
#define CPUID_1_ECX_VMX		BIT(5)
#define CPUID_1_ECX_X2APIC	BIT(21)
#define CPUID_1_ECX_TSC_DEADLINE BIT(24)
#define CPUID_1_ECX_XSAVE	BIT(26)
#define CPUID_1_ECX_OSXSAVE	BIT(27)
#define CPUID_1_ECX_HYPERVISOR	BIT(31)
#define CPUID_1_EDX_APIC	BIT(9)
#define CPUID_80000001_EDX_RDTSCP BIT(27)

/* XCR0 bits. */
#define XFEATURE_X87		BIT_ULL(0)
#define XFEATURE_SSE		BIT_ULL(1)
#define XFEATURE_AVX		BIT_ULL(2)

/* A 64-bit interrupt gate of the IDT. */
struct idt_gate {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type_attr;	/* P, DPL, 0, type */
	u16 offset1;
	u32 offset2;
	u32 reserved;
};

/* The 64-bit TSS. */
struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

/* sgdt / sidt operand. */
struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* A code or data segment descriptor; base, limit and flags as the CPU wants. */
static inline u64 gdt_entry(u32 base, u32 limit, u16 flags)
{
	return ((u64)(base & 0xff000000) << 32) |
	       ((u64)(base & 0x00ffffff) << 16) |
	       ((u64)(limit & 0x000f0000) << 32) |
	       (limit & 0xffff) | ((u64)flags << 40);
}

/* Descriptor flag words for gdt_entry(): type + S + DPL + P, then AVL L D G. */
#define GDT_CODE64	0xa09b	/* G L, P DPL0 S, code execute/read accessed */
#define GDT_CODE32	0xc09b	/* G D */
#define GDT_CODE16	0x009b
#define GDT_DATA	0xc093	/* G B, data read/write accessed */
#define GDT_DATA16	0x0093
#define GDT_USER_CODE64	0xa0fb
#define GDT_USER_DATA	0xc0f3

/* Instructions, for guest code. */

static inline void outb(u16 port, u8 v)
{
	asm volatile("out %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("out %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("out %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("in %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u16 inw(u16 port)
{
	u16 v;

	asm volatile("in %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("in %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void cpuid_count(u32 fn, u32 idx, u32 *a,
			       u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(fn), "c"(idx) : "memory");
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return lo | ((u64)hi << 32);
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v),
		     "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | ((u64)hi << 32);
}

static inline u64 xgetbv(u32 idx)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return lo | ((u64)hi << 32);
}

#define DEFINE_READ_CR(n)					\
static inline u64 read_cr##n(void)				\
{								\
	u64 v;						\
								\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v) : : "memory");	\
	return v;						\
}

DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
DEFINE_READ_CR(8)

#define DEFINE_WRITE_CR(n)					\
static inline void write_cr##n(u64 v)			\
{								\
	asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}

DEFINE_WRITE_CR(0)
DEFINE_WRITE_CR(3)
DEFINE_WRITE_CR(4)
DEFINE_WRITE_CR(8)

static inline u64 read_rflags(void)
{
	u64 v;

	asm volatile("pushf; pop %0" : "=r"(v));
	return v;
}

static inline void cli(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void sti(void)
{
	asm volatile("sti" : : : "memory");
}

/* STI; HLT: an interrupt can only arrive once the CPU sleeps. */
static inline void safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

static inline void hlt(void)
{
	asm volatile("hlt" : : : "memory");
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline void store_gdt(struct desc_ptr *p)
{
	asm volatile("sgdt %0" : "=m"(*p));
}

static inline u16 store_tr(void)
{
	u16 sel;

	asm volatile("str %0" : "=r"(sel));
	return sel;
}

#endif
