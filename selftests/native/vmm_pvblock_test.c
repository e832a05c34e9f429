// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pv block backend of vireoctl run (userctl/pv/block.c) on guest RAM
 * of vireoctl's own kind and a temporary disk file, without a VM: the
 * disk's description, the ring's setup and release, requests that move
 * data both ways through several segments, and every error hypercalls.rst
 * documents: the calls' (EINVAL, EFAULT, EBUSY, ENOENT), the ring's
 * (ERANGE, EBUSY, with what came before the bad entry taken), and each
 * request's status (EINVAL, EFAULT, ERANGE, EROFS, EIO); interrupt
 * suppression with VIREO_BLOCK_NOTIFY_POLL. The disk goes to the pv
 * device only when the IDE drive lets it go.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/vireo_para.h>

#include "vmm_test.h"
#include "pv/block.h"

#define RAM		(4 * MIB)
#define DISK		(1 * MIB)
#define RING_GPA	0x10000
#define ENTRIES		8
#define DATA_GPA	0x100000

static struct guest_mem mem;
static struct pv_block blk;
static struct irq_rec rec;
static int disk = -1;
static int claims;
static bool ide_used;

static s64 hc(u64 nr, u64 a0, u64 a1)
{
	u64 args[5] = { a0, a1 };

	return pv_block_hypercall(&blk, nr, args);
}

static bool claim(void *opaque)
{
	(void)opaque;
	claims++;
	return !ide_used;
}

/* A fresh disk (sector i full of the byte i % 251), RAM, and backend. */
static void setup_disk(int fd, u64 bytes, bool readonly)
{
	static u8 sector[512];
	u64 i;

	if (!mem.base && guest_mem_alloc(&mem, RAM))
		vmm_skip("cannot map guest RAM");
	memset(mem.base, 0, RAM);
	memset(&rec, 0, sizeof(rec));
	claims = 0;
	ide_used = false;
	if (fd < 0) {
		char path[] = "/tmp/vmm_pvblock_test.XXXXXX";

		if (disk >= 0)
			close(disk);
		disk = mkstemp(path);
		EXPECT(disk >= 0, "mkstemp");
		unlink(path);
		for (i = 0; i < bytes / 512; i++) {
			memset(sector, i % 251, sizeof(sector));
			EXPECT(pwrite(disk, sector, 512, i * 512) == 512, "fill the disk");
		}
		fd = disk;
	}
	pv_block_init(&blk, &mem, irq_rec_line(&rec, 5), fd, bytes, readonly, claim, NULL);
}

static void setup(void)
{
	setup_disk(-1, DISK, false);
}

static struct vireo_block_ring *ring(void)
{
	return (struct vireo_block_ring *)(mem.base + RING_GPA);
}

static u16 *req(u32 i)
{
	return (u16 *)(mem.base + RING_GPA + VIREO_BLOCK_REQ_OFFSET) + i % ENTRIES;
}

static struct vireo_block_cpl *cpl(u32 i)
{
	return (struct vireo_block_cpl *)(mem.base + RING_GPA + VIREO_BLOCK_CPL_OFFSET) +
	       i % ENTRIES;
}

static struct vireo_block_slot *slot(u16 s)
{
	return (struct vireo_block_slot *)(mem.base + RING_GPA + VIREO_BLOCK_SLOT_OFFSET) + s;
}

static void ring_up(void)
{
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA, ENTRIES) == 0, "BLOCK_SETUP");
}

/* Fills slot @s with a one-segment request and publishes it. */
static struct vireo_block_slot *publish(u16 s, u32 op, u64 sector, u64 gpa, u32 len)
{
	struct vireo_block_slot *sl = slot(s);

	memset(sl, 0, sizeof(*sl));
	sl->op = op;
	sl->sector = sector;
	if (op != VIREO_BLOCK_OP_FLUSH) {
		sl->nr_segs = 1;
		sl->seg[0].gpa = gpa;
		sl->seg[0].len = len;
	}
	*req(ring()->req_prod) = s;
	ring()->req_prod++;
	return sl;
}

/* Runs one published request alone; returns its status. */
static int run_one(void)
{
	u32 before = ring()->cpl_prod;
	s64 n = hc(VIREO_HC_BLOCK_NOTIFY, 0, 0);

	EXPECT(n == 1, "BLOCK_NOTIFY took %lld", (long long)n);
	EXPECT(ring()->cpl_prod == before + 1, "cpl_prod %u, want %u", ring()->cpl_prod,
	       before + 1);
	return cpl(before)->status;
}

