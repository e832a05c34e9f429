// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX root operation follows vireo's users and CPU hotplug.
 *
 * Reads the module's own accounting (/sys/kernel/debug/vireo/vmx): no CPU
 * is in VMX root operation while no VM exists; the first VM puts every
 * online CPU there with exactly one VMXON each, later VMs add none; closing
 * the last VM takes every CPU out with one VMXOFF each. With a VM alive, a
 * CPU that goes offline leaves VMX and enters it again when it comes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "vireo_util.h"

static bool counts_moved(const struct vmx_state *a, const struct vmx_state *b,
			 int d_on, int d_off)
{
	int i;

	for (i = 0; i < a->nr_cpus; i++)
		if (b->cpu[i].online &&
		    (b->cpu[i].nr_vmxon - a->cpu[i].nr_vmxon != (unsigned int)d_on ||
		     b->cpu[i].nr_vmxoff - a->cpu[i].nr_vmxoff != (unsigned int)d_off))
			return false;
	return true;
}

static int cpu_set_online(int cpu, int online)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, online ? "1" : "0", 1) == 1 ? 0 : -errno;
	close(fd);
	return r;
}

static void test_hotplug(int sys)
{
	struct vmx_state s0, s1, s2;
	const char *skip = NULL;
	int vm, r;

	if (access("/sys/devices/system/cpu/cpu1/online", W_OK))
		skip = "CPU 1 cannot be taken offline here (one CPU, or no CPU hotplug)";
	if (skip) {
		tap_skip(skip, "a CPU going offline leaves VMX root operation");
		tap_skip(skip, "a CPU coming online enters VMX root operation");
		tap_skip(skip, "without VMs, hotplug does not touch VMX");
		return;
	}

	vm = vireo_create_vm(sys, NULL, NULL);
	vmx_state_get(&s0);
	r = cpu_set_online(1, 0);
	vmx_state_get(&s1);
	tap_ok(vm >= 0 && !r && !s1.cpu[1].online && !s1.cpu[1].on &&
	       s1.cpu[1].nr_vmxoff == s0.cpu[1].nr_vmxoff + 1 && s1.cpu[0].on,
	       "a CPU going offline leaves VMX root operation (offline: %d)", r);
	r = cpu_set_online(1, 1);
	vmx_state_get(&s2);
	tap_ok(!r && s2.cpu[1].online && s2.cpu[1].on &&
	       s2.cpu[1].nr_vmxon == s1.cpu[1].nr_vmxon + 1,
	       "a CPU coming online enters VMX root operation (online: %d)", r);
	if (vm >= 0)
		close(vm);

	vmx_state_get(&s0);
	r = cpu_set_online(1, 0);
	r = r ?: cpu_set_online(1, 1);
	vmx_state_get(&s1);
	tap_ok(!r && vmx_all_online(&s1, 0) && counts_moved(&s0, &s1, 0, 0),
	       "without VMs, hotplug does not touch VMX");
}

int main(void)
{
	struct vmx_state s0, s1, s2, s3;
	int sys, vm1, vm2;

	tap_plan(8);
	sys = vireo_open();

	vmx_state_get(&s0);
	tap_diag("%d possible CPUs, %d online", s0.nr_cpus, vmx_nr_online(&s0));
	tap_ok(s0.users == 0 && vmx_all_online(&s0, 0),
	       "no VM: no CPU in VMX root operation (users %u)", s0.users);

	vm1 = vireo_create_vm(sys, NULL, NULL);
	vmx_state_get(&s1);
	tap_ok(vm1 >= 0 && s1.users == 1 && vmx_all_online(&s1, 1) &&
	       counts_moved(&s0, &s1, 1, 0),
	       "first VM: all %d online CPUs enter VMX root operation, one VMXON each",
	       vmx_nr_online(&s1));

	vm2 = vireo_create_vm(sys, NULL, NULL);
	vmx_state_get(&s2);
	tap_ok(vm2 >= 0 && s2.users == 2 && vmx_all_online(&s2, 1) &&
	       counts_moved(&s1, &s2, 0, 0), "second VM: no further VMXON");

	close(vm1);
	vmx_state_get(&s3);
	tap_ok(s3.users == 1 && vmx_all_online(&s3, 1) && counts_moved(&s2, &s3, 0, 0),
	       "one VM closed, one left: CPUs stay in VMX root operation");

	close(vm2);
	vmx_state_get(&s3);
	tap_ok(s3.users == 0 && vmx_all_online(&s3, 0) && counts_moved(&s2, &s3, 0, 1),
	       "last VM closed: every CPU leaves VMX root operation, one VMXOFF each");

	test_hotplug(sys);
	close(sys);
	return tap_finish();
}
