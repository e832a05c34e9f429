// SPDX-License-Identifier: GPL-2.0-only
/*
 * Each CPU mode doing I/O: real mode, 16-bit and 32-bit protected mode
 * (hand-written code below, copied to low memory) and 64-bit mode (the
 * rest of the tests). Port I/O of each size and a REP string, MMIO reads
 * and writes through the instruction decoder, hypercalls with 32-bit
 * registers; an interrupt through the real-mode IVT; and a vCPU that
 * starts in real mode and switches itself to long mode, as a bootloader
 * does, to run 64-bit C code.
 */
#include <string.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"
#include "cpu_modes_test.h"

#define BLOB		0x8000
#define VGA		0xb8000
#define P_OUT		0x10
#define P_IN		0x11
#define P_ECHO		0x12
#define P_STR		0x13
#define P_DONE		0x1f

enum step_kind { OUT, IN, OUTS, MMIO_W, MMIO_R, HCALL, DONE };

#define S_OUT(p, sz, v)	{ .kind = OUT, .port = (p), .size = (sz), .val = (v) }
#define S_IN(p, sz, v)	{ .kind = IN, .port = (p), .size = (sz), .val = (v) }
#define S_OUTS(p, sz, n, b) \
	{ .kind = OUTS, .port = (p), .size = (sz), .addr = (n), .bytes = (b) }
#define S_MMIO_W(a, sz, v) \
	{ .kind = MMIO_W, .addr = (a), .size = (sz), .val = (v) }
#define S_MMIO_R(a, sz, v) \
	{ .kind = MMIO_R, .addr = (a), .size = (sz), .val = (v) }
#define S_HCALL(ret)	{ .kind = HCALL, .val = (ret) }
#define S_DONE		{ .kind = DONE, .port = P_DONE }

struct step {
	enum step_kind kind;
	u16 port;
	u8 size;
	u64 addr;	/* MMIO; OUTS: element count */
	u64 val;	/* OUT/MMIO_W: expected; IN/MMIO_R/HCALL: returned */
	const char *bytes;	/* OUTS */
};

static void run_steps(struct vcpu *vcpu, const struct step *steps, int n)
{
	struct vireo_run *run = vcpu->run;
	int i;

	for (i = 0; i < n; i++) {
		const struct step *s = &steps[i];
		u64 v = 0;

		vcpu_run(vcpu);
		if (s->kind == MMIO_W || s->kind == MMIO_R) {
			if (run->exit_reason != VIREO_EXIT_MMIO)
				vcpu_dump(vcpu);
			TEST_ASSERT(run->exit_reason == VIREO_EXIT_MMIO &&
				    run->mmio.phys_addr == s->addr &&
				    run->mmio.len == s->size &&
				    !!run->mmio.is_write == (s->kind == MMIO_W),
				    "step %d: expected MMIO %s %#llx len %u", i,
				    s->kind == MMIO_W ? "write" : "read",
				    s->addr, s->size);
			if (s->kind == MMIO_R) {
				memcpy(run->mmio.data, &s->val, 8);
				continue;
			}
			memcpy(&v, run->mmio.data, s->size);
			TEST_ASSERT(v == s->val, "step %d: wrote %#llx, expected %#llx",
				    i, v, s->val);
			continue;
		}
		if (s->kind == HCALL) {
			vcpu_assert_exit(vcpu, VIREO_EXIT_HYPERCALL);
			TEST_ASSERT(run->hypercall.nr == 0x1000 &&
				    run->hypercall.args[0] == 1 &&
				    run->hypercall.args[1] == 2 &&
				    run->hypercall.args[2] == 3 &&
				    run->hypercall.args[3] == 4 &&
				    run->hypercall.args[4] == 5,
				    "step %d: hypercall %#llx (%#llx, %#llx, %#llx, %#llx, %#llx)",
				    i, run->hypercall.nr, run->hypercall.args[0],
				    run->hypercall.args[1], run->hypercall.args[2],
				    run->hypercall.args[3], run->hypercall.args[4]);
			run->hypercall.ret = s->val;
			continue;
		}
		if (run->exit_reason != VIREO_EXIT_IO)
			vcpu_dump(vcpu);
		TEST_ASSERT(run->exit_reason == VIREO_EXIT_IO &&
			    run->io.port == s->port &&
			    run->io.direction == (s->kind == IN ? VIREO_IO_IN :
						  VIREO_IO_OUT),
			    "step %d: expected I/O on port %#x, got %s port %#x",
			    i, s->port, exit_reason_str(run->exit_reason),
			    run->io.port);
		if (s->kind == DONE)
			return;
		if (s->kind == OUTS) {
			TEST_ASSERT(run->io.size == s->size &&
				    run->io.count == s->addr &&
				    !memcmp(vcpu_io_data(vcpu), s->bytes,
					    s->size * s->addr),
				    "step %d: string of %u x %u bytes", i,
				    run->io.count, run->io.size);
			continue;
		}
		TEST_ASSERT(run->io.size == s->size && run->io.count == 1,
			    "step %d: size %u count %u, expected size %u", i,
			    run->io.size, run->io.count, s->size);
		if (s->kind == IN) {
			memcpy(vcpu_io_data(vcpu), &s->val, s->size);
			continue;
		}
		memcpy(&v, vcpu_io_data(vcpu), s->size);
		TEST_ASSERT(v == s->val, "step %d: OUT %#llx, expected %#llx", i,
			    v, s->val);
	}
}

