# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2086
# The macro-benchmarks' L1 side (sourced after lib.sh by macro.sh and
# macro-short.sh; Documentation/virt/vireo/benchmarks.rst): the PV kernel of
# /vireo/l2 booted by vireoctl run as a fully virtualized guest (--pv none:
# ttyS0, IDE /dev/sda) and as a paravirtualized one (--pv all: hvc0,
# /dev/vireoblk0), alone or both at once. In each, macro_bench (selftests/
# pvguest/macro_bench.c) times the boot and the phases with the TSC; here,
# `vireoctl stats` reads the VM's exit counters before and after each phase
# while the guest waits. Every figure becomes one "# MACRO key=value..." line
# of the serial log, which selftests/bed/macro turns into tables. The
# guests' consoles go to /tmp/NAME.log only: never into the serial log.
#
# macro_set SET ROUND NAME...   boots the guests NAME (fv* or pv*) at once,
#   measures the boot and every phase in each, powers them off; fails if a
#   guest did not get through every phase or vireoctl did not exit 0.

: "${MACRO_ROUNDS:=1}" "${MACRO_REPS:=1}" "${MACRO_CONSOLE_KIB:=4}" "${MACRO_SIZE_KIB:=256}"
MACRO_PHASES=6			# null console seqwrite seqread randwrite randread
MACRO_OFFSET_MIB=16		# past l2.py's 16 MiB ext4 file system
MACRO_ARGS="loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off vireo.macro"
macro_cr=$(printf '\r')

macro_start() {
	n=$1
	case $n in
	fv*) cmdline="console=ttyS0 $MACRO_ARGS" pv=none ;;
	*) cmdline="console=hvc0 8250.nr_uarts=0 $MACRO_ARGS" pv=all ;;
	esac
	rm -f "/tmp/$n.in" "/tmp/$n.log" "/tmp/$n.err"
	mkfifo "/tmp/$n.in"
	sleep 100000 > "/tmp/$n.in" &
	echo $! > "/tmp/$n.holder"
	cp /vireo/l2/disk.img "/tmp/$n.img"
	dd if=/dev/zero of="/tmp/$n.img" bs=1024 count=0 \
		seek=$((MACRO_OFFSET_MIB * 1024 + MACRO_SIZE_KIB)) 2>/dev/null
	log_step "$n: vireoctl run --pv $pv --cmdline '$cmdline'"
	macro_tsc > "/tmp/$n.tsc0"
	vireoctl run --kernel /vireo/l2/bzImage --initrd /vireo/l2/initrd.cpio \
		--disk "/tmp/$n.img" --cpus 1 --mem 128M --cmdline "$cmdline" --name "$n" \
		--stats --pv "$pv" < "/tmp/$n.in" > "/tmp/$n.log" 2> "/tmp/$n.err" &
	echo $! > "/tmp/$n.pid"
	# The guest's own lines, live (never the console phase's data).
	rm -f "/tmp/$n.tail"
	mkfifo "/tmp/$n.tail"
	tail -f "/tmp/$n.log" > "/tmp/$n.tail" 2>/dev/null &
	echo $! > "/tmp/$n.tailpid"
	awk -v n="$n" '/L2-|MACRO-|Kernel panic|WARNING:|BUG:|Oops/ {
		sub(/\r$/, ""); print "# L2 " n "| " $0; fflush() }' < "/tmp/$n.tail" &
}

# macro_wait NAME ERE SECONDS: the ERE in the end of the console's log.
macro_wait() {
	i=0
	while [ "$i" -lt $(($3 * 5)) ]; do
		tail -c 4096 "/tmp/$1.log" | grep -Eq "$2" && return 0
		kill -0 "$(cat "/tmp/$1.pid")" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
	log_step "$1: no '$2' after $3 s"
	return 1
}

# A line on the guest's keyboard; never blocks on a FIFO nobody reads.
macro_type() {
	kill -0 "$(cat "/tmp/$1.pid")" 2>/dev/null && printf '%s\n' "$2" > "/tmp/$1.in"
}

