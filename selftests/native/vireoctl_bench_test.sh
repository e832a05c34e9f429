#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# vireoctl bench's command line on a machine without vireo: usage errors
# exit 2 with one clear line; a hypervisor that cannot be measured still
# gives the whole table (n/a and the reason) and exit 1; --json writes a
# valid document saying the same. Only the vireo backend is used, pointed
# at a device that does not exist: nothing here opens /dev/kvm.
# Usage: vireoctl_bench_test.sh PATH/TO/vireoctl
set -u
ctl=$1
n=0
failed=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# check DESCRIPTION WANT_STATUS STDOUT_REGEX|- STDERR_REGEX|EMPTY -- COMMAND...
check() {
	desc=$1 status=$2 oregex=$3 eregex=$4
	shift 5
	"$@" > "$out" 2> "$err"
	got=$?
	n=$((n + 1))
	ok=y
	[ "$got" = "$status" ] || ok=
	if [ "$eregex" = EMPTY ]; then
		[ -s "$err" ] && ok=
	else
		grep -Eq "$eregex" "$err" || ok=
	fi
	if [ "$oregex" != - ]; then
		grep -Eq "$oregex" "$out" || ok=
	fi
	if [ -n "$ok" ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (exit $got, stderr: $(head -c 200 "$err"))"
		failed=$((failed + 1))
	fi
}

echo "TAP version 13"
echo "1..10"
check "bench --help: usage on stdout, exit 0" 0 "^usage: vireoctl bench" EMPTY -- \
	"$ctl" bench --help
check "help lists bench" 0 "^  bench " EMPTY -- "$ctl" help
check "unknown suite: exit 2" 2 - "^vireoctl: bench: unknown suite 'frob'" -- \
	"$ctl" bench frob
check "--iterations 0: exit 2" 2 - "^vireoctl: bench: --iterations must be a number from 1 to 8192, not '0'$" -- \
	"$ctl" bench --iterations 0
check "--iterations past the guest's room: exit 2" 2 - "from 1 to 8192, not '8193'" -- \
	"$ctl" bench -i 8193
check "--rounds not a number: exit 2" 2 - "^vireoctl: bench: --rounds must be a number" -- \
	"$ctl" bench --rounds 3x
check "--hv with an unknown hypervisor: exit 2" 2 - "^vireoctl: bench: unknown hypervisor 'xen'" -- \
	"$ctl" bench --hv vireo,xen
check "--hv naming one twice: exit 2" 2 - "names a hypervisor twice" -- \
	"$ctl" bench --hv vireo,vireo
check "no vireo device: the table with n/a and the reason, exit 1" 1 \
	"^vireo: FAILED after 0 of 2 rounds: cannot open /nonexistent/vireo: No such file or directory" \
	"^vireoctl: bench: some figures are missing" -- \
	env VIREO_DEVICE=/nonexistent/vireo "$ctl" bench --short --hv vireo

# --json: a valid document whose hypervisor entry says what went wrong.
env VIREO_DEVICE=/nonexistent/vireo "$ctl" bench --short --hv vireo --json > "$out" 2> "$err"
got=$?
n=$((n + 1))
if [ "$got" = 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = d["suites"][0]
h = m["hypervisors"][0]
assert m["suite"] == "micro" and len(m["operations"]) == 6
assert h["name"] == "vireo" and h["ok"] is False and "nonexistent" in h["error"]
assert all(op["vireo"] is None for op in m["operations"])
' "$out"; then
	echo "ok $n --json without a device: a valid document with the error, exit 1"
else
	echo "not ok $n --json without a device (exit $got): $(head -c 300 "$out")"
	failed=$((failed + 1))
fi
[ "$failed" = 0 ]
