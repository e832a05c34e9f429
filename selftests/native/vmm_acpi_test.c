// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI tables of vireoctl run (userctl/vmm/acpi.c, aml.c): the RSDP
 * and its two checksums, the XSDT/RSDT lists, every table's checksum, the
 * FADT fields Linux's ACPICA reads (PM1 blocks, SCI, reset register,
 * X_ fields consistent with the legacy ones), the MADT (one enabled local
 * APIC per vCPU, no IOAPIC, PCAT_COMPAT), and the DSDT's AML walked with
 * an independent PkgLength decoder. When iasl (acpica-tools) is
 * installed, it disassembles every table as a second opinion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vmm_test.h"
#include "vmm/acpi.h"
#include "hw/acpi_pm.h"

#define GPA	0xe0000

static u8 area[ACPI_SIZE];

static u8 *at(u64 gpa)
{
	return gpa >= GPA && gpa < GPA + sizeof(area) ? area + (gpa - GPA) : NULL;
}

static u8 sum(const u8 *p, size_t n)
{
	u8 s = 0;

	while (n--)
		s += *p++;
	return s;
}

static u64 build(int cpus)
{
	struct acpi_config cfg = { .nr_cpus = cpus, .pci_mem_start = 0x10000000 };

	return acpi_build(area, GPA, sizeof(area), &cfg);
}

/* The table a root table's entry @i points to (XSDT: 8-byte entries). */
static u8 *entry(const u8 *root, int i, int width)
{
	return at(width == 8 ? get_le64(root + ACPI_HDR_LEN + 8 * i) :
			       get_le32(root + ACPI_HDR_LEN + 4 * i));
}

static bool table_ok(const u8 *t, const char *sig)
{
	return t && !memcmp(t, sig, 4) && get_le32(t + 4) >= ACPI_HDR_LEN &&
	       at(GPA + (t - area) + get_le32(t + 4) - 1) && sum(t, get_le32(t + 4)) == 0;
}

static bool test_rsdp(void)
{
	u64 rsdp = build(2);
	u8 *r = at(rsdp);

	EXPECT(rsdp == GPA, "RSDP at %#llx, not where Linux scans first",
	       (unsigned long long)rsdp);
	EXPECT(!memcmp(r, "RSD PTR ", 8) && r[15] == 2, "signature or revision");
	EXPECT(sum(r, 20) == 0 && sum(r, 36) == 0 && get_le32(r + 20) == 36, "checksums");
	EXPECT(rsdp % 16 == 0, "alignment");
	return true;
}

static bool test_root_tables(void)
{
	u8 *r = at(build(2)), *xsdt = at(get_le64(r + 24)), *rsdt = at(get_le32(r + 16));
	int i;

	EXPECT(table_ok(xsdt, "XSDT") && get_le32(xsdt + 4) == ACPI_HDR_LEN + 16, "XSDT");
	EXPECT(table_ok(rsdt, "RSDT") && get_le32(rsdt + 4) == ACPI_HDR_LEN + 8, "RSDT");
	for (i = 0; i < 2; i++) {
		EXPECT(entry(xsdt, i, 8) == entry(rsdt, i, 4), "XSDT and RSDT differ at %d", i);
		EXPECT(table_ok(entry(xsdt, i, 8), i ? "APIC" : "FACP"), "table %d", i);
	}
	return true;
}

static u8 *fadt(void)
{
	u8 *r = at(build(2));

	return entry(at(get_le64(r + 24)), 0, 8);
}

static bool test_fadt(void)
{
	u8 *f = fadt(), *facs;

	EXPECT(f[8] == 3 && get_le32(f + 4) == 244, "FADT revision %u length %u", f[8],
	       get_le32(f + 4));
	EXPECT(table_ok(at(get_le32(f + 40)), "DSDT") && get_le64(f + 140) == get_le32(f + 40),
	       "DSDT pointers");
	facs = at(get_le32(f + 36));
	EXPECT(facs && !memcmp(facs, "FACS", 4) && get_le32(facs + 4) == 64 &&
	       get_le32(f + 36) % 64 == 0 && get_le64(f + 132) == get_le32(f + 36), "FACS");
	EXPECT(get_le16(f + 46) == ACPI_SCI_IRQ && get_le32(f + 48) == 0, "SCI, SMI_CMD");
	EXPECT(get_le32(f + 56) == ACPI_PM1_EVT && f[88] == 4 &&
	       get_le32(f + 64) == ACPI_PM1_CNT && f[89] == 2, "PM1 blocks");
	EXPECT(get_le32(f + 76) == 0 && f[91] == 0, "a PM timer nobody implements");
	/* X_PM1a_EVT_BLK, X_PM1a_CNT_BLK: system I/O, widths matching the lengths. */
	EXPECT(f[148] == 1 && f[149] == 32 && get_le64(f + 152) == ACPI_PM1_EVT, "X_PM1a_EVT");
	EXPECT(f[172] == 1 && f[173] == 16 && get_le64(f + 176) == ACPI_PM1_CNT, "X_PM1a_CNT");
	EXPECT((get_le32(f + 112) & BIT(10)) && f[116] == 1 && f[117] == 8 &&
	       get_le64(f + 120) == 0xcf9 && f[128] == 6, "reset register");
	EXPECT(!(get_le32(f + 112) & BIT(20)), "hardware-reduced ACPI");
	EXPECT(!(get_le16(f + 109) & 0x2) && (get_le16(f + 109) & 0x1), "IAPC_BOOT_ARCH %#x",
	       get_le16(f + 109));
	EXPECT(f[108] == 0x32, "RTC century index");
	return true;
}

