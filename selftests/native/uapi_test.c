// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ABI in uapi/linux/vireo.h, pinned: struct sizes and offsets (at
 * build time) and every ioctl, capability, flag and exit reason (at run
 * time, as literal values, so that a renumbering fails here before it
 * ships). The guest ABI of vireo_para.h is pinned in para_test.c.
 */
#include <assert.h>
#include <stddef.h>
#include <linux/vireo.h>

#include "tap.h"

#define PIN_OFF(type, field, off) \
	static_assert(offsetof(struct type, field) == (off), #type "." #field)
#define PIN_SIZE(type, size) \
	static_assert(sizeof(struct type) == (size), #type " size")
#define PIN_RUN(field, off)	PIN_OFF(vireo_run, field, off)

PIN_SIZE(vireo_vm_create, 72);
PIN_OFF(vireo_vm_create, id, 4);
PIN_OFF(vireo_vm_create, name, 8);
PIN_OFF(vireo_vm_create, reserved, 40);

PIN_SIZE(vireo_memory_region, 48);
PIN_OFF(vireo_memory_region, flags, 4);
PIN_OFF(vireo_memory_region, guest_phys_addr, 8);
PIN_OFF(vireo_memory_region, memory_size, 16);
PIN_OFF(vireo_memory_region, userspace_addr, 24);
PIN_OFF(vireo_memory_region, reserved, 32);

PIN_SIZE(vireo_dirty_log, 32);
PIN_OFF(vireo_dirty_log, padding, 4);
PIN_OFF(vireo_dirty_log, bitmap, 8);
PIN_OFF(vireo_dirty_log, reserved, 16);

PIN_SIZE(vireo_user_range, 32);
PIN_OFF(vireo_user_range, flags, 4);
PIN_OFF(vireo_user_range, first, 8);
PIN_OFF(vireo_user_range, count, 12);
PIN_OFF(vireo_user_range, reserved, 16);

PIN_SIZE(vireo_stats, 1536);
PIN_OFF(vireo_stats, user_exits, 640);
PIN_OFF(vireo_stats, hypercalls, 896);
PIN_OFF(vireo_stats, entries, 1408);
PIN_OFF(vireo_stats, halt_sleeps, 1416);
PIN_OFF(vireo_stats, injected_irqs, 1424);
PIN_OFF(vireo_stats, injected_nmis, 1432);
PIN_OFF(vireo_stats, reserved, 1440);

PIN_SIZE(vireo_regs, 144);
PIN_OFF(vireo_regs, rbx, 8);
PIN_OFF(vireo_regs, rsp, 48);
PIN_OFF(vireo_regs, r8, 64);
PIN_OFF(vireo_regs, r15, 120);
PIN_OFF(vireo_regs, rip, 128);
PIN_OFF(vireo_regs, rflags, 136);

PIN_SIZE(vireo_segment, 24);
PIN_OFF(vireo_segment, limit, 8);
PIN_OFF(vireo_segment, selector, 12);
PIN_OFF(vireo_segment, type, 14);
PIN_OFF(vireo_segment, present, 15);
PIN_OFF(vireo_segment, dpl, 16);
PIN_OFF(vireo_segment, db, 17);
PIN_OFF(vireo_segment, s, 18);
PIN_OFF(vireo_segment, l, 19);
PIN_OFF(vireo_segment, g, 20);
PIN_OFF(vireo_segment, avl, 21);
PIN_OFF(vireo_segment, unusable, 22);
PIN_OFF(vireo_segment, padding, 23);

PIN_SIZE(vireo_dtable, 16);
PIN_OFF(vireo_dtable, limit, 8);
PIN_OFF(vireo_dtable, padding, 10);

PIN_SIZE(vireo_sregs, 312);
PIN_OFF(vireo_sregs, ds, 24);
PIN_OFF(vireo_sregs, es, 48);
PIN_OFF(vireo_sregs, fs, 72);
PIN_OFF(vireo_sregs, gs, 96);
PIN_OFF(vireo_sregs, ss, 120);
PIN_OFF(vireo_sregs, tr, 144);
PIN_OFF(vireo_sregs, ldt, 168);
PIN_OFF(vireo_sregs, gdt, 192);
PIN_OFF(vireo_sregs, idt, 208);
PIN_OFF(vireo_sregs, cr0, 224);
PIN_OFF(vireo_sregs, cr2, 232);
PIN_OFF(vireo_sregs, cr3, 240);
PIN_OFF(vireo_sregs, cr4, 248);
PIN_OFF(vireo_sregs, cr8, 256);
PIN_OFF(vireo_sregs, efer, 264);
PIN_OFF(vireo_sregs, apic_base, 272);
PIN_OFF(vireo_sregs, reserved, 280);

PIN_SIZE(vireo_msr_entry, 16);
PIN_OFF(vireo_msr_entry, reserved, 4);
PIN_OFF(vireo_msr_entry, data, 8);
PIN_SIZE(vireo_msrs, 8);
PIN_OFF(vireo_msrs, padding, 4);
PIN_OFF(vireo_msrs, entries, 8);
PIN_SIZE(vireo_msr_list, 4);
PIN_OFF(vireo_msr_list, indices, 4);

PIN_SIZE(vireo_cpuid_entry, 40);
PIN_OFF(vireo_cpuid_entry, index, 4);
PIN_OFF(vireo_cpuid_entry, flags, 8);
PIN_OFF(vireo_cpuid_entry, eax, 12);
PIN_OFF(vireo_cpuid_entry, ebx, 16);
PIN_OFF(vireo_cpuid_entry, ecx, 20);
PIN_OFF(vireo_cpuid_entry, edx, 24);
PIN_OFF(vireo_cpuid_entry, reserved, 28);
PIN_SIZE(vireo_cpuid, 8);
PIN_OFF(vireo_cpuid, padding, 4);
PIN_OFF(vireo_cpuid, entries, 8);

PIN_SIZE(vireo_interrupt, 8);
PIN_OFF(vireo_interrupt, flags, 4);
PIN_SIZE(vireo_mp_state, 8);
PIN_OFF(vireo_mp_state, padding, 4);

PIN_SIZE(vireo_run, 304);
PIN_RUN(padding1, 1);
PIN_RUN(exit_reason, 8);
PIN_RUN(vcpu_id, 12);
PIN_RUN(if_flag, 16);
PIN_RUN(padding2, 17);
PIN_RUN(hw_exit_reason, 24);
PIN_RUN(padding3, 28);
PIN_RUN(exit_qualification, 32);
PIN_RUN(rip, 40);
PIN_RUN(io.direction, 48);
PIN_RUN(io.size, 49);
PIN_RUN(io.port, 50);
PIN_RUN(io.count, 52);
PIN_RUN(io.data_offset, 56);
PIN_RUN(io.padding, 60);
PIN_RUN(mmio.phys_addr, 48);
PIN_RUN(mmio.data, 56);
PIN_RUN(mmio.len, 64);
PIN_RUN(mmio.is_write, 68);
PIN_RUN(mmio.padding, 69);
PIN_RUN(hypercall.nr, 48);
PIN_RUN(hypercall.args, 56);
PIN_RUN(hypercall.ret, 96);
PIN_RUN(msr.index, 48);
PIN_RUN(msr.is_write, 52);
PIN_RUN(msr.error, 53);
PIN_RUN(msr.padding, 54);
PIN_RUN(msr.data, 56);
PIN_RUN(system_event.type, 48);
PIN_RUN(system_event.padding, 52);
PIN_RUN(system_event.data, 56);
PIN_RUN(fail_entry.hardware_entry_failure_reason, 48);
PIN_RUN(fail_entry.cpu, 56);
PIN_RUN(fail_entry.vm_instruction_error, 60);
PIN_RUN(internal.suberror, 48);
PIN_RUN(internal.ndata, 52);
PIN_RUN(internal.data, 56);
PIN_RUN(internal.reason, 120);
PIN_RUN(padding, 48);

struct pinned {
	const char *name;
	unsigned long value, want;
};

#define PIN(x, v)	{ #x, (unsigned long)(x), (v) }

static const struct pinned pins[] = {
	/* vireo.h: system fd */
	PIN(VIREO_IO, 0xbe),
	PIN(VIREO_API_VERSION, 1),
	PIN(VIREO_VM_NAME_LEN, 32),
	PIN(VIREO_GET_API_VERSION, 0xbe00),
	PIN(VIREO_CHECK_CAP, 0xbe01),
	PIN(VIREO_CREATE_VM, 0xc048be02),
	PIN(VIREO_GET_MSR_LIST, 0xc004be03),
	PIN(VIREO_GET_SUPPORTED_CPUID, 0xc008be04),
	PIN(VIREO_CAP_MAX_VMS, 1),
	PIN(VIREO_CAP_EPT_LARGE_PAGES, 2),
	PIN(VIREO_EPT_LARGE_PAGE_2M, 1),
	PIN(VIREO_EPT_LARGE_PAGE_1G, 2),
	PIN(VIREO_CAP_PREEMPTION_TIMER, 3),
	PIN(VIREO_CAP_MAX_VCPUS, 4),
	PIN(VIREO_CAP_MAX_MEMSLOTS, 5),
	PIN(VIREO_CAP_RUN_SIZE, 6),
	PIN(VIREO_CAP_TSC_KHZ, 7),
	PIN(VIREO_CAP_PV_FEATURES, 8),
	PIN(VIREO_CAP_GUEST_PHYS_BITS, 9),
	/* VM fd */
	PIN(VIREO_MEM_READONLY, 1),
	PIN(VIREO_MEM_LOG_DIRTY, 2),
	PIN(VIREO_RANGE_MSR, 1),
	PIN(VIREO_RANGE_HYPERCALL, 2),
	PIN(VIREO_RANGE_REMOVE, 1),
	PIN(VIREO_STATS_VMX_EXITS, 80),
	PIN(VIREO_STATS_USER_EXITS, 32),
	PIN(VIREO_STATS_HYPERCALLS, 64),
	PIN(VIREO_STATS_HC_OTHER, 63),
	PIN(VIREO_SET_MEMORY_REGION, 0x4030be10),
	PIN(VIREO_GET_DIRTY_LOG, 0x4020be11),
	PIN(VIREO_CREATE_VCPU, 0xbe12),
	PIN(VIREO_SET_USER_RANGE, 0x4020be13),
	PIN(VIREO_GET_STATS, 0x8600be14),
	/* vCPU fd */
	PIN(VIREO_MAX_MSR_ENTRIES, 256),
	PIN(VIREO_CPUID_INDEXED, 1),
	PIN(VIREO_MAX_CPUID_ENTRIES, 128),
	PIN(VIREO_MP_RUNNABLE, 0),
	PIN(VIREO_MP_WAIT_SIPI, 1),
	PIN(VIREO_MP_HALTED, 2),
	PIN(VIREO_RUN, 0xbe20),
	PIN(VIREO_GET_REGS, 0x8090be21),
	PIN(VIREO_SET_REGS, 0x4090be22),
	PIN(VIREO_GET_SREGS, 0x8138be23),
	PIN(VIREO_SET_SREGS, 0x4138be24),
	PIN(VIREO_GET_MSRS, 0xc008be25),
	PIN(VIREO_SET_MSRS, 0x4008be26),
	PIN(VIREO_SET_CPUID, 0x4008be27),
	PIN(VIREO_INTERRUPT, 0x4008be28),
	PIN(VIREO_NMI, 0xbe29),
	PIN(VIREO_GET_MP_STATE, 0x8008be2a),
	PIN(VIREO_SET_MP_STATE, 0x4008be2b),
	/* the run structure */
	PIN(VIREO_RUN_SIZE, 4096),
	PIN(VIREO_RUN_DATA_OFFSET, 2048),
	PIN(VIREO_RUN_DATA_SIZE, 2048),
	PIN(VIREO_EXIT_NONE, 0),
	PIN(VIREO_EXIT_IO, 1),
	PIN(VIREO_EXIT_MMIO, 2),
	PIN(VIREO_EXIT_HYPERCALL, 3),
	PIN(VIREO_EXIT_MSR, 4),
	PIN(VIREO_EXIT_SHUTDOWN, 5),
	PIN(VIREO_EXIT_SYSTEM_EVENT, 6),
	PIN(VIREO_EXIT_FAIL_ENTRY, 7),
	PIN(VIREO_EXIT_INTERNAL_ERROR, 8),
	PIN(VIREO_EXIT_INTR, 9),
	PIN(VIREO_EXIT_DESTROYED, 10),
	PIN(VIREO_IO_IN, 0),
	PIN(VIREO_IO_OUT, 1),
	PIN(VIREO_SYSTEM_POWEROFF, 1),
	PIN(VIREO_SYSTEM_RESET, 2),
	PIN(VIREO_SYSTEM_CRASH, 3),
	PIN(VIREO_INTERNAL_UNKNOWN_EXIT, 1),
	PIN(VIREO_INTERNAL_EMULATION, 2),
	PIN(VIREO_INTERNAL_BAD_STATE, 3),
	PIN(VIREO_INTERNAL_EVENT_DELIVERY, 4),
	PIN(VIREO_INTERNAL_MEMORY, 5),
	PIN(VIREO_INTERNAL_VMX, 6),
	PIN(VIREO_INTERNAL_REASON_LEN, 96),
};

int main(void)
{
	size_t i, n = ARRAY_SIZE(pins);

	tap_plan(n);
	for (i = 0; i < n; i++)
		tap_ok(pins[i].value == pins[i].want, "%s is %#lx (got %#lx)",
		       pins[i].name, pins[i].want, pins[i].value);
	return tap_finish();
}
