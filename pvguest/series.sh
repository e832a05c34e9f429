#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Work on the PV guest series (pvguest/patches) against Debian's
# linux-source-6.1.
#
# Usage: pvguest/series.sh COMMAND [ARGS]
#   import DIR      a writable git tree in DIR (a full copy of the source,
#                   all of it committed as the baseline) with the series
#                   applied as commits: edit, rebase, then export
#   export DIR      write DIR's commits after the baseline back to
#                   pvguest/patches, keeping the cover letter's text
#   check           TAP: the series' vireo_para.h is uapi/'s, the series
#                   applies to linux-source-6.1 with `git am`, and
#                   checkpatch --strict is silent on each patch
#   build-each      TAP: the PV guest kernel (tinyconfig, guest.config,
#                   pv.config) builds without warnings after every patch
# The source is extracted once into ${VIREO_CACHE:-~/.cache/vireo}.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CACHE=${VIREO_CACHE:-$HOME/.cache/vireo}
COVER=$PVGUEST_DIR/patches/0000-cover-letter.patch

die() { echo "series: ERROR: $*" >&2; exit 1; }
usage() { sed -n '/^# Usage:/,/^# The source/s/^# \{0,1\}//p' "$0" >&2; exit 2; }

source_tree() {
	mkdir -p "$CACHE"
	linux_source "$(cd "$CACHE" && pwd)" || die "no linux-source-6.1 tree"
}

cmd_import() {
	local dir=${1:-} src patches
	[[ -n $dir ]] || usage
	[[ ! -e $dir ]] || die "$dir exists"
	src=$(source_tree) || exit 1
	mapfile -t patches < <(pv_patches)
	echo "copying $src to $dir" >&2
	cp -a "$src" "$dir" || die "copy failed"
	pv_git "$dir" init -q || exit 1
	pv_git "$dir" config core.abbrev 12
	echo "committing the baseline (a minute)" >&2
	if ! pv_git "$dir" add -A . >/dev/null ||
		! pv_git "$dir" commit -q -m "linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1)"; then
		die "baseline commit failed"
	fi
	pv_git "$dir" tag pvguest-base
	pv_git "$dir" am -q --whitespace=error-all "${patches[@]}" ||
		die "the series does not apply (git -C $dir am --abort to clean up)"
	echo "$dir: ${#patches[@]} patches on tag pvguest-base" >&2
}

