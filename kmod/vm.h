/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: virtual machines, the objects behind VM file descriptors.
 */
#ifndef VIREO_VM_H
#define VIREO_VM_H

#include <linux/types.h>
#include <linux/vireo.h>

/* The most VMs alive at once (VIREO_CAP_MAX_VMS). */
#define VIREO_MAX_VMS	64

/*
 * struct vireo_vm - one virtual machine
 *
 * Legend: (c) set at creation, constant afterwards.
 */
struct vireo_vm {
	u32 id;				/* (c) unique among live VMs, from 1 */
	char name[VIREO_VM_NAME_LEN];	/* (c) "" when unnamed */
};

long vireo_vm_create(struct vireo_vm_create __user *argp);
bool vireo_vm_name_valid(const char *name, size_t size);

#endif /* VIREO_VM_H */
