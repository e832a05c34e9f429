// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI table construction (ACPI 6.4, chapter 5: RSDP 5.2.5, RSDT 5.2.7,
 * XSDT 5.2.8, FADT 5.2.9 revision 3, FACS 5.2.10, DSDT 5.2.11.1, MADT
 * 5.2.12). Tables are laid out one after the other, 16-byte aligned (the
 * FACS 64-byte aligned), each with its checksum.
 */
#include <string.h>

#include "acpi.h"
#include "aml.h"
#include "../hw/acpi_pm.h"

#define OEM_ID		"VIREO "
#define OEM_TABLE_ID	"VIREOPC "
#define CREATOR_ID	"VIRE"

#define LAPIC_ADDR	0xfee00000
#define PCI_MEM_END	0xfebfffff	/* below the IOAPIC, HPET and LAPIC pages */

/* FADT (revision 3) field offsets. */
#define FADT_LEN		244
#define FADT_FIRMWARE_CTRL	36
#define FADT_DSDT		40
#define FADT_SCI_INT		46
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1_EVT_LEN	88
#define FADT_PM1_CNT_LEN	89
#define FADT_P_LVL2_LAT		96
#define FADT_P_LVL3_LAT		98
#define FADT_CENTURY		108
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_FIRMWARE_CTRL	132
#define FADT_X_DSDT		140
#define FADT_X_PM1A_EVT_BLK	148
#define FADT_X_PM1A_CNT_BLK	172

/* IAPC_BOOT_ARCH: ISA devices; no 8042, no VGA, no MSI. */
#define BOOT_ARCH_LEGACY_DEVICES	0x0001
#define BOOT_ARCH_NO_VGA		0x0004
#define BOOT_ARCH_NO_MSI		0x0008

/* FADT flags: WBINVD, C1, no fixed power/sleep buttons, no RTC wake, reset register. */
#define FADT_F_WBINVD		BIT(0)
#define FADT_F_PROC_C1		BIT(2)
#define FADT_F_PWR_BUTTON	BIT(4)
#define FADT_F_SLP_BUTTON	BIT(5)
#define FADT_F_FIX_RTC		BIT(6)
#define FADT_F_RESET_REG_SUP	BIT(10)

#define GAS_SYSTEM_IO		1

#define MADT_PCAT_COMPAT	1
#define MADT_LOCAL_APIC		0
#define MADT_LAPIC_NMI		4

#define RESET_PORT		0xcf9
#define RESET_VALUE		0x06

struct builder {
	u8 *area;
	u64 gpa;
	size_t size;
	size_t used;
	bool overflow;
};

/* Space for a table of @len bytes; its guest address in *@addr. */
static u8 *alloc(struct builder *b, size_t len, size_t align, u64 *addr)
{
	size_t at = align_up(b->used, align);

	if (at + len > b->size) {
		b->overflow = true;
		return NULL;
	}
	b->used = at + len;
	*addr = b->gpa + at;
	memset(b->area + at, 0, len);
	return b->area + at;
}

static u8 checksum(const u8 *p, size_t len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return -sum;
}

static void header(u8 *t, const char *sig, u32 len, u8 rev)
{
	memcpy(t, sig, 4);
	put_le32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, OEM_ID, 6);
	memcpy(t + 16, OEM_TABLE_ID, 8);
	put_le32(t + 24, 1);
	memcpy(t + 28, CREATOR_ID, 4);
	put_le32(t + 32, 1);
}

static void finish(u8 *t)
{
	t[9] = 0;
	t[9] = checksum(t, get_le32(t + 4));
}

static void gas_io(u8 *g, u8 bits, u8 access, u64 port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = bits;
	g[2] = 0;
	g[3] = access;		/* 1 byte, 2 word, 3 dword */
	put_le64(g + 4, port);
}

