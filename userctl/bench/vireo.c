// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: the vireo backend, a minimal VMM on /dev/vireo.
 *
 * One VM, one memory slot at guest-physical 0, one vCPU started in real
 * mode with the CPUID vireo supports. The vCPU's exits are translated to
 * struct bench_exit with no work beyond a switch, so that what a
 * benchmark measures is vireo's path, not this file's. Interrupts go in
 * with VIREO_INTERRUPT, which any thread may call; exits are counted from
 * VIREO_GET_STATS on the vCPU fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vireo.h>

#include "bench.h"

static int vireo_fail(struct bench_vm *vm, const char *what)
{
	int e = errno;

	return bench_fail(vm, -e, "%s: %s", what, strerror(e));
}

static void vireo_destroy(struct bench_vm *vm)
{
	if (vm->run && vm->run != MAP_FAILED)
		munmap(vm->run, vm->run_size);
	vm->run = NULL;
	if (vm->vcpu >= 0)
		close(vm->vcpu);
	if (vm->vm >= 0)
		close(vm->vm);
	if (vm->sys >= 0)
		close(vm->sys);
	vm->vcpu = -1;
	vm->vm = -1;
	vm->sys = -1;
}

static int vireo_set_cpuid(struct bench_vm *vm)
{
	struct vireo_cpuid *cpuid;
	size_t size = sizeof(*cpuid) + VIREO_MAX_CPUID_ENTRIES * sizeof(cpuid->entries[0]);
	int r = 0;

	cpuid = calloc(1, size);
	if (!cpuid)
		return bench_fail(vm, -ENOMEM, "out of memory");
	cpuid->nent = VIREO_MAX_CPUID_ENTRIES;
	if (ioctl(vm->sys, VIREO_GET_SUPPORTED_CPUID, cpuid) < 0)
		r = vireo_fail(vm, "VIREO_GET_SUPPORTED_CPUID");
	else if (ioctl(vm->vcpu, VIREO_SET_CPUID, cpuid) < 0)
		r = vireo_fail(vm, "VIREO_SET_CPUID");
	free(cpuid);
	return r;
}

static int vireo_set_entry(struct bench_vm *vm, u16 cs)
{
	struct vireo_sregs sregs;
	struct vireo_regs regs;

	if (ioctl(vm->vcpu, VIREO_GET_SREGS, &sregs) < 0)
		return vireo_fail(vm, "VIREO_GET_SREGS");
	sregs.cs.selector = cs;
	sregs.cs.base = (u64)cs << 4;
	if (ioctl(vm->vcpu, VIREO_SET_SREGS, &sregs) < 0)
		return vireo_fail(vm, "VIREO_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;
	if (ioctl(vm->vcpu, VIREO_SET_REGS, &regs) < 0)
		return vireo_fail(vm, "VIREO_SET_REGS");
	return 0;
}

static int vireo_create(struct bench_vm *vm, void *mem, size_t size, u16 cs)
{
	struct vireo_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = size,
		.userspace_addr = (unsigned long)mem,
	};
	struct vireo_vm_create create = { 0 };
	const char *dev = getenv("VIREO_DEVICE");
	int version, r;

	vm->sys = -1;
	vm->vm = -1;
	vm->vcpu = -1;
	vm->stats = -1;
	vm->run = NULL;
	if (!dev || !*dev)
		dev = "/dev/vireo";
	vm->sys = open(dev, O_RDWR | O_CLOEXEC);
	if (vm->sys < 0)
		return bench_fail(vm, -errno, "cannot open %s: %s%s", dev, strerror(errno),
				  errno == ENOENT ? " (is vireo.ko loaded?)" : "");
	version = ioctl(vm->sys, VIREO_GET_API_VERSION, 0);
	if (version != VIREO_API_VERSION) {
		r = bench_fail(vm, -ENOTTY, "%s speaks vireo API %d, vireoctl needs %d",
			       dev, version, VIREO_API_VERSION);
		goto fail;
	}
	vm->vm = ioctl(vm->sys, VIREO_CREATE_VM, &create);
	if (vm->vm < 0) {
		r = vireo_fail(vm, errno == EBUSY ?
			       "VIREO_CREATE_VM (does KVM have a VM?)" : "VIREO_CREATE_VM");
		goto fail;
	}
	if (ioctl(vm->vm, VIREO_SET_MEMORY_REGION, &region) < 0) {
		r = vireo_fail(vm, "VIREO_SET_MEMORY_REGION");
		goto fail;
	}
	vm->vcpu = ioctl(vm->vm, VIREO_CREATE_VCPU, 0);
	if (vm->vcpu < 0) {
		r = vireo_fail(vm, "VIREO_CREATE_VCPU");
		goto fail;
	}
	vm->run_size = VIREO_RUN_SIZE;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED) {
		r = vireo_fail(vm, "mmap of the vCPU");
		goto fail;
	}
	r = vireo_set_cpuid(vm);
	if (!r)
		r = vireo_set_entry(vm, cs);
	if (r)
		goto fail;
	return 0;
