// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: entering and leaving VMX root operation.
 *
 * A CPU must execute VMXON before it can run a guest. While it is in VMX
 * root operation no other hypervisor (kvm_intel, VirtualBox...) can use VMX
 * on it, and INIT is blocked. So vireo, like KVM, holds VMX only while it
 * has users: the first VM switches every online CPU to VMX (vireo_vmx_get()),
 * the last one to go turns it off again (vireo_vmx_put()). A CPU that comes
 * online meanwhile enters VMX root operation before it runs anything else,
 * a CPU that goes offline leaves it, and so do all CPUs before a reboot or
 * a suspend.
 *
 * When another hypervisor already holds VMX on a CPU (its CR4.VMXE is set),
 * vireo leaves that CPU alone: the request fails with -EBUSY, the CPUs
 * switched on for it are switched off again, and the kernel log says which
 * CPU refused and why.
 *
 * The per-CPU accounting below is what /sys/kernel/debug/vireo/vmx shows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/syscore_ops.h>
#include <asm/asm.h>
#include <asm/io.h>
#include <asm/perf_event.h>
#include <asm/tlbflush.h>
#include <asm/virtext.h>

#include "caps.h"
#include "vmcs.h"
#include "vmx_root.h"

/*
 * Per-CPU VMX state. Legend: (i) set at load, freed at unload; (c) written
 * only by the CPU it belongs to, with preemption off, read by anyone with
 * READ_ONCE().
 */
struct vireo_cpu {
	struct page *vmxon;	/* (i) VMXON region */
	bool on;		/* (c) in VMX root operation for vireo */
	int error;		/* (c) errno of the last failed VMXON, or 0 */
	u64 nr_vmxon;		/* (c) VMXONs done */
	u64 nr_vmxoff;		/* (c) VMXOFFs done */
};

static DEFINE_PER_CPU(struct vireo_cpu, vireo_cpu);

/*
 * vireo_vmx_users counts the holders of vireo_vmx_get(); vireo_vmx_frozen is
 * set once a reboot has begun, after which nobody gets VMX again. Both are
 * written with the CPU hotplug lock held for read and vireo_vmx_lock held.
 * The hotplug callbacks read them with the hotplug lock held for write,
 * which excludes the writers.
 */
static DEFINE_MUTEX(vireo_vmx_lock);
static unsigned int vireo_vmx_users;
static bool vireo_vmx_frozen;
static enum cpuhp_state vireo_cpuhp_state;

/* Refuse a CPU whose VMX capabilities differ from the boot CPU's. */
static int vireo_vmx_cpu_compatible(void)
{
	struct vireo_vmx_caps caps;

	vireo_caps_read(&caps);
	return memcmp(&caps, &vireo_caps, sizeof(caps)) ? -EOPNOTSUPP : 0;
}

/*
 * VMXON; a fault (#UD, #GP) or a VMfail both end up at 2 with failed = 1.
 * Return: 0 when the CPU is in VMX root operation, 1 when it is not.
 */
static int vireo_vmxon(u64 pa)
{
	int failed;

	asm volatile("mov $1, %[failed]\n\t"
		     "1: vmxon %[pa]\n\t"
		     "jna 2f\n\t"
		     "xor %[failed], %[failed]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [failed] "=&r" (failed)
		     : [pa] "m" (pa)
		     : "cc", "memory");
	return failed;
}

/* Enter VMX root operation on this CPU; preemption must be off. */
static int vireo_vmx_cpu_on(void)
{
	struct vireo_cpu *vc = this_cpu_ptr(&vireo_cpu);
	int r;

	if (vc->on)
		return 0;
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		r = -EBUSY;
		goto fail;
	}
	r = vireo_vmx_cpu_compatible();
	if (r)
		goto fail;

	intel_pt_handle_vmx(1);
	cr4_set_bits(X86_CR4_VMXE);
	if (vireo_vmxon(page_to_phys(vc->vmxon))) {
		cr4_clear_bits(X86_CR4_VMXE);
		intel_pt_handle_vmx(0);
		r = -EIO;
		goto fail;
	}

	WRITE_ONCE(vc->on, true);
	WRITE_ONCE(vc->nr_vmxon, vc->nr_vmxon + 1);
	WRITE_ONCE(vc->error, 0);
	return 0;

