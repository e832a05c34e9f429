// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pv block backend (see block.h; the guest ABI is the pv block ring
 * of Documentation/virt/vireo/hypercalls.rst).
 *
 * The ring is shared with running vCPUs: vireoctl reads req_prod with
 * acquire semantics before the entries it publishes, and stores req_cons
 * and cpl_prod with release semantics after what they publish, the
 * barriers the ABI asks of both sides. It keeps its own req_cons and
 * cpl_prod and never reads them back from the ring.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "block.h"

#define SECTOR		VIREO_BLOCK_SECTOR_SIZE
#define PAGE_SIZE	4096

void pv_block_init(struct pv_block *b, const struct guest_mem *mem, struct irq_line irq,
		   int fd, u64 bytes, bool readonly, bool (*claim)(void *opaque),
		   void *claim_opaque)
{
	memset(b, 0, sizeof(*b));
	b->mem = mem;
	b->irq = irq;
	b->fd = fd;
	b->sectors = fd >= 0 ? bytes / SECTOR : 0;
	b->readonly = readonly;
	b->claim = claim;
	b->claim_opaque = claim_opaque;
	pthread_mutex_init(&b->lock, NULL);
}

void pv_block_destroy(struct pv_block *b)
{
	pthread_mutex_destroy(&b->lock);
}

static struct vireo_block_ring *ring_hdr(struct pv_block *b)
{
	return (struct vireo_block_ring *)b->ring;
}

static u16 *ring_req(struct pv_block *b, u32 i)
{
	return (u16 *)(b->ring + VIREO_BLOCK_REQ_OFFSET) + (i & (b->entries - 1));
}

static struct vireo_block_cpl *ring_cpl(struct pv_block *b, u32 i)
{
	return (struct vireo_block_cpl *)(b->ring + VIREO_BLOCK_CPL_OFFSET) +
	       (i & (b->entries - 1));
}

static struct vireo_block_slot *ring_slot(struct pv_block *b, u16 slot)
{
	return (struct vireo_block_slot *)(b->ring + VIREO_BLOCK_SLOT_OFFSET) + slot;
}

/* Whether the disk is this device's; the first call decides. Lock held. */
static bool claim_disk(struct pv_block *b)
{
	if (b->owner == PV_DISK_UNCLAIMED)
		b->owner = !b->claim || b->claim(b->claim_opaque) ? PV_DISK_OWNED : PV_DISK_LOST;
	return b->owner == PV_DISK_OWNED;
}

static s64 block_info(struct pv_block *b, u64 gpa)
{
	struct vireo_block_info info = {
		.capacity = b->sectors,
		.flags = b->readonly ? VIREO_BLOCK_F_RO : VIREO_BLOCK_F_FLUSH,
		.max_entries = PV_BLOCK_MAX_ENTRIES,
	};
	void *dst;

	if (b->fd < 0)
		return -VIREO_ENOENT;
	dst = gpa_to_hva(b->mem, gpa, sizeof(info));
	if (!dst)
		return -VIREO_EFAULT;
	if (!claim_disk(b))
		return -VIREO_ENOENT;
	memcpy(dst, &info, sizeof(info));
	return 0;
}

static s64 block_setup(struct pv_block *b, u64 gpa, u64 entries)
{
	u8 *ring;
	u32 flags;

	if (b->fd < 0)
		return -VIREO_ENOENT;
	if (!gpa && !entries) {
		/* Requests finish inside BLOCK_NOTIFY: none is in flight. */
		b->ring = NULL;
		b->ring_gpa = 0;
		b->entries = 0;
		b->ring_flags = 0;
		return 0;
	}
	if (gpa % PAGE_SIZE || !entries || (entries & (entries - 1)) ||
	    entries > PV_BLOCK_MAX_ENTRIES)
		return -VIREO_EINVAL;
	ring = gpa_to_hva(b->mem, gpa, VIREO_BLOCK_RING_SIZE(entries));
	if (!ring)
		return -VIREO_EFAULT;
	/* Read once: a later change of the word means nothing. */
	flags = __atomic_load_n(&((struct vireo_block_ring *)ring)->flags, __ATOMIC_RELAXED);
	if (flags & ~(u32)VIREO_BLOCK_RING_F_NOTIFY_FLAGS)
		return -VIREO_EINVAL;
	if (b->ring)
		return -VIREO_EBUSY;
	if (!claim_disk(b))
		return -VIREO_ENOENT;
	b->ring = ring;
	b->ring_gpa = gpa;
	b->entries = entries;
	b->ring_flags = flags;
	b->req_cons = 0;
	b->cpl_prod = 0;
	return 0;
}

