// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the VM name rules of VIREO_CREATE_VM (vm.c).
 */
#include <kunit/test.h>

#include "../vm.h"

struct name_case {
	const char *desc;
	char name[VIREO_VM_NAME_LEN];
	bool valid;
};

static const struct name_case name_cases[] = {
	{ "empty means unnamed", "", true },
	{ "letters and digits", "web1", true },
	{ "dot, dash, underscore", "a.b-c_d", true },
	{ "31 characters", "0123456789abcdefghijklmnopqrstu", true },
	{ "space", "web 1", false },
	{ "slash", "a/b", false },
	{ "colon", "a:b", false },
	{ "non-ASCII byte", "caf\xc3\xa9", false },
	{ "bytes after the NUL", "ab\0c", false },
	{ "no NUL in 32 bytes", "0123456789abcdefghijklmnopqrstuv", false },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(name, name_cases, name_case_desc);

static void vm_name_rules(struct kunit *test)
{
	const struct name_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vireo_vm_name_valid(c->name, sizeof(c->name)),
			c->valid);
}

static struct kunit_case vm_name_test_cases[] = {
	KUNIT_CASE_PARAM(vm_name_rules, name_gen_params),
	{}
};

static struct kunit_suite vm_name_test_suite = {
	.name = "vireo_vm_name",
	.test_cases = vm_name_test_cases,
};

kunit_test_suite(vm_name_test_suite);
