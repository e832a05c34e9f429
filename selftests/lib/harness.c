// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fork-per-case test runner (see harness.h) and the host-side
 * assertion helpers of test_util.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "test_util.h"

#define EXIT_SKIP	4

/* In a test case's child: the write end of the pipe for a skip reason. */
static int skip_fd = -1;

void test_fail(const char *file, int line, const char *cond,
	       const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: %s%s%s", file, line, cond ? "assertion `" : "",
	       cond ? cond : "", cond ? "' failed: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (skip_fd < 0)
		tap_bail("a test assertion failed outside a test case");
	_exit(1);
}

void test_skip(const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (skip_fd < 0)
		tap_bail("skip outside a test case: %s", reason);
	if (write(skip_fd, reason, strlen(reason)) < 0)
		_exit(1);
	fflush(stdout);
	_exit(EXIT_SKIP);
}

u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return true;
	return false;
}

static void run_one(const struct vtest *t)
{
	unsigned int timeout = t->timeout ? t->timeout : HARNESS_TIMEOUT;
	char reason[256] = "";
	u64 start = monotonic_ns();
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd))
		tap_bail("pipe: %m");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tap_bail("fork: %m");
	if (pid == 0) {
		close(pipefd[0]);
		skip_fd = pipefd[1];
		alarm(timeout);
		t->fn();
		fflush(stdout);
		_exit(0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], reason, sizeof(reason) - 1);
	reason[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SKIP) {
		tap_skip(reason, "%s: %s", program_invocation_short_name,
			 t->name);
		return;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		tap_diag("%s: timed out after %u s", t->name, timeout);
	else if (WIFSIGNALED(status))
		tap_diag("%s: killed by signal %d (%s)", t->name,
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	tap_diag("%s: %.1f s", t->name, (monotonic_ns() - start) / 1e9);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: %s",
	       program_invocation_short_name, t->name);
}

/* Does VIREO_TEST_SKIP (a substring of case names) leave @name out? */
static bool skipped(const char *name)
{
	const char *skip = getenv("VIREO_TEST_SKIP");

	return skip && *skip && strstr(name, skip);
}

int harness_run(const struct vtest *tests, size_t n, int argc, char **argv)
{
	size_t i, planned = 0;

	for (i = 0; i < n; i++)
		planned += selected(tests[i].name, argc, argv);
	tap_plan(planned);
	for (i = 0; i < n; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		if (skipped(tests[i].name))
			tap_skip("left out by VIREO_TEST_SKIP", "%s: %s",
				 program_invocation_short_name, tests[i].name);
		else
			run_one(&tests[i]);
	}
	return tap_finish();
}
