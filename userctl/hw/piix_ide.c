// SPDX-License-Identifier: GPL-2.0-only
/*
 * PIIX3 IDE: configuration space and bus master IDE (after the Intel
 * 82371FB/SB data sheet, 2.7, and the SFF-8038i register layout).
 *
 * A DMA transfer runs when both halves are there: the disk's DMA command
 * (hw/ata.c calls piix_dma_ready()) and the start bit of the bus master
 * command register. It runs to the end at once, in the vCPU thread that
 * supplied the second half, and ends with the interrupt bit of the bus
 * master status and the disk's INTRQ.
 */
#include <errno.h>
#include <string.h>

#include "piix_ide.h"

#define ATA_PRIMARY_CMD		0x1f0
#define ATA_PRIMARY_CTL		0x3f6

#define BAR4			(PCI_BASE_ADDRESS_0 + 4 * 4)
#define IDETIM_PRIMARY		0x40
#define IDETIM_DECODE		0x8000

#define BM_CMD			0
#define BM_STATUS		2
#define BM_PRD			4

#define BM_CMD_START		0x01
#define BM_CMD_TO_MEMORY	0x08
#define BM_ST_ACTIVE		0x01
#define BM_ST_ERROR		0x02
#define BM_ST_IRQ		0x04
#define BM_ST_CAPABLE		0x60	/* drive 0 and 1 DMA capable (BIOS-set) */

#define PRD_EOT			0x80000000U
#define PRD_MAX			(64 * 1024)

/* The next PRD of the running transfer (ata_dma_run_locked's iterator). */
static int prd_next(void *opaque, u8 **hva, u32 *len)
{
	struct piix_ide *ide = opaque;
	struct piix_bm *bm = &ide->bm;
	u8 *prd;
	u32 addr, n;

	if (bm->eot)
		return 0;
	prd = gpa_to_hva(ide->mem, bm->prd_next, 8);
	if (!prd)
		return -1;
	addr = get_le32(prd) & ~1U;
	n = get_le32(prd + 4);
	bm->eot = n & PRD_EOT;
	n &= 0xfffe;
	if (!n)
		n = PRD_MAX;
	bm->prd_next += 8;
	*hva = gpa_to_hva(ide->mem, addr, n);
	*len = n;
	return *hva ? 1 : -1;
}

/* Bus mastering is disabled in the command register: no memory cycle. */
static int no_prd(void *opaque, u8 **hva, u32 *len)
{
	(void)opaque;
	(void)hva;
	(void)len;
	return -1;
}

/* Runs the transfer if the command and the start bit are both there. */
static void bm_run(struct piix_ide *ide)
{
	struct piix_bm *bm = &ide->bm;
	enum ata_dma_result r;

	if (!(bm->cmd & BM_CMD_START) || !(bm->status & BM_ST_ACTIVE))
		return;
	bm->prd_next = bm->prd;
	bm->eot = false;
	if (pci_cfg_read(ide->pci, &ide->func, PCI_COMMAND, 2) & PCI_COMMAND_MASTER)
		r = ata_dma_run_locked(ide->ch, bm->cmd & BM_CMD_TO_MEMORY, prd_next, ide);
	else
		r = ata_dma_run_locked(ide->ch, bm->cmd & BM_CMD_TO_MEMORY, no_prd, ide);
	switch (r) {
	case ATA_DMA_IDLE:
		return;
	case ATA_DMA_DONE:
		/* Active stays set when the PRD table is longer than the data. */
		bm->status |= BM_ST_IRQ;
		if (bm->eot)
			bm->status &= ~BM_ST_ACTIVE;
		break;
	case ATA_DMA_SHORT:
		bm->status = (bm->status & ~BM_ST_ACTIVE) | BM_ST_IRQ;
		break;
	case ATA_DMA_FAILED:
		bm->status = (bm->status & ~BM_ST_ACTIVE) | BM_ST_ERROR | BM_ST_IRQ;
		break;
	}
}

/* hw/ata.c: a DMA command waits (channel lock held). */
static void piix_dma_ready(void *opaque)
{
	bm_run(opaque);
}

static bool bm_decoded(struct piix_ide *ide)
{
	return pci_cfg_read(ide->pci, &ide->func, PCI_COMMAND, 2) & PCI_COMMAND_IO;
}

static u8 bm_read(struct piix_bm *bm, unsigned int reg)
{
	switch (reg) {
	case BM_CMD:
		return bm->cmd;
	case BM_STATUS:
		return bm->status;
	case BM_PRD:
	case BM_PRD + 1:
	case BM_PRD + 2:
	case BM_PRD + 3:
		return bm->prd >> (8 * (reg - BM_PRD));
	default:
		return 0;
	}
}

