# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# Shared by bench.sh and bench-short.sh (sourced; busybox sh): load vireo.ko
# and Debian's KVM modules, run `vireoctl bench ARGS`, and print its tables
# and its JSON as TAP comments between markers, which selftests/bed/bench
# takes out of the serial log. The checks prove the suite ran and its output
# is complete; the figures themselves are never pass or fail.
. /vireo/guest/lib.sh

# The rows every table must have, figures in both columns.
BENCH_ROWS="empty window|hypercall in kernel|CPUID exit|port I/O to userspace|MMIO write to userspace|HLT wake-up by interrupt"

bench_run() {
	tap_plan 6
	insmod /vireo/vireo.ko
	tap_ok $? "vireo.ko loads"
	insmod /vireo/kvm/irqbypass.ko && insmod /vireo/kvm/kvm.ko &&
		insmod /vireo/kvm/kvm-intel.ko
	tap_ok $? "Debian's kvm-intel.ko loads beside vireo"

	args="$*"
	log_step "vireoctl bench${args:+ $args}"
	vireoctl bench "$@" --json=/tmp/bench.json > /tmp/bench.txt 2> /tmp/bench.err
	rc=$?
	echo "# @@VIREO-BENCH-BEGIN@@"
	sed 's/^/# /' /tmp/bench.txt
	echo "# @@VIREO-BENCH-END@@"
	echo "# @@VIREO-BENCH-JSON-BEGIN@@"
	sed 's/^/# /' /tmp/bench.json
	echo "# @@VIREO-BENCH-JSON-END@@"
	sed 's/^/# stderr: /' /tmp/bench.err
	tap_ok $rc "vireoctl bench${args:+ $args} exits 0: every figure measured"

	rows=$(grep -Ec "^($BENCH_ROWS)" /tmp/bench.txt)
	missing=$(grep -E "^($BENCH_ROWS)" /tmp/bench.txt | grep -c "n/a")
	[ "$rows" = 6 ] && [ "$missing" = 0 ]
	tap_ok $? "the table has its 6 rows with vireo's and KVM's figures ($rows rows, $missing with n/a)"
	grep -q '"suite": "micro"' /tmp/bench.json && [ "$(grep -c '"op":' /tmp/bench.json)" = 6 ]
	tap_ok $? "--json wrote the micro suite's 6 operations"

	rmmod kvm_intel && rmmod kvm && rmmod irqbypass && rmmod vireo
	tap_ok $? "kvm-intel.ko and vireo.ko unload: no VM left behind"
}
