#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# vireoctl's command line on a machine without vireo: errors are one clear
# line on stderr and the documented exit codes (0 ok, 1 error, 2 usage);
# its manual page renders without a groff warning.
# Usage: vireoctl_test.sh PATH/TO/vireoctl
set -u
ctl=$1
n=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# check DESCRIPTION WANT_STATUS WANT_STDERR_REGEX|EMPTY -- COMMAND...
check() {
	desc=$1 status=$2 regex=$3
	shift 4
	"$@" > /dev/null 2> "$out"
	got=$?
	n=$((n + 1))
	if [ "$regex" = EMPTY ]; then
		matched=$([ ! -s "$out" ] && echo y)
	else
		matched=$(grep -Eq "$regex" "$out" && echo y)
	fi
	if [ "$got" = "$status" ] && [ "$matched" = y ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (exit $got, stderr: $(head -c 200 "$out"))"
		failed=$((failed + 1))
	fi
}

echo "TAP version 13"
echo "1..16"
check "no command: usage, exit 2" 2 "^usage: vireoctl" -- "$ctl"
check "unknown command: exit 2" 2 "^vireoctl: unknown command 'frob'" -- "$ctl" frob
check "--help: exit 0, nothing on stderr" 0 EMPTY -- "$ctl" --help
check "caps with an argument: exit 2" 2 "^vireoctl: caps takes no arguments$" -- "$ctl" caps x
check "no vireo device: exit 1, says why" 1 \
	"^vireoctl: cannot open /nonexistent/vireo: No such file or directory \(is vireo.ko loaded" \
	-- env VIREO_DEVICE=/nonexistent/vireo "$ctl" caps
check "a device that is not vireo: exit 1" 1 \
	"^vireoctl: /dev/null is not a vireo device: Inappropriate ioctl for device$" \
	-- env VIREO_DEVICE=/dev/null "$ctl" caps
check "help lists the management commands" 0 EMPTY -- sh -c \
	"'$ctl' help | grep -Ec '^  (list|show|stats|pause|resume|destroy|monitor) ' | grep -qx 7"
check "show without a VM: exit 2" 2 "^vireoctl: show: which VM\? give its id or name$" \
	-- "$ctl" show
check "a VM argument that is no id or name: exit 2" 2 \
	"^vireoctl: pause: 'a/b' is neither a VM id nor a VM name$" -- "$ctl" pause a/b
check "a 32-character VM name: exit 2" 2 "is neither a VM id nor a VM name$" \
	-- "$ctl" destroy abcdefghijklmnopqrstuvwxyz012345
check "list with an argument: exit 2" 2 "^vireoctl: list: unexpected argument 'x'$" \
	-- "$ctl" list x
check "an option a command does not take: exit 2" 2 "^vireoctl: resume: unknown option '--json'" \
	-- "$ctl" resume web --json
check "stats --vcpu takes a number: exit 2" 2 "^vireoctl: stats: --vcpu takes a vCPU number, not 'q'$" \
	-- "$ctl" stats web --vcpu q
check "monitor --count 0: exit 2" 2 "^vireoctl: monitor: --count takes a number of events, not '0'$" \
	-- "$ctl" monitor --count 0
n=$((n + 1))
if [ -e /sys/module/vireo ]; then
	echo "ok $n list without the netlink family # SKIP vireo.ko is loaded here"
else
	n=$((n - 1))
	check "list without the netlink family: exit 1, says why" 1 \
		"^vireoctl: no generic netlink family \"vireo\" \(is vireo.ko loaded\? see README.md\)$" \
		-- "$ctl" list
fi
n=$((n + 1))
man8=$(dirname "$ctl")/vireoctl.8
if ! command -v groff > /dev/null; then
	echo "ok $n vireoctl.8 renders without warnings # SKIP no groff"
elif warn=$(groff -man -Tutf8 -ww -z "$man8" 2>&1) && [ -z "$warn" ]; then
	echo "ok $n vireoctl.8 renders without warnings"
else
	echo "not ok $n vireoctl.8 renders without warnings: $warn"
	failed=$((failed + 1))
fi
[ "$failed" = 0 ]
