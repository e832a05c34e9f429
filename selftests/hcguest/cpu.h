/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hcguest's machine (cpu.c): descriptor tables, interrupts, the 8259 pair
 * and the PIT, waiting for an IRQ, and the way out.
 */
#ifndef HCGUEST_CPU_H
#define HCGUEST_CPU_H

#include <linux/vireo_para.h>

#include "hcguest.h"

#define SEL_KCODE		0x08
#define VEC_IRQ0		0x20	/* the 8259 pair's vectors: 0x20-0x2f */
#define VEC_USER_RETURN		0x80
/* The pv devices' IRQs vireoctl run gives (CPUID 0x40000002). */
#define IRQ_BLOCK		5
#define IRQ_CONSOLE		10

extern u64 ticks;		/* PIT interrupts, 100 a second; READ_ONCE() */
extern u32 irq_count[16];	/* interrupts taken, per ISA IRQ; READ_ONCE() */
extern bool pv_system;			/* VIREO_PV_F_SYSTEM negotiated */

void cpu_init(void);
void isr_handler(struct frame *f);
/* Waits, interrupts on, until @irq was taken since irq_count was @seen. */
bool wait_irq(unsigned int irq, u32 seen, u32 seconds);
/* By hypercall if negotiated, else by ACPI. */
void poweroff(void) __noreturn;

#endif
