// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: virtual machines and their file descriptors.
 *
 * VIREO_CREATE_VM on /dev/vireo makes a struct vireo_vm and hands it to
 * userspace as an anonymous-inode file; the VM lives until the last
 * reference to that file goes. Every live VM is in vireo_vms, indexed by
 * id, which is how the rest of the host (debugfs now, the netlink family
 * later) finds VMs without holding their file descriptors.
 *
 * A VM holds VMX root operation on every CPU (vireo_vmx_get()) for its
 * whole life, so creating the first VM is what makes vireo enter VMX, and
 * closing the last one is what makes it leave.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "vm.h"
#include "vmx_root.h"

/* Live VMs by id; vireo_vms_lock serialises creation and destruction. */
static DEFINE_XARRAY_ALLOC1(vireo_vms);
static DEFINE_MUTEX(vireo_vms_lock);
static u32 vireo_vms_next_id;
static unsigned int vireo_nr_vms;

/**
 * vireo_vm_name_valid() - check a VM name as userspace passes it
 * @name: the name buffer.
 * @size: its size, VIREO_VM_NAME_LEN for struct vireo_vm_create.
 *
 * A valid name is empty (all zero) or 1 to @size - 1 characters from
 * [A-Za-z0-9._-], NUL-terminated, with only zero bytes after the NUL.
 *
 * Return: true when @name is valid.
 */
bool vireo_vm_name_valid(const char *name, size_t size)
{
	size_t i, len = strnlen(name, size);

	if (len == size)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			return false;
	for (i = len; i < size; i++)
		if (name[i])
			return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(vireo_vm_name_valid);

/* Is @name taken by a live VM? Called with vireo_vms_lock held. */
static bool vireo_vm_name_taken(const char *name)
{
	struct vireo_vm *vm;
	unsigned long id;

	if (!name[0])
		return false;
	xa_for_each(&vireo_vms, id, vm)
		if (!strcmp(vm->name, name))
			return true;
	return false;
}

/* Give @vm an id and make it visible; fails when full or the name is taken. */
static int vireo_vm_register(struct vireo_vm *vm)
{
	int r;

	mutex_lock(&vireo_vms_lock);
	if (vireo_nr_vms >= VIREO_MAX_VMS) {
		r = -ENOSPC;
		goto unlock;
	}
	if (vireo_vm_name_taken(vm->name)) {
		r = -EEXIST;
		goto unlock;
	}
	r = xa_alloc_cyclic(&vireo_vms, &vm->id, vm, xa_limit_31b,
			    &vireo_vms_next_id, GFP_KERNEL);
	if (r < 0)
		goto unlock;
	vireo_nr_vms++;
	r = 0;
unlock:
	mutex_unlock(&vireo_vms_lock);
	return r;
}

static void vireo_vm_unregister(struct vireo_vm *vm)
{
	mutex_lock(&vireo_vms_lock);
	xa_erase(&vireo_vms, vm->id);
	vireo_nr_vms--;
	mutex_unlock(&vireo_vms_lock);
}

static int vireo_vm_release(struct inode *inode, struct file *file)
{
	struct vireo_vm *vm = file->private_data;

	vireo_vm_unregister(vm);
	vireo_vmx_put();
	kfree(vm);
	return 0;
}

static long vireo_vm_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations vireo_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= vireo_vm_release,
	.unlocked_ioctl	= vireo_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/**
 * vireo_vm_create() - VIREO_CREATE_VM: make a VM and return its fd
 * @argp: the caller's struct vireo_vm_create.
 *
 * Return: a new file descriptor, or -EFAULT, -EINVAL (flags, reserved
 * fields or name), -EEXIST (name taken), -ENOSPC (VIREO_MAX_VMS reached),
 * -ENOMEM, -EMFILE, or the errors of vireo_vmx_get().
 */
long vireo_vm_create(struct vireo_vm_create __user *argp)
{
	struct vireo_vm_create args;
	struct vireo_vm *vm;
	struct file *file;
	int fd, r, i;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.flags || !vireo_vm_name_valid(args.name, sizeof(args.name)))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(args.reserved); i++)
		if (args.reserved[i])
			return -EINVAL;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	memcpy(vm->name, args.name, sizeof(vm->name));

	r = vireo_vmx_get();
	if (r)
		goto free_vm;
	r = vireo_vm_register(vm);
	if (r)
		goto put_vmx;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		r = fd;
		goto unregister;
	}
	file = anon_inode_getfile("vireo-vm", &vireo_vm_fops, vm, O_RDWR);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		goto put_fd;
	}
	/* From here on, the file owns the VM: fput() releases it. */
	if (put_user(vm->id, &argp->id)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;

put_fd:
	put_unused_fd(fd);
unregister:
	vireo_vm_unregister(vm);
put_vmx:
	vireo_vmx_put();
free_vm:
	kfree(vm);
	return r;
}
