// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: virtual machines, their file descriptors and their life.
 *
 * VIREO_CREATE_VM on /dev/vireo makes a struct vireo_vm and hands it to
 * userspace as an anonymous-inode file. The VM is reference counted: its
 * fd, each of its vCPU fds, and every lookup by the management plane hold
 * one; it is freed, with its vCPUs and guest memory, when the last goes.
 * Every live VM is in vireo_vms, indexed by id, which is how the rest of
 * the host (netlink, debugfs) finds VMs without their file descriptors.
 *
 * A VM holds VMX root operation on every CPU (vireo_vmx_get()) for its
 * whole life, so creating the first VM is what makes vireo enter VMX, and
 * freeing the last one is what makes it leave.
 *
 * The management plane's operations live here too: state and reason,
 * pause (vCPUs leave the guest and VIREO_RUN waits), resume, destroy
 * (vCPUs leave the guest and VIREO_RUN returns VIREO_EXIT_DESTROYED from
 * then on), statistics, and the notifier chain that reports creation,
 * destruction and state changes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "memslot.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx_root.h"

/* Live VMs by id; vireo_vms_lock serialises creation, lookup and freeing. */
static DEFINE_XARRAY_ALLOC1(vireo_vms);
static DEFINE_MUTEX(vireo_vms_lock);
static u32 vireo_vms_next_id;
static unsigned int vireo_nr_vms;
static ATOMIC_NOTIFIER_HEAD(vireo_vm_notifier);

/* How long vireo_vm_pause() waits for the vCPUs to leave the guest. */
#define PAUSE_WAIT_MS	1000

/**
 * vireo_vm_notifier_register() - subscribe to VM events
 * @nb: the notifier; see enum vireo_vm_event.
 *
 * Return: 0.
 */
int vireo_vm_notifier_register(struct notifier_block *nb)
{
	return atomic_notifier_chain_register(&vireo_vm_notifier, nb);
}

/**
 * vireo_vm_notifier_unregister() - unsubscribe from VM events
 * @nb: the notifier.
 *
 * Return: 0, or -ENOENT.
 */
int vireo_vm_notifier_unregister(struct notifier_block *nb)
{
	return atomic_notifier_chain_unregister(&vireo_vm_notifier, nb);
}

static void vm_notify(struct vireo_vm *vm, enum vireo_vm_event event)
{
	atomic_notifier_call_chain(&vireo_vm_notifier, event, vm);
}

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
	/* Under the lock every lookup takes: nobody sees the VM before this. */
	vm_notify(vm, VIREO_VM_EVENT_CREATED);
unlock:
	mutex_unlock(&vireo_vms_lock);
	return r;
}

/* Last reference gone: vireo_vms_lock is held (vireo_vm_put()). */
static void vireo_vm_release_ref(struct kref *ref)
{
	struct vireo_vm *vm = container_of(ref, struct vireo_vm, ref);

	xa_erase(&vireo_vms, vm->id);
	vireo_nr_vms--;
}

