/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kselftest-harness in miniature: a table of test cases, each run in a
 * child process with a timeout, one TAP result per case.
 *
 * A case passes when its function returns, fails on TEST_ASSERT(), a
 * signal or the timeout, and skips on TEST_SKIP() with the reason in the
 * TAP line. Arguments on the command line select cases whose name
 * contains one of them (for running one case by hand); the environment
 * variable VIREO_TEST_SKIP leaves out, as a SKIP, the cases whose name
 * contains its value (a scenario trimming what it runs).
 */
#ifndef VIREO_SELFTEST_HARNESS_H
#define VIREO_SELFTEST_HARNESS_H

#include <stddef.h>

/* Seconds a case may take unless it says otherwise (emulators are slow). */
#define HARNESS_TIMEOUT	120

struct vtest {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;	/* seconds; 0: HARNESS_TIMEOUT */
};

#define VTEST(f, desc)		{ .name = (desc), .fn = (f) }
#define VTEST_T(f, desc, t)	{ .name = (desc), .fn = (f), .timeout = (t) }

int harness_run(const struct vtest *tests, size_t n, int argc, char **argv);

#endif
