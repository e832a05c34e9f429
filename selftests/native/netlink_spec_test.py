#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check the netlink family against its spec, as TAP on stdout.

Documentation/netlink/specs/vireo.yaml is the source of truth of the family
"vireo". Linux 6.1 has no YNL generator, so the uapi header and the kernel's
policies and operation table are written by hand; this test reads the spec
and fails when they drift from it:

  1. the spec uses only keys of the kernel's genetlink schema, and every
     name it refers to (attribute sets, attributes, enums, groups) exists;
  2. uapi/linux/vireo_netlink.h defines every name the YNL generator would,
     with the same numbers (compiled and printed by a C program, so the C
     compiler evaluates the header), and no other VIREO_A_/VIREO_CMD_ name;
  3. kmod/netlink_spec.c has one request policy per operation listing
     exactly its request attributes with the spec's types and lengths;
  4. its operation table has the spec's operations, handlers and flags;
  5. its multicast groups and family match;
  6. Documentation/virt/vireo/netlink.rst names every operation, event,
     attribute and enum value;
  7. the numbers already released (PINNED below) are unchanged: spec and
     header may only grow, never renumber.

Usage: netlink_spec_test.py [REPO]   (default: the repository holding it)
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

REPO = sys.argv[1] if len(sys.argv) > 1 else \
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(REPO, "Documentation/netlink/specs/vireo.yaml")
UAPI_DIR = os.path.join(REPO, "uapi")
KSPEC = os.path.join(REPO, "kmod/netlink_spec.c")
DOC = os.path.join(REPO, "Documentation/virt/vireo/netlink.rst")

# The keys the kernel's genetlink schema (Documentation/netlink/genetlink.yaml
# in Linux 6.4 and later) allows at each level.
TOP_KEYS = {"name", "doc", "protocol", "uapi-header", "definitions", "attribute-sets",
            "operations", "mcast-groups"}
DEF_KEYS = {"name", "header", "type", "doc", "value", "value-start", "entries",
            "render-max", "enum-name", "name-prefix"}
SET_KEYS = {"name", "name-prefix", "enum-name", "doc", "subset-of", "attributes"}
ATTR_KEYS = {"name", "type", "doc", "value", "byte-order", "multi-attr",
             "nested-attributes", "enum", "enum-as-flags", "checks", "sub-type",
             "display-hint"}
ATTR_TYPES = {"unused", "pad", "flag", "binary", "uint", "sint", "u8", "u16", "u32",
              "u64", "s32", "s64", "string", "nest", "array-nest", "nest-type-value"}
OPS_KEYS = {"enum-model", "name-prefix", "enum-name", "async-prefix", "async-enum", "list"}
OP_KEYS = {"name", "doc", "value", "attribute-set", "flags", "dont-validate",
           "config-cond", "do", "dump", "notify", "event", "mcgrp"}
SUBOP_KEYS = {"request", "reply", "pre", "post"}
CHECK_KEYS = {"max-len"}        # the only check kmod/netlink_spec.c renders

