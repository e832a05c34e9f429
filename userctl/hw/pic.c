// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 8259A pair, after the Intel 8259A data sheet and the PIIX3 ELCR.
 *
 * Each chip resolves priorities among its eight inputs (with rotation,
 * special mask and special fully nested modes); the slave's output feeds
 * master input 2. Whenever the master has an interrupt for the CPU,
 * pic_update() runs the acknowledge cycle at once and delivers the vector
 * (see pic.h for why the acknowledge happens here and not when the CPU
 * takes the interrupt). Everything runs under pic->lock; device models
 * call pic_set_irq() with their own lock held.
 */
#include <string.h>

#include "pic.h"

#define PIC_MASTER_CMD	0x20
#define PIC_SLAVE_CMD	0xa0
#define PIC_ELCR	0x4d0
#define CASCADE_IRQ	2

/* The rank (0 = highest priority) of the best input in @mask; 8 if none. */
static int chip_rank(const struct pic_chip *c, u8 mask)
{
	int rank;

	for (rank = 0; rank < 8; rank++)
		if (mask & BIT((c->lowest + 1 + rank) & 7))
			return rank;
	return 8;
}

/* The input this chip would signal now, or -1. */
static int chip_pending(const struct pic_chip *c, bool master)
{
	int rank = chip_rank(c, c->irr & ~c->imr);
	u8 in_service = c->isr;

	if (rank == 8)
		return -1;
	if (c->special_mask)
		in_service &= ~c->imr;
	if (master && c->special_nested)
		in_service &= ~BIT(CASCADE_IRQ);
	if (rank >= chip_rank(c, in_service))
		return -1;
	return (c->lowest + 1 + rank) & 7;
}

