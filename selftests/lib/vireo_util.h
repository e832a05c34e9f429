/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by vireo's selftests: /dev/vireo, VMs, and the module's
 * accounting in /sys/kernel/debug/vireo.
 */
#ifndef VIREO_SELFTEST_UTIL_H
#define VIREO_SELFTEST_UTIL_H

#include <stdbool.h>
#include <linux/vireo.h>

#define VIREO_DEV	"/dev/vireo"
#define VIREO_DEBUGFS	"/sys/kernel/debug/vireo"
#define MAX_TEST_CPUS	64

/* One CPU's line of /sys/kernel/debug/vireo/vmx. */
struct vmx_cpu {
	int online, on, error;
	unsigned long long nr_vmxon, nr_vmxoff;
};

struct vmx_state {
	unsigned int users;
	int nr_cpus;
	struct vmx_cpu cpu[MAX_TEST_CPUS];
};

int vireo_open(void);
int vireo_create_vm(int sys_fd, const char *name, unsigned int *id);
int vmx_state_read(struct vmx_state *st);
void vmx_state_get(struct vmx_state *st);
bool vmx_all_online(const struct vmx_state *st, int on);
int vmx_nr_online(const struct vmx_state *st);
bool kmsg_contains(int kmsg_fd, const char *needle);
int kmsg_open_at_end(void);

#endif