static bool test_info(void)
{
	struct vireo_block_info *info;

	setup_disk(-1, DISK + 100, false);
	info = (void *)(mem.base + 0x2000);
	EXPECT(hc(VIREO_HC_BLOCK_INFO, RAM - 16, 0) == -VIREO_EFAULT, "across the end of RAM");
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 1ULL << 40, 0) == -VIREO_EFAULT, "far outside RAM");
	EXPECT(claims == 0, "a refused call claimed the disk");
	memset(info, 0xa5, sizeof(*info));
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x2000, 0) == 0, "BLOCK_INFO");
	EXPECT(info->capacity == DISK / 512, "capacity %llu: the partial sector counts not",
	       (unsigned long long)info->capacity);
	EXPECT(info->flags == VIREO_BLOCK_F_FLUSH, "flags %#x", info->flags);
	EXPECT(info->max_entries == VIREO_BLOCK_MAX_ENTRIES, "max_entries %u", info->max_entries);
	EXPECT(!info->reserved[0] && !info->reserved[1], "reserved words not zeroed");
	EXPECT(claims == 1, "%d claims", claims);
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x2000, 0) == 0 && claims == 1, "a second claim");

	setup_disk(-1, DISK, true);
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x2000, 0) == 0 && info->flags == VIREO_BLOCK_F_RO,
	       "read-only: flags %#x", info->flags);
	setup_disk(-1, DISK, false);
	ide_used = true;
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x2000, 0) == -VIREO_ENOENT, "the IDE drive has it");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA, ENTRIES) == -VIREO_ENOENT, "the IDE drive's");
	pv_block_init(&blk, &mem, irq_rec_line(&rec, 5), -1, 0, false, claim, NULL);
	EXPECT(hc(VIREO_HC_BLOCK_INFO, 0x2000, 0) == -VIREO_ENOENT, "no disk: INFO");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA, ENTRIES) == -VIREO_ENOENT, "no disk: SETUP");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == -VIREO_ENOENT, "no disk: release");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ENOENT, "no disk: NOTIFY");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY + 1, 0, 0) == -VIREO_ENOSYS, "0x13");
	return true;
}

static const struct {
	u64 gpa, entries;
	s64 want;
	const char *what;
} bad_setups[] = {
	{ RING_GPA + 8, 8, -VIREO_EINVAL, "a ring not page-aligned" },
	{ RING_GPA, 0, -VIREO_EINVAL, "0 entries" },
	{ RING_GPA, 6, -VIREO_EINVAL, "6 entries, not a power of two" },
	{ RING_GPA, 512, -VIREO_EINVAL, "512 entries, past max_entries" },
	{ RING_GPA, 1ULL << 32, -VIREO_EINVAL, "2^32 entries" },
	{ 0, 1ULL << 63, -VIREO_EINVAL, "2^63 entries at 0" },
	{ RAM - 4096, 8, -VIREO_EFAULT, "a ring past the end of RAM" },
	{ 1ULL << 40, 8, -VIREO_EFAULT, "a ring far outside RAM" },
	{ 0xfffffffffffff000ULL, 256, -VIREO_EFAULT, "a ring wrapping past 2^64" },
};

static bool test_setup(void)
{
	size_t i;

	setup();
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ENOENT, "NOTIFY without a ring");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "releasing no ring");
	for (i = 0; i < ARRAY_SIZE(bad_setups); i++)
		EXPECT(hc(VIREO_HC_BLOCK_SETUP, bad_setups[i].gpa, bad_setups[i].entries) ==
		       bad_setups[i].want, "%s", bad_setups[i].what);
	EXPECT(claims == 0, "a refused call claimed the disk");
	ring_up();
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA + 0x10000, ENTRIES) == -VIREO_EBUSY, "twice");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 0, "nothing published");
	EXPECT(rec.rises[5] == 0, "an IRQ for nothing");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "release");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ENOENT, "NOTIFY after release");
	/* A new ring starts from index 0 again, wherever the old one was. */
	ring()->req_prod = 0;
	ring_up();
	publish(3, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	EXPECT(run_one() == 0, "a flush on the new ring");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "release");
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA, VIREO_BLOCK_MAX_ENTRIES) == 0, "256 entries");
	return true;
}

