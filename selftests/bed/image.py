"""Guest images: the initramfs (written here as a newc cpio, so that it can
hold /dev/console and root-owned files without root) and, for Bochs, which
cannot load a kernel by itself, a bootable ISOLINUX ISO.
"""

import glob
import os
import shutil
import subprocess

BUSYBOX = "/bin/busybox"
ISOLINUX = "/usr/lib/ISOLINUX/isolinux.bin"
LDLINUX = "/usr/lib/syslinux/modules/bios/ldlinux.c32"


class Cpio:
    """Minimal newc archive writer: directories, files, symlinks, char devices."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.ino = 1000
        self.dirs = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        self.ino += 1
        name_b = name.encode() + b"\0"
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name_b), 0)
        hdr = b"070701" + b"".join(b"%08X" % v for v in fields)
        self.f.write(hdr + name_b + b"\0" * (-(len(hdr) + len(name_b)) % 4))
        self.f.write(data + b"\0" * (-len(data) % 4))

    def dir(self, name):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d and d not in self.dirs:
                self.dirs.add(d)
                self._entry(d, 0o040755)

    def file(self, name, src=None, data=None, mode=0o755):
        self.dir(os.path.dirname(name))
        if data is None:
            with open(src, "rb") as f:
                data = f.read()
        self._entry(name.strip("/"), 0o100000 | mode, data)

    def symlink(self, name, target):
        self.dir(os.path.dirname(name))
        self._entry(name.strip("/"), 0o120777, target.encode())

    def chardev(self, name, major, minor):
        self.dir(os.path.dirname(name))
        self._entry(name.strip("/"), 0o020600, rdev=(major, minor))

    def close(self):
        self._entry("TRAILER!!!", 0)
        self.f.close()


def busybox_applets():
    out = subprocess.run([BUSYBOX, "--list-full"], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.split() if line and line != "bin/busybox"]


def strip_copy(ko, dest_dir):
    """A copy of a module without debug info (and signature): insmod is faster."""
    dest = os.path.join(dest_dir, os.path.basename(ko))
    subprocess.run(["strip", "--strip-debug", "-o", dest, ko], check=True)
    return dest


def initramfs(path, init, script, guest_dir, modules, programs, kvm_modules, extra=()):
    """Write the scenario's initramfs.

    script: /vireo/scenario.sh; guest_dir: its *.sh siblings go to /vireo/guest/
    (for the scripts' shared helpers); modules: vireo.ko (+ vireo_kunit.ko), programs: /vireo/bin/*,
    kvm_modules: stripped irqbypass/kvm/kvm-intel.ko or []; extra: more files as
    (path in the initramfs, file) pairs (a nested guest's, l2.py).
    """
    cpio = Cpio(path)
    cpio.chardev("dev/console", 5, 1)
    cpio.chardev("dev/null", 1, 3)
    for d in ("proc", "sys", "tmp", "root", "vireo/bin"):
        cpio.dir(d)
    cpio.file("bin/busybox", BUSYBOX)
    for applet in busybox_applets():
        cpio.symlink(applet, "/bin/busybox")
    cpio.file("init", init)
    cpio.file("vireo/scenario.sh", script, mode=0o644)
    for sh in sorted(glob.glob(os.path.join(guest_dir, "*.sh"))):
        cpio.file("vireo/guest/" + os.path.basename(sh), sh, mode=0o644)
    for ko in modules:
        cpio.file("vireo/" + os.path.basename(ko), ko, mode=0o644)
    for prog in programs:
        cpio.file("vireo/bin/" + os.path.basename(prog), prog)
    for ko in kvm_modules:
        cpio.file("vireo/kvm/" + os.path.basename(ko), ko, mode=0o644)
    for dest, src in extra:
        cpio.file(dest, src, mode=0o644)
    cpio.close()


def iso(path, staging, bzimage, initrd, cmdline):
    """An ISOLINUX ISO that boots bzimage with initrd and cmdline on the serial port."""
    shutil.rmtree(staging, ignore_errors=True)
    boot = os.path.join(staging, "isolinux")
    os.makedirs(boot)
    shutil.copy(ISOLINUX, boot)
    shutil.copy(LDLINUX, boot)
    shutil.copy(bzimage, os.path.join(staging, "vmlinuz"))
    shutil.copy(initrd, os.path.join(staging, "initrd.img"))
    with open(os.path.join(boot, "isolinux.cfg"), "w") as f:
        f.write("SERIAL 0 115200\nPROMPT 0\nTIMEOUT 0\nDEFAULT vireo\n"
                "LABEL vireo\n  KERNEL /vmlinuz\n  INITRD /initrd.img\n"
                "  APPEND %s\n" % cmdline)
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", path,
                    "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
                    "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table",
                    staging], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    shutil.rmtree(staging)
