# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The bed's debug kernel (KASAN, lockdep, kmemleak, KUnit) in Bochs with
# VMX (2 CPUs): KUnit suites, the ioctl and VMX tests under the kernel's
# checkers, then 100 load/unload cycles that must leave kmemleak clean.
. /vireo/guest/lib.sh

tap_plan 5
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads on the debug kernel"
insmod /vireo/vireo_kunit.ko && rmmod vireo_kunit
tap_ok $? "KUnit suites run (results are in the kernel log)"

dev_ioctl_test
vmx_root_test
nl_ops_test

rmmod vireo
tap_ok $? "vireo.ko unloads"

kmemleak_clear
load_cycle_test /vireo/vireo.ko 100
kmemleak_clean
tap_ok $? "kmemleak finds no leak after 100 load / VM / unload cycles"
[ ! -e /sys/module/vireo ]
tap_ok $? "vireo is not loaded at the end"
