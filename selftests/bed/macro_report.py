"""The macro-benchmarks' tables (FV vs PV), from the "# MACRO key=value..."
lines that selftests/guest/macro-lib.sh writes to the serial log: one table
per family (console, block, boot, mixed), min and median of every sample,
the ratio PV/FV of the medians and issue 7's targets; and the same as a
JSON document. selftests/bed/macro prints them; test_macro_report.py
checks the arithmetic.

Exits of a phase are the VM's exits between L1's two readings of its
counters, less the median of the guest's "null" phase (the same protocol
around no work: the typed line, the guest's reply, the idle wait).
"""

import statistics

CLOCK = ("Figures are guest TSC ticks and guest (emulated) seconds: in Bochs with "
         "clock: sync=none the TSC advances with executed instructions, so they "
         "count software path length. Wall time in the emulator is noise and is "
         "not reported.")
BLOCK_OPS = [("seqwrite", "sequential 4 KiB writes"), ("seqread", "sequential 4 KiB reads"),
             ("randwrite", "random 4 KiB writes"), ("randread", "random 4 KiB reads")]
INTS = ("round", "rep", "bytes", "ops", "ticks", "ns", "direct", "exits", "uexits")
MIB = 1 << 20


def parse(lines):
    """The samples: one dict per "# MACRO " line (ints where they belong),
    once each (the bed's init prints the script's output twice)."""
    out, seen = [], set()
    for line in lines:
        line = line.strip()
        if not line.startswith("# MACRO "):
            continue
        s = dict(kv.split("=", 1) for kv in line[len("# MACRO "):].split() if "=" in kv)
        s.setdefault("direct", "0")
        try:
            for k in INTS:
                s[k] = int(s[k])
        except (KeyError, ValueError):
            continue
        key = tuple(s.get(k) for k in ("guest", "set", "round", "phase", "rep"))
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def null_exits(samples, kind, set_):
    nulls = [s for s in samples if s["kind"] == kind and s["set"] == set_
             and s["phase"] == "null"]
    return (statistics.median(s["exits"] for s in nulls),
            statistics.median(s["uexits"] for s in nulls)) if nulls else (0, 0)


def values(samples, kind, set_, phase, metric):
    """The metric of every sample of @phase: a list, maybe empty."""
    base, ubase = null_exits(samples, kind, set_) if phase != "boot" else (0, 0)
    out = []
    for s in samples:
        if s["kind"] != kind or s["set"] != set_ or s["phase"] != phase:
            continue
        exits, uexits = max(s["exits"] - base, 0), max(s["uexits"] - ubase, 0)
        kib, mib = s["bytes"] / 1024, s["bytes"] / MIB
        v = {
            "ticks": s["ticks"], "exits": exits, "uexits": uexits,
            "ticks_per_kib": s["ticks"] / kib if kib else None,
            "exits_per_kib": exits / kib if kib else None,
            "uexits_per_kib": uexits / kib if kib else None,
            "exits_per_mib": exits / mib if mib else None,
            "uexits_per_mib": uexits / mib if mib else None,
            "ticks_per_op": s["ticks"] / s["ops"] if s["ops"] else None,
            "mib_per_s": mib / (s["ns"] / 1e9) if s["ns"] else None,
        }[metric]
        if v is not None:
            out.append(v)
    return out


def summary(vals):
    if not vals:
        return None
    return {"samples": len(vals), "min": min(vals), "median": statistics.median(vals)}


def row(samples, set_, phase, metric, label, target=None, pv_set=None):
    """One table row: FV and PV (of @set_, or PV of @pv_set), ratio, target.
    @target: ("<=", x) or (">=", x) on the ratio PV/FV."""
    fv = summary(values(samples, "fv", set_, phase, metric))
    pv = summary(values(samples, "pv", pv_set or set_, phase, metric))
    ratio = pv["median"] / fv["median"] if fv and pv and fv["median"] else None
    status = None
    if target and ratio is not None:
        ok = ratio <= target[1] if target[0] == "<=" else ratio >= target[1]
        status = "pass" if ok else "MISS"
    return {"label": label, "phase": phase, "metric": metric, "fv": fv, "pv": pv,
            "ratio": ratio, "target": "%s %g" % target if target else None, "status": status}


def sizes(samples, phase):
    got = [s for s in samples if s["phase"] == phase]
    return (got[0]["bytes"] if got else 0), len(got)