# The ABI as released: commands, attributes and values keep these numbers
# for good. Add new ones here when they ship; never edit a line.
PINNED = {
    "VIREO_CMD_VM_GET": 1, "VIREO_CMD_VM_STATS": 2, "VIREO_CMD_VM_PAUSE": 3,
    "VIREO_CMD_VM_RESUME": 4, "VIREO_CMD_VM_DESTROY": 5, "VIREO_CMD_CAPS_GET": 6,
    "VIREO_CMD_VM_CREATED": 7, "VIREO_CMD_VM_DESTROYED": 8, "VIREO_CMD_VM_STATE_CHANGED": 9,
    "VIREO_A_VM_ID": 1, "VIREO_A_VM_NAME": 2, "VIREO_A_VM_OWNER_PID": 3,
    "VIREO_A_VM_OWNER_UID": 4, "VIREO_A_VM_STATE": 5, "VIREO_A_VM_REASON": 6,
    "VIREO_A_VM_REASON_TEXT": 7, "VIREO_A_VM_NR_VCPUS": 8, "VIREO_A_VM_MEM_BYTES": 9,
    "VIREO_A_VM_PV_OFFERED": 10, "VIREO_A_VM_PV_ENABLED": 11, "VIREO_A_VM_UPTIME_NS": 12,
    "VIREO_A_VM_PAD": 13,
    "VIREO_A_COUNTER_INDEX": 1, "VIREO_A_COUNTER_COUNT": 2, "VIREO_A_COUNTER_PAD": 3,
    "VIREO_A_STATS_ID": 1, "VIREO_A_STATS_NAME": 2, "VIREO_A_STATS_VCPU": 3,
    "VIREO_A_STATS_VMX_EXIT": 4, "VIREO_A_STATS_USER_EXIT": 5, "VIREO_A_STATS_HYPERCALL": 6,
    "VIREO_A_STATS_ENTRIES": 7, "VIREO_A_STATS_HALT_SLEEPS": 8,
    "VIREO_A_STATS_INJECTED_IRQS": 9, "VIREO_A_STATS_INJECTED_NMIS": 10,
    "VIREO_A_STATS_PAD": 11,
    "VIREO_A_VMX_MSR_NAME": 1, "VIREO_A_VMX_MSR_VALUE": 2, "VIREO_A_VMX_MSR_PAD": 3,
    "VIREO_A_CAPS_MODULE_VERSION": 1, "VIREO_A_CAPS_API_VERSION": 2,
    "VIREO_A_CAPS_VMX_REVISION": 3, "VIREO_A_CAPS_VMX_FEATURES": 4,
    "VIREO_A_CAPS_PREEMPTION_TIMER_SHIFT": 5, "VIREO_A_CAPS_VMX_MSR": 6,
    "VIREO_A_CAPS_MAX_VMS": 7, "VIREO_A_CAPS_MAX_VCPUS": 8, "VIREO_A_CAPS_MAX_MEMSLOTS": 9,
    "VIREO_A_CAPS_GUEST_PHYS_BITS": 10, "VIREO_A_CAPS_PV_FEATURES": 11,
    "VIREO_A_CAPS_TSC_KHZ": 12,
    "VIREO_VM_STATE_CREATED": 0, "VIREO_VM_STATE_RUNNING": 1, "VIREO_VM_STATE_PAUSED": 2,
    "VIREO_VM_STATE_SHUTDOWN": 3, "VIREO_VM_STATE_CRASHED": 4, "VIREO_VM_STATE_DESTROYED": 5,
    "VIREO_VM_REASON_NONE": 0, "VIREO_VM_REASON_ADMIN": 1, "VIREO_VM_REASON_POWEROFF": 2,
    "VIREO_VM_REASON_RESET": 3, "VIREO_VM_REASON_PANIC": 4, "VIREO_VM_REASON_TRIPLE_FAULT": 5,
    "VIREO_VM_REASON_INTERNAL_ERROR": 6, "VIREO_VM_REASON_ENTRY_FAILED": 7,
    "VIREO_VMX_F_EPT_2M": 1, "VIREO_VMX_F_EPT_1G": 2, "VIREO_VMX_F_PREEMPTION_TIMER": 4,
    "VIREO_FAMILY_NAME": "vireo", "VIREO_FAMILY_VERSION": 1, "VIREO_MCGRP_EVENTS": "events",
}

# Attribute type -> kernel policy type.
NLA = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32", "u64": "NLA_U64",
       "s32": "NLA_S32", "s64": "NLA_S64", "string": "NLA_NUL_STRING",
       "flag": "NLA_FLAG", "binary": "NLA_BINARY", "nest": "NLA_NESTED"}


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


class Tap:
    def __init__(self, n):
        self.n = 0
        self.failed = 0
        print("TAP version 13")
        print("1..%d" % n)

    def result(self, desc, problems):
        self.n += 1
        if problems:
            self.failed += 1
            print("not ok %d %s" % (self.n, desc))
            for p in problems[:40]:
                print("# " + p)
        else:
            print("ok %d %s" % (self.n, desc))


def load_spec():
    with open(SPEC) as f:
        return yaml.safe_load(f)


def family():
    return SPEC_DATA["name"]


def sets_by_name(spec):
    return {s["name"]: s for s in spec["attribute-sets"]}


def attr_values(aset):
    """Attribute name -> number: sequential from 1 unless given."""
    out, val = {}, 1
    for a in aset["attributes"]:
        val = a.get("value", val)
        out[a["name"]] = val
        val += 1
    return out


def ops_list(spec):
    return spec["operations"]["list"]


def op_values(spec):
    out, val = {}, 1
    for op in ops_list(spec):
        val = op.get("value", val)
        out[op["name"]] = val
        val += 1
    return out


