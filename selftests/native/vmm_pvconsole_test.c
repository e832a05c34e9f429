// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pv console backend of vireoctl run (userctl/pv/console.c) and the
 * --pv plumbing of userctl/pv/pv.c, on guest RAM of vireoctl's own kind
 * without a VM: CONSOLE_WRITE reaches the console in one piece and is
 * scanned for panics, CONSOLE_READ drains the input, each chunk of input
 * raises the console IRQ, and every argument the guest controls fails as
 * hypercalls.rst says (E2BIG, EFAULT, ENOSYS, ENOTNEG).
 */
#include <fcntl.h>
#include <unistd.h>
#include <linux/vireo_para.h>

#include "vmm_test.h"
#include "pv/pv.h"

#define RAM		(4 * MIB)

static struct guest_mem mem;
static struct console con;
static struct pv pv;
static struct irq_rec rec;
static int panics;
static int out[2];

static void on_panic(void *opaque, bool end, const char *m)
{
	(void)opaque;
	(void)m;
	panics += !end;
}

static const struct console_ops ops = { .panic = on_panic };

static s64 hc(u64 nr, u64 a0, u64 a1)
{
	u64 args[5] = { a0, a1 };

	return pv_hypercall(&pv, nr, args);
}

static void setup(u32 offered)
{
	if (!mem.base && guest_mem_alloc(&mem, RAM))
		vmm_skip("cannot map guest RAM");
	memset(mem.base, 0, RAM);
	memset(&rec, 0, sizeof(rec));
	panics = 0;
	if (out[0] > 0) {
		close(out[0]);
		close(out[1]);
	}
	EXPECT(!pipe2(out, O_NONBLOCK), "pipe");
	console_open_fds(&con, -1, out[1], &ops, NULL);
	memset(&pv, 0, sizeof(pv));
	pv.offered = offered;
	pv_console_init(&pv.console, &mem, irq_rec_line(&rec, 10), &con);
	pv_block_init(&pv.block, &mem, irq_rec_line(&rec, 5), -1, 0, false, NULL, NULL);
}

