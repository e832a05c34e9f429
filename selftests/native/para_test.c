// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest ABI in uapi/linux/vireo_para.h, pinned: struct sizes and
 * offsets of the pv clock page and the pv block ring (at build time), and
 * every CPUID leaf, feature bit, error code, hypercall number and ring
 * constant (at run time, as literal values, so that a renumbering fails
 * here before it reaches a guest).
 */
#include <assert.h>
#include <stddef.h>
#include <string.h>
#include <linux/vireo_para.h>

#include "tap.h"

static_assert(sizeof(struct vireo_pvclock) == 56, "vireo_pvclock size");
static_assert(offsetof(struct vireo_pvclock, flags) == 4, "flags");
static_assert(offsetof(struct vireo_pvclock, tsc_timestamp) == 8, "tsc_timestamp");
static_assert(offsetof(struct vireo_pvclock, system_time) == 16, "system_time");
static_assert(offsetof(struct vireo_pvclock, tsc_to_system_mul) == 24, "mul");
static_assert(offsetof(struct vireo_pvclock, tsc_shift) == 28, "tsc_shift");
static_assert(offsetof(struct vireo_pvclock, padding) == 29, "padding");
static_assert(offsetof(struct vireo_pvclock, tsc_khz) == 32, "tsc_khz");
static_assert(offsetof(struct vireo_pvclock, wall_clock_sec) == 40, "wall_clock_sec");
static_assert(offsetof(struct vireo_pvclock, wall_clock_nsec) == 48, "wall_clock_nsec");
static_assert(offsetof(struct vireo_pvclock, padding2) == 52, "padding2");

static_assert(sizeof(struct vireo_block_info) == 32, "vireo_block_info size");
static_assert(offsetof(struct vireo_block_info, flags) == 8, "info flags");
static_assert(offsetof(struct vireo_block_info, max_entries) == 12, "max_entries");
static_assert(sizeof(struct vireo_block_ring) == 64, "vireo_block_ring size");
static_assert(offsetof(struct vireo_block_ring, req_cons) == 4, "req_cons");
static_assert(offsetof(struct vireo_block_ring, cpl_prod) == 8, "cpl_prod");
static_assert(offsetof(struct vireo_block_ring, cpl_cons) == 12, "cpl_cons");
static_assert(offsetof(struct vireo_block_ring, flags) == 16, "flags");
static_assert(sizeof(struct vireo_block_seg) == 16, "vireo_block_seg size");
static_assert(sizeof(struct vireo_block_slot) == 512, "vireo_block_slot size");
static_assert(offsetof(struct vireo_block_slot, op) == 8, "op");
static_assert(offsetof(struct vireo_block_slot, nr_segs) == 12, "nr_segs");
static_assert(offsetof(struct vireo_block_slot, seg) == 32, "seg");
static_assert(sizeof(struct vireo_block_cpl) == 4, "vireo_block_cpl size");
/* The fixed offsets leave room for the largest ring's req[] and cpl[]. */
static_assert(sizeof(struct vireo_block_ring) <= VIREO_BLOCK_REQ_OFFSET, "req[]");
static_assert(VIREO_BLOCK_REQ_OFFSET + VIREO_BLOCK_MAX_ENTRIES * sizeof(__u16) <=
	      VIREO_BLOCK_CPL_OFFSET, "req[] fits");
static_assert(VIREO_BLOCK_CPL_OFFSET + VIREO_BLOCK_MAX_ENTRIES *
	      sizeof(struct vireo_block_cpl) <= VIREO_BLOCK_SLOT_OFFSET, "cpl[] fits");
static_assert(VIREO_BLOCK_MAX_ENTRIES - 1 <= 0xffff, "a slot number fits cpl.slot");

struct pinned {
	const char *name;
	unsigned long value, want;
};

#define PIN(x, v)	{ #x, (unsigned long)(x), (v) }

