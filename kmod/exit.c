// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: what to do with each VM exit.
 *
 * vireo_handle_exit() dispatches on the basic exit reason through
 * vireo_exit_handlers[]. Every handler returns a enum vireo_exit_action:
 * VIREO_RESUME to enter the guest again, VIREO_USER after filling the run
 * struct for userspace, VIREO_OUTER to leave the inner loop (to sleep).
 * Handlers run with preemption disabled and the VMCS current; they never
 * sleep.
 *
 * An exit vireo has no handler for, or guest state it cannot go on with,
 * stops the vCPU with VIREO_EXIT_INTERNAL_ERROR and a sentence saying
 * why (vireo_internal_error()): the guest is stopped, the host is not
 * touched. The simple handlers live here; port I/O, EPT violations and
 * VMCALL have files of their own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/fpu/xcr.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include "cpuid.h"
#include "exit.h"
#include "gmem.h"
#include "inject.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "trace.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx_ops.h"

typedef int (*vireo_exit_fn)(struct vireo_vcpu *vcpu);

/**
 * vireo_user_exit() - return to userspace with an exit reason
 * @vcpu: the vCPU.
 * @reason: VIREO_EXIT_*; the caller filled the matching union member.
 *
 * Return: VIREO_USER.
 */
int vireo_user_exit(struct vireo_vcpu *vcpu, u32 reason)
{
	struct vireo_run *run = vcpu->run;

	run->exit_reason = reason;
	run->hw_exit_reason = vcpu->exit_reason;
	if (vcpu->loaded) {
		run->exit_qualification = vireo_exit_qual(vcpu);
		run->rip = vmcs_readl(GUEST_RIP);
		run->if_flag = !!(vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF);
	}
	if (reason < VIREO_STATS_USER_EXITS)
		vcpu->stats.user_exits[reason]++;
	trace_vireo_userspace_exit(vcpu->vm->id, vcpu->id, reason);
	return VIREO_USER;
}

/**
 * vireo_internal_error() - stop the vCPU: vireo cannot go on with it
 * @vcpu: the vCPU.
 * @suberror: VIREO_INTERNAL_*.
 * @fmt: the reason, for people; printf format.
 *
 * The reason reaches userspace in run->internal and the management plane
 * (the VM is CRASHED, reason internal error); the kernel log gets it
 * ratelimited. Later VIREO_RUNs of the vCPU fail with -EIO.
 *
 * Return: VIREO_USER.
 */
int vireo_internal_error(struct vireo_vcpu *vcpu, u32 suberror, const char *fmt, ...)
{
	struct vireo_run *run = vcpu->run;
	va_list ap;

	memset(&run->internal, 0, sizeof(run->internal));
	run->internal.suberror = suberror;
	run->internal.ndata = 3;
	run->internal.data[0] = vcpu->exit_reason;
	run->internal.data[1] = vireo_exit_qual(vcpu);
	run->internal.data[2] = vmcs_readl(GUEST_RIP);
	va_start(ap, fmt);
	vsnprintf(run->internal.reason, sizeof(run->internal.reason), fmt, ap);
	va_end(ap);
	vcpu->dead = true;
	pr_info_ratelimited("VM %u vCPU %u stopped: %s\n", vcpu->vm->id, vcpu->id,
			    run->internal.reason);
	vireo_vm_set_state(vcpu->vm, VIREO_VM_CRASHED, VIREO_REASON_INTERNAL_ERROR,
			   run->internal.reason);
	return vireo_user_exit(vcpu, VIREO_EXIT_INTERNAL_ERROR);
}

/**
 * vireo_fetch_insn() - the bytes of the instruction at CS:RIP
 * @vcpu: the vCPU, its VMCS current.
 * @buf: VIREO_INSN_MAX_LEN bytes.
 *
 * Return: how many bytes could be read (fewer when the instruction's page
 * ends and the next one is not mapped), 0 when none.
 */
int vireo_fetch_insn(struct vireo_vcpu *vcpu, u8 *buf)
{
	u64 rip = vireo_seg_base(vcpu, 1) + vmcs_readl(GUEST_RIP);
	size_t first;

	if (vireo_cpu_mode(vcpu) != VIREO_MODE_LONG64)
		rip &= 0xffffffff;
	first = min_t(size_t, VIREO_INSN_MAX_LEN, PAGE_SIZE - offset_in_page(rip));
	if (vireo_gva_read(vcpu, rip, buf, first))
		return 0;
	if (first == VIREO_INSN_MAX_LEN ||
	    vireo_gva_read(vcpu, rip + first, buf + first, VIREO_INSN_MAX_LEN - first))
		return first;
	return VIREO_INSN_MAX_LEN;
}

