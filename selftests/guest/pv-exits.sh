# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2086,SC2154
# The exits paravirtualization saves (run with --only pv-exits): the same
# PV kernel and the same work (l2-init's: boot, read and write the disk, a
# typed command, poweroff) on one vCPU, one guest at a time: fully
# virtualized (--pv none, ttyS0, /dev/sda), then paravirtualized (--pv all,
# hvc0, /dev/vireoblk0) without and with 8250.nr_uarts=0. The --stats
# tables are in the log ("# " lines), and one "# pv-exits:" line per guest
# sums them up. Each guest must run its course, and the PV runs must
# return to vireoctl at most half as often as the FV one: the console and
# the disk are most of the FV guest's exits to userspace, one per byte or
# register access where the PV guest makes one hypercall per write or per
# batch of requests.
. /vireo/guest/lib.sh
. /vireo/guest/pv-lib.sh

ARGS="loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off"

# exits_count FILE LABEL: the count of the --stats line starting LABEL.
exits_count() {
	awk -v l="$2" 'index($0, l) == 1 { print $(NF - 1); exit }' "$1"
}

# exits_sum FILE HEADER: the sum of the counts of the rows under HEADER.
exits_sum() {
	awk -v h="$2" '/^[^ ]/ { in_h = ($0 == h) } /^  / && in_h { s += $(NF - 1) }
		END { print s + 0 }' "$1"
}

tap_plan 6
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
for run in "fv console=ttyS0 none" "pv console=hvc0 all" \
	"pvnouart console=hvc0+8250.nr_uarts=0 all"; do
	set -- $run
	cp /vireo/l2/disk.img "/tmp/$1.img"
	pv_start "$1" /vireo/l2/bzImage 1 "$(echo "$2" | tr + ' ') $ARGS" "/tmp/$1.img" --pv "$3"
	pv_session "$1"
	pv_finish "$1"
	[ "$pv_rc" = 0 ] && grep -q "L2-TYPED-42" "/tmp/$1.log" && grep -q "L2-WROTE" "/tmp/$1.log"
	tap_ok $? "$1: the guest booted, wrote its disk, ran a command and powered off"
	vm=$(exits_count "/tmp/$1.err" "VM exits (vireo.ko)")
	user=$(exits_sum "/tmp/$1.err" "returns to vireoctl, by reason")
	io=$(exits_sum "/tmp/$1.err" "vireoctl: port I/O exits by device")
	hc=$(exits_sum "/tmp/$1.err" "hypercalls")
	eval "user_$1=\${user:-0}"
	echo "# pv-exits: $1: VM exits ${vm:-?}, returns to vireoctl $user," \
		"port I/O exits $io, hypercalls $hc, shell after $(cat "/tmp/$1.ready") s"
done
[ "$user_pv" -gt 0 ] && [ $((user_pv * 2)) -le "$user_fv" ]
tap_ok $? "pv: at most half the FV guest's returns to vireoctl ($user_pv against $user_fv)"
[ "$user_pvnouart" -gt 0 ] && [ $((user_pvnouart * 2)) -le "$user_fv" ]
tap_ok $? "pvnouart: at most half the FV guest's returns to vireoctl ($user_pvnouart against $user_fv)"