def check_spec(spec):
    p = []

    def keys(where, d, allowed):
        for k in d:
            if k not in allowed:
                p.append("%s: key '%s' is not in the genetlink schema" % (where, k))

    keys("top level", spec, TOP_KEYS)
    for k in ("name", "doc", "attribute-sets", "operations"):
        if k not in spec:
            p.append("top level: '%s' is required" % k)
    if spec.get("protocol", "genetlink") != "genetlink":
        p.append("protocol must be genetlink")
    defs = {}
    for d in spec.get("definitions", []):
        keys("definition %s" % d.get("name"), d, DEF_KEYS)
        if d.get("type") not in ("const", "enum", "flags"):
            p.append("definition %s: bad type %r" % (d.get("name"), d.get("type")))
        defs[d["name"]] = d
    sets = sets_by_name(spec)
    for s in spec["attribute-sets"]:
        keys("attribute set %s" % s["name"], s, SET_KEYS)
        for a in s["attributes"]:
            where = "attribute %s.%s" % (s["name"], a["name"])
            keys(where, a, ATTR_KEYS)
            if a.get("type") not in ATTR_TYPES:
                p.append("%s: bad type %r" % (where, a.get("type")))
            if "nested-attributes" in a and a["nested-attributes"] not in sets:
                p.append("%s: no attribute set %s" % (where, a["nested-attributes"]))
            if "enum" in a and a["enum"] not in defs:
                p.append("%s: no definition %s" % (where, a["enum"]))
            for k in a.get("checks", {}):
                if k not in CHECK_KEYS:
                    p.append("%s: check %s is not rendered by kmod/netlink_spec.c" % (where, k))
    keys("operations", spec["operations"], OPS_KEYS)
    groups = {g["name"] for g in spec.get("mcast-groups", {}).get("list", [])}
    for g in spec.get("mcast-groups", {}).get("list", []):
        keys("mcast group %s" % g["name"], g, {"name", "flags"})
    for op in ops_list(spec):
        where = "operation %s" % op["name"]
        keys(where, op, OP_KEYS)
        if "doc" not in op:
            p.append("%s: no doc" % where)
        aset = sets.get(op.get("attribute-set"))
        if aset is None:
            p.append("%s: no attribute set %r" % (where, op.get("attribute-set")))
            continue
        names = {a["name"] for a in aset["attributes"]}
        for f in op.get("flags", []):
            if f != "admin-perm":
                p.append("%s: flag %s is not in the schema" % (where, f))
        for mode in ("do", "dump"):
            if mode not in op:
                continue
            keys("%s %s" % (where, mode), op[mode], SUBOP_KEYS)
            for part in ("request", "reply"):
                for a in op[mode].get(part, {}).get("attributes", []):
                    if a not in names:
                        p.append("%s %s %s: no attribute %s in set %s"
                                 % (where, mode, part, a, aset["name"]))
        if "event" in op:
            for a in op["event"].get("attributes", []):
                if a not in names:
                    p.append("%s event: no attribute %s" % (where, a))
            if op.get("mcgrp") not in groups:
                p.append("%s: event without a known mcgrp" % where)
        if not any(k in op for k in ("do", "dump", "event", "notify")):
            p.append("%s: neither do, dump nor event" % where)
    return p


def expected_uapi(spec):
    """(name -> int or str) the YNL generator's names, and the names it owns."""
    fam = c_upper(family())
    want = {fam + "_FAMILY_NAME": family(), fam + "_FAMILY_VERSION": 1}
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            want[c_upper(d.get("name-prefix", family() + "-") + d["name"])] = d["value"]
            continue
        prefix = c_upper(d.get("name-prefix", "%s-%s-" % (family(), d["name"])))
        val = d.get("value-start", 0)
        for i, e in enumerate(d["entries"]):
            e = e if isinstance(e, dict) else {"name": e}
            if d["type"] == "flags":
                v = 1 << (e.get("value", i))
            else:
                v = e.get("value", val)
                val = v + 1
            want[prefix + c_upper(e["name"])] = v
    for s in spec["attribute-sets"]:
        prefix = c_upper(s.get("name-prefix", "%s-a-%s-" % (family(), s["name"])))
        vals = attr_values(s)
        for name, v in vals.items():
            want[prefix + c_upper(name)] = v
        want["__" + prefix + "MAX"] = max(vals.values()) + 1
        want[prefix + "MAX"] = max(vals.values())
    cprefix = c_upper(spec["operations"].get("name-prefix", family() + "-cmd-"))
    vals = op_values(spec)
    for name, v in vals.items():
        want[cprefix + c_upper(name)] = v
    want["__" + cprefix + "MAX"] = max(vals.values()) + 1
    want[cprefix + "MAX"] = max(vals.values())
    for g in spec.get("mcast-groups", {}).get("list", []):
        want["%s_MCGRP_%s" % (fam, c_upper(g["name"]))] = g["name"]
    return want


