// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID: what VIREO_GET_SUPPORTED_CPUID offers, the guest seeing exactly
 * the table its VMM set with VIREO_SET_CPUID (but for the bits the CPU
 * computes: APIC enable, OSXSAVE, OSPKE, XSAVE sizes), per vCPU, and
 * vireo's leaves 0x40000000-0x40000002 only behind the hypervisor bit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vireo_para.h>

#include "guest.h"
#include "harness.h"
#include "processor.h"
#include "ucall.h"
#include "vm.h"

/* The table the guest checks itself against; set before vm_create(). */
static struct vireo_cpuid_entry table[VIREO_MAX_CPUID_ENTRIES];
static u32 table_n;

static void set_table(const struct vireo_cpuid *c)
{
	memcpy(table, c->entries, c->nent * sizeof(table[0]));
	table_n = c->nent;
}

/* Register bits the CPU computes from state rather than from the table. */
static void dynamic_mask(const struct vireo_cpuid_entry *e, u32 *m)
{
	memset(m, 0xff, 4 * sizeof(*m));
	if (e->function == 1) {
		m[2] &= ~CPUID_1_ECX_OSXSAVE;
		m[3] &= ~CPUID_1_EDX_APIC;
	}
	if (e->function == 7 && e->index == 0)
		m[2] &= ~BIT(4);		/* OSPKE */
	if (e->function == 0xd && e->index <= 1)
		m[1] = 0;			/* XSAVE size for this XCR0 */
}

static void guest_check_table(void)
{
	u32 i, r[4], m[4], k;

	for (i = 0; i < table_n; i++) {
		const struct vireo_cpuid_entry *e = &table[i];
		u32 want[4] = { e->eax, e->ebx, e->ecx, e->edx };

		cpuid_count(e->function, e->index, &r[0], &r[1], &r[2], &r[3]);
		dynamic_mask(e, m);
		for (k = 0; k < 4; k++)
			if ((r[k] ^ want[k]) & m[k])
				ucall_assert(__FILE__, __LINE__,
					     "CPUID (function, index, register, value, table)",
					     4, (u64)e->function << 32 | e->index,
					     (u64)k, (u64)r[k], (u64)want[k]);
	}
	GUEST_DONE();
}