static bool test_io(void)
{
	struct vireo_block_slot *sl;
	u8 *data = mem.base + DATA_GPA;
	u8 check[3 * 512];
	int i;

	setup();
	ring_up();
	/* A read of sectors 5-7 into two segments, the second far from the first. */
	sl = publish(2, VIREO_BLOCK_OP_READ, 5, DATA_GPA, 1024);
	sl->nr_segs = 2;
	sl->seg[1].gpa = DATA_GPA + 0x40000;
	sl->seg[1].len = 512;
	EXPECT(run_one() == 0, "read");
	EXPECT(cpl(0)->slot == 2, "completion of slot %u", cpl(0)->slot);
	EXPECT(ring()->req_cons == 1, "req_cons %u", ring()->req_cons);
	EXPECT(rec.rises[5] == 1 && rec.level[5] == 0, "one IRQ edge: %d", rec.rises[5]);
	for (i = 0; i < 1024; i++)
		EXPECT(data[i] == 5 + i / 512, "byte %d: %#x", i, data[i]);
	for (i = 0; i < 512; i++)
		EXPECT(data[0x40000 + i] == 7, "second segment byte %d", i);

	/* A batch: write 3 sectors at 100, flush, read them back: one IRQ. */
	for (i = 0; i < 3 * 512; i++)
		data[0x80000 + i] = i * 13;
	publish(0, VIREO_BLOCK_OP_WRITE, 100, DATA_GPA + 0x80000, 3 * 512);
	publish(7, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	publish(1, VIREO_BLOCK_OP_READ, 100, DATA_GPA + 0x90000, 3 * 512);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 3, "a batch of 3");
	EXPECT(ring()->cpl_prod == 4 && ring()->req_cons == 4, "indices %u %u",
	       ring()->cpl_prod, ring()->req_cons);
	EXPECT(cpl(1)->slot == 0 && cpl(2)->slot == 7 && cpl(3)->slot == 1, "slots in order");
	EXPECT(!cpl(1)->status && !cpl(2)->status && !cpl(3)->status, "statuses");
	EXPECT(rec.rises[5] == 2, "one IRQ for the batch: %d", rec.rises[5]);
	EXPECT(!memcmp(data + 0x80000, data + 0x90000, 3 * 512), "read back differs");
	EXPECT(pread(disk, check, sizeof(check), 100 * 512) == sizeof(check) &&
	       !memcmp(check, data + 0x80000, sizeof(check)), "the disk file differs");

	/* The indices wrap at 2^32: entry i is at i % entries. */
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "release");
	memset(ring(), 0, VIREO_BLOCK_RING_SIZE(ENTRIES));
	ring_up();
	blk.req_cons = 0xfffffffe;
	blk.cpl_prod = 0xfffffffe;
	ring()->req_prod = 0xfffffffe;
	for (i = 0; i < 4; i++)
		publish(i, VIREO_BLOCK_OP_READ, i, DATA_GPA + i * 512, 512);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 4, "across the wrap");
	EXPECT(ring()->req_cons == 2 && ring()->cpl_prod == 2, "indices %u %u",
	       ring()->req_cons, ring()->cpl_prod);
	EXPECT(cpl(0xfffffffe)->slot == 0 && cpl(1)->slot == 3, "entries at i %% 8");
	EXPECT(blk.sectors_read == 3 + 3 + 4 && blk.sectors_written == 3 && blk.flushes == 1,
	       "counters");
	return true;
}

/* Slot fields the guest controls; each request completes with a status. */
enum mangle {
	BAD_OP, NO_SEGS, MANY_SEGS, ZERO_LEN, ODD_LEN, LONG_SEG, SLOT_RESERVED, SEG_RESERVED,
	SECOND_SEG_BAD, FLUSH_SEGS, FLUSH_SECTOR, SEG_OUTSIDE, SEG_ACROSS_END, SEG_APIC,
	LAST_SECTORS, PAST_END, AT_END, SECTOR_HUGE, WRITE,
};

