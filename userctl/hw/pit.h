/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The i8254 programmable interval timer (ports 0x40-0x43) and the timer
 * bits of PC port 0x61 (channel 2 gate, speaker enable, OUT2, refresh).
 *
 * Counters are not stepped: a channel's count and output are computed
 * from the time since it was loaded (1193182 Hz), so reading them costs
 * nothing and they are exact. Channel 0's output drives ISA IRQ 0; a
 * thread of the model sleeps until the output's next rising edge and
 * pulses the line then (ticks it missed are merged into one, as an edge
 * latch would). The clock is a parameter, so that the native tests can
 * drive the model with invented time.
 */
#ifndef HW_PIT_H
#define HW_PIT_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/irq.h"

#define PIT_HZ		1193182ULL

struct pit_channel {
	u8 mode;		/* 0-5 */
	u8 access;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;
	u32 count;		/* the reload value, 1-65536 (10000 in BCD) */
	bool loaded;		/* a count was written since the control word */
	bool armed;		/* counting (modes 1 and 5: after a gate edge) */
	u64 start_ns;		/* when counting started, with the gate high */
	u64 frozen;		/* ticks counted before the gate last dropped */
	bool write_msb;		/* the next count write is the MSB */
	u8 write_lsb;
	bool read_msb;		/* the next count read is the MSB */
	bool latched;		/* a counter latch is pending */
	u16 latch;
	bool latch_msb;		/* the next latched read is the MSB */
	bool status_latched;
	u8 status;
	bool null_count;
	u64 next_edge;		/* channel 0: ticks of the next IRQ edge */
};

struct pit {
	pthread_mutex_t lock;	/* guards everything below */
	pthread_cond_t wake;	/* the IRQ thread's deadline changed */
	struct pit_channel ch[3];
	bool speaker;		/* port 0x61 bit 1 */
	struct irq_line irq;	/* channel 0's output: ISA IRQ 0 */
	u64 (*clock)(void);	/* nanoseconds, monotonic */
	pthread_t thread;
	bool running, stop;
	u64 irqs;		/* IRQ 0 edges delivered */
	u64 missed;		/* edges merged because the thread was late */
};

extern const struct io_ops pit_io_ops;
extern const struct io_ops pit_port61_ops;

void pit_init(struct pit *pit, struct irq_line irq, u64 (*clock)(void));
/* Registers 0x40-0x43 and 0x61 on @bus. */
int pit_attach(struct pit *pit, struct bus *bus);
/* The thread that raises IRQ 0 in real time. */
int pit_start(struct pit *pit);
void pit_stop(struct pit *pit);
void pit_destroy(struct pit *pit);

/*
 * The clockwork, for the IRQ thread and the tests: when (in @clock's
 * nanoseconds) channel 0's output next rises, or 0 if it will not; and
 * the delivery of the edges due at @now (returns how many were due).
 */
u64 pit_next_irq_ns(struct pit *pit);
unsigned int pit_fire(struct pit *pit, u64 now);

#endif
