// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: VMCALL, the hypercall dispatcher.
 *
 * The ABI is uapi/linux/vireo_para.h. Every hypercall passes two checks
 * before anything else: the caller runs at CPL 0 (-VIREO_EPERM), and the
 * guest enabled the hypercall's feature with VIREO_HC_SET_FEATURES
 * (-VIREO_ENOTNEG). Then vireo handles it itself (the core calls and the pv
 * clock), or hands it to the VMM when the VMM routed its number with
 * VIREO_SET_USER_RANGE (the console and block devices live in the VMM);
 * any other number is -VIREO_ENOSYS. RIP moves past VMCALL before the
 * call is handled, so a call that returns to userspace resumes after it.
 */
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/vireo_para.h>
#include <asm/tsc.h>

#include "exit.h"
#include "gmem.h"
#include "inject.h"
#include "regs.h"
#include "trace.h"
#include "vcpu.h"
#include "vm.h"

/* The feature a hypercall belongs to; 0 for those every guest may make. */
static u32 hc_feature(u64 nr)
{
	switch (nr) {
	case VIREO_HC_SYSTEM_EVENT:
		return VIREO_PV_F_SYSTEM;
	case VIREO_HC_IDLE:
		return VIREO_PV_F_IDLE;
	case VIREO_HC_CONSOLE_WRITE ... VIREO_HC_CONSOLE_WRITE + 7:
		return VIREO_PV_F_CONSOLE;
	case VIREO_HC_BLOCK_INFO ... VIREO_HC_BLOCK_INFO + 7:
		return VIREO_PV_F_BLOCK;
	case VIREO_HC_CLOCK_ENABLE ... VIREO_HC_CLOCK_ENABLE + 7:
		return VIREO_PV_F_CLOCK;
	default:
		return 0;
	}
}

/* mul and shift with ns = ((tsc_delta << shift) * mul) >> 32. */
static void pvclock_scale(u32 khz, u32 *mul, s8 *shift)
{
	u64 hz = (u64)khz * 1000;
	int s = 0;

	while ((NSEC_PER_SEC >> s) > hz)
		s++;
	*shift = s;
	*mul = div64_u64((u64)NSEC_PER_SEC << (32 - s), hz);
}

static s64 pvclock_enable(struct vireo_vcpu *vcpu, u64 gpa)
{
	struct vireo_vm *vm = vcpu->vm;
	struct vireo_pvclock pv = { .version = 2, .flags = VIREO_PVCLOCK_TSC_STABLE };
	u64 now_ns, real_ns;

	if (!gpa) {
		WRITE_ONCE(vm->pvclock_gpa, 0);
		return 0;
	}
	if (!IS_ALIGNED(gpa, 64))
		return -VIREO_EINVAL;
	pvclock_scale(tsc_khz, &pv.tsc_to_system_mul, &pv.tsc_shift);
	pv.tsc_khz = tsc_khz;
	pv.tsc_timestamp = rdtsc();
	now_ns = ktime_get_ns();
	real_ns = ktime_get_real_ns();
	pv.system_time = now_ns - vm->created_mono_ns;
	pv.wall_clock_sec = div_u64_rem(real_ns - pv.system_time, NSEC_PER_SEC,
					&pv.wall_clock_nsec);
	if (vireo_gpa_write(vm, gpa, &pv, sizeof(pv)))
		return -VIREO_EFAULT;
	WRITE_ONCE(vm->pvclock_gpa, gpa);
	return 0;
}

static int system_event(struct vireo_vcpu *vcpu, u64 type, u64 data)
{
	struct vireo_run *run = vcpu->run;

	memset(&run->system_event, 0, sizeof(run->system_event));
	run->system_event.type = type;
	run->system_event.data = data;
	if (type == VIREO_PV_POWEROFF)
		vireo_vm_set_state(vcpu->vm, VIREO_VM_SHUTDOWN, VIREO_REASON_POWEROFF, NULL);
	else if (type == VIREO_PV_CRASH)
		vireo_vm_set_state(vcpu->vm, VIREO_VM_CRASHED, VIREO_REASON_PANIC, NULL);
	else
		vireo_vm_set_state(vcpu->vm, VIREO_VM_RUNNING, VIREO_REASON_RESET, NULL);
	return vireo_user_exit(vcpu, VIREO_EXIT_SYSTEM_EVENT);
}

