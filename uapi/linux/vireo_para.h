/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vireo: the guest ABI of paravirtualized guests.
 *
 * Shared by vireo.ko, vireoctl (the VMM, which implements the device
 * backends) and the guest drivers of pvguest/. A guest finds vireo through
 * CPUID, agrees on features with VIREO_HC_SET_FEATURES, and calls vireo
 * with VMCALL:
 *
 *   RAX  hypercall number (VIREO_HC_*)      out: result
 *   RBX  argument 0
 *   RCX  argument 1
 *   RDX  argument 2
 *   RSI  argument 3
 *   RDI  argument 4
 *
 * Outside 64-bit mode the low 32 bits of each register are used. Other
 * registers are preserved. The result is >= 0 on success and a negated
 * VIREO_E* code on failure (as a 64-bit value; -1 to -4095). Hypercalls
 * from CPL > 0 fail with -VIREO_EPERM and never reach a backend.
 *
 * Documentation/virt/vireo/hypercalls.rst describes each hypercall.
 */
#ifndef _UAPI_LINUX_VIREO_PARA_H
#define _UAPI_LINUX_VIREO_PARA_H

#include <linux/types.h>

/*
 * CPUID. The leaves exist only when CPUID.1:ECX.HYPERVISOR (bit 31) is set
 * in the VM's CPUID table; a fully virtualized guest can be shown none.
 *   0x40000000  EAX: highest vireo leaf; EBX, ECX, EDX: the signature
 *               "VireoVireo\0\0"
 *   0x40000001  EAX: features offered (VIREO_PV_F_*); EBX, ECX, EDX: 0
 *   0x40000002  platform: EAX[7:0] pv console IRQ, EAX[15:8] pv block
 *               IRQ (ISA IRQs of the 8259; 0: none); set by the VMM
 */
#define VIREO_CPUID_SIGNATURE		0x40000000
#define VIREO_CPUID_FEATURES		0x40000001
#define VIREO_CPUID_PLATFORM		0x40000002
#define VIREO_CPUID_MAX_LEAF		VIREO_CPUID_PLATFORM
#define VIREO_SIGNATURE			"VireoVireo\0\0"

/* Feature bits (CPUID 0x40000001 EAX, VIREO_HC_SET_FEATURES). */
#define VIREO_PV_F_CONSOLE	0x1	/* pv console hypercalls */
#define VIREO_PV_F_BLOCK	0x2	/* pv block hypercalls */
#define VIREO_PV_F_CLOCK	0x4	/* pv clock page */
#define VIREO_PV_F_SYSTEM	0x8	/* poweroff, reset, crash */
#define VIREO_PV_F_IDLE		0x10	/* VIREO_HC_IDLE */

/* Errors, returned negated in RAX. */
#define VIREO_EPERM		1	/* called from CPL > 0 */
#define VIREO_ENOENT		2	/* no such object */
#define VIREO_EIO		5	/* the backend's I/O failed */
#define VIREO_E2BIG		7	/* a length past its limit */
#define VIREO_EAGAIN		11	/* nothing now, try again */
#define VIREO_EFAULT		14	/* a guest address outside guest memory */
#define VIREO_EBUSY		16	/* already set up */
#define VIREO_EINVAL		22	/* a bad argument */
#define VIREO_EROFS		30	/* a write to a read-only disk */
#define VIREO_ERANGE		34	/* an index out of range */
#define VIREO_ENOSYS		38	/* no such hypercall */
#define VIREO_ENOTNEG		95	/* its feature was not negotiated */

/*
 * Hypercall numbers. 0x00-0x07 core, 0x08-0x0f console, 0x10-0x17 block,
 * 0x18-0x1f clock; numbers below 64 are vireo's and counted one by one in
 * struct vireo_stats. 0x1000-0x1fff are free for a VMM's own use (route
 * them with VIREO_SET_USER_RANGE); vireo never assigns them.
 */
#define VIREO_HC_NOP			0x00	/* () -> 0 */
#define VIREO_HC_SET_FEATURES		0x01	/* (features) -> 0 */
#define VIREO_HC_SYSTEM_EVENT		0x02	/* (type, data) -> no return */
#define VIREO_HC_IDLE			0x03	/* () -> 0, after an interrupt */

#define VIREO_HC_CONSOLE_WRITE		0x08	/* (gpa, len) -> bytes */
#define VIREO_HC_CONSOLE_READ		0x09	/* (gpa, len) -> bytes */

#define VIREO_HC_BLOCK_INFO		0x10	/* (gpa of vireo_block_info) -> 0 */
#define VIREO_HC_BLOCK_SETUP		0x11	/* (ring gpa, entries) -> 0 */
#define VIREO_HC_BLOCK_NOTIFY		0x12	/* (flags) -> requests taken */

