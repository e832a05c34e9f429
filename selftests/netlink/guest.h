/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tiny guests for the management plane's tests: a few bytes of real-mode
 * code at the reset vector, whose progress the host sees without asking
 * the guest anything.
 */
#ifndef VIREO_SELFTEST_GUEST_H
#define VIREO_SELFTEST_GUEST_H

#include <linux/vireo.h>

#include "nl.h"

enum tiny_guest {
	GUEST_COUNT,	/* increments a counter in memory, never exits */
	GUEST_HALT,	/* CLI; HLT: sleeps in the kernel for good */
	GUEST_OUT,	/* increments the counter, then OUT to port 0x80 */
};

#define TINY_PORT	0x80

/* One VM with one vCPU and 64 KiB of memory at 0xffff0000. */
struct tinyvm {
	int vm, vcpu;
	u32 id;
	struct vireo_run *run;
	u8 *mem;
	u64 io_exits;		/* the guest's own OUTs handled (atomic) */
};

int tinyvm_create(struct tinyvm *t, int sys_fd, const char *name, enum tiny_guest g);
void tinyvm_close(struct tinyvm *t);
u32 tinyvm_counter(const struct tinyvm *t);
int tinyvm_run(struct tinyvm *t);
enum tiny_guest tinyvm_parse_guest(const char *s);

#endif