static bool madt_ok(int cpus)
{
	u8 *r = at(build(cpus)), *m = entry(at(get_le64(r + 24)), 1, 8), *e, *end;
	int lapics = 0, nmis = 0;

	EXPECT(table_ok(m, "APIC"), "MADT");
	EXPECT(get_le32(m + 36) == 0xfee00000 && get_le32(m + 40) == 1, "LAPIC address, flags");
	end = m + get_le32(m + 4);
	for (e = m + 44; e < end; e += e[1]) {
		EXPECT(e[1] >= 2 && e + e[1] <= end, "entry length %u", e[1]);
		EXPECT(e[0] != 1, "an IOAPIC entry");
		if (e[0] == 0) {
			EXPECT(e[1] == 8 && e[2] == lapics && e[3] == lapics &&
			       get_le32(e + 4) == 1, "LAPIC %d", lapics);
			lapics++;
		} else if (e[0] == 4) {
			EXPECT(e[2] == 0xff && e[5] == 1, "LAPIC NMI on LINT1");
			nmis++;
		}
	}
	EXPECT(e == end, "entries overrun the table");
	EXPECT(lapics == cpus && nmis == 1, "%d LAPICs for %d CPUs", lapics, cpus);
	return true;
}

static bool test_madt(void)
{
	return madt_ok(1) && madt_ok(2) && madt_ok(255);
}

static bool test_limits(void)
{
	struct acpi_config cfg = { .nr_cpus = 2, .pci_mem_start = 0x10000000 };

	EXPECT(build(0) == 0 && build(256) == 0, "0 or 256 CPUs accepted");
	EXPECT(acpi_build(area, GPA, 200, &cfg) == 0, "tables fit in 200 bytes");
	return true;
}

/* ---- the DSDT, walked ---- */

static const u8 *pkg_len(const u8 *p, u32 *len)
{
	int n = p[0] >> 6, i;

	if (!n) {
		*len = p[0] & 0x3f;
		return p + 1;
	}
	*len = p[0] & 0x0f;
	for (i = 1; i <= n; i++)
		*len |= (u32)p[i] << (4 + 8 * (i - 1));
	return p + n + 1;
}

