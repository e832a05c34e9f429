/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a device model asks for the end of the guest: the reset line of the
 * i8042, port 0xCF9, port 0x92, the ACPI sleep register, a panic seen on
 * the console. The VMM's implementation records the first request (the
 * guest's fate) and stops every vCPU; the native tests record it.
 */
#ifndef VMM_SYSCTL_H
#define VMM_SYSCTL_H

enum sys_request {
	SYS_POWEROFF = 1,
	SYS_RESET,
	SYS_PANIC,
};

struct sysctl {
	void (*request)(struct sysctl *sys, enum sys_request req, const char *why);
};

static inline void sys_request(struct sysctl *sys, enum sys_request req, const char *why)
{
	if (sys && sys->request)
		sys->request(sys, req, why);
}

#endif
