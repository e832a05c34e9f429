// SPDX-License-Identifier: GPL-2.0-only
/*
 * ucalls (see ucall.h): the guest half, one OUT instruction, and the host
 * half that decodes the exit and reports guest failures.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ucall.h"
#include "vm.h"
#include "x86.h"

void ucall(u64 cmd, int nargs, ...)
{
	struct ucall uc = { .cmd = cmd };
	va_list ap;
	int i;

	if (nargs > UCALL_MAX_ARGS)
		nargs = UCALL_MAX_ARGS;
	uc.nargs = nargs;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		uc.args[i] = va_arg(ap, u64);
	va_end(ap);
	asm volatile("outl %%eax, %%dx"
		     : : "a"((u32)(u64)&uc), "d"(UCALL_PORT)
		     : "memory");
}

void ucall_assert(const char *file, int line, const char *expr, int nargs,
		  ...)
{
	struct ucall uc = { .cmd = UCALL_ABORT, .file = file, .expr = expr,
			    .line = line };
	va_list ap;
	int i;

	if (nargs > UCALL_MAX_ARGS)
		nargs = UCALL_MAX_ARGS;
	uc.nargs = nargs;
	va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		uc.args[i] = va_arg(ap, u64);
	va_end(ap);
	for (;;)
		asm volatile("outl %%eax, %%dx"
			     : : "a"((u32)(u64)&uc), "d"(UCALL_PORT)
			     : "memory");
}

u64 get_ucall(struct vcpu *vcpu, struct ucall *uc)
{
	struct vireo_run *run = vcpu->run;
	u32 gpa;

	memset(uc, 0, sizeof(*uc));
	if (run->exit_reason != VIREO_EXIT_IO || run->io.port != UCALL_PORT ||
	    run->io.direction != VIREO_IO_OUT || run->io.size != 4 ||
	    run->io.count != 1)
		return UCALL_NONE;
	memcpy(&gpa, vcpu_io_data(vcpu), sizeof(gpa));
	memcpy(uc, gpa2hva(vcpu->vm, gpa), sizeof(*uc));
	return uc->cmd;
}

static const char *vector_name(u64 v)
{
	static const char *const names[] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF",
		"9", "#TS", "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC",
		"#MC", "#XM", "#VE", "#CP",
	};

	return v < ARRAY_SIZE(names) ? names[v] : "interrupt";
}

void ucall_report(const struct ucall *uc, const char *file, int line)
{
	char vals[128] = "";
	u64 i;

	switch (uc->cmd) {
	case UCALL_ABORT:
		if (uc->nargs == 2 && uc->expr && strstr(uc->expr, " == "))
			snprintf(vals, sizeof(vals), " (%#llx != %#llx)",
				 (unsigned long long)uc->args[0],
				 (unsigned long long)uc->args[1]);
		else
			for (i = 0; i < uc->nargs && i < UCALL_MAX_ARGS; i++)
				snprintf(vals + strlen(vals),
					 sizeof(vals) - strlen(vals), " %#llx",
					 (unsigned long long)uc->args[i]);
		test_fail(file, line, NULL, "guest assertion failed at %s:%llu: %s%s",
			  uc->file ? uc->file : "?",
			  (unsigned long long)uc->line,
			  uc->expr ? uc->expr : "?", vals);
	case UCALL_UNHANDLED:
		test_fail(file, line, NULL,
			  "unhandled guest exception: vector %llu (%s), error code %#llx, RIP %#llx, CS %#llx",
			  (unsigned long long)uc->args[0],
			  vector_name(uc->args[0]),
			  (unsigned long long)uc->args[1],
			  (unsigned long long)uc->args[2],
			  (unsigned long long)uc->args[3]);
	default:
		test_fail(file, line, NULL, "unexpected ucall %llu",
			  (unsigned long long)uc->cmd);
	}
}

u64 __vcpu_run_ucall(struct vcpu *vcpu, struct ucall *uc,
		     const char *file, int line)
{
	u64 cmd;

	vcpu_run(vcpu);
	cmd = get_ucall(vcpu, uc);
	if (cmd == UCALL_NONE) {
		vcpu_dump(vcpu);
		test_fail(file, line, NULL, "expected a ucall, got exit %s (%u)",
			  exit_reason_str(vcpu->run->exit_reason),
			  vcpu->run->exit_reason);
	}
	if (cmd == UCALL_ABORT || cmd == UCALL_UNHANDLED)
		ucall_report(uc, file, line);
	return cmd;
}

u64 vcpu_run_ucall_any(struct vcpu *vcpu, struct ucall *uc)
{
	u64 cmd;

	vcpu_run(vcpu);
	cmd = get_ucall(vcpu, uc);
	if (cmd == UCALL_NONE) {
		vcpu_dump(vcpu);
		TEST_FAIL("expected a ucall, got exit %s (%u)",
			  exit_reason_str(vcpu->run->exit_reason),
			  vcpu->run->exit_reason);
	}
	return cmd;
}

void __vcpu_expect_sync(struct vcpu *vcpu, u64 arg, const char *file,
			int line)
{
	struct ucall uc;
	u64 cmd = __vcpu_run_ucall(vcpu, &uc, file, line);

	if (cmd != UCALL_SYNC || uc.args[0] != arg)
		test_fail(file, line, NULL,
			  "expected GUEST_SYNC(%#llx), got ucall %llu (%#llx)",
			  (unsigned long long)arg, (unsigned long long)cmd,
			  (unsigned long long)uc.args[0]);
}

void __vcpu_expect_done(struct vcpu *vcpu, const char *file, int line)
{
	struct ucall uc;
	u64 cmd = __vcpu_run_ucall(vcpu, &uc, file, line);

	if (cmd != UCALL_DONE)
		test_fail(file, line, NULL,
			  "expected GUEST_DONE(), got ucall %llu (%#llx)",
			  (unsigned long long)cmd,
			  (unsigned long long)uc.args[0]);
}