fail:
	vireo_destroy(vm);
	return r;
}

static int vireo_run(struct bench_vm *vm, struct bench_exit *exit)
{
	struct vireo_run *run = vm->run;

	if (ioctl(vm->vcpu, VIREO_RUN, 0) < 0) {
		if (errno == EINTR) {
			exit->kind = BENCH_EXIT_INTR;
			return 0;
		}
		return vireo_fail(vm, "VIREO_RUN");
	}
	switch (run->exit_reason) {
	case VIREO_EXIT_IO:
		exit->kind = BENCH_EXIT_IO;
		exit->is_write = run->io.direction == VIREO_IO_OUT;
		exit->size = run->io.size;
		exit->port = run->io.port;
		exit->count = run->io.count;
		exit->data = (u8 *)run + run->io.data_offset;
		return 0;
	case VIREO_EXIT_MMIO:
		exit->kind = BENCH_EXIT_MMIO;
		exit->is_write = run->mmio.is_write;
		exit->size = run->mmio.len;
		exit->addr = run->mmio.phys_addr;
		exit->data = run->mmio.data;
		return 0;
	case VIREO_EXIT_INTR:
		exit->kind = BENCH_EXIT_INTR;
		return 0;
	case VIREO_EXIT_INTERNAL_ERROR:
		exit->kind = BENCH_EXIT_OTHER;
		snprintf(exit->what, sizeof(exit->what),
			 "internal error %u at rip %#llx: %.*s", run->internal.suberror,
			 (unsigned long long)run->rip, VIREO_INTERNAL_REASON_LEN,
			 run->internal.reason);
		return 0;
	default:
		exit->kind = BENCH_EXIT_OTHER;
		snprintf(exit->what, sizeof(exit->what),
			 "exit reason %u (VMX exit %u) at rip %#llx", run->exit_reason,
			 run->hw_exit_reason, (unsigned long long)run->rip);
		return 0;
	}
}

static int vireo_exits(struct bench_vm *vm, u64 *count)
{
	struct vireo_stats stats;
	unsigned int i;

	if (ioctl(vm->vcpu, VIREO_GET_STATS, &stats) < 0)
		return vireo_fail(vm, "VIREO_GET_STATS");
	*count = 0;
	for (i = 0; i < VIREO_STATS_VMX_EXITS; i++)
		*count += stats.vmx_exits[i];
	return 0;
}

static int vireo_inject(struct bench_vm *vm, unsigned int irq, unsigned int vector)
{
	struct vireo_interrupt intr = { .vector = vector };

	(void)irq;
	if (ioctl(vm->vcpu, VIREO_INTERRUPT, &intr) < 0)
		return vireo_fail(vm, "VIREO_INTERRUPT");
	return 0;
}

/* vireo gives the guest the host's TSC as it is. */
static int vireo_tsc_offset(struct bench_vm *vm, s64 *offset)
{
	(void)vm;
	*offset = 0;
	return 0;
}

const struct bench_hv bench_vireo = {
	.name = "vireo",
	.label = "vireo",
	.device = "/dev/vireo",
	.create = vireo_create,
	.run = vireo_run,
	.exits = vireo_exits,
	.inject = vireo_inject,
	.tsc_offset = vireo_tsc_offset,
	.destroy = vireo_destroy,
};
