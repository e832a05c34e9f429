// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: /sys/kernel/debug/vireo, the module's own accounting.
 *
 *   caps  the VMX capability MSRs read at load (name and raw value)
 *   vmx   VMX root operation per CPU: online, in VMX, VMXONs, VMXOFFs and
 *         the errno of the last failure, after a line "users N"
 *
 * Debugfs is for people and tests, not an ABI: scripts use the ioctls or
 * the netlink family. Failure to create these files is not an error.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "caps.h"
#include "debugfs.h"
#include "vmx_root.h"

static struct dentry *vireo_debugfs_dir;

static int caps_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < VIREO_NR_MSRS; i++)
		seq_printf(m, "%-28s %#018llx\n", vireo_caps_msr_name(i),
			   vireo_caps.msr[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(caps);

static int vmx_show(struct seq_file *m, void *unused)
{
	vireo_vmx_root_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmx);

/**
 * vireo_debugfs_init() - create /sys/kernel/debug/vireo and its files
 */
void vireo_debugfs_init(void)
{
	vireo_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("caps", 0400, vireo_debugfs_dir, NULL, &caps_fops);
	debugfs_create_file("vmx", 0400, vireo_debugfs_dir, NULL, &vmx_fops);
}

/**
 * vireo_debugfs_exit() - remove /sys/kernel/debug/vireo
 */
void vireo_debugfs_exit(void)
{
	debugfs_remove_recursive(vireo_debugfs_dir);
}
