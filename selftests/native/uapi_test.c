// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl ABI in uapi/linux/vireo.h, pinned: struct sizes and offsets
 * (at build time) and every ioctl and capability number (at run time, as
 * literal values, so a renumbering fails here before it ships).
 */
#include <assert.h>
#include <stddef.h>
#include <linux/vireo.h>

#include "tap.h"

static_assert(sizeof(struct vireo_vm_create) == 72, "vireo_vm_create size");
static_assert(offsetof(struct vireo_vm_create, id) == 4, "id offset");
static_assert(offsetof(struct vireo_vm_create, name) == 8, "name offset");
static_assert(offsetof(struct vireo_vm_create, reserved) == 40, "reserved offset");

struct pinned {
	const char *name;
	unsigned long value, want;
};

#define PIN(x, v)	{ #x, (unsigned long)(x), (v) }

static const struct pinned pins[] = {
	PIN(VIREO_IO, 0xbe),
	PIN(VIREO_API_VERSION, 1),
	PIN(VIREO_VM_NAME_LEN, 32),
	PIN(VIREO_GET_API_VERSION, 0xbe00),
	PIN(VIREO_CHECK_CAP, 0xbe01),
	PIN(VIREO_CREATE_VM, 0xc048be02),
	PIN(VIREO_CAP_MAX_VMS, 1),
	PIN(VIREO_CAP_EPT_LARGE_PAGES, 2),
	PIN(VIREO_EPT_LARGE_PAGE_2M, 1),
	PIN(VIREO_EPT_LARGE_PAGE_1G, 2),
	PIN(VIREO_CAP_PREEMPTION_TIMER, 3),
};

int main(void)
{
	size_t i, n = ARRAY_SIZE(pins);

	tap_plan(n);
	for (i = 0; i < n; i++)
		tap_ok(pins[i].value == pins[i].want, "%s is %#lx (got %#lx)",
		       pins[i].name, pins[i].want, pins[i].value);
	return tap_finish();
}
