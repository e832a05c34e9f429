// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: the micro-benchmark table, as text and as JSON.
 *
 * One row per operation: min and median ticks on each hypervisor, the
 * ratio vireo/KVM of the medians, VM exits per operation, and vireo's
 * target with a pass or MISS mark (on the median). Timed operations are
 * reported as round trips: the window minus the empty window's minimum,
 * so that the RDTSC pair and the loop's instructions do not count. The
 * HLT wake-up is not a window; see wake.c for what it measures.
 * Documentation/virt/vireo/benchmarks.rst explains every column.
 */
#include <math.h>
#include <string.h>

#include "micro.h"

/**
 * struct op_info - how the report shows an operation
 * @key: its JSON name.
 * @label: its table row.
 * @round_trip: window minus the empty window.
 * @target: vireo's target in ticks (issue 7), or 0.
 */
struct op_info {
	const char *key;
	const char *label;
	bool round_trip;
	u64 target;
};

static const struct op_info ops[BENCH_NR_OPS] = {
	[BENCH_OP_EMPTY] = { "empty", "empty window (subtracted)", false, 0 },
	[BENCH_OP_VMCALL] = { "hypercall", "hypercall in kernel (VMCALL)", true, 300 },
	[BENCH_OP_CPUID] = { "cpuid", "CPUID exit", true, 300 },
	[BENCH_OP_PIO] = { "pio_user", "port I/O to userspace (OUT)", true, 1500 },
	[BENCH_OP_MMIO] = { "mmio_user", "MMIO write to userspace", true, 2000 },
	[BENCH_OP_HLT] = { "hlt_wakeup", "HLT wake-up by interrupt", false, 0 },
};

/* One cell pair of the table: an operation on one hypervisor. */
struct cell {
	bool valid;
	u64 min;
	double median;
	double exits_per_op;
	size_t n;
};

static void cell(const struct bench_micro_hv *h, unsigned int op, struct cell *c)
{
	struct bench_summary s, empty;

	memset(c, 0, sizeof(*c));
	bench_summarize(&h->samples[op], &s);
	if (!s.n)
		return;
	c->valid = true;
	c->n = s.n;
	c->min = s.min;
	c->median = s.median;
	if (ops[op].round_trip) {
		bench_summarize(&h->samples[BENCH_OP_EMPTY], &empty);
		if (!empty.n) {
			c->valid = false;
			return;
		}
		c->min -= empty.min < c->min ? empty.min : c->min;
		c->median -= empty.min;
	}
	c->exits_per_op = h->iterations[op] ? (double)h->exits[op] / h->iterations[op] : NAN;
}

static const struct bench_micro_hv *find(const struct bench_micro *m, const struct bench_hv *hv)
{
	unsigned int i;

	for (i = 0; i < m->opts->nr_hvs; i++)
		if (m->hvs[i].hv == hv)
			return &m->hvs[i];
	return NULL;
}

static const char *status(unsigned int op, const struct cell *v)
{
	if (!ops[op].target)
		return "-";
	if (!v->valid)
		return "n/a";
	return v->median <= ops[op].target ? "pass" : "MISS";
}

static void print_ticks(FILE *out, const struct cell *c)
{
	if (c->valid)
		fprintf(out, " %7llu %7.0f", (unsigned long long)c->min, c->median);
	else
		fprintf(out, " %7s %7s", "n/a", "n/a");
}

static void print_notes(const struct bench_micro *m, FILE *out)
{
	const struct bench_micro_hv *h;
	struct bench_summary empty;
	unsigned int i;

	fputs("\nRound trip: the window minus the empty window's min (", out);
	for (i = 0; i < m->opts->nr_hvs; i++) {
		h = &m->hvs[i];
		bench_summarize(&h->samples[BENCH_OP_EMPTY], &empty);
		if (empty.n)
			fprintf(out, "%s%s %llu", i ? ", " : "", h->hv->label,
				(unsigned long long)empty.min);
		else
			fprintf(out, "%s%s n/a", i ? ", " : "", h->hv->label);
	}
	fputs(" ticks). vireo/KVM: ratio of the medians.\n", out);
	fputs("Wake-up: from the host TSC just before the injecting ioctl (VIREO_INTERRUPT;\n"
	      "KVM_IRQ_LINE on KVM's in-kernel 8259) to the TSC read by the first instruction\n"
	      "of the guest's interrupt handler, on the host's clock.\n", out);
	if (!find(m, &bench_vireo) || !find(m, &bench_kvm))
		fprintf(out, "Not measured (--hv): %s.\n", find(m, &bench_vireo) ? "KVM" : "vireo");
	for (i = 0; i < m->opts->nr_hvs; i++) {
		h = &m->hvs[i];
		if (h->err)
			fprintf(out, "%s: FAILED after %u of %u rounds: %s\n", h->hv->label,
				h->rounds, m->opts->rounds, h->msg);
		if (h->samples[BENCH_OP_HLT].n && !h->realtime)
			fprintf(out, "%s: %s\n", h->hv->label,
				"no SCHED_FIFO for the HLT test (not root?): scheduler delays count");
		if (h->bad_order)
			fprintf(out, "%s: %u HLT samples dropped: %s\n", h->hv->label,
				h->bad_order, "the injection was not between HLT and handler");
	}
	if (m->opts->short_mode)
		fputs("Short mode: a few iterations to prove the suite works; "
		      "the targets are not enforced.\n", out);
}

