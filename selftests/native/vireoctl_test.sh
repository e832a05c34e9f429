#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# vireoctl's command line on a machine without vireo: errors are one clear
# line on stderr and the documented exit codes (0 ok, 1 error, 2 usage).
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
echo "1..6"
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
[ "$failed" = 0 ]
