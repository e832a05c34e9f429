// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the VMX requirements check of caps.c.
 *
 * Each case starts from an MSR set that has everything vireo needs, takes
 * one feature away, and expects vireo_caps_missing() to name exactly that
 * feature. The features are restated here from the SDM rather than read
 * from vireo's table, so a requirement dropped from the table fails a case.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include "../caps.h"

/* Allowed-1 bits of a control MSR. */
#define CTL(bit)	((u64)(bit) << 32)

static void caps_complete(struct vireo_vmx_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->msr[VIREO_MSR_BASIC] = VMX_BASIC_TRUE_CTLS |
		(VMX_BASIC_MEM_TYPE_WB << VMX_BASIC_MEM_TYPE_SHIFT) |
		(4096ULL << VMX_BASIC_VMCS_SIZE_SHIFT) | 0x2b;
	caps->msr[VIREO_MSR_PIN] = CTL(PIN_BASED_EXT_INTR_MASK |
		PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS);
	caps->msr[VIREO_MSR_PROC] = CTL(CPU_BASED_INTR_WINDOW_EXITING |
		CPU_BASED_NMI_WINDOW_EXITING | CPU_BASED_HLT_EXITING |
		CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
		CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	caps->msr[VIREO_MSR_PROC2] = CTL(SECONDARY_EXEC_ENABLE_EPT |
		SECONDARY_EXEC_UNRESTRICTED_GUEST | SECONDARY_EXEC_ENABLE_VPID);
	caps->msr[VIREO_MSR_EXIT] = CTL(VM_EXIT_HOST_ADDR_SPACE_SIZE |
		VM_EXIT_ACK_INTR_ON_EXIT | VM_EXIT_SAVE_IA32_EFER |
		VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
		VM_EXIT_LOAD_IA32_PAT);
	caps->msr[VIREO_MSR_ENTRY] = CTL(VM_ENTRY_IA32E_MODE |
		VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT);
	caps->msr[VIREO_MSR_EPT_VPID] = VMX_EPT_PAGE_WALK_4_BIT |
		VMX_EPTP_WB_BIT | VMX_EPT_INVEPT_BIT |
		VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT |
		(u64)(VMX_VPID_INVVPID_BIT | VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT |
		      VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT) << 32;
}

static void caps_complete_passes(struct kunit *test)
{
	struct vireo_vmx_caps caps;

	caps_complete(&caps);
	KUNIT_EXPECT_NULL(test, vireo_caps_missing(&caps));
}

static void caps_all_ones_is_not_enough(struct kunit *test)
{
	struct vireo_vmx_caps caps;
	const struct vireo_vmx_req *req;

	/* Every bit set: the VMCS memory type (bits 53:50) is then 15, not WB. */
	memset(&caps, 0xff, sizeof(caps));
	req = vireo_caps_missing(&caps);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_STREQ(test, req->name, "write-back VMCS memory type");
}

struct caps_case {
	const char *desc;
	enum vireo_vmx_msr msr;
	u64 flip;		/* bits to toggle in the complete set */
	const char *missing;	/* the name vireo must report */
};

static const struct caps_case caps_cases[] = {
	{ "no TRUE controls", VIREO_MSR_BASIC, VMX_BASIC_TRUE_CTLS,
	  "TRUE VMX control MSRs" },
	{ "uncacheable VMCS", VIREO_MSR_BASIC,
	  VMX_BASIC_MEM_TYPE_WB << VMX_BASIC_MEM_TYPE_SHIFT,
	  "write-back VMCS memory type" },
	{ "32-bit VMX regions", VIREO_MSR_BASIC, VMX_BASIC_64,
	  "VMX regions above 4 GiB" },
	{ "no external-interrupt exiting", VIREO_MSR_PIN,
	  CTL(PIN_BASED_EXT_INTR_MASK), "external-interrupt exiting" },
	{ "no NMI exiting", VIREO_MSR_PIN, CTL(PIN_BASED_NMI_EXITING),
	  "NMI exiting" },
	{ "no virtual NMIs", VIREO_MSR_PIN, CTL(PIN_BASED_VIRTUAL_NMIS),
	  "virtual NMIs" },
	{ "no interrupt window", VIREO_MSR_PROC,
	  CTL(CPU_BASED_INTR_WINDOW_EXITING), "interrupt-window exiting" },
	{ "no NMI window", VIREO_MSR_PROC, CTL(CPU_BASED_NMI_WINDOW_EXITING),
	  "NMI-window exiting" },
	{ "no HLT exiting", VIREO_MSR_PROC, CTL(CPU_BASED_HLT_EXITING),
	  "HLT exiting" },
	{ "no I/O bitmaps", VIREO_MSR_PROC, CTL(CPU_BASED_USE_IO_BITMAPS),
	  "I/O bitmaps" },
	{ "no MSR bitmaps", VIREO_MSR_PROC, CTL(CPU_BASED_USE_MSR_BITMAPS),
	  "MSR bitmaps" },
	{ "no secondary controls (Core 2)", VIREO_MSR_PROC,
	  CTL(CPU_BASED_ACTIVATE_SECONDARY_CONTROLS),
	  "secondary processor-based controls" },
	{ "no EPT", VIREO_MSR_PROC2, CTL(SECONDARY_EXEC_ENABLE_EPT), "EPT" },
	{ "no unrestricted guest", VIREO_MSR_PROC2,
	  CTL(SECONDARY_EXEC_UNRESTRICTED_GUEST), "unrestricted guest" },
	{ "no VPID", VIREO_MSR_PROC2, CTL(SECONDARY_EXEC_ENABLE_VPID), "VPID" },
	{ "32-bit host", VIREO_MSR_EXIT, CTL(VM_EXIT_HOST_ADDR_SPACE_SIZE),
	  "64-bit host address space" },
	{ "no ack on exit", VIREO_MSR_EXIT, CTL(VM_EXIT_ACK_INTR_ON_EXIT),
	  "acknowledge interrupt on exit" },
	{ "no EFER save", VIREO_MSR_EXIT, CTL(VM_EXIT_SAVE_IA32_EFER),
	  "save IA32_EFER on exit" },
	{ "no EFER load on exit", VIREO_MSR_EXIT, CTL(VM_EXIT_LOAD_IA32_EFER),
	  "load IA32_EFER on exit" },
	{ "no PAT save", VIREO_MSR_EXIT, CTL(VM_EXIT_SAVE_IA32_PAT),
	  "save IA32_PAT on exit" },
	{ "no PAT load on exit", VIREO_MSR_EXIT, CTL(VM_EXIT_LOAD_IA32_PAT),
	  "load IA32_PAT on exit" },
	{ "no long-mode guest", VIREO_MSR_ENTRY, CTL(VM_ENTRY_IA32E_MODE),
	  "IA-32e mode guest" },
	{ "no EFER load on entry", VIREO_MSR_ENTRY,
	  CTL(VM_ENTRY_LOAD_IA32_EFER), "load IA32_EFER on entry" },
	{ "no PAT load on entry", VIREO_MSR_ENTRY, CTL(VM_ENTRY_LOAD_IA32_PAT),
	  "load IA32_PAT on entry" },
	{ "no 4-level EPT", VIREO_MSR_EPT_VPID, VMX_EPT_PAGE_WALK_4_BIT,
	  "4-level EPT page walk" },
	{ "no write-back EPT", VIREO_MSR_EPT_VPID, VMX_EPTP_WB_BIT,
	  "write-back EPT paging structures" },
	{ "no INVEPT", VIREO_MSR_EPT_VPID, VMX_EPT_INVEPT_BIT, "INVEPT" },
	{ "no single-context INVEPT", VIREO_MSR_EPT_VPID,
	  VMX_EPT_EXTENT_CONTEXT_BIT, "single-context and all-context INVEPT" },
	{ "no all-context INVEPT", VIREO_MSR_EPT_VPID,
	  VMX_EPT_EXTENT_GLOBAL_BIT, "single-context and all-context INVEPT" },
	{ "no INVVPID", VIREO_MSR_EPT_VPID, (u64)VMX_VPID_INVVPID_BIT << 32,
	  "INVVPID" },
	{ "no single-context INVVPID", VIREO_MSR_EPT_VPID,
	  (u64)VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT << 32,
	  "single-context and all-context INVVPID" },
	{ "no all-context INVVPID", VIREO_MSR_EPT_VPID,
	  (u64)VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT << 32,
	  "single-context and all-context INVVPID" },
};

static void caps_case_desc(const struct caps_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(caps, caps_cases, caps_case_desc);

static void caps_one_missing(struct kunit *test)
{
	const struct caps_case *c = test->param_value;
	const struct vireo_vmx_req *req;
	struct vireo_vmx_caps caps;

	/* Arrange */
	caps_complete(&caps);
	caps.msr[c->msr] ^= c->flip;
	/* Act */
	req = vireo_caps_missing(&caps);
	/* Assert */
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_STREQ(test, req->name, c->missing);
	KUNIT_EXPECT_EQ(test, req->msr, c->msr);
}

static void caps_optional_features_are_optional(struct kunit *test)
{
	struct vireo_vmx_caps caps;

	/* No preemption timer, no large EPT pages, no A/D bits: still fine. */
	caps_complete(&caps);
	caps.msr[VIREO_MSR_PIN] &= ~CTL(PIN_BASED_VMX_PREEMPTION_TIMER);
	caps.msr[VIREO_MSR_EPT_VPID] &= ~(VMX_EPT_2MB_PAGE_BIT |
					  VMX_EPT_1GB_PAGE_BIT | VMX_EPT_AD_BIT);
	caps.msr[VIREO_MSR_MISC] = 0;
	KUNIT_EXPECT_NULL(test, vireo_caps_missing(&caps));
}

static struct kunit_case caps_test_cases[] = {
	KUNIT_CASE(caps_complete_passes),
	KUNIT_CASE(caps_all_ones_is_not_enough),
	KUNIT_CASE_PARAM(caps_one_missing, caps_gen_params),
	KUNIT_CASE(caps_optional_features_are_optional),
	{}
};

static struct kunit_suite caps_test_suite = {
	.name = "vireo_caps",
	.test_cases = caps_test_cases,
};

kunit_test_suite(caps_test_suite);

MODULE_DESCRIPTION("KUnit tests for vireo");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
