// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: VMCS regions, their controls, their host state, their CPU.
 *
 * Every vCPU has one VMCS. vireo_vmcs_init() decides once, from the
 * capability MSRs, the execution controls all VMCSs start with
 * (vireo_vmcs_config); vireo_vmcs_setup() writes them and the host state
 * that never changes into a new VMCS.
 *
 * A VMCS is "loaded" on at most one CPU: VMPTRLD made it current there, and
 * the CPU may cache it until VMCLEAR. When the scheduler moves a vCPU's
 * thread, vireo_vmcs_load() VMCLEARs the VMCS on its old CPU (an IPI),
 * VMPTRLDs it on the new one and rewrites the host fields that differ per
 * CPU. Each CPU keeps a list of the VMCSs loaded on it, so that a CPU
 * going offline, or leaving VMX for a reboot, VMCLEARs them first
 * (vireo_vmcs_clear_cpu(), called by vmx_root.c before VMXOFF).
 *
 * Exits the guest controls (I/O, MSRs) are intercepted through bitmaps
 * shared by all VMCSs: every port and every MSR exits, except the segment
 * base MSRs, which the guest uses at will and vireo saves and restores.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/cpu_entry_area.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <kunit/visibility.h>

#include "caps.h"
#include "vcpu.h"
#include "vm.h"
#include "vmcs.h"
#include "vmenter.h"
#include "vmx_ops.h"

struct vireo_vmcs_config vireo_vmcs_config __ro_after_init;

static unsigned long *vireo_io_bitmap;	/* 2 pages: ports 0-0x7fff, 0x8000-0xffff */
static unsigned long *vireo_msr_bitmap;	/* 1 page */
static u64 vireo_host_efer, vireo_host_pat;

static DEFINE_PER_CPU(struct list_head, vireo_loaded_vmcss);
static DEFINE_PER_CPU(void *, vireo_current_vmcs);
static DEFINE_IDA(vireo_vpids);

/**
 * vireo_vmx_op_error() - report a VMX instruction that failed
 * @op: its name.
 * @field: the VMCS field or INVEPT/INVVPID type.
 * @value: the value written, or the address.
 *
 * Only a bug in vireo gets here; the guest cannot make these fail.
 */
void vireo_vmx_op_error(const char *op, unsigned long field, unsigned long value)
{
	pr_err_ratelimited("%s failed: field/type %#lx value %#lx, VM-instruction error %u\n",
			   op, field, value,
			   (unsigned int)__vmcs_read(VM_INSTRUCTION_ERROR));
}

/* Required bits must be allowed (caps.c checked), optional ones if allowed. */
static u32 vireo_ctl(enum vireo_vmx_msr msr, u32 required, u32 optional)
{
	u64 cap = vireo_caps.msr[msr];
	u32 must = cap, may = cap >> 32;

	return (required | (optional & may) | must) & may;
}

static void vireo_vmcs_config_init(void)
{
	struct vireo_vmcs_config *c = &vireo_vmcs_config;
	u64 fixed0, fixed1;

	c->pin = vireo_ctl(VIREO_MSR_PIN, PIN_BASED_EXT_INTR_MASK |
			   PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
			   PIN_BASED_VMX_PREEMPTION_TIMER);
	c->proc = vireo_ctl(VIREO_MSR_PROC,
			    CPU_BASED_HLT_EXITING | CPU_BASED_USE_IO_BITMAPS |
			    CPU_BASED_USE_MSR_BITMAPS | CPU_BASED_MOV_DR_EXITING |
			    CPU_BASED_ACTIVATE_SECONDARY_CONTROLS,
			    CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING |
			    CPU_BASED_RDPMC_EXITING | CPU_BASED_MWAIT_EXITING |
			    CPU_BASED_MONITOR_EXITING);
	c->proc2 = vireo_ctl(VIREO_MSR_PROC2,
			     SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_ENABLE_VPID |
			     SECONDARY_EXEC_UNRESTRICTED_GUEST,
			     SECONDARY_EXEC_ENABLE_RDTSCP | SECONDARY_EXEC_ENABLE_INVPCID |
			     SECONDARY_EXEC_WBINVD_EXITING);
	c->exit = vireo_ctl(VIREO_MSR_EXIT,
			    VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER |
			    VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT |
			    VM_EXIT_LOAD_IA32_PAT, VM_EXIT_SAVE_DEBUG_CONTROLS);
	c->entry = vireo_ctl(VIREO_MSR_ENTRY, VM_ENTRY_LOAD_IA32_EFER |
			     VM_ENTRY_LOAD_IA32_PAT, VM_ENTRY_LOAD_DEBUG_CONTROLS);
	/* IA-32e mode guest follows EFER.LMA, per vCPU. */
	c->entry &= ~VM_ENTRY_IA32E_MODE;

	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, fixed1);
	c->cr0_fixed0 = fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	c->cr0_fixed1 = fixed1;
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, fixed1);
	c->cr4_fixed0 = fixed0;
	c->cr4_fixed1 = fixed1;
}