static void dsdt_body(struct aml *a, const struct acpi_config *cfg)
{
	size_t scope, dev, buf, pkg;
	u8 crs[128];
	struct aml r;

	/* Name (_S5, Package (4) { S5_TYP, S5_TYP, 0, 0 }) */
	aml_byte(a, AML_NAME_OP);
	aml_name(a, "_S5_");
	pkg = aml_open(a, AML_PACKAGE_OP);
	aml_byte(a, 4);
	aml_int(a, ACPI_S5_TYP);
	aml_int(a, ACPI_S5_TYP);
	aml_int(a, 0);
	aml_int(a, 0);
	aml_close(a, pkg);

	scope = aml_open(a, AML_SCOPE_OP);
	aml_name(a, "\\_SB_");
	dev = aml_open(a, AML_DEVICE_OP);
	aml_name(a, "PCI0");
	aml_byte(a, AML_NAME_OP);
	aml_name(a, "_HID");
	aml_eisaid(a, "PNP0A03");
	aml_name_int(a, "_ADR", 0);
	aml_name_int(a, "_UID", 0);

	/* _CRS: bus 0-255, conf1 ports, the rest of I/O, VGA and the PCI hole. */
	aml_init(&r, crs, sizeof(crs));
	aml_word_bus(&r, 0, 0xff);
	aml_io(&r, 0xcf8, 8);
	aml_word_io(&r, 0x0000, 0x0cf7);
	aml_word_io(&r, 0x0d00, 0xffff);
	aml_dword_mem(&r, 0x000a0000, 0x000bffff);
	aml_dword_mem(&r, cfg->pci_mem_start, PCI_MEM_END);
	aml_end_tag(&r);
	if (r.overflow)
		a->overflow = true;
	aml_byte(a, AML_NAME_OP);
	aml_name(a, "_CRS");
	buf = aml_open(a, AML_BUFFER_OP);
	aml_int(a, r.len);
	aml_bytes(a, crs, r.len);
	aml_close(a, buf);

	aml_close(a, dev);
	aml_close(a, scope);
}

static u64 build_dsdt(struct builder *b, const struct acpi_config *cfg)
{
	u8 body[1024];
	struct aml a;
	u64 addr;
	u8 *t;

	aml_init(&a, body, sizeof(body));
	dsdt_body(&a, cfg);
	if (a.overflow) {
		b->overflow = true;
		return 0;
	}
	t = alloc(b, ACPI_HDR_LEN + a.len, 16, &addr);
	if (!t)
		return 0;
	header(t, "DSDT", ACPI_HDR_LEN + a.len, 2);	/* revision 2: 64-bit integers */
	memcpy(t + ACPI_HDR_LEN, body, a.len);
	finish(t);
	return addr;
}

static u64 build_facs(struct builder *b)
{
	u64 addr;
	u8 *t = alloc(b, 64, 64, &addr);

	if (!t)
		return 0;
	memcpy(t, "FACS", 4);
	put_le32(t + 4, 64);
	t[32] = 1;		/* version */
	return addr;
}

static u64 build_fadt(struct builder *b, u64 facs, u64 dsdt)
{
	u64 addr;
	u8 *t = alloc(b, FADT_LEN, 16, &addr);

	if (!t)
		return 0;
	header(t, "FACP", FADT_LEN, 3);
	put_le32(t + FADT_FIRMWARE_CTRL, facs);
	put_le32(t + FADT_DSDT, dsdt);
	put_le16(t + FADT_SCI_INT, ACPI_SCI_IRQ);
	/* SMI_CMD 0: the platform is always in ACPI mode. */
	put_le32(t + FADT_PM1A_EVT_BLK, ACPI_PM1_EVT);
	put_le32(t + FADT_PM1A_CNT_BLK, ACPI_PM1_CNT);
	t[FADT_PM1_EVT_LEN] = 4;
	t[FADT_PM1_CNT_LEN] = 2;
	put_le16(t + FADT_P_LVL2_LAT, 0x0fff);		/* no C2 */
	put_le16(t + FADT_P_LVL3_LAT, 0x0fff);		/* no C3 */
	t[FADT_CENTURY] = 0x32;
	put_le16(t + FADT_IAPC_BOOT_ARCH, BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_NO_VGA |
		 BOOT_ARCH_NO_MSI);
	put_le32(t + FADT_FLAGS, FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_PWR_BUTTON |
		 FADT_F_SLP_BUTTON | FADT_F_FIX_RTC | FADT_F_RESET_REG_SUP);
	gas_io(t + FADT_RESET_REG, 8, 1, RESET_PORT);
	t[FADT_RESET_VALUE] = RESET_VALUE;
	put_le64(t + FADT_X_FIRMWARE_CTRL, facs);
	put_le64(t + FADT_X_DSDT, dsdt);
	gas_io(t + FADT_X_PM1A_EVT_BLK, 32, 2, ACPI_PM1_EVT);
	gas_io(t + FADT_X_PM1A_CNT_BLK, 16, 2, ACPI_PM1_CNT);
	finish(t);
	return addr;
}

