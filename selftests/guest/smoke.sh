# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# A quick look at the bed itself (not run by default): one CPU, the stock
# kernel, vireo.ko in and out. Run with: selftests/bed/run --only smoke
. /vireo/guest/lib.sh

tap_plan 3
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
vireoctl caps | sed 's/^/# /'
tap_ok $? "vireoctl caps"
rmmod vireo
tap_ok $? "vireo.ko unloads"
