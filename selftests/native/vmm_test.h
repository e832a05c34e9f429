/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the native tests of vireoctl's VMM (native/vmm_*_test.c): a
 * table of cases, one TAP result each, and recorders that stand in for
 * the interrupt controller and the system control of the real VMM.
 *
 * A case is a function that arranges, acts and asserts; EXPECT() ends it
 * at the first failed assertion (a longjmp back to vmm_run_cases()),
 * printing the condition and what was wrong as diagnostics.
 */
#ifndef VMM_TEST_H
#define VMM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "vmm/irq.h"
#include "vmm/sysctl.h"

struct vmm_case {
	const char *name;
	bool (*run)(void);
};

static jmp_buf vmm_case_failed;
static const char *vmm_skip_reason;

static inline void __printf(5, 6) vmm_expect(bool ok, const char *file, int line,
					     const char *cond, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	printf("# %s:%d: (%s) ", file, line, cond);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	longjmp(vmm_case_failed, 1);
}

/* Ends the case as skipped, with the reason shown in its SKIP line. */
static inline void vmm_skip(const char *reason)
{
	vmm_skip_reason = reason;
	longjmp(vmm_case_failed, 2);
}

/* EXPECT(condition, printf-style explanation): ends the case if false. */
#define EXPECT(cond, ...) vmm_expect(!!(cond), __FILE__, __LINE__, #cond, __VA_ARGS__)

static inline int vmm_run_cases(const struct vmm_case *cases, size_t n)
{
	size_t i;
	bool pass;

	tap_plan(n);
	for (i = 0; i < n; i++) {
		switch (setjmp(vmm_case_failed)) {
		case 0:
			pass = cases[i].run();
			break;
		case 2:
			tap_skip(vmm_skip_reason, "%s", cases[i].name);
			continue;
		default:
			pass = false;
			break;
		}
		tap_ok(pass, "%s", cases[i].name);
	}
	return tap_finish();
}

/* Records what a device does to its IRQ lines. */
struct irq_rec {
	int level[16];
	int rises[16];
};

static inline void irq_rec_set(void *chip, unsigned int pin, int level)
{
	struct irq_rec *r = chip;

	if (level && !r->level[pin])
		r->rises[pin]++;
	r->level[pin] = level;
}

static inline struct irq_line irq_rec_line(struct irq_rec *r, unsigned int pin)
{
	return (struct irq_line){ .set_level = irq_rec_set, .chip = r, .pin = pin };
}

/* Records system requests (reset, poweroff). */
struct sys_rec {
	struct sysctl sys;
	int count;
	enum sys_request last;
	char why[128];
};

static inline void sys_rec_request(struct sysctl *sys, enum sys_request req, const char *why)
{
	struct sys_rec *r = (struct sys_rec *)sys;

	r->count++;
	r->last = req;
	strncpy(r->why, why, sizeof(r->why) - 1);
}

static inline void sys_rec_init(struct sys_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->sys.request = sys_rec_request;
}

#endif
