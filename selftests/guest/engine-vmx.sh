# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The VM engine on Debian's stock kernel in Bochs with VMX (2 CPUs): every
# engine test program (selftests/vireo/*, guest code run by vireo), then
# vireo unloads cleanly.
. /vireo/guest/lib.sh

tap_plan 2
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"

run_engine_tests

rmmod vireo
tap_ok $? "vireo.ko unloads after the engine tests"
