/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ucalls: how guest code talks to its test. The guest fills a struct
 * ucall on its stack and executes OUT to UCALL_PORT with the struct's
 * guest-physical address (below 4 GiB) in EAX: one VIREO_EXIT_IO whose
 * 4 data bytes point at the struct. Strings in it (file, expression) are
 * pointers into the test binary, valid on the host as they are.
 *
 * Guest side: GUEST_SYNC(arg), GUEST_DONE(), GUEST_ASSERT(cond),
 * GUEST_ASSERT_EQ(a, b), GUEST_ASSERT_1(cond, value), GUEST_FAIL(msg).
 * Host side: get_ucall() decodes the current exit; vcpu_run_ucall() runs
 * until the next ucall, failing the test on an abort, an exception the
 * guest did not handle, or an exit that is not a ucall.
 */
#ifndef VIREO_SELFTEST_UCALL_H
#define VIREO_SELFTEST_UCALL_H

#include "types.h"

#define UCALL_PORT	0x7e57
#define UCALL_MAX_ARGS	4

enum {
	UCALL_NONE,
	UCALL_SYNC,
	UCALL_DONE,
	UCALL_ABORT,		/* a failed GUEST_ASSERT */
	UCALL_UNHANDLED,	/* an exception without a handler */
};

struct ucall {
	u64 cmd;
	u64 nargs;
	u64 args[UCALL_MAX_ARGS];
	const char *file;
	const char *expr;
	u64 line;
};

/* Guest side. */
void ucall(u64 cmd, int nargs, ...);
void ucall_assert(const char *file, int line, const char *expr, int nargs,
		  ...) __attribute__((noreturn));

#define GUEST_SYNC(arg)		ucall(UCALL_SYNC, 1, (u64)(arg))
#define GUEST_SYNC2(a, b)	ucall(UCALL_SYNC, 2, (u64)(a), (u64)(b))
#define GUEST_DONE()		ucall(UCALL_DONE, 0)

#define GUEST_ASSERT(cond) do {						\
	if (!(cond))							\
		ucall_assert(__FILE__, __LINE__, #cond, 0);		\
} while (0)

#define GUEST_ASSERT_1(cond, v) do {					\
	if (!(cond))							\
		ucall_assert(__FILE__, __LINE__, #cond, 1, (u64)(v)); \
} while (0)

#define GUEST_ASSERT_EQ(a, b) do {					\
	u64 __ga = (u64)(a), __gb = (u64)(b);		\
	if (__ga != __gb)						\
		ucall_assert(__FILE__, __LINE__, #a " == " #b, 2, __ga, __gb); \
} while (0)

#define GUEST_FAIL(msg)		ucall_assert(__FILE__, __LINE__, msg, 0)

/* Host side. */
struct vcpu;
u64 get_ucall(struct vcpu *vcpu, struct ucall *uc);
u64 __vcpu_run_ucall(struct vcpu *vcpu, struct ucall *uc,
		     const char *file, int line);
#define vcpu_run_ucall(vcpu, uc) \
	__vcpu_run_ucall(vcpu, uc, __FILE__, __LINE__)
/* The same, but guest assertions and exceptions are the caller's to judge. */
u64 vcpu_run_ucall_any(struct vcpu *vcpu, struct ucall *uc);
/* Run to the next ucall, which must be GUEST_SYNC(@arg) / GUEST_DONE(). */
void __vcpu_expect_sync(struct vcpu *vcpu, u64 arg, const char *file,
			int line);
#define vcpu_expect_sync(vcpu, arg) \
	__vcpu_expect_sync(vcpu, arg, __FILE__, __LINE__)
void __vcpu_expect_done(struct vcpu *vcpu, const char *file, int line);
#define vcpu_expect_done(vcpu) __vcpu_expect_done(vcpu, __FILE__, __LINE__)
void ucall_report(const struct ucall *uc, const char *file, int line)
	__attribute__((noreturn));

#endif
