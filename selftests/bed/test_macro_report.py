"""Unit tests of the macro-benchmarks' tables (macro_report.py):
cd selftests/bed && python3 -m unittest test_macro_report"""

import unittest

import macro_report


def line(kind, set_, phase, bytes_, ops, ticks, ns, exits, uexits, rep=1):
    return ("# MACRO guest=%s kind=%s set=%s round=1 phase=%s rep=%d bytes=%d ops=%d "
            "ticks=%d ns=%d direct=1 exits=%d uexits=%d"
            % (kind, kind, set_, phase, rep, bytes_, ops, ticks, ns, exits, uexits))


LOG = [
    "noise", "# MACRO guest=fv kind=fv broken",
    line("fv", "solo", "null", 0, 0, 10, 10, 100, 50),
    line("pv", "solo", "null", 0, 0, 10, 10, 10, 5),
    line("fv", "solo", "console", 4096, 1, 4000, 1000, 100 + 4000, 50 + 2000),
    line("pv", "solo", "console", 4096, 1, 400, 100, 10 + 40, 5 + 4),
    line("fv", "solo", "seqread", 1 << 20, 256, 2560000, 10 ** 9, 100 + 5000, 50),
    line("pv", "solo", "seqread", 1 << 20, 256, 256000, 10 ** 8, 10 + 250, 5),
    line("fv", "solo", "seqread", 1 << 20, 256, 5120000, 2 * 10 ** 9, 100 + 7000, 50, rep=2),
    line("fv", "solo", "boot", 0, 0, 900, 0, 3000, 1000),
    line("pv", "solo", "boot", 0, 0, 300, 0, 1000, 100),
    line("pv", "solo", "boot", 0, 0, 300, 0, 1000, 100),
]


def find(fams, family, label):
    fam = [f for f in fams if f["family"] == family][0]
    return [r for r in fam["rows"] if r["label"] == label][0]


class MacroReportTest(unittest.TestCase):
    def setUp(self):
        self.samples = macro_report.parse(LOG)
        self.fams = macro_report.families(self.samples)

    def test_parse_skips_bad_lines(self):
        self.assertEqual(len(self.samples), 9)
        self.assertEqual(self.samples[0]["exits"], 100)

    def test_console_net_of_null(self):
        r = find(self.fams, "console", "exits per KiB")
        self.assertEqual(r["fv"]["median"], 1000)
        self.assertEqual(r["pv"]["median"], 10)
        self.assertAlmostEqual(r["ratio"], 0.01)
        self.assertEqual(r["status"], "pass")
        self.assertEqual(find(self.fams, "console", "ticks per KiB")["fv"]["min"], 1000)

    def test_block_min_median_ratio(self):
        r = find(self.fams, "block", "sequential 4 KiB reads: MiB/s")
        self.assertEqual(r["fv"]["samples"], 2)
        self.assertEqual(r["fv"]["min"], 0.5)
        self.assertEqual(r["fv"]["median"], 0.75)
        self.assertAlmostEqual(r["ratio"], 10 / 0.75)
        self.assertEqual(r["status"], "pass")
        r = find(self.fams, "block", "sequential 4 KiB reads: exits per MiB")
        self.assertEqual(r["fv"]["median"], 6000)
        self.assertAlmostEqual(r["ratio"], 250 / 6000)
        self.assertIsNone(find(self.fams, "block", "random 4 KiB reads: MiB/s")["ratio"])

    def test_boot_not_net_of_null(self):
        r = find(self.fams, "boot", "exits")
        self.assertEqual((r["fv"]["median"], r["pv"]["median"]), (3000, 1000))

    def test_incomplete_and_text(self):
        self.assertFalse(macro_report.complete(self.fams))
        text = macro_report.text(self.fams, self.samples)
        self.assertIn("<= 0.02 pass", text)
        self.assertIn("n/a", text)


if __name__ == "__main__":
    unittest.main()
