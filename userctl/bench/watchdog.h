/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: the watchdog that turns a stuck guest into an error.
 */
#ifndef BENCH_WATCHDOG_H
#define BENCH_WATCHDOG_H

#include <stdbool.h>
#include <time.h>

/**
 * struct bench_watchdog - a round's deadline
 * @timer: a POSIX timer that signals the vCPU thread.
 * @timeout: seconds the guest gets between two bench_watchdog_pet().
 */
struct bench_watchdog {
	timer_t timer;
	unsigned int timeout;
};

/* Arm it for the calling thread, the one that runs the vCPU. */
int bench_watchdog_start(struct bench_watchdog *wd, unsigned int timeout);
/* The guest made progress: @timeout seconds from now again. */
void bench_watchdog_pet(struct bench_watchdog *wd);
/* Did the deadline pass? */
bool bench_watchdog_expired(void);
void bench_watchdog_stop(struct bench_watchdog *wd);

#endif
