// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl bench: the KVM backend, the same minimal VMM on /dev/kvm.
 *
 * The VM is set up as VMMs set up KVM (QEMU, kvmtool, Firecracker): with
 * the in-kernel interrupt controllers (KVM_CREATE_IRQCHIP), so that HLT
 * sleeps in the kernel as it does on vireo and an interrupt raised with
 * KVM_IRQ_LINE from another thread wakes it; the guest programs that
 * in-kernel 8259. The rest mirrors vireo.c: one slot at guest-physical 0,
 * the CPUID KVM supports, real mode at the payload. Exits are counted
 * from the "exits" statistic of the vCPU's binary statistics
 * (KVM_GET_STATS_FD); the guest's TSC offset comes from the vCPU's
 * KVM_VCPU_TSC_OFFSET attribute.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "bench.h"

/* Where QEMU puts the real-mode TSS KVM wants without unrestricted guest. */
#define KVM_TSS_ADDR		0xfffbd000
#define KVM_MAX_CPUID		256

static int kvm_fail(struct bench_vm *vm, const char *what)
{
	int e = errno;

	return bench_fail(vm, -e, "%s: %s", what, strerror(e));
}

static void kvm_destroy(struct bench_vm *vm)
{
	if (vm->run && vm->run != MAP_FAILED)
		munmap(vm->run, vm->run_size);
	vm->run = NULL;
	if (vm->stats >= 0)
		close(vm->stats);
	if (vm->vcpu >= 0)
		close(vm->vcpu);
	if (vm->vm >= 0)
		close(vm->vm);
	if (vm->sys >= 0)
		close(vm->sys);
	vm->stats = -1;
	vm->vcpu = -1;
	vm->vm = -1;
	vm->sys = -1;
}

static int kvm_set_cpuid(struct bench_vm *vm)
{
	struct kvm_cpuid2 *cpuid;
	int r = 0;

	cpuid = calloc(1, sizeof(*cpuid) + KVM_MAX_CPUID * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return bench_fail(vm, -ENOMEM, "out of memory");
	cpuid->nent = KVM_MAX_CPUID;
	if (ioctl(vm->sys, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		r = kvm_fail(vm, "KVM_GET_SUPPORTED_CPUID");
	else if (ioctl(vm->vcpu, KVM_SET_CPUID2, cpuid) < 0)
		r = kvm_fail(vm, "KVM_SET_CPUID2");
	free(cpuid);
	return r;
}

static int kvm_set_entry(struct bench_vm *vm, u16 cs)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vm->vcpu, KVM_GET_SREGS, &sregs) < 0)
		return kvm_fail(vm, "KVM_GET_SREGS");
	sregs.cs.selector = cs;
	sregs.cs.base = (u64)cs << 4;
	if (ioctl(vm->vcpu, KVM_SET_SREGS, &sregs) < 0)
		return kvm_fail(vm, "KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2;
	if (ioctl(vm->vcpu, KVM_SET_REGS, &regs) < 0)
		return kvm_fail(vm, "KVM_SET_REGS");
	return 0;
}

/* Find the vCPU's "exits" counter in its binary statistics. */
static int kvm_open_stats(struct bench_vm *vm)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	unsigned int i;
	int r = -ENOENT;

	vm->stats = ioctl(vm->vcpu, KVM_GET_STATS_FD, 0);
	if (vm->stats < 0)
		return kvm_fail(vm, "KVM_GET_STATS_FD");
	if (pread(vm->stats, &h, sizeof(h), 0) != sizeof(h))
		return kvm_fail(vm, "read of the KVM statistics header");
	dsize = sizeof(*d) + h.name_size;
	d = malloc(dsize);
	if (!d)
		return bench_fail(vm, -ENOMEM, "out of memory");
	for (i = 0; i < h.num_desc; i++) {
		if (pread(vm->stats, d, dsize, h.desc_offset + i * dsize) != (ssize_t)dsize) {
			r = kvm_fail(vm, "read of a KVM statistics descriptor");
			break;
		}
		d->name[h.name_size - 1] = '\0';
		if (!strcmp(d->name, "exits")) {
			vm->stats_exits = h.data_offset + d->offset;
			r = 0;
			break;
		}
	}
	free(d);
	if (r == -ENOENT)
		bench_fail(vm, r, "the KVM vCPU statistics have no \"exits\"");
	return r;
}