static ssize_t drain(char *buf, size_t len)
{
	ssize_t n = read(out[0], buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	return n;
}

static bool test_parse(void)
{
	char why[160], list[64];
	u32 f;
	bool all;

	EXPECT(!pv_parse("none", &f, &all, why, sizeof(why)) && !f && !all, "none");
	EXPECT(!pv_parse("all", &f, &all, why, sizeof(why)) && f == 0x1f && all, "all");
	EXPECT(!pv_parse("console,idle", &f, &all, why, sizeof(why)) && f == 0x11 && !all,
	       "console,idle: %#x", f);
	EXPECT(!pv_parse("block,block", &f, &all, why, sizeof(why)) && f == 0x2, "repeated");
	EXPECT(pv_parse("console,", &f, &all, why, sizeof(why)) && strstr(why, "''"),
	       "an empty item: '%s'", why);
	EXPECT(pv_parse("net", &f, &all, why, sizeof(why)) && strstr(why, "'net'"), "'%s'", why);
	EXPECT(pv_parse("", &f, &all, why, sizeof(why)), "the empty list");
	EXPECT(pv_parse("all,console", &f, &all, why, sizeof(why)), "all in a list");
	pv_format(0x1f, list, sizeof(list));
	EXPECT(!strcmp(list, "console,block,clock,system,idle"), "'%s'", list);
	pv_format(0, list, sizeof(list));
	EXPECT(!strcmp(list, "none"), "'%s'", list);
	EXPECT(pv_platform(0x1f) == (10 | 5 << 8), "platform %#x", pv_platform(0x1f));
	EXPECT(pv_platform(VIREO_PV_F_CONSOLE | VIREO_PV_F_CLOCK) == 10, "console only");
	EXPECT(pv_platform(VIREO_PV_F_BLOCK) == 5 << 8, "block only");
	EXPECT(pv_platform(VIREO_PV_F_IDLE) == 0, "no device, no IRQ");
	return true;
}

static bool test_write(void)
{
	static const char msg[] = "hello from hvc0\r\nKernel panic - not syncing: oops\r\n";
	char buf[256];

	setup(0x1f);
	EXPECT(!pv_console_active(&pv.console), "active before any call");
	memcpy(mem.base + 0x2000, msg, sizeof(msg) - 1);
	EXPECT(hc(VIREO_HC_CONSOLE_WRITE, 0x2000, sizeof(msg) - 1) == sizeof(msg) - 1,
	       "the whole buffer");
	EXPECT(pv_console_active(&pv.console), "not active after a write");
	EXPECT(drain(buf, sizeof(buf)) == sizeof(msg) - 1 && !strcmp(buf, msg), "output '%s'",
	       buf);
	EXPECT(panics == 1, "the panic line was not scanned");
	EXPECT(pv.console.writes == 1 && pv.console.bytes_out == sizeof(msg) - 1, "counters");
	EXPECT(hc(VIREO_HC_CONSOLE_WRITE, 0x2000, 0) == 0, "zero bytes");
	/* The last byte of RAM, and exactly VIREO_CONSOLE_MAX. */
	EXPECT(hc(VIREO_HC_CONSOLE_WRITE, RAM - 1, 1) == 1, "the last byte of RAM");
	EXPECT(hc(VIREO_HC_CONSOLE_WRITE, 0, VIREO_CONSOLE_MAX) == VIREO_CONSOLE_MAX, "4096");
	return true;
}

static const struct {
	u64 gpa, len;
	s64 want;
	const char *what;
} bad_ranges[] = {
	{ 0x1000, VIREO_CONSOLE_MAX + 1, -VIREO_E2BIG, "4097 bytes" },
	{ 0x1000, ~0ULL, -VIREO_E2BIG, "2^64 - 1 bytes" },
	{ RAM, 1, -VIREO_EFAULT, "the first byte past RAM" },
	{ RAM - 16, 32, -VIREO_EFAULT, "across the end of RAM" },
	{ 0xfee00000, 16, -VIREO_EFAULT, "the local APIC page" },
	{ 0x100000000ULL, 16, -VIREO_EFAULT, "4 GiB, no high RAM" },
	{ ~0ULL - 7, 16, -VIREO_EFAULT, "wrapping past 2^64" },
};

static bool test_bad_args(void)
{
	char buf[64];
	size_t i;

	setup(0x1f);
	for (i = 0; i < ARRAY_SIZE(bad_ranges); i++) {
		EXPECT(hc(VIREO_HC_CONSOLE_WRITE, bad_ranges[i].gpa, bad_ranges[i].len) ==
		       bad_ranges[i].want, "CONSOLE_WRITE, %s", bad_ranges[i].what);
		EXPECT(hc(VIREO_HC_CONSOLE_READ, bad_ranges[i].gpa, bad_ranges[i].len) ==
		       bad_ranges[i].want, "CONSOLE_READ, %s", bad_ranges[i].what);
	}
	EXPECT(drain(buf, sizeof(buf)) <= 0, "a refused write printed '%s'", buf);
	EXPECT(pv.console.errors == 2 * ARRAY_SIZE(bad_ranges), "%llu errors counted",
	       (unsigned long long)pv.console.errors);
	return true;
}

static bool test_read(void)
{
	static const u8 typed[] = "ls -l\r";
	u8 big[PV_CONSOLE_INPUT + 100];
	size_t n;

	setup(0x1f);
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x3000, 64) == 0, "input out of nothing");
	EXPECT(pv_console_receive(&pv.console, typed, 3) == 3, "receive");
	EXPECT(rec.rises[10] == 1 && rec.level[10] == 0, "an edge on IRQ 10: %d rises, level %d",
	       rec.rises[10], rec.level[10]);
	EXPECT(pv_console_receive(&pv.console, typed + 3, 3) == 3, "receive");
	EXPECT(rec.rises[10] == 2, "one edge per chunk");
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x3000, 4) == 4, "read 4");
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x3004, 64) == 2, "read the rest");
	EXPECT(!memcmp(mem.base + 0x3000, typed, 6), "the bytes typed");
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x3000, 64) == 0, "drained");

	/* A full buffer takes what fits and no more; wrapped reads keep order. */
	for (n = 0; n < sizeof(big); n++)
		big[n] = n * 7;
	EXPECT(pv_console_receive(&pv.console, big, sizeof(big)) == PV_CONSOLE_INPUT,
	       "more than the buffer");
	EXPECT(pv_console_receive(&pv.console, big, 1) == 0, "a full buffer took a byte");
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x4000, 1000) == 1000, "read 1000");
	EXPECT(pv_console_receive(&pv.console, big + PV_CONSOLE_INPUT, 100) == 100, "refill");
	EXPECT(hc(VIREO_HC_CONSOLE_READ, 0x4000 + 1000, VIREO_CONSOLE_MAX) ==
	       PV_CONSOLE_INPUT - 1000 + 100, "read the rest");
	EXPECT(!memcmp(mem.base + 0x4000, big, sizeof(big)), "input out of order");
	return true;
}

static bool test_dispatch(void)
{
	u64 nr;

	setup(VIREO_PV_F_CONSOLE);
	for (nr = VIREO_HC_CONSOLE_READ + 1; nr < VIREO_HC_BLOCK_INFO; nr++)
		EXPECT(hc(nr, 0, 0) == -VIREO_ENOSYS, "number %#llx", (unsigned long long)nr);
	for (nr = VIREO_HC_BLOCK_INFO; nr < VIREO_HC_CLOCK_ENABLE; nr++)
		EXPECT(hc(nr, 0x1000, 8) == -VIREO_ENOTNEG, "block %#llx without the feature",
		       (unsigned long long)nr);
	EXPECT(hc(VIREO_HC_CLOCK_ENABLE, 0, 0) == -VIREO_ENOSYS, "a number vireoctl never gets");
	setup(VIREO_PV_F_BLOCK);
	EXPECT(hc(VIREO_HC_CONSOLE_WRITE, 0x1000, 1) == -VIREO_ENOTNEG, "console not offered");
	EXPECT(!pv_console_active(&pv.console), "a refused call made the console active");
	for (nr = VIREO_HC_BLOCK_NOTIFY + 1; nr < VIREO_HC_CLOCK_ENABLE; nr++)
		EXPECT(hc(nr, 0, 0) == -VIREO_ENOSYS, "number %#llx", (unsigned long long)nr);
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x1000, 0) == -VIREO_ENOENT, "no disk");
	return true;
}

static const struct vmm_case cases[] = {
	{ "pv: --pv lists, names and IRQs", test_parse },
	{ "pv console: CONSOLE_WRITE in one piece, scanned for panics", test_write },
	{ "pv console: E2BIG and EFAULT for lengths and ranges outside RAM", test_bad_args },
	{ "pv console: input by CONSOLE_READ, an IRQ edge per chunk, a full buffer",
	  test_read },
	{ "pv: unknown numbers ENOSYS, features not offered ENOTNEG", test_dispatch },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