static bool test_dsdt_aml(void)
{
	u8 *f = fadt(), *d = at(get_le32(f + 40));
	const u8 *p = d + ACPI_HDR_LEN, *end = d + get_le32(d + 4), *q, *scope_end, *dev_end;
	const u8 *dev;
	const u8 *crs, *crs_end;
	u32 len;

	/* Name (_S5, Package (4) { 5, 5, 0, 0 }) */
	EXPECT(p[0] == 0x08 && !memcmp(p + 1, "_S5_", 4) && p[5] == 0x12, "_S5 first");
	q = pkg_len(p + 6, &len);
	EXPECT(q[0] == 4 && q[1] == 0x0a && q[2] == ACPI_S5_TYP && q[3] == 0x0a &&
	       q[4] == ACPI_S5_TYP && q[5] == 0 && q[6] == 0, "_S5 package");
	p = p + 6 + len;
	/* Scope (\_SB) { Device (PCI0) { ... } } */
	EXPECT(p[0] == 0x10, "a Scope after _S5");
	q = pkg_len(p + 1, &len);
	scope_end = p + 1 + len;
	EXPECT(scope_end == end, "the scope ends %td bytes from the table end", end - scope_end);
	EXPECT(!memcmp(q, "\\_SB_", 5) && q[5] == 0x5b && q[6] == 0x82, "\\_SB scope, device");
	dev = q + 7;
	q = pkg_len(dev, &len);
	dev_end = dev + len;
	EXPECT(dev_end == scope_end, "the device ends %td bytes before the scope",
	       scope_end - dev_end);
	EXPECT(!memcmp(q, "PCI0", 4), "device name");
	q += 4;
	EXPECT(q[0] == 0x08 && !memcmp(q + 1, "_HID", 4) && q[5] == 0x0c &&
	       get_le32(q + 6) == 0x030ad041, "_HID EISAID(PNP0A03)");
	q += 10;
	EXPECT(q[0] == 0x08 && !memcmp(q + 1, "_ADR", 4) && q[5] == 0, "_ADR 0");
	q += 6;
	EXPECT(q[0] == 0x08 && !memcmp(q + 1, "_UID", 4) && q[5] == 0, "_UID 0");
	q += 6;
	EXPECT(q[0] == 0x08 && !memcmp(q + 1, "_CRS", 4) && q[5] == 0x11, "_CRS buffer");
	pkg_len(q + 6, &len);
	crs_end = q + 6 + len;
	EXPECT(crs_end == scope_end, "the device and scope end after _CRS");
	q = pkg_len(q + 6, &len);
	EXPECT(q[0] == 0x0a, "buffer size as a byte");
	crs = q + 2;
	EXPECT(crs + q[1] == crs_end, "buffer size %u", q[1]);
	/* Resource descriptors up to the end tag. */
	EXPECT(crs[0] == 0x88 && crs[3] == 2 && get_le16(crs + 10) == 0xff, "bus numbers");
	crs += 3 + get_le16(crs + 1);
	EXPECT(crs[0] == 0x47 && get_le16(crs + 2) == 0xcf8 && crs[7] == 8, "conf1 ports");
	crs += 8;
	EXPECT(crs[0] == 0x88 && crs[3] == 1 && get_le16(crs + 10) == 0xcf7, "I/O below");
	crs += 3 + get_le16(crs + 1);
	EXPECT(crs[0] == 0x88 && get_le16(crs + 8) == 0xd00 && get_le16(crs + 14) == 0xf300,
	       "I/O above");
	crs += 3 + get_le16(crs + 1);
	EXPECT(crs[0] == 0x87 && get_le32(crs + 10) == 0xa0000, "VGA window");
	crs += 3 + get_le16(crs + 1);
	EXPECT(crs[0] == 0x87 && get_le32(crs + 10) == 0x10000000 &&
	       get_le32(crs + 14) == 0xfebfffff &&
	       get_le32(crs + 22) == 0xfebfffff - 0x10000000 + 1, "PCI hole");
	crs += 3 + get_le16(crs + 1);
	EXPECT(crs[0] == 0x79 && crs + 2 == crs_end, "end tag");
	return true;
}

/* iasl -d on each table: it checks lengths, checksums and the AML. */
static bool iasl_table(const u8 *t, const char *name)
{
	char dir[] = "/tmp/vireo-acpi-XXXXXX", cmd[512], path[300];
	FILE *f;
	int rc;

	EXPECT(mkdtemp(dir), "mkdtemp");
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	EXPECT(f && fwrite(t, get_le32(t + 4), 1, f) == 1 && !fclose(f), "write %s", path);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && iasl -d %s.dat > iasl.log 2>&1 && ! grep -qiE 'error|invalid|incorrect' %s.dsl iasl.log",
		 dir, name, name);
	rc = system(cmd);
	if (rc) {
		snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s/iasl.log | tail -20", dir);
		if (system(cmd))
			rc = 1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		rc = 1;
	EXPECT(rc == 0, "iasl -d %s found problems", name);
	return true;
}

static bool test_iasl(void)
{
	u8 *r = at(build(4)), *x = at(get_le64(r + 24)), *f = entry(x, 0, 8);

	if (system("command -v iasl > /dev/null 2>&1"))
		vmm_skip("iasl is not installed (Debian package acpica-tools)");
	return iasl_table(at(get_le32(f + 40)), "dsdt") && iasl_table(f, "facp") &&
	       iasl_table(entry(x, 1, 8), "apic") && iasl_table(x, "xsdt");
}

static const struct vmm_case cases[] = {
	{ "acpi: RSDP at 0xe0000, revision 2, both checksums", test_rsdp },
	{ "acpi: XSDT and RSDT list FADT and MADT", test_root_tables },
	{ "acpi: FADT: PM1 blocks, SCI, reset register, X_ fields", test_fadt },
	{ "acpi: MADT: one LAPIC per vCPU, no IOAPIC (1, 2, 255 CPUs)", test_madt },
	{ "acpi: CPU count limits; tables that do not fit", test_limits },
	{ "acpi: DSDT AML: _S5 package, \\_SB.PCI0, _HID, _CRS windows", test_dsdt_aml },
	{ "acpi: iasl disassembles every table without complaint", test_iasl },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
