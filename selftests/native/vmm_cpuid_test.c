// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-vCPU CPUID of vireoctl run (userctl/vmm/cpuid.c), from a table
 * shaped like what VIREO_GET_SUPPORTED_CPUID returns on Bochs' Haswell:
 * APIC ids in leaves 1 and 0xB, the topology of leaves 0xB and 4, the TSC
 * leaves 0x15/0x16 that spare Linux its PIT calibration (checked with
 * Linux's own arithmetic), ARAT, no MONITOR and no hypervisor bit.
 */
#include <errno.h>

#include <assert.h>
#include <stddef.h>

#include "vmm_test.h"
#include "vmm/cpuid.h"

/* The table is what VIREO_SET_CPUID and VIREO_GET_SUPPORTED_CPUID take. */
static_assert(offsetof(struct cpuid_table, nent) == offsetof(struct vireo_cpuid, nent),
	      "nent");
static_assert(offsetof(struct cpuid_table, e) == offsetof(struct vireo_cpuid, entries),
	      "entries");

static struct cpuid_table base, out;

static void entry(u32 fn, u32 idx, bool indexed, u32 a, u32 b, u32 c, u32 d)
{
	struct vireo_cpuid_entry *e = &base.e[base.nent++];

	*e = (struct vireo_cpuid_entry){ .function = fn, .index = idx,
					 .flags = indexed ? VIREO_CPUID_INDEXED : 0,
					 .eax = a, .ebx = b, .ecx = c, .edx = d };
}

static void haswell(void)
{
	memset(&base, 0, sizeof(base));
	entry(0, 0, false, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	entry(1, 0, false, 0x306c3, 0x02100800, 0xfffa320b | BIT(31), 0x178bfbff);
	entry(4, 0, true, 0x1c004121, 0x01c0003f, 0x3f, 0);
	entry(4, 1, true, 0x1c004122, 0x01c0003f, 0x3f, 0);
	entry(4, 2, true, 0x1c004143, 0x01c0003f, 0x1ff, 0);
	entry(4, 3, true, 0x1c03c163, 0x02c0003f, 0x1fff, 6);
	entry(4, 4, true, 0, 0, 0, 0);
	entry(5, 0, false, 0x40, 0x40, 3, 0x1120);
	entry(6, 0, false, 0x1, 0, 0, 0);
	entry(7, 0, true, 0, 0x27ab, 0, 0);
	entry(0xb, 0, true, 1, 2, 0x100, 0);
	entry(0xb, 1, true, 4, 8, 0x201, 0);
	entry(0xd, 0, true, 7, 0x340, 0x340, 0);
}

static bool test_apic_ids(void)
{
	struct vireo_cpuid_entry *e;
	int id;

	haswell();
	for (id = 0; id < 3; id++) {
		EXPECT(!cpuid_for_vcpu(&base, &out, id, 3, 3000000), "cpuid_for_vcpu");
		e = cpuid_find(&out, 1, 0);
		EXPECT(e->ebx >> 24 == (u32)id && (e->ebx >> 16 & 0xff) == 3, "leaf 1 EBX %#x",
		       e->ebx);
		EXPECT((e->ebx & 0xffff) == 0x0800, "leaf 1 EBX low half changed");
		EXPECT(e->edx & BIT(28), "HTT clear with 3 logical processors");
		EXPECT(cpuid_find(&out, 0xb, 0)->edx == (u32)id &&
		       cpuid_find(&out, 0xb, 1)->edx == (u32)id, "leaf 0xB x2APIC id");
	}
	EXPECT(!cpuid_for_vcpu(&base, &out, 0, 1, 0) && !(cpuid_find(&out, 1, 0)->edx & BIT(28)),
	       "HTT set for one vCPU");
	return true;
}

static bool test_topology(void)
{
	struct vireo_cpuid_entry *smt, *core, *end;

	haswell();
	EXPECT(!cpuid_for_vcpu(&base, &out, 1, 3, 0), "cpuid_for_vcpu");
	smt = cpuid_find(&out, 0xb, 0);
	core = cpuid_find(&out, 0xb, 1);
	end = cpuid_find(&out, 0xb, 2);
	EXPECT(smt && smt->eax == 0 && smt->ebx == 1 && smt->ecx == 0x100, "SMT level %#x %#x %#x",
	       smt->eax, smt->ebx, smt->ecx);
	EXPECT(core && core->eax == 2 && core->ebx == 3 && core->ecx == 0x201, "core level");
	EXPECT(end && (end->ecx >> 8 & 0xff) == 0 && end->ecx == 2, "no third level");
	/* Leaf 4: 3 cores per package; L1/L2 per core; L3 shared by all. */
	EXPECT(cpuid_find(&out, 4, 0)->eax >> 26 == 2 &&
	       (cpuid_find(&out, 4, 0)->eax >> 14 & 0xfff) == 0, "L1d %#x",
	       cpuid_find(&out, 4, 0)->eax);
	EXPECT((cpuid_find(&out, 4, 3)->eax >> 14 & 0xfff) == 2, "L3 sharing %#x",
	       cpuid_find(&out, 4, 3)->eax);
	EXPECT((cpuid_find(&out, 4, 3)->eax & 0x3ff) == 0x163, "L3 type and level changed");
	EXPECT(cpuid_find(&out, 4, 4)->eax == 0, "the null cache leaf changed");
	return true;
}

/* Linux's native_calibrate_tsc() (arch/x86/kernel/tsc.c), integer for integer. */
static u64 linux_tsc_khz(struct cpuid_table *t)
{
	struct vireo_cpuid_entry *e = cpuid_find(t, 0x15, 0);
	u32 crystal_khz;

	if (!e || !e->eax || !e->ebx || cpuid_find(t, 0, 0)->eax < 0x15)
		return 0;
	crystal_khz = e->ecx / 1000;
	return (u64)crystal_khz * e->ebx / e->eax;
}

static bool test_tsc_leaves(void)
{
	static const u32 khz[] = { 2893000, 3500000, 4300001, 5000000, 50000, 1 };
	unsigned int i;
	u64 got;

	for (i = 0; i < ARRAY_SIZE(khz); i++) {
		haswell();
		EXPECT(!cpuid_for_vcpu(&base, &out, 0, 1, khz[i]), "cpuid_for_vcpu");
		got = linux_tsc_khz(&out);
		EXPECT(got <= khz[i] && khz[i] - got <= khz[i] / 1000000 + 2,
		       "TSC %u kHz: Linux would compute %llu", khz[i], (unsigned long long)got);
		EXPECT(cpuid_find(&out, 0x16, 0)->eax == khz[i] / 1000, "leaf 0x16 base MHz");
		EXPECT(cpuid_find(&out, 0, 0)->eax == 0x16, "max leaf %#x",
		       cpuid_find(&out, 0, 0)->eax);
	}
	haswell();
	EXPECT(!cpuid_for_vcpu(&base, &out, 0, 1, 0), "without a TSC frequency");
	EXPECT(!cpuid_find(&out, 0x15, 0) && cpuid_find(&out, 0, 0)->eax == 0xd,
	       "leaf 0x15 invented without a frequency");
	return true;
}

static bool test_hidden_features(void)
{
	haswell();
	EXPECT(!cpuid_for_vcpu(&base, &out, 0, 2, 3000000), "cpuid_for_vcpu");
	EXPECT(!(cpuid_find(&out, 1, 0)->ecx & BIT(31)), "hypervisor bit set");
	EXPECT(!(cpuid_find(&out, 1, 0)->ecx & BIT(3)), "MONITOR left on");
	EXPECT(!cpuid_find(&out, 5, 0), "MONITOR leaf left");
	EXPECT(cpuid_find(&out, 6, 0)->eax & BIT(2), "no ARAT");
	EXPECT(cpuid_find(&out, 7, 0)->ebx == 0x27ab && cpuid_find(&out, 0xd, 0)->eax == 7,
	       "unrelated leaves changed");
	EXPECT(cpuid_find(&base, 1, 0)->ecx & BIT(31), "the base table was modified");
	return true;
}

static bool test_full_table(void)
{
	haswell();
	while (base.nent < VIREO_MAX_CPUID_ENTRIES)
		entry(0x80000000 + base.nent, 0, false, 0, 0, 0, 0);
	EXPECT(cpuid_for_vcpu(&base, &out, 0, 2, 3000000) == -E2BIG,
	       "a full table took three more leaves");
	return true;
}

static const struct vmm_case cases[] = {
	{ "cpuid: APIC ids in leaves 1 and 0xB; HTT", test_apic_ids },
	{ "cpuid: leaf 0xB and leaf 4 describe N cores", test_topology },
	{ "cpuid: leaves 0x15/0x16 give Linux the TSC frequency", test_tsc_leaves },
	{ "cpuid: no hypervisor bit, no MONITOR; ARAT", test_hidden_features },
	{ "cpuid: a table with no room left is refused", test_full_table },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