fail:
	WRITE_ONCE(vc->error, r);
	return r;
}

/* Leave VMX root operation on this CPU, if vireo entered it; preemption off. */
static void vireo_vmx_cpu_off(void)
{
	struct vireo_cpu *vc = this_cpu_ptr(&vireo_cpu);

	if (!vc->on)
		return;
	vireo_vmcs_clear_cpu();
	cpu_vmxoff();
	intel_pt_handle_vmx(0);
	WRITE_ONCE(vc->on, false);
	WRITE_ONCE(vc->nr_vmxoff, vc->nr_vmxoff + 1);
}

static void vireo_vmx_on_ipi(void *failed)
{
	if (vireo_vmx_cpu_on())
		atomic_inc(failed);
}

static void vireo_vmx_off_ipi(void *unused)
{
	vireo_vmx_cpu_off();
}

static const char *vireo_vmx_strerror(int error)
{
	switch (error) {
	case -EBUSY:
		return "VMX is in use by another hypervisor (CR4.VMXE is set; "
		       "kvm_intel with running VMs?)";
	case -EOPNOTSUPP:
		return "its VMX capabilities differ from the boot CPU's";
	default:
		return "VMXON failed";
	}
}

/* Say which CPU refused VMX and why; return its errno. */
static int vireo_vmx_report_failure(void)
{
	int cpu, error;

	for_each_online_cpu(cpu) {
		error = READ_ONCE(per_cpu(vireo_cpu, cpu).error);
		if (error) {
			pr_err_ratelimited("cannot enter VMX root operation on CPU %d: %s\n",
					   cpu, vireo_vmx_strerror(error));
			return error;
		}
	}
	return -EIO;
}

/**
 * vireo_vmx_get() - make sure every online CPU is in VMX root operation
 *
 * The first caller turns VMX on everywhere; later callers only count. Each
 * successful call must be balanced by vireo_vmx_put().
 *
 * Context: process context; takes the CPU hotplug lock and a mutex.
 * Return: 0, -EBUSY when another hypervisor holds VMX on some CPU or the
 * host is rebooting, -EOPNOTSUPP or -EIO when a CPU cannot enter VMX.
 */
int vireo_vmx_get(void)
{
	atomic_t failed = ATOMIC_INIT(0);
	int r = 0;

	cpus_read_lock();
	mutex_lock(&vireo_vmx_lock);
	if (vireo_vmx_frozen) {
		r = -EBUSY;
		goto out;
	}
	if (!vireo_vmx_users) {
		on_each_cpu(vireo_vmx_on_ipi, &failed, 1);
		if (atomic_read(&failed)) {
			r = vireo_vmx_report_failure();
			on_each_cpu(vireo_vmx_off_ipi, NULL, 1);
			goto out;
		}
	}
	vireo_vmx_users++;
out:
	mutex_unlock(&vireo_vmx_lock);
	cpus_read_unlock();
	return r;
}

/**
 * vireo_vmx_put() - drop a reference taken by vireo_vmx_get()
 *
 * The last one turns VMX off on every CPU.
 *
 * Context: process context; takes the CPU hotplug lock and a mutex.
 */
void vireo_vmx_put(void)
{
	cpus_read_lock();
	mutex_lock(&vireo_vmx_lock);
	if (!--vireo_vmx_users)
		on_each_cpu(vireo_vmx_off_ipi, NULL, 1);
	mutex_unlock(&vireo_vmx_lock);
	cpus_read_unlock();
}

/* Runs on @cpu as it comes online: join the others if VMX is in use. */
static int vireo_vmx_cpu_online(unsigned int cpu)
{
	int r;

	if (!vireo_vmx_users || vireo_vmx_frozen)
		return 0;
	preempt_disable();
	r = vireo_vmx_cpu_on();
	preempt_enable();
	if (r)
		pr_err_ratelimited("cannot enter VMX root operation on CPU %u coming online: %s\n",
				   cpu, vireo_vmx_strerror(r));
	return r;
}

/* Runs on @cpu as it goes offline. */
static int vireo_vmx_cpu_offline(unsigned int cpu)
{
	preempt_disable();
	vireo_vmx_cpu_off();
	preempt_enable();
	return 0;
}

