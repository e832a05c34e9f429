# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# The full benchmark run behind `make bench` (selftests/bed/bench): the
# setup of Documentation/virt/vireo/benchmarks.rst, default rounds and
# iterations.
. /vireo/guest/bench-lib.sh

bench_run
