// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: module load and unload.
 *
 * Load checks that the CPU can run vireo (caps.c), prepares every CPU for
 * VMX without entering it (vmx_root.c), and registers the user-visible
 * entry points last, once everything behind them works: the netlink family
 * (netlink.c), then /dev/vireo, so that every VM finds the family that
 * announces it. Unload is the same path backwards: the device goes first,
 * then the family, so no new user can arrive while the rest is torn down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "caps.h"
#include "cpuid.h"
#include "debugfs.h"
#include "dev.h"
#include "fpu.h"
#include "msr.h"
#include "netlink.h"
#include "run.h"
#include "vmcs.h"
#include "vmx_root.h"

#ifndef CONFIG_X86_64
#error "vireo runs on x86-64 hosts only"
#endif

static int __init vireo_init(void)
{
	int r;

	r = vireo_caps_init();
	if (r)
		return r;
	r = vireo_cpuid_init();
	if (r) {
		pr_err("the host's TSC frequency is unknown; vireo needs it\n");
		return r;
	}
	vireo_run_init();
	vireo_msrs_init();
	vireo_fpu_init();

	r = vireo_vmcs_init();
	if (r)
		return r;
	r = vireo_vmx_root_init();
	if (r)
		goto exit_vmcs;

	vireo_debugfs_init();

	r = vireo_netlink_register();
	if (r)
		goto exit_debugfs;

	r = vireo_dev_register();
	if (r)
		goto unregister_netlink;

	pr_info("ready: VMX with EPT, VPID and unrestricted guest on %u CPUs; /dev/vireo\n",
		num_online_cpus());
	return 0;

unregister_netlink:
	vireo_netlink_unregister();
exit_debugfs:
	vireo_debugfs_exit();
	vireo_vmx_root_exit();
exit_vmcs:
	vireo_vmcs_exit();
	return r;
}

static void __exit vireo_exit(void)
{
	vireo_dev_unregister();
	vireo_netlink_unregister();
	vireo_debugfs_exit();
	vireo_vmx_root_exit();
	vireo_vmcs_exit();
}

module_init(vireo_init);
module_exit(vireo_exit);

MODULE_DESCRIPTION("vireo: a type-2 hypervisor on Intel VMX");
MODULE_AUTHOR("The vireo developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