static void vireo_vm_free(struct vireo_vm *vm)
{
	int i;

	vm_notify(vm, VIREO_VM_EVENT_DESTROYED);
	for (i = 0; i < VIREO_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			vireo_vcpu_free(vm->vcpus[i]);
	vireo_mmu_destroy(&vm->mmu);
	put_pid(vm->owner);
	put_net(vm->net);
	kfree(vm);
	vireo_vmx_put();
	module_put(THIS_MODULE);
}

/**
 * vireo_vm_put() - drop a reference to a VM
 * @vm: the VM; freed (with its vCPUs and memory) with the last reference.
 *
 * Context: process context (may sleep).
 */
void vireo_vm_put(struct vireo_vm *vm)
{
	if (kref_put_mutex(&vm->ref, vireo_vm_release_ref, &vireo_vms_lock)) {
		mutex_unlock(&vireo_vms_lock);
		vireo_vm_free(vm);
	}
}

/**
 * vireo_vm_get_by_id() - find a live VM by id
 * @id: the id.
 *
 * Return: the VM with a reference (vireo_vm_put()), or NULL.
 */
struct vireo_vm *vireo_vm_get_by_id(u32 id)
{
	struct vireo_vm *vm;

	mutex_lock(&vireo_vms_lock);
	vm = xa_load(&vireo_vms, id);
	if (vm && !kref_get_unless_zero(&vm->ref))
		vm = NULL;
	mutex_unlock(&vireo_vms_lock);
	return vm;
}

/**
 * vireo_vm_get_by_name() - find a live VM by name
 * @name: the name, NUL-terminated; "" finds nothing.
 *
 * Return: the VM with a reference (vireo_vm_put()), or NULL.
 */
struct vireo_vm *vireo_vm_get_by_name(const char *name)
{
	struct vireo_vm *vm, *found = NULL;
	unsigned long id;

	if (!name[0])
		return NULL;
	mutex_lock(&vireo_vms_lock);
	xa_for_each(&vireo_vms, id, vm)
		if (!strcmp(vm->name, name) && kref_get_unless_zero(&vm->ref)) {
			found = vm;
			break;
		}
	mutex_unlock(&vireo_vms_lock);
	return found;
}

/**
 * vireo_vm_get_next() - iterate over live VMs in id order
 * @id: in: the first id to consider; out: the id of the VM returned.
 *
 * Return: the VM with the lowest id >= *@id, with a reference, or NULL.
 * Restartable: pass the returned id + 1 next time.
 */
struct vireo_vm *vireo_vm_get_next(u32 *id)
{
	unsigned long index = *id;
	struct vireo_vm *vm;

	mutex_lock(&vireo_vms_lock);
	for (;;) {
		vm = xa_find(&vireo_vms, &index, U32_MAX, XA_PRESENT);
		if (!vm || kref_get_unless_zero(&vm->ref))
			break;
		index++;
	}
	mutex_unlock(&vireo_vms_lock);
	if (vm)
		*id = index;
	return vm;
}

/**
 * vireo_vm_read_state() - a consistent snapshot of a VM's state
 * @vm: the VM.
 * @state: out.
 * @reason: out.
 * @text: out: the internal-error text, or ""; may be NULL.
 * @len: size of @text.
 */
void vireo_vm_read_state(struct vireo_vm *vm, enum vireo_vm_state *state,
			 enum vireo_vm_reason *reason, char *text, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&vm->state_lock, flags);
	*state = vm->state;
	*reason = vm->reason;
	if (text)
		strscpy(text, vm->reason_text, len);
	spin_unlock_irqrestore(&vm->state_lock, flags);
}

/**
 * vireo_vm_set_state() - record what happened to a VM
 * @vm: the VM.
 * @state: the new state.
 * @reason: why.
 * @text: a sentence for internal errors, or NULL.
 *
 * A destroyed VM stays destroyed; a paused one records the state it will
 * resume to. Listeners hear of every change.
 *
 * Context: any; does not sleep.
 */
void vireo_vm_set_state(struct vireo_vm *vm, enum vireo_vm_state state,
			enum vireo_vm_reason reason, const char *text)
{
	unsigned long flags;
	bool changed = false;

	spin_lock_irqsave(&vm->state_lock, flags);
	if (vm->destroyed) {
		goto unlock;
	} else if (vm->paused && state != VIREO_VM_PAUSED) {
		vm->unpaused = state;
	} else if (vm->state != state || vm->reason != reason) {
		vm->state = state;
		vm->reason = reason;
		changed = true;
	}
	strscpy(vm->reason_text, text ? text : "", sizeof(vm->reason_text));
unlock:
	spin_unlock_irqrestore(&vm->state_lock, flags);
	if (changed)
		vm_notify(vm, VIREO_VM_EVENT_STATE);
}

/**
 * vireo_vm_running() - a vCPU is about to enter the guest
 * @vm: the VM; CREATED becomes RUNNING.
 */
void vireo_vm_running(struct vireo_vm *vm)
{
	if (READ_ONCE(vm->state) == VIREO_VM_CREATED)
		vireo_vm_set_state(vm, VIREO_VM_RUNNING, VIREO_REASON_NONE, NULL);
}

/**
 * vireo_vm_nr_vcpus() - how many vCPUs the VM has
 * @vm: the VM.
 *
 * Return: the count.
 */
unsigned int vireo_vm_nr_vcpus(struct vireo_vm *vm)
{
	return READ_ONCE(vm->nr_vcpus);
}

