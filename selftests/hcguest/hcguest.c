// SPDX-License-Identifier: GPL-2.0-only
/*
 * hcguest's checks: every hypercall of vireo_para.h made from the guest,
 * with good and bad arguments, against the real backends of `vireoctl
 * run` and the hypercall path of vireo.ko; one TAP line each on COM1.
 *
 * The kernel command line says what to check (vireoctl run's --pv and
 * --disk must match; selftests/guest/hcg-lib.sh pairs them):
 *
 *   hcg.mode=full      --pv all, a disk: CPUID, negotiation, unknown
 *                      numbers, the console (input by IRQ), the block
 *                      device (I/O, bad requests, ring errors, release),
 *                      the clock, system events, idle, and every
 *                      hypercall again from CPL 3
 *   hcg.mode=console   --pv console and a disk: block, clock, system
 *                      and idle are not negotiated
 *   hcg.mode=nodisk    --pv block,system, no disk: ENOENT
 *   hcg.mode=readonly  --pv all, the full run's disk, --readonly: the data
 *                      the full run wrote, EROFS
 *   hcg.mode=eio       --pv block,system, a disk the host cannot write
 *   hcg.token=T        written to the console and the disk, for the host
 *   hcg.sectors=N      the disk's size, for BLOCK_INFO
 *
 * It prints "hcg: done N" after its N results and powers off.
 */
#include "cpu.h"

#define ENTRIES		8
#define EXPECT(call, want, ...)	expect_ret(call, want, __VA_ARGS__)

bool pv_system;

static struct {
	char mode[16];
	char token[40];
	u64 sectors;
	u64 ram_end;		/* the end of the RAM below 4 GiB (e820) */
} cfg;

static u8 ring[VIREO_BLOCK_RING_SIZE(ENTRIES)] __aligned(4096);
static u8 wbuf[4096] __aligned(4096);
static u8 rbuf[4096] __aligned(4096);
static u8 text[4096 + 64] __aligned(64);
static struct vireo_block_info info __aligned(64);
static struct vireo_pvclock clock __aligned(64);
static u32 req_prod, cpl_cons;

/* The wanted value of "hcg.NAME=" on the command line, or NULL. */
static const char *opt(const char *cmdline, const char *name, char *buf, size_t len)
{
	const char *p = strstr(cmdline, name);
	size_t n = 0;

	if (!p)
		return NULL;
	for (p += strlen(name); *p && *p != ' ' && n + 1 < len; p++)
		buf[n++] = *p;
	buf[n] = 0;
	return buf;
}

static void parse(const u8 *zp)
{
	const char *cmdline = (const char *)(u64)*(const u32 *)(zp + 0x228);
	const u8 *e820 = zp + 0x2d0;
	char num[24];
	const char *p;
	u64 end;
	int i;

	opt(cmdline, "hcg.mode=", cfg.mode, sizeof(cfg.mode));
	opt(cmdline, "hcg.token=", cfg.token, sizeof(cfg.token));
	if (opt(cmdline, "hcg.sectors=", num, sizeof(num)))
		for (p = num; *p >= '0' && *p <= '9'; p++)
			cfg.sectors = cfg.sectors * 10 + *p - '0';
	for (i = 0; i < zp[0x1e8]; i++, e820 += 20) {
		end = *(const u64 *)e820 + *(const u64 *)(e820 + 8);
		if (*(const u32 *)(e820 + 16) == 1 && end <= 0x100000000ULL && end > cfg.ram_end)
			cfg.ram_end = end;
	}
}

