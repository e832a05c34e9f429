// SPDX-License-Identifier: GPL-2.0-only
/*
 * The i8254 of vireoctl run (userctl/hw/pit.c) on an invented clock: the
 * counting modes Linux uses (2 periodic, 4 one-shot, 0 on channel 2 for
 * calibration), the latch and read-back commands, access modes, BCD, the
 * gate on port 0x61, and the IRQ 0 edges the model's thread delivers,
 * including ticks merged when the thread is late.
 */
#include "vmm_test.h"
#include "hw/pit.h"

static struct pit pit;
static struct irq_rec rec;
static u64 fake_now;

static u64 fake_clock(void)
{
	return fake_now;
}

/* Nanoseconds of @ticks PIT clocks, rounded up. */
static u64 ns(u64 ticks)
{
	return (ticks * NSEC_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static void setup(void)
{
	memset(&rec, 0, sizeof(rec));
	fake_now = 1000 * NSEC_PER_SEC;
	pit_init(&pit, irq_rec_line(&rec, 0), fake_clock);
}

static void out8(u16 port, u8 val)
{
	if (port == 0x61)
		pit_port61_ops.out(&pit, port, 1, val);
	else
		pit_io_ops.out(&pit, port, 1, val);
}

static u8 in8(u16 port)
{
	if (port == 0x61)
		return pit_port61_ops.in(&pit, port, 1);
	return pit_io_ops.in(&pit, port, 1);
}

static u16 latch_read(int ch)
{
	u16 v;

	out8(0x43, ch << 6);		/* counter latch */
	v = in8(0x40 + ch);
	return v | in8(0x40 + ch) << 8;
}

static void load(int ch, u8 control, u16 count)
{
	out8(0x43, control);
	out8(0x40 + ch, count);
	out8(0x40 + ch, count >> 8);
}

static bool test_periodic(void)
{
	u64 start;

	setup();
	load(0, 0x34, 11932);		/* Linux: channel 0, lo/hi, mode 2 */
	start = fake_now;
	EXPECT(pit_next_irq_ns(&pit) == start + ns(11932) ||
	       pit_next_irq_ns(&pit) == start + ns(11932) + 1,
	       "next IRQ at +%llu ns", (unsigned long long)(pit_next_irq_ns(&pit) - start));
	fake_now = start + ns(11932) - 1000;
	EXPECT(pit_fire(&pit, fake_now) == 0, "fired early");
	fake_now = start + ns(11932) + 10;
	EXPECT(pit_fire(&pit, fake_now) == 1 && rec.rises[0] == 1, "rises %d", rec.rises[0]);
	EXPECT(rec.level[0] == 0, "the line is left low after a pulse");
	fake_now = start + ns(3 * 11932) + 10;
	EXPECT(pit_fire(&pit, fake_now) == 2 && rec.rises[0] == 2,
	       "two periods due: one merged edge (rises %d)", rec.rises[0]);
	EXPECT(pit.missed == 1, "missed %llu", (unsigned long long)pit.missed);
	return true;
}

static bool test_latch_count(void)
{
	u16 v;

	setup();
	load(0, 0x34, 10000);
	fake_now += ns(1000);
	v = latch_read(0);
	EXPECT(v == 9000, "count %u after 1000 ticks", v);
	fake_now += ns(9500);		/* wrapped once in mode 2 */
	v = latch_read(0);
	EXPECT(v == 10000 - 500, "count %u after 10500 ticks", v);
	return true;
}

static bool test_latch_holds(void)
{
	u8 lo, hi;

	setup();
	load(0, 0x34, 10000);
	fake_now += ns(100);
	out8(0x43, 0x00);
	fake_now += ns(100);
	out8(0x43, 0x00);		/* ignored: a latch is pending */
	lo = in8(0x40);
	fake_now += ns(100);
	hi = in8(0x40);
	EXPECT((lo | hi << 8) == 9900, "latched %u", lo | hi << 8);
	return true;
}

static bool test_oneshot_mode4(void)
{
	setup();
	load(0, 0x38, 1000);		/* Linux's one-shot: mode 4 */
	fake_now += ns(1000);
	EXPECT(pit_fire(&pit, fake_now) == 0, "mode 4 fired at the terminal count");
	fake_now += ns(1);
	EXPECT(pit_fire(&pit, fake_now) == 1, "no edge one tick after the terminal count");
	fake_now += ns(100000);
	EXPECT(pit_fire(&pit, fake_now) == 0 && pit_next_irq_ns(&pit) == 0,
	       "a one-shot fired twice");
	return true;
}

static bool test_mode0_shutdown(void)
{
	setup();
	/* Linux's pit_shutdown(): mode 0, count 0 (65536), then nothing more. */
	load(0, 0x30, 0);
	fake_now += ns(65536);
	EXPECT(pit_fire(&pit, fake_now) == 1, "mode 0 edge at 65536");
	fake_now += ns(10 * 65536);
	EXPECT(pit_fire(&pit, fake_now) == 0, "mode 0 repeated");
	return true;
}

static bool test_readback_status(void)
{
	u8 st;

	setup();
	out8(0x43, 0xb0);		/* channel 2, lo/hi, mode 0 */
	out8(0x43, 0xe8);		/* read-back: status of channel 2 */
	st = in8(0x42);
	EXPECT(st == 0x70, "status %#x: OUT low, null count, lo/hi, mode 0", st);
	out8(0x42, 0x10);
	out8(0x42, 0x00);
	out8(0x43, 0xe8);
	st = in8(0x42);
	EXPECT(st == 0x30, "status %#x after loading", st);
	return true;
}

static bool test_readback_both(void)
{
	u8 st, lo, hi;

	setup();
	load(0, 0x34, 5000);
	fake_now += ns(1000);
	out8(0x43, 0xc2);		/* read-back: count and status of channel 0 */
	st = in8(0x40);
	lo = in8(0x40);
	hi = in8(0x40);
	EXPECT(st == 0xb4, "status %#x", st);
	EXPECT((lo | hi << 8) == 4000, "count %u", lo | hi << 8);
	return true;
}

static bool test_gate_and_out2(void)
{
	setup();
	/* Linux's pit_calibrate_tsc(): gate on, speaker off, mode 0, count. */
	out8(0x61, (in8(0x61) & ~0x02) | 0x01);
	load(2, 0xb0, 11931);
	fake_now += ns(11930);
	EXPECT(!(in8(0x61) & 0x20), "OUT2 high before the terminal count");
	fake_now += ns(2);
	EXPECT(in8(0x61) & 0x20, "OUT2 low after the terminal count");
	EXPECT((in8(0x61) & 0x03) == 0x01, "port 0x61 gate/speaker %#x", in8(0x61));
	return true;
}

static bool test_gate_suspends_mode0(void)
{
	u16 v;

	setup();
	out8(0x61, 0x00);		/* gate low */
	load(2, 0xb0, 5000);
	fake_now += ns(3000);
	v = latch_read(2);
	EXPECT(v == 5000, "counted %u with the gate low", 5000 - v);
	out8(0x61, 0x01);
	fake_now += ns(1000);
	v = latch_read(2);
	EXPECT(v == 4000, "count %u one thousand ticks after the gate rose", v);
	return true;
}

static bool test_access_modes(void)
{
	setup();
	out8(0x43, 0x54);		/* channel 1, LSB only, mode 2 */
	out8(0x41, 200);
	fake_now += ns(50);
	EXPECT(in8(0x41) == 150, "LSB-only read");
	out8(0x43, 0x64);		/* channel 1, MSB only, mode 2 */
	out8(0x41, 0x10);		/* 4096 */
	fake_now += ns(0x100);
	EXPECT(in8(0x41) == 0x0f, "MSB-only read");
	return true;
}

static bool test_lohi_read_toggle(void)
{
	u8 lo, hi;

	setup();
	load(1, 0x74, 0x1234);
	lo = in8(0x41);
	hi = in8(0x41);
	EXPECT(lo == 0x34 && hi == 0x12, "read %#x %#x", lo, hi);
	return true;
}

static bool test_bcd(void)
{
	u16 v;

	setup();
	load(0, 0x35, 0x1000);		/* mode 2, BCD 1000 */
	fake_now += ns(1);
	v = latch_read(0);
	EXPECT(v == 0x0999, "BCD count %#x", v);
	fake_now += ns(999);
	EXPECT(pit_fire(&pit, fake_now) == 1, "BCD period of 1000");
	return true;
}

static bool test_square_wave(void)
{
	setup();
	out8(0x61, 0x01);
	load(2, 0xb6, 1000);		/* channel 2, mode 3 */
	fake_now += ns(100);
	EXPECT(in8(0x61) & 0x20, "OUT2 low in the first half");
	fake_now += ns(500);
	EXPECT(!(in8(0x61) & 0x20), "OUT2 high in the second half");
	return true;
}

static bool test_refresh_toggles(void)
{
	u8 a, b;

	setup();
	a = in8(0x61) & 0x10;
	fake_now += 15085;
	b = in8(0x61) & 0x10;
	EXPECT(a != b, "port 0x61 bit 4 did not toggle");
	return true;
}

static bool test_reprogram_stops(void)
{
	setup();
	load(0, 0x34, 1000);
	out8(0x43, 0x34);		/* new control word, no count yet */
	fake_now += ns(5000);
	EXPECT(pit_fire(&pit, fake_now) == 0 && pit_next_irq_ns(&pit) == 0,
	       "counting went on without a count");
	return true;
}

static bool test_thread(void)
{
	struct timespec ts = { 0, 60 * 1000 * 1000 };

	memset(&rec, 0, sizeof(rec));
	pit_init(&pit, irq_rec_line(&rec, 0), now_ns);
	if (pit_start(&pit))
		return false;
	load(0, 0x34, 11932);		/* 100 Hz */
	nanosleep(&ts, NULL);
	pit_stop(&pit);
	/* 60 ms: about 6 edges; allow for a slow machine. */
	EXPECT(rec.rises[0] >= 3 && rec.rises[0] <= 7, "%d edges in 60 ms", rec.rises[0]);
	pit_destroy(&pit);
	return true;
}

static const struct vmm_case cases[] = {
	{ "pit: mode 2 raises IRQ 0 every period, late ticks merge", test_periodic },
	{ "pit: counter latch reads the mode 2 count", test_latch_count },
	{ "pit: a latched count holds; a second latch waits", test_latch_holds },
	{ "pit: mode 4 one-shot (Linux's oneshot clockevent)", test_oneshot_mode4 },
	{ "pit: mode 0 with count 0 fires once (Linux's shutdown)", test_mode0_shutdown },
	{ "pit: read-back status: OUT, null count, access, mode", test_readback_status },
	{ "pit: read-back of status and count together", test_readback_both },
	{ "pit: channel 2 OUT on port 0x61 (Linux's PIT calibration)", test_gate_and_out2 },
	{ "pit: gate low suspends mode 0", test_gate_suspends_mode0 },
	{ "pit: LSB-only and MSB-only access", test_access_modes },
	{ "pit: lo/hi reads alternate", test_lohi_read_toggle },
	{ "pit: BCD counting", test_bcd },
	{ "pit: mode 3 square wave on OUT2", test_square_wave },
	{ "pit: port 0x61 refresh bit toggles", test_refresh_toggles },
	{ "pit: a new control word stops the channel", test_reprogram_stops },
	{ "pit: the IRQ thread delivers in real time", test_thread },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
