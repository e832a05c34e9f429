// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: vCPU file descriptors.
 *
 * VIREO_CREATE_VCPU on a VM fd makes a struct vireo_vcpu with its VMCS,
 * local APIC, guest FPU state and run page, and hands it to userspace as
 * an anonymous-inode file. mmap() of that file maps the run page. The
 * vCPU holds a reference on its VM; it is freed with the VM (vm.c), so
 * that other vCPUs' APICs and the management plane may look at it at any
 * time without a reference of their own.
 *
 * Every ioctl but VIREO_INTERRUPT and VIREO_NMI takes the vCPU's mutex, so
 * they never overlap VIREO_RUN; those two may come from any thread while
 * RUN is in progress (they only queue and kick).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "cpuid.h"
#include "fpu.h"
#include "inject.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "run.h"
#include "vcpu.h"
#include "vm.h"
#include "vmcs.h"

/**
 * vireo_vcpu_kick() - make the vCPU notice a request or an event soon
 * @vcpu: the vCPU; any context.
 *
 * A vCPU in the guest gets an IPI (its arrival is a VM exit); a sleeping
 * one is woken.
 */
void vireo_vcpu_kick(struct vireo_vcpu *vcpu)
{
	int cpu;

	/* Pairs with the barrier after vcpu->mode = IN_GUEST in run.c. */
	smp_mb();
	if (READ_ONCE(vcpu->mode) == VIREO_IN_GUEST) {
		cpu = READ_ONCE(vcpu->cpu);
		if (cpu >= 0 && cpu != raw_smp_processor_id())
			smp_send_reschedule(cpu);
	}
	rcuwait_wake_up(&vcpu->wait);
}

/**
 * vireo_vcpu_request() - ask the vCPU to do something before it next runs
 * @vcpu: the vCPU; any context.
 * @req: the request.
 */
void vireo_vcpu_request(struct vireo_vcpu *vcpu, enum vireo_request req)
{
	set_bit(req, &vcpu->requests);
	vireo_vcpu_kick(vcpu);
}

/**
 * vireo_vcpu_stats_add() - add a vCPU's counters to @out
 * @vcpu: the vCPU; its thread may be updating them (each read is atomic).
 * @out: the sums.
 */
void vireo_vcpu_stats_add(struct vireo_vcpu *vcpu, struct vireo_stats *out)
{
	const struct vireo_vcpu_stats *s = &vcpu->stats;
	int i;

	for (i = 0; i < VIREO_STATS_VMX_EXITS; i++)
		out->vmx_exits[i] += READ_ONCE(s->vmx_exits[i]);
	for (i = 0; i < VIREO_STATS_USER_EXITS; i++)
		out->user_exits[i] += READ_ONCE(s->user_exits[i]);
	for (i = 0; i < VIREO_STATS_HYPERCALLS; i++)
		out->hypercalls[i] += READ_ONCE(s->hypercalls[i]);
	out->entries += READ_ONCE(s->entries);
	out->halt_sleeps += READ_ONCE(s->halt_sleeps);
	out->injected_irqs += READ_ONCE(s->injected_irqs);
	out->injected_nmis += READ_ONCE(s->injected_nmis);
}

static long vcpu_mp_state(struct vireo_vcpu *vcpu, struct vireo_mp_state __user *arg,
			  bool set)
{
	struct vireo_mp_state mp = { .state = READ_ONCE(vcpu->mp_state) };

	if (!set)
		return copy_to_user(arg, &mp, sizeof(mp)) ? -EFAULT : 0;
	if (copy_from_user(&mp, arg, sizeof(mp)))
		return -EFAULT;
	if (mp.padding || mp.state > VIREO_MP_HALTED)
		return -EINVAL;
	if (mp.state == VIREO_MP_HALTED)
		vcpu->halt_if = true;
	WRITE_ONCE(vcpu->mp_state, mp.state);
	return 0;
}

static long vcpu_stats(struct vireo_vcpu *vcpu, struct vireo_stats __user *arg)
{
	struct vireo_stats *s = kzalloc(sizeof(*s), GFP_KERNEL);
	long r;

	if (!s)
		return -ENOMEM;
	vireo_vcpu_stats_add(vcpu, s);
	r = copy_to_user(arg, s, sizeof(*s)) ? -EFAULT : 0;
	kfree(s);
	return r;
}

