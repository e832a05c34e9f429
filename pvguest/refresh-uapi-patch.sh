#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The series' first patch adds include/uapi/linux/vireo_para.h to the
# guest kernel; that file must be this repository's uapi/linux/vireo_para.h,
# byte for byte, so that guest and host build against one ABI. This script
# regenerates the patch from uapi/: same author, date, message and
# MAINTAINERS hunk, the header replaced, then `git format-patch`.
#
# Usage: pvguest/refresh-uapi-patch.sh [--check]
#   without --check, rewrite the patch when it differs;
#   --check: change nothing, exit 1 (and show the difference) when the
#   patch is not what this script would write.
# Needs the pristine MAINTAINERS of linux-source-6.1 (extracted once into
# ${VIREO_CACHE:-~/.cache/vireo} when missing).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HEADER=$PVGUEST_DIR/../uapi/linux/vireo_para.h
DEST=include/uapi/linux/vireo_para.h
check=0
case ${1:-} in
--check) check=1 ;;
"") ;;
*) sed -n '/^# Usage:/,/^# Needs/s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

die() { echo "refresh-uapi-patch: ERROR: $*" >&2; exit 1; }

patch=$(grep -l "^+++ b/$DEST\$" "$PVGUEST_DIR"/patches/[0-9][0-9][0-9][0-9]-*.patch | head -n 1) ||
	die "no patch of the series adds $DEST"
cache=${VIREO_CACHE:-$HOME/.cache/vireo}
mkdir -p "$cache"
src=$(linux_source "$(cd "$cache" && pwd)") || die "no linux-source-6.1 tree"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
mkdir -p "$repo"
cp "$src/MAINTAINERS" "$repo/"
pv_git "$repo" init -q
pv_git "$repo" add MAINTAINERS
pv_git "$repo" commit -q -m base

# The patch's own metadata and its MAINTAINERS change, kept as they are.
git mailinfo "$tmp/msg" "$tmp/diff" <"$patch" >"$tmp/info"
field() { sed -n "s/^$1: //p" "$tmp/info"; }
pv_git "$repo" apply --include=MAINTAINERS "$tmp/diff" || die "the MAINTAINERS hunk of ${patch##*/} does not apply"
mkdir -p "$repo/$(dirname "$DEST")"
cp "$HEADER" "$repo/$DEST"
pv_git "$repo" add MAINTAINERS "$DEST"
{
	field Subject
	echo
	cat "$tmp/msg"
} >"$tmp/message"
GIT_AUTHOR_NAME=$(field Author) GIT_AUTHOR_EMAIL=$(field Email) GIT_AUTHOR_DATE=$(field Date) \
GIT_COMMITTER_NAME=$(field Author) GIT_COMMITTER_EMAIL=$(field Email) GIT_COMMITTER_DATE=$(field Date) \
	git -C "$repo" -c core.abbrev=12 commit -q -F "$tmp/message"
git -C "$repo" -c core.abbrev=12 format-patch -q --no-signature -o "$tmp/out" -1

# format-patch numbers a lone commit [PATCH]: keep the series' subject
# line (it may be folded) and its first line.
python3 - "$patch" "$tmp/out/"*.patch "$tmp/new.patch" <<'EOF'
import re, sys
old, new = open(sys.argv[1]).read(), open(sys.argv[2]).read()
subject = re.compile(r"^Subject: .*\n(?:[ \t].*\n)*", re.M)
new = subject.sub(lambda m: subject.search(old).group(0), new, count=1)
new = old.split("\n", 1)[0] + "\n" + new.split("\n", 1)[1]
open(sys.argv[3], "w").write(new)
EOF

if cmp -s "$patch" "$tmp/new.patch"; then
	echo "${patch##*/} matches uapi/linux/vireo_para.h" >&2
	exit 0
fi
if ((check)); then
	echo "${patch##*/} differs from what uapi/linux/vireo_para.h gives (run pvguest/refresh-uapi-patch.sh):" >&2
	diff -u "$patch" "$tmp/new.patch" | head -n 40 >&2
	exit 1
fi
cp "$tmp/new.patch" "$patch"
echo "rewrote ${patch##*/} from uapi/linux/vireo_para.h" >&2
