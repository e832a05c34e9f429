"""The nested guests of the vireoctl run scenarios (L2): a kernel, an
initramfs and a disk image, which the bed puts into the L1 initramfs under
/vireo/l2/ for selftests/guest/fv-lib.sh to boot with `vireoctl run`.

Kinds (the scenario table's l2 column):
  stock      Debian's /boot/vmlinuz-<ver>, untouched (XZ payload), with the
             modules its disk needs (ata_piix, sd_mod, ext4) from
             /lib/modules/<ver> in the initramfs
  stock-lz4  the same kernel inside stock-lz4.sh's LZ4 wrapper: about a
             minute faster to boot in Bochs, for development runs
  plain      the small kernel built from unmodified linux-source-6.1 by
             pvguest/build-guest.sh --plain, everything built in
             ($VIREO_L2_PLAIN_BZIMAGE, when set, names a bzImage to use instead)

Files, in the L1 initramfs:
  /vireo/l2/bzImage, /vireo/l2/initrd.cpio  the guest (l2-init is its /init)
  /vireo/l2/disk.img   ext4, holding hello.txt
  /vireo/l2/hello.txt  what hello.txt says: a fresh token per run
  /vireo/l1mod/*.ko, /vireo/l1mod/order   loop and ext4 for the L1 kernel,
                       so that L1 can mount the disk image afterwards
"""

import os
import secrets
import shutil
import subprocess

import image
from build import BuildError, run_script, say

BED = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(BED))

L2_MODULES = ["ata_piix", "sd_mod", "ext4", "crc32c_generic"]
L1_MODULES = ["loop", "ext4", "crc32c_generic"]
DISK_MIB = 16


def module_order(modules_dir, names):
    """The .ko paths of @names and their dependencies, dependencies first."""
    deps = {}
    with open(os.path.join(modules_dir, "modules.dep")) as f:
        for line in f:
            mod, _, rest = line.partition(":")
            deps[mod] = rest.split()
    by_name = {os.path.basename(m).split(".ko")[0].replace("-", "_"): m for m in deps}
    order = []

    def visit(mod, path):
        if mod in order:
            return
        if mod in path:
            raise BuildError("modules.dep: dependency loop at %s" % mod)
        for d in deps.get(mod, []):
            visit(d, path + [mod])
        order.append(mod)

    for name in names:
        mod = by_name.get(name.replace("-", "_"))
        if not mod:
            raise BuildError("module %s is not in %s/modules.dep" % (name, modules_dir))
        visit(mod, [])
    return [os.path.join(modules_dir, m) for m in order]


def copied_modules(modules_dir, names, dest, strip):
    """Copies of the modules, in load order, and an 'order' file. @strip
    drops debug info and signature (insmod is faster: test tooling); the
    guest's own are byte for byte Debian's, so that its kernel is stock."""
    os.makedirs(dest, exist_ok=True)
    kos = []
    for ko in module_order(modules_dir, names):
        if strip:
            kos.append(image.strip_copy(ko, dest))
        else:
            kos.append(shutil.copy(ko, dest))
    order = os.path.join(dest, "order")
    with open(order, "w") as f:
        f.write("".join(os.path.basename(ko) + "\n" for ko in kos))
    return kos, order


def l2_initramfs(path, kos, order):
    cpio = image.Cpio(path)
    cpio.chardev("dev/console", 5, 1)
    cpio.chardev("dev/null", 1, 3)
    for d in ("proc", "sys", "tmp", "mnt", "root"):
        cpio.dir(d)
    cpio.file("bin/busybox", image.BUSYBOX)
    for applet in image.busybox_applets():
        cpio.symlink(applet, "/bin/busybox")
    cpio.file("init", os.path.join(BED, "l2-init"))
    for ko in kos:
        cpio.file("lib/l2mod/" + os.path.basename(ko), ko, mode=0o644)
    if order:
        cpio.file("lib/l2mod/order", order, mode=0o644)
    else:
        cpio.file("lib/l2mod/order", data=b"", mode=0o644)
    cpio.close()


