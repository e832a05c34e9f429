// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: running the micro-benchmark guest on each hypervisor.
 *
 * A round is one fresh VM running payload.S once: every operation
 * opts->iterations times. Rounds alternate between the hypervisors
 * (vireo, KVM, vireo, KVM, ...), each VM destroyed before the next is
 * created: vireo and KVM hold VMX only while they have VMs, and each
 * refuses to create one while the other has one.
 *
 * The loop below is the VMM. It is the same for both hypervisors and does
 * as little as a VMM can: a switch on the exit, the guest's control
 * writes (START: read the exit counter, start the waker for the HLT test;
 * DONE: read the counter again, collect the samples from guest memory),
 * and every other port or MMIO access ignored (reads return all ones).
 * So "port I/O to userspace and back" includes one trip through it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "micro.h"
#include "wake.h"
#include "watchdog.h"

extern const u8 bench_payload[], bench_payload_end[];

/* User exits a round may take: every iteration needs at most two. */
#define MAX_USER_EXITS(iter)	((u64)(iter) * BENCH_NR_OPS * 4 + 1000)
/* Seconds an operation may take before its round fails. */
#define STALL_TIMEOUT		60

/* One round's state; only the vCPU thread touches it (the waker has its own). */
struct round {
	struct bench_micro_hv *h;	/* where the results go */
	struct bench_vm vm;
	u8 *mem;			/* guest RAM, guest-physical 0 */
	unsigned int iterations;
	int op;				/* the operation running, or -1 */
	unsigned int ops_done;		/* a bit per operation */
	u64 exits_at_start;		/* the exit counter at op's START */
	struct bench_watchdog wd;
	struct bench_waker waker;	/* the HLT test's */
	bool waker_running;
	s64 tsc_offset;			/* guest TSC - host TSC, for the HLT test */
	bool ended;			/* the guest wrote END */
};

static u8 *gpa(struct round *r, u64 addr)
{
	return r->mem + addr;
}

static u32 guest_u32(struct round *r, u64 addr)
{
	u32 v;

	memcpy(&v, gpa(r, addr), sizeof(v));
	return v;
}

static u64 guest_u64(struct round *r, u64 addr)
{
	u64 v;

	memcpy(&v, gpa(r, addr), sizeof(v));
	return v;
}

static int round_fail(struct round *r, int err, const char *fmt, const char *what)
{
	r->h->err = err;
	snprintf(r->h->msg, sizeof(r->h->msg), fmt, what);
	return err;
}

static int collect_windows(struct round *r, unsigned int op)
{
	unsigned int i;

	for (i = 0; i < r->iterations; i++) {
		u32 v = guest_u32(r, BENCH_WINDOW_SEG * 16 + 4 * i);

		if (bench_samples_add(&r->h->samples[op], v))
			return round_fail(r, -ENOMEM, "%s", "out of memory");
	}
	return 0;
}

/*
 * Wake-up latency of iteration i: handler TSC (guest clock, made host
 * clock by the offset) minus injection TSC (host clock). A sample whose
 * injection is not between HLT and handler is not a wake-up: dropped and
 * counted.
 */
static int collect_wakeups(struct round *r)
{
	unsigned int i;

	for (i = 0; i < r->iterations; i++) {
		u64 hlt = guest_u64(r, BENCH_T_HLT_SEG * 16 + 8 * i) - r->tsc_offset;
		u64 irq = guest_u64(r, BENCH_T_IRQ_SEG * 16 + 8 * i) - r->tsc_offset;
		u64 inj = r->waker.t_inject[i];

		if (!(hlt <= inj && inj <= irq)) {
			r->h->bad_order++;
			continue;
		}
		if (bench_samples_add(&r->h->samples[BENCH_OP_HLT], irq - inj))
			return round_fail(r, -ENOMEM, "%s", "out of memory");
	}
	return 0;
}

static int hlt_start(struct round *r)
{
	struct bench_waker *w = &r->waker;
	int err;

	err = r->vm.hv->tsc_offset(&r->vm, &r->tsc_offset);
	if (err)
		return round_fail(r, err, "%s", r->vm.err);
	memset(w, 0, sizeof(*w));
	w->vm = &r->vm;
	w->armed = (const u32 *)gpa(r, BENCH_P_ARMED);
	w->count = r->iterations;
	w->t_inject = calloc(r->iterations, sizeof(*w->t_inject));
	if (!w->t_inject)
		return round_fail(r, -ENOMEM, "%s", "out of memory");
	err = bench_waker_start(w);
	if (err)
		return round_fail(r, err, "%s", w->msg);
	r->waker_running = true;
	return 0;
}

