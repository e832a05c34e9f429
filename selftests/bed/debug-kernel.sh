#!/bin/bash
# Build the test bed's debug host kernel (KUnit, KASAN, lockdep, kmemleak) from
# Debian's linux-source-6.1: tinyconfig + debug-kernel.config, out of tree.
#
# Usage: selftests/bed/debug-kernel.sh [CACHE_DIR]
#   CACHE_DIR defaults to ${VIREO_CACHE:-$HOME/.cache/vireo}. The source is
#   extracted to CACHE_DIR/linux-source-6.1 if missing; the build goes to
#   CACHE_DIR/debug-kernel-<version>-<hash of fragment and version>, which is
#   also a KDIR for `make -C KDIR M=... modules`. A finished build is reused.
# On success, prints exactly two lines on stdout: KDIR=<path> and BZIMAGE=<path>.
# Progress goes to stderr, make output to KDIR/build.log.
set -euo pipefail
# shellcheck source=linux-source.sh
. "$(dirname "${BASH_SOURCE[0]}")/linux-source.sh"

CACHE=${1:-${VIREO_CACHE:-$HOME/.cache/vireo}}
FRAG=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/debug-kernel.config

say() { echo "debug-kernel: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

[[ -f $FRAG ]] || die "missing $FRAG"
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
SRC=$(linux_source "$CACHE") || die "no linux-source-6.1 tree"

# Source version: the Debian package version, e.g. 6.1.192-2.
PKGVER=$(dpkg-query -W -f='${Version}' linux-source-6.1)

HASH=$( { echo "$PKGVER"; cat "$FRAG"; } | sha256sum | cut -c1-12)
OUT=$CACHE/debug-kernel-$PKGVER-$HASH
STAMP=$OUT/.vireo-build-ok
BZIMAGE=$OUT/arch/x86/boot/bzImage

if [[ ! -f $STAMP ]]; then
	say "building $PKGVER into $OUT"
	say "this takes several minutes on 2 cores; log: $OUT/build.log"
	mkdir -p "$OUT"
	LOG=$OUT/build.log
	: >"$LOG"
	mk() {
		make -C "$SRC" O="$OUT" ARCH=x86_64 -j"$(nproc)" "$@" >>"$LOG" 2>&1 ||
			{ tail -n 30 "$LOG" >&2; die "make $* failed (see $LOG)"; }
	}
	mk tinyconfig
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" "$FRAG" >>"$LOG" 2>&1 ||
		die "merge_config.sh failed (see $LOG)"
	mk olddefconfig

	# Every line of the fragment must have survived Kconfig.
	bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			opt=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			opt=${BASH_REMATCH[1]} want=n
		else
			continue
		fi
		got=$(sed -n "s/^$opt=//p" "$OUT/.config")
		if [[ ${got:-n} != "$want" ]]; then
			say "Kconfig dropped $opt: wanted $want, got ${got:-n}"
			bad=1
		fi
	done <"$FRAG"
	((bad == 0)) || die "the .config does not match $FRAG"

	say "config OK, compiling vmlinux, bzImage and Module.symvers"
	SECONDS=0
	mk all
	[[ -f $BZIMAGE && -f $OUT/Module.symvers ]] || die "build produced no bzImage/Module.symvers"
	touch "$STAMP"
	say "built in ${SECONDS}s"
	# Older finished builds (another fragment or source version) are dead
	# weight of a few hundred MB each; unfinished ones may be in progress.
	for old in "$CACHE"/debug-kernel-*/.vireo-build-ok; do
		if [[ -e $old && ${old%/*} != "$OUT" ]]; then
			rm -rf "${old%/*}"
		fi
	done
fi

echo "KDIR=$OUT"
echo "BZIMAGE=$BZIMAGE"
