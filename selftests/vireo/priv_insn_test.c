// SPDX-License-Identifier: GPL-2.0-only
/*
 * The privileged and sensitive instructions vireo intercepts or must get
 * right, executed by 64-bit guest code: RDMSR/WRMSR of the MSRs vireo
 * emulates (and #GP for bad values), MOV to and from CR0, CR3, CR4 and
 * CR8, CLTS and LMSW, XSETBV/XGETBV, INVLPG, MOV DR and a hardware
 * breakpoint, RDTSC/RDTSCP against the host's TSC, the VMX instructions
 * (#UD: the guest has no VMX), and the instructions that fault at CPL 3.
 * CPUID is in cpuid_test, HLT in interrupt_test, VMCALL in hypercall_test.
 */
#include <sched.h>
#include <string.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define GP	GUEST_FAULT(GP_VECTOR)
#define UD	GUEST_FAULT(UD_VECTOR)

/* Every guest here runs alone and ends with GUEST_DONE(). */
static void run_guest(void *guest_code)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_code);

	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void msr_roundtrip(u32 msr, u64 v)
{
	u64 old = rdmsr(msr);

	wrmsr(msr, v);
	GUEST_ASSERT_EQ(rdmsr(msr), v);
	wrmsr(msr, old);
}

static void guest_msrs(void)
{
	u64 v;

	msr_roundtrip(MSR_IA32_SYSENTER_CS, 0x10);
	msr_roundtrip(MSR_IA32_SYSENTER_ESP, 0xffff888012345678ULL);
	msr_roundtrip(MSR_IA32_SYSENTER_EIP, 0xffffffff81001000ULL);
	msr_roundtrip(MSR_STAR, 0x0023001000000000ULL);
	msr_roundtrip(MSR_LSTAR, 0xffffffff81234560ULL);
	msr_roundtrip(MSR_CSTAR, 0xffffffff81234570ULL);
	msr_roundtrip(MSR_SYSCALL_MASK, 0x47700);
	msr_roundtrip(MSR_KERNEL_GS_BASE, 0xffff888000001000ULL);
	msr_roundtrip(MSR_FS_BASE, 0x7f0000001000ULL);
	msr_roundtrip(MSR_GS_BASE, 0xffff888000002000ULL);
	msr_roundtrip(MSR_IA32_CR_PAT, 0x0007010600070106ULL);
	/* PAT type 2 and 3 are reserved. */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_IA32_CR_PAT, 0x0007040600070402ULL),
			GP);
	/* Non-canonical addresses. */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_LSTAR, 0x0000800000000000ULL), GP);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_KERNEL_GS_BASE, 0x8000000000000000ULL),
			GP);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_FS_BASE, 0x0001000000000000ULL), GP);
	/* EFER: as the library set it; SCE writable; reserved bits #GP. */
	v = rdmsr(MSR_EFER);
	GUEST_ASSERT_EQ(v & (EFER_LME | EFER_LMA), EFER_LME | EFER_LMA);
	wrmsr(MSR_EFER, v | EFER_SCE);
	GUEST_ASSERT(rdmsr(MSR_EFER) & EFER_SCE);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_EFER, v | BIT(1)), GP);
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_EFER, v | BIT(63)), GP);
	/* Leaving long mode with paging on: #GP. */
	GUEST_ASSERT_EQ(wrmsr_safe(MSR_EFER, v & ~EFER_LME), GP);
	GUEST_ASSERT_EQ(rdmsr(MSR_IA32_APICBASE),
			0xfee00000 | MSR_IA32_APICBASE_ENABLE |
			MSR_IA32_APICBASE_BSP);
	GUEST_DONE();
}

static void test_msrs(void)
{
	run_guest(guest_msrs);
}