/*
 * The VMX preemption timer bounds how long the guest runs without an exit:
 * VIREO_GUARD_US. A host interrupt exits at once on hardware; emulators
 * (Bochs 2.7) let a guest that runs with RFLAGS.IF clear hold the CPU past
 * pending host interrupts, and the host starves. The field is reloaded on
 * every VM entry (vireo does not save the remaining value on exit), so it
 * is written once, and a guest that exits on its own never sees it fire.
 */
#define VIREO_GUARD_US	1000

static u32 vireo_preemption_ticks(void)
{
	u64 ticks = (u64)tsc_khz * VIREO_GUARD_US / 1000;

	return max_t(u64, ticks >> vireo_caps_preemption_timer(), 1);
}

/* Let the guest read and write @msr without exits. */
static void vireo_msr_passthrough(u32 msr)
{
	unsigned long *b = vireo_msr_bitmap;
	u32 bit = msr & 0x1fff;

	if (msr >= 0xc0000000) {
		__clear_bit(bit, b + 0x400 / sizeof(*b));	/* read high */
		__clear_bit(bit, b + 0xc00 / sizeof(*b));	/* write high */
	} else {
		__clear_bit(bit, b);				/* read low */
		__clear_bit(bit, b + 0x800 / sizeof(*b));	/* write low */
	}
}

/**
 * vireo_vmcs_init() - decide the VMCS controls, allocate the bitmaps
 *
 * Return: 0 or -ENOMEM.
 */
int vireo_vmcs_init(void)
{
	int cpu;

	vireo_vmcs_config_init();
	rdmsrl(MSR_EFER, vireo_host_efer);
	rdmsrl(MSR_IA32_CR_PAT, vireo_host_pat);
	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(&per_cpu(vireo_loaded_vmcss, cpu));

	vireo_io_bitmap = (unsigned long *)__get_free_pages(GFP_KERNEL, 1);
	if (!vireo_io_bitmap)
		return -ENOMEM;
	vireo_msr_bitmap = (unsigned long *)__get_free_page(GFP_KERNEL);
	if (!vireo_msr_bitmap) {
		free_pages((unsigned long)vireo_io_bitmap, 1);
		return -ENOMEM;
	}
	memset(vireo_io_bitmap, 0xff, 2 * PAGE_SIZE);
	memset(vireo_msr_bitmap, 0xff, PAGE_SIZE);
	vireo_msr_passthrough(MSR_FS_BASE);
	vireo_msr_passthrough(MSR_GS_BASE);
	vireo_msr_passthrough(MSR_KERNEL_GS_BASE);
	return 0;
}

/**
 * vireo_vmcs_exit() - free what vireo_vmcs_init() allocated
 */
void vireo_vmcs_exit(void)
{
	free_page((unsigned long)vireo_msr_bitmap);
	free_pages((unsigned long)vireo_io_bitmap, 1);
}

/**
 * vireo_vmcs_has_rdtscp() - do guests get RDTSCP (and IA32_TSC_AUX)?
 *
 * Return: true when the VMCS enables it.
 */
bool vireo_vmcs_has_rdtscp(void)
{
	return vireo_vmcs_config.proc2 & SECONDARY_EXEC_ENABLE_RDTSCP;
}

/**
 * vireo_vmcs_has_invpcid() - do guests get INVPCID?
 *
 * Return: true when the VMCS enables it.
 */
bool vireo_vmcs_has_invpcid(void)
{
	return vireo_vmcs_config.proc2 & SECONDARY_EXEC_ENABLE_INVPCID;
}

/**
 * vireo_vmcs_alloc() - allocate a vCPU's VMCS region and VPID
 * @vcpu: the vCPU; sets vcpu->vmcs, vcpu->vpid and vcpu->cpu = -1.
 *
 * Return: 0, -ENOMEM, or -ENOSPC when VPIDs run out.
 */