static const struct pinned pins[] = {
	PIN(VIREO_CPUID_SIGNATURE, 0x40000000),
	PIN(VIREO_CPUID_FEATURES, 0x40000001),
	PIN(VIREO_CPUID_PLATFORM, 0x40000002),
	PIN(VIREO_CPUID_MAX_LEAF, 0x40000002),
	PIN(VIREO_PV_F_CONSOLE, 1),
	PIN(VIREO_PV_F_BLOCK, 2),
	PIN(VIREO_PV_F_CLOCK, 4),
	PIN(VIREO_PV_F_SYSTEM, 8),
	PIN(VIREO_PV_F_IDLE, 16),
	PIN(VIREO_EPERM, 1),
	PIN(VIREO_ENOENT, 2),
	PIN(VIREO_EIO, 5),
	PIN(VIREO_E2BIG, 7),
	PIN(VIREO_EAGAIN, 11),
	PIN(VIREO_EFAULT, 14),
	PIN(VIREO_EBUSY, 16),
	PIN(VIREO_EINVAL, 22),
	PIN(VIREO_EROFS, 30),
	PIN(VIREO_ERANGE, 34),
	PIN(VIREO_ENOSYS, 38),
	PIN(VIREO_ENOTNEG, 95),
	PIN(VIREO_HC_NOP, 0x00),
	PIN(VIREO_HC_SET_FEATURES, 0x01),
	PIN(VIREO_HC_SYSTEM_EVENT, 0x02),
	PIN(VIREO_HC_IDLE, 0x03),
	PIN(VIREO_HC_CONSOLE_WRITE, 0x08),
	PIN(VIREO_HC_CONSOLE_READ, 0x09),
	PIN(VIREO_HC_BLOCK_INFO, 0x10),
	PIN(VIREO_HC_BLOCK_SETUP, 0x11),
	PIN(VIREO_HC_BLOCK_NOTIFY, 0x12),
	PIN(VIREO_HC_CLOCK_ENABLE, 0x18),
	PIN(VIREO_HC_USER_FIRST, 0x1000),
	PIN(VIREO_HC_USER_LAST, 0x1fff),
	PIN(VIREO_PV_POWEROFF, 1),
	PIN(VIREO_PV_RESET, 2),
	PIN(VIREO_PV_CRASH, 3),
	PIN(VIREO_CONSOLE_MAX, 4096),
	PIN(VIREO_PVCLOCK_TSC_STABLE, 1),
	PIN(VIREO_BLOCK_MAX_ENTRIES, 256),
	PIN(VIREO_BLOCK_MAX_SEGS, 30),
	PIN(VIREO_BLOCK_SEG_MAX, 65536),
	PIN(VIREO_BLOCK_SECTOR_SIZE, 512),
	PIN(VIREO_BLOCK_REQ_OFFSET, 64),
	PIN(VIREO_BLOCK_CPL_OFFSET, 1024),
	PIN(VIREO_BLOCK_SLOT_OFFSET, 4096),
	PIN(VIREO_BLOCK_RING_SIZE(1), 4608),
	PIN(VIREO_BLOCK_RING_SIZE(256), 135168),
	PIN(VIREO_BLOCK_OP_READ, 0),
	PIN(VIREO_BLOCK_OP_WRITE, 1),
	PIN(VIREO_BLOCK_OP_FLUSH, 2),
	PIN(VIREO_BLOCK_F_RO, 1),
	PIN(VIREO_BLOCK_F_FLUSH, 2),
	PIN(VIREO_BLOCK_RING_F_NOTIFY_FLAGS, 1),
	PIN(VIREO_BLOCK_NOTIFY_POLL, 1),
};

int main(void)
{
	size_t i, n = ARRAY_SIZE(pins);

	tap_plan(n + 1);
	tap_ok(!memcmp(VIREO_SIGNATURE, "VireoVireo\0\0", 12) &&
	       sizeof(VIREO_SIGNATURE) == 13, "VIREO_SIGNATURE is \"VireoVireo\\0\\0\"");
	for (i = 0; i < n; i++)
		tap_ok(pins[i].value == pins[i].want, "%s is %#lx (got %#lx)",
		       pins[i].name, pins[i].want, pins[i].value);
	return tap_finish();
}