cmd_export() {
	local dir=${1:-} tmp
	[[ -n $dir ]] || usage
	pv_git "$dir" rev-parse -q --verify pvguest-base >/dev/null ||
		die "$dir has no tag pvguest-base (made by import)"
	tmp=$(mktemp -d)
	git -C "$dir" -c core.abbrev=12 format-patch -q --cover-letter --no-signature -o "$tmp" \
		pvguest-base..HEAD || die "format-patch failed"
	# The cover letter's subject and text are ours: take them over.
	if [[ -f $COVER ]]; then
		python3 - "$tmp/0000-cover-letter.patch" "$COVER" <<'EOF'
import re, sys
new, old = (open(p).read() for p in sys.argv[1:3])
header = re.compile(r"^Subject: .*\n(?:[ \t].*\n)*", re.M)
number = re.search(r"\[PATCH 0+/\d+\]", new).group(0)
subject = re.sub(r"\[PATCH 0+/\d+\]", number, header.search(old).group(0))
new = header.sub(lambda m: subject, new, count=1)
# The text: from the blank line after the headers to the shortlog.
body = old.split("\n\n", 1)[1]
blurb = re.split(r"^\S.* \(\d+\):$", body, maxsplit=1, flags=re.M)[0]
new = new.replace("*** BLURB HERE ***\n\n", blurb, 1)
open(sys.argv[1], "w").write(new)
EOF
	fi
	rm -f "$PVGUEST_DIR"/patches/[0-9][0-9][0-9][0-9]-*.patch
	cp "$tmp"/*.patch "$PVGUEST_DIR/patches/"
	rm -rf "$tmp"
	ls "$PVGUEST_DIR/patches"
	"$PVGUEST_DIR/refresh-uapi-patch.sh" --check ||
		echo "series: the uapi patch differs from uapi/linux/vireo_para.h: change uapi/ and run refresh-uapi-patch.sh" >&2
}

cmd_check() {
	local src tree log patches p n=0 fail=0 out
	src=$(source_tree) || exit 1
	mapfile -t patches < <(pv_patches)
	tree=$(mktemp -d)/linux
	log=$tree.log
	echo "TAP version 13"
	echo "1..$((${#patches[@]} + 2))"
	if out=$("$PVGUEST_DIR/refresh-uapi-patch.sh" --check 2>&1); then
		echo "ok 1 the series' vireo_para.h is uapi/linux/vireo_para.h"
	else
		echo "not ok 1 the series' vireo_para.h is uapi/linux/vireo_para.h"
		printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'
		fail=1
	fi
	if pv_apply "$src" "$tree" "$log" "${patches[@]}"; then
		echo "ok 2 the series applies to linux-source-6.1 with git am"
	else
		echo "not ok 2 the series applies to linux-source-6.1 with git am"
		sed 's/^/# /' "$log" | tail -n 20
		fail=1
	fi
	n=2
	for p in "${patches[@]}"; do
		n=$((n + 1))
		# Debian's python3 has the modules checkpatch's SPDX check
		# needs (python3-ply, python3-git), whatever python3 is first.
		out=$(cd "$tree" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict -q "$p" 2>&1)
		if [[ -z $out ]]; then
			echo "ok $n checkpatch --strict: ${p##*/}"
		else
			echo "not ok $n checkpatch --strict: ${p##*/}"
			printf '%s\n' "$out" | head -n 30 | sed 's/^/# /'
			fail=1
		fi
	done
	rm -rf "${tree%/linux}"
	return $fail
}

cmd_build_each() {
	local src tree out log patches i n fail=0 frag
	src=$(source_tree) || exit 1
	mapfile -t patches < <(pv_patches)
	out=$(mktemp -d)
	tree=$out/linux
	log=$out/log
	echo "TAP version 13"
	echo "1..${#patches[@]}"
	pv_prepare "$src" "$tree" "$log" "${patches[@]}" || die "cannot copy the source"
	# One build directory: each patch rebuilds what it touches.
	make -C "$tree" O="$out/build" ARCH=x86_64 tinyconfig >>"$log" 2>&1 || die "tinyconfig failed"
	frag=("$PVGUEST_DIR/guest.config" "$PVGUEST_DIR/pv.config")
	n=0
	for i in "${patches[@]}"; do
		n=$((n + 1))
		if ! pv_git "$tree" am -q --whitespace=error-all "$i" >>"$log" 2>&1; then
			echo "not ok $n ${i##*/} applies"
			fail=1
			break
		fi
		# Options of later patches are not there yet: Kconfig drops them.
		if "$tree/scripts/kconfig/merge_config.sh" -m -O "$out/build" "$out/build/.config" \
			"${frag[@]}" >>"$log" 2>&1 &&
			make -C "$tree" O="$out/build" ARCH=x86_64 olddefconfig >>"$log" 2>&1 &&
			nice -n 10 make -C "$tree" O="$out/build" ARCH=x86_64 -j"$(nproc)" bzImage \
				>"$out/build-$n.log" 2>&1 &&
			! grep -q "warning:" "$out/build-$n.log"; then
			echo "ok $n builds after ${i##*/} ($(grep -c '^CONFIG_.*VIREO.*=y' "$out/build/.config") vireo options)"
		else
			echo "not ok $n builds after ${i##*/}"
			grep -E "warning:|error:" "$out/build-$n.log" | head -n 20 | sed 's/^/# /'
			fail=1
		fi
	done
	rm -rf "$out"
	return $fail
}

case ${1:-} in
import) shift; cmd_import "$@" ;;
export) shift; cmd_export "$@" ;;
check) cmd_check ;;
build-each) cmd_build_each ;;
*) usage ;;
esac
