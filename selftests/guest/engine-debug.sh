# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The VM engine under the debug kernel's checkers (KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, kmemleak) in Bochs with VMX (2 CPUs), on another CPU
# model than engine-vmx: the engine test programs of ENGINE_DEBUG_TESTS,
# then vireo unloads and kmemleak finds nothing.
. /vireo/guest/lib.sh

tap_plan 3
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads on the debug kernel"
kmemleak_clear

# multi_vm_test's churn of 20 VMs beside 2 busy ones takes 3 minutes here;
# the stock kernel runs it.
export VIREO_TEST_SKIP="20 VMs created"
run_engine_tests $ENGINE_DEBUG_TESTS
unset VIREO_TEST_SKIP

rmmod vireo
tap_ok $? "vireo.ko unloads after the engine tests"
kmemleak_clean
tap_ok $? "kmemleak finds no leak after the engine tests"
