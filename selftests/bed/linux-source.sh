# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by the bed's scripts (debug-kernel.sh, stock-lz4.sh) and by
# selftests/static-checks: Debian's linux-source-6.1, extracted once into the
# cache and only read afterwards (every build uses O=).

LINUX_SOURCE_TARBALL=/usr/src/linux-source-6.1.tar.xz

# linux_source CACHE: extract the tarball into CACHE/linux-source-6.1 unless
# a complete tree of the installed package's version is there; print its path.
linux_source() {
	local cache=$1 src=$1/linux-source-6.1 want have
	[[ -f $LINUX_SOURCE_TARBALL ]] ||
		{ echo "missing $LINUX_SOURCE_TARBALL (apt-get install linux-source-6.1)" >&2; return 1; }
	want=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	have=$(make -s -C "$src" kernelversion 2>/dev/null || true)
	if [[ ! -f $src/Makefile || $have != "${want%%-*}" ]]; then
		echo "extracting $LINUX_SOURCE_TARBALL into $cache (about a minute)" >&2
		mkdir -p "$cache"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xJf "$LINUX_SOURCE_TARBALL" -C "$src.tmp" || return 1
		mv "$src.tmp/linux-source-6.1" "$src"
		rmdir "$src.tmp"
	fi
	echo "$src"
}