/**
 * vireo_vm_mem_bytes() - guest memory in the VM's slots
 * @vm: the VM.
 *
 * Return: bytes.
 */
u64 vireo_vm_mem_bytes(struct vireo_vm *vm)
{
	return READ_ONCE(vm->mmu.mem_bytes);
}

/**
 * vireo_vm_stats() - the VM's counters
 * @vm: the VM.
 * @vcpu_id: a vCPU id, or -1 for the sum over all vCPUs.
 * @out: filled in.
 *
 * Return: 0, or -ENOENT when the vCPU does not exist.
 */
int vireo_vm_stats(struct vireo_vm *vm, int vcpu_id, struct vireo_stats *out)
{
	struct vireo_vcpu *vcpu;
	int i;

	memset(out, 0, sizeof(*out));
	if (vcpu_id >= VIREO_MAX_VCPUS)
		return -ENOENT;
	if (vcpu_id >= 0) {
		/* Published with release by vireo_vcpu_create(). */
		vcpu = smp_load_acquire(&vm->vcpus[vcpu_id]);
		if (!vcpu)
			return -ENOENT;
		vireo_vcpu_stats_add(vcpu, out);
		return 0;
	}
	for (i = 0; i < VIREO_MAX_VCPUS; i++) {
		/* Published with release by vireo_vcpu_create(). */
		vcpu = smp_load_acquire(&vm->vcpus[i]);
		if (vcpu)
			vireo_vcpu_stats_add(vcpu, out);
	}
	return 0;
}

static void vm_request_all(struct vireo_vm *vm, enum vireo_request req)
{
	struct vireo_vcpu *vcpu;
	int i;

	for (i = 0; i < VIREO_MAX_VCPUS; i++) {
		/* Published with release by vireo_vcpu_create(). */
		vcpu = smp_load_acquire(&vm->vcpus[i]);
		if (vcpu)
			vireo_vcpu_request(vcpu, req);
	}
}

static bool vm_in_guest(struct vireo_vm *vm)
{
	struct vireo_vcpu *vcpu;
	int i;

	for (i = 0; i < VIREO_MAX_VCPUS; i++) {
		/* Published with release by vireo_vcpu_create(). */
		vcpu = smp_load_acquire(&vm->vcpus[i]);
		if (vcpu && READ_ONCE(vcpu->mode) == VIREO_IN_GUEST)
			return true;
	}
	return false;
}

/**
 * vireo_vm_pause() - stop the VM's vCPUs from entering the guest
 * @vm: the VM.
 *
 * Returns once no vCPU is in the guest (or after a second, when a vCPU
 * thread is starved of CPU time). VIREO_RUN on a paused VM waits,
 * interruptibly, until the VM is resumed or destroyed.
 *
 * Return: 0, -EALREADY (already paused), -ENODEV (destroyed).
 */
int vireo_vm_pause(struct vireo_vm *vm)
{
	unsigned long flags;
	int i, r = 0;

	spin_lock_irqsave(&vm->state_lock, flags);
	if (vm->destroyed) {
		r = -ENODEV;
	} else if (vm->paused) {
		r = -EALREADY;
	} else {
		vm->paused = true;
		vm->unpaused = vm->state;
		vm->state = VIREO_VM_PAUSED;
		vm->reason = VIREO_REASON_ADMIN;
	}
	spin_unlock_irqrestore(&vm->state_lock, flags);
	if (r)
		return r;
	vm_notify(vm, VIREO_VM_EVENT_STATE);
	vm_request_all(vm, VIREO_REQ_STOP);
	for (i = 0; i < PAUSE_WAIT_MS && vm_in_guest(vm); i++)
		usleep_range(500, 1000);
	return 0;
}

/**
 * vireo_vm_resume() - let a paused VM run again
 * @vm: the VM.
 *
 * Return: 0, -EINVAL (not paused), -ENODEV (destroyed).
 */
