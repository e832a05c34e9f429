/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PIIX3 IDE function (00:01.1, 8086:7010) in compatibility mode: the
 * primary channel at the legacy ports 0x1F0-0x1F7 and 0x3F6 on ISA IRQ 14
 * (hw/ata.c), the secondary channel disabled in IDETIM, and the bus
 * master IDE registers (BAR4, 16 bytes of I/O) that move the data of DMA
 * commands through a PRD table in guest memory (the secondary's half
 * holds its registers but has no channel to serve). Linux drives it with
 * ata_piix (PIO 4, multi-word DMA 2).
 */
#ifndef HW_PIIX_IDE_H
#define HW_PIIX_IDE_H

#include "../vmm/mem.h"
#include "ata.h"
#include "pci.h"

#define PIIX_IDE_BM_BASE	0xc000	/* where firmware would put BAR4 */

struct piix_bm {
	u8 cmd;
	u8 status;
	u32 prd;		/* PRD table address */
	u32 prd_next;		/* next descriptor during a transfer */
	bool eot;		/* the last descriptor was taken */
};

struct piix_ide {
	struct pci_func func;
	struct pci_bus *pci;
	struct bus *io;
	const struct guest_mem *mem;
	struct ata_channel *ch;	/* primary */
	struct piix_bm bm;	/* primary's bus master; under ch->lock */
	struct piix_bm bm2;	/* secondary's registers (no channel); ditto */
	u16 bm_base;		/* BAR4 as decoded now, 0: not decoded */
};

extern const struct io_ops piix_bm_io_ops;

/* Adds the function; @ch becomes the primary channel (attached on @io). */
int piix_ide_init(struct piix_ide *ide, struct pci_bus *pci, struct bus *io,
		  const struct guest_mem *mem, struct ata_channel *ch);

#endif
