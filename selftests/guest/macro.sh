# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The full macro-benchmark run behind `make bench-macro` (selftests/bed/
# macro): the sizes of Documentation/virt/vireo/benchmarks.rst.
export MACRO_ROUNDS=2 MACRO_REPS=2 MACRO_CONSOLE_KIB=32 MACRO_SIZE_KIB=1024
. /vireo/guest/macro-run.sh