#define VIREO_HC_CLOCK_ENABLE		0x18	/* (gpa of vireo_pvclock) -> 0 */

#define VIREO_HC_USER_FIRST		0x1000
#define VIREO_HC_USER_LAST		0x1fff

/* VIREO_HC_SYSTEM_EVENT types; the same values as VIREO_SYSTEM_* of vireo.h. */
#define VIREO_PV_POWEROFF	1
#define VIREO_PV_RESET		2
#define VIREO_PV_CRASH		3

/* The most bytes one VIREO_HC_CONSOLE_WRITE or _READ moves. */
#define VIREO_CONSOLE_MAX	4096

/**
 * struct vireo_pvclock - the pv clock page, kept by vireo
 * @version: odd while vireo updates the structure; read it before and
 *     after the other fields, and retry when it is odd or has changed.
 * @flags: VIREO_PVCLOCK_* flags.
 * @tsc_timestamp: a TSC value.
 * @system_time: nanoseconds of the guest's monotonic clock at
 *     @tsc_timestamp (0 at VM creation).
 * @tsc_to_system_mul: time = system_time + ((tsc - tsc_timestamp) <<
 *     tsc_shift (a right shift when negative)) * mul >> 32.
 * @tsc_shift: see @tsc_to_system_mul.
 * @padding: zero.
 * @tsc_khz: the TSC frequency.
 * @wall_clock_sec: host real time (seconds since the epoch) at
 *     @system_time 0; with @wall_clock_nsec, the guest's boot time.
 * @wall_clock_nsec: see @wall_clock_sec.
 * @padding2: zero.
 */
struct vireo_pvclock {
	__u32 version;
	__u32 flags;
	__u64 tsc_timestamp;
	__u64 system_time;
	__u32 tsc_to_system_mul;
	__s8 tsc_shift;
	__u8 padding[3];
	__u64 tsc_khz;
	__u64 wall_clock_sec;
	__u32 wall_clock_nsec;
	__u32 padding2;
};

/* The TSC is the same on every vCPU: one page serves them all. */
#define VIREO_PVCLOCK_TSC_STABLE	0x1

/*
 * pv block: one disk, served by the VMM from the file of `vireoctl run
 * --disk`. The guest reads the disk's geometry with VIREO_HC_BLOCK_INFO,
 * gives vireo a ring with VIREO_HC_BLOCK_SETUP, publishes requests in it
 * and calls VIREO_HC_BLOCK_NOTIFY once per batch; completions come back in
 * the same ring, followed by the block IRQ (CPUID 0x40000002 EAX[15:8]).
 *
 * The ring is VIREO_BLOCK_RING_SIZE(entries) bytes of guest memory at a
 * page-aligned guest-physical address; entries is a power of two, at most
 * vireo_block_info.max_entries. Its layout, at fixed offsets:
 *
 *   0                        struct vireo_block_ring: the four indices
 *   VIREO_BLOCK_REQ_OFFSET   __u16 req[entries]: slot numbers of requests,
 *                            in submission order (written by the guest)
 *   VIREO_BLOCK_CPL_OFFSET   struct vireo_block_cpl cpl[entries]:
 *                            completions (written by vireo)
 *   VIREO_BLOCK_SLOT_OFFSET  struct vireo_block_slot slot[entries]: the
 *                            requests themselves (written by the guest)
 *
 * The indices count from 0 and wrap at 2^32; entry i of req[] and cpl[] is
 * at i % entries. A request's slot is its own until its completion is
 * consumed: the guest fills slot[s], stores s in req[req_prod % entries],
 * then (after a write barrier) increments req_prod; after a batch it calls
 * VIREO_HC_BLOCK_NOTIFY. vireo copies each slot when it takes the request,
 * so the guest may not change a slot in flight but vireo never rereads it.
 * For each finished request vireo stores {slot, status} in
 * cpl[cpl_prod % entries], increments cpl_prod (after a write barrier) and
 * raises the block IRQ, an edge, at least once after every batch of
 * completions. The guest consumes completions up to cpl_prod. At most
 * entries requests are in flight, so cpl[] cannot overflow.
 *
 * Interrupt suppression: a guest that sets VIREO_BLOCK_RING_F_NOTIFY_FLAGS
 * in the ring's flags before VIREO_HC_BLOCK_SETUP passes flags to
 * VIREO_HC_BLOCK_NOTIFY in argument 0 (VIREO_BLOCK_NOTIFY_*; without the
 * ring flag argument 0 is ignored, as older guests leave it undefined).
 * With VIREO_BLOCK_NOTIFY_POLL the guest reads the completion ring when
 * the call returns, and vireo raises no IRQ for the completions it
 * published before the call returned.
 *
 * vireo keeps its own copies of req_cons and cpl_prod and only writes them
 * to the ring; it never reads req_cons, cpl_prod or cpl_cons back, and
 * reads flags once, in VIREO_HC_BLOCK_SETUP.
 */