static const struct step steps16[] = {
	S_OUT(P_OUT, 1, 0x12),
	S_OUT(P_OUT, 2, 0x3456),
	S_OUT(P_OUT, 4, 0x789abcde),
	S_IN(P_IN, 1, 0xa1),
	S_OUT(P_ECHO, 1, 0xa1),
	S_IN(P_IN, 2, 0xa2b2),
	S_OUT(P_ECHO, 2, 0xa2b2),
	S_IN(P_IN, 4, 0xa4b4c4d4),
	S_OUT(P_ECHO, 4, 0xa4b4c4d4),
	S_OUTS(P_STR, 1, 5, "hello"),
	S_OUT(P_ECHO, 2, 0),	/* SI: filled in below */
	S_MMIO_W(VGA + 0x10, 2, 0x1f41),
	S_MMIO_R(VGA + 0x20, 4, 0x87654321),
	S_OUT(P_ECHO, 4, 0x87654321),
	S_MMIO_R(VGA + 0x30, 1, 0xf0),
	S_OUT(P_ECHO, 2, 0x00f0),
	S_OUT(P_ECHO, 4, 0),	/* NOP hypercall's EAX */
	S_DONE,
};

/* The offset of the string's end from the segment base, after REP OUTSB. */
static void run_16(struct vcpu *vcpu, u64 si_after)
{
	struct step s[ARRAY_SIZE(steps16)];

	memcpy(s, steps16, sizeof(s));
	s[10].val = si_after;
	run_steps(vcpu, s, ARRAY_SIZE(s));
}

static void test_real_mode(void)
{
	struct vm *vm = vm_create();
	struct vireo_sregs sregs;
	struct vcpu *vcpu;

	vm_add_low_memory(vm);
	vm_load_blob(vm, BLOB, blob16_start, blob16_end);
	vcpu = vm_vcpu_add(vm, 0, NULL);
	vcpu_setup_real_mode(vcpu, BLOB >> 4, 0, 0xfff0);
	vcpu_sregs_get(vcpu, &sregs);
	sregs.es.selector = VGA >> 4;
	sregs.es.base = VGA;
	vcpu_sregs_set(vcpu, &sregs);
	run_16(vcpu, blob16_end - blob16_start);
	vm_free(vm);
}

static void test_prot16(void)
{
	struct vm *vm = vm_create();
	struct vireo_sregs sregs;
	struct vireo_regs regs;
	struct vcpu *vcpu;

	vm_add_low_memory(vm);
	vm_load_blob(vm, BLOB, blob16_start, blob16_end);
	vcpu = vm_vcpu_add(vm, 0, NULL);
	vcpu_setup_prot_mode(vcpu, 16, BLOB, 0xfff0);
	vcpu_sregs_get(vcpu, &sregs);
	TEST_ASSERT(!sregs.cs.db && !sregs.cs.l, "CS is not a 16-bit segment");
	sregs.es.base = VGA;
	vcpu_sregs_set(vcpu, &sregs);
	vcpu_regs_get(vcpu, &regs);
	regs.rbx = BLOB;
	vcpu_regs_set(vcpu, &regs);
	run_16(vcpu, blob16_end - blob16_start);
	vm_free(vm);
}