static int hlt_done(struct round *r)
{
	s64 offset;
	int err;

	r->waker_running = false;
	err = bench_waker_stop(&r->waker);
	if (!r->waker.realtime)
		r->h->realtime = false;
	if (err)
		return round_fail(r, err, "HLT test: %s", r->waker.msg);
	if (r->waker.done != r->iterations)
		return round_fail(r, -EPROTO, "%s",
				  "HLT test: the guest ended before every injection");
	err = r->vm.hv->tsc_offset(&r->vm, &offset);
	if (err)
		return round_fail(r, err, "%s", r->vm.err);
	if (offset != r->tsc_offset)
		return round_fail(r, -EPROTO, "%s",
				  "HLT test: the guest's TSC offset changed during the test");
	return collect_wakeups(r);
}

/* A write of the guest to BENCH_PORT_CTL. */
static int control(struct round *r, u32 value)
{
	unsigned int op = value & 0xff;
	u64 exits;
	int err;

	if (value == BENCH_CTL_END) {
		r->ended = true;
		if (r->ops_done != (1u << BENCH_NR_OPS) - 1)
			return round_fail(r, -EPROTO, "%s", "the guest ended too early");
		return 0;
	}
	if (value == BENCH_CTL_BAD_MAGIC)
		return round_fail(r, -EPROTO, "%s", "the guest found no parameters");
	if (op >= BENCH_NR_OPS ||
	    ((value & ~0xffu) != BENCH_CTL_START && (value & ~0xffu) != BENCH_CTL_DONE))
		return round_fail(r, -EPROTO, "%s", "the guest wrote an unknown control value");

	/* The payload runs each operation once, START then DONE. */
	if ((value & ~0xffu) == BENCH_CTL_START ? r->op != -1 || r->ops_done & 1u << op :
	    r->op != (int)op)
		return round_fail(r, -EPROTO, "%s", "the guest broke the control protocol");

	bench_watchdog_pet(&r->wd);
	err = r->vm.hv->exits(&r->vm, &exits);
	if (err)
		return round_fail(r, err, "%s", r->vm.err);
	if ((value & ~0xffu) == BENCH_CTL_START) {
		r->op = op;
		r->exits_at_start = exits;
		return op == BENCH_OP_HLT ? hlt_start(r) : 0;
	}
	r->op = -1;
	r->ops_done |= 1u << op;
	/* Between the two counter reads: the iterations and the DONE write. */
	r->h->exits[op] += exits - r->exits_at_start - 1;
	r->h->iterations[op] += r->iterations;
	if (op == BENCH_OP_HLT)
		return hlt_done(r);
	return collect_windows(r, op);
}

/* The watchdog ended the round: say where the guest was. */
static int fail_stalled(struct round *r)
{
	u32 armed = guest_u32(r, BENCH_P_ARMED), handled = guest_u32(r, BENCH_P_HANDLED);
	unsigned int done = r->waker.done;

	if (!r->waker_running)
		return round_fail(r, -ETIMEDOUT, "an operation took more than %s s",
				  STRINGIFY(STALL_TIMEOUT));
	r->h->err = -ETIMEDOUT;
	if (armed == done && handled != armed)
		snprintf(r->h->msg, sizeof(r->h->msg),
			 "HLT test: the vCPU did not wake from HLT after injection %u", done);
	else if (armed != done)
		snprintf(r->h->msg, sizeof(r->h->msg),
			 "HLT test: the guest halted for iteration %u, %u interrupts were injected",
			 armed, done);
	else
		snprintf(r->h->msg, sizeof(r->h->msg),
			 "HLT test: the guest stopped after iteration %u", handled);
	return r->h->err;
}

