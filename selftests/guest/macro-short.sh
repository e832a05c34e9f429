# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# CI's run of the macro-benchmarks: tiny sizes, one round, to prove that
# every family runs end to end. The figures come from `make bench-macro`.
export MACRO_ROUNDS=1 MACRO_REPS=1 MACRO_CONSOLE_KIB=4 MACRO_SIZE_KIB=256
. /vireo/guest/macro-run.sh