static u64 build_madt(struct builder *b, int nr_cpus)
{
	u32 len = ACPI_HDR_LEN + 8 + 8 * nr_cpus + 6;
	u64 addr;
	u8 *t = alloc(b, len, 16, &addr), *e;
	int i;

	if (!t)
		return 0;
	header(t, "APIC", len, 3);
	put_le32(t + ACPI_HDR_LEN, LAPIC_ADDR);
	put_le32(t + ACPI_HDR_LEN + 4, MADT_PCAT_COMPAT);
	e = t + ACPI_HDR_LEN + 8;
	for (i = 0; i < nr_cpus; i++, e += 8) {
		e[0] = MADT_LOCAL_APIC;
		e[1] = 8;
		e[2] = i;		/* ACPI processor UID */
		e[3] = i;		/* APIC id = vCPU id */
		put_le32(e + 4, 1);	/* enabled */
	}
	/* LINT1 of every local APIC is the NMI input, as on a PC. */
	e[0] = MADT_LAPIC_NMI;
	e[1] = 6;
	e[2] = 0xff;			/* all processors */
	put_le16(e + 3, 0);		/* bus-conforming polarity and trigger */
	e[5] = 1;			/* LINT1 */
	finish(t);
	return addr;
}

u64 acpi_build(u8 *area, u64 gpa, size_t size, const struct acpi_config *cfg)
{
	struct builder b = { .area = area, .gpa = gpa, .size = size };
	u64 rsdp = 0, rsdt = 0, xsdt = 0, fadt, madt, facs, dsdt;
	u8 *r, *t;

	if (cfg->nr_cpus < 1 || cfg->nr_cpus > 255)
		return 0;
	memset(area, 0, size);
	/* The RSDP first: at ACPI_BASE, 16-byte aligned, where scans look. */
	r = alloc(&b, 36, 16, &rsdp);
	facs = build_facs(&b);
	dsdt = build_dsdt(&b, cfg);
	fadt = build_fadt(&b, facs, dsdt);
	madt = build_madt(&b, cfg->nr_cpus);

	t = alloc(&b, ACPI_HDR_LEN + 2 * 8, 16, &xsdt);
	if (t) {
		header(t, "XSDT", ACPI_HDR_LEN + 2 * 8, 1);
		put_le64(t + ACPI_HDR_LEN, fadt);
		put_le64(t + ACPI_HDR_LEN + 8, madt);
		finish(t);
	}
	t = alloc(&b, ACPI_HDR_LEN + 2 * 4, 16, &rsdt);
	if (t) {
		header(t, "RSDT", ACPI_HDR_LEN + 2 * 4, 1);
		put_le32(t + ACPI_HDR_LEN, fadt);
		put_le32(t + ACPI_HDR_LEN + 4, madt);
		finish(t);
	}
	if (b.overflow || !r)
		return 0;

	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, OEM_ID, 6);
	r[15] = 2;			/* ACPI 2.0+: XSDT */
	put_le32(r + 16, rsdt);
	put_le32(r + 20, 36);
	put_le64(r + 24, xsdt);
	r[8] = checksum(r, 20);
	r[32] = checksum(r, 36);
	return rsdp;
}
