/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's short integer types for the selftests, host and guest code
 * alike, from the uapi ones: u64 is unsigned long long, as in the ABI
 * structures, so values print with %llx.
 */
#ifndef VIREO_SELFTEST_TYPES_H
#define VIREO_SELFTEST_TYPES_H

#include <stdint.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))

#endif