static void bm_write(struct piix_ide *ide, struct piix_bm *bm, unsigned int reg, u8 val)
{
	unsigned int shift;

	switch (reg) {
	case BM_CMD:
		if ((val & BM_CMD_START) && !(bm->cmd & BM_CMD_START)) {
			bm->cmd = val & (BM_CMD_START | BM_CMD_TO_MEMORY);
			bm->status |= BM_ST_ACTIVE;
			if (bm == &ide->bm)
				bm_run(ide);
		} else if (!(val & BM_CMD_START)) {
			bm->cmd = val & BM_CMD_TO_MEMORY;
			bm->status &= ~BM_ST_ACTIVE;
		}
		break;
	case BM_STATUS:
		bm->status = (bm->status & ~(BM_ST_CAPABLE | (val & (BM_ST_ERROR | BM_ST_IRQ)))) |
			     (val & BM_ST_CAPABLE);
		break;
	case BM_PRD:
	case BM_PRD + 1:
	case BM_PRD + 2:
	case BM_PRD + 3:
		shift = 8 * (reg - BM_PRD);
		bm->prd = (bm->prd & ~(0xffU << shift)) | (u32)val << shift;
		bm->prd &= ~3U;
		break;
	default:
		break;
	}
}

static u32 bm_in(void *dev, u16 port, unsigned int size)
{
	struct piix_ide *ide = dev;
	u16 base = __atomic_load_n(&ide->bm_base, __ATOMIC_RELAXED);
	unsigned int i;
	u32 val = 0;

	if (!bm_decoded(ide))
		return ~0U;
	pthread_mutex_lock(&ide->ch->lock);
	for (i = 0; i < size; i++) {
		unsigned int off = port + i - base;

		if (off < 16)
			val |= (u32)bm_read(off < 8 ? &ide->bm : &ide->bm2, off & 7) << (8 * i);
	}
	pthread_mutex_unlock(&ide->ch->lock);
	return val;
}

static void bm_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct piix_ide *ide = dev;
	u16 base = __atomic_load_n(&ide->bm_base, __ATOMIC_RELAXED);
	unsigned int i;

	if (!bm_decoded(ide))
		return;
	pthread_mutex_lock(&ide->ch->lock);
	for (i = 0; i < size; i++) {
		unsigned int off = port + i - base;

		if (off < 16)
			bm_write(ide, off < 8 ? &ide->bm : &ide->bm2, off & 7, val >> (8 * i));
	}
	pthread_mutex_unlock(&ide->ch->lock);
}

const struct io_ops piix_bm_io_ops = {
	.in = bm_in,
	.out = bm_out,
};

/* BAR4 or the command register changed: move the bus master's ports. */
static void piix_ide_write_hook(struct pci_func *f, unsigned int off, unsigned int len)
{
	struct piix_ide *ide = f->opaque;
	u16 base = 0;

	if (off + len <= PCI_COMMAND || (off > PCI_COMMAND + 1 && off + len <= BAR4) ||
	    off >= BAR4 + 4)
		return;
	if (pci_get16(f, PCI_COMMAND) & PCI_COMMAND_IO)
		base = pci_get32(f, BAR4) & 0xfff0;
	if (base == ide->bm_base)
		return;
	if (ide->bm_base)
		bus_remove(ide->io, ide->bm_base);
	if (base && bus_add(ide->io, base, 16, "piix-bmdma", &piix_bm_io_ops, ide))
		base = 0;	/* over another device's ports: not decoded */
	__atomic_store_n(&ide->bm_base, base, __ATOMIC_RELAXED);
}

int piix_ide_init(struct piix_ide *ide, struct pci_bus *pci, struct bus *io,
		  const struct guest_mem *mem, struct ata_channel *ch)
{
	struct pci_func *f = &ide->func;
	int ret;

	memset(ide, 0, sizeof(*ide));
	ide->pci = pci;
	ide->io = io;
	ide->mem = mem;
	ide->ch = ch;
	ide->bm.status = BM_ST_CAPABLE;

	/* Programming interface 80h: bus master, both channels in compatibility mode. */
	pci_func_init(f, PCI_DEVFN(1, 1), "piix3-ide", 0x8086, 0x7010, 0x010180, 0x00, 0x00);
	pci_func_io_bar(f, 4, 16, PIIX_IDE_BM_BASE);
	put_le16(&f->cfg[PCI_STATUS], 0x0280);		/* fast back-to-back, medium DEVSEL */
	memset(&f->wmask[IDETIM_PRIMARY], 0xff, 5);	/* IDETIM, SIDETIM */
	put_le16(&f->cfg[IDETIM_PRIMARY], IDETIM_DECODE);	/* primary on, secondary off */
	f->write_hook = piix_ide_write_hook;
	f->opaque = ide;

	ch->dma_capable = true;
	ch->dma_ready = piix_dma_ready;
	ch->dma_opaque = ide;
	ret = pci_bus_add(pci, f);
	if (!ret)
		ret = ata_attach(ch, io, ATA_PRIMARY_CMD, ATA_PRIMARY_CTL);
	if (ret)
		return ret;
	/* Firmware's work: BAR4 assigned, I/O and bus mastering enabled. */
	put_le16(&f->cfg[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	pthread_mutex_lock(&pci->lock);
	piix_ide_write_hook(f, PCI_COMMAND, 2);
	pthread_mutex_unlock(&pci->lock);
	return ide->bm_base ? 0 : -EEXIST;
}
