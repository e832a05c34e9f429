/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 8259A programmable interrupt controller pair of a PC (master at
 * 0x20-0x21, slave at 0xA0-0xA1 cascaded on master input 2) and the PIIX
 * edge/level control registers (ELCR, 0x4D0-0x4D1).
 *
 * vireo has no IOAPIC: every device interrupt of the guest goes through
 * this model. When the pair has an interrupt the CPU should take, the
 * model performs the interrupt acknowledge cycle itself (it sets the ISR
 * bit, clears an edge-triggered IRR bit) and hands the vector to
 * @deliver, which queues it in the kernel (VIREO_INTERRUPT on vCPU 0, the
 * virtual-wire ExtINT path); the kernel injects it when the guest can
 * take it. See Documentation/virt/vireo/vireoctl-run.rst.
 */
#ifndef HW_PIC_H
#define HW_PIC_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/irq.h"

/* One 8259A. */
struct pic_chip {
	u8 irr;			/* interrupt request register */
	u8 isr;			/* in-service register */
	u8 imr;			/* interrupt mask register */
	u8 lines;		/* input levels, for edge detection */
	u8 elcr;		/* 1 = level-triggered input */
	u8 elcr_mask;		/* ELCR bits that may be set */
	u8 vector_base;		/* ICW2, bits 7:3 */
	u8 lowest;		/* the input with the lowest priority */
	u8 init_step;		/* 0: ready; 1-3: expecting ICW2-ICW4 */
	bool icw4_needed;
	bool single;		/* no cascade (ICW1 SNGL) */
	bool auto_eoi;
	bool rotate_on_aeoi;
	bool special_mask;
	bool special_nested;	/* special fully nested mode */
	bool read_isr;		/* OCW3 register select */
	bool poll;		/* the next read is a poll */
};

struct pic {
	pthread_mutex_t lock;	/* guards everything below */
	struct pic_chip chip[2];	/* master, slave */
	/* Called with the lock held, once per acknowledged interrupt. */
	void (*deliver)(void *opaque, u8 vector);
	void *opaque;
	u64 delivered;		/* vectors handed to @deliver */
};

extern const struct io_ops pic_io_ops;

void pic_init(struct pic *pic, void (*deliver)(void *opaque, u8 vector), void *opaque);
void pic_destroy(struct pic *pic);
/* Registers 0x20, 0xA0 and 0x4D0 on @bus. */
int pic_attach(struct pic *pic, struct bus *bus);

/* Drives ISA input @irq (0-15); the signature of struct irq_line. */
void pic_set_irq(void *pic, unsigned int irq, int level);

/* The irq_line of ISA input @irq. */
static inline struct irq_line pic_line(struct pic *pic, unsigned int irq)
{
	return (struct irq_line){ .set_level = pic_set_irq, .chip = pic, .pin = irq };
}

#endif
