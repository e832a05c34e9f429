# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by pvguest's scripts: the series' files, and applying the series
# to a private copy of Debian's linux-source-6.1 with `git am`.

PVGUEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../selftests/bed/linux-source.sh
. "$PVGUEST_DIR/../selftests/bed/linux-source.sh"

# The patches of the series, in order (the cover letter is not one).
pv_patches() {
	find "$PVGUEST_DIR/patches" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# pv_git TREE ARGS...: git in TREE, with an identity for the baseline.
pv_git() {
	local tree=$1
	shift
	git -C "$tree" -c user.name=pvguest -c user.email=pvguest@vireo.invalid \
		-c core.abbrev=12 "$@"
}

# pv_prepare SRC TREE LOG PATCH...: make TREE a copy of the pristine SRC
# ready for the patches: hard links to SRC, except the files the patches
# touch, which are copied first so that nothing can write to SRC. git
# tracks only those files and LICENSES/ (for checkpatch's SPDX check).
pv_prepare() {
	local src=$1 tree=$2 log=$3 f
	shift 3
	local touched=() base=()
	rm -rf "$tree"
	cp -al "$src" "$tree" || return 1
	mapfile -t touched < <(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$@" | sort -u)
	for f in "${touched[@]}"; do
		if [[ -f $src/$f ]]; then
			cp --remove-destination "$src/$f" "$tree/$f" || return 1
			base+=("$f")
		fi
	done
	{
		pv_git "$tree" init -q &&
			echo '*' >"$tree/.git/info/exclude" &&
			pv_git "$tree" add -f -- LICENSES "${base[@]}" &&
			pv_git "$tree" commit -q -m "linux-source-6.1 (the files the series touches)"
	} >>"$log" 2>&1
}

# pv_apply SRC TREE LOG PATCH...: pv_prepare, then `git am` the patches,
# which fails on any patch that does not apply cleanly.
pv_apply() {
	local tree=$2 log=$3
	pv_prepare "$@" || return 1
	shift 3
	pv_git "$tree" am -q --whitespace=error-all "$@" >>"$log" 2>&1
}