static void test_prot32(void)
{
	struct vm *vm = vm_create();
	struct vireo_regs regs;
	struct vcpu *vcpu;
	u64 end = BLOB + (blob32_end - blob32_start);
	const struct step steps[] = {
		S_OUT(P_OUT, 1, 0x12),
		S_OUT(P_OUT, 2, 0x3456),
		S_OUT(P_OUT, 4, 0x789abcde),
		S_IN(P_IN, 4, 0xa4b4c4d4),
		S_OUT(P_ECHO, 4, 0xa4b4c4d4),
		S_OUTS(P_STR, 4, 2, "hellowor"),
		S_OUT(P_ECHO, 4, end),
		S_MMIO_W(VGA + 0x10, 2, 0x1f41),
		S_MMIO_W(0xc0000000, 4, 0xcafef00d),
		S_MMIO_R(0xc0000010, 4, 0x600dbeef),
		S_OUT(P_ECHO, 4, 0x600dbeef),
		S_MMIO_R(0xc0000020, 1, 0x80),
		S_OUT(P_ECHO, 4, 0xffffff80),
		S_MMIO_W(0xc0000040, 4, 0x11223344),
		S_MMIO_W(0xc0000044, 4, 0x11223344),
		S_MMIO_W(0xc0000048, 4, 0x11223344),
		S_OUT(P_ECHO, 4, 0),
		S_HCALL(0xfffffffffffffffbULL),
		S_OUT(P_ECHO, 4, 0xfffffffb),
		S_DONE,
	};

	vm_add_low_memory(vm);
	vm_load_blob(vm, BLOB, blob32_start, blob32_end);
	vm_route(vm, VIREO_RANGE_HYPERCALL, 0x1000, 1);
	vcpu = vm_vcpu_add(vm, 0, NULL);
	vcpu_setup_prot_mode(vcpu, 32, BLOB, 0x7000);
	/* Garbage in the upper halves: 32-bit code sees only the lower. */
	vcpu_regs_get(vcpu, &regs);
	regs.rax = 0xdead000000000000ULL;
	regs.rbx = regs.rax;
	regs.rcx = regs.rax;
	regs.rdx = regs.rax;
	regs.rsi = regs.rax;
	regs.rdi = regs.rax;
	vcpu_regs_set(vcpu, &regs);
	run_steps(vcpu, steps, ARRAY_SIZE(steps));
	vm_free(vm);
}

static void test_real_mode_irq(void)
{
	struct vm *vm = vm_create();
	u8 *low = vm_add_low_memory(vm);
	u16 ivt[2] = { blob_irq_isr - blob_irq_start, BLOB >> 4 };
	const struct step steps[] = {
		S_OUT(P_ECHO, 1, 0x30),
		S_DONE,
	};
	struct vcpu *vcpu;

	vm_load_blob(vm, BLOB, blob_irq_start, blob_irq_end);
	memcpy(low + 0x30 * 4, ivt, sizeof(ivt));
	vcpu = vm_vcpu_add(vm, 0, NULL);
	vcpu_setup_real_mode(vcpu, BLOB >> 4, 0, 0xfff0);
	vcpu_interrupt(vcpu, 0x30);
	run_steps(vcpu, steps, ARRAY_SIZE(steps));
	vm_free(vm);
}

static void guest_booted(u64 apic_id)
{
	u32 a, b, c, d;

	GUEST_ASSERT_EQ(apic_id, 0);
	GUEST_ASSERT(rdmsr(MSR_EFER) & EFER_LMA);
	GUEST_ASSERT((read_cr0() & (X86_CR0_PE | X86_CR0_PG)) ==
		     (X86_CR0_PE | X86_CR0_PG));
	GUEST_ASSERT(read_cr4() & X86_CR4_PAE);
	/* Exceptions work through the IDT the trampoline loaded. */
	GUEST_ASSERT_EQ(asm_safe("ud2", "i"(0)), GUEST_FAULT(UD_VECTOR));
	cpuid_count(0, 0, &a, &b, &c, &d);
	GUEST_ASSERT(a >= 1);
	GUEST_DONE();
}

static void test_boot_to_long_mode(void)
{
	struct vm *vm = vm_create();
	struct vireo_sregs sregs;
	struct vcpu *vcpu;

	vm_add_low_memory(vm);
	vm_install_boot(vm, BLOB, guest_booted);
	vcpu = vm_vcpu_add(vm, 0, NULL);
	vcpu_setup_real_mode(vcpu, BLOB >> 4, 0, 0);
	vcpu_expect_done(vcpu);
	vcpu_sregs_get(vcpu, &sregs);
	TEST_ASSERT((sregs.efer & (EFER_LME | EFER_LMA)) ==
		    (EFER_LME | EFER_LMA) && sregs.cs.l && !sregs.cs.db,
		    "after the switch: EFER %#llx CS.L %u CS.D %u", sregs.efer,
		    sregs.cs.l, sregs.cs.db);
	TEST_ASSERT_EQ(sregs.cs.selector, KERNEL_CS);
	TEST_ASSERT_EQ(sregs.tr.selector, TSS_SEL(0));
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_real_mode, "real mode: IN/OUT 1-4 bytes, REP OUTSB, MMIO, VMCALL"),
	VTEST(test_prot16, "16-bit protected mode: the same code and results"),
	VTEST(test_prot32, "32-bit protected mode: I/O, MMIO, REP STOSL, hypercalls"),
	VTEST(test_real_mode_irq, "real mode: VIREO_INTERRUPT through the IVT wakes HLT"),
	VTEST(test_boot_to_long_mode, "real mode to long mode by the guest itself, then C code"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
