# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2016
# Shared by the pv scenarios (sourced after lib.sh): boot the nested
# guests of /vireo/l2 (l2.py's "pv" kind: the PV kernel, the plain one)
# with vireoctl run, several at once if need be, each under a NAME:
#
# pv_start NAME KERNEL CPUS CMDLINE DISK [vireoctl run options]
#   starts it (--mem 128M, --stats, the console on stdio): its console
#   goes to /tmp/NAME.log, streamed into L1's as "# L2 NAME| " lines, and
#   its keyboard is the FIFO /tmp/NAME.in (pv_type NAME LINE).
# pv_session NAME [OTHER...]: from a shell up, the standard visit: wait
#   for the shell, wait for the OTHER guests' shells (so that they all run
#   at once; vireoctl list is kept in /tmp/NAME.list), type a command, power
#   off. It may run in the background beside another session.
# pv_finish NAME: waits for vireoctl; sets pv_rc.
# pv_check NAME DISKDEV CONSOLE REASON: 7 results: vireoctl's exit status
#   and last line, which disk and console the guest got (and no other
#   disk), what it read and typed, a clean guest kernel log, and the disk
#   image checked from L1 after the guest is gone.

: "${PV_SHELL_TIMEOUT:=900}"
pv_want=$(cat /vireo/l2/hello.txt)
pv_cr=$(printf '\r')

pv_uptime() {
	cut -d' ' -f1 /proc/uptime
}

pv_start() {
	n=$1 kernel=$2 cpus=$3 cmdline=$4 disk=$5
	shift 5
	rm -f "/tmp/$n.in" "/tmp/$n.log" "/tmp/$n.err" "/tmp/$n.tail" "/tmp/$n.ready"
	mkfifo "/tmp/$n.in" "/tmp/$n.tail"
	: > "/tmp/$n.log"
	# A writer that stays: the guest's input never sees an end of file.
	sleep 100000 > "/tmp/$n.in" &
	echo $! > "/tmp/$n.holder"
	tail -f "/tmp/$n.log" > "/tmp/$n.tail" 2>/dev/null &
	echo $! > "/tmp/$n.tailpid"
	while IFS= read -r line; do
		echo "# L2 $n| ${line%"$pv_cr"}"
	done < "/tmp/$n.tail" &
	echo $! > "/tmp/$n.reader"
	pv_uptime > "/tmp/$n.t0"
	log_step "$n: vireoctl run --kernel ${kernel##*/} --cpus $cpus --disk ${disk##*/}" \
		"--cmdline '$cmdline' $*"
	vireoctl run --kernel "$kernel" --initrd /vireo/l2/initrd.cpio --disk "$disk" \
		--cpus "$cpus" --mem 128M --cmdline "$cmdline" --name "$n" --stats "$@" \
		< "/tmp/$n.in" > "/tmp/$n.log" 2> "/tmp/$n.err" &
	echo $! > "/tmp/$n.pid"
}

# pv_wait_for NAME PATTERN SECONDS
pv_wait_for() {
	i=0
	while [ "$i" -lt "$3" ]; do
		grep -q "$2" "/tmp/$1.log" && return 0
		kill -0 "$(cat "/tmp/$1.pid")" 2>/dev/null || return 1
		sleep 1
		i=$((i + 1))
	done
	return 1
}

pv_type() {
	printf '%s\n' "$2" > "/tmp/$1.in"
}

# pv_mark_ready NAME: its shell is up; /tmp/NAME.ready says after how long.
pv_mark_ready() {
	awk -v a="$(cat "/tmp/$1.t0")" -v b="$(pv_uptime)" 'BEGIN { printf "%.0f", b - a }' \
		> "/tmp/$1.ready"
}

pv_session() {
	n=$1
	shift
	if ! pv_wait_for "$n" "L2-SHELL-READY" "$PV_SHELL_TIMEOUT"; then
		log_step "$n: no shell after $PV_SHELL_TIMEOUT s; stopping it"
		kill -TERM "$(cat "/tmp/$n.pid")" 2>/dev/null
		return
	fi
	pv_mark_ready "$n"
	for other in "$@"; do
		i=0
		while [ ! -e "/tmp/$other.ready" ] && [ "$i" -lt "$PV_SHELL_TIMEOUT" ]; do
			sleep 1
			i=$((i + 1))
		done
	done
	vireoctl list > "/tmp/$n.list" 2>&1
	pv_type "$n" 'echo L2-TYPED-$((6 * 7))'
	pv_wait_for "$n" "L2-TYPED-42" 120
	pv_type "$n" 'poweroff -f'
}

