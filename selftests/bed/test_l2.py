"""Unit tests of the nested guest's module resolution (l2.py):
cd selftests/bed && python3 -m unittest test_l2"""

import os
import tempfile
import unittest

import l2
from build import BuildError

DEP = """\
kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko
kernel/fs/jbd2/jbd2.ko:
kernel/fs/mbcache.ko:
kernel/lib/crc16.ko:
kernel/drivers/ata/ata_piix.ko: kernel/drivers/ata/libata.ko kernel/drivers/scsi/scsi_mod.ko
kernel/drivers/ata/libata.ko: kernel/drivers/scsi/scsi_mod.ko
kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko
kernel/drivers/scsi/scsi_common.ko:
kernel/crypto/crc32c_generic.ko:
kernel/a.ko: kernel/b.ko
kernel/b.ko: kernel/a.ko
"""


class ModuleOrderTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        with open(os.path.join(self.dir.name, "modules.dep"), "w") as f:
            f.write(DEP)

    def tearDown(self):
        self.dir.cleanup()

    def names(self, mods):
        order = l2.module_order(self.dir.name, mods)
        return [os.path.relpath(p, self.dir.name) for p in order]

    def test_dependencies_first(self):
        order = self.names(["ata_piix"])
        self.assertEqual(order[-1], "kernel/drivers/ata/ata_piix.ko")
        self.assertLess(order.index("kernel/drivers/scsi/scsi_common.ko"),
                        order.index("kernel/drivers/scsi/scsi_mod.ko"))
        self.assertLess(order.index("kernel/drivers/scsi/scsi_mod.ko"),
                        order.index("kernel/drivers/ata/libata.ko"))

    def test_shared_dependencies_once(self):
        order = self.names(["ata_piix", "ext4", "crc32c_generic"])
        self.assertEqual(len(order), len(set(order)))
        self.assertEqual(len(order), 9)

    def test_dashes_and_underscores(self):
        self.assertEqual(self.names(["crc32c-generic"]), ["kernel/crypto/crc32c_generic.ko"])

    def test_unknown_module(self):
        with self.assertRaises(BuildError):
            l2.module_order(self.dir.name, ["nosuch"])

    def test_loop(self):
        with self.assertRaises(BuildError):
            l2.module_order(self.dir.name, ["a"])


if __name__ == "__main__":
    unittest.main()