static long vcpu_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vireo_vcpu *vcpu = file->private_data;
	void __user *argp = (void __user *)arg;
	long r;

	if (vcpu->vm->mmu.mm != current->mm)
		return -EIO;
	/* These two only queue an event: no mutex, any thread. */
	if (cmd == VIREO_INTERRUPT)
		return vireo_interrupt_ioctl(vcpu, argp);
	if (cmd == VIREO_NMI)
		return arg ? -EINVAL : vireo_nmi_ioctl(vcpu);

	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	switch (cmd) {
	case VIREO_RUN:
		r = arg ? -EINVAL : vireo_vcpu_run(vcpu);
		break;
	case VIREO_GET_REGS:
		r = vireo_get_regs(vcpu, argp);
		break;
	case VIREO_SET_REGS:
		r = vireo_set_regs(vcpu, argp);
		break;
	case VIREO_GET_SREGS:
		r = vireo_get_sregs(vcpu, argp);
		break;
	case VIREO_SET_SREGS:
		r = vireo_set_sregs(vcpu, argp);
		break;
	case VIREO_GET_MSRS:
		r = vireo_msrs_ioctl(vcpu, argp, false);
		break;
	case VIREO_SET_MSRS:
		r = vireo_msrs_ioctl(vcpu, argp, true);
		break;
	case VIREO_SET_CPUID:
		r = vireo_cpuid_set(vcpu, argp);
		break;
	case VIREO_GET_MP_STATE:
		r = vcpu_mp_state(vcpu, argp, false);
		break;
	case VIREO_SET_MP_STATE:
		r = vcpu_mp_state(vcpu, argp, true);
		break;
	case VIREO_GET_STATS:
		r = vcpu_stats(vcpu, argp);
		break;
	default:
		r = -ENOTTY;
	}
	mutex_unlock(&vcpu->mutex);
	return r;
}

static vm_fault_t vcpu_fault(struct vm_fault *vmf)
{
	struct vireo_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	page = virt_to_page(vcpu->run);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_fault,
};

static int vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma_pages(vma) != VIREO_RUN_SIZE >> PAGE_SHIFT)
		return -EINVAL;
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

static int vcpu_release(struct inode *inode, struct file *file)
{
	struct vireo_vcpu *vcpu = file->private_data;

	vireo_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= vcpu_release,
	.unlocked_ioctl	= vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vcpu_mmap,
	.llseek		= noop_llseek,
};

/**
 * vireo_vcpu_free() - free a vCPU; only vm.c, as the VM goes
 * @vcpu: the vCPU, which no thread uses.
 */
void vireo_vcpu_free(struct vireo_vcpu *vcpu)
{
	vireo_lapic_destroy(vcpu);
	vireo_vmcs_free(vcpu);
	vireo_fpu_free(vcpu);
	kfree(vcpu->cpuid);
	free_page((unsigned long)vcpu->run);
	kfree(vcpu);
}

static struct vireo_vcpu *vcpu_alloc(struct vireo_vm *vm, u32 id)
{
	struct vireo_vcpu *vcpu;
	int r = -ENOMEM;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return ERR_PTR(-ENOMEM);
	vcpu->vm = vm;
	vcpu->id = id;
	mutex_init(&vcpu->mutex);
	rcuwait_init(&vcpu->wait);
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->run)
		goto free_vcpu;
	vcpu->run->vcpu_id = id;
	if (vireo_fpu_alloc(vcpu))
		goto free_run;
	r = vireo_vmcs_alloc(vcpu);
	if (r)
		goto free_fpu;
	vireo_lapic_init(vcpu);
	vcpu->mp_state = id ? VIREO_MP_WAIT_SIPI : VIREO_MP_RUNNABLE;
	vcpu->mode_cache = -1;
	vcpu->qs_jiffies = jiffies - 1;

	preempt_disable();
	vireo_vmcs_load(vcpu);
	vireo_vmcs_setup(vcpu, vm->mmu.eptp);
	vcpu->proc_ctl = vireo_vmcs_config.proc;
	vireo_vcpu_reset(vcpu, false);
	preempt_enable();
	return vcpu;

free_fpu:
	vireo_fpu_free(vcpu);
free_run:
	free_page((unsigned long)vcpu->run);
free_vcpu:
	kfree(vcpu);
	return ERR_PTR(r);
}

/**
 * vireo_vcpu_create() - VIREO_CREATE_VCPU
 * @vm: the VM, whose fd the ioctl came on.
 * @id: the vCPU id, 0 to VIREO_MAX_VCPUS - 1; also its APIC ID.
 *
 * Return: a new vCPU file descriptor (close-on-exec), or -EINVAL (id out
 * of range), -EEXIST (id taken), -ENOMEM, -ENOSPC (no VPID left), -EMFILE,
 * -EIO (the VM was destroyed).
 */
long vireo_vcpu_create(struct vireo_vm *vm, unsigned long id)
{
	struct vireo_vcpu *vcpu;
	struct file *file;
	int fd, r;

	if (id >= VIREO_MAX_VCPUS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	r = -EEXIST;
	if (vm->vcpus[id])
		goto unlock;
	r = -EIO;
	if (READ_ONCE(vm->destroyed))
		goto unlock;
	vcpu = vcpu_alloc(vm, id);
	if (IS_ERR(vcpu)) {
		r = PTR_ERR(vcpu);
		goto unlock;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		r = fd;
		goto free_vcpu;
	}
	file = anon_inode_getfile("vireo-vcpu", &vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		r = PTR_ERR(file);
		goto put_fd;
	}
	kref_get(&vm->ref);
	/* Other vCPUs' APICs look vCPUs up without the lock. */
	smp_store_release(&vm->vcpus[id], vcpu);
	vm->nr_vcpus++;
	mutex_unlock(&vm->lock);
	fd_install(fd, file);
	return fd;

put_fd:
	put_unused_fd(fd);
free_vcpu:
	vireo_vcpu_free(vcpu);
unlock:
	mutex_unlock(&vm->lock);
	return r;
}