/* CPUID: the bit, the signature, the features and IRQs vireoctl offers. */
static void check_cpuid(u32 features)
{
	u32 a, b, c, d, irqs = 0;
	char sig[12];

	cpuid(1, &a, &b, &c, &d);
	check(c & 1U << 31, "CPUID.1:ECX.HYPERVISOR is set");
	cpuid(VIREO_CPUID_SIGNATURE, &a, &b, &c, &d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	check(a == VIREO_CPUID_MAX_LEAF && !memcmp(sig, VIREO_SIGNATURE, 12),
	      "CPUID 0x40000000: max leaf %#x and vireo's signature", a);
	cpuid(VIREO_CPUID_FEATURES, &a, &b, &c, &d);
	check(a == features && !b && !c && !d, "CPUID 0x40000001: features %#x offered (got %#x)",
	      features, a);
	if (features & VIREO_PV_F_CONSOLE)
		irqs |= IRQ_CONSOLE;
	if (features & VIREO_PV_F_BLOCK)
		irqs |= IRQ_BLOCK << 8;
	cpuid(VIREO_CPUID_PLATFORM, &a, &b, &c, &d);
	check(a == irqs, "CPUID 0x40000002: IRQs %#x (got %#x)", irqs, a);
}

/* Every feature's hypercalls, before SET_FEATURES or without the feature. */
static void check_not_negotiated(u32 skip)
{
	static const struct {
		u32 feature;
		u64 nr;
		const char *name;
	} calls[] = {
		{ VIREO_PV_F_SYSTEM, VIREO_HC_SYSTEM_EVENT, "SYSTEM_EVENT(POWEROFF)" },
		{ VIREO_PV_F_IDLE, VIREO_HC_IDLE, "IDLE" },
		{ VIREO_PV_F_CONSOLE, VIREO_HC_CONSOLE_WRITE, "CONSOLE_WRITE" },
		{ VIREO_PV_F_CONSOLE, VIREO_HC_CONSOLE_READ, "CONSOLE_READ" },
		{ VIREO_PV_F_BLOCK, VIREO_HC_BLOCK_INFO, "BLOCK_INFO" },
		{ VIREO_PV_F_BLOCK, VIREO_HC_BLOCK_SETUP, "BLOCK_SETUP" },
		{ VIREO_PV_F_BLOCK, VIREO_HC_BLOCK_NOTIFY, "BLOCK_NOTIFY" },
		{ VIREO_PV_F_CLOCK, VIREO_HC_CLOCK_ENABLE, "CLOCK_ENABLE" },
	};
	u64 a0, a1;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		if (calls[i].feature & skip)
			continue;
		a0 = (u64)text;
		a1 = 16;
		switch (calls[i].nr) {
		case VIREO_HC_SYSTEM_EVENT:
			a0 = VIREO_PV_POWEROFF;
			break;
		case VIREO_HC_BLOCK_SETUP:
			a0 = (u64)ring;
			a1 = ENTRIES;
			break;
		case VIREO_HC_CLOCK_ENABLE:
			a0 = (u64)&clock;
			break;
		}
		EXPECT(hypercall(calls[i].nr, a0, a1), -VIREO_ENOTNEG,
		       "%s without its feature negotiated: ENOTNEG", calls[i].name);
	}
}

static void negotiate(u32 offered)
{
	EXPECT(hypercall(VIREO_HC_SET_FEATURES, offered | 0x20, 0), -VIREO_EINVAL,
	       "SET_FEATURES with an unknown bit: EINVAL");
	if (offered != 0x1f)
		EXPECT(hypercall(VIREO_HC_SET_FEATURES, 0x1f, 0), -VIREO_EINVAL,
		       "SET_FEATURES of features not offered: EINVAL");
	EXPECT(hypercall(VIREO_HC_SET_FEATURES, offered, 0), 0, "SET_FEATURES(%#x)", offered);
	pv_system = offered & VIREO_PV_F_SYSTEM;
}

static void check_unknown_numbers(void)
{
	static const u64 nrs[] = {
		0x04, 0x07, 0x0a, 0x0f, 0x13, 0x17, 0x19, 0x3f, 0x40, 0x1000, 0x1fff,
		0xffffffffULL, 1ULL << 32,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++)
		EXPECT(hypercall(nrs[i], (u64)text, 16), -VIREO_ENOSYS,
		       "hypercall %#llx (not assigned): ENOSYS", nrs[i]);
}

