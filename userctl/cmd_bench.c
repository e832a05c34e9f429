// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: run vireo's benchmarks and print one table per suite.
 *
 * The suites live in bench/ (one file per concern: the guest payload, a
 * backend per hypervisor, the suites, their reports); this file parses
 * the command line, runs the suites it selects, and prints their tables
 * or writes them as one JSON document. A suite that cannot measure a
 * hypervisor still prints its table, with n/a and the reason, and makes
 * the exit status 1. Targets never change the exit status: nothing here
 * is a timed test. Documentation/virt/vireo/benchmarks.rst is the manual.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vireoctl.h"
#include "bench/bench.h"
#include "bench/json.h"
#include "bench/payload.h"

#define DEFAULT_ROUNDS		5
#define DEFAULT_ITERATIONS	1000
#define SHORT_ROUNDS		2
#define SHORT_ITERATIONS	16

static const struct bench_suite *const suites[] = {
	&bench_micro_suite,
};

static const struct bench_hv *const hvs[] = {
	&bench_vireo,
	&bench_kvm,
};

static const char clock_note[] =
	"Figures are guest TSC ticks. Under Bochs with \"clock: sync=none\" the TSC counts\n"
	"executed instructions: ticks measure software path length and repeat run to run.\n"
	"Wall time in an emulator is noise and is not reported. On hardware, ticks are\n"
	"TSC cycles.\n";

static void print_help(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: vireoctl bench [SUITE...] [OPTIONS]\n"
		"\n"
		"Runs vireo's benchmarks on this host and prints one table per suite.\n"
		"Needs vireo.ko (/dev/vireo) and, for KVM's column, kvm-intel.ko (/dev/kvm).\n"
		"\n"
		"suites (default: all):\n");
	for (i = 0; i < ARRAY_SIZE(suites); i++)
		fprintf(out, "  %-8s %s\n", suites[i]->name, suites[i]->help);
	fprintf(out,
		"\n"
		"  -r, --rounds N       rounds, a fresh VM each (default %d; --short: %d)\n"
		"  -i, --iterations N   iterations per operation and round, 1 to %d\n"
		"                       (default %d; --short: %d)\n"
		"      --hv LIST        hypervisors to measure: vireo,kvm (default both)\n"
		"      --short          a quick run that proves the suite works (CI)\n"
		"      --json[=FILE]    JSON on stdout instead of the tables; with FILE,\n"
		"                       the tables on stdout and the JSON in FILE\n"
		"  -h, --help           show this help\n",
		DEFAULT_ROUNDS, SHORT_ROUNDS, BENCH_MAX_ITER, DEFAULT_ITERATIONS,
		SHORT_ITERATIONS);
}

static int parse_uint(const char *s, const char *what, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > max) {
		vireoctl_err("bench: %s must be a number from 1 to %u, not '%s'", what, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_hvs(const char *list, struct bench_opts *o)
{
	char *copy = strdup(list), *tok, *save = NULL;
	size_t i;
	int r = 0;

	if (!copy)
		return -1;
	o->nr_hvs = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !r; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(hvs); i++)
			if (!strcmp(tok, hvs[i]->name))
				break;
		if (i == ARRAY_SIZE(hvs)) {
			vireoctl_err("bench: unknown hypervisor '%s' (vireo, kvm)", tok);
			r = -1;
		} else if (o->nr_hvs == ARRAY_SIZE(o->hvs) ||
			   (o->nr_hvs && o->hvs[0] == hvs[i])) {
			vireoctl_err("bench: --hv names a hypervisor twice");
			r = -1;
		} else {
			o->hvs[o->nr_hvs++] = hvs[i];
		}
	}
	free(copy);
	if (!r && !o->nr_hvs) {
		vireoctl_err("bench: --hv needs at least one hypervisor");
		r = -1;
	}
	return r;
}

static void print_header(const struct bench_host *h, FILE *out)
{
	fprintf(out, "vireoctl bench on %s, %ld CPU%s, %s\n%s", h->kernel, h->cpus,
		h->cpus == 1 ? "" : "s", h->cpu, clock_note);
}