static int to_user(struct vireo_vcpu *vcpu, u64 nr, const u64 *args)
{
	struct vireo_run *run = vcpu->run;

	memset(&run->hypercall, 0, sizeof(run->hypercall));
	run->hypercall.nr = nr;
	memcpy(run->hypercall.args, args, sizeof(run->hypercall.args));
	run->hypercall.ret = -VIREO_ENOSYS;
	vcpu->pending = VIREO_PENDING_HYPERCALL;
	return vireo_user_exit(vcpu, VIREO_EXIT_HYPERCALL);
}

/**
 * vireo_handle_vmcall() - a VMCALL exit
 * @vcpu: the vCPU.
 *
 * Return: VIREO_RESUME with the result in RAX, VIREO_USER for a routed
 * hypercall or a system event, VIREO_OUTER for an idle vCPU.
 */
int vireo_handle_vmcall(struct vireo_vcpu *vcpu)
{
	bool wide = vireo_64bit(vcpu);
	u64 mask = wide ? ~0ull : 0xffffffffull;
	struct vireo_vm *vm = vcpu->vm;
	u64 nr = vcpu->regs[VIREO_RAX] & mask;
	u64 a[5] = {
		vcpu->regs[VIREO_RBX] & mask, vcpu->regs[VIREO_RCX] & mask,
		vcpu->regs[VIREO_RDX] & mask, vcpu->regs[VIREO_RSI] & mask,
		vcpu->regs[VIREO_RDI] & mask,
	};
	u32 feature = hc_feature(nr);
	s64 ret = 0;

	vireo_skip_insn_mode(vcpu, wide);
	vcpu->stats.hypercalls[min_t(u64, nr, VIREO_STATS_HC_OTHER)]++;
	trace_vireo_hypercall(vm->id, vcpu->id, nr, a[0], a[1]);

	if (vireo_cpl(vcpu)) {
		ret = -VIREO_EPERM;
	} else if (feature && !(READ_ONCE(vm->pv_enabled) & feature)) {
		ret = -VIREO_ENOTNEG;
	} else {
		switch (nr) {
		case VIREO_HC_NOP:
			break;
		case VIREO_HC_SET_FEATURES:
			if (a[0] & ~(u64)READ_ONCE(vm->pv_offered))
				ret = -VIREO_EINVAL;
			else
				WRITE_ONCE(vm->pv_enabled, a[0]);
			break;
		case VIREO_HC_SYSTEM_EVENT:
			if (a[0] < VIREO_PV_POWEROFF || a[0] > VIREO_PV_CRASH) {
				ret = -VIREO_EINVAL;
				break;
			}
			vcpu->regs[VIREO_RAX] = 0;
			return system_event(vcpu, a[0], a[1]);
		case VIREO_HC_IDLE:
			vcpu->regs[VIREO_RAX] = 0;
			vcpu->halt_if = true;
			if (READ_ONCE(vcpu->nmi_pending) || vireo_has_interrupt(vcpu))
				return VIREO_RESUME;
			WRITE_ONCE(vcpu->mp_state, VIREO_MP_HALTED);
			return VIREO_OUTER;
		case VIREO_HC_CLOCK_ENABLE:
			ret = pvclock_enable(vcpu, a[0]);
			break;
		default:
			if (nr <= U32_MAX && vireo_vm_routes(vm, VIREO_RANGE_HYPERCALL, nr))
				return to_user(vcpu, nr, a);
			ret = -VIREO_ENOSYS;
		}
	}
	vcpu->regs[VIREO_RAX] = (u64)ret & mask;
	return VIREO_RESUME;
}
