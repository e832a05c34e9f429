/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pv console of vireoctl run (VIREO_PV_F_CONSOLE): the backend of
 * VIREO_HC_CONSOLE_WRITE and VIREO_HC_CONSOLE_READ, the guest's hvc0.
 *
 * Output goes to the VM's console (vmm/console.c) one hypercall, one
 * buffer at a time; input comes from the console's input thread into a
 * small buffer that the guest drains with CONSOLE_READ, and each chunk
 * that arrives raises the console IRQ (an edge). The console's input has
 * one receiver: the UART until the guest first makes a console hypercall
 * (pv_console_active()), this backend from then on; pc.c decides.
 *
 * Every guest-controlled value is checked as hypercalls.rst documents:
 * lengths against VIREO_CONSOLE_MAX (-VIREO_E2BIG), then the guest range
 * against guest RAM (-VIREO_EFAULT). Bytes are copied out of guest memory
 * before they are used.
 *
 * Legend: [init] set before the vCPUs run; [lock] guarded by @lock;
 * [atomic] read and written with __atomic builtins.
 */
#ifndef PV_CONSOLE_H
#define PV_CONSOLE_H

#include <pthread.h>
#include <stdio.h>

#include "../vmm/console.h"
#include "../vmm/irq.h"
#include "../vmm/mem.h"

/* Input the guest has not read yet, at most. */
#define PV_CONSOLE_INPUT	4096

struct pv_console {
	const struct guest_mem *mem;	/* [init] */
	struct console *out;		/* [init] NULL: output is dropped */
	struct irq_line irq;		/* [init] the console IRQ */
	bool active;			/* [atomic] the guest made a console hypercall */

	pthread_mutex_t lock;
	u8 in[PV_CONSOLE_INPUT];	/* [lock] a ring of input */
	u32 in_head, in_count;		/* [lock] */

	/* Counters for --stats [atomic]. */
	u64 writes, bytes_out, reads, bytes_in, irqs, errors;
};

void pv_console_init(struct pv_console *c, const struct guest_mem *mem, struct irq_line irq,
		     struct console *out);
void pv_console_destroy(struct pv_console *c);

/*
 * VIREO_HC_CONSOLE_* (@nr, the guest's RBX and RCX in @args): the result
 * for the guest's RAX, >= 0 or a negated VIREO_E* code. Any thread.
 */
s64 pv_console_hypercall(struct pv_console *c, u64 nr, const u64 *args);

/* Input for the guest: takes what fits, raises the IRQ; returns the count. */
size_t pv_console_receive(struct pv_console *c, const u8 *buf, size_t len);

/* Whether the guest has used the pv console (then it takes the input). */
static inline bool pv_console_active(const struct pv_console *c)
{
	return __atomic_load_n(&c->active, __ATOMIC_ACQUIRE);
}

void pv_console_print_state(struct pv_console *c, FILE *out);

#endif
