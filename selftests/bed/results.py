"""Turn one scenario's serial log into test results.

The guest's /init (selftests/bed/init) frames its output with markers:
the scenario script's output (kselftest-style TAP) between @@VIREO-TAP-BEGIN@@
and @@VIREO-TAP-END@@, the whole kernel log (KUnit's KTAP, warnings, splats)
between @@VIREO-DMESG-BEGIN@@ and @@VIREO-DMESG-END@@, then @@VIREO-DONE@@.

A result is a tuple (status, description, detail): status is "pass", "fail"
or "skip"; detail is a string (possibly multi-line) shown for failures and
skips, or "".
"""

import re

TAP_BEGIN = "@@VIREO-TAP-BEGIN@@"
TAP_END = "@@VIREO-TAP-END@@"
DMESG_BEGIN = "@@VIREO-DMESG-BEGIN@@"
DMESG_END = "@@VIREO-DMESG-END@@"
DONE = "@@VIREO-DONE@@"
# The prefix of a nested guest's console lines: "# L2| " (one guest,
# selftests/guest/fv-lib.sh) or "# L2 NAME| " (several, pv-lib.sh).
NESTED = re.compile(r"# L2(?: [A-Za-z0-9._-]+)?\| ")


def nested(line):
    """Whether a serial line is a nested guest's console, not L1's own."""
    return NESTED.search(line) is not None

# A kernel log line that means the run is not clean, whatever the tests said.
BAD_KERNEL_LINES = [re.compile(p) for p in (
    r"WARNING:",
    r"BUG:",
    r"Oops",
    r"general protection fault",
    r"KASAN:",
    r"UBSAN:",
    r"possible circular locking",
    r"possible recursive locking",
    r"inconsistent lock state",
    r"suspicious RCU usage",
    r"INFO: lockdep",
    r"kmemleak: .*new suspected memory leak",
    r"Kernel panic",
    r"Call Trace:",
    r"sleeping function called from invalid context",
    r"watchdog: BUG",
)]

# A splat ("cut here" to "end trace") holding one of these is a known artifact
# of an emulator, not of vireo: the kernel log check ignores the whole splat.
ALLOWED_SPLATS = [re.compile(p) for p in (
    # Bochs corei7_skylake_x: CPUID leaf 0xD's XSAVE sizes disagree with the
    # kernel's (2432 != 2688); warned at boot, before any module loads.
    r"XSAVE consistency problem: size \d+ != kernel_size \d+",
)]

# "[   12.345678] " and, with CONFIG_PRINTK_CALLER, "[T123] ".
_TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?(\[\s*[TC]\d+\] ?)?")
_RESULT = re.compile(r"^(not ok|ok) (\d+)\b\s*-?\s*(.*)$")
_PLAN = re.compile(r"^1\.\.(\d+)\s*(#.*)?$")
_VERSION = re.compile(r"^K?TAP version \d+")
_SUBTEST = re.compile(r"^# Subtest: (.*)$")


def clean_lines(text):
    """Split serial output into lines without the serial line's \\r."""
    return [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]


def section(lines, begin, end):
    """The lines strictly between the markers, or None if begin is absent.

    A missing end marker (the guest died while printing) yields everything
    after begin. Markers are matched anywhere on a line because kernel
    messages may share the console line.
    """
    start = None
    for i, line in enumerate(lines):
        if start is None and begin in line:
            start = i + 1
        elif start is not None and end in line:
            return lines[start:i]
    return None if start is None else lines[start:]


def split_directive(text):
    """("desc # SKIP why") -> ("desc", "SKIP", "why"); no directive -> ("desc", "", "")."""
    m = re.search(r"\s*#\s*(SKIP|TODO|XFAIL)\b\s*(.*)$", text, re.IGNORECASE)
    if not m:
        return text.strip(), "", ""
    return text[:m.start()].strip(), m.group(1).upper(), m.group(2).strip()


def result_from_line(status_word, number, text, prefix=""):
    desc, directive, reason = split_directive(text)
    desc = prefix + (desc or "test %s" % number)
    if directive == "SKIP":
        return ("skip", desc, reason)
    if status_word == "ok" or directive in ("TODO", "XFAIL"):
        return ("pass", desc, "")
    return ("fail", desc, "")


