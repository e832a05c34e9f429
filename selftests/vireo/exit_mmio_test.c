// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO exits (VIREO_EXIT_MMIO) from 64-bit guest code: MOV stores and
 * loads of 1, 2, 4 and 8 bytes (registers, high-byte registers, immediates,
 * moffs), MOVZX, MOVSX and MOVSXD with their extensions, STOS and MOVS with
 * and without REP in both directions, and VIREO_EXIT_INTERNAL_ERROR for an
 * instruction vireo does not decode. MMIO is any guest-physical address no
 * slot backs: here 3 GiB, identity-mapped by the library.
 */
#include <string.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define MMIO			0xc0000000UL
#define VMX_EXIT_EPT_VIOLATION	48

static u64 ram_buf[8];
static u8 ram_bytes[16];

/* Run to the next exit, which must be MMIO of this shape; its data. */
static u8 *__expect_mmio(struct vcpu *vcpu, bool write, u64 addr, u32 len,
			 int line)
{
	struct vireo_run *run = vcpu->run;

	vcpu_run(vcpu);
	if (run->exit_reason != VIREO_EXIT_MMIO)
		vcpu_dump(vcpu);
	TEST_ASSERT(run->exit_reason == VIREO_EXIT_MMIO,
		    "line %d: exit %s, expected MMIO", line,
		    exit_reason_str(run->exit_reason));
	TEST_ASSERT(!!run->mmio.is_write == write &&
		    run->mmio.phys_addr == addr && run->mmio.len == len,
		    "line %d: mmio %s %#llx len %u, expected %s %#llx len %u",
		    line, run->mmio.is_write ? "write" : "read",
		    run->mmio.phys_addr, run->mmio.len,
		    write ? "write" : "read", addr, len);
	return run->mmio.data;
}

#define expect_mmio(vcpu, w, a, l) __expect_mmio(vcpu, w, a, l, __LINE__)

static void expect_write(struct vcpu *vcpu, u64 addr, u32 len, u64 val)
{
	u64 got = 0;

	memcpy(&got, expect_mmio(vcpu, true, addr, len), len);
	TEST_ASSERT(got == val, "write of %u bytes to %#llx: %#llx, expected %#llx",
		    len, addr, got, val);
}

static void answer_read(struct vcpu *vcpu, u64 addr, u32 len, u64 val)
{
	memcpy(expect_mmio(vcpu, false, addr, len), &val, len);
}

static void guest_stores(void)
{
	u64 p = MMIO;

	asm volatile("movb %b0, (%1)" : : "r"(0x11), "r"(p) : "memory");
	asm volatile("movw %w0, 2(%1)" : : "r"(0x2233), "r"(p) : "memory");
	asm volatile("movl %k0, 4(%1)" : : "r"(0x44556677), "r"(p) : "memory");
	asm volatile("movq %0, 8(%1)" : : "r"(0x8899aabbccddeeffULL), "r"(p)
		     : "memory");
	asm volatile("movq %0, 16(%1)" : : "r"(0x0102030405060708ULL), "r"(p)
		     : "memory");
	/* REX.R source register. */
	asm volatile("mov %0, %%r9\n\t"
		     "movq %%r9, 24(%1)"
		     : : "r"(0x1111222233334444ULL), "r"(p) : "r9", "memory");
	asm volatile("movb %%ah, 32(%0)" : : "r"(p), "a"(0x1234) : "memory");
	asm volatile("movb $0x80, 33(%0)" : : "r"(p) : "memory");
	asm volatile("movw $0x8001, 34(%0)" : : "r"(p) : "memory");
	asm volatile("movl $0xdeadbeef, 36(%0)" : : "r"(p) : "memory");
	asm volatile("movq $-2, 40(%0)" : : "r"(p) : "memory");
	asm volatile("movabs %%eax, 0xc0000030" : : "a"(0xabcdef01) : "memory");
	/* A SIB address: base + index * 8 + displacement. */
	asm volatile("movl %k0, 0x40(%1,%2,8)"
		     : : "r"(0x5a5a5a5a), "r"(p), "r"(2UL) : "memory");
	GUEST_DONE();
}