/* Guest-physical ranges that are not guest RAM. */
static void check_console(void)
{
	const struct {
		u64 gpa, len;
		s64 want;
		const char *what;
	} bad[] = {
		{ (u64)text, VIREO_CONSOLE_MAX + 1, -VIREO_E2BIG, "4097 bytes: E2BIG" },
		{ (u64)text, ~0ULL, -VIREO_E2BIG, "2^64 - 1 bytes: E2BIG" },
		{ cfg.ram_end, 1, -VIREO_EFAULT, "the first byte past RAM: EFAULT" },
		{ cfg.ram_end - 8, 16, -VIREO_EFAULT, "across the end of RAM: EFAULT" },
		{ 0xfee00000, 16, -VIREO_EFAULT, "the local APIC page: EFAULT" },
		{ 0xfffff000, 16, -VIREO_EFAULT, "below 4 GiB, not RAM: EFAULT" },
		{ 1ULL << 52, 16, -VIREO_EFAULT, "2^52: EFAULT" },
		{ ~0ULL - 7, 16, -VIREO_EFAULT, "wrapping past 2^64: EFAULT" },
	};
	int n;
	size_t i;

	n = snprintf((char *)text, sizeof(text), "hcg: pv console line %s\r\n", cfg.token);
	EXPECT(hypercall(VIREO_HC_CONSOLE_WRITE, (u64)text, n), n,
	       "CONSOLE_WRITE of a line: all %d bytes", n);
	EXPECT(hypercall(VIREO_HC_CONSOLE_WRITE, (u64)text, 0), 0, "CONSOLE_WRITE of 0 bytes");
	EXPECT(hypercall(VIREO_HC_CONSOLE_READ, (u64)text, 64), 0, "CONSOLE_READ, no input: 0");
	EXPECT(hypercall(VIREO_HC_CONSOLE_READ, cfg.ram_end - 16, 16), 0,
	       "CONSOLE_READ into the last 16 bytes of RAM: 0");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT(hypercall(VIREO_HC_CONSOLE_WRITE, bad[i].gpa, bad[i].len), bad[i].want,
		       "CONSOLE_WRITE, %s", bad[i].what);
		EXPECT(hypercall(VIREO_HC_CONSOLE_READ, bad[i].gpa, bad[i].len), bad[i].want,
		       "CONSOLE_READ, %s", bad[i].what);
	}
}

/* The host types "ping" once it sees the prompt; it comes by IRQ 10. */
static void check_console_input(void)
{
	static const char prompt[] = "hcg: ready for input\r\n";
	u32 seen = READ_ONCE(irq_count[IRQ_CONSOLE]);
	char in[64];
	s64 n, got = 0;
	int rounds;

	memcpy(text, prompt, sizeof(prompt) - 1);
	hypercall(VIREO_HC_CONSOLE_WRITE, (u64)text, sizeof(prompt) - 1);
	check(wait_irq(IRQ_CONSOLE, seen, 300), "console input raises IRQ %d", IRQ_CONSOLE);
	for (rounds = 0; rounds < 50 && got < 5; rounds++) {
		n = hypercall(VIREO_HC_CONSOLE_READ, (u64)text, 64);
		if (n < 0 || n > 64)
			break;
		if (n + got <= (s64)sizeof(in)) {
			memcpy(in + got, text, n);
			got += n;
		}
		if (!n)
			wait_irq(IRQ_CONSOLE, READ_ONCE(irq_count[IRQ_CONSOLE]), 1);
	}
	check(got >= 5 && !memcmp(in, "ping\n", 5),
	      "CONSOLE_READ gives the input typed on the host");
}

/* The ring, as the guest side of hypercalls.rst. */
static struct vireo_block_ring *hdr(void)
{
	return (struct vireo_block_ring *)ring;
}

/* Written before BLOCK_NOTIFY, whose asm clobbers "memory". */
static u16 *req_entry(u32 i)
{
	return (u16 *)(ring + VIREO_BLOCK_REQ_OFFSET) + i % ENTRIES;
}

static struct vireo_block_cpl cpl_entry(u32 i)
{
	const struct vireo_block_cpl *cpl = (void *)(ring + VIREO_BLOCK_CPL_OFFSET);

	barrier();
	return cpl[i % ENTRIES];
}

static struct vireo_block_slot *slot(u16 s)
{
	return (struct vireo_block_slot *)(ring + VIREO_BLOCK_SLOT_OFFSET) + s;
}