/* Changes the good read of two sectors at 1 into DATA_GPA as @m says. */
static void mangle(struct vireo_block_slot *s, enum mangle m)
{
	switch (m) {
	case BAD_OP:
		s->op = 3;
		break;
	case NO_SEGS:
		s->nr_segs = 0;
		break;
	case MANY_SEGS:
		s->nr_segs = VIREO_BLOCK_MAX_SEGS + 1;
		break;
	case ZERO_LEN:
		s->seg[0].len = 0;
		break;
	case ODD_LEN:
		s->seg[0].len = 700;
		break;
	case LONG_SEG:
		s->seg[0].len = VIREO_BLOCK_SEG_MAX + 512;
		break;
	case SLOT_RESERVED:
		s->reserved[3] = 1;
		break;
	case SEG_RESERVED:
		s->seg[0].reserved = 1;
		break;
	case SECOND_SEG_BAD:
		s->nr_segs = 2;
		s->seg[1].gpa = DATA_GPA;
		s->seg[1].len = 100;
		break;
	case FLUSH_SEGS:
		s->op = VIREO_BLOCK_OP_FLUSH;
		s->sector = 0;
		break;
	case FLUSH_SECTOR:
		s->op = VIREO_BLOCK_OP_FLUSH;
		s->nr_segs = 0;
		break;
	case SEG_OUTSIDE:
		s->seg[0].gpa = RAM;
		break;
	case SEG_ACROSS_END:
		s->seg[0].gpa = RAM - 512;
		break;
	case SEG_APIC:
		s->seg[0].gpa = 0xfee00000;
		break;
	case LAST_SECTORS:
		s->sector = DISK / 512 - 2;
		break;
	case PAST_END:
		s->sector = DISK / 512 - 1;
		break;
	case AT_END:
		s->sector = DISK / 512;
		break;
	case SECTOR_HUGE:
		s->sector = ~0ULL - 1;
		break;
	case WRITE:
		s->op = VIREO_BLOCK_OP_WRITE;
		break;
	}
}

static const struct {
	enum mangle mangle;
	bool readonly;
	u16 status;
	const char *what;
} bad_reqs[] = {
	{ BAD_OP, false, VIREO_EINVAL, "op 3" },
	{ NO_SEGS, false, VIREO_EINVAL, "a read of 0 segments" },
	{ MANY_SEGS, false, VIREO_EINVAL, "31 segments" },
	{ ZERO_LEN, false, VIREO_EINVAL, "a segment of 0 bytes" },
	{ ODD_LEN, false, VIREO_EINVAL, "a segment of 700 bytes" },
	{ LONG_SEG, false, VIREO_EINVAL, "a segment of 64 KiB + 512" },
	{ SLOT_RESERVED, false, VIREO_EINVAL, "a reserved word of the slot" },
	{ SEG_RESERVED, false, VIREO_EINVAL, "a reserved word of a segment" },
	{ SECOND_SEG_BAD, false, VIREO_EINVAL, "a bad second segment" },
	{ FLUSH_SEGS, false, VIREO_EINVAL, "a flush with a segment" },
	{ FLUSH_SECTOR, false, VIREO_EINVAL, "a flush at sector 1" },
	{ SEG_OUTSIDE, false, VIREO_EFAULT, "a segment past RAM" },
	{ SEG_ACROSS_END, false, VIREO_EFAULT, "a segment across the end of RAM" },
	{ SEG_APIC, false, VIREO_EFAULT, "a segment in the APIC page" },
	{ LAST_SECTORS, false, 0, "the last two sectors (a good request)" },
	{ PAST_END, false, VIREO_ERANGE, "one sector past the end" },
	{ AT_END, false, VIREO_ERANGE, "at the capacity" },
	{ SECTOR_HUGE, false, VIREO_ERANGE, "sector 2^64 - 2 (overflow)" },
	{ WRITE, true, VIREO_EROFS, "a write to a read-only disk" },
	{ BAD_OP, true, VIREO_EINVAL, "op 3 on a read-only disk" },
	{ WRITE, false, 0, "a write (a good request)" },
};

static bool test_bad_requests(void)
{
	struct vireo_block_slot *sl;
	size_t i;
	int st;

	for (i = 0; i < ARRAY_SIZE(bad_reqs); i++) {
		setup_disk(-1, DISK, bad_reqs[i].readonly);
		ring_up();
		memset(mem.base + DATA_GPA, 0x5a, 1024);
		sl = publish(i % ENTRIES, VIREO_BLOCK_OP_READ, 1, DATA_GPA, 1024);
		mangle(sl, bad_reqs[i].mangle);
		st = run_one();
		EXPECT(st == bad_reqs[i].status, "%s: status %d, want %d", bad_reqs[i].what, st,
		       bad_reqs[i].status);
		EXPECT(rec.rises[5] == 1, "%s: no IRQ", bad_reqs[i].what);
		if (st)
			EXPECT(mem.base[DATA_GPA] == 0x5a, "%s: data moved", bad_reqs[i].what);
	}
	return true;
}

