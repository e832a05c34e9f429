// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guests that cannot go on: triple faults (VIREO_EXIT_SHUTDOWN) by an
 * unusable IDT, by page tables pulled away and by missing #GP and #DF
 * gates; guest state VMX refuses, which vireo must reject at
 * VIREO_SET_SREGS (EINVAL) or stop at VIREO_RUN, never anything worse; and
 * the host carrying on.
 *
 * vcpu.rst says VM entry itself refuses what SET_SREGS lets through
 * (VIREO_EXIT_FAIL_ENTRY). An emulator's VM entry may check less than a
 * CPU does (Bochs runs a 64-bit CS outside long mode, and enters at a
 * non-canonical RIP, which then faults in the guest), so a vCPU that stops
 * with an internal error or a triple fault, or takes an exception its
 * guest code reports, passes too: what matters is that the host goes on.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

#define VMX_EXIT_TRIPLE_FAULT	2

static void guest_bad_idt(void)
{
	struct desc_ptr idtr = { .limit = 0, .base = 0 };

	GUEST_SYNC(0);
	asm volatile("lidt %0\n\t"
		     "ud2" : : "m"(idtr));
	GUEST_FAIL("survived #UD without an IDT");
}

static void guest_no_page_tables(u64 empty_pml4)
{
	GUEST_SYNC(0);
	write_cr3(empty_pml4);
	GUEST_FAIL("ran without page tables");
}

static void guest_df_fails(void)
{
	struct desc_ptr idtr;
	struct idt_gate *idt;

	/*
	 * #GP's gate is not present: #NP while delivering it, so #DF, whose
	 * gate is not present either: shutdown.
	 */
	asm volatile("sidt %0" : "=m"(idtr));
	idt = (struct idt_gate *)idtr.base;
	idt[GP_VECTOR].type_attr &= ~0x80;
	idt[DF_VECTOR].type_attr &= ~0x80;
	GUEST_SYNC(0);
	asm volatile("mov %0, %%cr4" : : "r"(BIT_ULL(63)));
	GUEST_FAIL("survived #GP without #GP and #DF gates");
}

static void expect_shutdown(void *guest_code, u64 arg)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_code);

	vcpu_args_set(vcpu, 1, arg);
	vcpu_expect_sync(vcpu, 0);
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_SHUTDOWN);
	TEST_ASSERT_EQ(vcpu->run->hw_exit_reason, VMX_EXIT_TRIPLE_FAULT);
	vm_get_stats(vm, &st);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_SHUTDOWN], 1);
	vm_free(vm);
}

static void test_triple_fault_idt(void)
{
	expect_shutdown(guest_bad_idt, 0);
}

static void test_triple_fault_paging(void)
{
	struct vm *probe = vm_create();
	u64 empty = probe->scratch_gpa;

	vm_free(probe);
	/* A zeroed page of the scratch area as PML4. */
	expect_shutdown(guest_no_page_tables, empty);
}

static void test_triple_fault_df(void)
{
	expect_shutdown(guest_df_fails, 0);
}

static void guest_done(void)
{
	GUEST_DONE();
}

struct bad_state {
	const char *what;
	void (*mangle)(struct vireo_sregs *s, struct vireo_regs *r);
};

static void pg_without_pe(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr0 &= ~X86_CR0_PE;
}

static void lma_without_pg(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr0 &= ~X86_CR0_PG;
}

static void lme_without_pae(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr4 &= ~X86_CR4_PAE;
}

static void cs_l_and_d(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cs.db = 1;
}

static void vmxe(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr4 |= X86_CR4_VMXE;
}

static void cr4_reserved(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr4 |= BIT_ULL(63);
}

static void efer_reserved(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->efer |= BIT_ULL(40);
}

static void tr_unusable(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->tr.unusable = 1;
	s->tr.present = 0;
}

static void rip_noncanonical(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)s;
	r->rip = 0x0000800000000000ULL;
}

static void cr3_beyond(struct vireo_sregs *s, struct vireo_regs *r)
{
	(void)r;
	s->cr3 |= BIT_ULL(62);
}

