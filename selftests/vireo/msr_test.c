// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSRs: ranges routed to the VMM (VIREO_EXIT_MSR, reads, writes and the
 * VMM's #GP), unknown MSRs raising #GP without an exit, and the guest's
 * and the VMM's (VIREO_GET_MSRS / VIREO_SET_MSRS) views of the same MSRs
 * agreeing. Which MSRs vireo itself emulates, and how, is in
 * priv_insn_test.
 */
#include <stdlib.h>
#include <sys/ioctl.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vireo_util.h"
#include "vm.h"

#define ROUTED		0x00abc000
#define UNKNOWN		0x00abcdef

static void guest_routed(void)
{
	u64 v;

	GUEST_ASSERT_EQ(rdmsr(ROUTED), 0x1122334455667788ULL);
	wrmsr(ROUTED + 1, 0xcafebabe00000001ULL);
	/* The VMM refuses these two: #GP. */
	GUEST_ASSERT_EQ(rdmsr_safe(ROUTED + 2, &v), GUEST_FAULT(GP_VECTOR));
	GUEST_ASSERT_EQ(wrmsr_safe(ROUTED + 3, 5), GUEST_FAULT(GP_VECTOR));
	/* Just outside the range: vireo does not know it. */
	GUEST_ASSERT_EQ(rdmsr_safe(ROUTED + 4, &v), GUEST_FAULT(GP_VECTOR));
	GUEST_ASSERT_EQ(wrmsr_safe(ROUTED - 1, 0), GUEST_FAULT(GP_VECTOR));
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(rdmsr_safe(ROUTED, &v), GUEST_FAULT(GP_VECTOR));
	GUEST_DONE();
}

static void expect_msr(struct vcpu *vcpu, u32 index, bool write)
{
	vcpu_run(vcpu);
	vcpu_assert_exit(vcpu, VIREO_EXIT_MSR);
	TEST_ASSERT(vcpu->run->msr.index == index &&
		    !!vcpu->run->msr.is_write == write,
		    "msr exit: index %#x write %u, expected %#x %u",
		    vcpu->run->msr.index, vcpu->run->msr.is_write, index,
		    write);
}

static void test_routed(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_routed);
	struct vireo_run *run = vcpu->run;

	vm_route(vm, VIREO_RANGE_MSR, ROUTED, 4);
	expect_msr(vcpu, ROUTED, false);
	TEST_ASSERT_EQ(run->hw_exit_reason, 31);	/* RDMSR */
	run->msr.data = 0x1122334455667788ULL;
	run->msr.error = 0;
	expect_msr(vcpu, ROUTED + 1, true);
	TEST_ASSERT_EQ(run->hw_exit_reason, 32);	/* WRMSR */
	TEST_ASSERT_EQ(run->msr.data, 0xcafebabe00000001ULL);
	run->msr.error = 0;
	expect_msr(vcpu, ROUTED + 2, false);
	run->msr.error = 1;
	expect_msr(vcpu, ROUTED + 3, true);
	TEST_ASSERT_EQ(run->msr.data, 5);
	run->msr.error = 1;
	vcpu_expect_sync(vcpu, 1);
	vcpu_get_stats(vcpu, &st);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_MSR], 4);
	TEST_ASSERT_OK(__vm_set_user_range(vm, VIREO_RANGE_MSR,
					   VIREO_RANGE_REMOVE, ROUTED, 4));
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

static void guest_unknown(void)
{
	u64 v = 0x5555;

	GUEST_ASSERT_EQ(rdmsr_safe(UNKNOWN, &v), GUEST_FAULT(GP_VECTOR));
	GUEST_ASSERT_EQ(wrmsr_safe(UNKNOWN, 1), GUEST_FAULT(GP_VECTOR));
	GUEST_ASSERT_EQ(rdmsr_safe(0xffffffff, &v), GUEST_FAULT(GP_VECTOR));
	GUEST_ASSERT_EQ(rdmsr_safe(0x40000000, &v), GUEST_FAULT(GP_VECTOR));
	/* The guest has no VMX: its capability MSRs do not exist. */
	GUEST_ASSERT_EQ(rdmsr_safe(MSR_IA32_VMX_BASIC, &v),
			GUEST_FAULT(GP_VECTOR));
	GUEST_DONE();
}

