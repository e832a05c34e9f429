#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# vireoctl run's argument checks, on a machine without vireo: every bad
# argument is refused with one clear line and exit 2 before /dev/vireo is
# even opened; good arguments get as far as the device (exit 1 here).
# Debian's /boot/vmlinuz-* is the kernel of the cases that need a real one.
# Usage: vireoctl_run_test.sh PATH/TO/vireoctl
set -u
ctl=$1
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/stderr
kernel=
for k in /boot/vmlinuz-*; do
	[ -f "$k" ] && kernel=$k
done

nodev() {
	VIREO_DEVICE=/nonexistent/vireo "$@"
}

# check DESCRIPTION WANT_STATUS WANT_STDERR_REGEX -- COMMAND...
check() {
	desc=$1 status=$2 regex=$3
	shift 4
	"$@" > "$tmp/stdout" 2> "$out"
	got=$?
	n=$((n + 1))
	lines=$(wc -l < "$out")
	if [ "$got" = "$status" ] && grep -Eq "$regex" "$out" && [ "$lines" = 1 ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (exit $got, stderr: $(head -c 300 "$out"))"
		failed=$((failed + 1))
	fi
}

# needs_kernel DESCRIPTION ...: check, or skip without a Debian kernel.
needs_kernel() {
	if [ -n "$kernel" ]; then
		check "$@"
	else
		n=$((n + 1))
		echo "ok $n $1 # SKIP no /boot/vmlinuz-* on this machine"
	fi
}

printf 'not a kernel\n' > "$tmp/text"
: > "$tmp/empty.img"
dd if=/dev/zero of="$tmp/disk.img" bs=1M count=1 status=none
long=$(head -c 3000 /dev/zero | tr '\0' x)

echo "TAP version 13"
echo "1..27"
"$ctl" run --help > "$tmp/help" 2> "$out"
st=$?
n=1
if [ "$st" = 0 ] && [ ! -s "$out" ] && grep -q "^usage: vireoctl run --kernel" "$tmp/help" &&
	grep -q "4  kernel panic" "$tmp/help"; then
	echo "ok 1 run --help: usage and exit codes on stdout, exit 0"
else
	echo "not ok 1 run --help"
	failed=$((failed + 1))
fi
check "run without --kernel: exit 2" 2 "^vireoctl: run needs --kernel" -- nodev "$ctl" run
check "a missing kernel file: exit 2" 2 \
	"^vireoctl: cannot read the kernel $tmp/nope: No such file or directory$" \
	-- nodev "$ctl" run --kernel "$tmp/nope"
check "an ELF file as kernel: exit 2" 2 "is not a bzImage but an ELF file|not a bzImage but an ELF" \
	-- nodev "$ctl" run --kernel "$ctl"
check "a text file as kernel: exit 2" 2 "not a bzImage: too short" \
	-- nodev "$ctl" run --kernel "$tmp/text"
check "--mem without a size: exit 2" 2 "^vireoctl: --mem 'lots' is not a size" \
	-- nodev "$ctl" run --kernel "$tmp/text" --mem lots
check "--cpus 0: exit 2" 2 "^vireoctl: --cpus '0': give 1 to 255$" \
	-- nodev "$ctl" run --kernel "$tmp/text" --cpus 0
check "--name with a slash: exit 2" 2 "^vireoctl: --name 'a/b'" \
	-- nodev "$ctl" run --kernel "$tmp/text" --name a/b
check "--console tty: exit 2" 2 "^vireoctl: --console takes stdio or file:PATH" \
	-- nodev "$ctl" run --kernel "$tmp/text" --console tty
check "an unknown option: exit 2" 2 "^vireoctl: unknown option '--frob'" \
	-- nodev "$ctl" run --kernel "$tmp/text" --frob
check "--pv with an unknown feature: exit 2" 2 \
	"^vireoctl: --pv 'console,net': 'net' is not a feature \\(none, all, or a list of" \
	-- nodev "$ctl" run --kernel "$tmp/text" --pv console,net
check "--pv with an empty item: exit 2" 2 "^vireoctl: --pv 'block,': '' is not a feature" \
	-- nodev "$ctl" run --kernel "$tmp/text" --pv block,
check "--pv with none inside a list: exit 2" 2 "^vireoctl: --pv 'none,idle': 'none' is not a feature" \
	-- nodev "$ctl" run --kernel "$tmp/text" --pv none,idle
check "--pv without a value: exit 2" 2 "^vireoctl: --pv needs a value" \
	-- nodev "$ctl" run --kernel "$tmp/text" --pv
check "--readonly without --disk: exit 2" 2 "^vireoctl: --readonly is about --disk, which is missing$" \
	-- nodev "$ctl" run --kernel "$tmp/text" --readonly
needs_kernel "--pv LIST and --readonly, good: they reach the device: exit 1" 1 \
	"^vireoctl: cannot open /nonexistent/vireo" \
	-- nodev "$ctl" run --kernel "$kernel" --disk "$tmp/disk.img" --readonly \
	--pv console,block,clock,system,idle
if [ -n "$kernel" ] && command -v flock > /dev/null; then
	check "--readonly shares the disk with a reader: exit 1 at the device" 1 \
		"^vireoctl: cannot open /nonexistent/vireo" \
		-- flock -s "$tmp/disk.img" env VIREO_DEVICE=/nonexistent/vireo \
		"$ctl" run --kernel "$kernel" --disk "$tmp/disk.img" --readonly --pv all
else
	n=$((n + 1))
	echo "ok $n --readonly shares the disk with a reader # SKIP no kernel or no flock(1)"
fi
needs_kernel "--mem below the minimum: exit 2" 2 "^vireoctl: --mem 16 MiB is below the minimum of 32 MiB$" \
	-- nodev "$ctl" run --kernel "$kernel" --mem 16M
needs_kernel "--mem too small for the kernel: exit 2" 2 \
	"^vireoctl: --mem 48 MiB is too small for this kernel: it needs at least [0-9]+ MiB$" \
	-- nodev "$ctl" run --kernel "$kernel" --mem 48M
needs_kernel "--mem beyond the host's RAM: exit 2" 2 "is more than this host's [0-9]+ MiB of RAM$" \
	-- nodev "$ctl" run --kernel "$kernel" --mem 64T
needs_kernel "a missing initrd: exit 2" 2 "^vireoctl: cannot read the initrd" \
	-- nodev "$ctl" run --kernel "$kernel" --initrd "$tmp/nope"
needs_kernel "an empty disk image: exit 2" 2 "is not a disk image" \
	-- nodev "$ctl" run --kernel "$kernel" --disk "$tmp/empty.img"
needs_kernel "a command line the kernel cannot take: exit 2" 2 "this kernel takes at most" \
	-- nodev "$ctl" run --kernel "$kernel" --cmdline "$long"
if [ -n "$kernel" ] && command -v flock > /dev/null; then
	check "a disk image another program holds: exit 2" 2 "is in use by another program$" \
		-- flock "$tmp/disk.img" env VIREO_DEVICE=/nonexistent/vireo \
		"$ctl" run --kernel "$kernel" --disk "$tmp/disk.img"
else
	n=$((n + 1))
	echo "ok $n a disk image another program holds # SKIP no kernel or no flock(1)"
fi
needs_kernel "good arguments reach the device: exit 1" 1 \
	"^vireoctl: cannot open /nonexistent/vireo: No such file or directory \(is vireo.ko loaded" \
	-- nodev "$ctl" run --kernel "$kernel" --disk "$tmp/disk.img" --mem 256M --cpus 2
needs_kernel "a device that is not vireo: exit 1" 1 "^vireoctl: /dev/null is not a vireo device" \
	-- env VIREO_DEVICE=/dev/null "$ctl" run --kernel "$kernel"
needs_kernel "--console file: in a missing directory: exit 2" 2 \
	"^vireoctl: cannot open the console file $tmp/no/such/dir: No such file or directory$" \
	-- nodev "$ctl" run --kernel "$kernel" --console "file:$tmp/no/such/dir"
[ "$failed" = 0 ]
