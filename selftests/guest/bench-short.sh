# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# CI's run of the benchmarks (Bochs, 1 CPU, stock kernel, vireo.ko and
# Debian's kvm-intel.ko): the short mode, to prove `vireoctl bench` works
# end to end. The figures of the full run come from `make bench`.
. /vireo/guest/bench-lib.sh

bench_run --short
