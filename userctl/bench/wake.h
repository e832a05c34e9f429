/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: the waker, the thread that ends the HLT test's sleeps.
 */
#ifndef BENCH_WAKE_H
#define BENCH_WAKE_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "bench.h"

/**
 * struct bench_waker - injects one interrupt per HLT of the guest
 * @vm: the VM; @vm->hv->inject() is called from the waker's thread.
 * @armed: the guest's BENCH_P_ARMED word: n while iteration n halts.
 * @count: the number of iterations, hence of injections.
 * @t_inject: out: host TSC read just before injection n + 1, [@count].
 * @done: out: injections made.
 * @realtime: out: both threads got SCHED_FIFO (see wake.c).
 * @err: out: 0, or -errno when an injection failed (the waker stops and
 *     sends SIGUSR1 to the vCPU thread); @msg says why.
 * @msg: out: the reason.
 *
 * The rest is the waker's own.
 */
struct bench_waker {
	struct bench_vm *vm;
	const u32 *armed;
	unsigned int count;
	u64 *t_inject;
	unsigned int done;
	bool realtime;
	int err;
	char msg[BENCH_ERR_LEN];

	pthread_t thread, vcpu_thread;
	pid_t vcpu_tid;
	int state_fd;
	int old_policy;
	struct sched_param old_param;
	bool stop;
};

/* Start the waker; the calling thread is the one that runs the vCPU. */
int bench_waker_start(struct bench_waker *w);
/* Stop it and restore the caller's scheduling; returns @w->err. */
int bench_waker_stop(struct bench_waker *w);

#endif