/*
 * The checks of one request, in the order hypercalls.rst gives them; 0
 * with @iov filled (*@nr_iov entries, *@bytes in all), or the status.
 */
static u16 check_req(struct pv_block *b, const struct vireo_block_slot *s, struct iovec *iov,
		     int *nr_iov, u64 *bytes)
{
	u32 i;

	*bytes = 0;
	*nr_iov = 0;
	if (s->reserved[0] || s->reserved[1] || s->reserved[2] || s->reserved[3])
		return VIREO_EINVAL;
	if (s->op == VIREO_BLOCK_OP_FLUSH)
		return s->nr_segs || s->sector ? VIREO_EINVAL : 0;
	if ((s->op != VIREO_BLOCK_OP_READ && s->op != VIREO_BLOCK_OP_WRITE) ||
	    !s->nr_segs || s->nr_segs > VIREO_BLOCK_MAX_SEGS)
		return VIREO_EINVAL;
	for (i = 0; i < s->nr_segs; i++) {
		const struct vireo_block_seg *g = &s->seg[i];

		if (g->reserved || !g->len || g->len > VIREO_BLOCK_SEG_MAX || g->len % SECTOR)
			return VIREO_EINVAL;
		*bytes += g->len;
	}
	for (i = 0; i < s->nr_segs; i++) {
		iov[i].iov_base = gpa_to_hva(b->mem, s->seg[i].gpa, s->seg[i].len);
		iov[i].iov_len = s->seg[i].len;
		if (!iov[i].iov_base)
			return VIREO_EFAULT;
	}
	if (s->sector > b->sectors || *bytes / SECTOR > b->sectors - s->sector)
		return VIREO_ERANGE;
	if (s->op == VIREO_BLOCK_OP_WRITE && b->readonly)
		return VIREO_EROFS;
	*nr_iov = s->nr_segs;
	return 0;
}

