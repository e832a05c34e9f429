/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The i440FX/PIIX3 chipset, less its IDE function (hw/piix_ide.c): the
 * host bridge at 00:00.0 (8086:1237), the PCI-to-ISA bridge at 00:01.0
 * (8086:7000, multi-function), and the PIIX3's two reset registers: the
 * reset control register at 0xCF9 (a write with bit 2 set resets) and
 * port 0x92 (system control port A: bit 0 resets, bit 1 is A20).
 */
#ifndef HW_PIIX_H
#define HW_PIIX_H

#include "../vmm/sysctl.h"
#include "pci.h"

struct piix {
	struct pci_func host;
	struct pci_func isa;
	u8 rcr;			/* 0xCF9; guarded by the PCI bus lock */
	u8 port92;		/* atomic */
	struct sysctl *sys;
};

extern const struct io_ops piix_port92_ops;

/* Adds both functions to @pci, claims 0xCF9 on it and port 0x92 on @io. */
int piix_init(struct piix *piix, struct pci_bus *pci, struct bus *io, struct sysctl *sys);

#endif
