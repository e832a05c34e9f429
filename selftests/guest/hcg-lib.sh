# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
# Shared by the pv scenarios (sourced after lib.sh): hcguest, the tiny
# guest kernel of selftests/hcguest/, booted by vireoctl run to make every
# hypercall itself against vireoctl's real pv backends and vireo.ko's
# hypercall path (every error path; see hcguest.c for the modes).
#
# hcg_suite: five runs, each its own TAP program of the guest's results
# plus "finished" and vireoctl's exit status, then 6 results of the host's
# own checks (what the guest wrote to the console and the disk):
#   full      --pv all, a 1 MiB disk, console input typed after the prompt
#   console   --pv console and the disk: the other features not negotiated
#   nodisk    --pv block,system without --disk
#   readonly  --pv all, the same disk, --readonly
#   eio       --pv block,system, a sparse disk on a full tmpfs

: "${HCG_TIMEOUT:=300}"
hcg_kernel=/vireo/guests/hcguest.bzImage
hcg_disk=/tmp/hcg-disk.img
hcg_sectors=2048
hcg_token=$(cut -c1-16 /proc/sys/kernel/random/uuid 2>/dev/null || echo 0123456789abcdef)

# hcg_wait_for FILE PATTERN SECONDS PID: until PATTERN is in FILE.
hcg_wait_for() {
	i=0
	while [ "$i" -lt "$3" ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$4" 2>/dev/null || return 1
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# hcg_run NAME MODE [vireoctl run options]: one boot of hcguest; prints
# its TAP program. The guest's console is in /tmp/hcg-NAME.txt.
hcg_run() {
	name=$1 mode=$2
	shift 2
	out=/tmp/hcg-$name.out
	err=/tmp/hcg-$name.err
	rm -f /tmp/hcg.in "$out" "$err"
	mkfifo /tmp/hcg.in
	log_step "hcguest $name: vireoctl run --pv ... $* (hcg.mode=$mode)"
	timeout "$HCG_TIMEOUT" vireoctl run --kernel "$hcg_kernel" --mem 64M --name "hcg-$name" \
		--stats --cmdline "hcg.mode=$mode hcg.token=$hcg_token hcg.sectors=$hcg_sectors" \
		"$@" < /tmp/hcg.in > "$out" 2> "$err" &
	pid=$!
	exec 5> /tmp/hcg.in
	if [ "$mode" = full ] && hcg_wait_for "$out" "hcg: ready for input" "$HCG_TIMEOUT" "$pid"
	then
		printf 'ping\n' >&5
	fi
	wait "$pid"
	rc=$?
	exec 5>&-
	tr -d '\r' < "$out" > "/tmp/hcg-$name.txt"
	grep -E '^((not )?ok [0-9]+ |Bail out!)' "/tmp/hcg-$name.txt" |
		sed -E "s/^((not )?ok [0-9]+ )/\\1hcg $name: /" > /tmp/hcg.res
	n=$(grep -c '^' /tmp/hcg.res)
	done=$(sed -n 's/^hcg: done \([0-9]*\)$/\1/p' "/tmp/hcg-$name.txt")
	echo "TAP version 13"
	echo "1..$((n + 2))"
	cat /tmp/hcg.res
	if [ "$done" = "$n" ] && [ "$n" -gt 0 ]; then
		echo "ok $((n + 1)) hcg $name: the guest finished its $n checks"
	else
		echo "not ok $((n + 1)) hcg $name: the guest finished (done '$done', $n results)"
		sed 's/^/# guest: /' "/tmp/hcg-$name.txt" | tail -n 20
	fi
	if [ "$rc" = 0 ] && tail -n 1 "$err" | grep -q "the guest powered off"; then
		echo "ok $((n + 2)) hcg $name: vireoctl exits 0 after the guest's poweroff"
	else
		echo "not ok $((n + 2)) hcg $name: vireoctl exits 0 after the guest's poweroff (got $rc)"
	fi
	sed 's/^/# /' "$err" | grep -E "pv |hypercall|BLOCK|CONSOLE|vireoctl: VM"
}

# The disk's sectors 16-23 as the full run wrote them: one line each.
hcg_disk_lines() {
	dd if="$hcg_disk" bs=512 skip=16 count=8 2>/dev/null |
		grep -ao "vireo-pv-block sector [0-9]* token $hcg_token" | sort -u | grep -c .
}

hcg_suite() {
	dd if=/dev/zero of="$hcg_disk" bs=512 count="$hcg_sectors" 2>/dev/null
	hcg_run full full --pv all --disk "$hcg_disk"
	grep -q "^hcg: pv console line $hcg_token$" /tmp/hcg-full.txt &&
		grep -q "^hcg: after CPL 3 $hcg_token$" /tmp/hcg-full.txt
	tap_ok $? "hcguest: its CONSOLE_WRITE lines reach vireoctl's console whole"
	! grep -q "CPL3-LEAK" /tmp/hcg-full.txt
	tap_ok $? "hcguest: CONSOLE_WRITE from CPL 3 printed nothing"
	[ "$(hcg_disk_lines)" = 8 ]
	tap_ok $? "hcguest: the disk file holds the 8 sectors the guest wrote through the ring"

	hcg_run console console --pv console --disk "$hcg_disk"
	grep -q "^hcg: pv console line $hcg_token$" /tmp/hcg-console.txt
	tap_ok $? "hcguest console: the pv console works with only it offered"
	hcg_run nodisk nodisk --pv block,system
	hcg_run readonly readonly --pv all --disk "$hcg_disk" --readonly
	[ "$(hcg_disk_lines)" = 8 ]
	tap_ok $? "hcguest readonly: the disk is unchanged after the refused write"

	mkdir -p /tmp/hcg-full
	mount -t tmpfs -o size=64k tmpfs /tmp/hcg-full
	dd if=/dev/zero of=/tmp/hcg-full/disk.img bs=512 count=0 seek="$hcg_sectors" 2>/dev/null
	dd if=/dev/zero of=/tmp/hcg-full/fill bs=4096 2>/dev/null
	hcg_run eio eio --pv block,system --disk /tmp/hcg-full/disk.img
	grep -q "1 failed" /tmp/hcg-eio.err
	tap_ok $? "hcguest eio: --stats counts the failed request"
	umount /tmp/hcg-full
}