static void ring_reset(void)
{
	memset(ring, 0, sizeof(ring));
	req_prod = 0;
	cpl_cons = 0;
}

/* Slot @s: one request of one segment; then published. */
static struct vireo_block_slot *publish(u16 s, u32 op, u64 sector, void *buf, u32 len)
{
	struct vireo_block_slot *sl = slot(s);

	memset(sl, 0, sizeof(*sl));
	sl->op = op;
	sl->sector = sector;
	if (op != VIREO_BLOCK_OP_FLUSH) {
		sl->nr_segs = 1;
		sl->seg[0].gpa = (u64)buf;
		sl->seg[0].len = len;
	}
	*req_entry(req_prod) = s;
	barrier();
	hdr()->req_prod = ++req_prod;
	return sl;
}

/*
 * BLOCK_NOTIFY, then the block IRQ and @want completions, consumed into
 * @out (by position). Returns NOTIFY's result.
 */
static s64 notify(u32 want, struct vireo_block_cpl *out)
{
	u32 seen = READ_ONCE(irq_count[IRQ_BLOCK]), prod, i;
	u64 end = READ_ONCE(ticks) + 1000;
	s64 n = hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0);

	if (want) {
		wait_irq(IRQ_BLOCK, seen, 10);
		while ((prod = READ_ONCE(hdr()->cpl_prod)) - cpl_cons < want &&
		       READ_ONCE(ticks) < end)
			wait_irq(IRQ_BLOCK, READ_ONCE(irq_count[IRQ_BLOCK]), 1);
		barrier();
		for (i = 0; i < want && cpl_cons != prod; i++)
			out[i] = cpl_entry(cpl_cons++);
		hdr()->cpl_cons = cpl_cons;
	}
	return n;
}

static void fill_pattern(u8 *buf, u64 first, int sectors)
{
	int s, n;

	for (s = 0; s < sectors; s++) {
		memset(buf + s * 512, '#', 512);
		n = snprintf((char *)buf + s * 512, 512, "vireo-pv-block sector %llu token %s\n",
			     first + s, cfg.token);
		buf[s * 512 + n] = '#';
	}
}

static void check_block_info(u32 flags)
{
	EXPECT(hypercall(VIREO_HC_BLOCK_INFO, cfg.ram_end - 16, 0), -VIREO_EFAULT,
	       "BLOCK_INFO across the end of RAM: EFAULT");
	EXPECT(hypercall(VIREO_HC_BLOCK_INFO, 1ULL << 50, 0), -VIREO_EFAULT,
	       "BLOCK_INFO at 2^50: EFAULT");
	memset(&info, 0xa5, sizeof(info));
	EXPECT(hypercall(VIREO_HC_BLOCK_INFO, (u64)&info, 0), 0, "BLOCK_INFO");
	check(info.capacity == cfg.sectors && info.flags == flags &&
	      info.max_entries == VIREO_BLOCK_MAX_ENTRIES && !info.reserved[0] &&
	      !info.reserved[1],
	      "BLOCK_INFO: %llu sectors (want %llu), flags %#x (want %#x), max %u",
	      info.capacity, cfg.sectors, info.flags, flags, info.max_entries);
}

static void check_block_setup(void)
{
	u64 last = (cfg.ram_end & ~4095ULL) - 4096;

	ring_reset();
	EXPECT(hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0), -VIREO_ENOENT,
	       "BLOCK_NOTIFY without a ring: ENOENT");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring + 8, ENTRIES), -VIREO_EINVAL,
	       "BLOCK_SETUP of a ring not page-aligned: EINVAL");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, 0), -VIREO_EINVAL,
	       "BLOCK_SETUP of 0 entries: EINVAL");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, 3), -VIREO_EINVAL,
	       "BLOCK_SETUP of 3 entries: EINVAL");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, 512), -VIREO_EINVAL,
	       "BLOCK_SETUP of 512 entries (past max_entries): EINVAL");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, last, ENTRIES), -VIREO_EFAULT,
	       "BLOCK_SETUP of a ring across the end of RAM: EFAULT");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, 0xfee00000, ENTRIES), -VIREO_EFAULT,
	       "BLOCK_SETUP of a ring in the APIC page: EFAULT");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), 0, "BLOCK_SETUP of 8 entries");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), -VIREO_EBUSY,
	       "BLOCK_SETUP again: EBUSY");
	EXPECT(hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0), 0, "BLOCK_NOTIFY of nothing: 0");
}

