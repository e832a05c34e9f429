// SPDX-License-Identifier: GPL-2.0-only
/*
 * macro_bench: the guest side of the macro-benchmarks (FV vs PV), run inside
 * a nested guest of vireoctl run by selftests/guest/macro-lib.sh, which
 * counts the VM's exits from L1 around each phase.
 *
 *   macro_bench boot
 *	prints "MACRO-BOOT tsc=T" (the guest's first userspace line: l2-init
 *	runs it first with vireo.macro on the command line), then waits for a
 *	line on stdin while L1 reads the exit counters.
 *   macro_bench serve DISK OFFSET_MIB SIZE_KIB CONSOLE_KIB REPS
 *	REPS times the phases null, console, seqwrite, seqread, randwrite and
 *	randread; before each, prints "MACRO-WAIT N" and waits for a line on
 *	stdin (L1 reads the counters, then types one); after it, prints
 *	"MACRO-DONE N phase=P rep=R bytes=B ops=O ticks=T ns=NS direct=D".
 *	"q" on stdin ends it early; "MACRO-END" closes the run.
 *
 * Phases: console writes CONSOLE_KIB KiB of 64-byte lines to stdout (the
 * console: ttyS0 or hvc0) and waits until the tty has sent them; the block
 * phases do 4 KiB reads or writes with O_DIRECT on DISK in SIZE_KIB KiB
 * from OFFSET_MIB MiB, in order or at pseudo-random 4 KiB offsets (the same
 * sequence every run); null does nothing, and measures the protocol's own
 * exits. Ticks are the TSC (rdtsc), ns CLOCK_MONOTONIC, both in the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#include "tap.h"

typedef __u64 u64;

#define BLOCK 4096
#define LINE 64

struct sample {
	u64 bytes, ops, ticks, ns;
};

static u64 tsc(void)
{
	return __builtin_ia32_rdtsc();
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* One line of protocol on stdout, in one write. */
static void say(const char *fmt, ...) __printf(1, 2);
static void say(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDOUT_FILENO, buf, n) != n)
		exit(1);
}

/* Waits for L1's line; false on "q" or the end of input. */
static int wait_go(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		return 0;
	return line[0] != 'q';
}

static int console_phase(u64 kib, struct sample *s)
{
	static char chunk[BLOCK];
	u64 left = kib * 1024;
	int i;

	for (i = 0; i < BLOCK; i++)
		chunk[i] = (i % LINE == LINE - 1) ? '\n' : 'a' + (i % LINE) % 26;
	while (left) {
		size_t n = left < BLOCK ? left : BLOCK;
		ssize_t w = write(STDOUT_FILENO, chunk, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		left -= w;
		s->bytes += w;
		s->ops++;
	}
	return tcdrain(STDOUT_FILENO) && errno != ENOTTY ? -1 : 0;
}

/* xorshift64: the same offsets on every run and in every guest. */
static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int block_phase(int fd, void *buf, off_t base, u64 blocks, int write_,
		       int random, struct sample *s)
{
	u64 i, seed = 0x9e3779b97f4a7c15ull;

	for (i = 0; i < blocks; i++) {
		u64 b = random ? next_rand(&seed) % blocks : i;
		off_t off = base + (off_t)b * BLOCK;
		ssize_t r = write_ ? pwrite(fd, buf, BLOCK, off) : pread(fd, buf, BLOCK, off);

		if (r != BLOCK) {
			fprintf(stderr, "macro_bench: %s at %lld: %s\n",
				write_ ? "pwrite" : "pread", (long long)off,
				r < 0 ? strerror(errno) : "short transfer");
			return -1;
		}
		s->bytes += BLOCK;
		s->ops++;
	}
	if (write_ && fdatasync(fd))
		return -1;
	return 0;
}

static const char * const phases[] = {
	"null", "console", "seqwrite", "seqread", "randwrite", "randread",
};

static void done(unsigned int seq, const char *phase, unsigned int rep,
		 const struct sample *s, int direct)
{
	say("MACRO-DONE %u phase=%s rep=%u bytes=%llu ops=%llu ticks=%llu ns=%llu direct=%d",
	    seq, phase, rep, (unsigned long long)s->bytes, (unsigned long long)s->ops,
	    (unsigned long long)s->ticks, (unsigned long long)s->ns, direct);
}

static int serve(char **argv)
{
	const char *disk = argv[0];
	off_t base = (off_t)strtoull(argv[1], NULL, 0) << 20;
	u64 blocks = strtoull(argv[2], NULL, 0) * 1024 / BLOCK;
	u64 console_kib = strtoull(argv[3], NULL, 0);
	unsigned int reps = strtoul(argv[4], NULL, 0), rep, p, seq = 0;
	int direct = 1, fd;
	void *buf;

	if (!blocks || !console_kib || !reps) {
		fprintf(stderr, "macro_bench: sizes and REPS must be positive\n");
		return 2;
	}
	fd = open(disk, O_RDWR | O_DIRECT);
	if (fd < 0 && errno == EINVAL) {
		direct = 0;
		fd = open(disk, O_RDWR | O_SYNC);
	}
	if (fd < 0 || posix_memalign(&buf, BLOCK, BLOCK)) {
		fprintf(stderr, "macro_bench: %s: %s\n", disk, strerror(errno));
		return 1;
	}
	memset(buf, 0x5a, BLOCK);
	for (rep = 1; rep <= reps; rep++) {
		for (p = 0; p < ARRAY_SIZE(phases); p++) {
			struct sample s = { 0 };
			u64 t0, n0;
			int r = 0;

			say("MACRO-WAIT %u", ++seq);
			if (!wait_go())
				goto out;
			n0 = now_ns();
			t0 = tsc();
			if (p == 1)
				r = console_phase(console_kib, &s);
			else if (p > 1)
				r = block_phase(fd, buf, base, blocks, p == 2 || p == 4,
						p >= 4, &s);
			s.ticks = tsc() - t0;
			s.ns = now_ns() - n0;
			if (r) {
				say("MACRO-FAIL %u phase=%s: %s", seq, phases[p], strerror(errno));
				goto out;
			}
			done(seq, phases[p], rep, &s, direct);
		}
	}
out:
	say("MACRO-END");
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "boot")) {
		say("MACRO-BOOT tsc=%llu", (unsigned long long)tsc());
		wait_go();
		return 0;
	}
	if (argc == 7 && !strcmp(argv[1], "serve"))
		return serve(argv + 2);
	fprintf(stderr, "usage: macro_bench boot\n"
		"       macro_bench serve DISK OFFSET_MIB SIZE_KIB CONSOLE_KIB REPS\n");
	return 2;
}