static void guest_cr0(void)
{
	u64 cr0 = read_cr0();

	GUEST_ASSERT_EQ(cr0, X86_CR0_PE | X86_CR0_MP | X86_CR0_ET |
			X86_CR0_NE | X86_CR0_WP | X86_CR0_PG);
	write_cr0(cr0 & ~X86_CR0_WP);
	GUEST_ASSERT_EQ(read_cr0(), cr0 & ~X86_CR0_WP);
	write_cr0(cr0 | X86_CR0_CD);
	GUEST_ASSERT_EQ(read_cr0(), cr0 | X86_CR0_CD);
	write_cr0(cr0 | X86_CR0_AM);
	GUEST_ASSERT_EQ(read_cr0(), cr0 | X86_CR0_AM);
	write_cr0(cr0);
	GUEST_ASSERT_EQ(write_cr0_safe(cr0 & ~X86_CR0_PG), GP);
	GUEST_ASSERT_EQ(write_cr0_safe(cr0 & ~X86_CR0_PE), GP);
	GUEST_ASSERT_EQ(write_cr0_safe(cr0 | X86_CR0_NW), GP);
	GUEST_ASSERT_EQ(write_cr0_safe(cr0 | BIT_ULL(32)), GP);
	GUEST_ASSERT_EQ(read_cr0(), cr0);
	/* LMSW sets TS (it cannot clear PE); CLTS clears it. */
	asm volatile("lmsw %w0" : : "r"((u16)(cr0 | X86_CR0_TS)));
	GUEST_ASSERT_EQ(read_cr0(), cr0 | X86_CR0_TS);
	/* With TS set, SSE raises #NM. */
	GUEST_ASSERT_EQ(asm_safe("xorps %%xmm0, %%xmm0", "i"(0)),
			GUEST_FAULT(NM_VECTOR));
	asm volatile("clts");
	GUEST_ASSERT_EQ(read_cr0(), cr0);
	asm volatile("lmsw %w0" : : "r"((u16)(cr0 & ~X86_CR0_PE)));
	GUEST_ASSERT(read_cr0() & X86_CR0_PE);
	GUEST_DONE();
}

static void test_cr0(void)
{
	run_guest(guest_cr0);
}

static void guest_cr3(u64 phys_bits)
{
	u64 cr3 = read_cr3();

	write_cr3(cr3);
	GUEST_ASSERT_EQ(read_cr3(), cr3);
	/* A write-through, cache-disabled variant of the same tables. */
	write_cr3(cr3 | 0x18);
	GUEST_ASSERT_EQ(read_cr3(), cr3 | 0x18);
	write_cr3(cr3);
	GUEST_ASSERT_EQ(write_cr3_safe(cr3 | BIT_ULL(phys_bits)), GP);
	GUEST_ASSERT_EQ(read_cr3(), cr3);
	GUEST_DONE();
}

