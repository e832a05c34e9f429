// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID tables for vCPUs: vireo's supported CPUID, copies of it edited
 * per test, and the per-vCPU defaults (APIC ids) every VMM must fill in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vireo_para.h>

#include "vireo_util.h"
#include "x86.h"
#include "vm.h"

struct vireo_cpuid *cpuid_alloc(unsigned int nent)
{
	struct vireo_cpuid *c = calloc(1, sizeof(*c) +
				       nent * sizeof(c->entries[0]));

	TEST_ASSERT(c, "out of memory");
	return c;
}

const struct vireo_cpuid *supported_cpuid(void)
{
	static struct vireo_cpuid *c;
	int fd;

	if (c)
		return c;
	c = cpuid_alloc(VIREO_MAX_CPUID_ENTRIES);
	c->nent = VIREO_MAX_CPUID_ENTRIES;
	fd = vireo_open();
	TEST_ASSERT_OK(ioctl(fd, VIREO_GET_SUPPORTED_CPUID, c));
	close(fd);
	TEST_ASSERT(c->nent > 0 && c->nent <= VIREO_MAX_CPUID_ENTRIES,
		    "GET_SUPPORTED_CPUID gave %u entries", c->nent);
	return c;
}

/* A copy of @c with room for @room more entries. */
struct vireo_cpuid *cpuid_dup(const struct vireo_cpuid *c, unsigned int room)
{
	struct vireo_cpuid *d = cpuid_alloc(c->nent + room);

	memcpy(d, c, sizeof(*c) + c->nent * sizeof(c->entries[0]));
	return d;
}

struct vireo_cpuid_entry *cpuid_find(struct vireo_cpuid *c, u32 fn,
				     u32 index)
{
	unsigned int i;

	for (i = 0; i < c->nent; i++) {
		struct vireo_cpuid_entry *e = &c->entries[i];

		if (e->function == fn &&
		    (!(e->flags & VIREO_CPUID_INDEXED) || e->index == index))
			return e;
	}
	return NULL;
}

/* Append an entry; the table must have room (cpuid_dup()). */
struct vireo_cpuid_entry *cpuid_add(struct vireo_cpuid *c, u32 fn,
				    u32 index, u32 flags)
{
	struct vireo_cpuid_entry *e = &c->entries[c->nent++];

	memset(e, 0, sizeof(*e));
	e->function = fn;
	e->index = index;
	e->flags = flags;
	return e;
}

int __vcpu_set_cpuid(struct vcpu *vcpu, const struct vireo_cpuid *c)
{
	return ioctl(vcpu->fd, VIREO_SET_CPUID, c) ? -errno : 0;
}

void vcpu_set_cpuid(struct vcpu *vcpu, const struct vireo_cpuid *c)
{
	int r = __vcpu_set_cpuid(vcpu, c);

	TEST_ASSERT(!r, "VIREO_SET_CPUID (%u entries): %s", c->nent,
		    strerror(-r));
}

/*
 * A paravirtual table, as a VMM offering vireo's PV interface builds it:
 * the hypervisor bit and @features in leaf 0x40000001 EAX (the signature
 * leaf 0x40000000 is vireo's own). @c must have room for one more entry.
 */
void cpuid_set_pv(struct vireo_cpuid *c, u32 features)
{
	struct vireo_cpuid_entry *e = cpuid_find(c, 1, 0);

	TEST_ASSERT(e, "no CPUID leaf 1");
	e->ecx |= CPUID_1_ECX_HYPERVISOR;
	e = cpuid_find(c, VIREO_CPUID_FEATURES, 0);
	if (!e)
		e = cpuid_add(c, VIREO_CPUID_FEATURES, 0, 0);
	e->eax = features;
}

/* This vCPU's table (APIC id in leaves 1 and 0xB) with @features offered. */
void vcpu_set_pv_cpuid(struct vcpu *vcpu, u32 features)
{
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 1);

	cpuid_set_apic_id(c, vcpu->id);
	cpuid_set_pv(c, features);
	vcpu_set_cpuid(vcpu, c);
	free(c);
}

void cpuid_set_apic_id(struct vireo_cpuid *c, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < c->nent; i++) {
		struct vireo_cpuid_entry *e = &c->entries[i];

		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffff) | (id << 24);
		if (e->function == 0xb)
			e->edx = id;
	}
}

/* The supported CPUID with this vCPU's APIC id in leaves 1 and 0xB. */
void vcpu_set_default_cpuid(struct vcpu *vcpu)
{
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 0);

	cpuid_set_apic_id(c, vcpu->id);
	vcpu_set_cpuid(vcpu, c);
	free(c);
}
