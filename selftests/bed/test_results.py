"""Unit tests of the serial-log parser: cd selftests/bed && python3 -m unittest"""

import unittest

import results


def log(tap="", dmesg="", done=True, before="booting...\r\n"):
    """A serial log as selftests/bed/init prints it, with \\r\\n endings."""
    text = before + tap + "@@VIREO-TAP-BEGIN@@\n" + tap + "@@VIREO-TAP-END@@\n"
    text += "@@VIREO-DMESG-BEGIN@@\n" + dmesg + "@@VIREO-DMESG-END@@\n"
    if done:
        text += "@@VIREO-DONE@@\n"
    return text.replace("\n", "\r\n")


def by_desc(res):
    return {desc: (status, detail) for status, desc, detail in res}


class TapTest(unittest.TestCase):
    def test_pass_fail_skip(self):
        tap = ("TAP version 13\n1..3\nok 1 busybox works\n"
               "not ok 2 - vmxon # exit 7\nok 3 cpus # SKIP only one cpu\n"
               "# a diagnostic\n")
        res = by_desc(results.parse_log(log(tap)))
        self.assertEqual(res["busybox works"], ("pass", ""))
        self.assertEqual(res["vmxon # exit 7"][0], "fail")
        self.assertEqual(res["cpus"], ("skip", "only one cpu"))
        self.assertEqual(res["guest completed"][0], "pass")
        self.assertEqual(res["kernel log clean"][0], "pass")
        self.assertEqual(results.totals(results.parse_log(log(tap))), (3, 1, 1))

    def test_plan_mismatch_per_program(self):
        tap = ("TAP version 13\n1..2\nok 1 a\nok 2 b\n"
               "TAP version 13\n1..3\nok 1 c\n"
               "  ok 1 indented lines are not results\n")
        res = results.parse_tap(results.clean_lines(tap))
        self.assertEqual(results.totals(res), (3, 1, 0))
        failed = [r for r in res if r[0] == "fail"]
        self.assertIn("plan mismatch in program 2", failed[0][1])
        self.assertEqual(failed[0][2], "plan 1..3 but 1 results")

    def test_nested_programs(self):
        # A script's own program around whole programs of the binaries it runs.
        tap = ("TAP version 13\n1..3\nok 1 load\n"
               "TAP version 13\n1..2\nok 1 bin a\nok 2 bin b\n"
               "ok 2 script check\n"
               "TAP version 13\n1..2\nok 1 crashed bin\n"
               "ok 3 unload\n")
        res = results.parse_tap(results.clean_lines(tap))
        self.assertEqual(results.totals(res), (6, 1, 0))
        self.assertEqual(res[-1][1], "plan mismatch in program 3 (first test: crashed bin)")

    def test_whole_program_skip(self):
        res = results.parse_tap(["TAP version 13", "1..0 # SKIP no /dev/vireo"])
        self.assertEqual(res, [("skip", "whole program skipped", "no /dev/vireo")])

    def test_tap_outside_section_ignored(self):
        text = log("TAP version 13\n1..1\nok 1 x\n")   # also printed live, before the section
        self.assertEqual(results.totals(results.parse_log(text)), (3, 0, 0))


KTAP = """\
[    5.000000] KTAP version 1
[    5.000001] 1..2
[    5.000002]     KTAP version 1
[    5.000003]     # Subtest: vireo_vmcs
[    5.000004]     1..3
[    5.000005]     ok 1 field_widths
[    5.000006]         KTAP version 1
[    5.000007]         # Subtest: encode
[    5.000008]         ok 1 guest_rip
[    5.000009]         not ok 2 host_cr3
[    5.000010]     # encode: pass:1 fail:1 skip:0 total:2
[    5.000011]     not ok 2 encode
[    5.000012]     ok 3 needs_ept # SKIP no EPT
[    5.000013] # vireo_vmcs: pass:1 fail:1 skip:1 total:3
[    5.000014] not ok 1 vireo_vmcs
[    5.000015]     KTAP version 1
[    5.000016]     # Subtest: vireo_exit
[    5.000017]     1..1
[    5.000018]     ok 1 hlt
[    5.000019] ok 2 vireo_exit
"""


