// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl caps: what this host's vireo offers (VIREO_CHECK_CAP).
 */
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vireo.h>

#include "vireoctl.h"

int cmd_caps(int argc, char **argv)
{
	long large, timer;
	int fd;

	(void)argv;
	if (argc != 1) {
		vireoctl_err("caps takes no arguments");
		return EXIT_USAGE;
	}
	fd = vireoctl_open_dev();
	if (fd < 0)
		return EXIT_ERROR;

	large = ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_EPT_LARGE_PAGES);
	timer = ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_PREEMPTION_TIMER);
	printf("%-18s %d\n", "api-version", VIREO_API_VERSION);
	printf("%-18s %d\n", "max-vms", ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_MAX_VMS));
	printf("%-18s%s%s%s\n", "ept-large-pages",
	       large & VIREO_EPT_LARGE_PAGE_2M ? " 2M" : "",
	       large & VIREO_EPT_LARGE_PAGE_1G ? " 1G" : "",
	       large ? "" : " none");
	if (timer > 0)
		printf("%-18s yes (TSC / %ld)\n", "preemption-timer", 1L << (timer - 1));
	else
		printf("%-18s no\n", "preemption-timer");
	close(fd);
	return EXIT_OK;
}