static void chip_set_input(struct pic_chip *c, unsigned int irq, int level)
{
	u8 bit = BIT(irq);

	if (c->elcr & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;		/* rising edge */
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
}

/* The interrupt acknowledge cycle for input @irq. */
static void chip_ack(struct pic_chip *c, int irq)
{
	if (c->auto_eoi) {
		if (c->rotate_on_aeoi)
			c->lowest = irq;
	} else {
		c->isr |= BIT(irq);
	}
	/* A level-triggered request stays until its line drops. */
	if (!(c->elcr & BIT(irq)))
		c->irr &= ~BIT(irq);
}

/* Delivers what the pair has for the CPU. Caller holds the lock. */
static void pic_update(struct pic *pic)
{
	struct pic_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int loops, irq, irq2;
	u8 vector;

	/* More than one round only in auto-EOI mode; bound it all the same. */
	for (loops = 0; loops < 16; loops++) {
		chip_set_input(m, CASCADE_IRQ, chip_pending(s, false) >= 0);
		irq = chip_pending(m, true);
		if (irq < 0 || m->init_step)
			return;
		chip_ack(m, irq);
		if (irq == CASCADE_IRQ && !m->single) {
			irq2 = s->init_step ? -1 : chip_pending(s, false);
			if (irq2 >= 0) {
				chip_ack(s, irq2);
				vector = s->vector_base + irq2;
			} else {
				vector = s->vector_base + 7;	/* spurious */
			}
		} else {
			vector = m->vector_base + irq;
		}
		pic->delivered++;
		if (pic->deliver)
			pic->deliver(pic->opaque, vector);
	}
}

void pic_set_irq(void *opaque, unsigned int irq, int level)
{
	struct pic *pic = opaque;

	if (irq > 15)
		return;
	pthread_mutex_lock(&pic->lock);
	chip_set_input(&pic->chip[irq >> 3], irq & 7, level);
	pic_update(pic);
	pthread_mutex_unlock(&pic->lock);
}

static void chip_reset(struct pic_chip *c)
{
	u8 elcr = c->elcr, elcr_mask = c->elcr_mask, lines = c->lines;

	memset(c, 0, sizeof(*c));
	c->elcr = elcr;
	c->elcr_mask = elcr_mask;
	c->lines = lines;
	c->lowest = 7;
}

/* ICW1: starts the initialization sequence. */
static void chip_icw1(struct pic_chip *c, u8 val)
{
	u8 irr = c->irr & c->elcr;	/* level requests survive */

	chip_reset(c);
	c->irr = irr;
	c->init_step = 1;
	c->icw4_needed = val & BIT(0);
	c->single = val & BIT(1);
}

/* OCW2: end of interrupt and rotation commands. */
static void chip_ocw2(struct pic_chip *c, u8 val)
{
	int rank, irq = val & 7;

	switch (val >> 5) {
	case 0:		/* clear rotate in automatic EOI mode */
	case 4:		/* set rotate in automatic EOI mode */
		c->rotate_on_aeoi = val >> 7;
		break;
	case 1:		/* non-specific EOI */
	case 5:		/* rotate on non-specific EOI */
		rank = chip_rank(c, c->isr);
		if (rank == 8)
			break;
		irq = (c->lowest + 1 + rank) & 7;
		c->isr &= ~BIT(irq);
		if (val >> 5 == 5)
			c->lowest = irq;
		break;
	case 3:		/* specific EOI */
		c->isr &= ~BIT(irq);
		break;
	case 6:		/* set priority */
		c->lowest = irq;
		break;
	case 7:		/* rotate on specific EOI */
		c->isr &= ~BIT(irq);
		c->lowest = irq;
		break;
	default:	/* 2: no operation */
		break;
	}
}

static void chip_write_cmd(struct pic_chip *c, u8 val)
{
	if (val & BIT(4)) {
		chip_icw1(c, val);
	} else if (val & BIT(3)) {	/* OCW3 */
		if (val & BIT(2))
			c->poll = true;
		if (val & BIT(1))
			c->read_isr = val & BIT(0);
		if (val & BIT(6))
			c->special_mask = val & BIT(5);
	} else {
		chip_ocw2(c, val);
	}
}

static void chip_write_data(struct pic_chip *c, u8 val)
{
	switch (c->init_step) {
	case 1:		/* ICW2 */
		c->vector_base = val & 0xf8;
		c->init_step = !c->single ? 2 : c->icw4_needed ? 3 : 0;
		break;
	case 2:		/* ICW3: the cascade wiring is fixed */
		c->init_step = c->icw4_needed ? 3 : 0;
		break;
	case 3:		/* ICW4 */
		c->auto_eoi = val & BIT(1);
		c->special_nested = val & BIT(4);
		c->init_step = 0;
		break;
	default:	/* OCW1 */
		c->imr = val;
		break;
	}
}

/* A poll command's read: acknowledges the best request, as INTA would. */
static u8 pic_poll(struct pic *pic, int idx)
{
	struct pic_chip *c = &pic->chip[idx];
	int irq = chip_pending(c, idx == 0);

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_ack(c, irq);
	return 0x80 | irq;
}

static u8 pic_read_byte(struct pic *pic, u16 port)
{
	struct pic_chip *c;

	if ((port & ~1) == PIC_ELCR)
		return pic->chip[port & 1].elcr;
	c = &pic->chip[port >= PIC_SLAVE_CMD];
	if (port & 1)
		return c->imr;
	if (c->poll)
		return pic_poll(pic, port >= PIC_SLAVE_CMD);
	return c->read_isr ? c->isr : c->irr;
}

static void pic_write_byte(struct pic *pic, u16 port, u8 val)
{
	struct pic_chip *c;

	if ((port & ~1) == PIC_ELCR) {
		c = &pic->chip[port & 1];
		c->elcr = val & c->elcr_mask;
		return;
	}
	c = &pic->chip[port >= PIC_SLAVE_CMD];
	if (port & 1)
		chip_write_data(c, val);
	else
		chip_write_cmd(c, val);
}

/* Wider accesses reach consecutive ports, as on the ISA bus. */
static u32 pic_in(void *dev, u16 port, unsigned int size)
{
	struct pic *pic = dev;
	u32 val = 0;
	unsigned int i;

	pthread_mutex_lock(&pic->lock);
	for (i = 0; i < size; i++) {
		u16 p = port + i;

		val |= (u32)(((p & 0xff7e) == PIC_MASTER_CMD || (p & 0xfffe) == PIC_ELCR) ?
			     pic_read_byte(pic, p) : 0xff) << (8 * i);
	}
	pic_update(pic);
	pthread_mutex_unlock(&pic->lock);
	return val;
}

static void pic_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct pic *pic = dev;
	unsigned int i;

	pthread_mutex_lock(&pic->lock);
	for (i = 0; i < size; i++) {
		u16 p = port + i;

		if ((p & 0xff7e) == PIC_MASTER_CMD || (p & 0xfffe) == PIC_ELCR)
			pic_write_byte(pic, p, val >> (8 * i));
	}
	pic_update(pic);
	pthread_mutex_unlock(&pic->lock);
}

const struct io_ops pic_io_ops = {
	.in = pic_in,
	.out = pic_out,
};

void pic_init(struct pic *pic, void (*deliver)(void *opaque, u8 vector), void *opaque)
{
	int i;

	memset(pic, 0, sizeof(*pic));
	pthread_mutex_init(&pic->lock, NULL);
	pic->deliver = deliver;
	pic->opaque = opaque;
	/* PIIX: IRQ 0, 1, 2, 8 and 13 are always edge-triggered. */
	pic->chip[0].elcr_mask = 0xf8;
	pic->chip[1].elcr_mask = 0xde;
	for (i = 0; i < 2; i++) {
		chip_reset(&pic->chip[i]);
		/* What a BIOS leaves: everything masked, vectors 0x08 and 0x70. */
		pic->chip[i].imr = 0xff;
	}
	pic->chip[0].vector_base = 0x08;
	pic->chip[1].vector_base = 0x70;
}

void pic_destroy(struct pic *pic)
{
	pthread_mutex_destroy(&pic->lock);
}

int pic_attach(struct pic *pic, struct bus *bus)
{
	int ret;

	ret = bus_add(bus, PIC_MASTER_CMD, 2, "pic", &pic_io_ops, pic);
	if (!ret)
		ret = bus_add(bus, PIC_SLAVE_CMD, 2, "pic", &pic_io_ops, pic);
	if (!ret)
		ret = bus_add(bus, PIC_ELCR, 2, "pic-elcr", &pic_io_ops, pic);
	return ret;
}