int vireo_vm_resume(struct vireo_vm *vm)
{
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&vm->state_lock, flags);
	if (vm->destroyed) {
		r = -ENODEV;
	} else if (!vm->paused) {
		r = -EINVAL;
	} else {
		vm->paused = false;
		vm->state = vm->unpaused;
		vm->reason = VIREO_REASON_ADMIN;
	}
	spin_unlock_irqrestore(&vm->state_lock, flags);
	if (r)
		return r;
	vm_notify(vm, VIREO_VM_EVENT_STATE);
	vm_request_all(vm, VIREO_REQ_EVENT);
	return 0;
}

/**
 * vireo_vm_destroy() - stop a VM for good
 * @vm: the VM.
 *
 * Every vCPU leaves the guest; VIREO_RUN returns VIREO_EXIT_DESTROYED
 * now and on every later call; no vCPU can be added. The VM's memory goes
 * when the VMM closes its last file descriptor of it.
 *
 * Return: 0, or -EALREADY (already destroyed).
 */
int vireo_vm_destroy(struct vireo_vm *vm)
{
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&vm->state_lock, flags);
	if (vm->destroyed) {
		r = -EALREADY;
	} else {
		vm->paused = false;
		vm->state = VIREO_VM_DESTROYED;
		vm->reason = VIREO_REASON_ADMIN;
		vm->reason_text[0] = 0;
		WRITE_ONCE(vm->destroyed, true);
	}
	spin_unlock_irqrestore(&vm->state_lock, flags);
	if (r)
		return r;
	vm_notify(vm, VIREO_VM_EVENT_STATE);
	vm_request_all(vm, VIREO_REQ_STOP);
	return 0;
}

/**
 * vireo_vm_state_name() - the management plane's name of a state
 * @state: the state.
 *
 * Return: a lowercase name such as "running".
 */
