// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo and kvm_intel on one host.
 *
 * Both hold VMX only while they have VMs, so either can be used while the
 * other is loaded but idle. While one has VMs, the other's VM creation
 * fails cleanly: KVM_CREATE_VM with EBUSY, VIREO_CREATE_VM with EBUSY and
 * a kernel message naming the CPU, leaving no CPU half-switched.
 *
 * Needs vireo.ko, kvm.ko and kvm-intel.ko loaded (the stock-kernel bed
 * scenario loads Debian's).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "tap.h"
#include "vireo_util.h"

int main(void)
{
	struct vmx_state st;
	int sys, kvm, vm, kvm_vm, kmsg;

	tap_plan(6);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		tap_bail("open /dev/kvm: %s (load kvm-intel.ko first)", strerror(errno));
	sys = vireo_open();

	vm = vireo_create_vm(sys, NULL, NULL);
	tap_ok(vm >= 0, "vireo VM with kvm_intel loaded but idle (%d)", vm);

	errno = 0;
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	tap_ok(kvm_vm == -1 && errno == EBUSY,
	       "KVM_CREATE_VM while vireo has a VM: EBUSY (got %d, %s)",
	       kvm_vm, strerror(errno));
	if (kvm_vm >= 0)
		close(kvm_vm);
	if (vm >= 0)
		close(vm);

	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	tap_ok(kvm_vm >= 0, "KVM_CREATE_VM once vireo's VMs are gone (%d)", kvm_vm);

	kmsg = kmsg_open_at_end();
	vm = vireo_create_vm(sys, NULL, NULL);
	vmx_state_get(&st);
	tap_ok(vm == -EBUSY && st.users == 0 && vmx_all_online(&st, 0),
	       "VIREO_CREATE_VM while KVM has a VM: EBUSY, no CPU left in VMX by vireo (%d)",
	       vm);
	tap_ok(kmsg >= 0 && kmsg_contains(kmsg, "vireo: cannot enter VMX root operation on CPU"),
	       "the refusal is explained in the kernel log");
	if (vm >= 0)
		close(vm);
	if (kvm_vm >= 0)
		close(kvm_vm);

	vm = vireo_create_vm(sys, NULL, NULL);
	tap_ok(vm >= 0, "vireo VM again once KVM's VM is gone (%d)", vm);
	if (vm >= 0)
		close(vm);
	close(sys);
	close(kvm);
	return tap_finish();
}