class KtapTest(unittest.TestCase):
    def test_leaves_only(self):
        res = results.parse_ktap(results.clean_lines(KTAP))
        self.assertEqual(res, [
            ("pass", "kunit vireo_vmcs.field_widths", ""),
            ("pass", "kunit vireo_vmcs.encode.guest_rip", ""),
            ("fail", "kunit vireo_vmcs.encode.host_cr3", ""),
            ("skip", "kunit vireo_vmcs.needs_ept", "no EPT"),
            ("pass", "kunit vireo_exit.hlt", ""),
        ])

    def test_ktap_in_full_log(self):
        res = results.parse_log(log(dmesg=KTAP))
        self.assertEqual(results.totals(res), (5, 1, 1))

    def test_no_timestamps(self):
        plain = "\n".join(results.strip_timestamp(l) for l in KTAP.splitlines())
        self.assertEqual(results.parse_ktap(results.clean_lines(plain)),
                         results.parse_ktap(results.clean_lines(KTAP)))


class KernelLogTest(unittest.TestCase):
    def test_warning(self):
        dmesg = ("[    7.1] vireo: loaded\n"
                 "[    7.2] WARNING: CPU: 0 PID: 1 at kmod/vmx.c:12 vmx_enable+0x1/0x2 [vireo]\n"
                 "[    7.3] Call Trace:\n")
        res = by_desc(results.parse_log(log("TAP version 13\n1..1\nok 1 a\n", dmesg)))
        status, detail = res["kernel log clean"]
        self.assertEqual(status, "fail")
        self.assertIn("WARNING: CPU: 0 PID: 1 at kmod/vmx.c:12", detail)
        self.assertIn("Call Trace:", detail)

    def test_context(self):
        dmesg = ("[    1.0] vireo: loaded\n"
                 "[   30.1] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [migration/0:16]\n"
                 "[   30.1] Call Trace:\n"
                 "[   30.1]  multi_cpu_stop+0x1/0x2\n")
        res = by_desc(results.parse_log(log("TAP version 13\n1..1\nok 1 a\n", dmesg)))
        status, detail = res["kernel log clean"]
        self.assertEqual(status, "fail")
        self.assertIn("[   30.1]  multi_cpu_stop+0x1/0x2", detail)
        self.assertIn("[    1.0] vireo: loaded", detail)

    def test_allowed_splat(self):
        dmesg = ("[    2.1] ------------[ cut here ]------------\n"
                 "[    2.1] XSAVE consistency problem: size 2432 != kernel_size 2688\n"
                 "[    2.1] WARNING: CPU: 0 PID: 0 at arch/x86/kernel/fpu/xstate.c:606 x\n"
                 "[    2.1] Call Trace:\n"
                 "[    2.1] ---[ end trace 0000000000000000 ]---\n"
                 "[    9.1] ------------[ cut here ]------------\n"
                 "[    9.1] WARNING: CPU: 1 PID: 7 at kmod/vm.c:1 y\n"
                 "[    9.1] ---[ end trace 0000000000000000 ]---\n")
        bad = results.bad_kernel_lines(results.clean_lines(dmesg))
        self.assertEqual(bad, ["WARNING: CPU: 1 PID: 7 at kmod/vm.c:1 y"])

    def test_missing_done(self):
        text = ("[    0.0] Linux version 6.1\n@@VIREO-TAP-BEGIN@@\nTAP version 13\n1..2\n"
                "ok 1 a\n[   9.9] BUG: kernel NULL pointer dereference, address: 0\n")
        res = by_desc(results.parse_log(text))
        status, detail = res["guest completed"]
        self.assertEqual(status, "fail")
        self.assertIn("BUG: kernel NULL pointer", detail)
        self.assertEqual(res["kernel log clean"][0], "fail")
        self.assertEqual(res["plan mismatch in program 1 (first test: a)"][0], "fail")

    def test_missing_done_quiet_console(self):
        res = by_desc(results.parse_log("Linux version 6.1\nRun /init as init process\n"))
        self.assertEqual(res["guest completed"][0], "fail")
        self.assertEqual(res["kernel log clean"][0], "skip")


class NestedTest(unittest.TestCase):
    def test_nested_console_lines(self):
        # A nested guest's poweroff must not end the bed's wait for L1.
        self.assertTrue(results.nested("# L2| [    7.7] reboot: Power down"))
        self.assertTrue(results.nested("# L2 pv| [    7.7] reboot: Power down"))
        self.assertTrue(results.nested("# L2 mix-b.2| @@VIREO-DONE@@"))
        self.assertFalse(results.nested("[   99.1] reboot: Power down"))
        self.assertFalse(results.nested("# L2 two words| x"))
        self.assertFalse(results.nested("# L2-READ: hello"))


if __name__ == "__main__":
    unittest.main()