static void test_unknown(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_unknown);
	struct ucall uc;

	/* Every access above faults in the guest: no exit but the ucall. */
	TEST_ASSERT_EQ(vcpu_run_ucall(vcpu, &uc), UCALL_DONE);
	vm_free(vm);
}

/* MSRs a VMM saves and restores; written by the guest, then the host. */
static const u32 shared_msrs[] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

static u64 msr_value(unsigned int i, u64 salt)
{
	if (shared_msrs[i] == MSR_SYSCALL_MASK)
		return 0x4700 ^ salt;	/* bits that exist */
	if (shared_msrs[i] == MSR_IA32_SYSENTER_CS)
		return 0x10 + salt;
	if (shared_msrs[i] == MSR_STAR)
		return 0x0023001000000000ULL + salt;
	return 0xffffffff81000000ULL + (i << 12) + salt;
}

static void guest_views(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shared_msrs); i++)
		wrmsr(shared_msrs[i], msr_value(i, 1));
	GUEST_SYNC(1);
	for (i = 0; i < ARRAY_SIZE(shared_msrs); i++)
		GUEST_ASSERT_EQ(rdmsr(shared_msrs[i]), msr_value(i, 2));
	GUEST_DONE();
}

static void test_views(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_views);
	unsigned int i;

	vcpu_expect_sync(vcpu, 1);
	for (i = 0; i < ARRAY_SIZE(shared_msrs); i++) {
		u64 v = vcpu_get_msr(vcpu, shared_msrs[i]);

		TEST_ASSERT(v == msr_value(i, 1),
			    "GET_MSRS %#x: %#llx, the guest wrote %#llx",
			    shared_msrs[i], v, msr_value(i, 1));
		vcpu_set_msr(vcpu, shared_msrs[i], msr_value(i, 2));
	}
	vcpu_expect_done(vcpu);
	vm_free(vm);
}

/* GET_MSRS of several entries at once, and of every MSR the list names. */
static void test_msr_list(void)
{
	struct vireo_msr_list *list = calloc(1, sizeof(*list) + 1024 * 4);
	struct vireo_msrs *m;
	struct vcpu *vcpu;
	struct vm *vm;
	unsigned int i;
	int fd, r;

	fd = vireo_open();
	list->nmsrs = 1024;
	TEST_ASSERT_OK(ioctl(fd, VIREO_GET_MSR_LIST, list));
	TEST_ASSERT(list->nmsrs > 0 && list->nmsrs <= VIREO_MAX_MSR_ENTRIES,
		    "%u MSRs", list->nmsrs);
	vm = vm_create_with_one_vcpu(&vcpu, guest_views);
	m = calloc(1, sizeof(*m) + list->nmsrs * sizeof(m->entries[0]));
	m->nmsrs = list->nmsrs;
	for (i = 0; i < list->nmsrs; i++)
		m->entries[i].index = list->indices[i];
	r = ioctl(vcpu->fd, VIREO_GET_MSRS, m);
	TEST_ASSERT(r == (int)list->nmsrs,
		    "GET_MSRS of the %u listed MSRs returned %d (%m)",
		    list->nmsrs, r);
	/* Writing back what was read must be accepted, every one of them. */
	r = ioctl(vcpu->fd, VIREO_SET_MSRS, m);
	TEST_ASSERT(r == (int)list->nmsrs,
		    "SET_MSRS of the values just read returned %d of %u (%m)",
		    r, list->nmsrs);
	vm_free(vm);
	free(m);
	free(list);
}

static const struct vtest tests[] = {
	VTEST(test_routed, "routed MSRs exit for RDMSR and WRMSR; error = 1 raises #GP"),
	VTEST(test_unknown, "unknown and VMX MSRs raise #GP in the guest, no exit"),
	VTEST(test_views, "the guest's MSR writes show in GET_MSRS; SET_MSRS reaches the guest"),
	VTEST(test_msr_list, "every MSR of GET_MSR_LIST can be read and written back"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
