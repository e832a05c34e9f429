// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM's life in vireoctl run: creation (VM, memory slots, vCPUs and
 * their run mappings), the vCPU threads, and the one-time decision of the
 * guest's fate that stops them (see vm.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vm.h"

static const char *const fate_names[] = {
	[FATE_RUNNING] = "running",
	[FATE_POWEROFF] = "poweroff",
	[FATE_ERROR] = "vireoctl error",
	[FATE_RESET] = "reboot",
	[FATE_PANIC] = "kernel panic",
	[FATE_TRIPLE_FAULT] = "triple fault",
	[FATE_INTERNAL] = "internal error",
	[FATE_DESTROYED] = "destroyed",
	[FATE_SIGNAL] = "signal",
};

const char *vm_fate_name(enum vm_fate fate)
{
	return fate < ARRAY_SIZE(fate_names) ? fate_names[fate] : "?";
}

int vm_exit_code(const struct vm *vm)
{
	static const int codes[] = {
		[FATE_RUNNING] = 1, [FATE_POWEROFF] = 0, [FATE_ERROR] = 1,
		[FATE_RESET] = 3, [FATE_PANIC] = 4, [FATE_TRIPLE_FAULT] = 5,
		[FATE_INTERNAL] = 6, [FATE_DESTROYED] = 7,
	};

	if (vm->fate == FATE_SIGNAL)
		return 128 + vm->fate_signal;
	return vm->fate < ARRAY_SIZE(codes) ? codes[vm->fate] : 1;
}

static void vm_kick_all(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->run)
			continue;
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		if (v->started)
			pthread_kill(v->thread, VCPU_KICK_SIGNAL);
	}
}

static void vm_decide(struct vm *vm, enum vm_fate fate, int sig, const char *reason)
{
	pthread_mutex_lock(&vm->fate_lock);
	if (vm->fate == FATE_RUNNING) {
		/* A reboot or triple fault after a panic message is the panic's. */
		if (vm->panic_seen && (fate == FATE_RESET || fate == FATE_TRIPLE_FAULT)) {
			snprintf(vm->reason, sizeof(vm->reason), "kernel panic: %s (then %s)",
				 vm->panic_msg, vm_fate_name(fate));
			fate = FATE_PANIC;
		} else {
			snprintf(vm->reason, sizeof(vm->reason), "%s", reason);
		}
		vm->fate_signal = sig;
		vm->end_ns = now_ns();
		__atomic_store_n(&vm->fate, fate, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&vm->fate_cond);
	}
	pthread_mutex_unlock(&vm->fate_lock);
	vm_kick_all(vm);
}

void vm_stop(struct vm *vm, enum vm_fate fate, const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vm_decide(vm, fate, 0, reason);
}

void vm_stop_signal(struct vm *vm, int sig, const char *why)
{
	char reason[64];

	snprintf(reason, sizeof(reason), "stopped by signal %d (%s)", sig, strsignal(sig));
	vm_decide(vm, FATE_SIGNAL, sig, why ? why : reason);
}

bool vm_stopped(struct vm *vm)
{
	return __atomic_load_n(&vm->fate, __ATOMIC_ACQUIRE) != FATE_RUNNING;
}

bool vm_wait(struct vm *vm, u64 timeout_ns)
{
	struct timespec ts;
	u64 deadline = now_ns() + timeout_ns;
	bool done;

	ts.tv_sec = deadline / NSEC_PER_SEC;
	ts.tv_nsec = deadline % NSEC_PER_SEC;
	pthread_mutex_lock(&vm->fate_lock);
	if (vm->fate == FATE_RUNNING)
		pthread_cond_timedwait(&vm->fate_cond, &vm->fate_lock, &ts);
	done = vm->fate != FATE_RUNNING;
	pthread_mutex_unlock(&vm->fate_lock);
	return done;
}

void vm_panic_seen(struct vm *vm, const char *msg)
{
	pthread_mutex_lock(&vm->fate_lock);
	if (!vm->panic_seen) {
		vm->panic_seen = true;
		snprintf(vm->panic_msg, sizeof(vm->panic_msg), "%s", msg);
	}
	pthread_mutex_unlock(&vm->fate_lock);
}

/* The device models' requests (struct sysctl). */
static void vm_sys_request(struct sysctl *sys, enum sys_request req, const char *why)
{
	struct vm *vm = (struct vm *)((char *)sys - offsetof(struct vm, sys));

	switch (req) {
	case SYS_POWEROFF:
		vm_stop(vm, FATE_POWEROFF, "the guest powered off (%s)", why);
		break;
	case SYS_RESET:
		vm_stop(vm, FATE_RESET, "the guest rebooted (%s)", why);
		break;
	case SYS_PANIC:
		vm_stop(vm, FATE_PANIC, "kernel panic: %s", why);
		break;
	}
}

