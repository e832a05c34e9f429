// SPDX-License-Identifier: GPL-2.0-only
/*
 * macro_tsc: prints the TSC (rdtsc) in decimal. selftests/guest/macro-lib.sh
 * runs it in L1 just before vireoctl run: vireo gives its guests the host's
 * TSC, so the guest's first userspace line (macro_bench boot) minus this is
 * the boot's length in ticks.
 */
#include <stdio.h>

int main(void)
{
	printf("%llu\n", (unsigned long long)__builtin_ia32_rdtsc());
	return 0;
}
