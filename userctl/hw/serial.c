// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 16550A UART, after the National Semiconductor PC16550D data sheet:
 * registers, FIFO (or the 8250's single holding register when the FIFO is
 * off), loopback, the four interrupt sources and their priorities.
 * Linux's 8250 driver probes all of it (scratch, loopback MSR, FIFO
 * bits in IIR, THRE re-assertion), so the details matter.
 */
#include <string.h>

#include "serial.h"

/* Register offsets. */
#define RBR	0	/* read, DLAB 0; THR on write; DLL with DLAB 1 */
#define IER	1	/* DLM with DLAB 1 */
#define IIR	2	/* FCR on write */
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6
#define SCR	7

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define IER_MSI		0x08

#define IIR_NO_INT	0x01
#define IIR_MSI		0x00
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_RLSI	0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFO	0xc0

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_CLEAR_TX	0x04

#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_ERRORS	0x1e
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_DELTAS	0x0f
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

static bool fifo_on(const struct serial *s)
{
	return s->fcr & FCR_ENABLE;
}

static unsigned int rx_capacity(const struct serial *s)
{
	return fifo_on(s) ? SERIAL_FIFO : 1;
}

static unsigned int rx_trigger(const struct serial *s)
{
	static const unsigned int levels[] = { 1, 4, 8, 14 };

	return fifo_on(s) ? levels[s->fcr >> 6] : 1;
}

/* The modem inputs: a terminal that is always there, or MCR in loopback. */
static u8 modem_inputs(const struct serial *s)
{
	u8 m = s->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
	       (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
}

static u8 serial_iir(const struct serial *s)
{
	u8 fifo = fifo_on(s) ? IIR_FIFO : 0;

	if ((s->ier & IER_RLSI) && (s->lsr_err & LSR_ERRORS))
		return fifo | IIR_RLSI;
	if ((s->ier & IER_RDI) && s->rx_count)
		return fifo | (s->rx_count >= rx_trigger(s) ? IIR_RDI : IIR_TIMEOUT);
	if ((s->ier & IER_THRI) && s->thr_irq)
		return fifo | IIR_THRI;
	if ((s->ier & IER_MSI) && (s->msr & MSR_DELTAS))
		return fifo | IIR_MSI;
	return fifo | IIR_NO_INT;
}

/* Caller holds the lock. */
static void serial_update_irq(struct serial *s)
{
	int level = !(serial_iir(s) & IIR_NO_INT) && (s->mcr & MCR_OUT2) &&
		    !(s->mcr & MCR_LOOP);

	if (level != s->irq_level) {
		s->irq_level = level;
		irq_line_set(&s->irq, level);
	}
}

static void rx_push(struct serial *s, u8 byte)
{
	if (s->rx_count == rx_capacity(s)) {
		s->lsr_err |= LSR_OE;
		return;
	}
	s->rx[(s->rx_head + s->rx_count++) % SERIAL_FIFO] = byte;
	s->rx_bytes++;
}

static u8 rx_pop(struct serial *s)
{
	u8 byte;

	if (!s->rx_count)
		return 0;
	byte = s->rx[s->rx_head];
	s->rx_head = (s->rx_head + 1) % SERIAL_FIFO;
	s->rx_count--;
	return byte;
}

static void set_modem_inputs(struct serial *s, u8 old_inputs)
{
	u8 now = modem_inputs(s), changed = now ^ old_inputs;

	s->msr = (s->msr & MSR_DELTAS) | now;
	s->msr |= (changed & (MSR_CTS | MSR_DSR | MSR_DCD)) >> 4;
	if ((old_inputs & MSR_RI) && !(now & MSR_RI))
		s->msr |= 0x04;		/* TERI: trailing edge of RI */
}

static void transmit(struct serial *s, u8 byte)
{
	if (s->mcr & MCR_LOOP)
		rx_push(s, byte);
	else if (s->output)
		s->output(s->opaque, byte);
	s->tx_bytes++;
	s->thr_irq = true;	/* the holding register is empty again */
}

static u8 serial_read(struct serial *s, unsigned int reg)
{
	u8 val;

	switch (reg) {
	case RBR:
		if (s->lcr & LCR_DLAB)
			return s->dll;
		return rx_pop(s);
	case IER:
		return s->lcr & LCR_DLAB ? s->dlm : s->ier;
	case IIR:
		val = serial_iir(s);
		if ((val & 0x0f) == IIR_THRI)
			s->thr_irq = false;	/* reading IIR clears THRE */
		return val;
	case LCR:
		return s->lcr;
	case MCR:
		return s->mcr;
	case LSR:
		val = (s->rx_count ? LSR_DR : 0) | s->lsr_err | LSR_THRE | LSR_TEMT;
		s->lsr_err = 0;
		return val;
	case MSR:
		val = s->msr;
		s->msr &= ~MSR_DELTAS;
		return val;
	default:
		return s->scr;
	}
}

static void serial_write(struct serial *s, unsigned int reg, u8 val)
{
	u8 old;

	switch (reg) {
	case RBR:
		if (s->lcr & LCR_DLAB)
			s->dll = val;
		else
			transmit(s, val);
		break;
	case IER:
		if (s->lcr & LCR_DLAB) {
			s->dlm = val;
			break;
		}
		/* Enabling THRI with the transmitter empty interrupts at once. */
		if ((val & IER_THRI) && !(s->ier & IER_THRI))
			s->thr_irq = true;
		s->ier = val & 0x0f;
		break;
	case IIR:	/* FCR */
		if ((val ^ s->fcr) & FCR_ENABLE || val & FCR_CLEAR_RX) {
			s->rx_head = 0;
			s->rx_count = 0;
		}
		s->fcr = val & (FCR_ENABLE | 0xc0);
		break;
	case LCR:
		s->lcr = val;
		break;
	case MCR:
		old = modem_inputs(s);
		s->mcr = val & 0x1f;
		set_modem_inputs(s, old);
		break;
	case LSR:
	case MSR:
		break;		/* read-only (factory test) */
	default:
		s->scr = val;
		break;
	}
}

static u32 serial_in(void *dev, u16 port, unsigned int size)
{
	struct serial *s = dev;
	u8 val;

	(void)size;
	pthread_mutex_lock(&s->lock);
	val = serial_read(s, port & 7);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return val;
}

static void serial_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct serial *s = dev;

	(void)size;
	pthread_mutex_lock(&s->lock);
	serial_write(s, port & 7, val);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

const struct io_ops serial_io_ops = {
	.in = serial_in,
	.out = serial_out,
};

size_t serial_receive(struct serial *s, const u8 *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	/* In loopback the receiver hears only the transmitter. */
	while (!(s->mcr & MCR_LOOP) && n < len && s->rx_count < rx_capacity(s))
		rx_push(s, buf[n++]);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

void serial_init(struct serial *s, struct irq_line irq,
		 void (*output)(void *opaque, u8 byte), void *opaque)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->irq = irq;
	s->output = output;
	s->opaque = opaque;
	s->msr = modem_inputs(s);
	s->dll = 12;		/* 9600 baud, what a BIOS leaves */
	s->lcr = 0x03;		/* 8N1 */
}

void serial_destroy(struct serial *s)
{
	pthread_mutex_destroy(&s->lock);
}

int serial_attach(struct serial *s, struct bus *bus, u16 base)
{
	return bus_add(bus, base, 8, "serial", &serial_io_ops, s);
}