/* INIT is blocked in VMX root operation: leave it before the CPUs reset. */
static int vireo_vmx_reboot(struct notifier_block *nb, unsigned long code,
			    void *unused)
{
	cpus_read_lock();
	mutex_lock(&vireo_vmx_lock);
	vireo_vmx_frozen = true;
	on_each_cpu(vireo_vmx_off_ipi, NULL, 1);
	mutex_unlock(&vireo_vmx_lock);
	cpus_read_unlock();
	return NOTIFY_OK;
}

static struct notifier_block vireo_reboot_nb = {
	.notifier_call = vireo_vmx_reboot,
};

/*
 * Suspend and resume run on the last online CPU with interrupts off, after
 * the hotplug callbacks have taken the others out of VMX.
 */
static int vireo_vmx_suspend(void)
{
	vireo_vmx_cpu_off();
	return 0;
}

static void vireo_vmx_resume(void)
{
	if (vireo_vmx_users && !vireo_vmx_frozen && vireo_vmx_cpu_on())
		pr_err("cannot enter VMX root operation again after resume\n");
}

static struct syscore_ops vireo_syscore_ops = {
	.suspend = vireo_vmx_suspend,
	.resume = vireo_vmx_resume,
};

static void vireo_vmx_free_regions(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vireo_cpu *vc = per_cpu_ptr(&vireo_cpu, cpu);

		if (vc->vmxon)
			__free_page(vc->vmxon);
		vc->vmxon = NULL;
	}
}

/**
 * vireo_vmx_root_init() - prepare every CPU for VMX, without entering it
 *
 * Allocates the VMXON regions and follows CPU hotplug, reboot and suspend.
 *
 * Return: 0 or a negative errno.
 */
int vireo_vmx_root_init(void)
{
	struct page *page;
	int cpu, r;

	for_each_possible_cpu(cpu) {
		page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL | __GFP_ZERO, 0);
		if (!page) {
			r = -ENOMEM;
			goto free_regions;
		}
		*(u32 *)page_address(page) = vireo_caps_revision_id();
		per_cpu_ptr(&vireo_cpu, cpu)->vmxon = page;
	}

	r = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "vireo/vmx:online",
			      vireo_vmx_cpu_online, vireo_vmx_cpu_offline);
	if (r < 0)
		goto free_regions;
	vireo_cpuhp_state = r;

	r = register_reboot_notifier(&vireo_reboot_nb);
	if (r)
		goto remove_cpuhp;
	register_syscore_ops(&vireo_syscore_ops);
	return 0;

remove_cpuhp:
	cpuhp_remove_state(vireo_cpuhp_state);
free_regions:
	vireo_vmx_free_regions();
	return r;
}

/**
 * vireo_vmx_root_exit() - undo vireo_vmx_root_init()
 *
 * Every vireo_vmx_get() must have been put by now.
 */
void vireo_vmx_root_exit(void)
{
	unregister_syscore_ops(&vireo_syscore_ops);
	unregister_reboot_notifier(&vireo_reboot_nb);
	cpuhp_remove_state(vireo_cpuhp_state);
	vireo_vmx_free_regions();
}

/**
 * vireo_vmx_this_cpu_on() - is this CPU in VMX root operation for vireo?
 *
 * A CPU coming online joins VMX in its hotplug callback, after it is
 * already in cpu_online_mask: broadcasts of VMX instructions check this.
 *
 * Context: preemption or interrupts disabled.
 * Return: true when it is.
 */
bool vireo_vmx_this_cpu_on(void)
{
	return __this_cpu_read(vireo_cpu.on);
}

/**
 * vireo_vmx_root_show() - print the VMX accounting of every CPU
 * @m: the seq_file of /sys/kernel/debug/vireo/vmx.
 */
void vireo_vmx_root_show(struct seq_file *m)
{
	int cpu;

	seq_printf(m, "users %u\n", READ_ONCE(vireo_vmx_users));
	seq_puts(m, "cpu online vmx vmxon vmxoff error\n");
	for_each_possible_cpu(cpu) {
		struct vireo_cpu *vc = per_cpu_ptr(&vireo_cpu, cpu);

		seq_printf(m, "%d %d %d %llu %llu %d\n", cpu, cpu_online(cpu),
			   READ_ONCE(vc->on), READ_ONCE(vc->nr_vmxon),
			   READ_ONCE(vc->nr_vmxoff), READ_ONCE(vc->error));
	}
}
