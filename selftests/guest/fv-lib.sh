# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Shared by the vireoctl run scenarios (fv-*.sh; sourced after lib.sh):
# boot the nested guest of /vireo/l2 (see selftests/bed/l2.py) under vireo
# with vireoctl run, drive its shell through the serial console, and check
# from L1 what it did: vireoctl's exit status and reason, the guest's
# console, and the disk image after the guest is gone.
#
# fv_boot CPUS MEM CMDLINE: runs the guest to its end ($FV_OPTS: more
# vireoctl run options, e.g. --verbose). vireoctl's console is stdio:
# stdin from a FIFO that the script writes (the guest's keyboard), stdout
# to /tmp/l2.log, which is also streamed to the L1 console as "# L2| "
# lines. A guest that has no shell after $FV_SHELL_TIMEOUT seconds is
# stopped with SIGTERM, after a dump of where vireoctl's threads wait in
# the kernel; --stats then shows the devices. Sets fv_rc (vireoctl's exit
# status), fv_shell and fv_secs (seconds to the guest's shell, to the end).
#
# fv_fate DESCRIPTION STATUS REASON ACTION...: boots the guest again on
# one vCPU, runs ACTION (a command, e.g. fv_type "reboot -f") once its
# shell is up, and checks vireoctl's exit status and last line (one
# result): the distinct ends of a guest.

: "${FV_OPTS:=}"
: "${FV_SHELL_TIMEOUT:=900}"
fv_log=/tmp/l2.log
fv_err=/tmp/vireoctl.err
fv_disk=/vireo/l2/disk.img

# wait_for PATTERN SECONDS: until PATTERN is in the guest's output.
fv_wait_for() {
	i=0
	while [ "$i" -lt "$2" ]; do
		grep -q "$1" "$fv_log" && return 0
		kill -0 "$fv_pid" 2>/dev/null || return 1
		sleep 1
		i=$((i + 1))
	done
	return 1
}

fv_uptime() {
	cut -d' ' -f1 /proc/uptime
}

# The guest's console, live on L1's as "# L2| " lines (a hang still shows
# how far it got): tail -f into a FIFO, read line by line so that nothing
# waits in a buffer.
fv_stream_start() {
	rm -f /tmp/l2tail
	mkfifo /tmp/l2tail
	tail -f "$fv_log" > /tmp/l2tail 2>/dev/null &
	fv_tail=$!
	cr=$(printf '\r')
	while IFS= read -r line; do
		echo "# L2| ${line%"$cr"}"
	done < /tmp/l2tail &
	fv_reader=$!
}

fv_stream_stop() {
	sleep 2			# tail -f looks once a second
	kill "$fv_tail" 2>/dev/null
	wait "$fv_reader"
}

# Where each thread of a stuck vireoctl waits, for the log.
fv_dump_threads() {
	log_step "no guest shell after $FV_SHELL_TIMEOUT s; vireoctl's threads:"
	for t in /proc/"$fv_pid"/task/*; do
		echo "# thread ${t##*/} $(cat "$t/comm") wchan $(cat "$t/wchan")"
		sed 's/^/#   /' "$t/stack"
	done
}

fv_start() {
	rm -f /tmp/l2in "$fv_log" "$fv_err"
	mkfifo /tmp/l2in
	: > "$fv_log"
	fv_stream_start
	fv_t0=$(fv_uptime)
	fv_shell=-
	log_step "vireoctl run --cpus $1 --mem $2 --cmdline '$3' $FV_OPTS"
	# shellcheck disable=SC2086
	vireoctl run --kernel /vireo/l2/bzImage --initrd /vireo/l2/initrd.cpio \
		--disk "$fv_disk" --cpus "$1" --mem "$2" --cmdline "$3" --name l2 --stats \
		$FV_OPTS < /tmp/l2in > "$fv_log" 2> "$fv_err" &
	fv_pid=$!
	exec 3> /tmp/l2in
}

# Until the guest's shell is up; stops a guest that does not get there.
fv_wait_shell() {
	if fv_wait_for "L2-SHELL-READY" "$FV_SHELL_TIMEOUT"; then
		fv_shell=$(awk -v a="$fv_t0" -v b="$(fv_uptime)" 'BEGIN { printf "%.0f", b - a }')
		return 0
	fi
	fv_dump_threads
	kill -TERM "$fv_pid" 2>/dev/null
	return 1
}

# A line on the guest's keyboard.
fv_type() {
	echo "$1" >&3
}

fv_finish() {
	wait "$fv_pid"
	fv_rc=$?
	exec 3>&-
	fv_secs=$(awk -v a="$fv_t0" -v b="$(fv_uptime)" 'BEGIN { printf "%.0f", b - a }')
	fv_stream_stop
	sed 's/^/# /' "$fv_err"
	log_step "timing: guest shell after $fv_shell s, vireoctl done after $fv_secs s"
}

fv_boot() {
	fv_start "$@"
	if fv_wait_shell; then
		# The keyboard: a command typed on the serial line, then poweroff.
		# shellcheck disable=SC2016 # the guest's shell expands it
		fv_type 'echo L2-TYPED-$((6 * 7))'
		fv_wait_for "L2-TYPED-42" 120
		fv_type 'poweroff -f'
	fi
	fv_finish
}

fv_fate() {
	desc=$1 want=$2 reason=$3
	shift 3
	fv_start 1 128M "$FV_CMDLINE"
	fv_wait_shell && "$@"
	fv_finish
	[ "$fv_rc" = "$want" ] && tail -n 1 "$fv_err" | grep -Eq "$reason"
	tap_ok $? "$desc: exit $want (got $fv_rc)"
}

# Actions for fv_fate, from L1.
fv_destroy() {
	vireoctl destroy l2
}

fv_sigterm() {
	kill -TERM "$fv_pid"
}

# The checks every vireoctl run scenario makes (7 results).
fv_check() {
	want=$(cat /vireo/l2/hello.txt)
	[ "$fv_rc" = 0 ]
	tap_ok $? "vireoctl run exits 0 after the guest's poweroff (got $fv_rc)"
	tail -n 1 "$fv_err" | grep -q "the guest powered off (ACPI S5"
	tap_ok $? "vireoctl says why on its last line: ACPI S5 poweroff"
	grep -q "L2-READ: $want" "$fv_log"
	tap_ok $? "the guest read hello.txt from its IDE disk"
	grep -q "L2-TYPED-42" "$fv_log"
	tap_ok $? "the guest's shell ran a command typed on its serial console"
	grep -q "^VM exits (vireo.ko)" "$fv_err" && grep -q "serial 0x3f8" "$fv_err"
	tap_ok $? "the exit table of --stats was printed"
	fv_check_disk "$want"
	grep -q "L2-SHELL-READY" "$fv_log" && ! grep -q "L2-ERROR" "$fv_log"
	tap_ok $? "the guest's init got to its shell without an error"
}

# From L1, after the guest: mount its disk image and read what it wrote.
fv_check_disk() {
	while read -r ko; do
		insmod "/vireo/l1mod/$ko" 2>/dev/null
	done < /vireo/l1mod/order
	mkdir -p /mnt/l2disk
	if mount -o loop,ro -t ext4 "$fv_disk" /mnt/l2disk; then
		sed 's/^/# disk: /' /mnt/l2disk/from-l2.txt
		grep -q "^written by L2: kernel .*read: $1$" /mnt/l2disk/from-l2.txt
		st=$?
		umount /mnt/l2disk
	else
		st=1
	fi
	tap_ok $st "the disk image, mounted in L1 afterwards, holds the file the guest wrote"
}
