// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: samples and their summary (min, median, max).
 *
 * Every timed iteration is kept, not only a running minimum: the report
 * gives the minimum (the path with nothing in the way) and the median
 * (what a typical iteration costs, robust against the odd host timer
 * interrupt that lands inside a window).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int bench_samples_add(struct bench_samples *s, u64 v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		u64 *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

void bench_summarize(const struct bench_samples *s, struct bench_summary *out)
{
	u64 *sorted;

	memset(out, 0, sizeof(*out));
	if (!s->n)
		return;
	sorted = malloc(s->n * sizeof(*sorted));
	if (!sorted)
		return;
	memcpy(sorted, s->v, s->n * sizeof(*sorted));
	qsort(sorted, s->n, sizeof(*sorted), cmp_u64);
	out->n = s->n;
	out->min = sorted[0];
	out->max = sorted[s->n - 1];
	if (s->n % 2)
		out->median = sorted[s->n / 2];
	else
		out->median = (sorted[s->n / 2 - 1] + (double)sorted[s->n / 2]) / 2;
	free(sorted);
}