static void test_stores(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_stores);

	expect_write(vcpu, MMIO, 1, 0x11);
	TEST_ASSERT_EQ(vcpu->run->hw_exit_reason, VMX_EXIT_EPT_VIOLATION);
	expect_write(vcpu, MMIO + 2, 2, 0x2233);
	expect_write(vcpu, MMIO + 4, 4, 0x44556677);
	expect_write(vcpu, MMIO + 8, 8, 0x8899aabbccddeeffULL);
	expect_write(vcpu, MMIO + 16, 8, 0x0102030405060708ULL);
	expect_write(vcpu, MMIO + 24, 8, 0x1111222233334444ULL);
	expect_write(vcpu, MMIO + 32, 1, 0x12);
	expect_write(vcpu, MMIO + 33, 1, 0x80);
	expect_write(vcpu, MMIO + 34, 2, 0x8001);
	expect_write(vcpu, MMIO + 36, 4, 0xdeadbeef);
	expect_write(vcpu, MMIO + 40, 8, 0xfffffffffffffffeULL);
	expect_write(vcpu, MMIO + 0x30, 4, 0xabcdef01);
	expect_write(vcpu, MMIO + 0x50, 4, 0x5a5a5a5a);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

#define PRESET	0x1122334455667788ULL

static void guest_loads(void)
{
	u64 p = MMIO, r;

	r = PRESET;
	asm volatile("movb (%1), %b0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0x11223344556677a5ULL);
	r = PRESET;
	asm volatile("movw 2(%1), %w0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0x112233445566b00cULL);
	r = PRESET;
	asm volatile("movl 4(%1), %k0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xdeadbeefULL);
	asm volatile("movq 8(%1), %0" : "=r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xfedcba9876543210ULL);
	r = PRESET;
	asm volatile("movb 16(%1), %%ah" : "+a"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0x1122334455665a88ULL);
	asm volatile("movq 24(%1), %%r10\n\t"
		     "mov %%r10, %0" : "=r"(r) : "r"(p) : "r10", "memory");
	GUEST_ASSERT_EQ(r, 0x0123456789abcdefULL);
	r = PRESET;
	asm volatile("movzbl 32(%1), %k0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xf0);
	r = PRESET;
	asm volatile("movzwq 34(%1), %0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xfff0);
	r = PRESET;
	asm volatile("movsbq 36(%1), %0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xffffffffffffff80ULL);
	r = PRESET;
	asm volatile("movswl 38(%1), %k0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xffff8000ULL);
	r = PRESET;
	asm volatile("movsbw 40(%1), %w0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0x112233445566ff81ULL);
	r = PRESET;
	asm volatile("movslq 44(%1), %0" : "+r"(r) : "r"(p) : "memory");
	GUEST_ASSERT_EQ(r, 0xffffffff80000000ULL);
	r = PRESET;
	asm volatile("movabs 0xc0000030, %%eax" : "+a"(r) : : "memory");
	GUEST_ASSERT_EQ(r, 0x600df00dULL);
	GUEST_DONE();
}

static void test_loads(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_loads);

	answer_read(vcpu, MMIO, 1, 0xa5);
	answer_read(vcpu, MMIO + 2, 2, 0xb00c);
	answer_read(vcpu, MMIO + 4, 4, 0xdeadbeef);
	answer_read(vcpu, MMIO + 8, 8, 0xfedcba9876543210ULL);
	answer_read(vcpu, MMIO + 16, 1, 0x5a);
	answer_read(vcpu, MMIO + 24, 8, 0x0123456789abcdefULL);
	answer_read(vcpu, MMIO + 32, 1, 0xf0);
	answer_read(vcpu, MMIO + 34, 2, 0xfff0);
	answer_read(vcpu, MMIO + 36, 1, 0x80);
	answer_read(vcpu, MMIO + 38, 2, 0x8000);
	answer_read(vcpu, MMIO + 40, 1, 0x81);
	answer_read(vcpu, MMIO + 44, 4, 0x80000000);
	answer_read(vcpu, MMIO + 0x30, 4, 0x600df00d);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_stos(void)
{
	u64 dst = MMIO + 0x40, cnt = 4;

	asm volatile("rep stosl"
		     : "+D"(dst), "+c"(cnt) : "a"(0xcafef00d) : "memory");
	GUEST_ASSERT_EQ(dst, MMIO + 0x50);
	GUEST_ASSERT_EQ(cnt, 0);
	asm volatile("stosq" : "+D"(dst) : "a"(0x0102030405060708ULL)
		     : "memory");
	GUEST_ASSERT_EQ(dst, MMIO + 0x58);
	dst = MMIO + 0x80;
	cnt = 3;
	asm volatile("std\n\t"
		     "rep stosw\n\t"
		     "cld"
		     : "+D"(dst), "+c"(cnt) : "a"(0xbeef) : "memory", "cc");
	GUEST_ASSERT_EQ(dst, MMIO + 0x7a);
	GUEST_DONE();
}

static void test_stos(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_stos);
	int i;

	for (i = 0; i < 4; i++)
		expect_write(vcpu, MMIO + 0x40 + 4 * i, 4, 0xcafef00d);
	expect_write(vcpu, MMIO + 0x50, 8, 0x0102030405060708ULL);
	for (i = 0; i < 3; i++)
		expect_write(vcpu, MMIO + 0x80 - 2 * i, 2, 0xbeef);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_movs(void)
{
	u64 src = (u64)ram_buf, dst = MMIO + 0x100, cnt = 3, i;

	asm volatile("rep movsq"
		     : "+S"(src), "+D"(dst), "+c"(cnt) : : "memory");
	GUEST_ASSERT_EQ(src, (u64)&ram_buf[3]);
	GUEST_ASSERT_EQ(dst, MMIO + 0x118);
	src = MMIO + 0x200;
	dst = (u64)ram_bytes;
	cnt = 5;
	asm volatile("rep movsb"
		     : "+S"(src), "+D"(dst), "+c"(cnt) : : "memory");
	GUEST_ASSERT_EQ(src, MMIO + 0x205);
	GUEST_ASSERT_EQ(cnt, 0);
	for (i = 0; i < 5; i++)
		GUEST_ASSERT_EQ(ram_bytes[i], 0x60 + i);
	GUEST_ASSERT_EQ(ram_bytes[5], 0);
	src = MMIO + 0x300;
	dst = (u64)ram_buf;
	asm volatile("movsl" : "+S"(src), "+D"(dst) : : "memory");
	GUEST_ASSERT_EQ(ram_buf[0], 0x1111111187654321ULL);
	GUEST_DONE();
}

static void test_movs(void)
{
	struct vcpu *vcpu;
	struct vm *vm;
	int i;

	for (i = 0; i < 8; i++)
		ram_buf[i] = 0x1111111111111111ULL * (i + 1);
	vm = vm_create_with_one_vcpu(&vcpu, guest_movs);
	for (i = 0; i < 3; i++)
		expect_write(vcpu, MMIO + 0x100 + 8 * i, 8, ram_buf[i]);
	for (i = 0; i < 5; i++)
		answer_read(vcpu, MMIO + 0x200 + i, 1, 0x60 + i);
	answer_read(vcpu, MMIO + 0x300, 4, 0x87654321);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_undecodable(u64 which)
{
	u64 p = MMIO;

	if (which == 0)
		asm volatile("addl %0, (%1)" : : "r"(1), "r"(p) : "memory");
	else if (which == 1)
		asm volatile("movups %%xmm0, (%0)" : : "r"(p) : "memory");
	else
		asm volatile("lock incl (%0)" : : "r"(p) : "memory");
	GUEST_FAIL("an undecodable MMIO instruction completed");
}

static void test_undecodable(void)
{
	static const char *const what[] = { "ADD", "MOVUPS", "LOCK INC" };
	struct vireo_run *run;
	struct vcpu *vcpu;
	struct vm *vm;
	int i;

	for (i = 0; i < 3; i++) {
		vm = vm_create_with_one_vcpu(&vcpu, guest_undecodable);
		vcpu_args_set(vcpu, 1, (u64)i);
		run = vcpu->run;
		vcpu_run(vcpu);
		vcpu_assert_exit(vcpu, VIREO_EXIT_INTERNAL_ERROR);
		TEST_ASSERT(run->internal.suberror == VIREO_INTERNAL_EMULATION,
			    "%s to MMIO: suberror %u, expected EMULATION",
			    what[i], run->internal.suberror);
		TEST_ASSERT(run->internal.reason[0] &&
			    memchr(run->internal.reason, 0,
				   VIREO_INTERNAL_REASON_LEN),
			    "%s: the reason is empty or not terminated", what[i]);
		TEST_ASSERT(run->internal.ndata <= 8, "ndata %u",
			    run->internal.ndata);
		tap_diag("%s to MMIO: \"%s\"", what[i], run->internal.reason);
		vm_free(vm);
	}
}

static const struct vtest tests[] = {
	VTEST(test_stores, "MOV stores of 1-8 bytes: registers, AH, immediates, moffs, SIB"),
	VTEST(test_loads, "MOV, MOVZX, MOVSX, MOVSXD loads: the VMM's data, extended right"),
	VTEST(test_stos, "STOS, REP STOS, DF set: one exit per element"),
	VTEST(test_movs, "MOVS and REP MOVS between RAM and MMIO, both ways"),
	VTEST(test_undecodable, "ADD, MOVUPS, LOCK INC on MMIO: INTERNAL_ERROR (EMULATION)"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
