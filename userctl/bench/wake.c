// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: the waker of the HLT wake-up test.
 *
 * The vCPU thread runs the guest, which writes n to BENCH_P_ARMED and
 * halts. The waker waits until it reads n there AND the vCPU thread is
 * asleep (state S or D in /proc: the hypervisor put it to sleep in HLT),
 * reads the host TSC, and injects the interrupt. The guest's handler
 * reads the TSC first thing: the difference is the wake-up, from the
 * hypervisor's injection call to the guest's handler.
 *
 * Scheduling decides how clean that is on a host with one CPU, such as
 * the benchmark's Bochs machine. The vCPU thread runs at SCHED_FIFO
 * priority 2 and the waker at 1: the waker runs only while the vCPU
 * thread sleeps, and the vCPU thread preempts it as soon as the
 * injection wakes it, when the injecting system call returns. Without the
 * privilege for SCHED_FIFO both stay SCHED_OTHER, the figures depend on
 * the scheduler's wake-up preemption, and the report says so.
 *
 * The waker itself never gives up: a vCPU that does not wake, or a guest
 * that does not halt, stalls the round, and the round's watchdog
 * (watchdog.c) ends it. A failed injection stops the waker at once and
 * interrupts the vCPU's RUN with SIGUSR1. SIGALRM, the watchdog's, is
 * blocked in the waker so that it always reaches the vCPU thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "payload.h"
#include "wake.h"

#define VCPU_PRIO		2
#define WAKER_PRIO		1

static bool stopping(struct bench_waker *w)
{
	return __atomic_load_n(&w->stop, __ATOMIC_ACQUIRE);
}

/* The guest writes it; the compiler must read it every time. */
static u32 armed(struct bench_waker *w)
{
	return __atomic_load_n(w->armed, __ATOMIC_ACQUIRE);
}

/* Is the vCPU thread asleep in the kernel? */
static bool vcpu_sleeps(struct bench_waker *w)
{
	char buf[512], *p;
	ssize_t n;

	n = pread(w->state_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "tid (comm) S ...": comm may hold anything, so take the last ')'. */
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'S' || p[2] == 'D');
}

/* SIGUSR1 only has to interrupt the vCPU's RUN: no SA_RESTART. */
static void on_sigusr1(int sig)
{
	(void)sig;
}

static void *waker(void *arg)
{
	struct bench_waker *w = arg;
	unsigned int n;
	sigset_t set;
	int r;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	for (n = 1; n <= w->count; n++) {
		while (!stopping(w) && (armed(w) != n || !vcpu_sleeps(w))) {
			if (!w->realtime)
				sched_yield();
			__builtin_ia32_pause();
		}
		if (stopping(w))
			return NULL;
		w->t_inject[n - 1] = bench_rdtsc();
		r = w->vm->hv->inject(w->vm, BENCH_IRQ, BENCH_VECTOR);
		if (r) {
			w->err = r;
			snprintf(w->msg, sizeof(w->msg), "%s", w->vm->err);
			pthread_kill(w->vcpu_thread, SIGUSR1);
			return NULL;
		}
		w->done = n;
	}
	return NULL;
}

int bench_waker_start(struct bench_waker *w)
{
	struct sched_param vcpu_prio = { .sched_priority = VCPU_PRIO };
	struct sched_param waker_prio = { .sched_priority = WAKER_PRIO };
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	pthread_attr_t attr;
	char path[64];
	int r;

	w->done = 0;
	w->err = 0;
	w->msg[0] = '\0';
	w->stop = false;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	w->vcpu_thread = pthread_self();
	w->vcpu_tid = gettid();
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", w->vcpu_tid);
	w->state_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (w->state_fd < 0) {
		w->err = -errno;
		snprintf(w->msg, sizeof(w->msg), "cannot open %s: %s", path, strerror(errno));
		return w->err;
	}
	pthread_getschedparam(w->vcpu_thread, &w->old_policy, &w->old_param);
	w->realtime = !pthread_setschedparam(w->vcpu_thread, SCHED_FIFO, &vcpu_prio);

	pthread_attr_init(&attr);
	if (w->realtime) {
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		pthread_attr_setschedparam(&attr, &waker_prio);
	}
	r = pthread_create(&w->thread, &attr, waker, w);
	pthread_attr_destroy(&attr);
	if (r) {
		w->err = -r;
		snprintf(w->msg, sizeof(w->msg), "cannot start the waker thread: %s", strerror(r));
		pthread_setschedparam(w->vcpu_thread, w->old_policy, &w->old_param);
		close(w->state_fd);
		return w->err;
	}
	return 0;
}

int bench_waker_stop(struct bench_waker *w)
{
	__atomic_store_n(&w->stop, true, __ATOMIC_RELEASE);
	pthread_join(w->thread, NULL);
	pthread_setschedparam(w->vcpu_thread, w->old_policy, &w->old_param);
	close(w->state_fd);
	return w->err;
}
