# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2034,SC2154
# vireoctl run, acceptance guest 2: the small kernel built from unmodified
# linux-source-6.1 (pvguest/build-guest.sh --plain) boots under vireo with
# two vCPUs, which the guest must see (ACPI MADT, INIT/SIPI), reads and
# writes its disk, takes a typed command, and powers off.
FV_SHELL_TIMEOUT=600
. /vireo/guest/lib.sh
. /vireo/guest/fv-lib.sh

tap_plan 9
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
fv_boot 2 128M "console=ttyS0 loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off"
fv_check
grep -q "L2-INIT: .*, 2 cpus" "$fv_log"
tap_ok $? "the guest sees 2 CPUs"
