# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091,SC2034
# fv-stock.sh with vireoctl run --verbose, for development runs (scenario
# fv-lz4, which boots the LZ4-wrapped stock kernel: a minute faster).
FV_OPTS=--verbose
. /vireo/guest/fv-stock.sh
