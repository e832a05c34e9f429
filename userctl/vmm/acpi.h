/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables of vireoctl run's PC, written into the BIOS area below
 * 1 MiB (the RSDP at ACPI_BASE, where Linux also scans for it):
 *
 *   RSDP -> XSDT (and RSDT) -> FADT -> FACS, DSDT
 *                           -> MADT
 *
 * The FADT points at the PM1 registers of hw/acpi_pm.c and names 0xCF9
 * as the reset register; the DSDT holds \_S5 (so that Linux can power
 * off) and the PCI root bridge \_SB.PCI0 with its windows; the MADT lists
 * one local APIC per vCPU (ids 0 to N-1), no IOAPIC, and PCAT_COMPAT:
 * Linux then boots its CPUs with INIT/SIPI and keeps the 8259 for device
 * interrupts (see Documentation/virt/vireo/vireoctl-run.rst).
 */
#ifndef VMM_ACPI_H
#define VMM_ACPI_H

#include "util.h"

#define ACPI_BASE		0xe0000
#define ACPI_SIZE		0x10000

struct acpi_config {
	int nr_cpus;		/* 1-255 */
	u64 pci_mem_start;	/* the 32-bit PCI window: start, up to 0xfebfffff */
};

/*
 * Writes the tables into @area, which the guest sees at @gpa (@size
 * bytes). Returns the RSDP's guest-physical address, or 0 when they do
 * not fit.
 */
u64 acpi_build(u8 *area, u64 gpa, size_t size, const struct acpi_config *cfg);

/* Offsets the tests and the FADT share. */
#define ACPI_HDR_LEN		36

#endif
