// SPDX-License-Identifier: GPL-2.0-only
/*
 * The --stats table. Rows with a zero count are left out; the kernel's
 * part is skipped, with a note, if VIREO_GET_STATS fails.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "stats.h"

static const char *const vmx_names[] = {
	[0] = "EXCEPTION_NMI", [1] = "EXTERNAL_INTERRUPT", [2] = "TRIPLE_FAULT",
	[3] = "INIT_SIGNAL", [4] = "SIPI", [5] = "IO_SMI", [6] = "OTHER_SMI",
	[7] = "INTERRUPT_WINDOW", [8] = "NMI_WINDOW", [9] = "TASK_SWITCH",
	[10] = "CPUID", [11] = "GETSEC", [12] = "HLT", [13] = "INVD", [14] = "INVLPG",
	[15] = "RDPMC", [16] = "RDTSC", [17] = "RSM", [18] = "VMCALL", [19] = "VMCLEAR",
	[20] = "VMLAUNCH", [21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD",
	[24] = "VMRESUME", [25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON",
	[28] = "CR_ACCESS", [29] = "DR_ACCESS", [30] = "IO_INSTRUCTION",
	[31] = "MSR_READ", [32] = "MSR_WRITE", [33] = "INVALID_GUEST_STATE",
	[34] = "MSR_LOAD_FAIL", [36] = "MWAIT", [37] = "MONITOR_TRAP_FLAG",
	[39] = "MONITOR", [40] = "PAUSE", [41] = "MCE_DURING_VMENTRY",
	[43] = "TPR_BELOW_THRESHOLD", [44] = "APIC_ACCESS", [45] = "EOI_INDUCED",
	[46] = "GDTR_IDTR", [47] = "LDTR_TR", [48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG", [50] = "INVEPT", [51] = "RDTSCP",
	[52] = "PREEMPTION_TIMER", [53] = "INVVPID", [54] = "WBINVD", [55] = "XSETBV",
	[56] = "APIC_WRITE", [57] = "RDRAND", [58] = "INVPCID", [59] = "VMFUNC",
	[60] = "ENCLS", [61] = "RDSEED", [62] = "PML_FULL", [63] = "XSAVES",
	[64] = "XRSTORS", [66] = "SPP", [67] = "UMWAIT", [68] = "TPAUSE",
	[69] = "LOADIWKEY",
};

static const char *const vireo_names[] = {
	[VIREO_EXIT_NONE] = "none", [VIREO_EXIT_IO] = "io", [VIREO_EXIT_MMIO] = "mmio",
	[VIREO_EXIT_HYPERCALL] = "hypercall", [VIREO_EXIT_MSR] = "msr",
	[VIREO_EXIT_SHUTDOWN] = "shutdown", [VIREO_EXIT_SYSTEM_EVENT] = "system_event",
	[VIREO_EXIT_FAIL_ENTRY] = "fail_entry", [VIREO_EXIT_INTERNAL_ERROR] = "internal_error",
	[VIREO_EXIT_INTR] = "intr", [VIREO_EXIT_DESTROYED] = "destroyed",
};

const char *vmx_exit_name(unsigned int reason)
{
	return reason < ARRAY_SIZE(vmx_names) && vmx_names[reason] ? vmx_names[reason] : NULL;
}

const char *vireo_exit_name(unsigned int reason)
{
	return reason < ARRAY_SIZE(vireo_names) && vireo_names[reason] ? vireo_names[reason] :
	       NULL;
}

static void row(FILE *out, const char *name, unsigned int number, u64 count, double secs)
{
	char label[48];

	if (!count)
		return;
	if (name)
		snprintf(label, sizeof(label), "%s", name);
	else
		snprintf(label, sizeof(label), "reason %u", number);
	fprintf(out, "  %-26s %12llu  %10.0f/s\n", label, (unsigned long long)count,
		secs > 0 ? count / secs : 0.0);
}

static void kernel_stats(struct vm *vm, FILE *out, double secs)
{
	struct vireo_stats st;
	unsigned int i;
	u64 total = 0;

	if (ioctl(vm->fd, VIREO_GET_STATS, &st)) {
		fprintf(out, "(no kernel counters: VIREO_GET_STATS: %s)\n", strerror(errno));
		return;
	}
	for (i = 0; i < VIREO_STATS_VMX_EXITS; i++)
		total += st.vmx_exits[i];
	fprintf(out, "VM exits (vireo.ko)           %12llu  %10.0f/s\n",
		(unsigned long long)total, secs > 0 ? total / secs : 0.0);
	for (i = 0; i < VIREO_STATS_VMX_EXITS; i++)
		row(out, vmx_exit_name(i), i, st.vmx_exits[i], secs);
	fprintf(out, "returns to vireoctl, by reason\n");
	for (i = 0; i < VIREO_STATS_USER_EXITS; i++)
		row(out, vireo_exit_name(i), i, st.user_exits[i], secs);
	total = 0;
	for (i = 0; i < VIREO_STATS_HYPERCALLS; i++)
		total += st.hypercalls[i];
	if (total) {
		fprintf(out, "hypercalls\n");
		for (i = 0; i < VIREO_STATS_HYPERCALLS; i++)
			row(out, NULL, i, st.hypercalls[i], secs);
	}
	fprintf(out, "other\n");
	row(out, "VM entries", 0, st.entries, secs);
	row(out, "HLT sleeps", 0, st.halt_sleeps, secs);
	row(out, "injected interrupts", 0, st.injected_irqs, secs);
	row(out, "injected NMIs", 0, st.injected_nmis, secs);
}

static void bus_stats(struct bus *bus, FILE *out, double secs)
{
	int i;

	pthread_rwlock_rdlock(&bus->lock);
	for (i = 0; i < bus->nr; i++) {
		char label[48];

		snprintf(label, sizeof(label), "%s %#llx", bus->ranges[i].name,
			 (unsigned long long)bus->ranges[i].base);
		row(out, label, 0, bus->ranges[i].exits, secs);
	}
	pthread_rwlock_unlock(&bus->lock);
	row(out, "unclaimed", 0, bus->unhandled, secs);
}

void stats_print(struct vm *vm, FILE *out)
{
	u64 end = vm->end_ns ? vm->end_ns : now_ns();
	double secs = (end - vm->start_ns) / 1e9;
	u64 user[VIREO_STATS_USER_EXITS] = { 0 };
	unsigned int i;
	int v;

	fprintf(out, "\n--- vireo stats: VM %u%s%s, %d vCPU%s, %.1f s, %s ---\n", vm->id,
		vm->name[0] ? " " : "", vm->name, vm->nr_vcpus, vm->nr_vcpus > 1 ? "s" : "",
		secs, vm_fate_name(vm->fate));
	kernel_stats(vm, out, secs);
	for (v = 0; v < vm->nr_vcpus; v++)
		for (i = 0; i < VIREO_STATS_USER_EXITS; i++)
			user[i] += vm->vcpus[v].exits[i];
	fprintf(out, "vireoctl: returns from VIREO_RUN\n");
	for (i = 0; i < VIREO_STATS_USER_EXITS; i++)
		row(out, vireo_exit_name(i), i, user[i], secs);
	fprintf(out, "vireoctl: port I/O exits by device\n");
	bus_stats(&vm->io, out, secs);
	if (vm->mmio.nr || vm->mmio.unhandled) {
		fprintf(out, "vireoctl: MMIO exits by device\n");
		bus_stats(&vm->mmio, out, secs);
	}
}
