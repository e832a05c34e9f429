/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pv block device of vireoctl run (VIREO_PV_F_BLOCK): the backend of
 * VIREO_HC_BLOCK_INFO, _SETUP and _NOTIFY over the ring in guest memory
 * that hypercalls.rst describes, serving the file of --disk.
 *
 * Where the work happens: in the vCPU thread that calls BLOCK_NOTIFY. The
 * call takes every published request (copying each slot), then moves
 * the data with preadv()/pwritev() straight between the disk file and the
 * guest's pages, publishes the completions and raises the block IRQ once
 * for the batch, all before the guest resumes. That costs one exit to
 * vireoctl per batch and no thread hand-off; the IRQ is pending when the
 * guest resumes, so it needs no kick of a running vCPU and no wakeup of a
 * halted one. A slow disk stalls only the vCPU that notified (a guest's
 * other vCPUs run on); see vireoctl-run.rst.
 *
 * The disk has one owner in the guest: the IDE drive of the PC, or this
 * device. The first BLOCK_INFO or BLOCK_SETUP asks @claim (pc.c) to take
 * the disk off the IDE channel, which it does only if the guest never
 * touched the drive; if it did, the pv disk does not exist for this guest
 * (-VIREO_ENOENT), so that no guest sees one file as two disks.
 *
 * Every guest-controlled value is checked as hypercalls.rst documents:
 * call arguments (-VIREO_EINVAL, -VIREO_EFAULT, -VIREO_EBUSY,
 * -VIREO_ENOENT), the ring's indices and slot numbers (-VIREO_ERANGE,
 * -VIREO_EBUSY), each request's fields (a completion status). Slots are
 * copied out of guest memory before they are checked.
 *
 * Legend: [init] set before the vCPUs run; [lock] guarded by @lock;
 * [atomic] updated with __atomic builtins.
 */
#ifndef PV_BLOCK_H
#define PV_BLOCK_H

#include <pthread.h>
#include <stdio.h>
#include <linux/vireo_para.h>

#include "../vmm/irq.h"
#include "../vmm/mem.h"

/* The largest ring BLOCK_SETUP takes (vireo_block_info.max_entries). */
#define PV_BLOCK_MAX_ENTRIES	VIREO_BLOCK_MAX_ENTRIES

enum pv_disk_owner {
	PV_DISK_UNCLAIMED,	/* nobody asked yet */
	PV_DISK_OWNED,		/* the pv disk's */
	PV_DISK_LOST,		/* the IDE drive's: no pv disk for this guest */
};

/* A request as BLOCK_NOTIFY took it. */
struct pv_block_req {
	u16 slot;
	struct vireo_block_slot s;	/* the copy */
};

struct pv_block {
	const struct guest_mem *mem;	/* [init] */
	struct irq_line irq;		/* [init] the block IRQ */
	int fd;				/* [init] the disk; -1: none */
	u64 sectors;			/* [init] capacity */
	bool readonly;			/* [init] */
	/* [init] Takes the disk from the IDE drive; false if that was used. */
	bool (*claim)(void *opaque);
	void *claim_opaque;		/* [init] */

	pthread_mutex_t lock;
	enum pv_disk_owner owner;	/* [lock] */
	u8 *ring;			/* [lock] host address of the ring; NULL: none */
	u64 ring_gpa;			/* [lock] */
	u32 entries;			/* [lock] */
	u32 ring_flags;			/* [lock] the ring's flags at BLOCK_SETUP */
	u32 req_cons, cpl_prod;		/* [lock] vireoctl's own copies */
	struct pv_block_req batch[PV_BLOCK_MAX_ENTRIES];	/* [lock] */
	u8 taken[PV_BLOCK_MAX_ENTRIES];	/* [lock] slots of the batch */

	/* Counters for --stats [lock]. */
	u64 notifies, requests, reads, writes, flushes, sectors_read, sectors_written;
	u64 failed, ring_errors, irqs, irqs_suppressed;
};

/*
 * @fd (or -1) of @bytes bytes (whole sectors count) is the disk; @claim
 * may be NULL (the disk is the pv disk's from the start).
 */
void pv_block_init(struct pv_block *b, const struct guest_mem *mem, struct irq_line irq,
		   int fd, u64 bytes, bool readonly, bool (*claim)(void *opaque),
		   void *claim_opaque);
void pv_block_destroy(struct pv_block *b);

/*
 * VIREO_HC_BLOCK_* (@nr, the guest's RBX and RCX in @args): the result for
 * the guest's RAX, >= 0 or a negated VIREO_E* code. Any thread.
 */
s64 pv_block_hypercall(struct pv_block *b, u64 nr, const u64 *args);

void pv_block_print_state(struct pv_block *b, FILE *out);

#endif