static void test_cr3(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *e = cpuid_find(c, 0x80000008, 0);
	struct vcpu *vcpu;
	struct vm *vm;

	TEST_ASSERT(e, "no CPUID leaf 0x80000008");
	vm = vm_create_with_one_vcpu(&vcpu, guest_cr3);
	vcpu_args_set(vcpu, 1, (u64)(e->eax & 0xff));
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_cr4(void)
{
	u64 cr4 = read_cr4();
	u32 a, b, c, d;

	GUEST_ASSERT_EQ(cr4, X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	write_cr4(cr4 | X86_CR4_PGE);
	GUEST_ASSERT_EQ(read_cr4(), cr4 | X86_CR4_PGE);
	write_cr4(cr4 | X86_CR4_DE | X86_CR4_TSD);
	GUEST_ASSERT_EQ(read_cr4(), cr4 | X86_CR4_DE | X86_CR4_TSD);
	write_cr4(cr4);
	GUEST_ASSERT_EQ(read_cr4(), cr4);
	/* The guest has no VMX: CR4.VMXE cannot be set. */
	GUEST_ASSERT_EQ(write_cr4_safe(cr4 | X86_CR4_VMXE), GP);
	GUEST_ASSERT_EQ(write_cr4_safe(cr4 & ~X86_CR4_PAE), GP);
	GUEST_ASSERT_EQ(write_cr4_safe(cr4 | X86_CR4_LA57), GP);
	GUEST_ASSERT_EQ(write_cr4_safe(cr4 | BIT_ULL(63)), GP);
	GUEST_ASSERT_EQ(write_cr4_safe(cr4 | BIT_ULL(15)), GP);
	cpuid_count(1, 0, &a, &b, &c, &d);
	if (!(c & BIT(14)))	/* SMX */
		GUEST_ASSERT_EQ(write_cr4_safe(cr4 | X86_CR4_SMXE), GP);
	GUEST_ASSERT_EQ(read_cr4(), cr4);
	GUEST_DONE();
}

static void test_cr4(void)
{
	run_guest(guest_cr4);
}

static void guest_cr8(void)
{
	u64 i;

	for (i = 0; i < 16; i++) {
		write_cr8(i);
		GUEST_ASSERT_EQ(read_cr8(), i);
	}
	GUEST_ASSERT_EQ(write_cr8_safe(16), GP);
	GUEST_ASSERT_EQ(write_cr8_safe(BIT_ULL(40)), GP);
	write_cr8(0);
	GUEST_DONE();
}

static void test_cr8(void)
{
	run_guest(guest_cr8);
}

static void guest_xsave(u64 xcr0_supported)
{
	u32 a, b, c, d;
	u64 v;

	/* Without CR4.OSXSAVE, XGETBV and XSETBV are undefined. */
	GUEST_ASSERT_EQ(asm_safe_ad("xgetbv", "c"(0)), UD);
	GUEST_ASSERT_EQ(xsetbv_safe(0, 3), UD);
	cpuid_count(1, 0, &a, &b, &c, &d);
	GUEST_ASSERT(!(c & CPUID_1_ECX_OSXSAVE));
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	cpuid_count(1, 0, &a, &b, &c, &d);
	GUEST_ASSERT_1(c & CPUID_1_ECX_OSXSAVE, c);
	GUEST_ASSERT_EQ(xgetbv(0), XFEATURE_X87);
	GUEST_ASSERT_EQ(xsetbv_safe(0, XFEATURE_X87 | XFEATURE_SSE), 0);
	GUEST_ASSERT_EQ(xgetbv(0), XFEATURE_X87 | XFEATURE_SSE);
	/* x87 must stay; AVX needs SSE; nothing CPUID does not offer. */
	GUEST_ASSERT_EQ(xsetbv_safe(0, XFEATURE_SSE), GP);
	GUEST_ASSERT_EQ(xsetbv_safe(0, 0), GP);
	GUEST_ASSERT_EQ(xsetbv_safe(0, XFEATURE_X87 | XFEATURE_AVX), GP);
	GUEST_ASSERT_EQ(xsetbv_safe(0, xcr0_supported | BIT_ULL(62)), GP);
	GUEST_ASSERT_EQ(xsetbv_safe(1, XFEATURE_X87), GP);
	GUEST_ASSERT_EQ(xgetbv(0), XFEATURE_X87 | XFEATURE_SSE);
	if (xcr0_supported & XFEATURE_AVX) {
		v = XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX;
		GUEST_ASSERT_EQ(xsetbv_safe(0, v), 0);
		GUEST_ASSERT_EQ(xgetbv(0), v);
		/* AVX works now. */
		asm volatile("vxorps %%ymm1, %%ymm1, %%ymm1" : : : "xmm1");
	}
	write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
	cpuid_count(1, 0, &a, &b, &c, &d);
	GUEST_ASSERT(!(c & CPUID_1_ECX_OSXSAVE));
	GUEST_DONE();
}

static u64 user_xsetbv(u64 arg)
{
	(void)arg;
	return xsetbv_safe(0, XFEATURE_X87 | XFEATURE_SSE);
}

static void guest_xsetbv_cpl3(void)
{
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	GUEST_ASSERT_EQ(guest_run_user(user_xsetbv, 0), GP);
	GUEST_DONE();
}

static void test_xsave(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *l1 = cpuid_find(c, 1, 0);
	struct vireo_cpuid_entry *ld = cpuid_find(c, 0xd, 0);
	struct vcpu *vcpu;
	struct vm *vm;

	TEST_ASSERT(l1, "no CPUID leaf 1");
	if (!(l1->ecx & CPUID_1_ECX_XSAVE) || !ld)
		TEST_SKIP("vireo offers no XSAVE");
	vm = vm_create_with_one_vcpu(&vcpu, guest_xsave);
	vcpu_args_set(vcpu, 1, ((u64)ld->edx << 32) | ld->eax);
	vcpu_expect_done(vcpu);
	vm_free(vm);
	run_guest(guest_xsetbv_cpl3);
}

#define TEST_GPA	0x40000000UL
#define REMAP_VA	0x80000000UL

/* The page-directory entry that maps @va (2 MiB pages). */
static u64 *pde_of(u64 va)
{
	u64 *pml4 = (u64 *)(read_cr3() & ~0xfffULL);
	u64 *pdpt = (u64 *)(pml4[(va >> 39) & 511] & ~0xfffULL);
	u64 *pd = (u64 *)(pdpt[(va >> 30) & 511] & ~0xfffULL);

	return &pd[(va >> 21) & 511];
}

static void guest_invlpg(void)
{
	u64 *pde = pde_of(REMAP_VA), old = *pde;

	*pde = TEST_GPA | (old & 0xfff);
	asm volatile("invlpg (%0)" : : "r"(REMAP_VA) : "memory");
	GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)REMAP_VA), 0x1111);
	*pde = (TEST_GPA + HUGE_SIZE) | (old & 0xfff);
	asm volatile("invlpg (%0)" : : "r"(REMAP_VA) : "memory");
	GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)REMAP_VA), 0x2222);
	/* Across an exit, and after a CR3 reload, still the new mapping. */
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)REMAP_VA), 0x2222);
	write_cr3(read_cr3());
	GUEST_ASSERT_EQ(READ_ONCE(*(u64 *)REMAP_VA), 0x2222);
	*pde = old;
	asm volatile("invlpg (%0)" : : "r"(REMAP_VA) : "memory");
	GUEST_DONE();
}

