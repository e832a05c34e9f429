// SPDX-License-Identifier: GPL-2.0-only
/*
 * Port I/O exits (VIREO_EXIT_IO) from 64-bit guest code: IN and OUT of
 * each size, the string forms with and without REP and with RFLAGS.DF set,
 * and REP strings longer than the 2 KiB data area, which vireo splits into
 * one exit per chunk while it keeps RSI/RDI/RCX right. Other CPU modes
 * are in cpu_modes_test.
 */
#include <string.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define PORT		0x3f0
#define VMX_EXIT_IO	30

/* Filled by the host before vm_create(), so the guest's copy has it too. */
static u8 out_buf[6000];
static u8 in_buf[6000];

static u8 pattern(u64 i)
{
	return (u8)(i * 7 + 3);
}

static void fill_out_buf(void)
{
	u64 i;

	for (i = 0; i < sizeof(out_buf); i++)
		out_buf[i] = pattern(i);
}

/* Run to the next exit, which must be port I/O of this shape. */
static void expect_io(struct vcpu *vcpu, u8 dir, u8 size, u16 port)
{
	struct vireo_run *run = vcpu->run;

	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_IO);
	TEST_ASSERT(run->io.direction == dir && run->io.size == size &&
		    run->io.port == port,
		    "io exit: direction %u size %u port %#x, expected %u %u %#x",
		    run->io.direction, run->io.size, run->io.port, dir, size,
		    port);
	TEST_ASSERT(run->io.data_offset >= sizeof(*run) &&
		    run->io.data_offset + (u64)run->io.size * run->io.count <=
		    VIREO_RUN_SIZE,
		    "data at %u, %u x %u bytes, outside the run page",
		    run->io.data_offset, run->io.count, run->io.size);
}

static void guest_out_sizes(void)
{
	u64 rip;

	asm volatile("lea 1f(%%rip), %0\n\t"
		     "1: outb %%al, %%dx"
		     : "=&r"(rip) : "a"(0x12), "d"(PORT));
	outw(PORT + 1, 0x3456);
	outl(PORT + 2, 0x789abcde);
	GUEST_SYNC(rip);
	GUEST_DONE();
}

static void test_out_sizes(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_out_sizes);
	struct vireo_run *run = vcpu->run;
	struct vireo_stats before, after;
	struct vireo_regs regs;
	u64 exit_rip, qual;
	struct ucall uc;
	u32 v;

	vcpu_get_stats(vcpu, &before);
	expect_io(vcpu, VIREO_IO_OUT, 1, PORT);
	TEST_ASSERT_EQ(run->io.count, 1);
	TEST_ASSERT_EQ(*(u8 *)vcpu_io_data(vcpu), 0x12);
	TEST_ASSERT_EQ(run->io.data_offset, VIREO_RUN_DATA_OFFSET);
	TEST_ASSERT_EQ(run->vcpu_id, 0);
	TEST_ASSERT_EQ(run->hw_exit_reason, VMX_EXIT_IO);
	qual = run->exit_qualification;
	TEST_ASSERT(qual >> 16 == PORT && (qual & 7) == 0 && !(qual & 8),
		    "exit qualification %#llx for OUT of 1 byte to %#x", qual,
		    PORT);
	exit_rip = run->rip;
	vcpu_regs_get(vcpu, &regs);
	TEST_ASSERT(regs.rip == exit_rip, "run->rip %#llx, GET_REGS %#llx",
		    exit_rip, regs.rip);

	expect_io(vcpu, VIREO_IO_OUT, 2, PORT + 1);
	memcpy(&v, vcpu_io_data(vcpu), 2);
	TEST_ASSERT_EQ(v & 0xffff, 0x3456);
	expect_io(vcpu, VIREO_IO_OUT, 4, PORT + 2);
	memcpy(&v, vcpu_io_data(vcpu), 4);
	TEST_ASSERT_EQ(v, 0x789abcde);

	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_SYNC);
	/* An OUT is complete when userspace sees it: RIP is past it. */
	TEST_ASSERT(exit_rip == uc.args[0] + 1,
		    "run->rip %#llx, the 1-byte OUT is at %#llx", exit_rip,
		    uc.args[0]);
	vcpu_expect_done(vcpu);

	/* Three OUTs, two ucalls: five port I/O exits to userspace. */
	vcpu_get_stats(vcpu, &after);
	TEST_ASSERT_EQ(after.user_exits[VIREO_EXIT_IO] -
		       before.user_exits[VIREO_EXIT_IO], 5);
	TEST_ASSERT(after.vmx_exits[VMX_EXIT_IO] -
		    before.vmx_exits[VMX_EXIT_IO] >= 5,
		    "vmx_exits[30] grew by %llu",
		    after.vmx_exits[VMX_EXIT_IO] - before.vmx_exits[VMX_EXIT_IO]);
	TEST_ASSERT(after.entries > before.entries, "no VM entry counted");
	vm_free(vm);
}

