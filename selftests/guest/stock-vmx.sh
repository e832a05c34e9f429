# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# Debian 12's stock kernel, untouched, in Bochs with VMX (2 CPUs): vireo.ko
# built against Debian's headers loads, enters and leaves VMX root operation
# on both CPUs, serves its ioctls, and shares the host with Debian's
# kvm_intel. Ends with vireo unloaded and reloaded a few times.
. /vireo/guest/lib.sh

tap_plan 7
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads on Debian's stock kernel $(uname -r)"
dmesg | grep -q "vireo: ready: VMX with EPT, VPID and unrestricted guest on 2 CPUs"
tap_ok $? "vireo reports VMX ready on both CPUs"
[ -c /dev/vireo ] && [ "$(stat -c '%a %u %g' /dev/vireo)" = "600 0 0" ]
tap_ok $? "/dev/vireo is a character device, mode 0600, owned by root"
vireoctl caps > /tmp/caps.out && grep -q "^api-version *1$" /tmp/caps.out
tap_ok $? "vireoctl caps talks to /dev/vireo"
sed 's/^/# /' /tmp/caps.out

dev_ioctl_test
vmx_root_test

log_step "loading Debian's kvm_intel"
insmod /vireo/kvm/irqbypass.ko && insmod /vireo/kvm/kvm.ko &&
	insmod /vireo/kvm/kvm-intel.ko
tap_ok $? "Debian's kvm.ko and kvm-intel.ko load beside vireo"
kvm_coexist_test
rmmod kvm_intel kvm irqbypass

rmmod vireo
tap_ok $? "vireo.ko unloads"
[ ! -e /dev/vireo ]
tap_ok $? "/dev/vireo is gone after unload"

load_cycle_test /vireo/vireo.ko 10
