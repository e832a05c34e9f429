# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# Bochs' Core 2 (Penryn) model has VMX but neither EPT nor unrestricted
# guest: vireo.ko must refuse to load and name what is missing.

# EOPNOTSUPP is 95 on x86.
load_refusal_test /vireo/vireo.ko 95 \
	"vireo: CPU lacks a VMX feature vireo requires: EPT (IA32_VMX_PROCBASED_CTLS2 is "