static int handle_nothing(struct vireo_vcpu *vcpu)
{
	return VIREO_RESUME;
}

static int handle_skip(struct vireo_vcpu *vcpu)
{
	vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}

static int handle_ud(struct vireo_vcpu *vcpu)
{
	vireo_inject_ud(vcpu);
	return VIREO_RESUME;
}

static int handle_gp(struct vireo_vcpu *vcpu)
{
	vireo_inject_gp(vcpu);
	return VIREO_RESUME;
}

static int handle_exception_nmi(struct vireo_vcpu *vcpu)
{
	u32 info = vmcs_read32(VM_EXIT_INTR_INFO);

	/* Host NMIs were handled in the run loop; vireo intercepts no exception. */
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		return VIREO_RESUME;
	return vireo_internal_error(vcpu, VIREO_INTERNAL_UNKNOWN_EXIT,
				    "unexpected exception %u exit", info & 0xff);
}

static int handle_triple_fault(struct vireo_vcpu *vcpu)
{
	vireo_vm_set_state(vcpu->vm, VIREO_VM_CRASHED, VIREO_REASON_TRIPLE_FAULT, NULL);
	return vireo_user_exit(vcpu, VIREO_EXIT_SHUTDOWN);
}

/* The guest can take an interrupt (or NMI) now: look again at what waits. */
static int handle_intr_window(struct vireo_vcpu *vcpu)
{
	vireo_window_exiting(vcpu, CPU_BASED_INTR_WINDOW_EXITING, false);
	set_bit(VIREO_REQ_EVENT, &vcpu->requests);
	return VIREO_RESUME;
}

static int handle_nmi_window(struct vireo_vcpu *vcpu)
{
	vireo_window_exiting(vcpu, CPU_BASED_NMI_WINDOW_EXITING, false);
	set_bit(VIREO_REQ_EVENT, &vcpu->requests);
	return VIREO_RESUME;
}

static int handle_task_switch(struct vireo_vcpu *vcpu)
{
	return vireo_internal_error(vcpu, VIREO_INTERNAL_EMULATION,
				    "hardware task switch (selector %#lx) is not supported",
				    vireo_exit_qual(vcpu) & 0xffff);
}

/**
 * vireo_handle_cpuid() - a CPUID exit: answer from the vCPU's table
 * @vcpu: the vCPU.
 *
 * Return: VIREO_RESUME.
 */
int vireo_handle_cpuid(struct vireo_vcpu *vcpu)
{
	u32 eax, ebx, ecx, edx;

	vireo_cpuid_lookup(vcpu, vcpu->regs[VIREO_RAX], vcpu->regs[VIREO_RCX],
			   &eax, &ebx, &ecx, &edx);
	vcpu->regs[VIREO_RAX] = eax;
	vcpu->regs[VIREO_RBX] = ebx;
	vcpu->regs[VIREO_RCX] = ecx;
	vcpu->regs[VIREO_RDX] = edx;
	vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}

static int handle_hlt(struct vireo_vcpu *vcpu)
{
	vireo_skip_insn(vcpu);
	vcpu->halt_if = vmcs_readl(GUEST_RFLAGS) & X86_EFLAGS_IF;
	if (READ_ONCE(vcpu->nmi_pending) || (vcpu->halt_if && vireo_has_interrupt(vcpu)))
		return VIREO_RESUME;
	WRITE_ONCE(vcpu->mp_state, VIREO_MP_HALTED);
	return VIREO_OUTER;
}

/* A GPR as an operand of the current mode: 32 bits outside 64-bit mode. */
static unsigned long gpr_operand(struct vireo_vcpu *vcpu, int reg)
{
	unsigned long val = reg == VIREO_RSP ? vmcs_readl(GUEST_RSP) : vcpu->regs[reg];

	return vireo_cpu_mode(vcpu) == VIREO_MODE_LONG64 ? val : (u32)val;
}

static void gpr_store(struct vireo_vcpu *vcpu, int reg, unsigned long val)
{
	if (reg == VIREO_RSP)
		vmcs_writel(GUEST_RSP, val);
	else
		vcpu->regs[reg] = val;
}

/*
 * The exit qualification gives the control register in bits 3:0 (SDM Vol.
 * 3C, "Exit Qualification for Control-Register Accesses"); asm/vmx.h's
 * CONTROL_REG_ACCESS_NUM masks only bits 2:0, which turns CR8 into CR0.
 */
#define VIREO_CR_ACCESS_NUM	0xf

