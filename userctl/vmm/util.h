/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl's VMM: the small vocabulary every file of vmm/ and hw/ shares.
 * Kernel-style fixed-width types, a few helpers, and the error report of
 * the VMM (one line on stderr, as everywhere in vireoctl).
 */
#ifndef VMM_UTIL_H
#define VMM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

#define BIT(n)		(1U << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define KIB		1024ULL
#define MIB		(1024ULL * KIB)
#define GIB		(1024ULL * MIB)
#define NSEC_PER_SEC	1000000000ULL

/* Reports a problem of the VMM on stderr: "vireoctl: ...". */
void vireoctl_err(const char *fmt, ...) __printf(1, 2);

/* Nanoseconds of CLOCK_MONOTONIC. */
u64 now_ns(void);

/* a * b / c without overflowing 64 bits in the product. */
static inline u64 mul_div(u64 a, u64 b, u64 c)
{
	return (u64)((__uint128_t)a * b / c);
}

/* @x rounded up or down to a multiple of @a, a power of two. */
static inline u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline u64 align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline u16 get_le16(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8;
}

static inline u32 get_le32(const void *p)
{
	return get_le16(p) | (u32)get_le16((const u8 *)p + 2) << 16;
}

static inline u64 get_le64(const void *p)
{
	return get_le32(p) | (u64)get_le32((const u8 *)p + 4) << 32;
}

static inline void put_le16(void *p, u16 v)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void put_le32(void *p, u32 v)
{
	put_le16(p, v);
	put_le16((u8 *)p + 2, v >> 16);
}

static inline void put_le64(void *p, u64 v)
{
	put_le32(p, v);
	put_le32((u8 *)p + 4, v >> 32);
}

#endif
