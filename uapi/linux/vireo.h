/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vireo: the ioctl ABI of /dev/vireo.
 *
 * Three levels of file descriptors, as in KVM: the system fd (open of
 * /dev/vireo), a VM fd (VIREO_CREATE_VM) and, later, vCPU fds. Feature
 * discovery goes through VIREO_CHECK_CAP, never through version checks.
 *
 * Rules for this file: fixed-width types only, explicit padding, reserved
 * fields must be zero (-EINVAL otherwise), ioctl and capability numbers are
 * never reused or renumbered. Struct sizes are pinned by static asserts in
 * kmod/ and in selftests/native/.
 *
 * Documentation/virt/vireo/api.rst describes every ioctl and its errors.
 */
#ifndef _UAPI_LINUX_VIREO_H
#define _UAPI_LINUX_VIREO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* VIREO_GET_API_VERSION returns this; it changes only on a break. */
#define VIREO_API_VERSION	1

/* ioctl magic; unused by mainline (ioctl-number.rst). */
#define VIREO_IO		0xBE

/* Length of a VM name, including the terminating NUL. */
#define VIREO_VM_NAME_LEN	32

/**
 * struct vireo_vm_create - argument of VIREO_CREATE_VM
 * @flags: must be 0.
 * @id: out: the VM's id, unique among the VMs alive in this host.
 * @name: in: optional name, NUL-terminated, 1 to 31 characters from
 *        [A-Za-z0-9._-], unique among live VMs; all zero for no name.
 *        Bytes after the terminating NUL must be zero.
 * @reserved: must be zero.
 */
struct vireo_vm_create {
	__u32 flags;
	__u32 id;
	char name[VIREO_VM_NAME_LEN];
	__u64 reserved[4];
};

/* ioctls on the system fd (/dev/vireo) */
#define VIREO_GET_API_VERSION	_IO(VIREO_IO, 0x00)
#define VIREO_CHECK_CAP		_IO(VIREO_IO, 0x01)
#define VIREO_CREATE_VM		_IOWR(VIREO_IO, 0x02, struct vireo_vm_create)

/*
 * Capabilities, the argument of VIREO_CHECK_CAP. The ioctl returns the
 * capability's value, and 0 for a capability it does not know.
 */
/* Maximum number of VMs alive at once. */
#define VIREO_CAP_MAX_VMS		1
/* EPT large pages the host supports: a mask of the bits below. */
#define VIREO_CAP_EPT_LARGE_PAGES	2
#define  VIREO_EPT_LARGE_PAGE_2M	0x1
#define  VIREO_EPT_LARGE_PAGE_1G	0x2
/* VMX preemption timer: 0 if absent, else 1 + its TSC shift. */
#define VIREO_CAP_PREEMPTION_TIMER	3

#endif /* _UAPI_LINUX_VIREO_H */