static int handle_cr(struct vireo_vcpu *vcpu)
{
	unsigned long q = vireo_exit_qual(vcpu);
	int cr = q & VIREO_CR_ACCESS_NUM, reg = (q >> 8) & 0xf;
	unsigned long val;
	int bad = 0;

	switch ((q & CONTROL_REG_ACCESS_TYPE) >> 4) {
	case 0:		/* MOV to CR */
		val = gpr_operand(vcpu, reg);
		if (cr == 0)
			bad = vireo_set_cr0(vcpu, val, false);
		else if (cr == 4)
			bad = vireo_set_cr4(vcpu, val, false);
		else if (cr == 8 && val <= 15)
			vireo_lapic_set_cr8(vcpu, val);
		else
			bad = 1;
		break;
	case 1:		/* MOV from CR: only CR8 exits */
		if (cr != 8)
			goto unexpected;
		gpr_store(vcpu, reg, vireo_lapic_get_cr8(vcpu));
		break;
	case 2:		/* CLTS */
		bad = vireo_set_cr0(vcpu, vireo_cr0(vcpu) & ~X86_CR0_TS, false);
		break;
	case 3:		/* LMSW: sets PE but never clears it */
		val = (q >> LMSW_SOURCE_DATA_SHIFT) & 0xf;
		bad = vireo_set_cr0(vcpu, (vireo_cr0(vcpu) & ~0xeul) | val, false);
		break;
	}
	if (bad)
		vireo_inject_gp(vcpu);
	else
		vireo_skip_insn(vcpu);
	return VIREO_RESUME;

unexpected:
	return vireo_internal_error(vcpu, VIREO_INTERNAL_UNKNOWN_EXIT,
				    "unexpected control register access %#lx", q);
}

/*
 * MOV DR. vireo keeps the guest's debug registers for it but never loads
 * them: guest breakpoints and watchpoints do not fire (the hardware DR7
 * stays 0x400 in the guest).
 *
 * The CPU raises the #GP of a MOV DR at CPL > 0 before it exits, but not
 * every VMX implementation does (Bochs 2.7 exits first, as a nested
 * hypervisor may): check the CPL here too, as KVM does.
 */
static int handle_dr(struct vireo_vcpu *vcpu)
{
	unsigned long q = vireo_exit_qual(vcpu), val;
	int dr = q & DEBUG_REG_ACCESS_NUM, reg = DEBUG_REG_ACCESS_REG(q);
	bool read = q & TYPE_MOV_FROM_DR;

	if (dr == 4 || dr == 5) {
		if (vireo_cr4(vcpu) & X86_CR4_DE) {
			vireo_inject_ud(vcpu);
			return VIREO_RESUME;
		}
		dr += 2;
	}
	if (vireo_cpl(vcpu)) {
		vireo_inject_gp(vcpu);
		return VIREO_RESUME;
	}
	if (read) {
		val = dr < 4 ? vcpu->db[dr] : dr == 6 ? vcpu->dr6 : vcpu->dr7;
		gpr_store(vcpu, reg, val);
	} else {
		val = gpr_operand(vcpu, reg);
		if (dr >= 6 && val >> 32) {
			vireo_inject_gp(vcpu);
			return VIREO_RESUME;
		}
		if (dr < 4)
			vcpu->db[dr] = val;
		else if (dr == 6)
			vcpu->dr6 = (val & 0x1e00f) | 0xffff0ff0;
		else
			vcpu->dr7 = (val & 0xffff2fff) | 0x400;
	}
	vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}

static int handle_xsetbv(struct vireo_vcpu *vcpu)
{
	u64 val = (vcpu->regs[VIREO_RDX] << 32) | (u32)vcpu->regs[VIREO_RAX];

	if (!(vcpu->cr4 & X86_CR4_OSXSAVE)) {
		vireo_inject_ud(vcpu);
		return VIREO_RESUME;
	}
	if (vireo_cpl(vcpu) || (u32)vcpu->regs[VIREO_RCX] != XCR_XFEATURE_ENABLED_MASK ||
	    vireo_set_xcr0(vcpu, val))
		vireo_inject_gp(vcpu);
	else
		vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}

static bool in_ranges(const struct vireo_range *r, unsigned int n, u32 x)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (x >= r[i].first && x - r[i].first < r[i].count)
			return true;
	return false;
}

/**
 * vireo_vm_routes() - has the VMM routed this MSR or hypercall to itself?
 * @vm: the VM.
 * @kind: VIREO_RANGE_MSR or VIREO_RANGE_HYPERCALL.
 * @x: the MSR index or hypercall number.
 *
 * Return: true when it has.
 */