def parse_tap(lines):
    """Results of the scenario script's TAP output (several programs allowed).

    Only lines at indent 0 count. A program starts at "TAP version" (or at a
    second plan). Programs may nest: a script prints its own plan and results
    and runs test binaries that print whole programs of their own in between,
    so a result goes to the innermost open program whose next number it is.
    If a program's count of results differs from its plan, one extra failure
    "plan mismatch" is added.
    """
    results = []
    programs = []           # dict(plan, count, first) in order of appearance
    stack = []              # the open ones, innermost last

    def start_program():
        programs.append(dict(plan=None, count=0, first=""))
        stack.append(programs[-1])

    for line in lines:
        if not line or line[0].isspace():
            continue
        if _VERSION.match(line):
            start_program()
            continue
        m = _PLAN.match(line)
        if m:
            if not stack or stack[-1]["plan"] is not None or stack[-1]["count"]:
                start_program()
            stack[-1]["plan"] = int(m.group(1))
            directive = split_directive(line)[1:]
            if stack[-1]["plan"] == 0 and directive[0] == "SKIP":
                results.append(("skip", "whole program skipped", directive[1]))
            continue
        if line.startswith("Bail out!"):
            results.append(("fail", "bail out", line))
            continue
        m = _RESULT.match(line)
        if m:
            if not stack:
                start_program()
            number = int(m.group(2))
            owner = next((p for p in reversed(stack) if p["count"] + 1 == number), stack[-1])
            del stack[stack.index(owner) + 1:]      # inner programs are over
            res = result_from_line(m.group(1), m.group(2), m.group(3))
            owner["count"] += 1
            owner["first"] = owner["first"] or res[1]
            results.append(res)

    for i, p in enumerate(programs, 1):
        if p["plan"] is not None and p["plan"] != p["count"]:
            what = "program %d" % i + (" (first test: %s)" % p["first"] if p["first"] else "")
            results.append(("fail", "plan mismatch in " + what,
                            "plan 1..%d but %d results" % (p["plan"], p["count"])))
    return results


def strip_timestamp(line):
    return _TIMESTAMP.sub("", line, count=1)


def parse_ktap(lines):
    """Leaf results of KUnit's KTAP output found in a kernel log.

    A result line at indent L is a parent (suite, or a parameterised case)
    when the result line just before it had a deeper indent: only leaves are
    counted. Leaves are named suite.case[.param] from the "# Subtest:" lines.
    """
    results = []
    seen_header = False
    prev_indent = None
    names = {}              # indent -> name from "# Subtest:"
    for raw in lines:
        line = strip_timestamp(raw)
        body = line.lstrip(" \t")
        indent = len(line) - len(body)
        if _VERSION.match(body):
            seen_header = True
            continue
        if not seen_header:
            continue
        m = _SUBTEST.match(body)
        if m:
            names = {k: v for k, v in names.items() if k < indent}
            names[indent] = m.group(1).strip()
            continue
        m = _RESULT.match(body)
        if not m:
            continue
        is_parent = prev_indent is not None and prev_indent > indent
        prev_indent = indent
        if is_parent:
            names = {k: v for k, v in names.items() if k <= indent}
            continue
        path = ".".join(names[k] for k in sorted(names) if k <= indent)
        results.append(result_from_line(m.group(1), m.group(2), m.group(3),
                                         prefix="kunit " + (path + "." if path else "")))
    return results


def bad_kernel_lines(lines):
    """The lines that make a kernel log unclean, less the allowed splats."""
    bad, splat = [], None
    for line in (strip_timestamp(l).strip() for l in lines):
        if "[ cut here ]" in line:
            splat = []
        if splat is None:
            if any(p.search(line) for p in BAD_KERNEL_LINES):
                bad.append(line)
            continue
        splat.append(line)
        if "---[ end trace" in line:
            bad += _splat_bad_lines(splat)
            splat = None
    return bad + _splat_bad_lines(splat or [])


def first_bad_context(lines, first, before=3, after=30):
    """The kernel log around the first bad line, timestamps kept: a report
    must show the call trace, not only the line that named the problem."""
    for i, line in enumerate(lines):
        if strip_timestamp(line).strip() == first:
            return [l.rstrip() for l in lines[max(0, i - before):i + after]]
    return []


def _splat_bad_lines(splat):
    if any(p.search(l) for p in ALLOWED_SPLATS for l in splat):
        return []
    return [l for l in splat if any(p.search(l) for p in BAD_KERNEL_LINES)]


def parse_log(text):
    """All results of one scenario's serial log, harness checks included."""
    lines = clean_lines(text)
    results = []

    tap = section(lines, TAP_BEGIN, TAP_END)
    if tap is not None:
        results += parse_tap(tap)

    dmesg = section(lines, DMESG_BEGIN, DMESG_END)
    if dmesg is not None:
        results += parse_ktap(dmesg)

    done = any(DONE in l for l in lines)
    if done:
        results.append(("pass", "guest completed", ""))
    else:
        tail = [l for l in lines if l.strip()][-30:]
        results.append(("fail", "guest completed",
                        "no %s (hang, timeout or crash); last lines of the serial log:\n%s"
                        % (DONE, "\n".join(tail) or "(empty)")))

    # Without the dmesg section, the console (loglevel=4) is all we have.
    klog = dmesg if dmesg is not None else lines
    bad = bad_kernel_lines(klog)
    if bad:
        shown = bad[:10] + (["... %d more" % (len(bad) - 10)] if len(bad) > 10 else [])
        shown += ["context of the first one:"] + first_bad_context(klog, bad[0])
        results.append(("fail", "kernel log clean", "\n".join(shown)))
    elif dmesg is None:
        results.append(("skip", "kernel log clean", "no dmesg section in the serial log"))
    else:
        results.append(("pass", "kernel log clean", ""))
    return results


def totals(results):
    """(passed, failed, skipped) over a list of results."""
    count = {"pass": 0, "fail": 0, "skip": 0}
    for status, _, _ in results:
        count[status] += 1
    return count["pass"], count["fail"], count["skip"]