def check_uapi(spec):
    want = expected_uapi(spec)
    header = spec.get("uapi-header", "linux/%s.h" % family())
    lines = ["#include <stdio.h>", "#include <%s>" % header]
    for d in spec.get("definitions", []):
        if "header" in d:
            lines.append("#include <%s>" % d["header"])
    lines.append("int main(void)\n{")
    for name, v in want.items():
        if isinstance(v, str):
            lines.append('\tprintf("%s=%%s\\n", %s);' % (name, name))
        else:
            lines.append('\tprintf("%s=%%lld\\n", (long long)(%s));' % (name, name))
    lines.append("\treturn 0;\n}")
    p = []
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "t.c"), os.path.join(tmp, "t")
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        cc = subprocess.run([os.environ.get("CC", "cc"), "-std=c99", "-Wall", "-Werror",
                             "-I", UAPI_DIR, "-o", exe, src],
                            capture_output=True, text=True)
        if cc.returncode:
            return ["the header lacks names the spec implies: " + l
                    for l in cc.stderr.splitlines() if "error" in l]
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    got = dict(line.split("=", 1) for line in out.splitlines())
    for name, v in want.items():
        if got.get(name) != str(v):
            p.append("%s is %s, the spec says %s" % (name, got.get(name), v))
    # Names the generator would own that the spec does not know.
    with open(os.path.join(UAPI_DIR, header)) as f:
        text = f.read()
    fam = c_upper(family())
    owned = re.compile(r"\b(__)?%s_(A|CMD|MCGRP)_[A-Z0-9_]+\b" % fam)
    for m in sorted({m.group(0) for m in owned.finditer(text)}):
        if m not in want:
            p.append("%s is in the header but not in the spec" % m)
    return p


def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.S)


def parse_policies(text):
    """policy name -> (size expression, {attr: {field: value}})."""
    out = {}
    for m in re.finditer(r"const struct nla_policy (\w+)\[(\w+) \+ 1\] = \{(.*?)\n\};",
                         text, re.S):
        entries = {}
        for e in re.finditer(r"\[(\w+)\]\s*=\s*\{(.*?)\}", m.group(3), re.S):
            fields = dict((k, v.strip()) for k, v in
                          re.findall(r"\.(\w+)\s*=\s*([^,]+)", e.group(2)))
            entries[e.group(1)] = fields
        out[m.group(1)] = (m.group(2), entries)
    return out


def parse_ops(text):
    m = re.search(r"struct genl_ops \w+\[\] = \{(.*?)\n\};", text, re.S)
    if not m:
        return None
    ops = []
    for block in re.findall(r"\{(.*?)\}", m.group(1), re.S):
        ops.append(dict((k, v.strip()) for k, v in
                        re.findall(r"\.(\w+)\s*=\s*([^,\n]+)", block)))
    return ops


def request_attrs(op):
    attrs = []
    for mode in ("do", "dump"):
        for a in op.get(mode, {}).get("request", {}).get("attributes", []):
            if a not in attrs:
                attrs.append(a)
    return attrs


