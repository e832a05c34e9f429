// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl pause, resume and destroy: change a VM's state (CAP_NET_ADMIN).
 */
#include <stdio.h>
#include <linux/vireo_netlink.h>

#include "mgmt.h"
#include "vireoctl.h"

static int vm_action(int argc, char **argv, u8 cmd, const char *done)
{
	struct vnl_err err;
	struct mgmt_opts o;
	struct nl_msg *msg;
	char what[64];
	struct vnl v;
	int r;

	r = mgmt_args(argc, argv, OPT_VM, &o);
	if (r)
		return r;
	if (vnl_open(&v))
		return EXIT_ERROR;
	msg = vnl_msg(&v, cmd, 0);
	if (!msg || mgmt_put_vm(msg, o.vm, VIREO_A_VM_ID, VIREO_A_VM_NAME)) {
		nlmsg_free(msg);
		vnl_close(&v);
		return EXIT_ERROR;
	}
	vnl_request(&v, msg, VIREO_A_VM_MAX, NULL, NULL, &err);
	vnl_close(&v);
	if (err.error) {
		snprintf(what, sizeof(what), "%s %s", argv[0], o.vm);
		vnl_report(what, &err);
		return EXIT_ERROR;
	}
	printf("VM %s %s\n", o.vm, done);
	return EXIT_OK;
}

int cmd_pause(int argc, char **argv)
{
	return vm_action(argc, argv, VIREO_CMD_VM_PAUSE, "paused");
}

int cmd_resume(int argc, char **argv)
{
	return vm_action(argc, argv, VIREO_CMD_VM_RESUME, "resumed");
}

int cmd_destroy(int argc, char **argv)
{
	return vm_action(argc, argv, VIREO_CMD_VM_DESTROY, "destroyed");
}
