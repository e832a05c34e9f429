// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: the watchdog of a round.
 *
 * A guest that stops making progress (a vCPU that never wakes from HLT,
 * a guest looping where it should exit) must fail the benchmark, not hang
 * it. The watchdog is a POSIX timer aimed at the vCPU thread: the round
 * pets it when it starts and at every control write of the guest (each
 * operation's START and DONE), so it expires only when one operation
 * takes more than its timeout. Then SIGALRM interrupts the vCPU's RUN,
 * which returns EINTR, and the VMM loop gives up. The timer repeats every
 * second after it expired: a signal that arrives while the thread is
 * outside RUN does not interrupt the next RUN.
 *
 * Not a thread: a second thread in the process makes every ioctl take a
 * reference on its file (fdget() is cheaper for a process that does not
 * share its file table), which would add its cost to every exit measured.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "watchdog.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id	_sigev_un._tid
#endif

static sig_atomic_t expired;

static void on_sigalrm(int sig)
{
	(void)sig;
	__atomic_store_n(&expired, 1, __ATOMIC_RELAXED);
}

int bench_watchdog_start(struct bench_watchdog *wd, unsigned int timeout)
{
	struct sigaction sa = { .sa_handler = on_sigalrm };	/* no SA_RESTART */
	struct sigevent ev;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -errno;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGALRM;
	ev.sigev_notify_thread_id = gettid();
	if (timer_create(CLOCK_MONOTONIC, &ev, &wd->timer))
		return -errno;
	wd->timeout = timeout;
	__atomic_store_n(&expired, 0, __ATOMIC_RELAXED);
	bench_watchdog_pet(wd);
	return 0;
}

void bench_watchdog_pet(struct bench_watchdog *wd)
{
	struct itimerspec its = {
		.it_value = { .tv_sec = wd->timeout },
		.it_interval = { .tv_sec = 1 },
	};

	timer_settime(wd->timer, 0, &its, NULL);
}

bool bench_watchdog_expired(void)
{
	return __atomic_load_n(&expired, __ATOMIC_RELAXED);
}

void bench_watchdog_stop(struct bench_watchdog *wd)
{
	timer_delete(wd->timer);
	__atomic_store_n(&expired, 0, __ATOMIC_RELAXED);
}