static void guest_signature(u64 want_pv)
{
	u32 a, b, c, d;
	char sig[12];

	cpuid_count(1, 0, &a, &b, &c, &d);
	GUEST_ASSERT_EQ(!!(c & CPUID_1_ECX_HYPERVISOR), want_pv);
	cpuid_count(VIREO_CPUID_SIGNATURE, 0, &a, &b, &c, &d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	if (!want_pv) {
		GUEST_ASSERT(memcmp(sig, VIREO_SIGNATURE, 12));
		GUEST_DONE();
	}
	GUEST_ASSERT(!memcmp(sig, VIREO_SIGNATURE, 12));
	GUEST_ASSERT_1(a >= VIREO_CPUID_PLATFORM, a);
	cpuid_count(VIREO_CPUID_FEATURES, 0, &a, &b, &c, &d);
	GUEST_ASSERT_EQ(a, VIREO_PV_F_SYSTEM | VIREO_PV_F_IDLE);
	GUEST_ASSERT_EQ(b | c | d, 0);
	cpuid_count(VIREO_CPUID_PLATFORM, 0, &a, &b, &c, &d);
	GUEST_ASSERT_EQ(a, 0x0403);
	GUEST_DONE();
}

static void test_supported(void)
{
	struct vireo_cpuid *c = (struct vireo_cpuid *)supported_cpuid();
	struct vireo_cpuid_entry *l1 = cpuid_find(c, 1, 0);
	unsigned int i, j;

	TEST_ASSERT(cpuid_find(c, 0, 0) && l1, "no leaf 0 or 1");
	TEST_ASSERT(!(l1->ecx & CPUID_1_ECX_VMX), "VMX offered to guests");
	TEST_ASSERT(!(l1->ecx & CPUID_1_ECX_X2APIC), "x2APIC offered");
	TEST_ASSERT(!(l1->ecx & CPUID_1_ECX_HYPERVISOR), "hypervisor bit set");
	TEST_ASSERT(l1->ecx & CPUID_1_ECX_TSC_DEADLINE, "no TSC deadline");
	TEST_ASSERT(l1->edx & CPUID_1_EDX_APIC, "no APIC");
	for (i = 0; i < c->nent; i++) {
		struct vireo_cpuid_entry *e = &c->entries[i];

		TEST_ASSERT(!e->reserved[0] && !e->reserved[1] &&
			    !e->reserved[2] && !(e->flags & ~VIREO_CPUID_INDEXED),
			    "entry %u (%#x): reserved bits set", i, e->function);
		TEST_ASSERT((e->flags & VIREO_CPUID_INDEXED) || !e->index,
			    "entry %#x has index %u but is not indexed",
			    e->function, e->index);
		TEST_ASSERT((e->function & 0xffff0000) != 0x40000000,
			    "leaf %#x is the VMM's to offer", e->function);
		if (e->function == 4 || e->function == 7 ||
		    e->function == 0xb || e->function == 0xd)
			TEST_ASSERT(e->flags & VIREO_CPUID_INDEXED,
				    "leaf %#x is not marked indexed", e->function);
		for (j = 0; j < i; j++)
			TEST_ASSERT(c->entries[j].function != e->function ||
				    c->entries[j].index != e->index,
				    "leaf %#x index %u twice", e->function,
				    e->index);
	}
}

static void test_table(void)
{
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 0);
	struct vireo_cpuid_entry *e;
	struct vcpu *vcpu;
	struct vm *vm;

	/* A brand string of our own: the guest must see it, not the host's. */
	e = cpuid_find(c, 0x80000002, 0);
	if (e) {
		memcpy(&e->eax, "vire", 4);
		memcpy(&e->ebx, "o se", 4);
		memcpy(&e->ecx, "lfte", 4);
		memcpy(&e->edx, "st 1", 4);
	}
	cpuid_set_apic_id(c, 0);
	set_table(c);
	vm = vm_create_with_one_vcpu(&vcpu, guest_check_table);
	vcpu_set_cpuid(vcpu, c);
	vcpu_expect_done(vcpu);
	vm_free(vm);
	free(c);
}

/* Two vCPUs, two tables: each sees its own. */
static void test_per_vcpu(void)
{
	struct vireo_cpuid *c[2];
	struct vcpu *v[2];
	struct vm *vm;
	int i;

	for (i = 0; i < 2; i++) {
		c[i] = cpuid_dup(supported_cpuid(), 0);
		cpuid_set_apic_id(c[i], i);
		/* Leaf 6 differs: thermal and power bits, harmless. */
		if (cpuid_find(c[i], 6, 0))
			cpuid_find(c[i], 6, 0)->ebx = 0x10 + i;
	}
	set_table(c[1]);
	vm = vm_create_with_vcpus(2, guest_check_table, v);
	vcpu_set_cpuid(v[0], c[0]);
	vcpu_set_cpuid(v[1], c[1]);
	vcpu_expect_done(v[1]);
	/* vCPU 0 checks vCPU 1's table: it must differ somewhere. */
	if (cpuid_find(c[0], 6, 0)) {
		struct ucall uc;

		TEST_ASSERT_EQ(vcpu_run_ucall_any(v[0], &uc), UCALL_ABORT);
		TEST_ASSERT(uc.args[0] >> 32 == 6 || uc.args[0] >> 32 == 1,
			    "vCPU 0 differs first at leaf %#llx",
			    uc.args[0] >> 32);
	}
	vm_free(vm);
	free(c[0]);
	free(c[1]);
}

static void test_no_pv_without_hv_bit(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_signature);
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 3);
	int r;

	vcpu_args_set(vcpu, 1, 0ULL);
	vcpu_expect_done(vcpu);
	vm_free(vm);

	/* vireo's leaf in the table, the hypervisor bit clear. */
	cpuid_set_apic_id(c, 0);
	cpuid_set_pv(c, VIREO_PV_F_SYSTEM | VIREO_PV_F_IDLE);
	cpuid_find(c, 1, 0)->ecx &= ~CPUID_1_ECX_HYPERVISOR;
	vm = vm_create_with_one_vcpu(&vcpu, guest_signature);
	vcpu_args_set(vcpu, 1, 0ULL);
	r = __vcpu_set_cpuid(vcpu, c);
	TEST_ASSERT(!r, "SET_CPUID: %s", strerror(-r));
	vcpu_expect_done(vcpu);
	vm_free(vm);
	free(c);
}

