// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl monitor: print the family's events as they come (CAP_NET_ADMIN).
 *
 * One line per event, flushed at once, so that scripts can follow the
 * output of a pipe: "vm-created id=3 name=web state=created reason=none
 * uid=0", or one JSON object per line with --json. --count N exits after
 * N events; otherwise monitor runs until killed.
 */
#include <stdio.h>
#include <linux/vireo_netlink.h>

#include "mgmt.h"
#include "vireoctl.h"

struct monitor {
	bool json;
	long left;		/* events before exiting; -1: forever */
};

static const char *event_name(u8 cmd)
{
	switch (cmd) {
	case VIREO_CMD_VM_CREATED:
		return "vm-created";
	case VIREO_CMD_VM_DESTROYED:
		return "vm-destroyed";
	case VIREO_CMD_VM_STATE_CHANGED:
		return "vm-state-changed";
	default:
		return NULL;
	}
}

static int print_event(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	const char *name = event_name(vnl_cmd(nlh));
	struct monitor *m = arg;
	struct vm_info vm;

	if (!name)
		return 0;
	vm_info_parse(tb, &vm);
	if (m->json) {
		printf("{\"event\":\"%s\",", name);
		vm_info_json(stdout, &vm, false);
		puts("}");
	} else {
		printf("%s id=%u name=%s state=%s reason=%s uid=%u", name, vm.id,
		       vm.name[0] ? vm.name : "-", vm_state_name(vm.state),
		       vm_reason_name(vm.reason), vm.uid);
		if (vm.reason_text[0]) {
			fputs(" text=", stdout);
			json_string(stdout, vm.reason_text);
		}
		putchar('\n');
	}
	fflush(stdout);
	if (m->left > 0 && --m->left == 0)
		return VNL_STOP;
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct mgmt_opts o;
	struct monitor m;
	struct vnl v;
	int r;

	r = mgmt_args(argc, argv, OPT_JSON | OPT_COUNT, &o);
	if (r)
		return r;
	m.json = o.json;
	m.left = o.count;
	if (vnl_open(&v))
		return EXIT_ERROR;
	r = EXIT_ERROR;
	if (vnl_subscribe(&v, VIREO_MCGRP_EVENTS))
		goto out;
	/* Tell a script that events from now on will be seen. */
	fprintf(stderr, "vireoctl: monitoring events\n");
	if (!vnl_listen(&v, VIREO_A_VM_MAX, print_event, &m))
		r = EXIT_OK;
out:
	vnl_close(&v);
	return r;
}