static void write_json(const struct bench_host *h, const struct bench_suite **sel,
		       void **res, size_t n, FILE *out)
{
	struct json j;
	size_t i;

	json_init(&j, out);
	json_obj_begin(&j, NULL);
	json_str(&j, "tool", "vireoctl bench");
	json_obj_begin(&j, "host");
	json_str(&j, "kernel", h->kernel);
	json_str(&j, "cpu", h->cpu);
	json_u64(&j, "cpus", h->cpus);
	json_obj_end(&j);
	json_str(&j, "clock", clock_note);
	json_arr_begin(&j, "suites");
	for (i = 0; i < n; i++)
		sel[i]->json(res[i], &j);
	json_arr_end(&j);
	json_obj_end(&j);
}

/* Select the suites named on the command line, all of them without names. */
static int select_suites(int argc, char **argv, const struct bench_suite **sel, size_t *n)
{
	size_t i;
	int a;

	*n = 0;
	if (optind == argc) {
		for (i = 0; i < ARRAY_SIZE(suites); i++)
			sel[(*n)++] = suites[i];
		return 0;
	}
	for (a = optind; a < argc; a++) {
		for (i = 0; i < ARRAY_SIZE(suites); i++)
			if (!strcmp(argv[a], suites[i]->name))
				break;
		if (i == ARRAY_SIZE(suites)) {
			vireoctl_err("bench: unknown suite '%s'; try 'vireoctl bench --help'",
				     argv[a]);
			return -1;
		}
		if (*n == ARRAY_SIZE(suites)) {
			vireoctl_err("bench: a suite is named twice");
			return -1;
		}
		sel[(*n)++] = suites[i];
	}
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "iterations", required_argument, NULL, 'i' },
		{ "hv", required_argument, NULL, 'H' },
		{ "short", no_argument, NULL, 's' },
		{ "json", optional_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct bench_suite *sel[ARRAY_SIZE(suites)];
	void *res[ARRAY_SIZE(suites)];
	struct bench_opts o = { .hvs = { &bench_vireo, &bench_kvm }, .nr_hvs = 2 };
	unsigned int rounds = 0, iterations = 0;
	const char *json_path = NULL;
	bool json = false, ok = true;
	struct bench_host host;
	FILE *jf = NULL;
	size_t n, i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_uint(optarg, "--rounds", 1000, &rounds))
				return EXIT_USAGE;
			break;
		case 'i':
			if (parse_uint(optarg, "--iterations", BENCH_MAX_ITER, &iterations))
				return EXIT_USAGE;
			break;
		case 'H':
			if (parse_hvs(optarg, &o))
				return EXIT_USAGE;
			break;
		case 's':
			o.short_mode = true;
			break;
		case 'j':
			json = true;
			json_path = optarg;
			break;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		default:
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (select_suites(argc, argv, sel, &n))
		return EXIT_USAGE;
	o.rounds = rounds ? rounds : o.short_mode ? SHORT_ROUNDS : DEFAULT_ROUNDS;
	o.iterations = iterations ? iterations :
		       o.short_mode ? SHORT_ITERATIONS : DEFAULT_ITERATIONS;
	if (json_path) {
		jf = fopen(json_path, "w");
		if (!jf) {
			vireoctl_err("bench: cannot write %s: %s", json_path, strerror(errno));
			return EXIT_ERROR;
		}
	}

	bench_host(&host);
	if (!json || jf) {
		print_header(&host, stdout);
		fflush(stdout);
	}
	for (i = 0; i < n; i++) {
		res[i] = sel[i]->run(&o);
		if (!res[i]) {
			vireoctl_err("bench: out of memory");
			n = i;
			ok = false;
			break;
		}
		ok &= sel[i]->ok(res[i]);
		if (!json || jf) {
			fputc('\n', stdout);
			sel[i]->print(res[i], stdout);
			fflush(stdout);
		}
	}
	if (json)
		write_json(&host, sel, res, n, jf ? jf : stdout);
	if (jf && fclose(jf)) {
		vireoctl_err("bench: cannot write %s: %s", json_path, strerror(errno));
		ok = false;
	}
	for (i = 0; i < n; i++)
		sel[i]->free(res[i]);
	if (!ok)
		vireoctl_err("bench: some figures are missing: see the notes under the table");
	return ok ? EXIT_OK : EXIT_ERROR;
}
