// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU loop: one thread per vCPU calls VIREO_RUN and handles what
 * the kernel hands back, in one switch on the exit reason (kvmtool's
 * model). Port I/O and MMIO go to the buses; the rest either ends the
 * guest (vm_stop() with the reason) or goes back into it.
 *
 * vCPUs other than 0 simply call VIREO_RUN too: the kernel holds them
 * until the guest's INIT/SIPI. Every thread blocks all signals but the
 * kick (VCPU_KICK_SIGNAL), which vm_stop() sends after setting
 * immediate_exit.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vireo_para.h>

#include "vm.h"

static void exit_io(struct vcpu *v)
{
	struct vireo_run *run = v->run;
	u64 bytes = (u64)run->io.size * run->io.count;

	if (run->io.data_offset < sizeof(*run) || run->io.data_offset > v->vm->run_size ||
	    bytes > v->vm->run_size - run->io.data_offset) {
		vm_stop(v->vm, FATE_INTERNAL,
			"vCPU %d: a port I/O exit with its data outside the run structure", v->id);
		return;
	}
	io_bus_access(&v->vm->io, run->io.port, run->io.direction == VIREO_IO_OUT,
		      run->io.size, (u8 *)run + run->io.data_offset, run->io.count);
}

static void exit_mmio(struct vcpu *v)
{
	struct vireo_run *run = v->run;

	if (run->mmio.len > sizeof(run->mmio.data)) {
		vm_stop(v->vm, FATE_INTERNAL, "vCPU %d: an MMIO exit of %u bytes", v->id,
			run->mmio.len);
		return;
	}
	mmio_bus_access(&v->vm->mmio, run->mmio.phys_addr, run->mmio.is_write, run->mmio.len,
			run->mmio.data);
}

static void exit_system_event(struct vcpu *v)
{
	struct vireo_run *run = v->run;

	switch (run->system_event.type) {
	case VIREO_SYSTEM_POWEROFF:
		vm_stop(v->vm, FATE_POWEROFF, "the guest powered off (hypercall)");
		break;
	case VIREO_SYSTEM_RESET:
		vm_stop(v->vm, FATE_RESET, "the guest rebooted (hypercall)");
		break;
	case VIREO_SYSTEM_CRASH:
		vm_stop(v->vm, FATE_PANIC, "kernel panic: the guest reported a crash (data %#llx)",
			(unsigned long long)run->system_event.data);
		break;
	default:
		vm_stop(v->vm, FATE_INTERNAL, "vCPU %d: unknown system event %u", v->id,
			run->system_event.type);
		break;
	}
}

static const char *const suberrors[] = {
	[VIREO_INTERNAL_UNKNOWN_EXIT] = "an exit vireo does not handle",
	[VIREO_INTERNAL_EMULATION] = "an instruction vireo cannot emulate",
	[VIREO_INTERNAL_BAD_STATE] = "guest state VMX refuses",
	[VIREO_INTERNAL_EVENT_DELIVERY] = "an exit during event delivery",
	[VIREO_INTERNAL_MEMORY] = "guest memory the host cannot back",
	[VIREO_INTERNAL_VMX] = "a VMX instruction failed",
};

static void exit_internal(struct vcpu *v)
{
	struct vireo_run *run = v->run;
	u32 sub = run->internal.suberror;
	const char *what = sub < ARRAY_SIZE(suberrors) && suberrors[sub] ? suberrors[sub] :
			   "unknown suberror";

	run->internal.reason[VIREO_INTERNAL_REASON_LEN - 1] = 0;
	vm_stop(v->vm, FATE_INTERNAL, "vireo stopped vCPU %d at rip %#llx: %s (%u): %s", v->id,
		(unsigned long long)run->rip, what, sub, run->internal.reason);
}

static void exit_fail_entry(struct vcpu *v)
{
	struct vireo_run *run = v->run;

	vm_stop(v->vm, FATE_INTERNAL, "VM entry failed on vCPU %d: %s %#llx (host CPU %u)",
		v->id, run->fail_entry.vm_instruction_error ? "VM-instruction error" :
		"exit reason", (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
		run->fail_entry.cpu);
}

/* Handles one return of VIREO_RUN; false ends the thread. */
static bool handle_exit(struct vcpu *v)
{
	struct vireo_run *run = v->run;
	struct vm *vm = v->vm;

	if (run->exit_reason < VIREO_STATS_USER_EXITS)
		v->exits[run->exit_reason]++;
	switch (run->exit_reason) {
	case VIREO_EXIT_IO:
		exit_io(v);
		return true;
	case VIREO_EXIT_MMIO:
		exit_mmio(v);
		return true;
	case VIREO_EXIT_HYPERCALL:
		if (vm->ext.hypercall)
			vm->ext.hypercall(v);
		else
			run->hypercall.ret = -(u64)VIREO_ENOSYS;	/* nothing routed */
		return true;
	case VIREO_EXIT_MSR:
		if (vm->ext.msr)
			vm->ext.msr(v);
		else
			run->msr.error = 1;
		return true;
	case VIREO_EXIT_INTR:
		return true;
	case VIREO_EXIT_SHUTDOWN:
		vm_stop(vm, FATE_TRIPLE_FAULT, "triple fault on vCPU %d at rip %#llx", v->id,
			(unsigned long long)run->rip);
		return false;
	case VIREO_EXIT_SYSTEM_EVENT:
		exit_system_event(v);
		return false;
	case VIREO_EXIT_FAIL_ENTRY:
		exit_fail_entry(v);
		return false;
	case VIREO_EXIT_INTERNAL_ERROR:
		exit_internal(v);
		return false;
	case VIREO_EXIT_DESTROYED:
		vm_stop(vm, FATE_DESTROYED, "the VM was destroyed by an administrator");
		return false;
	default:
		vm_stop(vm, FATE_INTERNAL, "vCPU %d: unknown exit reason %u", v->id,
			run->exit_reason);
		return false;
	}
}

void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (!vm_stopped(vm)) {
		if (ioctl(v->fd, VIREO_RUN, 0) < 0) {
			if (errno == EINTR) {
				v->exits[VIREO_EXIT_INTR]++;
				continue;
			}
			vm_stop(vm, FATE_ERROR, "vCPU %d: VIREO_RUN: %s", v->id, strerror(errno));
			break;
		}
		if (!handle_exit(v))
			break;
	}
	return NULL;
}