def families(samples):
    con_bytes, _ = sizes(samples, "console")
    blk_bytes, _ = sizes(samples, "seqread")
    direct = all(s["direct"] for s in samples if s["phase"] in dict(BLOCK_OPS))
    fams = []
    fams.append({
        "family": "console",
        "title": "console: write %d KiB to the console (FV: emulated 8250 ttyS0, PV: pv "
                 "console hvc0)" % (con_bytes // 1024),
        "rows": [
            row(samples, "solo", "console", "ticks_per_kib", "ticks per KiB"),
            row(samples, "solo", "console", "exits_per_kib", "exits per KiB", ("<=", 1 / 50)),
            row(samples, "solo", "console", "uexits_per_kib", "returns to vireoctl per KiB"),
        ]})
    rows = []
    for phase, label in BLOCK_OPS:
        rows.append(row(samples, "solo", phase, "mib_per_s", label + ": MiB/s", (">=", 3)))
        rows.append(row(samples, "solo", phase, "exits_per_mib", label + ": exits per MiB",
                        ("<=", 1 / 10)))
        rows.append(row(samples, "solo", phase, "ticks_per_op", label + ": ticks per op"))
    fams.append({
        "family": "block",
        "title": "block: %d KiB in 4 KiB %sreads and writes on the disk (FV: emulated IDE "
                 "/dev/sda, PV: pv block /dev/vireoblk0)"
                 % (blk_bytes // 1024, "O_DIRECT " if direct else "(not O_DIRECT!) "),
        "rows": rows})
    fams.append({
        "family": "boot",
        "title": "boot: from vireoctl run to the guest's first userspace line",
        "rows": [
            row(samples, "solo", "boot", "ticks", "ticks"),
            row(samples, "solo", "boot", "exits", "exits"),
            row(samples, "solo", "boot", "uexits", "returns to vireoctl"),
        ]})
    rows = [row(samples, "mixed", "boot", "ticks", "boot: ticks"),
            row(samples, "mixed", "boot", "exits", "boot: exits"),
            row(samples, "mixed", "console", "exits_per_kib", "console: exits per KiB"),
            row(samples, "mixed", "console", "ticks_per_kib", "console: ticks per KiB")]
    for phase, label in BLOCK_OPS:
        rows.append(row(samples, "mixed", phase, "mib_per_s", label + ": MiB/s"))
        rows.append(row(samples, "mixed", phase, "exits_per_mib", label + ": exits per MiB"))
    fams.append({
        "family": "mixed",
        "title": "mixed: the FV and the PV guest at once, each doing the same phases at the "
                 "same time (one L1 CPU each at best: ticks include the other's)",
        "rows": rows})
    return fams


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 1:
        return "%.2f" % v
    return "%.4f" % v


def text(fams, samples):
    out = [CLOCK, ""]
    for fam in fams:
        n = max([r["fv"]["samples"] for r in fam["rows"] if r["fv"]] +
                [r["pv"]["samples"] for r in fam["rows"] if r["pv"]] + [0])
        out.append("%s; up to %d samples each" % (fam["title"], n))
        out.append("%-40s %12s %12s %12s %12s %9s  %s"
                   % ("", "FV min", "FV median", "PV min", "PV median", "PV/FV", "target"))
        for r in fam["rows"]:
            fv, pv = r["fv"] or {}, r["pv"] or {}
            out.append("%-40s %12s %12s %12s %12s %9s  %s" % (
                r["label"], fmt(fv.get("min")), fmt(fv.get("median")), fmt(pv.get("min")),
                fmt(pv.get("median")), fmt(r["ratio"]),
                "%s %s" % (r["target"], r["status"]) if r["target"] else "-"))
        out.append("")
    nulls = ["%s %s: %s exits" % (k, s, fmt(null_exits(samples, k, s)[0]))
             for s in ("solo", "mixed") for k in ("fv", "pv")]
    out.append("Exits are net of the null phase's median (%s)." % ", ".join(nulls))
    out.append("Targets (issue 7): pv block <= 1/10 the exits per MiB and >= 3x the MiB/s "
               "of IDE; pv console <= 1/50 the exits per KiB of the 8250.")
    return "\n".join(out)


def document(fams, samples):
    return {"tool": "selftests/bed/macro", "clock": CLOCK,
            "null_exits": {"%s-%s" % (k, s): null_exits(samples, k, s)[0]
                           for s in ("solo", "mixed") for k in ("fv", "pv")},
            "families": fams, "samples": samples}


def complete(fams):
    """True when every row has both FV and PV figures."""
    return all(r["fv"] and r["pv"] for fam in fams for r in fam["rows"])
