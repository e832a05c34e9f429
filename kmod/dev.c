// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: /dev/vireo, the system file descriptor and its ioctls.
 *
 * The device node is 0600 root:root by default; a udev rule grants it to a
 * group (Documentation/virt/vireo/api.rst). Opening it gives no power by
 * itself: everything happens through the ioctls below.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/stddef.h>
#include <linux/vireo.h>
#include <asm/tsc.h>

#include "caps.h"
#include "cpuid.h"
#include "dev.h"
#include "memslot.h"
#include "msr.h"
#include "vm.h"

/* The ABI is fixed: a size change here is a break, not a fix. */
static_assert(sizeof(struct vireo_vm_create) == 72);
static_assert(offsetof(struct vireo_vm_create, name) == 8);
static_assert(offsetof(struct vireo_vm_create, reserved) == 40);
static_assert(sizeof(struct vireo_memory_region) == 48);
static_assert(sizeof(struct vireo_dirty_log) == 32);
static_assert(sizeof(struct vireo_user_range) == 32);
static_assert(sizeof(struct vireo_stats) == 8 * (80 + 32 + 64 + 4 + 12));
static_assert(sizeof(struct vireo_regs) == 18 * 8);
static_assert(sizeof(struct vireo_segment) == 24);
static_assert(sizeof(struct vireo_dtable) == 16);
static_assert(sizeof(struct vireo_sregs) == 8 * 24 + 2 * 16 + 7 * 8 + 4 * 8);
static_assert(sizeof(struct vireo_msr_entry) == 16);
static_assert(sizeof(struct vireo_msrs) == 8);
static_assert(sizeof(struct vireo_msr_list) == 4);
static_assert(sizeof(struct vireo_cpuid_entry) == 40);
static_assert(sizeof(struct vireo_cpuid) == 8);
static_assert(sizeof(struct vireo_interrupt) == 8);
static_assert(sizeof(struct vireo_mp_state) == 8);
static_assert(offsetof(struct vireo_run, io) == 48);
static_assert(sizeof(struct vireo_run) == 48 + 256);
static_assert(sizeof(struct vireo_run) <= VIREO_RUN_DATA_OFFSET);

/**
 * vireo_check_cap() - VIREO_CHECK_CAP: the value of a capability
 * @cap: a VIREO_CAP_* number.
 *
 * Also what the netlink family's caps-get reports, so both agree.
 *
 * Return: the capability's value, 0 for one vireo does not know.
 */
long vireo_check_cap(unsigned long cap)
{
	switch (cap) {
	case VIREO_CAP_MAX_VMS:
		return VIREO_MAX_VMS;
	case VIREO_CAP_EPT_LARGE_PAGES:
		return (vireo_caps_has_ept_2m() ? VIREO_EPT_LARGE_PAGE_2M : 0) |
		       (vireo_caps_has_ept_1g() ? VIREO_EPT_LARGE_PAGE_1G : 0);
	case VIREO_CAP_PREEMPTION_TIMER:
		return vireo_caps_preemption_timer() + 1;
	case VIREO_CAP_MAX_VCPUS:
		return VIREO_MAX_VCPUS;
	case VIREO_CAP_MAX_MEMSLOTS:
		return VIREO_MAX_MEMSLOTS;
	case VIREO_CAP_RUN_SIZE:
		return VIREO_RUN_SIZE;
	case VIREO_CAP_TSC_KHZ:
		return tsc_khz;
	case VIREO_CAP_PV_FEATURES:
		return vireo_pv_supported();
	case VIREO_CAP_GUEST_PHYS_BITS:
		return vireo_guest_phys_bits();
	default:
		return 0;
	}
}

static long vireo_dev_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	switch (cmd) {
	case VIREO_GET_API_VERSION:
		return arg ? -EINVAL : VIREO_API_VERSION;
	case VIREO_CHECK_CAP:
		return vireo_check_cap(arg);
	case VIREO_CREATE_VM:
		return vireo_vm_create((struct vireo_vm_create __user *)arg);
	case VIREO_GET_MSR_LIST:
		return vireo_msr_get_list((struct vireo_msr_list __user *)arg);
	case VIREO_GET_SUPPORTED_CPUID:
		return vireo_cpuid_get_supported((struct vireo_cpuid __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vireo_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vireo_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vireo_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vireo",
	.fops	= &vireo_dev_fops,
	.mode	= 0600,
};

/**
 * vireo_dev_register() - create /dev/vireo
 *
 * Return: 0 or the error of misc_register().
 */
int vireo_dev_register(void)
{
	return misc_register(&vireo_miscdev);
}

/**
 * vireo_dev_unregister() - remove /dev/vireo
 *
 * Open files keep the module, so no ioctl can be running on them.
 */
void vireo_dev_unregister(void)
{
	misc_deregister(&vireo_miscdev);
}