bool vireo_vm_routes(struct vireo_vm *vm, u32 kind, u32 x)
{
	unsigned long flags;
	bool hit;

	spin_lock_irqsave(&vm->ranges_lock, flags);
	hit = kind == VIREO_RANGE_MSR ? in_ranges(vm->msr_ranges, vm->nr_msr_ranges, x)
				      : in_ranges(vm->hc_ranges, vm->nr_hc_ranges, x);
	spin_unlock_irqrestore(&vm->ranges_lock, flags);
	return hit;
}

static int msr_to_user(struct vireo_vcpu *vcpu, u32 index, bool write, u64 data)
{
	struct vireo_run *run = vcpu->run;

	memset(&run->msr, 0, sizeof(run->msr));
	run->msr.index = index;
	run->msr.is_write = write;
	run->msr.data = data;
	vcpu->pending = VIREO_PENDING_MSR;
	return vireo_user_exit(vcpu, VIREO_EXIT_MSR);
}

static int handle_rdmsr(struct vireo_vcpu *vcpu)
{
	u32 index = vcpu->regs[VIREO_RCX];
	u64 data;

	if (vireo_msr_handled(index) || !vireo_vm_routes(vcpu->vm, VIREO_RANGE_MSR, index)) {
		if (vireo_msr_get(vcpu, index, &data, false)) {
			vireo_inject_gp(vcpu);
			return VIREO_RESUME;
		}
		vcpu->regs[VIREO_RAX] = (u32)data;
		vcpu->regs[VIREO_RDX] = data >> 32;
		vireo_skip_insn(vcpu);
		return VIREO_RESUME;
	}
	return msr_to_user(vcpu, index, false, 0);
}

static int handle_wrmsr(struct vireo_vcpu *vcpu)
{
	u32 index = vcpu->regs[VIREO_RCX];
	u64 data = (vcpu->regs[VIREO_RDX] << 32) | (u32)vcpu->regs[VIREO_RAX];

	if (vireo_msr_handled(index) || !vireo_vm_routes(vcpu->vm, VIREO_RANGE_MSR, index)) {
		if (vireo_msr_set(vcpu, index, data, false))
			vireo_inject_gp(vcpu);
		else
			vireo_skip_insn(vcpu);
		return VIREO_RESUME;
	}
	return msr_to_user(vcpu, index, true, data);
}

/* Completion of a routed RDMSR or WRMSR; the instruction is still at RIP. */
static int complete_msr(struct vireo_vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;

	if (run->msr.error) {
		vireo_inject_gp(vcpu);
		return VIREO_RESUME;
	}
	if (!run->msr.is_write) {
		vcpu->regs[VIREO_RAX] = (u32)run->msr.data;
		vcpu->regs[VIREO_RDX] = run->msr.data >> 32;
	}
	vireo_skip_insn(vcpu);
	return VIREO_RESUME;
}

static int handle_ept_misconfig(struct vireo_vcpu *vcpu)
{
	return vireo_internal_error(vcpu, VIREO_INTERNAL_MEMORY,
				    "EPT misconfiguration at guest-physical %#llx",
				    vmcs_read64(GUEST_PHYSICAL_ADDRESS));
}

