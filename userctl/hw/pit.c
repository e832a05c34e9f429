// SPDX-License-Identifier: GPL-2.0-only
/*
 * The i8254, after the Intel 8254 data sheet: six counting modes, binary
 * and BCD counts, the counter latch and read-back commands, the gates
 * (channel 2's on port 0x61; channels 0 and 1 are tied high), and IRQ 0
 * raised in real time by a thread. See pit.h for the model of time.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "pit.h"

#define PIT_BASE	0x40
#define PIT_CONTROL	0x43
#define PORT61		0x61
#define REFRESH_NS	15085		/* port 0x61 bit 4 toggles this often */

static u16 bin_to_bcd(u32 v)
{
	return (v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 | (v / 1000 % 10) << 12;
}

static u32 bcd_to_bin(u16 v)
{
	return (v & 0xf) + (v >> 4 & 0xf) * 10 + (v >> 8 & 0xf) * 100 + (v >> 12 & 0xf) * 1000;
}

/* Whether the channel counts while its gate is low (modes 1 and 5 do). */
static bool gate_triggered(const struct pit_channel *ch)
{
	return ch->mode == 1 || ch->mode == 5;
}

/* Clock ticks the channel has counted since its count was loaded. */
static u64 pit_elapsed(const struct pit_channel *ch, u64 now)
{
	u64 d = ch->frozen;

	if (ch->loaded && ch->armed && (ch->gate || gate_triggered(ch)) && now > ch->start_ns)
		d += mul_div(now - ch->start_ns, PIT_HZ, NSEC_PER_SEC);
	return d;
}

/* Modes 2 and 3 cannot divide by one. */
static u64 period(const struct pit_channel *ch)
{
	return ch->count < 2 ? 2 : ch->count;
}

static u32 pit_count(const struct pit_channel *ch, u64 now)
{
	u64 d = pit_elapsed(ch, now), n = ch->count, p, half;
	u32 modulus = ch->bcd ? 10000 : 65536;

	if (!ch->loaded || !ch->armed)
		return n % modulus;
	switch (ch->mode) {
	case 2:
		return period(ch) - d % period(ch);
	case 3:
		p = d % period(ch);
		half = (period(ch) + 1) / 2;
		return (period(ch) - 2 * (p < half ? p : p - half)) & ~1U;
	default:	/* 0, 1, 4, 5: count down, wrapping */
		return (n + modulus - d % modulus) % modulus;
	}
}

static int pit_out(const struct pit_channel *ch, u64 now)
{
	u64 d = pit_elapsed(ch, now);

	switch (ch->mode) {
	case 0:
		return ch->loaded && ch->armed && d >= ch->count;
	case 1:
		return !ch->armed || !ch->loaded || d >= ch->count;
	case 2:
		if (!ch->loaded || !ch->gate)
			return 1;
		return d % period(ch) != period(ch) - 1;
	case 3:
		if (!ch->loaded || !ch->gate)
			return 1;
		return d % period(ch) < (period(ch) + 1) / 2;
	default:	/* 4, 5: one low tick at the terminal count */
		return !ch->loaded || !ch->armed || d != ch->count;
	}
}

/* Channel 0: the first IRQ edge (rising edge of OUT) after loading. */
static u64 first_edge(const struct pit_channel *ch)
{
	switch (ch->mode) {
	case 0:
		return ch->count;
	case 2:
	case 3:
		return period(ch);
	case 4:
		return ch->count + 1;
	default:	/* 1, 5: channel 0's gate never rises */
		return 0;
	}
}

u64 pit_next_irq_ns(struct pit *pit)
{
	struct pit_channel *ch = &pit->ch[0];

	if (!ch->next_edge || !ch->loaded || !ch->armed)
		return 0;
	/* The first nanosecond at which pit_elapsed() reaches the edge. */
	return ch->start_ns + mul_div(ch->next_edge - ch->frozen, NSEC_PER_SEC, PIT_HZ) + 1;
}

/* Caller holds the lock. */
static unsigned int pit_fire_locked(struct pit *pit, u64 now)
{
	struct pit_channel *ch = &pit->ch[0];
	u64 d = pit_elapsed(ch, now), due;

	if (!ch->next_edge || d < ch->next_edge)
		return 0;
	if (ch->mode == 2 || ch->mode == 3) {
		due = (d - ch->next_edge) / period(ch) + 1;
		ch->next_edge += due * period(ch);
	} else {
		due = 1;
		ch->next_edge = 0;
	}
	irq_line_pulse(&pit->irq);
	pit->irqs++;
	pit->missed += due - 1;
	return due;
}

unsigned int pit_fire(struct pit *pit, u64 now)
{
	unsigned int due;

	pthread_mutex_lock(&pit->lock);
	due = pit_fire_locked(pit, now);
	pthread_mutex_unlock(&pit->lock);
	return due;
}

static void pit_load(struct pit *pit, int idx, u32 value, u64 now)
{
	struct pit_channel *ch = &pit->ch[idx];

	if (ch->bcd)
		ch->count = value ? bcd_to_bin(value) : 10000;
	else
		ch->count = value ? value : 65536;
	ch->loaded = true;
	ch->null_count = false;
	ch->frozen = 0;
	ch->start_ns = now;
	/* Modes 1 and 5 wait for a rising edge of the gate. */
	ch->armed = !gate_triggered(ch);
	if (idx == 0) {
		ch->next_edge = first_edge(ch);
		pthread_cond_signal(&pit->wake);
	}
}

static void pit_write_count(struct pit *pit, int idx, u8 val, u64 now)
{
	struct pit_channel *ch = &pit->ch[idx];

	switch (ch->access) {
	case 1:
		pit_load(pit, idx, val, now);
		break;
	case 2:
		pit_load(pit, idx, val << 8, now);
		break;
	default:
		if (!ch->write_msb) {
			ch->write_lsb = val;
			ch->write_msb = true;
			/* Mode 0: the first byte stops the count. */
			if (ch->mode == 0)
				ch->loaded = false;
		} else {
			ch->write_msb = false;
			pit_load(pit, idx, ch->write_lsb | val << 8, now);
		}
		break;
	}
}

static void pit_latch(struct pit_channel *ch, u64 now)
{
	u32 v;

	if (ch->latched)
		return;
	v = pit_count(ch, now);
	ch->latch = ch->bcd ? bin_to_bcd(v) : v;
	ch->latched = true;
	ch->latch_msb = false;
}

static void pit_latch_status(struct pit_channel *ch, u64 now)
{
	if (ch->status_latched)
		return;
	ch->status = pit_out(ch, now) << 7 | ch->null_count << 6 | ch->access << 4 |
		     ch->mode << 1 | ch->bcd;
	ch->status_latched = true;
}

static void pit_control(struct pit *pit, u8 val, u64 now)
{
	struct pit_channel *ch;
	int i;

	if ((val >> 6) == 3) {		/* read-back */
		for (i = 0; i < 3; i++) {
			if (!(val & BIT(i + 1)))
				continue;
			if (!(val & BIT(5)))
				pit_latch(&pit->ch[i], now);
			if (!(val & BIT(4)))
				pit_latch_status(&pit->ch[i], now);
		}
		return;
	}
	ch = &pit->ch[val >> 6];
	if (!(val >> 4 & 3)) {		/* counter latch */
		pit_latch(ch, now);
		return;
	}
	ch->access = val >> 4 & 3;
	ch->mode = val >> 1 & 7;
	if (ch->mode > 5)
		ch->mode -= 4;		/* 6 and 7 are aliases of 2 and 3 */
	ch->bcd = val & 1;
	ch->loaded = false;
	ch->armed = false;
	ch->frozen = 0;
	ch->write_msb = false;
	ch->read_msb = false;
	ch->latched = false;
	ch->status_latched = false;
	ch->null_count = true;
	ch->next_edge = 0;
	if (ch == &pit->ch[0])
		pthread_cond_signal(&pit->wake);
}

static u8 pit_read_count(struct pit *pit, int idx, u64 now)
{
	struct pit_channel *ch = &pit->ch[idx];
	bool msb;
	u16 v;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	if (ch->latched) {
		v = ch->latch;
		msb = ch->access == 2 || (ch->access == 3 && ch->latch_msb);
		if (ch->access == 3 && !ch->latch_msb)
			ch->latch_msb = true;
		else
			ch->latched = false;
	} else {
		v = pit_count(ch, now);
		if (ch->bcd)
			v = bin_to_bcd(v);
		msb = ch->access == 2 || (ch->access == 3 && ch->read_msb);
		if (ch->access == 3)
			ch->read_msb = !ch->read_msb;
	}
	return msb ? v >> 8 : v;
}

/* Channel 2's gate, from port 0x61. */
static void pit_set_gate(struct pit_channel *ch, bool gate, u64 now)
{
	if (gate == ch->gate)
		return;
	if (!gate) {
		if (ch->mode == 0 || ch->mode == 4)
			ch->frozen = pit_elapsed(ch, now);	/* suspend */
		ch->gate = false;
		return;
	}
	ch->gate = true;
	ch->start_ns = now;
	if (ch->mode == 0 || ch->mode == 4)
		return;					/* resume */
	ch->frozen = 0;					/* retrigger or reload */
	if (ch->loaded)
		ch->armed = true;
}

static u32 pit_in(void *dev, u16 port, unsigned int size)
{
	struct pit *pit = dev;
	u64 now = pit->clock();
	u32 val = 0xff;

	(void)size;
	pthread_mutex_lock(&pit->lock);
	if (port < PIT_CONTROL)
		val = pit_read_count(pit, port - PIT_BASE, now);
	pthread_mutex_unlock(&pit->lock);
	return val;
}

static void pit_out_port(void *dev, u16 port, unsigned int size, u32 val)
{
	struct pit *pit = dev;
	u64 now = pit->clock();

	(void)size;
	pthread_mutex_lock(&pit->lock);
	if (port == PIT_CONTROL)
		pit_control(pit, val, now);
	else
		pit_write_count(pit, port - PIT_BASE, val, now);
	pthread_mutex_unlock(&pit->lock);
}

const struct io_ops pit_io_ops = {
	.in = pit_in,
	.out = pit_out_port,
};

static u32 port61_in(void *dev, u16 port, unsigned int size)
{
	struct pit *pit = dev;
	u64 now = pit->clock();
	u32 val;

	(void)port;
	(void)size;
	pthread_mutex_lock(&pit->lock);
	val = pit->ch[2].gate | pit->speaker << 1 | (now / REFRESH_NS & 1) << 4 |
	      pit_out(&pit->ch[2], now) << 5;
	pthread_mutex_unlock(&pit->lock);
	return val;
}

static void port61_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct pit *pit = dev;
	u64 now = pit->clock();

	(void)port;
	(void)size;
	pthread_mutex_lock(&pit->lock);
	pit_set_gate(&pit->ch[2], val & 1, now);
	pit->speaker = val & 2;
	pthread_mutex_unlock(&pit->lock);
}

