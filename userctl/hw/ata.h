/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One ATA channel (a cable with a master and a slave position) and the
 * hard disk on it, backed by a raw image file.
 *
 * The channel owns the command block registers (data, error/features,
 * sector count, LBA low/mid/high with their 48-bit "previous" copies,
 * device, status/command) and the control block (alternate status,
 * device control). The disk speaks the ATA/ATAPI-7 command set a stock
 * Linux's libata uses: IDENTIFY, SET FEATURES, SET MULTIPLE, PIO reads
 * and writes (single and multiple, 28 and 48-bit LBA), DMA reads and
 * writes (moved by the bus master of hw/piix_ide.c), VERIFY, FLUSH CACHE
 * (EXT), READ NATIVE MAX, power commands, EXECUTE DEVICE DIAGNOSTIC;
 * anything else aborts. Errors are the disk's: IDNF for sectors past the
 * end, UNC when the image cannot be read or written.
 *
 * The lock also covers the PIIX bus master state of the channel, so that
 * a DMA transfer sees the command and the bus master at once.
 */
#ifndef HW_ATA_H
#define HW_ATA_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/irq.h"

#define ATA_SECTOR		512
#define ATA_MAX_MULTI		16	/* sectors per DRQ block of READ MULTIPLE */

struct ata_drive {
	bool present;
	int fd;
	u64 sectors;
	u8 multi;		/* READ/WRITE MULTIPLE block, 0: disabled */
	bool wcache;		/* volatile write cache enabled */
	u8 xfer_mode;		/* SET FEATURES 03h value */
	char model[41];
	char serial[21];
	u64 sectors_read, sectors_written, flushes;
};

enum ata_xfer {
	ATA_XFER_NONE,
	ATA_XFER_PIO_IN,	/* DRQ: the host reads the buffer */
	ATA_XFER_PIO_OUT,	/* DRQ: the host fills the buffer */
	ATA_XFER_DMA,		/* waiting for the bus master */
};

struct ata_channel {
	pthread_mutex_t lock;	/* guards everything below and the bus master */
	struct ata_drive drive[2];
	bool dma_capable;	/* a bus master is attached */
	/* Command block; hob_* are the previous values (48-bit commands). */
	u8 feature, nsect, lbal, lbam, lbah;
	u8 hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
	u8 device, status, error, devctl;
	bool intrq;		/* the device asserts INTRQ */
	int irq_level;
	struct irq_line irq;
	/* The command in progress. */
	u8 cmd;
	enum ata_xfer xfer;
	u64 lba;		/* next sector to move */
	u32 left;		/* sectors after the current PIO block */
	u32 block;		/* sectors per PIO block */
	u8 buf[ATA_MAX_MULTI * ATA_SECTOR];
	u32 pos, len;		/* PIO position in buf */
	bool dma_to_disk;
	/* Called with the lock held when a DMA command waits for the bus master. */
	void (*dma_ready)(void *opaque);
	void *dma_opaque;
};

extern const struct io_ops ata_cmd_io_ops;
extern const struct io_ops ata_ctl_io_ops;

void ata_init(struct ata_channel *ch, struct irq_line irq);
void ata_destroy(struct ata_channel *ch);
/*
 * Puts a disk at position @unit (0 master, 1 slave), backed by @fd of
 * @bytes bytes (rounded down to whole sectors); @serial names it.
 */
void ata_attach_disk(struct ata_channel *ch, int unit, int fd, u64 bytes,
		     const char *serial);
/* Registers the command block at @cmd and the control block at @ctl. */
int ata_attach(struct ata_channel *ch, struct bus *bus, u16 cmd, u16 ctl);

/* The results of ata_dma_run_locked(). */
enum ata_dma_result {
	ATA_DMA_IDLE,		/* no DMA command waits */
	ATA_DMA_DONE,		/* moved and completed */
	ATA_DMA_SHORT,		/* the PRD table ended first: aborted */
	ATA_DMA_FAILED,		/* a bad guest address or a disk error */
};

/*
 * The bus master's side of a DMA command, lock held: moves the data
 * through the segments @next gives (1: a segment at *@hva of *@len bytes,
 * 0: no more, -1: a segment outside guest memory), in the direction the
 * bus master was told (@to_memory), then completes the command.
 */
enum ata_dma_result ata_dma_run_locked(struct ata_channel *ch, bool to_memory,
				       int (*next)(void *opaque, u8 **hva, u32 *len),
				       void *opaque);

#endif