#define VIREO_BLOCK_MAX_ENTRIES		256
#define VIREO_BLOCK_MAX_SEGS		30	/* segments in one request */
#define VIREO_BLOCK_SEG_MAX		65536	/* bytes in one segment */
#define VIREO_BLOCK_SECTOR_SIZE		512

#define VIREO_BLOCK_REQ_OFFSET		64
#define VIREO_BLOCK_CPL_OFFSET		1024
#define VIREO_BLOCK_SLOT_OFFSET		4096
#define VIREO_BLOCK_RING_SIZE(entries)	\
	(VIREO_BLOCK_SLOT_OFFSET + (entries) * sizeof(struct vireo_block_slot))

/* vireo_block_slot.op */
#define VIREO_BLOCK_OP_READ	0	/* disk to memory */
#define VIREO_BLOCK_OP_WRITE	1	/* memory to disk */
#define VIREO_BLOCK_OP_FLUSH	2	/* make completed writes durable */

/* vireo_block_ring.flags, read by VIREO_HC_BLOCK_SETUP */
#define VIREO_BLOCK_RING_F_NOTIFY_FLAGS	0x1	/* NOTIFY takes flags in arg 0 */

/* VIREO_HC_BLOCK_NOTIFY flags (with VIREO_BLOCK_RING_F_NOTIFY_FLAGS) */
#define VIREO_BLOCK_NOTIFY_POLL		0x1	/* no IRQ for what completes in the call */

/* vireo_block_info.flags */
#define VIREO_BLOCK_F_RO	0x1	/* writes fail with VIREO_EROFS */
#define VIREO_BLOCK_F_FLUSH	0x2	/* writes are cached: FLUSH them */

/**
 * struct vireo_block_info - the disk, written by VIREO_HC_BLOCK_INFO
 * @capacity: size in 512-byte sectors.
 * @flags: VIREO_BLOCK_F_*.
 * @max_entries: the largest ring VIREO_HC_BLOCK_SETUP takes (a power of
 *     two, at most VIREO_BLOCK_MAX_ENTRIES).
 * @reserved: zero.
 */
struct vireo_block_info {
	__u64 capacity;
	__u32 flags;
	__u32 max_entries;
	__u64 reserved[2];
};

/**
 * struct vireo_block_ring - the indices at the start of the ring
 * @req_prod: requests published by the guest.
 * @req_cons: requests taken by vireo.
 * @cpl_prod: completions published by vireo.
 * @cpl_cons: completions consumed by the guest (for the guest's own use).
 * @flags: VIREO_BLOCK_RING_F_*, set by the guest before
 *     VIREO_HC_BLOCK_SETUP, which reads it once (unknown bits: EINVAL).
 * @reserved: zero; vireo neither reads nor writes it.
 */
struct vireo_block_ring {
	__u32 req_prod;
	__u32 req_cons;
	__u32 cpl_prod;
	__u32 cpl_cons;
	__u32 flags;
	__u32 reserved[11];
};

/**
 * struct vireo_block_seg - one piece of a request's guest memory
 * @gpa: guest-physical address.
 * @len: bytes, a multiple of 512, 512 to VIREO_BLOCK_SEG_MAX.
 * @reserved: zero.
 */
struct vireo_block_seg {
	__u64 gpa;
	__u32 len;
	__u32 reserved;
};

/**
 * struct vireo_block_slot - one request
 * @sector: first 512-byte sector on the disk (0 for FLUSH).
 * @op: VIREO_BLOCK_OP_*.
 * @nr_segs: entries of @seg in use: 1 to VIREO_BLOCK_MAX_SEGS for READ and
 *     WRITE, 0 for FLUSH. The request moves the sum of their lengths.
 * @reserved: zero.
 * @seg: the guest memory, in disk order.
 */
struct vireo_block_slot {
	__u64 sector;
	__u32 op;
	__u32 nr_segs;
	__u32 reserved[4];
	struct vireo_block_seg seg[VIREO_BLOCK_MAX_SEGS];
};

/**
 * struct vireo_block_cpl - one completion
 * @slot: the slot of the request.
 * @status: 0 on success, else a VIREO_E* code (positive): VIREO_EINVAL
 *     for a malformed slot (@op, @nr_segs, a length, a reserved field),
 *     VIREO_EFAULT for a segment outside guest memory, VIREO_ERANGE for
 *     sectors past the capacity, VIREO_EROFS for a write to a read-only
 *     disk, VIREO_EIO when the backend's I/O failed.
 */
struct vireo_block_cpl {
	__u16 slot;
	__u16 status;
};

#endif /* _UAPI_LINUX_VIREO_PARA_H */