static bool test_io_errors(void)
{
	int full = open("/dev/full", O_RDWR);
	int i;

	/* Writes to /dev/full fail (ENOSPC); a file shorter than the disk reads short. */
	if (full < 0)
		vmm_skip("no /dev/full");
	setup_disk(full, DISK, false);
	ring_up();
	publish(0, VIREO_BLOCK_OP_WRITE, 0, DATA_GPA, 512);
	EXPECT(run_one() == VIREO_EIO, "a failed write");
	publish(1, VIREO_BLOCK_OP_READ, 8, DATA_GPA, 512);
	EXPECT(run_one() == 0, "a read of /dev/full");
	close(full);

	setup_disk(-1, DISK, false);
	EXPECT(!ftruncate(disk, DISK / 2), "truncate");
	ring_up();
	publish(0, VIREO_BLOCK_OP_READ, DISK / 1024 - 1, DATA_GPA, 1024);
	EXPECT(run_one() == VIREO_EIO, "a read past the end of the file");
	publish(0, VIREO_BLOCK_OP_READ, DISK / 1024 - 2, DATA_GPA, 1024);
	EXPECT(run_one() == 0, "a read before it");
	for (i = 0; i < 1024; i++)
		EXPECT(mem.base[DATA_GPA + i] == (DISK / 1024 - 2 + i / 512) % 251, "byte %d", i);
	return true;
}

static bool test_ring_errors(void)
{
	setup();
	ring_up();
	/* req_prod more than entries ahead: nothing is taken. */
	ring()->req_prod = ENTRIES + 1;
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ERANGE, "9 published in a ring of 8");
	EXPECT(ring()->req_cons == 0 && blk.req_cons == 0, "taken anyway");
	ring()->req_prod = -1;
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ERANGE, "req_prod behind req_cons");
	EXPECT(rec.rises[5] == 0, "an IRQ for nothing");

	/* Two good requests, then a slot number out of range: two taken. */
	ring()->req_prod = 0;
	publish(4, VIREO_BLOCK_OP_READ, 0, DATA_GPA, 512);
	publish(5, VIREO_BLOCK_OP_READ, 1, DATA_GPA + 512, 512);
	publish(ENTRIES, VIREO_BLOCK_OP_READ, 2, DATA_GPA, 512);
	*req(2) = ENTRIES;
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ERANGE, "slot 8 of 8");
	EXPECT(ring()->req_cons == 2 && ring()->cpl_prod == 2, "indices %u %u",
	       ring()->req_cons, ring()->cpl_prod);
	EXPECT(cpl(0)->slot == 4 && cpl(1)->slot == 5 && !cpl(0)->status, "completions");
	EXPECT(rec.rises[5] == 1, "no IRQ for the requests taken");
	/* The guest fixes the entry; the call takes it from there. */
	*req(2) = 6;
	memcpy(slot(6), slot(4), sizeof(*slot(6)));
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 1, "the fixed entry");

	/* A slot twice in one batch: in flight already. */
	publish(1, VIREO_BLOCK_OP_READ, 0, DATA_GPA, 512);
	publish(2, VIREO_BLOCK_OP_READ, 0, DATA_GPA, 512);
	publish(1, VIREO_BLOCK_OP_READ, 0, DATA_GPA, 512);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_EBUSY, "slot 1 twice");
	EXPECT(ring()->req_cons == 5 && ring()->cpl_prod == 5, "indices %u %u",
	       ring()->req_cons, ring()->cpl_prod);
	/* Its completion published, the slot is the guest's to use again. */
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 1, "slot 1 in the next call");
	EXPECT(blk.ring_errors == 4, "%llu ring errors counted",
	       (unsigned long long)blk.ring_errors);
	return true;
}

/*
 * VIREO_BLOCK_NOTIFY_POLL: no IRQ for what completes in the call, only
 * with the ring's VIREO_BLOCK_RING_F_NOTIFY_FLAGS; without it RBX is
 * ignored (older guests leave it undefined), with it unknown bits fail.
 */
