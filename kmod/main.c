// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: module load and unload.
 *
 * Load checks that the CPU can run vireo (caps.c), prepares every CPU for
 * VMX without entering it (vmx_root.c), and registers /dev/vireo last, once
 * everything behind it works. Unload is the same path backwards: the device
 * goes first, so no new user can arrive while the rest is torn down.
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

	r = vireo_dev_register();
	if (r)
		goto exit_debugfs;

	pr_info("ready: VMX with EPT, VPID and unrestricted guest on %u CPUs; /dev/vireo\n",
		num_online_cpus());
	return 0;

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
	vireo_debugfs_exit();
	vireo_vmx_root_exit();
	vireo_vmcs_exit();
}

module_init(vireo_init);
module_exit(vireo_exit);

MODULE_DESCRIPTION("vireo: a type-2 hypervisor on Intel VMX");
MODULE_AUTHOR("The vireo developers");
MODULE_LICENSE("GPL");
