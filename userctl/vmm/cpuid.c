// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-vCPU CPUID (see cpuid.h; leaf layouts from the Intel SDM vol. 2A,
 * CPUID).
 */
#include <errno.h>
#include <string.h>

#include "cpuid.h"

#define LEAF1_ECX_MONITOR	BIT(3)
#define LEAF1_ECX_HYPERVISOR	BIT(31)
#define LEAF1_EDX_HTT		BIT(28)
#define LEAF6_EAX_ARAT		BIT(2)
#define LEVEL_SMT		1
#define LEVEL_CORE		2

struct vireo_cpuid_entry *cpuid_find(struct cpuid_table *t, u32 function, u32 index)
{
	u32 i;

	for (i = 0; i < t->nent; i++)
		if (t->e[i].function == function &&
		    (!(t->e[i].flags & VIREO_CPUID_INDEXED) || t->e[i].index == index))
			return &t->e[i];
	return NULL;
}

static struct vireo_cpuid_entry *add(struct cpuid_table *t, u32 function, u32 index,
				     bool indexed)
{
	struct vireo_cpuid_entry *e = cpuid_find(t, function, index);

	if (e)
		return e;
	if (t->nent == VIREO_MAX_CPUID_ENTRIES)
		return NULL;
	e = &t->e[t->nent++];
	memset(e, 0, sizeof(*e));
	e->function = function;
	e->index = indexed ? index : 0;
	e->flags = indexed ? VIREO_CPUID_INDEXED : 0;
	return e;
}

static void remove_leaf(struct cpuid_table *t, u32 function)
{
	u32 i = 0;

	while (i < t->nent) {
		if (t->e[i].function == function)
			t->e[i] = t->e[--t->nent];
		else
			i++;
	}
}

static unsigned int order(int n)
{
	unsigned int bits = 0;

	while ((1 << bits) < n)
		bits++;
	return bits;
}

/* Leaf 0xB: one thread per core, @n cores per package; x2APIC id = @id. */
static int topology(struct cpuid_table *t, int id, int n)
{
	struct vireo_cpuid_entry *level[3];
	int i;

	remove_leaf(t, 0xb);
	for (i = 0; i < 3; i++) {
		level[i] = add(t, 0xb, i, true);
		if (!level[i])
			return -E2BIG;
		level[i]->ecx = i;	/* subleaf 2: level type 0, the end */
		level[i]->edx = id;
	}
	level[0]->ebx = 1;
	level[0]->ecx |= LEVEL_SMT << 8;
	level[1]->eax = order(n);
	level[1]->ebx = n;
	level[1]->ecx |= LEVEL_CORE << 8;
	return 0;
}

/* Leaf 4: @n cores share the package and its last-level cache; one thread each. */
static void cache_topology(struct cpuid_table *t, int n)
{
	struct vireo_cpuid_entry *e;
	u32 i, level;

	for (i = 0; i < t->nent; i++) {
		e = &t->e[i];
		if (e->function != 4 || !(e->eax & 0x1f))
			continue;
		level = e->eax >> 5 & 7;
		e->eax &= 0x000003ff;
		e->eax |= (u32)(n - 1) << 26;
		if (level >= 3)
			e->eax |= (u32)(n - 1) << 14;
	}
}

/*
 * Leaf 0x15 says TSC = crystal * EBX / EAX with the crystal in ECX (Hz);
 * Linux then skips its PIT calibration. A crystal of tsc/n Hz with the
 * smallest n that fits 32 bits keeps the error under n kHz.
 */
static int tsc_leaves(struct cpuid_table *t, u32 tsc_khz)
{
	struct vireo_cpuid_entry *e15, *e16;
	u64 hz = (u64)tsc_khz * 1000;
	u32 n = 1;

	while (hz / n > 0xffffffffULL)
		n++;
	e15 = add(t, 0x15, 0, false);
	e16 = add(t, 0x16, 0, false);
	if (!e15 || !e16)
		return -E2BIG;
	e15->eax = 1;
	e15->ebx = n;
	e15->ecx = hz / n;
	e15->edx = 0;
	e16->eax = tsc_khz / 1000;		/* base MHz */
	e16->ebx = tsc_khz / 1000;		/* max MHz */
	e16->ecx = 100;				/* bus MHz */
	e16->edx = 0;
	return 0;
}

int cpuid_for_vcpu(const struct cpuid_table *base, struct cpuid_table *out, int id,
		   int nr_vcpus, u32 tsc_khz)
{
	struct vireo_cpuid_entry *e;
	u32 max_leaf;

	*out = *base;
	e = cpuid_find(out, 0, 0);
	if (!e)
		return -EINVAL;
	max_leaf = e->eax;

	e = cpuid_find(out, 1, 0);
	if (e) {
		e->ebx = (e->ebx & 0x0000ffff) | (u32)id << 24 | (u32)(nr_vcpus & 0xff) << 16;
		e->ecx &= ~(LEAF1_ECX_MONITOR | LEAF1_ECX_HYPERVISOR);
		if (nr_vcpus > 1)
			e->edx |= LEAF1_EDX_HTT;
		else
			e->edx &= ~LEAF1_EDX_HTT;
	}
	remove_leaf(out, 5);			/* MONITOR/MWAIT parameters */
	cache_topology(out, nr_vcpus);
	e = cpuid_find(out, 6, 0);
	if (e)
		e->eax |= LEAF6_EAX_ARAT;
	if (max_leaf >= 0xb && topology(out, id, nr_vcpus))
		return -E2BIG;
	if (tsc_khz) {
		if (tsc_leaves(out, tsc_khz))
			return -E2BIG;
		if (max_leaf < 0x16)
			max_leaf = 0x16;
	}
	cpuid_find(out, 0, 0)->eax = max_leaf;
	return 0;
}