/* Moves all of @iov at byte @off; a short transfer (end of file) fails. */
static int disk_io(int fd, struct iovec *iov, int n, u64 off, bool write)
{
	ssize_t r;

	while (n) {
		r = write ? pwritev(fd, iov, n, off) : preadv(fd, iov, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		off += r;
		while (n && (size_t)r >= iov->iov_len) {
			r -= iov->iov_len;
			iov++;
			n--;
		}
		if (n) {
			iov->iov_base = (u8 *)iov->iov_base + r;
			iov->iov_len -= r;
		}
	}
	return 0;
}

/* Runs one taken request; returns its status. Lock held. */
static u16 run_req(struct pv_block *b, const struct vireo_block_slot *s)
{
	struct iovec iov[VIREO_BLOCK_MAX_SEGS];
	int nr_iov;
	u64 bytes;
	u16 status = check_req(b, s, iov, &nr_iov, &bytes);

	if (status)
		return status;
	switch (s->op) {
	case VIREO_BLOCK_OP_FLUSH:
		b->flushes++;
		/* A read-only descriptor or a device without a cache has nothing to flush. */
		if (fdatasync(b->fd) && errno != EINVAL && errno != EROFS)
			return VIREO_EIO;
		return 0;
	case VIREO_BLOCK_OP_READ:
		b->reads++;
		b->sectors_read += bytes / SECTOR;
		break;
	default:
		b->writes++;
		b->sectors_written += bytes / SECTOR;
		break;
	}
	if (disk_io(b->fd, iov, nr_iov, s->sector * SECTOR, s->op == VIREO_BLOCK_OP_WRITE))
		return VIREO_EIO;
	return 0;
}

/*
 * @flags is the guest's RBX, meaningful only when the ring said so: older
 * guests leave RBX undefined. The I/O happens here, so every completion
 * is published before the call returns: with VIREO_BLOCK_NOTIFY_POLL the
 * guest reads them itself and the IRQ would find nothing.
 */
static s64 block_notify(struct pv_block *b, u64 flags)
{
	struct vireo_block_ring *hdr;
	struct vireo_block_cpl cpl;
	u32 prod, i, n = 0;
	u16 slot;
	s64 err = 0;

	if (!b->ring)
		return -VIREO_ENOENT;
	if (!(b->ring_flags & VIREO_BLOCK_RING_F_NOTIFY_FLAGS))
		flags = 0;
	if (flags & ~(u64)VIREO_BLOCK_NOTIFY_POLL)
		return -VIREO_EINVAL;
	hdr = ring_hdr(b);
	b->notifies++;
	prod = __atomic_load_n(&hdr->req_prod, __ATOMIC_ACQUIRE);
	if (prod - b->req_cons > b->entries) {
		b->ring_errors++;
		return -VIREO_ERANGE;
	}
	memset(b->taken, 0, b->entries);
	while (b->req_cons != prod) {
		slot = __atomic_load_n(ring_req(b, b->req_cons), __ATOMIC_RELAXED);
		if (slot >= b->entries) {
			err = -VIREO_ERANGE;
			break;
		}
		if (b->taken[slot]) {
			err = -VIREO_EBUSY;
			break;
		}
		b->taken[slot] = 1;
		b->batch[n].slot = slot;
		memcpy(&b->batch[n].s, ring_slot(b, slot), sizeof(b->batch[n].s));
		n++;
		b->req_cons++;
	}
	__atomic_store_n(&hdr->req_cons, b->req_cons, __ATOMIC_RELEASE);

	for (i = 0; i < n; i++) {
		cpl.slot = b->batch[i].slot;
		cpl.status = run_req(b, &b->batch[i].s);
		if (cpl.status)
			b->failed++;
		memcpy(ring_cpl(b, b->cpl_prod), &cpl, sizeof(cpl));
		b->cpl_prod++;
	}
	b->requests += n;
	if (n) {
		__atomic_store_n(&hdr->cpl_prod, b->cpl_prod, __ATOMIC_RELEASE);
		if (flags & VIREO_BLOCK_NOTIFY_POLL) {
			b->irqs_suppressed++;
		} else {
			irq_line_pulse(&b->irq);
			b->irqs++;
		}
	}
	if (err) {
		b->ring_errors++;
		return err;
	}
	return n;
}

s64 pv_block_hypercall(struct pv_block *b, u64 nr, const u64 *args)
{
	s64 ret;

	pthread_mutex_lock(&b->lock);
	switch (nr) {
	case VIREO_HC_BLOCK_INFO:
		ret = block_info(b, args[0]);
		break;
	case VIREO_HC_BLOCK_SETUP:
		ret = block_setup(b, args[0], args[1]);
		break;
	case VIREO_HC_BLOCK_NOTIFY:
		ret = block_notify(b, args[0]);
		break;
	default:
		ret = -VIREO_ENOSYS;
		break;
	}
	pthread_mutex_unlock(&b->lock);
	return ret;
}

void pv_block_print_state(struct pv_block *b, FILE *out)
{
	static const char *const owners[] = {
		[PV_DISK_UNCLAIMED] = "never asked for",
		[PV_DISK_OWNED] = "the pv disk",
		[PV_DISK_LOST] = "left to the IDE drive",
	};

	pthread_mutex_lock(&b->lock);
	if (b->fd < 0) {
		fprintf(out, "  pv block: no disk, IRQ %u\n", b->irq.pin);
	} else {
		fprintf(out, "  pv block: %llu sectors%s, %s, IRQ %u; ",
			(unsigned long long)b->sectors, b->readonly ? " read-only" : "",
			owners[b->owner], b->irq.pin);
		if (b->ring)
			fprintf(out, "ring at %#llx, %u entries, req_cons %u, cpl_prod %u\n",
				(unsigned long long)b->ring_gpa, b->entries, b->req_cons,
				b->cpl_prod);
		else
			fprintf(out, "no ring\n");
	}
	fprintf(out, "  pv block: %llu notifies, %llu requests: %llu reads, %llu writes, ",
		(unsigned long long)b->notifies, (unsigned long long)b->requests,
		(unsigned long long)b->reads, (unsigned long long)b->writes);
	fprintf(out, "%llu flushes\n", (unsigned long long)b->flushes);
	fprintf(out, "  pv block: %llu sectors read, %llu written; ",
		(unsigned long long)b->sectors_read, (unsigned long long)b->sectors_written);
	fprintf(out, "%llu failed, %llu ring errors, %llu IRQs, %llu suppressed (polled)\n",
		(unsigned long long)b->failed, (unsigned long long)b->ring_errors,
		(unsigned long long)b->irqs, (unsigned long long)b->irqs_suppressed);
	pthread_mutex_unlock(&b->lock);
}