int vireo_vmcs_alloc(struct vireo_vcpu *vcpu)
{
	int vpid;

	vpid = ida_alloc_range(&vireo_vpids, 1, 0xffff, GFP_KERNEL_ACCOUNT);
	if (vpid < 0)
		return vpid;
	vcpu->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmcs) {
		ida_free(&vireo_vpids, vpid);
		return -ENOMEM;
	}
	*(u32 *)vcpu->vmcs = vireo_caps_revision_id();
	vcpu->vpid = vpid;
	vcpu->cpu = -1;
	INIT_LIST_HEAD(&vcpu->loaded_link);
	return 0;
}

/* On the CPU @vcpu's VMCS is loaded on, interrupts off: VMCLEAR it. */
static void vireo_vmcs_clear_one(struct vireo_vcpu *vcpu)
{
	vireo_vmclear(__pa(vcpu->vmcs));
	if (__this_cpu_read(vireo_current_vmcs) == vcpu->vmcs)
		__this_cpu_write(vireo_current_vmcs, NULL);
	list_del_init(&vcpu->loaded_link);
	vcpu->launched = false;
	/* The list and the VMCS are done with before anyone sees cpu == -1. */
	smp_wmb();
	WRITE_ONCE(vcpu->cpu, -1);
}

static void vireo_vmcs_clear_ipi(void *arg)
{
	struct vireo_vcpu *vcpu = arg;

	if (READ_ONCE(vcpu->cpu) == raw_smp_processor_id())
		vireo_vmcs_clear_one(vcpu);
}

/* VMCLEAR @vcpu's VMCS wherever it is loaded (an IPI, waited for). */
static void vireo_vmcs_clear_remote(struct vireo_vcpu *vcpu)
{
	int cpu = READ_ONCE(vcpu->cpu);

	if (cpu < 0)
		return;
	/* An offline CPU VMCLEARed everything on its way out. */
	smp_call_function_single(cpu, vireo_vmcs_clear_ipi, vcpu, 1);
	/* Pairs with vireo_vmcs_clear_one(): its list and VMCS work first. */
	smp_rmb();
}

/**
 * vireo_vmcs_clear_cpu() - VMCLEAR every VMCS loaded on this CPU
 *
 * Context: on the CPU itself, preemption disabled; before VMXOFF.
 */
void vireo_vmcs_clear_cpu(void)
{
	struct list_head *list = this_cpu_ptr(&vireo_loaded_vmcss);
	struct vireo_vcpu *vcpu, *tmp;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry_safe(vcpu, tmp, list, loaded_link)
		vireo_vmcs_clear_one(vcpu);
	local_irq_restore(flags);
}

/**
 * vireo_vmcs_free() - VMCLEAR and free a vCPU's VMCS, release its VPID
 * @vcpu: the vCPU, which no thread runs any more.
 */
void vireo_vmcs_free(struct vireo_vcpu *vcpu)
{
	if (!vcpu->vmcs)
		return;
	vireo_vmcs_clear_remote(vcpu);
	free_page((unsigned long)vcpu->vmcs);
	vcpu->vmcs = NULL;
	ida_free(&vireo_vpids, vcpu->vpid);
}

