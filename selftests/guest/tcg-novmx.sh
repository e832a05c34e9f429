# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# QEMU TCG emulates no VMX: vireo.ko must refuse to load with ENODEV (19)
# and the exact message below.

load_refusal_test /vireo/vireo.ko 19 "vireo: CPU has no VMX (CPUID.1:ECX.VMX is 0); vireo needs Intel VT-x"