/* Writes sectors 16-23 (the host checks them), flushes, reads them back. */
static void check_block_io(void)
{
	struct vireo_block_cpl c[3] = { 0 };
	struct vireo_block_slot *sl;
	u32 seen = READ_ONCE(irq_count[IRQ_BLOCK]);

	fill_pattern(wbuf, 16, 8);
	memset(rbuf, 0, sizeof(rbuf));
	sl = publish(0, VIREO_BLOCK_OP_WRITE, 16, wbuf, 2048);
	sl->nr_segs = 2;
	sl->seg[1].gpa = (u64)wbuf + 2048;
	sl->seg[1].len = 2048;
	publish(1, VIREO_BLOCK_OP_FLUSH, 0, NULL, 0);
	sl = publish(2, VIREO_BLOCK_OP_READ, 16, rbuf, 1024);
	sl->nr_segs = 3;
	sl->seg[1] = (struct vireo_block_seg){ (u64)rbuf + 1024, 2048, 0 };
	sl->seg[2] = (struct vireo_block_seg){ (u64)rbuf + 3072, 1024, 0 };
	EXPECT(notify(3, c), 3, "BLOCK_NOTIFY takes a batch of 3 (write, flush, read)");
	check(READ_ONCE(irq_count[IRQ_BLOCK]) != seen,
	      "the batch's completions raise IRQ %d", IRQ_BLOCK);
	check(hdr()->req_cons == 3 && hdr()->cpl_prod == 3 && c[0].slot == 0 && c[1].slot == 1 &&
	      c[2].slot == 2 && !c[0].status && !c[1].status && !c[2].status,
	      "3 completions, in order, status 0 (req_cons %u, cpl_prod %u)", hdr()->req_cons,
	      hdr()->cpl_prod);
	check(!memcmp(wbuf, rbuf, sizeof(wbuf)), "8 sectors written in 2 segments read back in 3");
}

/* One batch of 8 malformed requests: each completes with its status. */
static void check_block_bad_requests(void)
{
	static const struct {
		u16 status;
		const char *what;
	} want[ENTRIES] = {
		{ VIREO_EINVAL, "op 9" },
		{ VIREO_EINVAL, "a read of 0 segments" },
		{ VIREO_EINVAL, "a segment of 100 bytes" },
		{ VIREO_EINVAL, "a reserved word not 0" },
		{ VIREO_EFAULT, "a segment past the end of RAM" },
		{ VIREO_EFAULT, "a segment in the APIC page" },
		{ VIREO_ERANGE, "a read at the capacity" },
		{ VIREO_ERANGE, "a read at sector 2^64 - 2" },
	};
	struct vireo_block_cpl c[ENTRIES] = { 0 };
	struct vireo_block_slot *sl[ENTRIES];
	int i;

	for (i = 0; i < ENTRIES; i++)
		sl[i] = publish(i, VIREO_BLOCK_OP_READ, 0, rbuf, 512);
	sl[0]->op = 9;
	sl[1]->nr_segs = 0;
	sl[2]->seg[0].len = 100;
	sl[3]->reserved[0] = 1;
	sl[4]->seg[0].gpa = cfg.ram_end;
	sl[5]->seg[0].gpa = 0xfee00000;
	sl[6]->sector = cfg.sectors;
	sl[7]->sector = ~0ULL - 1;
	EXPECT(notify(ENTRIES, c), ENTRIES, "BLOCK_NOTIFY takes 8 malformed requests");
	for (i = 0; i < ENTRIES; i++)
		check(c[i].slot == i && c[i].status == want[i].status,
		      "a request with %s completes with status %u (got slot %u status %u)",
		      want[i].what, want[i].status, c[i].slot, c[i].status);
}

