// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load and unload vireo.ko many times, entering and leaving VMX each time.
 *
 * Usage: load_cycle_test MODULE.ko [CYCLES]   (default 100)
 *
 * Each cycle loads the module, creates a VM (every online CPU enters VMX
 * root operation), checks the module's accounting, closes the VM, checks
 * that every CPU left VMX, and unloads the module. The bed scenario runs a
 * kmemleak scan afterwards. Expects vireo.ko not loaded at start; leaves
 * it unloaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"
#include "vireo_util.h"

static int cycle(const char *path, char *why, size_t len)
{
	struct vmx_state on, off;
	int mod, sys, vm, r;

	mod = open(path, O_RDONLY | O_CLOEXEC);
	if (mod < 0 || syscall(SYS_finit_module, mod, "", 0)) {
		snprintf(why, len, "load: %s", strerror(errno));
		return -1;
	}
	close(mod);
	sys = open(VIREO_DEV, O_RDWR | O_CLOEXEC);
	vm = sys >= 0 ? vireo_create_vm(sys, NULL, NULL) : -errno;
	r = vmx_state_read(&on);
	if (vm >= 0)
		close(vm);
	if (sys >= 0)
		close(sys);
	r = r ?: vmx_state_read(&off);
	if (syscall(SYS_delete_module, "vireo", O_NONBLOCK)) {
		snprintf(why, len, "unload: %s", strerror(errno));
		return -1;
	}
	if (vm < 0 || r) {
		snprintf(why, len, "VM: %d, accounting: %d", vm, r);
		return -1;
	}
	if (!vmx_all_online(&on, 1) || !vmx_all_online(&off, 0) ||
	    on.users != 1 || off.users != 0) {
		snprintf(why, len, "VMX state: users %u then %u", on.users, off.users);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, n = argc > 2 ? atoi(argv[2]) : 100;
	char why[128] = "";

	if (argc < 2 || n <= 0)
		tap_bail("usage: %s MODULE.ko [CYCLES]", argv[0]);
	tap_plan(2);
	for (i = 0; i < n; i++)
		if (cycle(argv[1], why, sizeof(why)))
			break;
	tap_ok(i == n, "%d load / VM / unload cycles (%d done%s%s)", n, i,
	       *why ? ": " : "", why);
	tap_ok(access("/sys/module/vireo", F_OK) && access(VIREO_DEV, F_OK),
	       "module and " VIREO_DEV " gone at the end");
	return tap_finish();
}
