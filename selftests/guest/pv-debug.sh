# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2016
# Paravirtualization on the bed's debug kernel (KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP, kmemleak) as L1: the host side of every hypercall
# must stay clean whatever the guest does. hcguest's error paths
# (hcg-lib.sh), then the PV kernel with --pv all on 2 vCPUs beside a fully
# virtualized one (its shell on hvc0, ext4 on the pv disk, its CPL 3
# test), then vireo.ko unloads and kmemleak finds nothing. This kernel
# has no loop or ext4: the disk images are checked raw.
. /vireo/guest/lib.sh
. /vireo/guest/hcg-lib.sh
. /vireo/guest/pv-lib.sh

ARGS="loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off"
L2=/vireo/l2/bzImage

tap_plan 24
kmemleak_clear
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads on the debug kernel"

hcg_suite

cp /vireo/l2/disk.img /tmp/pv.img
cp /vireo/l2/disk.img /tmp/fv.img
pv_start pv "$L2" 2 "console=hvc0 8250.nr_uarts=0 $ARGS" /tmp/pv.img --pv all
pv_start fv "$L2" 1 "console=ttyS0 $ARGS" /tmp/fv.img
(
	if pv_wait_for pv "L2-SHELL-READY" "$PV_SHELL_TIMEOUT"; then
		pv_type pv 'echo L2-TAP-BEGIN-$((0 + 1)); hypercall_cpl3_test; echo L2-TAP-END-$((0 + 1))'
		pv_wait_for pv "L2-TAP-END-1" 120
	fi
	pv_session pv fv
) &
s1=$!
pv_session fv pv &
s2=$!
wait "$s1" "$s2"
pv_finish pv
pv_finish fv
pv_check pv vireoblk0 hvc0 "the guest powered off \\(hypercall\\)"
sed -n '/^L2-TAP-BEGIN-1/,/^L2-TAP-END-1/p' /tmp/pv.log | tr -d '\r' | grep -v '^L2-TAP-'
pv_check fv sda ttyS0 "the guest powered off \\(ACPI S5"
grep -q " pv .*running" /tmp/fv.list && grep -q " fv .*running" /tmp/fv.list
tap_ok $? "pv, fv: both guests ran at once"

rmmod vireo
tap_ok $? "vireo.ko unloads"
kmemleak_clean
tap_ok $? "kmemleak finds no leak after the pv guests"
