/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-side assertions and small helpers of the guest-VM selftests.
 *
 * TEST_ASSERT() ends the current test case with a message naming the file,
 * line and condition; TEST_SKIP() ends it as skipped with a reason. Inside
 * harness_run() (harness.h) a test case is a child process, so ending it
 * is ending the process; outside, a failed assertion bails out of the
 * whole TAP program.
 */
#ifndef VIREO_SELFTEST_TEST_UTIL_H
#define VIREO_SELFTEST_TEST_UTIL_H

#include <stdbool.h>
#include "types.h"

#include "tap.h"

#define TEST_ASSERT(cond, fmt, ...) do {				\
	if (!(cond))							\
		test_fail(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__); \
} while (0)

#define TEST_FAIL(fmt, ...) \
	test_fail(__FILE__, __LINE__, NULL, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_EQ(a, b) do {					\
	u64 __ta = (u64)(a), __tb = (u64)(b);		\
	if (__ta != __tb)						\
		test_fail(__FILE__, __LINE__, #a " == " #b,		\
			  "%#llx != %#llx", (unsigned long long)__ta,	\
			  (unsigned long long)__tb);			\
} while (0)

/* A syscall-style call that must succeed: the message carries errno. */
#define TEST_ASSERT_OK(call) do {					\
	long __r = (long)(call);					\
	if (__r < 0)							\
		test_fail(__FILE__, __LINE__, #call, "returned %ld: %m", \
			  __r);						\
} while (0)

#define TEST_SKIP(fmt, ...)	test_skip(fmt, ##__VA_ARGS__)

void test_fail(const char *file, int line, const char *cond,
	       const char *fmt, ...) __printf(4, 5) __noreturn;
void test_skip(const char *fmt, ...) __printf(1, 2) __noreturn;

/* One access the compiler cannot tear, merge or drop (shared data). */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* @a is a power of two. */
static inline u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

u64 monotonic_ns(void);

#endif
