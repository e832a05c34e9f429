// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP 13 output (see tap.h). Output is line-buffered so that a crash or a
 * hang still leaves every result printed so far on the console.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"

static int planned, done, failed;

void tap_plan(int n)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	planned = n;
	printf("TAP version 13\n1..%d\n", n);
}

bool tap_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", pass ? "" : "not ", ++done);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		failed++;
	return pass;
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	printf("ok %d ", ++done);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
}

/* One write per line: threads of one program may print at once. */
void tap_diag(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# %s\n", line);
}

int tap_finish(void)
{
	if (done != planned)
		printf("# planned %d results, gave %d\n", planned, done);
	printf("# %d failed of %d\n", failed, done);
	return failed || done != planned;
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(2);
}
