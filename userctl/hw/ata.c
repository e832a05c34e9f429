// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ATA channel and disk, after ATA/ATAPI-7 volume 1 (commands) and
 * volume 2 (the parallel transport's register protocols: PIO data-in,
 * PIO data-out, DMA, non-data, and the software reset).
 *
 * Commands finish at once, in the vCPU thread that wrote the command or
 * moved the last word, so BSY is never seen except during a software
 * reset. Interrupts follow the protocols: one per DRQ block of PIO data-in,
 * one per block after the first and at the end of PIO data-out, one at
 * the end of DMA and non-data commands. INTRQ clears on a status read or
 * a command write; nIEN masks the line.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ata.h"

/* Command block register offsets. */
#define REG_DATA	0
#define REG_ERROR	1	/* FEATURES on write */
#define REG_NSECT	2
#define REG_LBAL	3
#define REG_LBAM	4
#define REG_LBAH	5
#define REG_DEVICE	6
#define REG_STATUS	7	/* COMMAND on write */

#define ST_ERR		0x01
#define ST_DRQ		0x08
#define ST_DSC		0x10
#define ST_DRDY		0x40
#define ST_BSY		0x80
#define ST_READY	(ST_DRDY | ST_DSC)

#define ERR_ABRT	0x04
#define ERR_IDNF	0x10
#define ERR_UNC		0x40

#define DEV_LBA		0x40
#define DEV_DEV		0x10

#define CTL_NIEN	0x02
#define CTL_SRST	0x04
#define CTL_HOB		0x80

/* Default CHS geometry, for the identify words and CHS addressing. */
#define HEADS		16
#define SECTORS		63

static struct ata_drive *cur(struct ata_channel *ch)
{
	return &ch->drive[!!(ch->device & DEV_DEV)];
}

static void update_irq(struct ata_channel *ch)
{
	int level = ch->intrq && !(ch->devctl & CTL_NIEN);

	if (level != ch->irq_level) {
		ch->irq_level = level;
		irq_line_set(&ch->irq, level);
	}
}

static void raise_irq(struct ata_channel *ch)
{
	ch->intrq = true;
	update_irq(ch);
}

static void complete(struct ata_channel *ch)
{
	ch->xfer = ATA_XFER_NONE;
	ch->status = ST_READY;
	raise_irq(ch);
}

static void fail(struct ata_channel *ch, u8 error)
{
	ch->xfer = ATA_XFER_NONE;
	ch->error = error;
	ch->status = ST_READY | ST_ERR;
	raise_irq(ch);
}

/* Reports the failing sector in the LBA registers, then fails. */
static void fail_at(struct ata_channel *ch, u8 error, u64 lba, bool lba48)
{
	ch->lbal = lba;
	ch->lbam = lba >> 8;
	ch->lbah = lba >> 16;
	if (lba48) {
		ch->hob_lbal = lba >> 24;
		ch->hob_lbam = lba >> 32;
		ch->hob_lbah = lba >> 40;
	} else {
		ch->device = (ch->device & 0xf0) | ((lba >> 24) & 0x0f);
	}
	fail(ch, error);
}

