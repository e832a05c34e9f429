/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test binary as guest code: its loadable segments, copied as they are
 * in this process's memory (relocated, initialized) into guest memory at
 * their link addresses. The binaries are static and not position
 * independent, so the addresses are fixed and the same in host and guest.
 */
#ifndef VIREO_SELFTEST_IMAGE_H
#define VIREO_SELFTEST_IMAGE_H

#include <linux/elf.h>

#include "types.h"

/* The ELF header of this binary, placed by the linker. */
extern const struct elf64_hdr __ehdr_start;

void image_extent(u64 *start, u64 *end);
void image_load(void *guest_mem_at_gpa0);

#endif
