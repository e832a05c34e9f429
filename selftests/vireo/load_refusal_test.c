// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo.ko refuses to load on a CPU it cannot run on, and says why.
 *
 * Usage: load_refusal_test MODULE.ko ERRNO MESSAGE
 *
 * Loads the module with finit_module(2) and expects it to fail with ERRNO
 * (a number), the kernel log to gain a record containing MESSAGE, and no
 * trace of the module to remain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"
#include "vireo_util.h"

int main(int argc, char **argv)
{
	int mod, kmsg, r, want;

	if (argc != 4)
		tap_bail("usage: %s MODULE.ko ERRNO MESSAGE", argv[0]);
	want = atoi(argv[2]);
	tap_plan(3);
	kmsg = kmsg_open_at_end();
	mod = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (mod < 0)
		tap_bail("open %s: %s", argv[1], strerror(errno));
	errno = 0;
	r = syscall(SYS_finit_module, mod, "", 0);
	tap_ok(r == -1 && errno == want, "load fails with %s (got %d, %s)",
	       strerror(want), r, strerror(errno));
	tap_ok(kmsg >= 0 && kmsg_contains(kmsg, argv[3]),
	       "kernel log says: %s", argv[3]);
	tap_ok(access("/sys/module/vireo", F_OK) && access(VIREO_DEV, F_OK),
	       "no module and no " VIREO_DEV " left behind");
	if (!r)
		syscall(SYS_delete_module, "vireo", O_NONBLOCK);
	return tap_finish();
}