void bench_micro_print(const struct bench_micro *m, FILE *out)
{
	const struct bench_micro_hv *v = find(m, &bench_vireo), *k = find(m, &bench_kvm);
	struct cell cv, ck;
	unsigned int op;

	fprintf(out, "micro-benchmarks: vireo vs KVM, the same guest bytes, %u %s x %u %s\n\n",
		m->opts->rounds, "rounds (a fresh VM each)", m->opts->iterations,
		"iterations per operation");
	fprintf(out, "%-29s %15s %15s %9s %13s  %s\n", "", "--- vireo ---", "---- KVM ----",
		"vireo/KVM", "- exits/op -", "vireo's target");
	fprintf(out, "%-29s %7s %7s %7s %7s %9s %6s %6s\n", "operation (ticks)", "min",
		"median", "min", "median", "(median)", "vireo", "KVM");
	for (op = 0; op < BENCH_NR_OPS; op++) {
		memset(&cv, 0, sizeof(cv));
		memset(&ck, 0, sizeof(ck));
		if (v)
			cell(v, op, &cv);
		if (k)
			cell(k, op, &ck);
		fprintf(out, "%-29s", ops[op].label);
		print_ticks(out, &cv);
		print_ticks(out, &ck);
		if (op != BENCH_OP_EMPTY && cv.valid && ck.valid && ck.median > 0)
			fprintf(out, " %9.2f", cv.median / ck.median);
		else
			fprintf(out, " %9s", "-");
		if (cv.valid)
			fprintf(out, " %6.2f", cv.exits_per_op);
		else
			fprintf(out, " %6s", "-");
		if (ck.valid)
			fprintf(out, " %6.2f", ck.exits_per_op);
		else
			fprintf(out, " %6s", "-");
		if (ops[op].target)
			fprintf(out, "  <= %-5llu %s\n", (unsigned long long)ops[op].target,
				status(op, &cv));
		else
			fputs("  -\n", out);
	}
	print_notes(m, out);
}

static void json_cell(struct json *j, const char *key, const struct cell *c)
{
	if (!c->valid) {
		json_null(j, key);
		return;
	}
	json_obj_begin(j, key);
	json_u64(j, "samples", c->n);
	json_u64(j, "min", c->min);
	json_num(j, "median", c->median);
	json_num(j, "exits_per_op", c->exits_per_op);
	json_obj_end(j);
}

static void json_hvs(const struct bench_micro *m, struct json *j)
{
	const struct bench_micro_hv *h;
	struct bench_summary empty;
	unsigned int i;

	json_arr_begin(j, "hypervisors");
	for (i = 0; i < m->opts->nr_hvs; i++) {
		h = &m->hvs[i];
		bench_summarize(&h->samples[BENCH_OP_EMPTY], &empty);
		json_obj_begin(j, NULL);
		json_str(j, "name", h->hv->name);
		json_bool(j, "ok", !h->err);
		if (h->err)
			json_str(j, "error", h->msg);
		else
			json_null(j, "error");
		json_u64(j, "rounds", h->rounds);
		if (empty.n)
			json_u64(j, "empty_window_min", empty.min);
		else
			json_null(j, "empty_window_min");
		json_bool(j, "hlt_sched_fifo", h->realtime);
		json_u64(j, "hlt_samples_dropped", h->bad_order);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void bench_micro_json(const struct bench_micro *m, struct json *j)
{
	const struct bench_micro_hv *v = find(m, &bench_vireo), *k = find(m, &bench_kvm);
	struct cell cv, ck;
	unsigned int op;

	json_obj_begin(j, NULL);
	json_str(j, "suite", "micro");
	json_str(j, "unit", "ticks");
	json_u64(j, "rounds", m->opts->rounds);
	json_u64(j, "iterations", m->opts->iterations);
	json_bool(j, "short", m->opts->short_mode);
	json_hvs(m, j);
	json_arr_begin(j, "operations");
	for (op = 0; op < BENCH_NR_OPS; op++) {
		memset(&cv, 0, sizeof(cv));
		memset(&ck, 0, sizeof(ck));
		if (v)
			cell(v, op, &cv);
		if (k)
			cell(k, op, &ck);
		json_obj_begin(j, NULL);
		json_str(j, "op", ops[op].key);
		json_str(j, "label", ops[op].label);
		json_bool(j, "round_trip", ops[op].round_trip);
		json_cell(j, "vireo", &cv);
		json_cell(j, "kvm", &ck);
		if (op != BENCH_OP_EMPTY && cv.valid && ck.valid && ck.median > 0)
			json_num(j, "ratio", cv.median / ck.median);
		else
			json_null(j, "ratio");
		if (ops[op].target) {
			json_u64(j, "target", ops[op].target);
			json_str(j, "status", status(op, &cv));
		} else {
			json_null(j, "target");
			json_null(j, "status");
		}
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