/* Image I/O, whole or failed; a short read past a shrunken image is zeros. */
static int disk_io(struct ata_drive *d, void *buf, u64 len, u64 off, bool write)
{
	u8 *p = buf;
	ssize_t n;

	while (len) {
		if (write)
			n = pwrite(d->fd, p, len, off);
		else
			n = pread(d->fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (write)
				return -EIO;
			memset(p, 0, len);
			break;
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static void put_string(u16 *id, int word, const char *s, int len)
{
	int i;

	/* ATA strings: space-padded, two characters per word, first in the high byte. */
	for (i = 0; i < len; i += 2) {
		u8 hi = *s ? *s++ : ' ';
		u8 lo = *s ? *s++ : ' ';

		id[word + i / 2] = hi << 8 | lo;
	}
}

static void identify(struct ata_channel *ch, struct ata_drive *d, u16 *id)
{
	u64 lba28 = d->sectors > 0x0fffffff ? 0x0fffffff : d->sectors;
	u64 cyls = d->sectors / (HEADS * SECTORS);
	u8 mode = d->xfer_mode, sum = 0;
	int i;

	if (cyls > 16383)
		cyls = 16383;
	memset(id, 0, ATA_SECTOR);
	id[0] = 0x0040;				/* fixed disk */
	id[1] = cyls;
	id[3] = HEADS;
	id[6] = SECTORS;
	put_string(id, 10, d->serial, 20);
	put_string(id, 23, "1.0", 8);
	put_string(id, 27, d->model, 40);
	id[47] = 0x8000 | ATA_MAX_MULTI;
	id[49] = BIT(9) | (ch->dma_capable ? BIT(8) : 0);	/* LBA, DMA */
	id[50] = 0x4000;
	id[51] = 0x0200;			/* PIO timing mode 2 */
	id[53] = 0x0007;			/* words 54-58, 64-70 and 88 valid */
	id[54] = cyls;
	id[55] = HEADS;
	id[56] = SECTORS;
	id[57] = cyls * HEADS * SECTORS;
	id[58] = (cyls * HEADS * SECTORS) >> 16;
	id[59] = 0x0100 | d->multi;		/* the multiple setting is valid */
	id[60] = lba28;
	id[61] = lba28 >> 16;
	if (ch->dma_capable) {
		id[63] = 0x0007 | ((mode >> 3) == 4 ? BIT(8 + (mode & 7)) : 0);
		id[88] = 0x003f | ((mode >> 3) == 8 ? BIT(8 + (mode & 7)) : 0);
	}
	id[64] = 0x0003;			/* PIO modes 3 and 4 */
	id[65] = 120;
	id[66] = 120;
	id[67] = 120;
	id[68] = 120;
	id[80] = 0x00f0;			/* ATA-4 to ATA-7 */
	id[82] = BIT(14) | BIT(5);		/* NOP, write cache */
	id[83] = BIT(14) | BIT(13) | BIT(12) | BIT(10);	/* FLUSH EXT, FLUSH, LBA48 */
	id[84] = BIT(14);
	id[85] = BIT(14) | (d->wcache ? BIT(5) : 0);
	id[86] = BIT(13) | BIT(12) | BIT(10);
	id[87] = BIT(14);
	id[100] = d->sectors;
	id[101] = d->sectors >> 16;
	id[102] = d->sectors >> 32;
	id[103] = d->sectors >> 48;
	id[106] = 0x4000;			/* 512-byte sectors */
	/* Integrity word: signature A5h, then the checksum of all 512 bytes. */
	id[255] = 0x00a5;
	for (i = 0; i < ATA_SECTOR; i++)
		sum += ((u8 *)id)[i];
	id[255] |= (u8)-sum << 8;
	for (i = 0; i < 256; i++)		/* little endian on the wire */
		put_le16(&id[i], id[i]);
}

/* The software reset's and the diagnostic's register signature. */
static void set_signature(struct ata_channel *ch)
{
	ch->nsect = 1;
	ch->lbal = 1;
	ch->lbam = 0;
	ch->lbah = 0;
	ch->device = 0;
	ch->error = 0x01;		/* device 0 passed, device 1 absent */
	ch->status = ch->drive[0].present ? ST_READY : 0;
}

/* Loads the next PIO data-in block and interrupts; false after an error. */
static bool pio_in_block(struct ata_channel *ch)
{
	struct ata_drive *d = cur(ch);
	u32 n = ch->left < ch->block ? ch->left : ch->block;

	if (disk_io(d, ch->buf, (u64)n * ATA_SECTOR, ch->lba * ATA_SECTOR, false)) {
		fail_at(ch, ERR_UNC, ch->lba, ch->cmd == 0x24 || ch->cmd == 0x29);
		return false;
	}
	d->sectors_read += n;
	ch->lba += n;
	ch->left -= n;
	ch->pos = 0;
	ch->len = n * ATA_SECTOR;
	ch->xfer = ATA_XFER_PIO_IN;
	ch->status = ST_READY | ST_DRQ;
	raise_irq(ch);
	return true;
}

static void pio_out_block(struct ata_channel *ch)
{
	u32 n = ch->left < ch->block ? ch->left : ch->block;

	ch->pos = 0;
	ch->len = n * ATA_SECTOR;
	ch->xfer = ATA_XFER_PIO_OUT;
	ch->status = ST_READY | ST_DRQ;
}

/* The host filled the buffer: write it, then ask for more or finish. */
static void pio_out_done(struct ata_channel *ch)
{
	struct ata_drive *d = cur(ch);
	u32 n = ch->len / ATA_SECTOR;

	if (disk_io(d, ch->buf, ch->len, ch->lba * ATA_SECTOR, true)) {
		fail_at(ch, ERR_UNC, ch->lba, ch->cmd == 0x34 || ch->cmd == 0x39);
		return;
	}
	d->sectors_written += n;
	ch->lba += n;
	ch->left -= n;
	if (!ch->left) {
		complete(ch);
		return;
	}
	pio_out_block(ch);
	raise_irq(ch);
}

/* The host read the whole buffer. */
static void pio_in_done(struct ata_channel *ch)
{
	if (ch->left) {
		pio_in_block(ch);
		return;
	}
	ch->xfer = ATA_XFER_NONE;
	ch->status = ST_READY;		/* no interrupt after the last block */
}

/* The address and count of a read/write command; false if out of range. */
static bool rw_params(struct ata_channel *ch, bool lba48, u64 *lba, u32 *count)
{
	struct ata_drive *d = cur(ch);
	u64 cyl;

	if (lba48) {
		*lba = (u64)ch->hob_lbah << 40 | (u64)ch->hob_lbam << 32 |
		       (u64)ch->hob_lbal << 24 | ch->lbah << 16 | ch->lbam << 8 | ch->lbal;
		*count = ch->hob_nsect << 8 | ch->nsect;
		if (!*count)
			*count = 65536;
	} else {
		if (ch->device & DEV_LBA) {
			*lba = (u64)(ch->device & 0x0f) << 24 | ch->lbah << 16 |
			       ch->lbam << 8 | ch->lbal;
		} else {
			cyl = ch->lbah << 8 | ch->lbam;
			if (!ch->lbal || ch->lbal > SECTORS || (ch->device & 0x0f) >= HEADS)
				return false;
			*lba = (cyl * HEADS + (ch->device & 0x0f)) * SECTORS + ch->lbal - 1;
		}
		*count = ch->nsect ? ch->nsect : 256;
	}
	return *lba < d->sectors && *count <= d->sectors - *lba;
}

static void cmd_rw(struct ata_channel *ch, bool lba48, bool write, u32 block, bool dma)
{
	struct ata_drive *d = cur(ch);
	u64 lba = 0;
	u32 count = 0;

	if (!block || (dma && !ch->dma_capable)) {
		fail(ch, ERR_ABRT);
		return;
	}
	if (!rw_params(ch, lba48, &lba, &count)) {
		fail_at(ch, ERR_IDNF | ERR_ABRT, lba < d->sectors ? d->sectors : lba, lba48);
		return;
	}
	ch->lba = lba;
	ch->left = count;
	ch->block = block;
	if (dma) {
		ch->xfer = ATA_XFER_DMA;
		ch->dma_to_disk = write;
		ch->status = ST_READY | ST_DRQ;
		if (ch->dma_ready)
			ch->dma_ready(ch->dma_opaque);
	} else if (write) {
		pio_out_block(ch);	/* no interrupt before the first block */
	} else {
		pio_in_block(ch);
	}
}

static void cmd_verify(struct ata_channel *ch, bool lba48)
{
	u64 lba = 0;
	u32 count = 0;

	if (!rw_params(ch, lba48, &lba, &count))
		fail_at(ch, ERR_IDNF | ERR_ABRT, lba, lba48);
	else
		complete(ch);
}

static void cmd_flush(struct ata_channel *ch)
{
	struct ata_drive *d = cur(ch);

	d->flushes++;
	if (fdatasync(d->fd) && errno != EINVAL && errno != EROFS)
		fail(ch, ERR_ABRT);
	else
		complete(ch);
}

static void cmd_set_features(struct ata_channel *ch)
{
	struct ata_drive *d = cur(ch);
	u8 mode = ch->nsect;

	switch (ch->feature) {
	case 0x02:		/* enable the write cache */
	case 0x82:		/* disable it */
		d->wcache = ch->feature == 0x02;
		break;
	case 0x03:		/* set the transfer mode */
		if (mode > 0x01 && !(mode >= 0x08 && mode <= 0x0c) &&
		    !(ch->dma_capable && ((mode >= 0x20 && mode <= 0x22) ||
					  (mode >= 0x40 && mode <= 0x45)))) {
			fail(ch, ERR_ABRT);
			return;
		}
		d->xfer_mode = mode;
		break;
	case 0x55:		/* read look-ahead off, on */
	case 0xaa:
	case 0x66:		/* power-on defaults off, on */
	case 0xcc:
		break;
	default:
		fail(ch, ERR_ABRT);
		return;
	}
	complete(ch);
}

static void cmd_set_multiple(struct ata_channel *ch)
{
	u8 n = ch->nsect;

	/* 0 disables; otherwise a power of two the disk supports. */
	if (n > ATA_MAX_MULTI || (n & (n - 1))) {
		fail(ch, ERR_ABRT);
		return;
	}
	cur(ch)->multi = n;
	complete(ch);
}

static void cmd_native_max(struct ata_channel *ch, bool lba48)
{
	u64 max = cur(ch)->sectors - 1;

	if (!lba48 && max > 0x0fffffff)
		max = 0x0fffffff;
	ch->lbal = max;
	ch->lbam = max >> 8;
	ch->lbah = max >> 16;
	if (lba48) {
		ch->hob_lbal = max >> 24;
		ch->hob_lbam = max >> 32;
		ch->hob_lbah = max >> 40;
	} else {
		ch->device = (ch->device & 0xf0) | ((max >> 24) & 0x0f);
	}
	complete(ch);
}

static void ata_command(struct ata_channel *ch, u8 cmd)
{
	struct ata_drive *d = cur(ch);

	if (cmd == 0x90) {		/* EXECUTE DEVICE DIAGNOSTIC: both devices */
		set_signature(ch);
		raise_irq(ch);
		return;
	}
	if (!d->present)
		return;
	ch->intrq = false;
	update_irq(ch);
	ch->cmd = cmd;
	ch->error = 0;
	ch->xfer = ATA_XFER_NONE;
	switch (cmd) {
	case 0xec:		/* IDENTIFY DEVICE */
		identify(ch, d, (u16 *)ch->buf);
		ch->pos = 0;
		ch->len = ATA_SECTOR;
		ch->left = 0;
		ch->xfer = ATA_XFER_PIO_IN;
		ch->status = ST_READY | ST_DRQ;
		raise_irq(ch);
		break;
	case 0x20:		/* READ SECTORS (with and without retry) */
	case 0x21:
		cmd_rw(ch, false, false, 1, false);
		break;
	case 0x24:		/* READ SECTORS EXT */
		cmd_rw(ch, true, false, 1, false);
		break;
	case 0xc4:		/* READ MULTIPLE */
		cmd_rw(ch, false, false, d->multi, false);
		break;
	case 0x29:		/* READ MULTIPLE EXT */
		cmd_rw(ch, true, false, d->multi, false);
		break;
	case 0x30:		/* WRITE SECTORS */
	case 0x31:
		cmd_rw(ch, false, true, 1, false);
		break;
	case 0x34:		/* WRITE SECTORS EXT */
		cmd_rw(ch, true, true, 1, false);
		break;
	case 0xc5:		/* WRITE MULTIPLE */
		cmd_rw(ch, false, true, d->multi, false);
		break;
	case 0x39:		/* WRITE MULTIPLE EXT */
		cmd_rw(ch, true, true, d->multi, false);
		break;
	case 0xc8:		/* READ DMA */
	case 0xc9:
		cmd_rw(ch, false, false, 1, true);
		break;
	case 0x25:		/* READ DMA EXT */
		cmd_rw(ch, true, false, 1, true);
		break;
	case 0xca:		/* WRITE DMA */
	case 0xcb:
		cmd_rw(ch, false, true, 1, true);
		break;
	case 0x35:		/* WRITE DMA EXT */
		cmd_rw(ch, true, true, 1, true);
		break;
	case 0x40:		/* READ VERIFY SECTORS */
	case 0x41:
		cmd_verify(ch, false);
		break;
	case 0x42:		/* READ VERIFY SECTORS EXT */
		cmd_verify(ch, true);
		break;
	case 0xe7:		/* FLUSH CACHE */
	case 0xea:		/* FLUSH CACHE EXT */
		cmd_flush(ch);
		break;
	case 0xef:
		cmd_set_features(ch);
		break;
	case 0xc6:
		cmd_set_multiple(ch);
		break;
	case 0xf8:		/* READ NATIVE MAX ADDRESS */
		cmd_native_max(ch, false);
		break;
	case 0x27:		/* READ NATIVE MAX ADDRESS EXT */
		cmd_native_max(ch, true);
		break;
	case 0xe5:		/* CHECK POWER MODE: active */
	case 0x98:
		ch->nsect = 0xff;
		complete(ch);
		break;
	case 0x91:		/* INITIALIZE DEVICE PARAMETERS */
	case 0x70:		/* SEEK */
	case 0xe0:		/* STANDBY IMMEDIATE, IDLE IMMEDIATE, STANDBY, IDLE */
	case 0xe1:
	case 0xe2:
	case 0xe3:
	case 0x94:
	case 0x95:
	case 0x96:
	case 0x97:
		complete(ch);
		break;
	default:
		if ((cmd & 0xf0) == 0x10)	/* RECALIBRATE */
			complete(ch);
		else
			fail(ch, ERR_ABRT);
		break;
	}
}

static void soft_reset(struct ata_channel *ch, u8 devctl)
{
	if ((devctl & CTL_SRST) && !(ch->devctl & CTL_SRST)) {
		ch->xfer = ATA_XFER_NONE;
		ch->status = ST_BSY;
		ch->intrq = false;
	} else if (!(devctl & CTL_SRST) && (ch->devctl & CTL_SRST)) {
		set_signature(ch);
	}
}

static bool no_drive(const struct ata_channel *ch)
{
	return !ch->drive[0].present && !ch->drive[1].present;
}

static u8 read_reg(struct ata_channel *ch, unsigned int reg)
{
	bool hob = ch->devctl & CTL_HOB;

	if (no_drive(ch))
		return 0xff;		/* nothing drives the bus */
	if (!cur(ch)->present && reg != REG_DEVICE)
		return 0;		/* the absent device reads as zeros */
	switch (reg) {
	case REG_ERROR:
		return ch->error;
	case REG_NSECT:
		return hob ? ch->hob_nsect : ch->nsect;
	case REG_LBAL:
		return hob ? ch->hob_lbal : ch->lbal;
	case REG_LBAM:
		return hob ? ch->hob_lbam : ch->lbam;
	case REG_LBAH:
		return hob ? ch->hob_lbah : ch->lbah;
	case REG_DEVICE:
		return ch->device;
	default:
		ch->intrq = false;
		update_irq(ch);
		return ch->status;
	}
}

static void write_reg(struct ata_channel *ch, unsigned int reg, u8 val)
{
	if (ch->status & ST_BSY)
		return;			/* ignored during a reset */
	if (reg >= REG_ERROR && reg <= REG_LBAH)
		ch->devctl &= ~CTL_HOB;
	switch (reg) {
	case REG_ERROR:
		ch->hob_feature = ch->feature;
		ch->feature = val;
		break;
	case REG_NSECT:
		ch->hob_nsect = ch->nsect;
		ch->nsect = val;
		break;
	case REG_LBAL:
		ch->hob_lbal = ch->lbal;
		ch->lbal = val;
		break;
	case REG_LBAM:
		ch->hob_lbam = ch->lbam;
		ch->lbam = val;
		break;
	case REG_LBAH:
		ch->hob_lbah = ch->lbah;
		ch->lbah = val;
		break;
	case REG_DEVICE:
		ch->device = val;
		update_irq(ch);
		break;
	default:
		ata_command(ch, val);
		break;
	}
}

/* Moves PIO data between the buffer and @data; returns bytes moved. */
static u32 pio_move(struct ata_channel *ch, void *data, u32 bytes, bool is_write)
{
	u32 done = 0, n;

	while (done < bytes) {
		if (is_write ? ch->xfer != ATA_XFER_PIO_OUT : ch->xfer != ATA_XFER_PIO_IN)
			break;
		n = ch->len - ch->pos;
		if (n > bytes - done)
			n = bytes - done;
		if (is_write)
			memcpy(ch->buf + ch->pos, (u8 *)data + done, n);
		else
			memcpy((u8 *)data + done, ch->buf + ch->pos, n);
		ch->pos += n;
		done += n;
		if (ch->pos == ch->len) {
			if (is_write)
				pio_out_done(ch);
			else
				pio_in_done(ch);
		}
	}
	return done;
}

static u32 ata_cmd_in(void *dev, u16 port, unsigned int size)
{
	struct ata_channel *ch = dev;
	u32 val = 0;

	pthread_mutex_lock(&ch->lock);
	if ((port & 7) == REG_DATA)
		pio_move(ch, &val, size, false);
	else
		val = read_reg(ch, port & 7);
	pthread_mutex_unlock(&ch->lock);
	return val;
}

static void ata_cmd_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct ata_channel *ch = dev;
	u8 bytes[4];

	pthread_mutex_lock(&ch->lock);
	if ((port & 7) == REG_DATA) {
		put_le32(bytes, val);
		pio_move(ch, bytes, size, true);
	} else {
		write_reg(ch, port & 7, val);
	}
	pthread_mutex_unlock(&ch->lock);
}

static void ata_in_string(void *dev, u16 port, unsigned int size, void *data, u32 count)
{
	struct ata_channel *ch = dev;
	u32 done;

	pthread_mutex_lock(&ch->lock);
	if ((port & 7) == REG_DATA) {
		done = pio_move(ch, data, size * count, false);
		memset((u8 *)data + done, 0, size * count - done);
	} else {
		for (done = 0; done < count; done++)
			memset((u8 *)data + done * size, read_reg(ch, port & 7), size);
	}
	pthread_mutex_unlock(&ch->lock);
}

static void ata_out_string(void *dev, u16 port, unsigned int size, const void *data,
			   u32 count)
{
	struct ata_channel *ch = dev;
	u32 i;

	pthread_mutex_lock(&ch->lock);
	if ((port & 7) == REG_DATA)
		pio_move(ch, (void *)data, size * count, true);
	else
		for (i = 0; i < count; i++)
			write_reg(ch, port & 7, ((const u8 *)data)[i * size]);
	pthread_mutex_unlock(&ch->lock);
}

const struct io_ops ata_cmd_io_ops = {
	.in = ata_cmd_in,
	.out = ata_cmd_out,
	.in_string = ata_in_string,
	.out_string = ata_out_string,
};

static u32 ata_ctl_in(void *dev, u16 port, unsigned int size)
{
	struct ata_channel *ch = dev;
	u8 val;

	(void)port;
	(void)size;
	pthread_mutex_lock(&ch->lock);
	if (no_drive(ch))
		val = 0xff;
	else
		val = cur(ch)->present ? ch->status : 0;	/* alternate status */
	pthread_mutex_unlock(&ch->lock);
	return val;
}

static void ata_ctl_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct ata_channel *ch = dev;

	(void)port;
	(void)size;
	pthread_mutex_lock(&ch->lock);
	soft_reset(ch, val);
	ch->devctl = val;
	update_irq(ch);
	pthread_mutex_unlock(&ch->lock);
}

const struct io_ops ata_ctl_io_ops = {
	.in = ata_ctl_in,
	.out = ata_ctl_out,
};

enum ata_dma_result ata_dma_run_locked(struct ata_channel *ch, bool to_memory,
				       int (*next)(void *opaque, u8 **hva, u32 *len),
				       void *opaque)
{
	struct ata_drive *d = cur(ch);
	u64 total, done = 0, off, n;
	bool lba48 = ch->cmd == 0x25 || ch->cmd == 0x35;
	u32 len;
	u8 *hva;
	int r;

	if (ch->xfer != ATA_XFER_DMA)
		return ATA_DMA_IDLE;
	if (to_memory == ch->dma_to_disk) {	/* the bus master goes the other way */
		fail(ch, ERR_ABRT);
		return ATA_DMA_FAILED;
	}
	total = (u64)ch->left * ATA_SECTOR;
	off = ch->lba * ATA_SECTOR;
	while (done < total) {
		r = next(opaque, &hva, &len);
		if (r <= 0) {
			fail(ch, ERR_ABRT);
			return r ? ATA_DMA_FAILED : ATA_DMA_SHORT;
		}
		n = len < total - done ? len : total - done;
		if (disk_io(d, hva, n, off + done, ch->dma_to_disk)) {
			fail_at(ch, ERR_UNC, (off + done) / ATA_SECTOR, lba48);
			return ATA_DMA_FAILED;
		}
		done += n;
	}
	if (ch->dma_to_disk)
		d->sectors_written += ch->left;
	else
		d->sectors_read += ch->left;
	ch->lba += ch->left;
	ch->left = 0;
	complete(ch);
	return ATA_DMA_DONE;
}

void ata_init(struct ata_channel *ch, struct irq_line irq)
{
	memset(ch, 0, sizeof(*ch));
	pthread_mutex_init(&ch->lock, NULL);
	ch->irq = irq;
	ch->drive[0].fd = -1;
	ch->drive[1].fd = -1;
	set_signature(ch);
}

void ata_destroy(struct ata_channel *ch)
{
	pthread_mutex_destroy(&ch->lock);
}

void ata_attach_disk(struct ata_channel *ch, int unit, int fd, u64 bytes,
		     const char *serial)
{
	struct ata_drive *d = &ch->drive[unit];

	d->present = true;
	d->fd = fd;
	d->sectors = bytes / ATA_SECTOR;
	d->wcache = true;
	d->multi = ATA_MAX_MULTI;
	strcpy(d->model, "VIREO HARDDISK");
	strncpy(d->serial, serial, sizeof(d->serial) - 1);
	set_signature(ch);
}

int ata_attach(struct ata_channel *ch, struct bus *bus, u16 cmd, u16 ctl)
{
	int ret = bus_add(bus, cmd, 8, "ata", &ata_cmd_io_ops, ch);

	return ret ? ret : bus_add(bus, ctl, 1, "ata-ctl", &ata_ctl_io_ops, ch);
}
