/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: what the files of bench/ share.
 *
 * A hypervisor backend (vireo.c, kvm.c) runs one small guest on one vCPU:
 * it creates the VM around memory the caller owns, runs the vCPU, turns
 * each exit into a struct bench_exit, counts VM exits and injects an
 * external interrupt from any thread. The suites (micro.c) drive the same
 * guest through every backend; stats.c reduces samples to min and median;
 * json.c writes the results for tools.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;

#define BENCH_ERR_LEN	200

#define __STRINGIFY(x)	#x
#define STRINGIFY(x)	__STRINGIFY(x)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* What a backend's run returned, reduced to what the suites need. */
enum bench_exit_kind {
	BENCH_EXIT_IO,		/* port I/O */
	BENCH_EXIT_MMIO,	/* an access outside guest RAM */
	BENCH_EXIT_INTR,	/* the run was interrupted by a signal */
	BENCH_EXIT_OTHER,	/* anything else: @what says what */
};

/**
 * struct bench_exit - one exit to userspace
 * @kind: BENCH_EXIT_*.
 * @is_write: OUT or MMIO write.
 * @size: bytes per port access (IO) or of the access (MMIO).
 * @port: the port (IO).
 * @count: elements (IO).
 * @addr: guest-physical address (MMIO).
 * @data: the data: written bytes, or where read data goes.
 * @what: BENCH_EXIT_OTHER: a description for people.
 */
struct bench_exit {
	enum bench_exit_kind kind;
	bool is_write;
	u32 size;
	u16 port;
	u32 count;
	u64 addr;
	u8 *data;
	char what[BENCH_ERR_LEN];
};

/**
 * struct bench_vm - one VM with one vCPU, as a backend made it
 * @hv: the backend.
 * @sys: the hypervisor's device fd.
 * @vm: the VM fd.
 * @vcpu: the vCPU fd.
 * @run: the vCPU's shared run structure.
 * @run_size: its mapped size.
 * @stats: KVM: the vCPU's binary statistics fd; -1 if none.
 * @stats_exits: KVM: where the "exits" counter lives in @stats.
 * @err: the last error, for people.
 */
struct bench_vm {
	const struct bench_hv *hv;
	int sys, vm, vcpu;
	void *run;
	size_t run_size;
	int stats;
	u64 stats_exits;
	char err[BENCH_ERR_LEN];
};

/**
 * struct bench_hv - a hypervisor backend
 * @name: short name: "vireo", "kvm".
 * @label: column heading: "vireo", "KVM".
 * @device: its device node.
 * @create: make a VM whose RAM is @size bytes at @mem (guest-physical 0),
 *     with one vCPU in real mode at CS = @cs (base @cs << 4), IP 0.
 * @run: run the vCPU until its next exit to userspace; fill @exit.
 * @exits: the number of VM exits of the vCPU so far.
 * @inject: make external interrupt @vector (the 8259's IRQ @irq) pending;
 *     callable from any thread while another one runs the vCPU.
 * @tsc_offset: guest TSC minus host TSC.
 * @destroy: close everything: the hypervisor holds VMX no more.
 *
 * Functions returning int return 0 or -errno, with @vm->err set.
 */
struct bench_hv {
	const char *name;
	const char *label;
	const char *device;
	int (*create)(struct bench_vm *vm, void *mem, size_t size, u16 cs);
	int (*run)(struct bench_vm *vm, struct bench_exit *exit);
	int (*exits)(struct bench_vm *vm, u64 *count);
	int (*inject)(struct bench_vm *vm, unsigned int irq, unsigned int vector);
	int (*tsc_offset)(struct bench_vm *vm, s64 *offset);
	void (*destroy)(struct bench_vm *vm);
};

extern const struct bench_hv bench_vireo;
extern const struct bench_hv bench_kvm;

/* Set @vm->err from a format; returns @ret (a -errno) for chaining. */
int bench_fail(struct bench_vm *vm, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The vCPU thread reads the host TSC with this, and so does the waker. */
static inline u64 bench_rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return (u64)hi << 32 | lo;
}

/**
 * struct bench_samples - a growing array of samples, in ticks
 * @v: the samples.
 * @n: how many.
 * @cap: room in @v.
 */
struct bench_samples {
	u64 *v;
	size_t n, cap;
};

/**
 * struct bench_summary - what the report says of a set of samples
 * @n: number of samples (0: nothing measured; the rest is meaningless).
 * @min: the smallest.
 * @median: the median (the mean of the middle two for an even @n).
 * @max: the largest.
 */
struct bench_summary {
	size_t n;
	u64 min;
	double median;
	u64 max;
};

int bench_samples_add(struct bench_samples *s, u64 v);
void bench_samples_free(struct bench_samples *s);
void bench_summarize(const struct bench_samples *s, struct bench_summary *out);

/**
 * struct bench_host - the machine the figures come from
 * @kernel: "Linux 6.1.0-...".
 * @cpu: the CPU's model name.
 * @cpus: CPUs online.
 */
struct bench_host {
	char kernel[160];
	char cpu[128];
	long cpus;
};

void bench_host(struct bench_host *h);

/* Options of vireoctl bench that the suites use. */
struct bench_opts {
	unsigned int rounds;
	unsigned int iterations;
	bool short_mode;
	const struct bench_hv *hvs[2];
	unsigned int nr_hvs;
};

struct json;

/**
 * struct bench_suite - one family of benchmarks, one table
 * @name: what selects it on the command line.
 * @help: one line for the usage text.
 * @run: run it; returns its results (NULL: out of memory).
 * @ok: did every measurement produce figures?
 * @print: the table and its notes, as text.
 * @json: the results as one JSON object.
 * @free: free the results.
 */
struct bench_suite {
	const char *name;
	const char *help;
	void *(*run)(const struct bench_opts *opts);
	bool (*ok)(const void *res);
	void (*print)(const void *res, FILE *out);
	void (*json)(const void *res, struct json *j);
	void (*free)(void *res);
};

extern const struct bench_suite bench_micro_suite;

#endif