def disk_image(path, hello):
    """An ext4 image holding hello.txt, made without root (mkfs.ext4 -d)."""
    staging = path + ".d"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    with open(os.path.join(staging, "hello.txt"), "w") as f:
        f.write(hello + "\n")
    if os.path.exists(path):
        os.remove(path)
    r = subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "vireo-l2", "-d", staging, path,
                        "%dM" % DISK_MIB], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    shutil.rmtree(staging)
    if r.returncode:
        raise BuildError("mkfs.ext4 for the L2 disk failed: %s" % r.stderr.strip())


def plain_kernel(out):
    if os.environ.get("VIREO_L2_PLAIN_BZIMAGE"):
        return os.environ["VIREO_L2_PLAIN_BZIMAGE"]
    script = os.path.join(REPO, "pvguest", "build-guest.sh")
    if not os.path.exists(script):
        raise BuildError("the plain L2 kernel needs pvguest/build-guest.sh, which this tree lacks")
    log = os.path.join(out, "build-guest-plain.log")
    say("plain L2 kernel: pvguest/build-guest.sh --plain (minutes if not cached; log %s)" % log)
    with open(log, "w") as err:
        r = subprocess.run(["bash", script, "--plain"], stdout=subprocess.PIPE, stderr=err,
                           stdin=subprocess.DEVNULL, text=True)
    vals = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    if r.returncode or "BZIMAGE" not in vals:
        raise BuildError("pvguest/build-guest.sh --plain failed (log %s)" % log)
    return vals["BZIMAGE"]


def payload(kind, stock, work):
    """Build the L2 files for @kind; @stock is build.stock_kernel()'s dict
    (the L1 kernel, whose modules also serve the stock L2). Returns the
    list of (path in the initramfs, file) pairs."""
    d = os.path.join(work, "l2")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    if not stock.get("modules"):
        raise BuildError("the vireoctl run scenarios need the stock L1 kernel and its modules")
    if kind == "stock":
        bzimage = "/boot/vmlinuz-" + stock["version"]
        l2_names = L2_MODULES
    elif kind == "stock-lz4":
        bzimage = run_script("stock-lz4.sh", work, "stock kernel LZ4 repack",
                             dict(os.environ, VIREO_STOCK_KVER=stock["version"]))["BZIMAGE"]
        l2_names = L2_MODULES
    elif kind == "plain":
        bzimage = plain_kernel(work)
        l2_names = []
    else:
        raise BuildError("unknown l2 kind %r" % kind)

    kos, order = copied_modules(stock["modules"], l2_names, os.path.join(d, "l2mod"), False) \
        if l2_names else ([], None)
    initrd = os.path.join(d, "initrd.cpio")
    l2_initramfs(initrd, kos, order)
    hello = "hello from the host, token %s" % secrets.token_hex(8)
    disk = os.path.join(d, "disk.img")
    disk_image(disk, hello)
    hello_file = os.path.join(d, "hello.txt")
    with open(hello_file, "w") as f:
        f.write(hello + "\n")
    l1kos, l1order = copied_modules(stock["modules"], L1_MODULES, os.path.join(d, "l1mod"),
                                    True)

    files = [("vireo/l2/bzImage", bzimage), ("vireo/l2/initrd.cpio", initrd),
             ("vireo/l2/disk.img", disk), ("vireo/l2/hello.txt", hello_file),
             ("vireo/l1mod/order", l1order)]
    files += [("vireo/l1mod/" + os.path.basename(ko), ko) for ko in l1kos]
    say("L2 %s: %s, initramfs %d KiB (%d modules), disk %d MiB"
        % (kind, bzimage, os.path.getsize(initrd) // 1024, len(kos), DISK_MIB))
    return files
