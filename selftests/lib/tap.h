/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal kselftest-style TAP output for vireo's selftests.
 *
 * A test program calls tap_plan() once, then one tap_ok() or tap_skip() per
 * planned result, and returns tap_finish(): nonzero when a result failed or
 * the count differs from the plan (the harness counts a plan mismatch as a
 * failure too).
 */
#ifndef VIREO_SELFTEST_TAP_H
#define VIREO_SELFTEST_TAP_H

#include <stdbool.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

void tap_plan(int n);
bool tap_ok(bool pass, const char *fmt, ...) __printf(2, 3);
void tap_skip(const char *reason, const char *fmt, ...) __printf(2, 3);
void tap_diag(const char *fmt, ...) __printf(1, 2);
int tap_finish(void);
void tap_bail(const char *fmt, ...) __printf(1, 2) __noreturn;

#endif
