/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An 8250/16550A UART (COM1: 0x3F8-0x3FF, ISA IRQ 4), the guest's console.
 *
 * Transmission is instantaneous: every byte written to THR goes to the
 * @output callback at once, so the transmitter is always empty (THRE and
 * TEMT set) and a THRE interrupt follows each write while it is enabled.
 * Received bytes come from serial_receive() (the VMM's stdin thread) into
 * the 16-byte FIFO. Interrupts follow the 16550A's priorities; the IRQ
 * line is gated by MCR OUT2, as on a PC.
 */
#ifndef HW_SERIAL_H
#define HW_SERIAL_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/irq.h"

#define SERIAL_FIFO	16

struct serial {
	pthread_mutex_t lock;	/* guards everything below */
	u8 rx[SERIAL_FIFO];
	unsigned int rx_head, rx_count;
	u8 ier, lcr, mcr, lsr_err, msr, scr, dll, dlm;
	u8 fcr;			/* FIFO enable and trigger level */
	bool thr_irq;		/* THRE interrupt pending */
	int irq_level;
	struct irq_line irq;
	/* Called with the lock held for every transmitted byte. */
	void (*output)(void *opaque, u8 byte);
	void *opaque;
	u64 tx_bytes, rx_bytes;
};

extern const struct io_ops serial_io_ops;

void serial_init(struct serial *s, struct irq_line irq,
		 void (*output)(void *opaque, u8 byte), void *opaque);
void serial_destroy(struct serial *s);
int serial_attach(struct serial *s, struct bus *bus, u16 base);

/*
 * Input from outside: takes as many of the @len bytes as the receiver
 * has room for, and returns that number (0 when the guest has not read
 * the FIFO yet: try again later).
 */
size_t serial_receive(struct serial *s, const u8 *buf, size_t len);

#endif