static int kvm_create(struct bench_vm *vm, void *mem, size_t size, u16 cs)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = size,
		.userspace_addr = (unsigned long)mem,
	};
	int version, r, mmap_size;

	vm->sys = -1;
	vm->vm = -1;
	vm->vcpu = -1;
	vm->stats = -1;
	vm->run = NULL;
	vm->sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->sys < 0)
		return bench_fail(vm, -errno, "cannot open /dev/kvm: %s%s", strerror(errno),
				  errno == ENOENT ? " (is kvm-intel.ko loaded?)" : "");
	version = ioctl(vm->sys, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		r = bench_fail(vm, -ENOTTY, "/dev/kvm speaks API %d, not %d",
			       version, KVM_API_VERSION);
		goto fail;
	}
	vm->vm = ioctl(vm->sys, KVM_CREATE_VM, 0);
	if (vm->vm < 0) {
		r = kvm_fail(vm, errno == EBUSY ?
			     "KVM_CREATE_VM (does vireo have a VM?)" : "KVM_CREATE_VM");
		goto fail;
	}
	if (ioctl(vm->vm, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0) {
		r = kvm_fail(vm, "KVM_SET_TSS_ADDR");
		goto fail;
	}
	if (ioctl(vm->vm, KVM_CREATE_IRQCHIP, 0) < 0) {
		r = kvm_fail(vm, "KVM_CREATE_IRQCHIP");
		goto fail;
	}
	if (ioctl(vm->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		r = kvm_fail(vm, "KVM_SET_USER_MEMORY_REGION");
		goto fail;
	}
	vm->vcpu = ioctl(vm->vm, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0) {
		r = kvm_fail(vm, "KVM_CREATE_VCPU");
		goto fail;
	}
	mmap_size = ioctl(vm->sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < 0) {
		r = kvm_fail(vm, "KVM_GET_VCPU_MMAP_SIZE");
		goto fail;
	}
	vm->run_size = mmap_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED) {
		r = kvm_fail(vm, "mmap of the vCPU");
		goto fail;
	}
	r = kvm_set_cpuid(vm);
	if (!r)
		r = kvm_set_entry(vm, cs);
	if (!r)
		r = kvm_open_stats(vm);
	if (r)
		goto fail;
	return 0;
fail:
	kvm_destroy(vm);
	return r;
}

static int kvm_run(struct bench_vm *vm, struct bench_exit *exit)
{
	struct kvm_run *run = vm->run;

	if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
		if (errno == EINTR) {
			exit->kind = BENCH_EXIT_INTR;
			return 0;
		}
		return kvm_fail(vm, "KVM_RUN");
	}
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		exit->kind = BENCH_EXIT_IO;
		exit->is_write = run->io.direction == KVM_EXIT_IO_OUT;
		exit->size = run->io.size;
		exit->port = run->io.port;
		exit->count = run->io.count;
		exit->data = (u8 *)run + run->io.data_offset;
		return 0;
	case KVM_EXIT_MMIO:
		exit->kind = BENCH_EXIT_MMIO;
		exit->is_write = run->mmio.is_write;
		exit->size = run->mmio.len;
		exit->addr = run->mmio.phys_addr;
		exit->data = run->mmio.data;
		return 0;
	case KVM_EXIT_INTR:
		exit->kind = BENCH_EXIT_INTR;
		return 0;
	case KVM_EXIT_INTERNAL_ERROR:
		exit->kind = BENCH_EXIT_OTHER;
		snprintf(exit->what, sizeof(exit->what), "KVM internal error, suberror %u",
			 run->internal.suberror);
		return 0;
	case KVM_EXIT_FAIL_ENTRY:
		exit->kind = BENCH_EXIT_OTHER;
		snprintf(exit->what, sizeof(exit->what), "KVM entry failure %#llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return 0;
	default:
		exit->kind = BENCH_EXIT_OTHER;
		snprintf(exit->what, sizeof(exit->what), "KVM exit reason %u", run->exit_reason);
		return 0;
	}
}

static int kvm_exits(struct bench_vm *vm, u64 *count)
{
	if (pread(vm->stats, count, sizeof(*count), vm->stats_exits) != sizeof(*count))
		return kvm_fail(vm, "read of the KVM exit counter");
	return 0;
}

/*
 * A pulse on the in-kernel 8259's input: the rising edge latches the
 * request; the line goes low again at once, ready for the next edge. On
 * one CPU the woken vCPU thread runs before the second ioctl (it returns
 * to userspace in between), so the wake-up does not wait for it.
 */
static int kvm_inject(struct bench_vm *vm, unsigned int irq, unsigned int vector)
{
	struct kvm_irq_level line = { .irq = irq, .level = 1 };

	(void)vector;
	if (ioctl(vm->vm, KVM_IRQ_LINE, &line) < 0)
		return kvm_fail(vm, "KVM_IRQ_LINE");
	line.level = 0;
	if (ioctl(vm->vm, KVM_IRQ_LINE, &line) < 0)
		return kvm_fail(vm, "KVM_IRQ_LINE");
	return 0;
}

static int kvm_tsc_offset(struct bench_vm *vm, s64 *offset)
{
	u64 value;
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL,
		.attr = KVM_VCPU_TSC_OFFSET,
		.addr = (unsigned long)&value,
	};

	if (ioctl(vm->vcpu, KVM_GET_DEVICE_ATTR, &attr) < 0)
		return kvm_fail(vm, "KVM_GET_DEVICE_ATTR(KVM_VCPU_TSC_OFFSET)");
	*offset = (s64)value;
	return 0;
}

const struct bench_hv bench_kvm = {
	.name = "kvm",
	.label = "KVM",
	.device = "/dev/kvm",
	.create = kvm_create,
	.run = kvm_run,
	.exits = kvm_exits,
	.inject = kvm_inject,
	.tsc_offset = kvm_tsc_offset,
	.destroy = kvm_destroy,
};
