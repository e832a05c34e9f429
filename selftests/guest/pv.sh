# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2016
# Paravirtualization (issue 6) on Debian's kernel with VMX in Bochs:
#  1. hcguest (hcg-lib.sh): every hypercall's good and error paths against
#     vireoctl's pv console and pv block backends and vireo.ko, CPL 3
#     included;
#  2. the PV kernel (pvguest/) with --pv all on 2 vCPUs: its shell on the
#     pv console hvc0, ext4 on the pv disk /dev/vireoblk0 (a 2 MiB file
#     written and checked in L1), hypercall_cpl3_test inside it, poweroff
#     by hypercall;
#  3. at once: the PV kernel with --pv none (a fully virtualized guest:
#     ttyS0, /dev/sda) and with --pv console,clock,system,idle (the pv
#     console with the emulated disk);
#  4. at once: the plain kernel with --pv all (no vireo drivers: ttyS0,
#     /dev/sda) and the PV kernel with --pv block,clock,system,idle and
#     console=ttyS0 (the pv disk with the emulated console).
. /vireo/guest/lib.sh
. /vireo/guest/hcg-lib.sh
. /vireo/guest/pv-lib.sh

ARGS="loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off"
PV_CMDLINE="console=hvc0 8250.nr_uarts=0 $ARGS"
FV_CMDLINE="console=ttyS0 $ARGS"
L2=/vireo/l2/bzImage
PLAIN=/vireo/l2/bzImage-plain

tap_plan 50
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"

hcg_suite

# 2. The PV guest.
cp /vireo/l2/disk.img /tmp/pv.img
pv_start pv "$L2" 2 "$PV_CMDLINE" /tmp/pv.img --pv all
if pv_wait_for pv "L2-SHELL-READY" "$PV_SHELL_TIMEOUT"; then
	pv_mark_ready pv
	pv_type pv 'echo L2-TYPED-$((6 * 7))'
	pv_wait_for pv "L2-TYPED-42" 120
	pv_type pv 'echo L2-TAP-BEGIN-$((0 + 1)); hypercall_cpl3_test; echo L2-TAP-END-$((0 + 1))'
	pv_wait_for pv "L2-TAP-END-1" 120
	pv_type pv 'mount /dev/vireoblk0 /mnt && dd if=/dev/urandom of=/mnt/big bs=64k count=32 &&
md5sum /mnt/big > /mnt/big.md5 && umount /mnt && echo L2-BIG-$((1 + 1))'
	pv_wait_for pv "L2-BIG-2" 300
	pv_type pv 'poweroff -f'
else
	kill -TERM "$(cat /tmp/pv.pid)"
fi
pv_finish pv
pv_check pv vireoblk0 hvc0 "the guest powered off \\(hypercall\\)"
# hypercall_cpl3_test's own TAP program, from the guest's console.
sed -n '/^L2-TAP-BEGIN-1/,/^L2-TAP-END-1/p' /tmp/pv.log | tr -d '\r' | grep -v '^L2-TAP-'
grep -q "vireo: CPUID base 0x40000000, features offered 0x1f, used 0x1f" /tmp/pv.log
tap_ok $? "pv: the PV kernel uses all 5 features offered"
grep -q "L2-BIG-2" /tmp/pv.log
tap_ok $? "pv: the guest wrote a 2 MiB file to ext4 on the pv disk"
grep -Eq "pv block: .*the pv disk" /tmp/pv.err && grep -q "pv console: in use" /tmp/pv.err &&
	grep -Eq "BLOCK_NOTIFY +[1-9]" /tmp/pv.err && grep -Eq "IDLE +[1-9]" /tmp/pv.err &&
	grep -Eq "IRQs, [1-9][0-9]* suppressed" /tmp/pv.err
tap_ok $? "pv: --stats shows the pv disk and console in use, NOTIFY and IDLE hypercalls, IRQs the driver's polling saved"

# 3. A fully virtualized guest beside one with the pv console and the IDE disk.
cp /vireo/l2/disk.img /tmp/fv.img
cp /vireo/l2/disk.img /tmp/mixc.img
pv_start fv "$L2" 1 "$FV_CMDLINE" /tmp/fv.img --pv none
pv_start mixc "$L2" 1 "$PV_CMDLINE" /tmp/mixc.img --pv console,clock,system,idle
pv_session fv mixc &
s1=$!
pv_session mixc fv &
s2=$!
wait "$s1" "$s2"
pv_finish fv
pv_finish mixc
pv_check fv sda ttyS0 "the guest powered off \\(ACPI S5"
pv_check mixc sda hvc0 "the guest powered off \\(hypercall\\)"
! grep -q "vireo:" /tmp/fv.log && grep -q "vireo: .*features offered 0x1d, used 0x1d" /tmp/mixc.log
tap_ok $? "fv, mixc: the PV kernel finds no vireo with --pv none, and uses what mixc offers"
grep -q " fv .*running" /tmp/fv.list && grep -q " mixc .*running" /tmp/fv.list
tap_ok $? "fv, mixc: both guests ran at once (vireoctl list from fv's shell)"

# 4. The plain kernel offered everything, beside the pv disk with ttyS0.
cp /vireo/l2/disk.img /tmp/plain.img
cp /vireo/l2/disk.img /tmp/mixb.img
pv_start plain "$PLAIN" 1 "$FV_CMDLINE" /tmp/plain.img --pv all
pv_start mixb "$L2" 1 "$FV_CMDLINE" /tmp/mixb.img --pv block,clock,system,idle
pv_session plain mixb &
s1=$!
pv_session mixb plain &
s2=$!
wait "$s1" "$s2"
pv_finish plain
pv_finish mixb
pv_check plain sda ttyS0 "the guest powered off \\(ACPI S5"
pv_check mixb vireoblk0 ttyS0 "the guest powered off \\(hypercall\\)"
! grep -q "vireo:" /tmp/plain.log && grep -q "pv block: .*never asked for" /tmp/plain.err &&
	grep -q "pv console: never called" /tmp/plain.err
tap_ok $? "plain: the unmodified kernel ignores what --pv all offers"
grep -q " plain .*running" /tmp/plain.list && grep -q " mixb .*running" /tmp/plain.list
tap_ok $? "plain, mixb: both guests ran at once (vireoctl list from plain's shell)"

rmmod vireo
tap_ok $? "vireo.ko unloads after every guest"
