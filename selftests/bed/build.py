"""Host-side builds: find the kernels, build vireo.ko per kernel, build the
userspace test programs.

Every function returns what it built, or raises BuildError with a message
that the runner reports as a failed result.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import time

BED = os.path.dirname(os.path.abspath(__file__))


# Left behind by an in-tree `make`: never copy them into a build dir.
BUILD_OUTPUTS = shutil.ignore_patterns("*.o", "*.ko", "*.a", "*.mod", "*.mod.c", ".*.cmd",
                                       "modules.order", "Module.symvers", ".tmp_versions")


class BuildError(Exception):
    pass


def say(msg):
    print("[bed] " + msg, file=sys.stderr, flush=True)


def tail(path, n=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:]).rstrip()
    except OSError:
        return ""


def run_logged(cmd, log, what, cwd=None):
    """Run cmd with its output appended to log; report progress every 30 s."""
    start = time.monotonic()
    with open(log, "a") as out:
        out.write("$ %s\n" % " ".join(cmd))
        out.flush()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=cwd)
        while True:
            try:
                rc = proc.wait(timeout=30)
                break
            except subprocess.TimeoutExpired:
                say("%s: %d s" % (what, time.monotonic() - start))
    if rc != 0:
        raise BuildError("%s failed (exit %d, log %s):\n%s" % (what, rc, log, tail(log)))
    return time.monotonic() - start


def _version_key(ver):
    return [int(x) if x.isdigit() else x for x in re.split(r"[.-]", ver)]


def stock_kernel(out):
    """The newest Debian kernel with its headers and modules installed.

    Boots the image stock-lz4.sh repacks (Debian's own payload, LZ4 instead
    of XZ: about a minute less per Bochs boot); falls back to the XZ image
    when the repack fails. Returns dict(name="stock", version, bzimage,
    kdir, modules).
    """
    found = []
    for image in glob.glob("/boot/vmlinuz-*-amd64"):
        ver = image[len("/boot/vmlinuz-"):]
        kdir = "/usr/src/linux-headers-" + ver
        modules = "/lib/modules/" + ver
        if os.path.isdir(kdir) and os.path.isdir(modules):
            found.append((_version_key(ver), ver, image, kdir, modules))
    if not found:
        raise BuildError("no /boot/vmlinuz-*-amd64 with matching /usr/src/linux-headers-* "
                         "and /lib/modules/* (apt-get install linux-image-amd64 linux-headers-amd64)")
    _, ver, image, kdir, modules = max(found)
    try:
        image = run_script("stock-lz4.sh", out, "stock kernel LZ4 repack",
                           dict(os.environ, VIREO_STOCK_KVER=ver))["BZIMAGE"]
    except (BuildError, KeyError) as e:
        say("stock kernel: booting the XZ image, %s: %s" % (type(e).__name__, e))
    return dict(name="stock", version=ver, bzimage=image, kdir=kdir, modules=modules)


def run_script(name, out, what, env=None):
    """Run a bed script that prints KEY=VALUE lines; return them as a dict."""
    script = os.path.join(BED, name)
    log = os.path.join(out, os.path.splitext(name)[0] + ".log")
    say("%s: running %s (minutes if not cached; log %s)" % (what, name, log))
    start = time.monotonic()
    with open(log, "w") as err:
        proc = subprocess.Popen(["bash", script], stdout=subprocess.PIPE, stderr=err,
                                stdin=subprocess.DEVNULL, text=True, env=env)
        while True:
            try:
                stdout, _ = proc.communicate(timeout=30)
                break
            except subprocess.TimeoutExpired:
                say("%s: %d s, %s" % (what, time.monotonic() - start,
                                      tail(log, 1) or "building"))
    if proc.returncode != 0:
        raise BuildError("%s: %s failed (exit %d):\n%s"
                         % (what, name, proc.returncode, tail(log)))
    vals = dict(line.split("=", 1) for line in stdout.splitlines() if "=" in line)
    say("%s: ready in %d s" % (what, time.monotonic() - start))
    return vals


def debug_kernel(out):
    """Build (or reuse from the cache) the debug kernel via debug-kernel.sh."""
    vals = run_script("debug-kernel.sh", out, "debug kernel")
    if "KDIR" not in vals or "BZIMAGE" not in vals:
        raise BuildError("debug kernel: debug-kernel.sh printed no KDIR=/BZIMAGE=")
    return dict(name="debug", version="debug", bzimage=vals["BZIMAGE"],
                kdir=vals["KDIR"], modules=None)


def vireo_module(src, kernel, out):
    """Build vireo.ko (and vireo_kunit.ko if the Kbuild makes it) for kernel.

    The sources (top-level Kbuild, kmod/, uapi/) are copied into a build dir of
    their own: out-of-tree objects cannot be shared between two kernels.
    Returns the list of built .ko paths, vireo.ko first.
    """
    kbuild = os.path.join(out, "kbuild-" + kernel["name"])
    shutil.rmtree(kbuild, ignore_errors=True)
    os.makedirs(kbuild)
    if not os.path.exists(os.path.join(src, "Kbuild")):
        raise BuildError("vireo.ko (%s kernel): no Kbuild in %s" % (kernel["name"], src))
    shutil.copy(os.path.join(src, "Kbuild"), kbuild)
    for d in ("kmod", "uapi"):
        if os.path.isdir(os.path.join(src, d)):
            shutil.copytree(os.path.join(src, d), os.path.join(kbuild, d), symlinks=True,
                            ignore=BUILD_OUTPUTS)
    log = os.path.join(out, "build-vireo-%s.log" % kernel["name"])
    say("building vireo.ko for the %s kernel (%s)" % (kernel["name"], kernel["kdir"]))
    secs = run_logged(["make", "-C", kernel["kdir"], "M=" + kbuild, "W=1",
                       "-j%d" % os.cpu_count(), "modules"],
                      log, "vireo.ko (%s kernel)" % kernel["name"])
    kos = [os.path.join(kbuild, "kmod", ko) for ko in ("vireo.ko", "vireo_kunit.ko")]
    kos = [ko for ko in kos if os.path.exists(ko)]
    if not kos or not kos[0].endswith("/vireo.ko"):
        raise BuildError("vireo.ko (%s kernel): make succeeded but kmod/vireo.ko is missing"
                         % kernel["name"])
    say("built %s in %.1f s" % (", ".join(os.path.basename(k) for k in kos), secs))
    return kos


def test_programs(src, out):
    """Run `make -C selftests`; return the executables to put in /vireo/bin."""
    selftests = os.path.join(src, "selftests")
    if os.path.exists(os.path.join(selftests, "Makefile")):
        say("building the test programs (make -C selftests)")
        run_logged(["make", "-C", selftests, "-j%d" % os.cpu_count()],
                   os.path.join(out, "build-selftests.log"), "make -C selftests")
    else:
        say("no selftests/Makefile: no test programs")
    found = sorted(glob.glob(os.path.join(selftests, "build", "*")))
    found.append(os.path.join(src, "userctl", "vireoctl"))
    return [p for p in found if os.path.isfile(p) and os.access(p, os.X_OK)]


def guest_images(src):
    """The guest kernels make -C selftests built for vireoctl run (hcguest)."""
    return sorted(p for p in glob.glob(os.path.join(src, "selftests", "build", "guests", "*"))
                  if os.path.isfile(p))
