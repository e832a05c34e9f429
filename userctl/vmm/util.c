// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl's VMM: the helpers of util.h that are not inline.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "util.h"

void vireoctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("vireoctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}