static void check_block_ring_errors(void)
{
	struct vireo_block_cpl c[2] = { 0 };
	u32 cons = hdr()->req_cons;

	hdr()->req_prod = req_prod + ENTRIES + 1;
	EXPECT(hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0), -VIREO_ERANGE,
	       "BLOCK_NOTIFY with req_prod 9 ahead in a ring of 8: ERANGE");
	check(hdr()->req_cons == cons, "nothing was taken (req_cons %u, was %u)", hdr()->req_cons,
	      cons);
	hdr()->req_prod = req_prod;

	publish(0, VIREO_BLOCK_OP_READ, 16, rbuf, 512);
	publish(1, VIREO_BLOCK_OP_READ, 17, rbuf + 512, 512);
	*req_entry(req_prod - 1) = ENTRIES;		/* slot 8 of 8 */
	EXPECT(notify(1, c), -VIREO_ERANGE, "BLOCK_NOTIFY at slot number 8 of 8: ERANGE");
	check(hdr()->req_cons == cons + 1 && c[0].slot == 0 && !c[0].status,
	      "the request before it was taken and completed (req_cons %u)",
	      hdr()->req_cons - cons);
	*req_entry(req_prod - 1) = 1;			/* the guest mends the entry */
	EXPECT(notify(1, c), 1, "BLOCK_NOTIFY after the entry is mended: 1");

	publish(2, VIREO_BLOCK_OP_READ, 16, rbuf, 512);
	publish(2, VIREO_BLOCK_OP_READ, 16, rbuf, 512);
	EXPECT(notify(1, c), -VIREO_EBUSY, "BLOCK_NOTIFY of slot 2 twice in a batch: EBUSY");
	check(hdr()->req_cons == cons + 3, "the first of them was taken (req_cons %u)",
	      hdr()->req_cons - cons);
	EXPECT(notify(1, c), 1, "BLOCK_NOTIFY of the second, its slot free again: 1");
}

static void check_block_release(void)
{
	struct vireo_block_cpl c[1] = { 0 };

	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, 0, 0), 0, "BLOCK_SETUP(0, 0) releases the ring");
	EXPECT(hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0), -VIREO_ENOENT,
	       "BLOCK_NOTIFY after the release: ENOENT");
	ring_reset();
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), 0, "BLOCK_SETUP again");
	memset(rbuf, 0, sizeof(rbuf));
	publish(5, VIREO_BLOCK_OP_READ, 16, rbuf, 4096);
	check(notify(1, c) == 1 && c[0].slot == 5 && !c[0].status && !memcmp(wbuf, rbuf, 4096),
	      "a read on the new ring gives the data written");
}

static void check_clock(void)
{
	EXPECT(hypercall(VIREO_HC_CLOCK_ENABLE, (u64)&clock + 8, 0), -VIREO_EINVAL,
	       "CLOCK_ENABLE not 64-byte aligned: EINVAL");
	EXPECT(hypercall(VIREO_HC_CLOCK_ENABLE, cfg.ram_end, 0), -VIREO_EFAULT,
	       "CLOCK_ENABLE past RAM: EFAULT");
	EXPECT(hypercall(VIREO_HC_CLOCK_ENABLE, 0xfee00000, 0), -VIREO_EFAULT,
	       "CLOCK_ENABLE in the APIC page: EFAULT");
	EXPECT(hypercall(VIREO_HC_CLOCK_ENABLE, (u64)&clock, 0), 0, "CLOCK_ENABLE");
	check(!(clock.version & 1) && clock.version && (clock.flags & VIREO_PVCLOCK_TSC_STABLE) &&
	      clock.tsc_khz && clock.tsc_to_system_mul, "the clock page is filled in (version %u)",
	      clock.version);
	EXPECT(hypercall(VIREO_HC_CLOCK_ENABLE, 0, 0), 0, "CLOCK_ENABLE(0) stops it");
}