static int vmm_loop(struct round *r)
{
	struct bench_exit exit;
	u64 n;
	int err;

	for (n = 0; n < MAX_USER_EXITS(r->iterations) && !r->ended; n++) {
		err = r->vm.hv->run(&r->vm, &exit);
		if (err)
			return round_fail(r, err, "%s", r->vm.err);
		switch (exit.kind) {
		case BENCH_EXIT_IO:
			if (exit.port == BENCH_PORT_CTL && exit.is_write && exit.size == 4 &&
			    exit.count == 1) {
				u32 value;

				memcpy(&value, exit.data, sizeof(value));
				err = control(r, value);
				if (err)
					return err;
			} else if (!exit.is_write) {
				memset(exit.data, 0xff, (size_t)exit.size * exit.count);
			}
			break;
		case BENCH_EXIT_MMIO:
			if (!exit.is_write)
				memset(exit.data, 0xff, exit.size);
			break;
		case BENCH_EXIT_INTR:
			if (r->waker_running && r->waker.err)
				return round_fail(r, r->waker.err, "HLT test: %s", r->waker.msg);
			if (bench_watchdog_expired())
				return fail_stalled(r);
			break;
		case BENCH_EXIT_OTHER:
			return round_fail(r, -EPROTO, "the guest stopped: %s", exit.what);
		}
	}
	if (!r->ended)
		return round_fail(r, -EPROTO, "%s", "the guest did not finish (too many exits)");
	return 0;
}

static void run_round(struct bench_micro_hv *h, unsigned int iterations)
{
	size_t len = bench_payload_end - bench_payload;
	struct round r = { .h = h, .iterations = iterations, .op = -1 };
	u32 magic = BENCH_MAGIC;
	int err;

	r.mem = mmap(NULL, BENCH_MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r.mem == MAP_FAILED) {
		round_fail(&r, -errno, "guest memory: %s", strerror(errno));
		return;
	}
	memcpy(gpa(&r, BENCH_CODE_GPA), bench_payload, len);
	memcpy(gpa(&r, BENCH_P_MAGIC), &magic, sizeof(magic));
	memcpy(gpa(&r, BENCH_P_ITER), &iterations, sizeof(iterations));

	r.vm.hv = h->hv;
	err = h->hv->create(&r.vm, r.mem, BENCH_MEM_SIZE, BENCH_CODE_SEG);
	if (err) {
		round_fail(&r, err, "%s", r.vm.err);
		goto unmap;
	}
	err = bench_watchdog_start(&r.wd, STALL_TIMEOUT);
	if (err) {
		round_fail(&r, err, "cannot start the watchdog timer: %s", strerror(-err));
		goto destroy;
	}
	if (!vmm_loop(&r))
		h->rounds++;
	if (r.waker_running)
		bench_waker_stop(&r.waker);
	bench_watchdog_stop(&r.wd);
destroy:
	h->hv->destroy(&r.vm);
unmap:
	free(r.waker.t_inject);
	munmap(r.mem, BENCH_MEM_SIZE);
}

void bench_micro_run(const struct bench_opts *opts, struct bench_micro *m)
{
	unsigned int round, i;

	memset(m, 0, sizeof(*m));
	m->opts = opts;
	for (i = 0; i < opts->nr_hvs; i++) {
		m->hvs[i].hv = opts->hvs[i];
		m->hvs[i].realtime = true;
	}
	for (round = 0; round < opts->rounds; round++)
		for (i = 0; i < opts->nr_hvs; i++)
			if (!m->hvs[i].err)
				run_round(&m->hvs[i], opts->iterations);
}

bool bench_micro_ok(const struct bench_micro *m)
{
	unsigned int i;

	for (i = 0; i < m->opts->nr_hvs; i++)
		if (m->hvs[i].err)
			return false;
	return true;
}

void bench_micro_free(struct bench_micro *m)
{
	unsigned int i, op;

	for (i = 0; i < ARRAY_SIZE(m->hvs); i++)
		for (op = 0; op < BENCH_NR_OPS; op++)
			bench_samples_free(&m->hvs[i].samples[op]);
}

static void *micro_run(const struct bench_opts *opts)
{
	struct bench_micro *m = malloc(sizeof(*m));

	if (m)
		bench_micro_run(opts, m);
	return m;
}

static bool micro_ok(const void *res)
{
	return bench_micro_ok(res);
}

static void micro_print(const void *res, FILE *out)
{
	bench_micro_print(res, out);
}

static void micro_json(const void *res, struct json *j)
{
	bench_micro_json(res, j);
}

static void micro_free(void *res)
{
	bench_micro_free(res);
	free(res);
}

const struct bench_suite bench_micro_suite = {
	.name = "micro",
	.help = "vireo vs KVM: the cost of one exit, operation by operation",
	.run = micro_run,
	.ok = micro_ok,
	.print = micro_print,
	.json = micro_json,
	.free = micro_free,
};