static void guest_in_sizes(void)
{
	u64 rax;

	/* IN AL and IN AX keep the rest of RAX; IN EAX zero-extends. */
	rax = 0x1122334455667788ULL;
	asm volatile("inb %%dx, %%al" : "+a"(rax) : "d"(PORT));
	GUEST_ASSERT_EQ(rax, 0x11223344556677a5ULL);
	rax = 0x1122334455667788ULL;
	asm volatile("inw %%dx, %%ax" : "+a"(rax) : "d"(PORT + 1));
	GUEST_ASSERT_EQ(rax, 0x112233445566b00cULL);
	rax = 0x1122334455667788ULL;
	asm volatile("inl %%dx, %%eax" : "+a"(rax) : "d"(PORT + 2));
	GUEST_ASSERT_EQ(rax, 0xdeadbeefULL);
	GUEST_DONE();
}

static void test_in_sizes(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_in_sizes);
	u32 v;

	expect_io(vcpu, VIREO_IO_IN, 1, PORT);
	TEST_ASSERT_EQ(vcpu->run->io.count, 1);
	TEST_ASSERT(vcpu->run->exit_qualification & 8,
		    "exit qualification %#llx of an IN lacks bit 3",
		    vcpu->run->exit_qualification);
	*(u8 *)vcpu_io_data(vcpu) = 0xa5;
	expect_io(vcpu, VIREO_IO_IN, 2, PORT + 1);
	v = 0xb00c;
	memcpy(vcpu_io_data(vcpu), &v, 2);
	expect_io(vcpu, VIREO_IO_IN, 4, PORT + 2);
	v = 0xdeadbeef;
	memcpy(vcpu_io_data(vcpu), &v, 4);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

/*
 * String I/O: @size bytes per element, @count elements, REP or not, DF set
 * or not. Reports RSI/RDI and RCX as the instruction left them.
 */
static void guest_outs(u64 size, u64 count, u64 rep, u64 down)
{
	const u8 *src = down ? out_buf + (count - 1) * size : out_buf;
	u64 cnt = count;

	if (down)
		asm volatile("std" : : : "cc");
	if (!rep && size == 1)
		asm volatile("outsb" : "+S"(src) : "d"(PORT) : "memory");
	else if (!rep && size == 2)
		asm volatile("outsw" : "+S"(src) : "d"(PORT) : "memory");
	else if (!rep)
		asm volatile("outsl" : "+S"(src) : "d"(PORT) : "memory");
	else if (size == 1)
		asm volatile("rep outsb" : "+S"(src), "+c"(cnt) : "d"(PORT)
			     : "memory");
	else if (size == 2)
		asm volatile("rep outsw" : "+S"(src), "+c"(cnt) : "d"(PORT)
			     : "memory");
	else
		asm volatile("rep outsl" : "+S"(src), "+c"(cnt) : "d"(PORT)
			     : "memory");
	asm volatile("cld" : : : "cc");
	GUEST_SYNC2((u64)src, rep ? cnt : 0);
	GUEST_DONE();
}

static void guest_ins(u64 size, u64 count, u64 rep, u64 down)
{
	u8 *dst = down ? in_buf + (count - 1) * size : in_buf;
	u64 cnt = count, i, k;

	if (down)
		asm volatile("std" : : : "cc");
	if (!rep && size == 1)
		asm volatile("insb" : "+D"(dst) : "d"(PORT) : "memory");
	else if (!rep && size == 2)
		asm volatile("insw" : "+D"(dst) : "d"(PORT) : "memory");
	else if (!rep)
		asm volatile("insl" : "+D"(dst) : "d"(PORT) : "memory");
	else if (size == 1)
		asm volatile("rep insb" : "+D"(dst), "+c"(cnt) : "d"(PORT)
			     : "memory");
	else if (size == 2)
		asm volatile("rep insw" : "+D"(dst), "+c"(cnt) : "d"(PORT)
			     : "memory");
	else
		asm volatile("rep insl" : "+D"(dst), "+c"(cnt) : "d"(PORT)
			     : "memory");
	asm volatile("cld" : : : "cc");
	/* The port delivered pattern(0), pattern(1)... in time order. */
	for (i = 0; i < count * size; i++) {
		k = down ? (count - 1 - i / size) * size + i % size : i;
		GUEST_ASSERT_EQ(in_buf[k], pattern(i));
	}
	GUEST_SYNC2((u64)dst, rep ? cnt : 0);
	GUEST_DONE();
}

