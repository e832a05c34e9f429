#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot the plain and the PV guest kernels under QEMU TCG, where there is no
# vireo (QEMU's CPUID signature is "TCGTCGTCGTCG"), and check that the PV
# kernel behaves like the plain one: it boots to a busybox /init and powers
# off, says nothing about vireo, picks the same clocksource, consoles, block
# devices and ttys, and writes a file to an ext4 file system on the PIIX
# IDE disk that the host then reads back. TAP on stdout.
#
# Usage: pvguest/tcg-test.sh [OUTDIR]
#   Builds the kernels with build-guest.sh when they are not cached yet
#   (minutes), then boots each once (seconds). Serial logs go to OUTDIR
#   (default: a temporary directory, removed unless a test fails).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
OUT=${1:-}
keep=${1:+1}
[[ -n $OUT ]] || OUT=$(mktemp -d /tmp/pvguest-tcg.XXXXXX)
mkdir -p "$OUT"

n=0 failed=0
ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

echo "TAP version 13"
export PATH=$PATH:/usr/sbin:/sbin
for tool in qemu-system-x86_64 python3 gzip timeout mkfs.ext4 debugfs; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP missing $tool (make deps)"
		exit 0
	fi
done
echo "1..12"

# The initramfs: busybox and an /init that reports and powers off.
cat >"$OUT/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "@@INIT@@"
echo "@@CLOCKSOURCE $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "@@CONSOLES $(cut -d' ' -f1 /proc/consoles | sort | tr '\n' ' ')"
echo "@@BLOCK $(ls /sys/block | sort | tr '\n' ' ')"
echo "@@TTYS $(ls /sys/class/tty | grep -v '^tty[0-9]*$' | grep -v '^[pt]ty[a-ep-z][0-9a-f]$' | sort | tr '\n' ' ')"
if mount -t ext4 /dev/sda /mnt && echo "written by $(uname -r)" >/mnt/hello && sync &&
	umount /mnt; then
	echo "@@DISK ok"
else
	echo "@@DISK failed"
fi
echo "@@DMESG-BEGIN"
dmesg
echo "@@DMESG-END"
sleep 1
poweroff -f
EOF
python3 - "$TOP/selftests/bed" "$OUT/init" "$OUT/initrd.cpio" <<'EOF' || exit 1
import sys
sys.path.insert(0, sys.argv[1])
from image import BUSYBOX, Cpio
c = Cpio(sys.argv[3])
c.file("/bin/busybox", BUSYBOX)
c.file("/init", sys.argv[2])
for d in ("/proc", "/sys", "/dev", "/tmp", "/mnt"):
    c.dir(d)
c.chardev("/dev/console", 5, 1)
c.close()
EOF
gzip -f "$OUT/initrd.cpio"

boot() {	# boot KIND: build (or reuse) the kernel, boot it, log to OUT/KIND.log
	local kind=$1 line
	if ! line=$("$HERE/build-guest.sh" "--$kind" 2>"$OUT/build-$kind.log"); then
		tail -n 5 "$OUT/build-$kind.log" | sed 's/^/# /'
		return 1
	fi
	eval "$line"
	# shellcheck disable=SC2153 # BZIMAGE comes from build-guest.sh
	echo "$BZIMAGE" >"$OUT/$kind.bzimage"
	rm -f "$OUT/$kind.img"
	truncate -s 16M "$OUT/$kind.img"
	mkfs.ext4 -q -F "$OUT/$kind.img" || return 1
	timeout 180 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 256 \
		-kernel "$BZIMAGE" -initrd "$OUT/initrd.cpio.gz" \
		-drive "file=$OUT/$kind.img,format=raw,if=ide" \
		-append "console=ttyS0 panic=-1" \
		-nographic -no-reboot -monitor none \
		</dev/null >"$OUT/$kind.log" 2>&1
	grep -q "@@INIT@@" "$OUT/$kind.log" &&
		grep -q "reboot: Power down" "$OUT/$kind.log"
}
fact() {	# fact KIND KEY: the value the guest reported
	tr -d '\r' <"$OUT/$1.log" | sed -n "s/^@@$2 //p" | head -n 1
}

boot plain
ok $? "the plain guest kernel boots to /init under QEMU TCG and powers off"
boot pv
ok $? "the PV guest kernel boots to /init under QEMU TCG and powers off"

tr -d '\r' <"$OUT/pv.log" | sed -n '/^@@DMESG-BEGIN/,/^@@DMESG-END/p' >"$OUT/pv.dmesg"
[[ -s $OUT/pv.dmesg ]] && ! grep -qi "vireo" "$OUT/pv.dmesg"
ok $? "PV kernel without vireo: no vireo message in the kernel log"
! grep -q "Hypervisor detected: vireo" "$OUT/pv.dmesg"
ok $? "PV kernel without vireo: vireo not detected"
for key in CLOCKSOURCE CONSOLES BLOCK TTYS; do
	a=$(fact plain "$key") b=$(fact pv "$key")
	[[ -n $a && $a == "$b" ]]
	ok $? "PV kernel without vireo: same $key as the plain kernel ('$b')"
done
for kind in plain pv; do
	[[ $(fact "$kind" DISK) == ok ]] &&
		debugfs -R "cat /hello" "$OUT/$kind.img" 2>/dev/null | grep -q "^written by "
	ok $? "the $kind kernel writes a file on ext4 on the IDE disk; the host reads it back"
done
! grep -Eq "WARNING:|BUG:|Oops|Call Trace" "$OUT/pv.dmesg"
ok $? "PV kernel without vireo: no warning, BUG or oops"
vmlinux=$(dirname "$(cat "$OUT/pv.bzimage" 2>/dev/null)")/../../../vmlinux
grep -q "Booting paravirtualized kernel on bare hardware" "$OUT/pv.dmesg" &&
	grep -qa "VireoVireo" "$vmlinux"
ok $? "PV kernel without vireo: it has the series (vireo's signature in vmlinux) and runs as on bare hardware"

echo "# $failed failed of $n; logs in $OUT"
[[ $failed == 0 && -z $keep ]] && rm -rf "$OUT"
[[ $failed == 0 ]]
