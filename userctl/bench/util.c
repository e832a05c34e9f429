// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: small helpers of the backends and the report: error
 * text, and a description of the host the figures come from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

int bench_fail(struct bench_vm *vm, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vm->err, sizeof(vm->err), fmt, ap);
	va_end(ap);
	return ret;
}

void bench_host(struct bench_host *h)
{
	struct utsname u;
	char line[256], *p;
	FILE *f;

	memset(h, 0, sizeof(*h));
	snprintf(h->kernel, sizeof(h->kernel), "unknown");
	snprintf(h->cpu, sizeof(h->cpu), "unknown");
	if (!uname(&u))
		snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.sysname, u.release);
	h->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10))
			continue;
		p = strchr(line, ':');
		if (!p)
			break;
		p += strspn(p + 1, " \t") + 1;
		p[strcspn(p, "\n")] = '\0';
		snprintf(h->cpu, sizeof(h->cpu), "%s", p);
		break;
	}
	fclose(f);
}
