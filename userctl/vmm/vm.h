/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A running guest as vireoctl run sees it: the VM and vCPU file
 * descriptors, guest RAM, the two buses, the vCPU threads, and the
 * guest's fate.
 *
 * The fate is decided once: the first of a guest event (poweroff, reset,
 * panic, triple fault), a vireo verdict (internal error, entry failure,
 * destroyed VM), a signal or a VMM error wins, with a one-line reason;
 * then every vCPU is kicked out of VIREO_RUN (immediate_exit and SIGUSR1)
 * and its thread ends. vireoctl's exit status is the fate's code
 * (vm_exit_code(), documented in vireoctl-run.rst).
 *
 * Legend of the fields: [init] set before the vCPU threads start, then
 * read-only; [fate] guarded by fate_lock; [vcpu] only its own thread.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <pthread.h>
#include <signal.h>
#include <linux/vireo.h>

#include "bus.h"
#include "mem.h"
#include "sysctl.h"

/* The signal that kicks a vCPU thread out of VIREO_RUN. */
#define VCPU_KICK_SIGNAL	SIGUSR1

enum vm_fate {
	FATE_RUNNING,
	FATE_POWEROFF,		/* exit 0 */
	FATE_ERROR,		/* exit 1: vireoctl itself failed */
	FATE_RESET,		/* exit 3 */
	FATE_PANIC,		/* exit 4 */
	FATE_TRIPLE_FAULT,	/* exit 5 */
	FATE_INTERNAL,		/* exit 6: vireo stopped the VM, or entry failed */
	FATE_DESTROYED,		/* exit 7 */
	FATE_SIGNAL,		/* exit 128 + signal */
};

struct vcpu {
	struct vm *vm;			/* [init] */
	int id;				/* [init] */
	int fd;				/* [init] */
	struct vireo_run *run;		/* [init] mapping; immediate_exit [fate] */
	pthread_t thread;		/* [init] */
	bool started;			/* [init] */
	u64 exits[VIREO_STATS_USER_EXITS];	/* [vcpu] returns from VIREO_RUN */
};

/* Handlers a PV extension may install (issue 6); NULL: refuse. */
struct vm_ext {
	void (*hypercall)(struct vcpu *v);
	void (*msr)(struct vcpu *v);
};

struct vm {
	int sys_fd;			/* [init] /dev/vireo */
	int fd;				/* [init] the VM */
	u32 id;				/* [init] */
	char name[VIREO_VM_NAME_LEN];	/* [init] */
	size_t run_size;		/* [init] */
	struct guest_mem mem;		/* [init] */
	struct bus io;			/* [init] ranges added before start */
	struct bus mmio;		/* [init] */
	int nr_vcpus;			/* [init] */
	struct vcpu *vcpus;		/* [init] */
	struct vm_ext ext;		/* [init] */
	struct sysctl sys;		/* [init] device models' requests */
	bool panic_seen;		/* [fate] the console printed a panic */
	char panic_msg[160];		/* [fate] */
	u64 start_ns;			/* [init] */
	u64 end_ns;			/* [fate] */

	pthread_mutex_t fate_lock;
	pthread_cond_t fate_cond;	/* signalled when the fate is decided */
	enum vm_fate fate;		/* [fate] */
	int fate_signal;		/* [fate] for FATE_SIGNAL */
	char reason[256];		/* [fate] one line for stderr */
};

/*
 * Creates the VM on @sys_fd: named @name (or unnamed when NULL), @mem_size
 * bytes of RAM in memory slots, @nr_vcpus vCPUs with their run structures
 * mapped. Returns 0 or -1 after saying why.
 */
int vm_create(struct vm *vm, int sys_fd, const char *name, u64 mem_size, int nr_vcpus,
	      bool verbose);
void vm_destroy(struct vm *vm);

/* Starts one thread per vCPU. Returns 0 or -1 after saying why. */
int vm_start(struct vm *vm);
/* Waits for every vCPU thread (after the fate is decided). */
void vm_join(struct vm *vm);

/* Decides the fate if nobody has, then stops every vCPU. */
void vm_stop(struct vm *vm, enum vm_fate fate, const char *fmt, ...) __printf(3, 4);
/* FATE_SIGNAL for @sig; @why replaces the default reason when not NULL. */
void vm_stop_signal(struct vm *vm, int sig, const char *why);
bool vm_stopped(struct vm *vm);
/* Waits up to @timeout_ns for the fate; true once it is decided. */
bool vm_wait(struct vm *vm, u64 timeout_ns);

/* The console saw "Kernel panic - not syncing": a reset now means panic. */
void vm_panic_seen(struct vm *vm, const char *msg);

/* vireoctl's exit status for the fate, and the fate's name. */
int vm_exit_code(const struct vm *vm);
const char *vm_fate_name(enum vm_fate fate);

/* The vCPU loop (vcpu.c). */
void *vcpu_thread(void *arg);

#endif
