/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: the micro-benchmark suite (vireo vs KVM, one exit at a
 * time): what micro.c measures and micro_report.c prints.
 */
#ifndef BENCH_MICRO_H
#define BENCH_MICRO_H

#include "bench.h"
#include "json.h"
#include "payload.h"

/**
 * struct bench_micro_hv - one hypervisor's results
 * @hv: the backend.
 * @err: 0, or -errno when a round failed; @msg says why.
 * @msg: the reason.
 * @rounds: rounds completed.
 * @samples: per operation: window lengths (timed operations) or wake-up
 *     latencies (BENCH_OP_HLT), in ticks.
 * @exits: per operation: VM exits counted during its iterations.
 * @iterations: per operation: the iterations @exits covers.
 * @realtime: the HLT test ran with SCHED_FIFO in every round.
 * @bad_order: HLT samples dropped because the injection was not between
 *     the HLT and the handler (there should be none).
 */
struct bench_micro_hv {
	const struct bench_hv *hv;
	int err;
	char msg[BENCH_ERR_LEN + 64];
	unsigned int rounds;
	struct bench_samples samples[BENCH_NR_OPS];
	u64 exits[BENCH_NR_OPS];
	u64 iterations[BENCH_NR_OPS];
	bool realtime;
	unsigned int bad_order;
};

/**
 * struct bench_micro - the suite's results
 * @opts: the options it ran with.
 * @hvs: per hypervisor, in the order of @opts->hvs.
 */
struct bench_micro {
	const struct bench_opts *opts;
	struct bench_micro_hv hvs[2];
};

/* Run the suite: rounds alternate between the hypervisors. */
void bench_micro_run(const struct bench_opts *opts, struct bench_micro *m);
void bench_micro_free(struct bench_micro *m);
/* Did every hypervisor produce figures? */
bool bench_micro_ok(const struct bench_micro *m);

void bench_micro_print(const struct bench_micro *m, FILE *out);
void bench_micro_json(const struct bench_micro *m, struct json *j);

#endif
