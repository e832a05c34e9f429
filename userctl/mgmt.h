/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl: what the management commands (list, show, stats, pause,
 * resume, destroy, monitor) share: their options, how a VM is named on the
 * command line, the VM attributes and how they print.
 */
#ifndef VIREOCTL_MGMT_H
#define VIREOCTL_MGMT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/vireo.h>

#include "nl.h"
#include "vireoctl.h"

/* Options a command accepts (mgmt_args()). */
#define OPT_VM		BIT(0)	/* one positional VM argument */
#define OPT_JSON	BIT(1)	/* --json */
#define OPT_VCPU	BIT(2)	/* --vcpu N */
#define OPT_COUNT	BIT(3)	/* --count N */

struct mgmt_opts {
	const char *vm;		/* the VM argument: an id or a name */
	bool json;
	long vcpu;		/* -1: not given */
	long count;		/* -1: not given */
};

int mgmt_args(int argc, char **argv, unsigned int allowed, struct mgmt_opts *o);
int mgmt_put_vm(struct nl_msg *msg, const char *vm, int id_attr, int name_attr);

/* A VM as vm-get and the events describe it; absent fields are zero. */
struct vm_info {
	u32 id;
	char name[VIREO_VM_NAME_LEN];
	bool has_pid;
	u32 pid;
	bool has_uid;
	u32 uid;
	u32 state;
	u32 reason;
	char reason_text[VIREO_INTERNAL_REASON_LEN];
	u32 nr_vcpus;
	u64 mem_bytes;
	u32 pv_offered;
	u32 pv_enabled;
	u64 uptime_ns;
};

void vm_info_parse(struct nlattr **tb, struct vm_info *vm);
const char *vm_state_name(u32 state);
const char *vm_reason_name(u32 reason);
void fmt_pv(char *buf, size_t size, u32 features);
void fmt_duration(char *buf, size_t size, u64 ns);
void fmt_bytes(char *buf, size_t size, u64 bytes);
void json_string(FILE *f, const char *s);
void vm_info_json(FILE *f, const struct vm_info *vm, bool full);

#endif