static void string_io(u8 dir, u64 size, u64 count, bool rep, bool down)
{
	u64 max = VIREO_RUN_DATA_SIZE / size, done = 0, exits = 0, i, n;
	u64 start = down ? (count - 1) * size : 0;
	struct vcpu *vcpu;
	struct vm *vm;
	struct ucall uc;
	u8 *data;

	fill_out_buf();
	vm = vm_create_with_one_vcpu(&vcpu, dir == VIREO_IO_OUT ?
				     (void *)guest_outs : (void *)guest_ins);
	vcpu_args_set(vcpu, 4, size, count, (u64)rep, (u64)down);
	while (done < count) {
		expect_io(vcpu, dir, size, PORT);
		n = vcpu->run->io.count;
		exits++;
		TEST_ASSERT(n >= 1 && n <= max && done + n <= count,
			    "chunk of %llu elements after %llu of %llu (at most %llu a chunk)",
			    n, done, count, max);
		data = vcpu_io_data(vcpu);
		for (i = 0; i < n * size; i++) {
			u64 t = done * size + i;	/* in time order */
			u64 k = down ? start - (t / size) * size + t % size : t;

			if (dir == VIREO_IO_IN) {
				data[i] = pattern(t);
				continue;
			}
			TEST_ASSERT(data[i] == out_buf[k],
				    "element %llu byte %llu: %#x, expected out_buf[%llu] = %#x",
				    t / size, t % size, data[i], k, out_buf[k]);
		}
		done += n;
	}
	TEST_ASSERT(exits >= (count * size + VIREO_RUN_DATA_SIZE - 1) /
			     VIREO_RUN_DATA_SIZE,
		    "%llu exits for %llu bytes", exits, count * size);
	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_SYNC);
	data = dir == VIREO_IO_OUT ? out_buf : in_buf;
	TEST_ASSERT(uc.args[0] == (u64)data + (down ? -size : count * size),
		    "RSI/RDI %#llx after the instruction, buffer at %p",
		    uc.args[0], data);
	TEST_ASSERT(uc.args[1] == 0, "RCX is %llu after REP", uc.args[1]);
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void test_outs_single(void)
{
	string_io(VIREO_IO_OUT, 1, 1, false, false);
	string_io(VIREO_IO_OUT, 2, 1, false, false);
	string_io(VIREO_IO_OUT, 4, 1, false, true);
}

static void test_ins_single(void)
{
	string_io(VIREO_IO_IN, 1, 1, false, false);
	string_io(VIREO_IO_IN, 2, 1, false, true);
	string_io(VIREO_IO_IN, 4, 1, false, false);
}

static void test_rep_outs_small(void)
{
	string_io(VIREO_IO_OUT, 1, 16, true, false);
	string_io(VIREO_IO_OUT, 2, 100, true, false);
	string_io(VIREO_IO_OUT, 4, 512, true, false);
}

static void test_rep_ins_small(void)
{
	string_io(VIREO_IO_IN, 1, 16, true, false);
	string_io(VIREO_IO_IN, 2, 100, true, false);
	string_io(VIREO_IO_IN, 4, 512, true, false);
}

static void test_rep_outs_big(void)
{
	string_io(VIREO_IO_OUT, 1, 5000, true, false);
	string_io(VIREO_IO_OUT, 2, 2500, true, false);
	string_io(VIREO_IO_OUT, 4, 1500, true, false);
}

static void test_rep_ins_big(void)
{
	string_io(VIREO_IO_IN, 1, 5000, true, false);
	string_io(VIREO_IO_IN, 2, 2500, true, false);
	string_io(VIREO_IO_IN, 4, 1500, true, false);
}

static void test_string_df(void)
{
	string_io(VIREO_IO_OUT, 1, 16, true, true);
	string_io(VIREO_IO_OUT, 4, 600, true, true);
	string_io(VIREO_IO_IN, 2, 1500, true, true);
}

static void guest_rep_zero(void)
{
	u64 cnt = 0;
	const u8 *src = out_buf;

	asm volatile("rep outsb" : "+S"(src), "+c"(cnt) : "d"(PORT)
		     : "memory");
	GUEST_ASSERT_EQ((u64)src, (u64)out_buf);
	GUEST_DONE();
}

static void test_rep_zero(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_rep_zero);
	struct ucall uc;

	/* RCX = 0: the instruction does nothing, not even exit. */
	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_DONE);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_out_sizes, "OUT of 1, 2 and 4 bytes: data, RIP, qualification, stats"),
	VTEST(test_in_sizes, "IN of 1, 2 and 4 bytes: the VMM's data reaches AL/AX/EAX"),
	VTEST(test_outs_single, "OUTSB/OUTSW/OUTSL without REP advance RSI"),
	VTEST(test_ins_single, "INSB/INSW/INSL without REP advance RDI"),
	VTEST(test_rep_outs_small, "REP OUTS within the data area: one exit"),
	VTEST(test_rep_ins_small, "REP INS within the data area: one exit"),
	VTEST(test_rep_outs_big, "REP OUTS of 5000-6000 bytes: 2 KiB chunks in order"),
	VTEST(test_rep_ins_big, "REP INS of 5000-6000 bytes: 2 KiB chunks in order"),
	VTEST(test_string_df, "string I/O with RFLAGS.DF set walks memory downwards"),
	VTEST(test_rep_zero, "REP OUTSB with RCX = 0 does nothing"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