static bool test_notify_poll(void)
{
	setup();
	/* Without the ring flag: any RBX, IRQ as before. */
	ring_up();
	publish(0, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, VIREO_BLOCK_NOTIFY_POLL, 0) == 1, "POLL, no ring flag");
	EXPECT(rec.rises[5] == 1, "no ring flag: IRQs %d, want 1", rec.rises[5]);
	publish(1, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, ~0ULL, 0) == 1, "garbage RBX, no ring flag");
	EXPECT(rec.rises[5] == 2 && blk.irqs_suppressed == 0, "garbage RBX: IRQs %d",
	       rec.rises[5]);
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "release");

	/* An unknown ring flag fails BLOCK_SETUP and claims nothing. */
	memset(ring(), 0, VIREO_BLOCK_RING_SIZE(ENTRIES));
	ring()->flags = 2;
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, RING_GPA, ENTRIES) == -VIREO_EINVAL, "ring flag 2");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == -VIREO_ENOENT, "no ring after EINVAL");

	ring()->flags = VIREO_BLOCK_RING_F_NOTIFY_FLAGS;
	ring_up();
	/* Flags 0: today's behaviour. */
	publish(2, VIREO_BLOCK_OP_READ, 9, DATA_GPA, 512);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 0, 0) == 1, "flags 0");
	EXPECT(rec.rises[5] == 3, "flags 0: IRQs %d, want 3", rec.rises[5]);
	/* POLL: the completions are there when the call returns, no IRQ. */
	publish(3, VIREO_BLOCK_OP_READ, 10, DATA_GPA, 512);
	publish(4, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, VIREO_BLOCK_NOTIFY_POLL, 0) == 2, "POLL, batch of 2");
	EXPECT(ring()->cpl_prod == 3 && cpl(1)->slot == 3 && cpl(2)->slot == 4 &&
	       !cpl(1)->status && !cpl(2)->status, "POLL: completions before the return");
	EXPECT(mem.base[DATA_GPA] == 10, "POLL: data %#x", mem.base[DATA_GPA]);
	EXPECT(rec.rises[5] == 3 && blk.irqs_suppressed == 1 && blk.irqs == 3,
	       "POLL: IRQs %d, suppressed %llu", rec.rises[5],
	       (unsigned long long)blk.irqs_suppressed);
	/* Unknown bits fail before anything is taken. */
	publish(5, VIREO_BLOCK_OP_FLUSH, 0, 0, 0);
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 2, 0) == -VIREO_EINVAL, "flag 2");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 1ULL << 32 | 1, 0) == -VIREO_EINVAL, "flag 2^32");
	EXPECT(ring()->req_cons == 3 && blk.requests == 3 + 2, "EINVAL took requests");
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, VIREO_BLOCK_NOTIFY_POLL, 0) == 1, "then POLL");
	EXPECT(rec.rises[5] == 3 && blk.irqs_suppressed == 2, "IRQs %d", rec.rises[5]);
	/* Nothing published: no IRQ, nothing suppressed. */
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, VIREO_BLOCK_NOTIFY_POLL, 0) == 0, "POLL of nothing");
	EXPECT(blk.irqs_suppressed == 2, "suppressed %llu",
	       (unsigned long long)blk.irqs_suppressed);
	/* Release forgets the ring flag: a new ring without it ignores RBX. */
	EXPECT(hc(VIREO_HC_BLOCK_SETUP, 0, 0) == 0, "release");
	memset(ring(), 0, VIREO_BLOCK_RING_SIZE(ENTRIES));
	ring_up();
	EXPECT(hc(VIREO_HC_BLOCK_NOTIFY, 2, 0) == 0, "flag 2 ignored without the ring flag");
	return true;
}

static const struct vmm_case cases[] = {
	{ "pv block: BLOCK_INFO, claiming the disk from the IDE drive, no disk", test_info },
	{ "pv block: BLOCK_SETUP's EINVAL, EFAULT, EBUSY; release and setup again",
	  test_setup },
	{ "pv block: reads, writes, flushes through segments; a batch, one IRQ; wrap",
	  test_io },
	{ "pv block: a bad request completes with EINVAL, EFAULT, ERANGE or EROFS",
	  test_bad_requests },
	{ "pv block: a failed or short disk transfer completes with EIO", test_io_errors },
	{ "pv block: ring errors stop BLOCK_NOTIFY at the bad entry", test_ring_errors },
	{ "pv block: NOTIFY_POLL skips the IRQ, only with the ring flag; EINVAL",
	  test_notify_poll },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
