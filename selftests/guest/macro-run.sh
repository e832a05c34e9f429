# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# Shared by macro.sh and macro-short.sh (sourced, after they set the
# MACRO_* sizes): MACRO_ROUNDS rounds of the FV guest alone then the PV
# guest alone, then one round of both at once (mixed); TAP results say that
# every guest ran every phase, never what the figures are.
. /vireo/guest/lib.sh
. /vireo/guest/macro-lib.sh

tap_plan $((MACRO_ROUNDS * 2 + 3))
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
log_step "macro: $MACRO_ROUNDS rounds, $MACRO_REPS reps, console $MACRO_CONSOLE_KIB KiB," \
	"block $MACRO_SIZE_KIB KiB"
r=1
while [ "$r" -le "$MACRO_ROUNDS" ]; do
	for g in fv pv; do
		macro_set solo "$r" "$g"
		tap_ok $? "$g alone, round $r: booted, ran every phase, powered off"
	done
	r=$((r + 1))
done
macro_set mixed 1 fvm pvm
tap_ok $? "fv and pv at once: both booted, ran every phase, powered off"
rmmod vireo
tap_ok $? "vireo.ko unloads after every guest"