static const struct bad_state bad_states[] = {
	{ "CR0.PG without CR0.PE", pg_without_pe },
	{ "EFER.LMA without CR0.PG", lma_without_pg },
	{ "long mode without CR4.PAE", lme_without_pae },
	{ "CS with L and D set", cs_l_and_d },
	{ "CR4.VMXE", vmxe },
	{ "CR4 reserved bit 63", cr4_reserved },
	{ "EFER reserved bit 40", efer_reserved },
	{ "TR unusable", tr_unusable },
	{ "RIP not canonical", rip_noncanonical },
	{ "CR3 past MAXPHYADDR", cr3_beyond },
};

static void test_bad_state(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_states); i++) {
		const struct bad_state *b = &bad_states[i];
		struct vireo_sregs s;
		struct vireo_regs r;
		struct ucall uc;
		struct vcpu *vcpu;
		struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_done);
		int ret, rs;

		vcpu_sregs_get(vcpu, &s);
		vcpu_regs_get(vcpu, &r);
		b->mangle(&s, &r);
		ret = __vcpu_sregs_set(vcpu, &s);
		rs = ioctl(vcpu->fd, VIREO_SET_REGS, &r) ? -errno : 0;
		if (ret == -EINVAL || rs == -EINVAL) {
			tap_diag("%s: EINVAL at SET_%sREGS", b->what,
				 ret ? "S" : "");
			vm_free(vm);
			continue;
		}
		TEST_ASSERT(!ret && !rs, "%s: SET_SREGS %d, SET_REGS %d",
			    b->what, ret, rs);
		ret = __vcpu_run(vcpu);
		TEST_ASSERT(!ret, "%s: RUN returned %d", b->what, ret);
		if (get_ucall(vcpu, &uc) == UCALL_UNHANDLED) {
			tap_diag("%s: the guest took vector %llu at %#llx",
				 b->what, uc.args[0], uc.args[2]);
			vm_free(vm);
			continue;
		}
		TEST_ASSERT(vcpu->run->exit_reason == VIREO_EXIT_FAIL_ENTRY ||
			    vcpu->run->exit_reason == VIREO_EXIT_INTERNAL_ERROR ||
			    vcpu->run->exit_reason == VIREO_EXIT_SHUTDOWN,
			    "%s: exit %s (suberror %u, \"%.*s\"), expected FAIL_ENTRY, INTERNAL_ERROR or SHUTDOWN",
			    b->what, exit_reason_str(vcpu->run->exit_reason),
			    vcpu->run->internal.suberror,
			    VIREO_INTERNAL_REASON_LEN,
			    vcpu->run->internal.reason);
		tap_diag("%s: exit %s %s", b->what,
			 exit_reason_str(vcpu->run->exit_reason),
			 vcpu->run->exit_reason == VIREO_EXIT_INTERNAL_ERROR ?
			 vcpu->run->internal.reason : "");
		vm_free(vm);
	}
	/* And the host goes on. */
	{
		struct vcpu *vcpu;
		struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_done);

		vcpu_expect_done(vcpu);
		vm_free(vm);
	}
}

/* A far jump to a TSS in 32-bit protected mode: a hardware task switch. */
static void test_task_switch(void)
{
	struct vm *vm = vm_create();
	u8 *low = vm_add_low_memory(vm);
	struct vcpu *vcpu = vm_vcpu_add(vm, 0, NULL);

	/* ljmp $TSS_SEL(0), $0 */
	memcpy(low + 0x8000, "\xea\x00\x00\x00\x00\x40\x00", 7);
	vcpu_setup_prot_mode(vcpu, 32, 0x8000, 0x7000);
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_INTERNAL_ERROR);
	TEST_ASSERT(vcpu->run->internal.suberror == VIREO_INTERNAL_EMULATION,
		    "suberror %u", vcpu->run->internal.suberror);
	tap_diag("\"%s\"", vcpu->run->internal.reason);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_triple_fault_idt, "#UD with an empty IDT: SHUTDOWN (triple fault)"),
	VTEST(test_triple_fault_paging, "CR3 to an empty PML4: SHUTDOWN"),
	VTEST(test_triple_fault_df, "#GP, #NP and #DF gates missing: SHUTDOWN"),
	VTEST(test_task_switch, "a hardware task switch stops the vCPU (EMULATION)"),
	VTEST(test_bad_state, "10 invalid guest states: EINVAL, or the vCPU stops"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