const char *vireo_vm_state_name(enum vireo_vm_state state)
{
	static const char * const names[] = {
		[VIREO_VM_CREATED] = "created", [VIREO_VM_RUNNING] = "running",
		[VIREO_VM_PAUSED] = "paused", [VIREO_VM_SHUTDOWN] = "shut-down",
		[VIREO_VM_CRASHED] = "crashed", [VIREO_VM_DESTROYED] = "destroyed",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

/**
 * vireo_vm_reason_name() - the management plane's name of a reason
 * @reason: the reason.
 *
 * Return: a lowercase name such as "triple-fault".
 */
const char *vireo_vm_reason_name(enum vireo_vm_reason reason)
{
	static const char * const names[] = {
		[VIREO_REASON_NONE] = "none", [VIREO_REASON_ADMIN] = "admin",
		[VIREO_REASON_POWEROFF] = "poweroff", [VIREO_REASON_RESET] = "reset",
		[VIREO_REASON_PANIC] = "guest-panic",
		[VIREO_REASON_TRIPLE_FAULT] = "triple-fault",
		[VIREO_REASON_INTERNAL_ERROR] = "internal-error",
		[VIREO_REASON_ENTRY_FAILED] = "entry-failed",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

static long vm_set_user_range(struct vireo_vm *vm, struct vireo_user_range __user *argp)
{
	struct vireo_user_range r;
	struct vireo_range *ranges;
	unsigned int *nr, i;
	unsigned long flags;
	long ret = 0;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	if (r.reserved[0] || r.reserved[1] || (r.flags & ~VIREO_RANGE_REMOVE) ||
	    !r.count || r.first + r.count - 1 < r.first)
		return -EINVAL;
	if (r.kind == VIREO_RANGE_MSR) {
		ranges = vm->msr_ranges;
		nr = &vm->nr_msr_ranges;
	} else if (r.kind == VIREO_RANGE_HYPERCALL) {
		ranges = vm->hc_ranges;
		nr = &vm->nr_hc_ranges;
	} else {
		return -EINVAL;
	}

	spin_lock_irqsave(&vm->ranges_lock, flags);
	for (i = 0; i < *nr; i++)
		if (r.first <= ranges[i].first + ranges[i].count - 1 &&
		    ranges[i].first <= r.first + r.count - 1)
			break;
	if (r.flags & VIREO_RANGE_REMOVE) {
		if (i == *nr || ranges[i].first != r.first || ranges[i].count != r.count)
			ret = -ENOENT;
		else
			ranges[i] = ranges[--(*nr)];
	} else if (i < *nr) {
		ret = -EEXIST;
	} else if (*nr == VIREO_MAX_USER_RANGES) {
		ret = -ENOSPC;
	} else {
		ranges[(*nr)++] = (struct vireo_range){ r.first, r.count };
	}
	spin_unlock_irqrestore(&vm->ranges_lock, flags);
	return ret;
}

static long vm_stats(struct vireo_vm *vm, struct vireo_stats __user *argp)
{
	struct vireo_stats *s = kzalloc(sizeof(*s), GFP_KERNEL);
	long r;

	if (!s)
		return -ENOMEM;
	vireo_vm_stats(vm, -1, s);
	r = copy_to_user(argp, s, sizeof(*s)) ? -EFAULT : 0;
	kfree(s);
	return r;
}

static long vireo_vm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vireo_vm *vm = file->private_data;
	void __user *argp = (void __user *)arg;
	struct vireo_memory_region region;
	struct vireo_dirty_log log;

	if (vm->mmu.mm != current->mm)
		return -EIO;
	switch (cmd) {
	case VIREO_SET_MEMORY_REGION:
		if (copy_from_user(&region, argp, sizeof(region)))
			return -EFAULT;
		return vireo_set_memory_region(vm, &region);
	case VIREO_GET_DIRTY_LOG:
		if (copy_from_user(&log, argp, sizeof(log)))
			return -EFAULT;
		return vireo_get_dirty_log(vm, &log);
	case VIREO_CREATE_VCPU:
		return vireo_vcpu_create(vm, arg);
	case VIREO_SET_USER_RANGE:
		return vm_set_user_range(vm, argp);
	case VIREO_GET_STATS:
		return vm_stats(vm, argp);
	default:
		return -ENOTTY;
	}
}

static int vireo_vm_release(struct inode *inode, struct file *file)
{
	vireo_vm_put(file->private_data);
	return 0;
}

static const struct file_operations vireo_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= vireo_vm_release,
	.unlocked_ioctl	= vireo_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct vireo_vm *vm_alloc(const struct vireo_vm_create *args)
{
	struct vireo_vm *vm;
	int r;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	kref_init(&vm->ref);
	memcpy(vm->name, args->name, sizeof(vm->name));
	mutex_init(&vm->lock);
	spin_lock_init(&vm->state_lock);
	spin_lock_init(&vm->ranges_lock);
	vm->state = VIREO_VM_CREATED;
	vm->created_ns = ktime_get_boottime_ns();
	vm->created_mono_ns = ktime_get_ns();
	r = vireo_mmu_init(&vm->mmu);
	if (r) {
		kfree(vm);
		return ERR_PTR(r);
	}
	vm->owner = get_task_pid(current, PIDTYPE_TGID);
	vm->owner_uid = current_euid();
	vm->net = get_net(current->nsproxy->net_ns);
	return vm;
}

static void vm_unalloc(struct vireo_vm *vm)
{
	vireo_mmu_destroy(&vm->mmu);
	put_pid(vm->owner);
	put_net(vm->net);
	kfree(vm);
}

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

	r = vireo_vmx_get();
	if (r)
		return r;
	vm = vm_alloc(&args);
	if (IS_ERR(vm)) {
		r = PTR_ERR(vm);
		goto put_vmx;
	}
	r = vireo_vm_register(vm);
	if (r)
		goto free_vm;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		r = fd;
		goto unregister;
	}
	/* The VM pins the module: vireo_vm_free() may run after the last fd. */
	__module_get(THIS_MODULE);
	file = anon_inode_getfile("vireo-vm", &vireo_vm_fops, vm, O_RDWR);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		module_put(THIS_MODULE);
		goto put_fd;
	}
	/* From here on, the file owns the VM: fput() releases it. */
	if (put_user(vm->id, &argp->id)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	/* The VM is the file's now: it may be gone as soon as this returns. */
	fd_install(fd, file);
	return fd;

put_fd:
	put_unused_fd(fd);
unregister:
	mutex_lock(&vireo_vms_lock);
	xa_erase(&vireo_vms, vm->id);
	vireo_nr_vms--;
	mutex_unlock(&vireo_vms_lock);
	vm_notify(vm, VIREO_VM_EVENT_DESTROYED);
free_vm:
	vm_unalloc(vm);
put_vmx:
	vireo_vmx_put();
	return r;
}