static void check_system_and_idle(void)
{
	u64 t0 = READ_ONCE(ticks);

	EXPECT(hypercall(VIREO_HC_SYSTEM_EVENT, 0, 0), -VIREO_EINVAL, "SYSTEM_EVENT(0): EINVAL");
	EXPECT(hypercall(VIREO_HC_SYSTEM_EVENT, 4, 0), -VIREO_EINVAL, "SYSTEM_EVENT(4): EINVAL");
	EXPECT(hypercall(VIREO_HC_SYSTEM_EVENT, ~0ULL, 0), -VIREO_EINVAL,
	       "SYSTEM_EVENT(2^64 - 1): EINVAL");
	/* Interrupts off: IDLE returns at the next PIT interrupt, taken after it. */
	EXPECT(hypercall(VIREO_HC_IDLE, 0, 0), 0, "IDLE returns once an interrupt is pending");
	asm volatile("sti; nop; cli" ::: "memory");
	check(READ_ONCE(ticks) != t0, "the interrupt that ended IDLE is taken");
}

/* Every hypercall from CPL 3: EPERM, and none of them did anything. */
static void check_cpl3(void)
{
	static const char leak[] = "hcg: CPL3-LEAK\r\n";
	struct user_call calls[] = {
		{ VIREO_HC_NOP, 0, 0, 0 },
		{ VIREO_HC_SET_FEATURES, 0, 0, 0 },
		{ VIREO_HC_SYSTEM_EVENT, VIREO_PV_POWEROFF, 0, 0 },
		{ VIREO_HC_SYSTEM_EVENT, VIREO_PV_RESET, 0, 0 },
		{ VIREO_HC_SYSTEM_EVENT, VIREO_PV_CRASH, 0, 0 },
		{ VIREO_HC_IDLE, 0, 0, 0 },
		{ VIREO_HC_CONSOLE_WRITE, (u64)text, sizeof(leak) - 1, 0 },
		{ VIREO_HC_CONSOLE_READ, (u64)text + 1024, 16, 0 },
		{ VIREO_HC_BLOCK_INFO, (u64)&info, 0, 0 },
		{ VIREO_HC_BLOCK_SETUP, 0, 0, 0 },
		{ VIREO_HC_BLOCK_NOTIFY, 0, 0, 0 },
		{ VIREO_HC_CLOCK_ENABLE, (u64)&clock, 0, 0 },
		{ 0x0a, 0, 0, 0 },
		{ 0x1000, 0, 0, 0 },
	};
	struct vireo_block_cpl c[1] = { 0 };
	char name[16];
	size_t i;
	int n;

	memcpy(text, leak, sizeof(leak) - 1);
	memset(&info, 0xa5, sizeof(info));
	memset(&clock, 0, sizeof(clock));
	publish(6, VIREO_BLOCK_OP_READ, 16, rbuf, 512);	/* not notified */
	run_user(calls, ARRAY_SIZE(calls));
	for (i = 0; i < ARRAY_SIZE(calls); i++)
		EXPECT(calls[i].ret, -VIREO_EPERM, "hypercall %#llx from CPL 3: EPERM (%s)",
		       calls[i].nr, ret_name(calls[i].ret, name, sizeof(name)));
	check(info.capacity == 0xa5a5a5a5a5a5a5a5ULL && !clock.version,
	      "BLOCK_INFO and CLOCK_ENABLE from CPL 3 wrote nothing");
	check(notify(1, c) == 1 && c[0].slot == 6,
	      "BLOCK_SETUP(0, 0) and BLOCK_NOTIFY from CPL 3 did nothing: the request waited");
	n = snprintf((char *)text, 64, "hcg: after CPL 3 %s\r\n", cfg.token);
	EXPECT(hypercall(VIREO_HC_CONSOLE_WRITE, (u64)text, n), n,
	       "SET_FEATURES(0) from CPL 3 did nothing: the console works");
}

static void mode_full(void)
{
	check_cpuid(0x1f);
	check_not_negotiated(0);
	negotiate(0x1f);
	check_unknown_numbers();
	check_console();
	check_console_input();
	check_block_info(VIREO_BLOCK_F_FLUSH);
	check_block_setup();
	check_block_io();
	check_block_bad_requests();
	check_block_ring_errors();
	check_block_release();
	check_clock();
	check_system_and_idle();
	check_cpl3();
}