static const vireo_exit_fn vireo_exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]		= handle_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= handle_nothing,
	[EXIT_REASON_TRIPLE_FAULT]		= handle_triple_fault,
	[EXIT_REASON_INTERRUPT_WINDOW]		= handle_intr_window,
	[EXIT_REASON_NMI_WINDOW]		= handle_nmi_window,
	[EXIT_REASON_TASK_SWITCH]		= handle_task_switch,
	[EXIT_REASON_CPUID]			= vireo_handle_cpuid,
	[11]					= handle_ud,	/* GETSEC */
	[EXIT_REASON_HLT]			= handle_hlt,
	[EXIT_REASON_INVD]			= handle_skip,
	[EXIT_REASON_INVLPG]			= handle_skip,
	[EXIT_REASON_RDPMC]			= handle_gp,
	[EXIT_REASON_VMCALL]			= vireo_handle_vmcall,
	[EXIT_REASON_VMCLEAR]			= handle_ud,
	[EXIT_REASON_VMLAUNCH]			= handle_ud,
	[EXIT_REASON_VMPTRLD]			= handle_ud,
	[EXIT_REASON_VMPTRST]			= handle_ud,
	[EXIT_REASON_VMREAD]			= handle_ud,
	[EXIT_REASON_VMRESUME]			= handle_ud,
	[EXIT_REASON_VMWRITE]			= handle_ud,
	[EXIT_REASON_VMOFF]			= handle_ud,
	[EXIT_REASON_VMON]			= handle_ud,
	[EXIT_REASON_CR_ACCESS]			= handle_cr,
	[EXIT_REASON_DR_ACCESS]			= handle_dr,
	[EXIT_REASON_IO_INSTRUCTION]		= vireo_handle_io,
	[EXIT_REASON_MSR_READ]			= handle_rdmsr,
	[EXIT_REASON_MSR_WRITE]			= handle_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= handle_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= handle_ud,
	[EXIT_REASON_PAUSE_INSTRUCTION]		= handle_skip,
	[EXIT_REASON_EPT_VIOLATION]		= vireo_handle_ept_violation,
	[EXIT_REASON_EPT_MISCONFIG]		= handle_ept_misconfig,
	[EXIT_REASON_INVEPT]			= handle_ud,
	[EXIT_REASON_PREEMPTION_TIMER]		= handle_nothing,
	[EXIT_REASON_INVVPID]			= handle_ud,
	[EXIT_REASON_WBINVD]			= handle_skip,
	[EXIT_REASON_XSETBV]			= handle_xsetbv,
	[EXIT_REASON_VMFUNC]			= handle_ud,
	[EXIT_REASON_XSAVES]			= handle_ud,
	[EXIT_REASON_XRSTORS]			= handle_ud,
};

/**
 * vireo_exit_account() - count and trace the VM exit that just happened
 * @vcpu: the vCPU, its VMCS current.
 */
void vireo_exit_account(struct vireo_vcpu *vcpu)
{
	u16 basic = vcpu->exit_reason & 0xffff;

	vcpu->exit_qual_valid = false;
	vcpu->mode_cache = -1;
	if (basic < VIREO_STATS_VMX_EXITS)
		vcpu->stats.vmx_exits[basic]++;
	if (basic != EXIT_REASON_EPT_VIOLATION)
		vcpu->ept_retries = 0;
	if (trace_vireo_exit_enabled())
		trace_vireo_exit(vcpu->vm->id, vcpu->id, vcpu->exit_reason,
				 vireo_exit_qual(vcpu), vmcs_readl(GUEST_RIP));
}

/**
 * vireo_handle_exit() - act on the VM exit that just happened
 * @vcpu: the vCPU, its VMCS current, preemption disabled.
 *
 * Return: an enum vireo_exit_action.
 */
int vireo_handle_exit(struct vireo_vcpu *vcpu)
{
	u32 reason = vcpu->exit_reason;
	u16 basic = reason & 0xffff;
	struct vireo_run *run = vcpu->run;

	vireo_exit_account(vcpu);
	if (unlikely(reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
		run->fail_entry.hardware_entry_failure_reason = reason;
		run->fail_entry.cpu = smp_processor_id();
		run->fail_entry.vm_instruction_error = 0;
		vireo_vm_set_state(vcpu->vm, VIREO_VM_CRASHED, VIREO_REASON_ENTRY_FAILED,
				   "VM entry failed on guest state");
		return vireo_user_exit(vcpu, VIREO_EXIT_FAIL_ENTRY);
	}
	if (basic < ARRAY_SIZE(vireo_exit_handlers) && vireo_exit_handlers[basic])
		return vireo_exit_handlers[basic](vcpu);
	return vireo_internal_error(vcpu, VIREO_INTERNAL_UNKNOWN_EXIT,
				    "VM exit reason %u is not handled", basic);
}

/**
 * vireo_complete_user_exit() - finish the instruction userspace answered
 * @vcpu: the vCPU, its VMCS current, preemption disabled.
 *
 * Return: VIREO_RESUME, or VIREO_USER after an internal error.
 */
int vireo_complete_user_exit(struct vireo_vcpu *vcpu)
{
	struct vireo_run *run = vcpu->run;
	enum vireo_pending pending = vcpu->pending;
	u64 data = 0;

	vcpu->pending = VIREO_PENDING_NONE;
	switch (pending) {
	case VIREO_PENDING_IN:
		return vireo_io_complete_in(vcpu);
	case VIREO_PENDING_MMIO_READ:
		memcpy(&data, run->mmio.data, sizeof(data));
		return vireo_mmio_complete_read(vcpu, data);
	case VIREO_PENDING_MSR:
		return complete_msr(vcpu);
	case VIREO_PENDING_HYPERCALL:
		vcpu->regs[VIREO_RAX] = run->hypercall.ret;
		return VIREO_RESUME;
	default:
		return VIREO_RESUME;
	}
}
