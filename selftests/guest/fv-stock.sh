# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2154
# vireoctl run, acceptance guest 1: Debian 12's own kernel, unmodified,
# boots under vireo (full virtualization) inside Bochs, from an initramfs
# with the modules of its IDE disk, reads and writes a file on --disk, takes
# a command on its serial console, and powers off: vireoctl exits 0.
. /vireo/guest/lib.sh
. /vireo/guest/fv-lib.sh

tap_plan 8
insmod /vireo/vireo.ko
tap_ok $? "vireo.ko loads"
fv_boot 1 256M "console=ttyS0 loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off rodata=off"
fv_check
