// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs inside a PV guest as an ordinary process, at CPL 3: every hypercall
 * must fail with -VIREO_EPERM and do nothing, whatever its arguments and
 * whatever the guest kernel negotiated. That the test gets to print its
 * results at all shows that SYSTEM_EVENT did not stop the VM and IDLE did
 * not put the vCPU to sleep. Without vireo's CPUID signature the test
 * skips: there, VMCALL raises #UD.
 */
#include <cpuid.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/vireo_para.h>

#include "tap.h"

static unsigned int vireo_base(void)
{
	unsigned int eax, ebx, ecx, edx, base;
	char sig[12];

	__cpuid(1, eax, ebx, ecx, edx);
	if (!(ecx & (1U << 31)))
		return 0;
	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		__cpuid(base, eax, ebx, ecx, edx);
		memcpy(sig, &ebx, 4);
		memcpy(sig + 4, &ecx, 4);
		memcpy(sig + 8, &edx, 4);
		if (!memcmp(sig, VIREO_SIGNATURE, sizeof(sig)))
			return base;
	}
	return 0;
}

static long hypercall(unsigned long nr, unsigned long a0, unsigned long a1)
{
	long ret;

	asm volatile("vmcall"
		     : "=a" (ret)
		     : "a" (nr), "b" (a0), "c" (a1)
		     : "memory");
	return ret;
}

static const struct {
	const char *name;
	unsigned long nr, a0, a1;
} calls[] = {
	{ "NOP", VIREO_HC_NOP, 0, 0 },
	{ "SET_FEATURES(all)", VIREO_HC_SET_FEATURES, 0x1f, 0 },
	{ "SET_FEATURES(0)", VIREO_HC_SET_FEATURES, 0, 0 },
	{ "SYSTEM_EVENT(POWEROFF)", VIREO_HC_SYSTEM_EVENT, VIREO_PV_POWEROFF, 0 },
	{ "SYSTEM_EVENT(RESET)", VIREO_HC_SYSTEM_EVENT, VIREO_PV_RESET, 0 },
	{ "SYSTEM_EVENT(CRASH)", VIREO_HC_SYSTEM_EVENT, VIREO_PV_CRASH, 0 },
	{ "IDLE", VIREO_HC_IDLE, 0, 0 },
	{ "CONSOLE_WRITE(0x1000, 16)", VIREO_HC_CONSOLE_WRITE, 0x1000, 16 },
	{ "CONSOLE_READ(0x1000, 16)", VIREO_HC_CONSOLE_READ, 0x1000, 16 },
	{ "BLOCK_INFO(0x1000)", VIREO_HC_BLOCK_INFO, 0x1000, 0 },
	{ "BLOCK_SETUP(0, 0)", VIREO_HC_BLOCK_SETUP, 0, 0 },
	{ "BLOCK_NOTIFY", VIREO_HC_BLOCK_NOTIFY, 0, 0 },
	{ "CLOCK_ENABLE(0)", VIREO_HC_CLOCK_ENABLE, 0, 0 },
	{ "an unassigned number (0x3f)", 0x3f, 0, 0 },
	{ "the first VMM number", VIREO_HC_USER_FIRST, 0, 0 },
	{ "a number past vireo's (0x10000)", 0x10000, 0, 0 },
};

int main(void)
{
	unsigned int base = vireo_base(), eax, ebx, ecx, edx;
	size_t i;
	long ret;

	if (!base) {
		printf("TAP version 13\n1..0 # SKIP no vireo CPUID signature\n");
		return 0;
	}
	tap_plan(ARRAY_SIZE(calls));
	__cpuid(base + 1, eax, ebx, ecx, edx);
	tap_diag("vireo at CPUID %#x, features offered %#x", base, eax);
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		ret = hypercall(calls[i].nr, calls[i].a0, calls[i].a1);
		tap_ok(ret == -VIREO_EPERM, "CPL 3: %s fails with -VIREO_EPERM (got %ld)",
		       calls[i].name, ret);
	}
	return tap_finish();
}
