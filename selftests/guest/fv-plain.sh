# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2034,SC2154
# vireoctl run, acceptance guest 2: the small kernel built from unmodified
# linux-source-6.1 (pvguest/build-guest.sh --plain) boots under vireo with
# two vCPUs, which the guest must see (ACPI MADT, INIT/SIPI), reads and
# writes its disk, takes a typed command, and powers off. Then, booted
# again on one vCPU, each other end of a guest and vireoctl's exit status
# for it: reboot, panic, destroyed by an administrator, SIGTERM.
FV_SHELL_TIMEOUT=600
. /vireo/guest/lib.sh
. /vireo/guest/fv-lib.sh

FV_CMDLINE="console=ttyS0 loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off"

tap_plan 13
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
fv_boot 2 128M "$FV_CMDLINE"
fv_check
grep -q "L2-INIT: .*, 2 cpus" "$fv_log"
tap_ok $? "the guest sees 2 CPUs"

fv_fate "reboot -f in the guest" 3 "the guest rebooted \\(the reset control register" \
	fv_type "reboot -f"
fv_fate "the guest's init exits: kernel panic" 4 "kernel panic: Attempted to kill init" \
	fv_type "exit"
fv_fate "vireoctl destroy" 7 "the VM was destroyed by an administrator" fv_destroy
fv_fate "SIGTERM to vireoctl" 143 "stopped by signal 15" fv_sigterm