def check_policies(spec, text):
    p = []
    fam = c_upper(family())
    sets = sets_by_name(spec)
    policies = parse_policies(text)
    expected = set()
    for op in ops_list(spec):
        attrs = request_attrs(op)
        if not attrs:
            continue
        aset = sets[op["attribute-set"]]
        prefix = "%s_A_%s_" % (fam, c_upper(aset["name"]))
        vals = attr_values(aset)
        name = "%s_%s_nl_policy" % (c_lower(family()), c_lower(op["name"]))
        expected.add(name)
        if name not in policies:
            p.append("no policy %s for %s" % (name, op["name"]))
            continue
        size, entries = policies[name]
        last = max(attrs, key=lambda a: vals[a])
        if size != prefix + c_upper(last):
            p.append("%s is sized by %s, not by its last attribute %s"
                     % (name, size, prefix + c_upper(last)))
        want = {prefix + c_upper(a): a for a in attrs}
        for cname in entries:
            if cname not in want:
                p.append("%s accepts %s, which %s does not take" % (name, cname, op["name"]))
        for cname, a in want.items():
            if cname not in entries:
                p.append("%s lacks %s" % (name, cname))
                continue
            spec_attr = next(x for x in aset["attributes"] if x["name"] == a)
            fields = entries[cname]
            if fields.get("type") != NLA.get(spec_attr["type"]):
                p.append("%s %s: .type %s, the spec says %s (%s)"
                         % (name, cname, fields.get("type"), spec_attr["type"],
                            NLA.get(spec_attr["type"])))
            max_len = spec_attr.get("checks", {}).get("max-len")
            if str(max_len) != str(fields.get("len")) and (max_len or "len" in fields):
                p.append("%s %s: .len %s, the spec's max-len is %s"
                         % (name, cname, fields.get("len"), max_len))
            extra = set(fields) - {"type", "len"}
            if extra:
                p.append("%s %s: fields %s the spec does not imply" % (name, cname, sorted(extra)))
    for name in policies:
        if name not in expected:
            p.append("policy %s belongs to no operation of the spec" % name)
    return p


def check_ops(spec, text):
    p = []
    fam = c_upper(family())
    lower = c_lower(family())
    sets = sets_by_name(spec)
    ops = parse_ops(text)
    if ops is None:
        return ["no genl_ops table in kmod/netlink_spec.c"]
    by_cmd = {}
    for o in ops:
        if o.get("cmd") in by_cmd:
            p.append("%s twice in the op table" % o.get("cmd"))
        by_cmd[o.get("cmd")] = o
    for op in ops_list(spec):
        cmd = "%s_CMD_%s" % (fam, c_upper(op["name"]))
        if "event" in op:
            if cmd in by_cmd:
                p.append("%s is an event, yet in the op table" % cmd)
            continue
        o = by_cmd.pop(cmd, None)
        if o is None:
            p.append("%s (%s) is not in the op table" % (cmd, op["name"]))
            continue
        base = "%s_nl_%s" % (lower, c_lower(op["name"]))
        for mode, field, fn in (("do", "doit", base + "_doit"),
                                ("dump", "dumpit", base + "_dumpit")):
            if mode in op and o.get(field) != fn:
                p.append("%s: .%s is %s, want %s" % (cmd, field, o.get(field), fn))
            if mode not in op and field in o:
                p.append("%s: .%s set, but the spec has no %s" % (cmd, field, mode))
        if "start" in o and o["start"] != base + "_start":
            p.append("%s: .start is %s, want %s" % (cmd, o["start"], base + "_start"))
        attrs = request_attrs(op)
        if attrs:
            vals = attr_values(sets[op["attribute-set"]])
            last = max(attrs, key=lambda a: vals[a])
            want_max = "%s_A_%s_%s" % (fam, c_upper(op["attribute-set"]), c_upper(last))
            want_pol = "%s_%s_nl_policy" % (lower, c_lower(op["name"]))
            if o.get("policy") != want_pol or o.get("maxattr") != want_max:
                p.append("%s: policy %s/%s, want %s/%s" % (cmd, o.get("policy"),
                         o.get("maxattr"), want_pol, want_max))
        elif "policy" in o or "maxattr" in o:
            p.append("%s: has a policy, but the spec gives it no request attributes" % cmd)
        want_flags = "GENL_ADMIN_PERM" if "admin-perm" in op.get("flags", []) else None
        if o.get("flags") != want_flags:
            p.append("%s: .flags %s, the spec says %s" % (cmd, o.get("flags"), want_flags))
    for cmd in by_cmd:
        p.append("%s is in the op table but not in the spec" % cmd)
    return p


