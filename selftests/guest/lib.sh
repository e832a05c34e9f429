# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# Shared by the guest scenario scripts (sourced; busybox sh).
# A scenario's own checks form one TAP program: tap_plan N, then one
# tap_ok per check. Test binaries print their own TAP programs.

tap_n=0

tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

# tap_ok STATUS DESCRIPTION: STATUS 0 passes.
tap_ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n $2"
	else
		echo "not ok $tap_n $2"
	fi
}

# A progress note in the TAP stream (a diagnostic line, not a result).
log_step() {
	echo "# $*"
}

# Scan for leaks: clear first, run the work, then call kmemleak_clean.
kmemleak_clear() {
	echo scan=off > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
}

# Objects must be 5 s old before kmemleak reports them; scan twice.
kmemleak_clean() {
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c "^unreferenced object" /sys/kernel/debug/kmemleak)
	[ "$leaks" = 0 ] || cat /sys/kernel/debug/kmemleak
	[ "$leaks" = 0 ]
}

# The test programs of the VM engine (selftests/vireo/). Those that need
# busy vCPUs to give way to other threads come last: a vireo that fails to
# hangs the guest there, and everything before it has its results.
ENGINE_TESTS="vm_ioctl_test vcpu_ioctl_test exit_io_test exit_mmio_test
	exit_fatal_test hypercall_test msr_test cpuid_test priv_insn_test
	cpu_modes_test interrupt_test fpu_test host_state_test dirty_log_test
	multi_vm_test apic_test memslot_test signal_test"

# Under the debug kernel, the programs that drive vireo's own paths hardest
# (life cycles, memory, locking, timers, error paths): the debug kernel in
# Bochs is several times slower, and the others run on the stock kernel.
ENGINE_DEBUG_TESTS="vm_ioctl_test vcpu_ioctl_test exit_mmio_test
	exit_fatal_test interrupt_test fpu_test host_state_test dirty_log_test
	multi_vm_test apic_test memslot_test signal_test"

# run_engine_tests [PROGRAM...]: run each engine test program (default:
# all of ENGINE_TESTS); each prints its own TAP.
run_engine_tests() {
	for t in ${*:-$ENGINE_TESTS}; do
		if command -v "$t" >/dev/null; then
			log_step "$t"
			"$t"
		else
			echo "TAP version 13"
			echo "1..1"
			echo "not ok 1 $t: not in /vireo/bin"
		fi
	done
}