pv_finish() {
	n=$1
	wait "$(cat "/tmp/$n.pid")"
	pv_rc=$?
	secs=$(awk -v a="$(cat "/tmp/$n.t0")" -v b="$(pv_uptime)" 'BEGIN { printf "%.0f", b - a }')
	sleep 2				# tail -f looks once a second
	kill "$(cat "/tmp/$n.tailpid")" "$(cat "/tmp/$n.holder")" 2>/dev/null
	wait "$(cat "/tmp/$n.reader")"
	sed 's/^/# /' "/tmp/$n.err"
	log_step "timing: $n: shell after $(cat "/tmp/$n.ready" 2>/dev/null || echo -) s," \
		"vireoctl done after $secs s"
}

# pv_known_splats LOG OUT: OUT is the guest's log without the one splat
# that is not paravirtualization's: with the hypervisor bit clear (--pv
# none, or no --pv) Linux takes Bochs' Haswell for bare metal, its uncore
# PMU driver writes MSR 0x391, which vireo does not have, and gets a #GP
# ("unchecked MSR access error" and a call trace; fv-plain's guests show
# it too). The splat is cut, up to its </TASK>, and noted in L1's log.
pv_known_splats() {
	msr="unchecked MSR access error: WRMSR to 0x391 .*snb_uncore_msr_init_box"
	grep -q "$msr" "$1" && log_step "known, not a pv bug: ${1##*/}: the uncore MSR 0x391 #GP"
	awk -v msr="$msr" '$0 ~ msr { skip = 1; next }
		skip && /<\/TASK>/ { skip = 0; next }
		!skip' "$1" > "$2"
}

# From L1, with the guest gone: what it wrote to its disk image.
pv_check_disk() {
	if [ -s /vireo/l1mod/order ]; then
		while read -r ko; do
			insmod "/vireo/l1mod/$ko" 2>/dev/null
		done < /vireo/l1mod/order
		mkdir -p /mnt/l2disk
		mount -o loop,ro -t ext4 "$1" /mnt/l2disk || return 1
		sed 's/^/# disk: /' /mnt/l2disk/from-l2.txt
		grep -q "^written by L2: kernel .*read: $pv_want$" /mnt/l2disk/from-l2.txt
		st=$?
		if [ "$st" = 0 ] && [ -e /mnt/l2disk/big.md5 ]; then
			sed 's/^/# disk: /' /mnt/l2disk/big.md5
			(cd /mnt/l2disk && sed 's| /mnt/| |' big.md5 | md5sum -c -s)
			st=$?
		fi
		umount /mnt/l2disk
		return $st
	fi
	# No loop or ext4 in this L1 kernel: the file's line, raw in the image.
	# Busybox grep's regex takes a minute and a half on the 16 MiB image
	# under KASAN, and -F stops at NULs: NULs to newlines, then -F (six
	# times faster). "read: TOKEN" is only in that file.
	tr '\000' '\n' < "$1" | grep -qF "read: $pv_want"
}

pv_check() {
	n=$1 dev=$2 console=$3 reason=$4
	case $dev in
	sda) other=vireoblk0 ;;
	*) other=sda ;;
	esac
	[ "$pv_rc" = 0 ] && tail -n 1 "/tmp/$n.err" | grep -Eq "$reason"
	tap_ok $? "$n: vireoctl exits 0 after the guest's poweroff: $reason (got $pv_rc)"
	grep -q "L2-DISK: /dev/$dev; console $console;" "/tmp/$n.log" &&
		! grep "L2-DISK:" "/tmp/$n.log" | grep -q "block devices:.*$other"
	tap_ok $? "$n: the guest's disk is /dev/$dev, and only it; its console is $console"
	grep -q "L2-READ: $pv_want" "/tmp/$n.log"
	tap_ok $? "$n: the guest read hello.txt from /dev/$dev"
	grep -q "L2-TYPED-42" "/tmp/$n.log"
	tap_ok $? "$n: the guest's shell ran a command typed on $console"
	grep -q "L2-SHELL-READY" "/tmp/$n.log" && ! grep -q "L2-ERROR" "/tmp/$n.log"
	tap_ok $? "$n: the guest's init got to its shell without an error"
	pv_known_splats "/tmp/$n.log" "/tmp/$n.clean"
	! grep -Eq "WARNING:|BUG:|Call Trace|Oops|vireo_blk: .*failed|VIREO_HC.*failed" \
		"/tmp/$n.clean"
	tap_ok $? "$n: the guest's kernel log has no warning, oops or failed hypercall"
	pv_check_disk "/tmp/$n.img"
	tap_ok $? "$n: the disk image, checked in L1 afterwards, holds what the guest wrote"
}
