#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the guest kernels vireo's tests boot, from Debian's linux-source-6.1.
#
#   --plain  the small unmodified kernel: tinyconfig + guest.config
#   --pv     the same kernel with the PV series of pvguest/patches applied:
#            tinyconfig + guest.config + pv.config
#
# Usage: pvguest/build-guest.sh --plain|--pv [CACHE_DIR]
#   CACHE_DIR defaults to ${VIREO_CACHE:-$HOME/.cache/vireo}. The pristine
#   source is extracted once to CACHE_DIR/linux-source-6.1 (shared, never
#   written: every build uses O=). --pv applies the series with `git am` to
#   a private copy (hard links to the pristine tree; the files the series
#   touches are copied first), which also proves the series applies.
#   The build goes to CACHE_DIR/guest-<plain|pv>-<hash of the inputs>, where
#   the inputs are the source package version, the config fragments and,
#   for --pv, the patches. A finished build is reused.
# On success, prints exactly one line on stdout: BZIMAGE=<path>.
# Progress goes to stderr, make output to <build dir>/build.log.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE=$PVGUEST_DIR

say() { echo "build-guest: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
usage() { sed -n '/^# Usage:/,/^# Progress/s/^# \{0,1\}//p' "$0" >&2; exit 2; }

case ${1:-} in
--plain) KIND=plain ;;
--pv) KIND=pv ;;
*) usage ;;
esac
CACHE=${2:-${VIREO_CACHE:-$HOME/.cache/vireo}}

for tool in make gcc flex bison bc lz4 git flock sha256sum dpkg-query; do
	command -v "$tool" >/dev/null || die "missing tool: $tool (make deps)"
done

FRAGS=("$HERE/guest.config")
PATCHES=()
if [[ $KIND == pv ]]; then
	FRAGS+=("$HERE/pv.config")
	mapfile -t PATCHES < <(pv_patches)
	((${#PATCHES[@]} > 0)) || die "no patches in $HERE/patches"
fi
for f in "${FRAGS[@]}"; do
	[[ -f $f ]] || die "missing $f"
done

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
SRC=$(linux_source "$CACHE") || die "no linux-source-6.1 tree"
PKGVER=$(dpkg-query -W -f='${Version}' linux-source-6.1)

HASH=$( {
	echo "$KIND $PKGVER"
	for f in "${FRAGS[@]}" "${PATCHES[@]}"; do
		echo "== ${f##*/}"
		cat "$f"
	done
} | sha256sum | cut -c1-12)
OUT=$CACHE/guest-$KIND-$HASH
STAMP=$OUT/.vireo-build-ok
BZIMAGE=$OUT/build/arch/x86/boot/bzImage

# One build per output directory at a time (tests may call this in parallel).
exec 9>"$OUT.lock"
flock 9

if [[ -f $STAMP && -f $BZIMAGE ]]; then
	say "reusing $OUT"
	echo "BZIMAGE=$BZIMAGE"
	exit 0
fi

rm -rf "$OUT"
mkdir -p "$OUT"
LOG=$OUT/build.log
: >"$LOG"
SECONDS=0

# --pv: a private tree, so the shared one stays pristine.
if [[ $KIND == pv ]]; then
	TREE=$OUT/src
	say "applying ${#PATCHES[@]} patches to a private copy of $SRC"
	if ! pv_apply "$SRC" "$TREE" "$LOG" "${PATCHES[@]}"; then
		tail -n 20 "$LOG" >&2
		die "the series does not apply to linux-source-6.1 $PKGVER (see $LOG)"
	fi
	say "series applied: $(($(pv_git "$TREE" rev-list --count HEAD) - 1)) patches"
else
	TREE=$SRC
fi

mk() {
	nice -n 10 make -C "$TREE" O="$OUT/build" ARCH=x86_64 -j"$(nproc)" "$@" >>"$LOG" 2>&1 ||
		{ tail -n 30 "$LOG" >&2; die "make $* failed (see $LOG)"; }
}
mkdir -p "$OUT/build"
mk tinyconfig
"$TREE/scripts/kconfig/merge_config.sh" -m -O "$OUT/build" "$OUT/build/.config" "${FRAGS[@]}" \
	>>"$LOG" 2>&1 || die "merge_config.sh failed (see $LOG)"
mk olddefconfig

# Every line of every fragment must have survived Kconfig (a later fragment
# overrides an earlier one).
declare -A want=()
for f in "${FRAGS[@]}"; do
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			want[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			want[${BASH_REMATCH[1]}]=n
		fi
	done <"$f"
done
bad=0
for opt in "${!want[@]}"; do
	got=$(sed -n "s/^$opt=//p" "$OUT/build/.config")
	if [[ ${got:-n} != "${want[$opt]}" ]]; then
		say "Kconfig dropped $opt: wanted ${want[$opt]}, got ${got:-n}"
		bad=1
	fi
done
((bad == 0)) || die "the .config does not match ${FRAGS[*]##*/}"

say "config OK; building $KIND bzImage in $OUT (a few minutes on 2 cores; log: $LOG)"
mk bzImage
[[ -f $BZIMAGE ]] || die "the build produced no bzImage"
touch "$STAMP"
say "built in ${SECONDS}s"

# Older finished builds of the same kind are dead weight; unfinished ones
# may be in progress.
for old in "$CACHE"/guest-"$KIND"-*/.vireo-build-ok; do
	if [[ -e $old && ${old%/*} != "$OUT" ]]; then
		rm -rf "${old%/*}" "${old%/*}.lock"
	fi
done

echo "BZIMAGE=$BZIMAGE"
