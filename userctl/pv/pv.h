/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Paravirtualization in vireoctl run: the features --pv offers, the ISA
 * IRQs of the pv devices, and the dispatch of the hypercalls vireo.ko
 * routes to vireoctl (VIREO_SET_USER_RANGE of 0x08-0x17: the console and
 * block numbers) to their backends, console.c and block.c.
 *
 * vireo.ko has checked, before a hypercall reaches vireoctl, that the
 * guest called it from CPL 0 and negotiated its feature; the backends
 * check everything else. The guest ABI is uapi/linux/vireo_para.h and
 * Documentation/virt/vireo/hypercalls.rst.
 */
#ifndef PV_PV_H
#define PV_PV_H

#include <stdio.h>
#include <linux/vireo_para.h>

#include "block.h"
#include "console.h"

/*
 * The pv devices' ISA IRQs (CPUID 0x40000002): inputs of the 8259 pair
 * that nothing on vireoctl's PC drives. The block IRQ sits on the master,
 * where an interrupt costs Linux's 8259 code one EOI write less than on
 * the slave; console input is rare.
 */
#define PV_IRQ_BLOCK		5
#define PV_IRQ_CONSOLE		10

/* The hypercall numbers vireoctl serves: console 0x08-0x0f, block 0x10-0x17. */
#define PV_HC_FIRST		VIREO_HC_CONSOLE_WRITE
#define PV_HC_COUNT		16

/* Every feature vireoctl knows; "--pv all" offers those the host's vireo has. */
#define PV_FEATURES_ALL		(VIREO_PV_F_CONSOLE | VIREO_PV_F_BLOCK | VIREO_PV_F_CLOCK | \
				 VIREO_PV_F_SYSTEM | VIREO_PV_F_IDLE)

struct pv {
	u32 offered;			/* [init] CPUID 0x40000001 EAX */
	struct pv_console console;	/* [init] */
	struct pv_block block;		/* [init] */
	u64 unknown;			/* [atomic] calls of unserved numbers */
};

/*
 * Parses --pv: "none", "all" (*@all set, *@features PV_FEATURES_ALL) or a
 * comma-separated list of console, block, clock, system, idle. Returns 0,
 * or -1 with a sentence in @why.
 */
int pv_parse(const char *spec, u32 *features, bool *all, char *why, size_t why_len);

/* "console,block,...", or "none": the names of @features. */
void pv_format(u32 features, char *buf, size_t len);

/* CPUID 0x40000002 EAX for @offered: the IRQs of the devices offered. */
u32 pv_platform(u32 offered);

/* Routes the console and block hypercalls of @vm_fd to vireoctl. Returns 0 or -errno. */
int pv_route(int vm_fd);

/* A routed hypercall: the result for the guest's RAX. */
s64 pv_hypercall(struct pv *pv, u64 nr, const u64 *args);

void pv_print_state(struct pv *pv, FILE *out);

#endif
