# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC1091
# make demo's L1 script (selftests/bed/demo): load vireo.ko into this
# Debian kernel, which runs in Bochs with emulated VMX, and boot Debian's
# untouched /boot/vmlinuz under vireo with vireoctl run, its console and
# the --stats table straight on this console.
. /vireo/guest/lib.sh

echo "demo: L1 is Debian $(uname -r) in Bochs (emulated VMX with EPT), $(nproc) CPU"
if ! insmod /vireo/vireo.ko; then
	echo "DEMO-RESULT: insmod vireo.ko failed"
	exit 1
fi
dmesg | grep "vireo: ready" | sed 's/^.*\] /demo: /'
vireoctl caps | sed 's/^/demo: caps: /'
echo "demo: vireoctl run --kernel vmlinuz-$(uname -r) (Debian's, untouched) --stats ..."
echo "demo: the guest's first lines come after its XZ decompression (about 2 minutes in Bochs)"
vireoctl run --kernel /vireo/l2/bzImage --initrd /vireo/l2/initrd.cpio \
	--disk /vireo/l2/disk.img --mem 256M --name demo --stats \
	--cmdline "console=ttyS0 loglevel=6 panic=-1 cryptomgr.notests=1 mitigations=off vireo.demo" \
	< /dev/null
echo "DEMO-RESULT: vireoctl exit $?"