static void mode_console(void)
{
	check_cpuid(VIREO_PV_F_CONSOLE);
	check_not_negotiated(0);
	negotiate(VIREO_PV_F_CONSOLE);
	check_console();
	check_not_negotiated(VIREO_PV_F_CONSOLE);
}

static void mode_nodisk(void)
{
	u32 offered = VIREO_PV_F_BLOCK | VIREO_PV_F_SYSTEM;

	check_cpuid(offered);
	negotiate(offered);
	EXPECT(hypercall(VIREO_HC_BLOCK_INFO, (u64)&info, 0), -VIREO_ENOENT,
	       "BLOCK_INFO, no disk: ENOENT");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), -VIREO_ENOENT,
	       "BLOCK_SETUP, no disk: ENOENT");
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, 0, 0), -VIREO_ENOENT,
	       "BLOCK_SETUP(0, 0), no disk: ENOENT");
	EXPECT(hypercall(VIREO_HC_BLOCK_NOTIFY, 0, 0), -VIREO_ENOENT,
	       "BLOCK_NOTIFY, no disk: ENOENT");
	check_not_negotiated(offered);
}

static void mode_readonly(void)
{
	struct vireo_block_cpl c[2] = { 0 };

	check_cpuid(0x1f);
	negotiate(0x1f);
	check_block_info(VIREO_BLOCK_F_RO);
	ring_reset();
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), 0, "BLOCK_SETUP");
	fill_pattern(wbuf, 16, 8);
	publish(0, VIREO_BLOCK_OP_READ, 16, rbuf, 4096);
	check(notify(1, c) == 1 && !c[0].status && !memcmp(rbuf, wbuf, 4096),
	      "a read gives what the full run wrote to the disk");
	publish(1, VIREO_BLOCK_OP_WRITE, 16, wbuf, 512);
	publish(2, VIREO_BLOCK_OP_FLUSH, 0, NULL, 0);
	EXPECT(notify(2, c), 2, "BLOCK_NOTIFY of a write and a flush");
	check(c[0].slot == 1 && c[0].status == VIREO_EROFS,
	      "a write to a read-only disk completes with EROFS (got %u)", c[0].status);
	check(c[1].slot == 2 && !c[1].status, "a flush of a read-only disk completes");
}

static void mode_eio(void)
{
	u32 offered = VIREO_PV_F_BLOCK | VIREO_PV_F_SYSTEM;
	struct vireo_block_cpl c[2] = { 0 };

	negotiate(offered);
	ring_reset();
	EXPECT(hypercall(VIREO_HC_BLOCK_SETUP, (u64)ring, ENTRIES), 0, "BLOCK_SETUP");
	fill_pattern(wbuf, 100, 8);
	memset(rbuf, 0x5a, sizeof(rbuf));
	publish(0, VIREO_BLOCK_OP_WRITE, 100, wbuf, 4096);
	publish(1, VIREO_BLOCK_OP_READ, 100, rbuf, 4096);
	EXPECT(notify(2, c), 2, "BLOCK_NOTIFY of a write and a read");
	check(c[0].status == VIREO_EIO, "a write the host cannot store completes with EIO (got %u)",
	      c[0].status);
	check(!c[1].status && !rbuf[0] && !rbuf[4095], "a read of the unwritten sectors: zeros");
}

void hcg_main(const u8 *zp)
{
	cpu_init();
	parse(zp);
	print("hcg: mode %s, RAM below 4 GiB ends at %#llx\n", cfg.mode, cfg.ram_end);
	if (!strncmp(cfg.mode, "full", 5))
		mode_full();
	else if (!strncmp(cfg.mode, "console", 8))
		mode_console();
	else if (!strncmp(cfg.mode, "nodisk", 7))
		mode_nodisk();
	else if (!strncmp(cfg.mode, "readonly", 9))
		mode_readonly();
	else if (!strncmp(cfg.mode, "eio", 4))
		mode_eio();
	else
		print("Bail out! unknown hcg.mode '%s'\n", cfg.mode);
	print("hcg: done %d\n", results);
	poweroff();
}
