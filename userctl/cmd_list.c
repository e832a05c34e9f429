// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl list and show: the VMs of this network namespace (vm-get).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vireo_netlink.h>

#include "mgmt.h"
#include "vireoctl.h"

struct vm_list {
	struct vm_info *vms;
	size_t n, room;
};

static int list_one(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct vm_list *l = arg;
	struct vm_info *grown;

	if (vnl_cmd(nlh) != VIREO_CMD_VM_GET)
		return 0;
	if (l->n == l->room) {
		l->room = l->room ? 2 * l->room : 16;
		grown = realloc(l->vms, l->room * sizeof(*l->vms));
		if (!grown)
			return -ENOMEM;
		l->vms = grown;
	}
	vm_info_parse(tb, &l->vms[l->n++]);
	return 0;
}

static void owner(char *buf, size_t size, const struct vm_info *vm)
{
	if (vm->has_pid)
		snprintf(buf, size, "%u/%u", vm->pid, vm->uid);
	else
		snprintf(buf, size, "-/%u", vm->uid);
}

static void print_table(const struct vm_list *l)
{
	char mem[16], up[16], own[32], state[48];
	size_t i;

	printf("%-5s %-20s %-24s %5s %7s %-8s %-14s %-15s\n", "ID", "NAME", "STATE",
	       "VCPUS", "MEMORY", "UPTIME", "OWNER/UID", "PV");
	for (i = 0; i < l->n; i++) {
		const struct vm_info *vm = &l->vms[i];
		char pv[64];

		fmt_bytes(mem, sizeof(mem), vm->mem_bytes);
		fmt_duration(up, sizeof(up), vm->uptime_ns);
		owner(own, sizeof(own), vm);
		fmt_pv(pv, sizeof(pv), vm->pv_enabled);
		if (vm->reason != VIREO_VM_REASON_NONE)
			snprintf(state, sizeof(state), "%s (%s)", vm_state_name(vm->state),
				 vm_reason_name(vm->reason));
		else
			snprintf(state, sizeof(state), "%s", vm_state_name(vm->state));
		printf("%-5u %-20s %-24s %5u %7s %-8s %-14s %-15s\n", vm->id,
		       vm->name[0] ? vm->name : "-", state, vm->nr_vcpus, mem, up, own, pv);
	}
}

static void print_json(const struct vm_list *l)
{
	size_t i;

	putchar('[');
	for (i = 0; i < l->n; i++) {
		fputs(i ? ",{" : "{", stdout);
		vm_info_json(stdout, &l->vms[i], true);
		putchar('}');
	}
	puts("]");
}

/* vm-get as a dump (@vm NULL) or for one VM into @l. Returns an exit code. */
static int get_vms(const char *vm, struct vm_list *l)
{
	struct vnl_err err;
	struct nl_msg *msg;
	struct vnl v;
	char what[64];

	if (vnl_open(&v))
		return EXIT_ERROR;
	msg = vnl_msg(&v, VIREO_CMD_VM_GET, vm ? 0 : NLM_F_DUMP);
	if (!msg || (vm && mgmt_put_vm(msg, vm, VIREO_A_VM_ID, VIREO_A_VM_NAME))) {
		nlmsg_free(msg);
		vnl_close(&v);
		return EXIT_ERROR;
	}
	vnl_request(&v, msg, VIREO_A_VM_MAX, list_one, l, &err);
	vnl_close(&v);
	if (err.error) {
		snprintf(what, sizeof(what), vm ? "VM %s" : "listing VMs", vm);
		vnl_report(what, &err);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	struct vm_list l = { 0 };
	struct mgmt_opts o;
	int r;

	r = mgmt_args(argc, argv, OPT_JSON, &o);
	if (r)
		return r;
	r = get_vms(NULL, &l);
	if (r == EXIT_OK) {
		if (o.json)
			print_json(&l);
		else
			print_table(&l);
	}
	free(l.vms);
	return r;
}

static void print_vm(const struct vm_info *vm)
{
	char buf[64];

	printf("%-14s %u\n", "id", vm->id);
	printf("%-14s %s\n", "name", vm->name[0] ? vm->name : "-");
	printf("%-14s %s\n", "state", vm_state_name(vm->state));
	printf("%-14s %s\n", "reason", vm_reason_name(vm->reason));
	if (vm->reason_text[0])
		printf("%-14s %s\n", "reason-text", vm->reason_text);
	if (vm->has_pid)
		printf("%-14s %u\n", "owner-pid", vm->pid);
	else
		printf("%-14s - (exited or not visible)\n", "owner-pid");
	printf("%-14s %u\n", "owner-uid", vm->uid);
	printf("%-14s %u\n", "vcpus", vm->nr_vcpus);
	fmt_bytes(buf, sizeof(buf), vm->mem_bytes);
	printf("%-14s %s (%llu bytes)\n", "memory", buf, vm->mem_bytes);
	fmt_pv(buf, sizeof(buf), vm->pv_offered);
	printf("%-14s %s\n", "pv-offered", buf);
	fmt_pv(buf, sizeof(buf), vm->pv_enabled);
	printf("%-14s %s\n", "pv-enabled", buf);
	fmt_duration(buf, sizeof(buf), vm->uptime_ns);
	printf("%-14s %s\n", "uptime", buf);
}

int cmd_show(int argc, char **argv)
{
	struct vm_list l = { 0 };
	struct mgmt_opts o;
	int r;

	r = mgmt_args(argc, argv, OPT_VM | OPT_JSON, &o);
	if (r)
		return r;
	r = get_vms(o.vm, &l);
	if (r == EXIT_OK && l.n == 1) {
		if (o.json) {
			putchar('{');
			vm_info_json(stdout, &l.vms[0], true);
			puts("}");
		} else {
			print_vm(&l.vms[0]);
		}
	} else if (r == EXIT_OK) {
		vireoctl_err("VM %s: %zu replies to one request", o.vm, l.n);
		r = EXIT_ERROR;
	}
	free(l.vms);
	return r;
}