static void test_pv_leaves(void)
{
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 3);
	struct vcpu *vcpu;
	struct vm *vm;

	cpuid_set_apic_id(c, 0);
	cpuid_set_pv(c, VIREO_PV_F_SYSTEM | VIREO_PV_F_IDLE);
	cpuid_add(c, VIREO_CPUID_PLATFORM, 0, 0)->eax = 0x0403;
	vm = vm_create_with_one_vcpu(&vcpu, guest_signature);
	vcpu_set_cpuid(vcpu, c);
	/* The signature leaf is vireo's: a VMM may not set it. */
	cpuid_add(c, VIREO_CPUID_SIGNATURE, 0, 0)->eax = VIREO_CPUID_PLATFORM;
	TEST_ASSERT_EQ(__vcpu_set_cpuid(vcpu, c), -EINVAL);
	vcpu_args_set(vcpu, 1, 1ULL);
	vcpu_expect_done(vcpu);
	vm_free(vm);
	free(c);
}

static void test_pv_features_checked(void)
{
	long offered = vireo_check_cap(VIREO_CAP_PV_FEATURES);
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 1);
	struct vcpu *vcpu;
	struct vm *vm;
	u32 bit;

	TEST_ASSERT(offered > 0 && !(offered & ~0x1fL),
		    "VIREO_CAP_PV_FEATURES is %#lx", offered);
	vm = vm_create_with_one_vcpu(&vcpu, guest_signature);
	cpuid_set_pv(c, offered);
	TEST_ASSERT_EQ(__vcpu_set_cpuid(vcpu, c), 0);
	for (bit = 0; bit < 32; bit++) {
		if (offered & BIT(bit))
			continue;
		cpuid_set_pv(c, offered | BIT(bit));
		TEST_ASSERT(__vcpu_set_cpuid(vcpu, c) == -EINVAL,
			    "SET_CPUID offering feature bit %u: not EINVAL",
			    bit);
	}
	cpuid_set_pv(c, offered);
	cpuid_find(c, VIREO_CPUID_FEATURES, 0)->ebx = 1;
	TEST_ASSERT_EQ(__vcpu_set_cpuid(vcpu, c), -EINVAL);
	vm_free(vm);
	free(c);
}

static void guest_cpuid_count(void)
{
	u32 a, b, c, d, i;

	for (i = 0; i < 100; i++)
		cpuid_count(0, 0, &a, &b, &c, &d);
	GUEST_DONE();
}

static void test_cpuid_exits(void)
{
	struct vireo_stats st;
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_cpuid_count);

	vcpu_expect_done(vcpu);
	vcpu_get_stats(vcpu, &st);
	/* CPUID always exits; vireo answers in the kernel. */
	TEST_ASSERT(st.vmx_exits[10] >= 100, "vmx_exits[CPUID] = %llu",
		    st.vmx_exits[10]);
	TEST_ASSERT_EQ(st.user_exits[VIREO_EXIT_IO], 1);
	vm_free(vm);
}

static const struct vtest tests[] = {
	VTEST(test_supported, "GET_SUPPORTED_CPUID: no VMX, x2APIC or hypervisor bit; well formed"),
	VTEST(test_table, "the guest sees its SET_CPUID table, leaf by leaf"),
	VTEST(test_per_vcpu, "each vCPU sees its own table"),
	VTEST(test_no_pv_without_hv_bit, "no vireo signature without the hypervisor bit"),
	VTEST(test_pv_leaves, "with the hypervisor bit: vireo's signature, features, platform"),
	VTEST(test_pv_features_checked, "0x40000001: EAX within VIREO_CAP_PV_FEATURES, EBX-EDX 0"),
	VTEST(test_cpuid_exits, "100 CPUIDs: handled in the kernel, counted"),
};

int main(int argc, char **argv)
{
	return harness_run(tests, ARRAY_SIZE(tests), argc, argv);
}