const struct io_ops pit_port61_ops = {
	.in = port61_in,
	.out = port61_out,
};

void pit_init(struct pit *pit, struct irq_line irq, u64 (*clock)(void))
{
	pthread_condattr_t attr;
	int i;

	memset(pit, 0, sizeof(*pit));
	pthread_mutex_init(&pit->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&pit->wake, &attr);
	pthread_condattr_destroy(&attr);
	pit->irq = irq;
	pit->clock = clock ? clock : now_ns;
	for (i = 0; i < 3; i++) {
		pit->ch[i].access = 3;
		pit->ch[i].gate = i != 2;	/* channel 2 follows port 0x61 */
		pit->ch[i].count = 65536;
	}
}

int pit_attach(struct pit *pit, struct bus *bus)
{
	int ret = bus_add(bus, PIT_BASE, 4, "pit", &pit_io_ops, pit);

	return ret ? ret : bus_add(bus, PORT61, 1, "port61", &pit_port61_ops, pit);
}

static void *pit_thread(void *arg)
{
	struct pit *pit = arg;
	struct timespec ts;
	u64 deadline;

	pthread_mutex_lock(&pit->lock);
	while (!pit->stop) {
		deadline = pit_next_irq_ns(pit);
		if (!deadline) {
			pthread_cond_wait(&pit->wake, &pit->lock);
		} else if (pit->clock() >= deadline) {
			pit_fire_locked(pit, pit->clock());
		} else {
			ts.tv_sec = deadline / NSEC_PER_SEC;
			ts.tv_nsec = deadline % NSEC_PER_SEC;
			pthread_cond_timedwait(&pit->wake, &pit->lock, &ts);
		}
	}
	pthread_mutex_unlock(&pit->lock);
	return NULL;
}

/* The thread assumes pit->clock is CLOCK_MONOTONIC, as now_ns() is. */
int pit_start(struct pit *pit)
{
	int ret = pthread_create(&pit->thread, NULL, pit_thread, pit);

	if (ret)
		return -ret;
	pit->running = true;
	return 0;
}

void pit_stop(struct pit *pit)
{
	if (!pit->running)
		return;
	pthread_mutex_lock(&pit->lock);
	pit->stop = true;
	pthread_cond_signal(&pit->wake);
	pthread_mutex_unlock(&pit->lock);
	pthread_join(pit->thread, NULL);
	pit->running = false;
}

void pit_destroy(struct pit *pit)
{
	pit_stop(pit);
	pthread_cond_destroy(&pit->wake);
	pthread_mutex_destroy(&pit->lock);
}