static void test_invlpg(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_invlpg);
	u64 *mem = vm_add_region(vm, TEST_SLOT, 0, TEST_GPA, 2 * HUGE_SIZE);

	mem[0] = 0x1111;
	mem[HUGE_SIZE / 8] = 0x2222;
	vcpu_expect_sync(vcpu, 1);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static u64 watched;
static u64 db_dr6;

#define DEFINE_DR(n)							\
static inline u64 read_dr##n(void)						\
{									\
	u64 v;								\
									\
	asm volatile("mov %%dr" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
									\
static inline void write_dr##n(u64 v)						\
{									\
	asm volatile("mov %0, %%dr" #n : : "r"(v));			\
}

DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
DEFINE_DR(7)

static void db_handler(struct ex_regs *regs)
{
	(void)regs;
	db_dr6 = read_dr6();
	write_dr6(0xffff0ff0);
}

static void guest_dr(void)
{
	u64 dr7;

	guest_set_handler(DB_VECTOR, db_handler);
	GUEST_ASSERT_EQ(read_dr6(), 0xffff0ff0);
	GUEST_ASSERT_EQ(read_dr7(), 0x400);
	write_dr0(0x1000);
	write_dr1(0x2000);
	write_dr2(0x3000);
	write_dr3(0x4000);
	GUEST_SYNC(1);		/* across an exit and the host's own use */
	GUEST_ASSERT_EQ(read_dr0(), 0x1000);
	GUEST_ASSERT_EQ(read_dr1(), 0x2000);
	GUEST_ASSERT_EQ(read_dr2(), 0x3000);
	GUEST_ASSERT_EQ(read_dr3(), 0x4000);
	/*
	 * A data breakpoint on writes to @watched: DR0, 8 bytes, G0. vireo
	 * keeps the guest's debug registers but does not load them
	 * (engine.rst): they read back, the breakpoint does not fire.
	 */
	write_dr0((u64)&watched);
	dr7 = 0x400 | BIT(1) | (1ULL << 16) | (3ULL << 18);
	write_dr7(dr7);
	GUEST_SYNC(2);
	GUEST_ASSERT_EQ(read_dr7(), dr7);
	WRITE_ONCE(watched, 1);
	GUEST_ASSERT_EQ(db_dr6, 0);
	write_dr7(0x400);
	/* Reserved upper half of DR7 and DR6: #GP. */
	GUEST_ASSERT_EQ(asm_safe("mov %[v], %%dr7", [v] "r"(BIT_ULL(32))), GP);
	GUEST_ASSERT_EQ(asm_safe("mov %[v], %%dr6", [v] "r"(BIT_ULL(32))), GP);
	/* With CR4.DE, DR4 and DR5 are undefined. */
	write_cr4(read_cr4() | X86_CR4_DE);
	GUEST_ASSERT_EQ(asm_safe_ad("mov %%dr4, %%rax", "i"(0)), UD);
	write_cr4(read_cr4() & ~X86_CR4_DE);
	GUEST_DONE();
}

static void test_dr(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_dr);

	vcpu_expect_sync(vcpu, 1);
	vcpu_expect_sync(vcpu, 2);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_tsc(u64 has_rdtscp)
{
	u64 t1, t2;
	u32 lo, hi, aux;

	t1 = rdtsc();
	GUEST_SYNC(t1);
	t2 = rdtsc();
	GUEST_ASSERT_1(t2 > t1, t2 - t1);
	GUEST_SYNC(t2);
	if (has_rdtscp) {
		wrmsr(MSR_TSC_AUX, 0x12345);
		asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		GUEST_ASSERT_EQ(aux, 0x12345);
		GUEST_ASSERT((((u64)hi << 32) | lo) > t2);
	}
	GUEST_DONE();
}

static u64 host_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | ((u64)hi << 32);
}

static void test_tsc(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *e = cpuid_find(c, 0x80000001, 0);
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_tsc);
	struct ucall uc;
	u64 before, after;
	cpu_set_t set;
	int i;

	/* One host CPU, so that the TSCs compared are one counter. */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT_OK(sched_setaffinity(0, sizeof(set), &set));
	vcpu_args_set(vcpu, 1,
		      (u64)(e && (e->edx & CPUID_80000001_EDX_RDTSCP)));
	for (i = 0; i < 2; i++) {
		before = host_rdtsc();
		TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_SYNC);
		after = host_rdtsc();
		TEST_ASSERT(uc.args[0] > before && uc.args[0] < after,
			    "guest TSC %#llx outside the host's %#llx-%#llx",
			    uc.args[0], before, after);
	}
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_vmx_insns(void)
{
	u64 p = 0x1000, r = 0;

	GUEST_ASSERT_EQ(asm_safe("vmxon (%[p])", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmxoff", "i"(0)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmptrld (%[p])", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmptrst (%[p])", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmclear (%[p])", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe_ad("vmread %[r], %%rax", [r] "r"(r)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmwrite %[r], %%rax", [r] "r"(r)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmlaunch", "i"(0)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmresume", "i"(0)), UD);
	GUEST_ASSERT_EQ(asm_safe("invept (%[p]), %%rax", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe("invvpid (%[p]), %%rax", [p] "r"(&p)), UD);
	GUEST_ASSERT_EQ(asm_safe("vmfunc", "a"(0)), UD);
	GUEST_ASSERT_EQ(write_cr4_safe(read_cr4() | X86_CR4_VMXE), GP);
	GUEST_DONE();
}

static void test_vmx_insns(void)
{
	run_guest(guest_vmx_insns);
}

static u64 user_privileged(u64 which)
{
	switch (which) {
	case 0:
		return asm_safe_ad("mov %%cr0, %%rax", "i"(0));
	case 1:
		return asm_safe("mov %[v], %%cr3", [v] "r"(0x1000ULL));
	case 2:
		return asm_safe_ad("rdmsr", "c"(MSR_EFER));
	case 3:
		return asm_safe("wrmsr", "c"(MSR_LSTAR), "a"(0), "d"(0));
	case 4:
		return asm_safe("hlt", "i"(0));
	case 5:
		return asm_safe("invlpg (%[p])", [p] "r"(0x1000ULL));
	case 6:
		return asm_safe_ad("mov %%dr7, %%rax", "i"(0));
	case 7:
		return asm_safe("outb %%al, $0x80", "a"(0));
	case 8:
		return asm_safe_ad("inb $0x80, %%al", "i"(0));
	case 9:
		return asm_safe("cli", "i"(0));
	case 10:
		return asm_safe("wbinvd", "i"(0));
	case 11:
		return asm_safe_ad("rdtsc", "i"(0));
	}
	return 0xbad;
}

static void guest_cpl3(void)
{
	u64 i;

	/* Every one of them #GPs at CPL 3: 11 is RDTSC with CR4.TSD. */
	write_cr4(read_cr4() | X86_CR4_TSD);
	for (i = 0; i <= 11; i++)
		GUEST_ASSERT_EQ(guest_run_user(user_privileged, i) | (i << 32),
				GP | (i << 32));
	write_cr4(read_cr4() & ~X86_CR4_TSD);
	GUEST_DONE();
}

static void test_cpl3(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_cpl3);

	vcpu_expect_done(vcpu);
	/* Not one reached userspace but the ucall. */
	vm_get_stats(vm, &st);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_IO], 1);
	vm_free(vm);
}

static void guest_misc(u64 has_monitor)
{
	u32 a, b, c, d;
	u64 x = 0;

	asm volatile("wbinvd");
	asm volatile("invd");
	asm volatile("pause");
	/* No PMU: RDPMC #GP. */
	GUEST_ASSERT_EQ(asm_safe_ad("rdpmc", "c"(0)), GP);
	/* XSAVES is not offered: #UD even with OSXSAVE. */
	cpuid_count(1, 0, &a, &b, &c, &d);
	if (c & CPUID_1_ECX_XSAVE) {
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
		GUEST_ASSERT_EQ(asm_safe("xsaves (%[p])", [p] "r"(&x), "a"(0),
					 "d"(0)), UD);
		write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
	} else {
		GUEST_ASSERT_EQ(write_cr4_safe(read_cr4() | X86_CR4_OSXSAVE),
				GP);
	}
	/* Faults the guest handles itself. */
	GUEST_ASSERT_EQ(asm_safe("int3", "i"(0)), GUEST_FAULT(BP_VECTOR));
	GUEST_ASSERT_EQ(asm_safe_ad("divl %[z]", [z] "r"(0U), "a"(1), "d"(0)),
			GUEST_FAULT(DE_VECTOR));
	GUEST_ASSERT_EQ(asm_safe("ud2", "i"(0)), UD);
	GUEST_ASSERT_EQ(asm_safe_ad("getsec", "a"(0)), UD);
	if (!has_monitor) {
		GUEST_ASSERT_EQ(asm_safe("monitor", "a"(&x), "c"(0), "d"(0)),
				UD);
		GUEST_ASSERT_EQ(asm_safe("mwait", "a"(0), "c"(0)), UD);
	}
	/* A #PF: non-canonical is #GP, an unmapped address above 4 GiB #PF. */
	GUEST_ASSERT_EQ(asm_safe_ad("movq (%[p]), %%rax",
				    [p] "r"(0x100000000000ULL)), GUEST_FAULT(PF_VECTOR));
	GUEST_ASSERT_EQ(read_cr2(), 0x100000000000ULL);
	GUEST_ASSERT_EQ(asm_safe_ad("movq (%[p]), %%rax",
				    [p] "r"(0x8000000000000000ULL)), GP);
	GUEST_DONE();
}

static void test_misc(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *e = cpuid_find(c, 1, 0);
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_misc);

	vcpu_args_set(vcpu, 1, (u64)(e && (e->ecx & BIT(3))));
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_msrs, "RDMSR/WRMSR of emulated MSRs; #GP for bad values"),
	VTEST(test_cr0, "MOV CR0, LMSW, CLTS; #GP for invalid CR0; #NM with TS"),
	VTEST(test_cr3, "MOV CR3 reads back; bits past MAXPHYADDR: #GP"),
	VTEST(test_cr4, "MOV CR4 reads back; VMXE, PAE off, LA57, reserved: #GP"),
	VTEST(test_cr8, "MOV CR8 0-15; larger: #GP"),
	VTEST(test_xsave, "XSETBV/XGETBV: #UD without OSXSAVE, valid XCR0s, #GP otherwise"),
	VTEST(test_invlpg, "INVLPG after remapping a page; the new mapping survives exits"),
	VTEST(test_dr, "MOV DR0-7 across exits (breakpoints not loaded); bad values fault"),
	VTEST(test_tsc, "RDTSC is the host TSC; RDTSCP returns TSC_AUX"),
	VTEST(test_vmx_insns, "VMX instructions raise #UD in the guest"),
	VTEST(test_cpl3, "privileged instructions at CPL 3 raise #GP, no exit"),
	VTEST(test_misc, "WBINVD, INVD, PAUSE, RDPMC, XSAVES, #BP, #DE, GETSEC, MONITOR, #PF"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