# The VM's exits so far: "ALL USER" (every VM exit; the returns to vireoctl).
macro_exits() {
	vireoctl stats "$1" | awk '$1 == "vmx-exit" { e += $3 } $1 == "user-exit" { u += $3 }
		END { print e + 0, u + 0 }'
}

# macro_emit NAME SET ROUND "FIGURES" "EXITS BEFORE" "EXITS AFTER"
macro_emit() {
	set -- "$1" "$2" "$3" "$4" $5 $6
	case $1 in
	fv*) kind=fv ;;
	*) kind=pv ;;
	esac
	echo "# MACRO guest=$1 kind=$kind set=$2 round=$3 $4" \
		"exits=$(($7 - $5)) uexits=$(($8 - $6))"
}

macro_boot() {
	set_=$1 round=$2
	shift 2
	for n; do
		macro_wait "$n" "MACRO-BOOT tsc=" 900 || return 1
	done
	for n; do
		macro_exits "$n" > "/tmp/$n.x1"
		t1=$(grep -a -m1 "MACRO-BOOT tsc=" "/tmp/$n.log" | tr -d "$macro_cr" | sed 's/.*tsc=//')
		macro_type "$n" g
		macro_emit "$n" "$set_" "$round" \
			"phase=boot rep=1 bytes=0 ops=0 ticks=$((t1 - $(cat "/tmp/$n.tsc0"))) ns=0 direct=0" \
			"0 0" "$(cat "/tmp/$n.x1")"
	done
}

macro_phases() {
	set_=$1 round=$2
	shift 2
	for n; do
		macro_wait "$n" "L2-SHELL-READY" 600 || return 1
		case $n in
		fv*) dev=/dev/sda ;;
		*) dev=/dev/vireoblk0 ;;
		esac
		macro_type "$n" "macro_bench serve $dev $MACRO_OFFSET_MIB $MACRO_SIZE_KIB $MACRO_CONSOLE_KIB $MACRO_REPS"
	done
	seq=1
	while [ "$seq" -le $((MACRO_PHASES * MACRO_REPS)) ]; do
		for n; do
			macro_wait "$n" "MACRO-WAIT $seq($|[^0-9])" 600 || return 1
		done
		for n; do
			macro_exits "$n" > "/tmp/$n.x0"
		done
		for n; do
			macro_type "$n" g
		done
		for n; do
			macro_wait "$n" "MACRO-DONE $seq " 1800 || return 1
		done
		for n; do
			macro_exits "$n" > "/tmp/$n.x1"
		done
		for n; do
			done_=$(grep -a "MACRO-DONE $seq " "/tmp/$n.log" | tail -n 1 | tr -d "$macro_cr")
			macro_emit "$n" "$set_" "$round" "${done_#MACRO-DONE "$seq" }" \
				"$(cat "/tmp/$n.x0")" "$(cat "/tmp/$n.x1")"
		done
		seq=$((seq + 1))
	done
	for n; do
		macro_wait "$n" "MACRO-END" 60 || return 1
	done
}

macro_set() {
	set_=$1 round=$2
	shift 2
	for n; do
		macro_start "$n"
	done
	st=0
	macro_boot "$set_" "$round" "$@" && macro_phases "$set_" "$round" "$@" || st=1
	for n; do
		macro_type "$n" "q"
		macro_type "$n" "poweroff -f"
	done
	for n; do
		i=0
		while kill -0 "$(cat "/tmp/$n.pid")" 2>/dev/null && [ "$i" -lt 60 ]; do
			sleep 1
			i=$((i + 1))
		done
		kill -TERM "$(cat "/tmp/$n.pid")" 2>/dev/null
		wait "$(cat "/tmp/$n.pid")"
		rc=$?
		kill "$(cat "/tmp/$n.holder")" 2>/dev/null
		sleep 2			# tail -f looks once a second
		kill "$(cat "/tmp/$n.tailpid")" 2>/dev/null
		sed "s/^/# $n: /" "/tmp/$n.err"
		[ "$rc" = 0 ] || st=1
		log_step "$n: vireoctl exited with $rc"
	done
	return $st
}