def check_family(spec, text):
    p = []
    fam = c_upper(family())
    m = re.search(r"struct genl_multicast_group \w+\[\] = \{(.*?)\n\};", text, re.S)
    groups = spec.get("mcast-groups", {}).get("list", [])
    entries = re.findall(r"\[(\w+)\]\s*=\s*\{(.*?)\}", m.group(1), re.S) if m else []
    if len(entries) != len(groups):
        p.append("%d multicast groups in the kernel, %d in the spec" % (len(entries), len(groups)))
    for (idx, body), g in zip(entries, groups):
        fields = dict((k, v.strip()) for k, v in re.findall(r"\.(\w+)\s*=\s*([^,]+)", body))
        name = c_upper(g["name"])
        if idx != "%s_NLGRP_%s" % (fam, name) or \
                fields.get("name") != "%s_MCGRP_%s" % (fam, name):
            p.append("group %s: [%s] = %s" % (g["name"], idx, fields.get("name")))
        want = "GENL_MCAST_CAP_NET_ADMIN" if "admin-perm" in g.get("flags", []) else None
        if fields.get("flags") != want:
            p.append("group %s: .flags %s, the spec says %s" % (g["name"], fields.get("flags"), want))
    with open(os.path.join(REPO, "kmod/netlink_spec.h")) as f:
        m = re.search(r"enum \w+ \{(.*?)\};", strip_c_comments(f.read()), re.S)
    order = re.findall(r"\w+", m.group(1)) if m else []
    if order != ["%s_NLGRP_%s" % (fam, c_upper(g["name"])) for g in groups]:
        p.append("kmod/netlink_spec.h: group enum %s is not in the spec's order" % order)
    for field, want in (("name", fam + "_FAMILY_NAME"), ("version", fam + "_FAMILY_VERSION")):
        if not re.search(r"\.%s\s*=\s*%s," % (field, want), text):
            p.append("the family's .%s is not %s" % (field, want))
    return p


def check_doc(spec):
    try:
        with open(DOC) as f:
            doc = f.read()
    except OSError as e:
        return [str(e)]
    p = []
    for op in ops_list(spec):
        if not re.search(r"^%s\n[-=~^]{%d}" % (re.escape(op["name"]), len(op["name"])), doc, re.M):
            p.append("no section for %s" % op["name"])
    for s in spec["attribute-sets"]:
        for a in s["attributes"]:
            if a["type"] != "pad" and "``%s``" % a["name"] not in doc:
                p.append("attribute %s.%s is not described" % (s["name"], a["name"]))
    for d in spec.get("definitions", []):
        for e in d.get("entries", []):
            e = e["name"] if isinstance(e, dict) else e
            if "``%s``" % e not in doc:
                p.append("%s value %s is not described" % (d["name"], e))
    for g in spec.get("mcast-groups", {}).get("list", []):
        if "``%s``" % g["name"] not in doc:
            p.append("multicast group %s is not described" % g["name"])
    return p


def check_pinned(spec):
    want = expected_uapi(spec)
    p = []
    for name, v in PINNED.items():
        if name not in want:
            p.append("%s was released but the spec no longer has it" % name)
        elif want[name] != v:
            p.append("%s was released as %s, the spec now says %s" % (name, v, want[name]))
    return p


def main():
    global SPEC_DATA
    tap = Tap(7)
    try:
        SPEC_DATA = load_spec()
    except (OSError, yaml.YAMLError) as e:
        print("Bail out! cannot read %s: %s" % (SPEC, e))
        return 1
    spec = SPEC_DATA
    spec_problems = check_spec(spec)
    tap.result("netlink spec: well-formed genetlink, every reference resolves", spec_problems)
    if spec_problems:
        for desc in ("uapi", "policies", "op table", "groups", "documentation", "pinned ABI"):
            tap.result("netlink spec: %s (not checked: the spec is broken)" % desc, ["see above"])
        return 1
    with open(KSPEC) as f:
        text = strip_c_comments(f.read())
    tap.result("netlink spec: uapi/linux/vireo_netlink.h has its names and numbers",
               check_uapi(spec))
    tap.result("netlink spec: kmod/netlink_spec.c policies match the requests",
               check_policies(spec, text))
    tap.result("netlink spec: kmod/netlink_spec.c op table matches the operations",
               check_ops(spec, text))
    tap.result("netlink spec: family and multicast groups match", check_family(spec, text))
    tap.result("netlink spec: netlink.rst describes every operation, attribute and value",
               check_doc(spec))
    tap.result("netlink spec: released numbers unchanged", check_pinned(spec))
    return 1 if tap.failed else 0


SPEC_DATA = None

if __name__ == "__main__":
    sys.exit(main())