static int set_slot(struct vm *vm, u32 slot, const struct mem_region *r)
{
	struct vireo_memory_region region = {
		.slot = slot,
		.guest_phys_addr = r->gpa,
		.memory_size = r->size,
		.userspace_addr = (unsigned long)r->hva,
	};

	if (!ioctl(vm->fd, VIREO_SET_MEMORY_REGION, &region))
		return 0;
	if (errno == ENOMEM || errno == EPERM || errno == EAGAIN)
		vireoctl_err("cannot give the guest %llu MiB at %#llx: %s (guest RAM is pinned: run as root or raise the locked memory limit, ulimit -l)",
			     (unsigned long long)(r->size / MIB), (unsigned long long)r->gpa,
			     strerror(errno));
	else
		vireoctl_err("VIREO_SET_MEMORY_REGION (slot %u, %llu MiB at %#llx): %s", slot,
			     (unsigned long long)(r->size / MIB), (unsigned long long)r->gpa,
			     strerror(errno));
	return -1;
}

static int create_vcpu(struct vm *vm, struct vcpu *v, int id)
{
	void *run;

	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, VIREO_CREATE_VCPU, id);
	if (v->fd < 0) {
		vireoctl_err("VIREO_CREATE_VCPU %d: %s", id, strerror(errno));
		return -1;
	}
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (run == MAP_FAILED) {
		vireoctl_err("cannot map the run structure of vCPU %d: %s", id, strerror(errno));
		return -1;
	}
	v->run = run;
	return 0;
}

static int vm_create_fd(struct vm *vm, int sys_fd, const char *name)
{
	struct vireo_vm_create req = { 0 };

	if (name)
		snprintf(req.name, sizeof(req.name), "%s", name);
	vm->fd = ioctl(sys_fd, VIREO_CREATE_VM, &req);
	if (vm->fd < 0) {
		if (errno == EEXIST)
			vireoctl_err("a VM named '%s' already exists", name);
		else if (errno == EBUSY)
			vireoctl_err("cannot create a VM: %s (another hypervisor, such as kvm_intel, holds VMX; see Documentation/virt/vireo/host.rst)",
				     strerror(errno));
		else
			vireoctl_err("cannot create a VM: %s", strerror(errno));
		return -1;
	}
	vm->id = req.id;
	memcpy(vm->name, req.name, sizeof(vm->name));
	return 0;
}

int vm_create(struct vm *vm, int sys_fd, const char *name, u64 mem_size, int nr_vcpus,
	      bool verbose)
{
	long run_size;
	int i, ret;

	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->sys_fd = sys_fd;
	vm->sys.request = vm_sys_request;
	pthread_mutex_init(&vm->fate_lock, NULL);
	pthread_cond_init(&vm->fate_cond, NULL);
	if (bus_init(&vm->io, "port", verbose) || bus_init(&vm->mmio, "mmio", verbose)) {
		vireoctl_err("out of memory");
		return -1;
	}
	if (vm_create_fd(vm, sys_fd, name))
		return -1;

	ret = guest_mem_alloc(&vm->mem, mem_size);
	if (ret) {
		vireoctl_err("cannot map %llu MiB of guest RAM: %s",
			     (unsigned long long)(mem_size / MIB), strerror(-ret));
		return -1;
	}
	for (i = 0; i < vm->mem.nr; i++)
		if (set_slot(vm, i, &vm->mem.region[i]))
			return -1;

	run_size = ioctl(sys_fd, VIREO_CHECK_CAP, VIREO_CAP_RUN_SIZE);
	vm->run_size = run_size > 0 ? (size_t)run_size : VIREO_RUN_SIZE;
	vm->vcpus = calloc(nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		vireoctl_err("out of memory");
		return -1;
	}
	for (i = 0; i < nr_vcpus; i++)
		vm->vcpus[i].fd = -1;
	vm->nr_vcpus = nr_vcpus;
	for (i = 0; i < nr_vcpus; i++)
		if (create_vcpu(vm, &vm->vcpus[i], i))
			return -1;
	return 0;
}

static void kick_handler(int sig)
{
	(void)sig;		/* only to make VIREO_RUN return -EINTR */
}

int vm_start(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };
	int i, ret;

	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);	/* no SA_RESTART */
	vm->start_ns = now_ns();
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		ret = pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (ret) {
			vm_stop(vm, FATE_ERROR, "cannot start the thread of vCPU %d: %s", i,
				strerror(ret));
			return -1;
		}
		v->started = true;
	}
	return 0;
}

void vm_join(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
		vm->vcpus[i].started = false;
	}
}

void vm_destroy(struct vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v->run)
			munmap(v->run, vm->run_size);
		if (v->fd >= 0)
			close(v->fd);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
	vm->nr_vcpus = 0;
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
	guest_mem_free(&vm->mem);
	bus_destroy(&vm->io);
	bus_destroy(&vm->mmio);
	pthread_cond_destroy(&vm->fate_cond);
	pthread_mutex_destroy(&vm->fate_lock);
}