/* Host fields that differ from one CPU to the next. */
static void vireo_vmcs_set_host_per_cpu(int cpu)
{
	struct desc_ptr gdt;
	u64 sysenter_esp, gs_base;

	native_store_gdt(&gdt);
	vmcs_writel(HOST_GDTR_BASE, gdt.address);
	vmcs_writel(HOST_TR_BASE, (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	rdmsrl(MSR_IA32_SYSENTER_ESP, sysenter_esp);
	vmcs_writel(HOST_IA32_SYSENTER_ESP, sysenter_esp);
	rdmsrl(MSR_GS_BASE, gs_base);
	vmcs_writel(HOST_GS_BASE, gs_base);
}

/**
 * vireo_vmcs_load() - make @vcpu's VMCS current on this CPU
 * @vcpu: the vCPU.
 *
 * Context: preemption disabled, interrupts enabled (it may IPI the CPU
 * the VMCS was loaded on before).
 */
void vireo_vmcs_load(struct vireo_vcpu *vcpu)
{
	int cpu = smp_processor_id();
	unsigned long flags;

	if (READ_ONCE(vcpu->cpu) != cpu) {
		vireo_vmcs_clear_remote(vcpu);
		/* The host's TSC_AUX is per CPU (the vDSO's getcpu) and constant. */
		if (vireo_vmcs_has_rdtscp())
			rdmsrl(MSR_TSC_AUX, vcpu->host.tsc_aux);
		local_irq_save(flags);
		list_add(&vcpu->loaded_link, this_cpu_ptr(&vireo_loaded_vmcss));
		vcpu->cpu = cpu;
		local_irq_restore(flags);
		__this_cpu_write(vireo_current_vmcs, NULL);
	}
	if (__this_cpu_read(vireo_current_vmcs) != vcpu->vmcs) {
		vireo_vmptrld(__pa(vcpu->vmcs));
		__this_cpu_write(vireo_current_vmcs, vcpu->vmcs);
		vireo_vmcs_set_host_per_cpu(cpu);
		/* This CPU may cache translations from an earlier stay. */
		vireo_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, vcpu->vpid, 0);
		vireo_invept(VMX_EPT_EXTENT_CONTEXT, vcpu->vm->mmu.eptp);
	}
}

/**
 * vireo_vmcs_update_host() - refresh the host CR3 and CR4 of the VMCS
 * @vcpu: the vCPU whose VMCS is current.
 *
 * CR3 changes with the address space (and PCID), CR4 per CPU; check them
 * before every VM entry, with interrupts disabled.
 */
void vireo_vmcs_update_host(struct vireo_vcpu *vcpu)
{
	unsigned long cr3 = __read_cr3(), cr4 = cr4_read_shadow();

	if (unlikely(cr3 != vcpu->host.cr3)) {
		vmcs_writel(HOST_CR3, cr3);
		vcpu->host.cr3 = cr3;
	}
	if (unlikely(cr4 != vcpu->host.cr4)) {
		vmcs_writel(HOST_CR4, cr4);
		vcpu->host.cr4 = cr4;
	}
}

/**
 * vireo_vmcs_setup() - write the controls and fixed host state of a VMCS
 * @vcpu: the vCPU whose VMCS is current on this CPU.
 * @eptp: the VM's EPT pointer.
 *
 * The guest state comes from vireo_vcpu_reset() afterwards.
 */
void vireo_vmcs_setup(struct vireo_vcpu *vcpu, u64 eptp)
{
	const struct vireo_vmcs_config *c = &vireo_vmcs_config;
	u64 sysenter_cs, sysenter_eip;
	struct desc_ptr idt;

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, c->pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, c->proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, c->proc2);
	vmcs_write32(VM_EXIT_CONTROLS, c->exit);
	vmcs_write32(VM_ENTRY_CONTROLS, c->entry);
	vmcs_write32(EXCEPTION_BITMAP, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write16(VIRTUAL_PROCESSOR_ID, vcpu->vpid);
	vmcs_write64(EPT_POINTER, eptp);
	vmcs_write64(IO_BITMAP_A, __pa(vireo_io_bitmap));
	vmcs_write64(IO_BITMAP_B, __pa(vireo_io_bitmap) + PAGE_SIZE);
	vmcs_write64(MSR_BITMAP, __pa(vireo_msr_bitmap));
	vmcs_write64(VMCS_LINK_POINTER, ~0ull);
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vireo_preemption_ticks());
	vmcs_writel(CR0_GUEST_HOST_MASK, ~(unsigned long)VIREO_CR0_GUEST_OWNED);
	vmcs_writel(CR4_GUEST_HOST_MASK, ~(unsigned long)VIREO_CR4_GUEST_OWNED);

	vmcs_writel(HOST_CR0, read_cr0());
	vcpu->host.cr3 = __read_cr3();
	vmcs_writel(HOST_CR3, vcpu->host.cr3);
	vcpu->host.cr4 = cr4_read_shadow();
	vmcs_writel(HOST_CR4, vcpu->host.cr4);
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_writel(HOST_FS_BASE, 0);
	store_idt(&idt);
	vmcs_writel(HOST_IDTR_BASE, idt.address);
	vmcs_writel(HOST_RIP, (unsigned long)vireo_vmx_exit_point);
	rdmsrl(MSR_IA32_SYSENTER_CS, sysenter_cs);
	vmcs_write32(HOST_IA32_SYSENTER_CS, sysenter_cs);
	rdmsrl(MSR_IA32_SYSENTER_EIP, sysenter_eip);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, sysenter_eip);
	vmcs_write64(HOST_IA32_EFER, vireo_host_efer);
	vmcs_write64(HOST_IA32_PAT, vireo_host_pat);
	vireo_vmcs_set_host_per_cpu(smp_processor_id());
}
