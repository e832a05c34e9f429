// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ATA disk and the PIIX3 IDE function of vireoctl run
 * (userctl/hw/ata.c, userctl/hw/piix_ide.c), driven the way libata's
 * ata_piix drives them: software reset and signature, IDENTIFY, PIO
 * data-in and data-out (single and multiple, 28 and 48-bit LBA, CHS), DMA
 * through the bus master and a PRD table, and the errors (IDNF past the
 * end, ABRT for unknown commands, short or bad PRD tables). The disk is a
 * sparse temporary file whose sectors carry their own LBA.
 */
#include <stdlib.h>
#include <unistd.h>

#include "vmm_test.h"
#include "hw/ata.h"
#include "hw/piix_ide.h"

#define NSECT		4096ULL			/* the small image */
#define BIG_NSECT	BIT_ULL(29)		/* 256 GiB sparse: past LBA28 */

static struct ata_channel ch;
static struct irq_rec rec;
static int disk_fd = -1;
static u64 disk_sectors;

static u8 pattern(u64 lba, unsigned int i)
{
	return i < 8 ? lba >> (8 * i) : (u8)(lba * 7 + i);
}

static void fill_sector(u8 *buf, u64 lba)
{
	unsigned int i;

	for (i = 0; i < ATA_SECTOR; i++)
		buf[i] = pattern(lba, i);
}

static bool sector_ok(const u8 *buf, u64 lba)
{
	unsigned int i;

	for (i = 0; i < ATA_SECTOR; i++)
		if (buf[i] != pattern(lba, i))
			return false;
	return true;
}

/* A fresh image: @n sectors, patterned at the start and at @extra_lba. */
static void make_disk(u64 n, u64 extra_lba)
{
	char path[] = "/tmp/vireo-ide-test-XXXXXX";
	u8 buf[ATA_SECTOR];
	u64 lba;

	if (disk_fd >= 0)
		close(disk_fd);
	disk_fd = mkstemp(path);
	if (disk_fd < 0)
		tap_bail("mkstemp: cannot make a disk image in /tmp");
	unlink(path);
	if (ftruncate(disk_fd, n * ATA_SECTOR))
		tap_bail("ftruncate of the disk image failed");
	for (lba = 0; lba < 64; lba++) {
		fill_sector(buf, lba);
		if (pwrite(disk_fd, buf, ATA_SECTOR, lba * ATA_SECTOR) != ATA_SECTOR)
			tap_bail("pwrite to the disk image failed");
	}
	if (extra_lba) {
		fill_sector(buf, extra_lba);
		if (pwrite(disk_fd, buf, ATA_SECTOR, extra_lba * ATA_SECTOR) != ATA_SECTOR)
			tap_bail("pwrite to the disk image failed");
	}
	disk_sectors = n;
}

static void setup_n(u64 n, u64 extra_lba)
{
	memset(&rec, 0, sizeof(rec));
	make_disk(n, extra_lba);
	ata_init(&ch, irq_rec_line(&rec, 14));
	ata_attach_disk(&ch, 0, disk_fd, n * ATA_SECTOR, "VIREO0001");
}

static void setup(void)
{
	setup_n(NSECT, 0);
}

static void outb(unsigned int reg, u8 val)
{
	ata_cmd_io_ops.out(&ch, 0x1f0 + reg, 1, val);
}

static u8 inb(unsigned int reg)
{
	return ata_cmd_io_ops.in(&ch, 0x1f0 + reg, 1);
}

static void ctl(u8 val)
{
	ata_ctl_io_ops.out(&ch, 0x3f6, 1, val);
}

static u8 altstatus(void)
{
	return ata_ctl_io_ops.in(&ch, 0x3f6, 1);
}

/* REP INSW of @bytes, in chunks of 2 KiB as the kernel splits it. */
static void insw(u8 *buf, u32 bytes)
{
	u32 n;

	while (bytes) {
		n = bytes < 2048 ? bytes : 2048;
		ata_cmd_io_ops.in_string(&ch, 0x1f0, 2, buf, n / 2);
		buf += n;
		bytes -= n;
	}
}

static void outsw(const u8 *buf, u32 bytes)
{
	u32 n;

	while (bytes) {
		n = bytes < 2048 ? bytes : 2048;
		ata_cmd_io_ops.out_string(&ch, 0x1f0, 2, buf, n / 2);
		buf += n;
		bytes -= n;
	}
}

static void lba28(u32 lba, u8 count, u8 cmd)
{
	outb(6, 0xe0 | (lba >> 24 & 0x0f));
	outb(2, count);
	outb(3, lba);
	outb(4, lba >> 8);
	outb(5, lba >> 16);
	outb(7, cmd);
}

static void lba48(u64 lba, u16 count, u8 cmd)
{
	outb(6, 0x40);
	outb(2, count >> 8);
	outb(3, lba >> 24);
	outb(4, lba >> 32);
	outb(5, lba >> 40);
	outb(2, count);
	outb(3, lba);
	outb(4, lba >> 8);
	outb(5, lba >> 16);
	outb(7, cmd);
}

static bool test_reset_signature(void)
{
	setup();
	ctl(0x04);
	EXPECT(altstatus() & 0x80, "BSY not set during SRST");
	ctl(0x00);
	EXPECT(inb(2) == 1 && inb(3) == 1 && inb(4) == 0 && inb(5) == 0,
	       "signature %02x %02x %02x %02x", inb(2), inb(3), inb(4), inb(5));
	EXPECT(inb(1) == 0x01, "error %#x: want diagnostic code 01", inb(1));
	EXPECT(inb(7) == 0x50, "status %#x", inb(7));
	return true;
}

static bool test_absent_slave(void)
{
	setup();
	/* libata's ata_devchk() on device 1: what it writes must not read back. */
	outb(6, 0xb0);
	outb(2, 0x55);
	outb(3, 0xaa);
	EXPECT(inb(2) == 0 && inb(3) == 0 && inb(7) == 0, "the absent slave answers");
	outb(6, 0xa0);
	EXPECT(inb(7) == 0x50, "the master's status %#x", inb(7));
	return true;
}

static bool test_identify(void)
{
	u16 id[256];
	u8 sum = 0;
	int i;

	setup();
	outb(6, 0xa0);
	outb(7, 0xec);
	EXPECT(rec.level[14] && (altstatus() & 0x08), "no DRQ or IRQ after IDENTIFY");
	EXPECT(inb(7) == 0x58 && rec.level[14] == 0, "status read did not clear INTRQ");
	insw((u8 *)id, 512);
	EXPECT(inb(7) == 0x50, "status %#x after the data", inb(7));
	EXPECT(id[0] == 0x0040, "word 0 %#x", id[0]);
	EXPECT(id[27] == ('V' << 8 | 'I') && id[28] == ('R' << 8 | 'E'), "model string");
	EXPECT(id[83] & BIT(10), "no LBA48 in word 83");
	EXPECT(id[100] == NSECT && id[101] == 0 && id[60] == NSECT, "capacity words");
	EXPECT(id[47] == 0x8010 && id[59] == 0x0110, "multiple: %#x %#x", id[47], id[59]);
	for (i = 0; i < 512; i++)
		sum += ((u8 *)id)[i];
	EXPECT((id[255] & 0xff) == 0xa5 && sum == 0, "integrity word %#x, sum %u",
	       id[255], sum);
	EXPECT(!(id[49] & BIT(8)), "DMA advertised without a bus master");
	return true;
}

static bool test_read_sectors(void)
{
	u8 buf[2 * ATA_SECTOR];

	setup();
	lba28(10, 2, 0x20);
	EXPECT(rec.rises[14] == 1, "%d interrupts for the first block", rec.rises[14]);
	inb(7);
	insw(buf, ATA_SECTOR);
	EXPECT(rec.rises[14] == 2, "%d interrupts: want one per sector", rec.rises[14]);
	inb(7);
	insw(buf + ATA_SECTOR, ATA_SECTOR);
	EXPECT(sector_ok(buf, 10) && sector_ok(buf + ATA_SECTOR, 11), "data");
	EXPECT(inb(7) == 0x50 && rec.rises[14] == 2, "status %#x, %d interrupts at the end",
	       inb(7), rec.rises[14]);
	return true;
}

static bool test_read_multiple_ext(void)
{
	static u8 buf[20 * ATA_SECTOR];
	int i;

	setup();
	lba48(30, 20, 0x29);
	inb(7);
	insw(buf, 16 * ATA_SECTOR);
	EXPECT(rec.rises[14] == 2, "%d interrupts after the first block", rec.rises[14]);
	inb(7);
	insw(buf + 16 * ATA_SECTOR, 4 * ATA_SECTOR);
	for (i = 0; i < 20; i++)
		EXPECT(sector_ok(buf + i * ATA_SECTOR, 30 + i), "sector %d", 30 + i);
	EXPECT(inb(7) == 0x50, "status %#x", inb(7));
	return true;
}

static bool test_write_sectors_ext(void)
{
	u8 buf[3 * ATA_SECTOR], back[ATA_SECTOR];
	int i;

	setup();
	for (i = 0; i < 3; i++)
		fill_sector(buf + i * ATA_SECTOR, 1000 + i);
	lba48(100, 3, 0x34);
	EXPECT(rec.rises[14] == 0 && (inb(7) & 0x08), "the first block: DRQ, no IRQ");
	outsw(buf, ATA_SECTOR);
	EXPECT(rec.rises[14] == 1, "no IRQ for the second block");
	inb(7);
	outsw(buf + ATA_SECTOR, ATA_SECTOR);
	inb(7);
	outsw(buf + 2 * ATA_SECTOR, ATA_SECTOR);
	EXPECT(rec.rises[14] == 3 && inb(7) == 0x50, "%d interrupts, status at the end",
	       rec.rises[14]);
	for (i = 0; i < 3; i++) {
		EXPECT(pread(disk_fd, back, ATA_SECTOR, (100 + i) * ATA_SECTOR) == ATA_SECTOR,
		       "pread");
		EXPECT(sector_ok(back, 1000 + i), "sector %d on the image", 100 + i);
	}
	return true;
}

static bool test_write_multiple(void)
{
	static u8 buf[20 * ATA_SECTOR], back[20 * ATA_SECTOR];
	int i;

	setup();
	for (i = 0; i < 20; i++)
		fill_sector(buf + i * ATA_SECTOR, 5000 + i);
	lba28(200, 20, 0xc5);
	outsw(buf, 16 * ATA_SECTOR);
	EXPECT(rec.rises[14] == 1 && (inb(7) & 0x08), "a second block expected");
	outsw(buf + 16 * ATA_SECTOR, 4 * ATA_SECTOR);
	EXPECT(rec.rises[14] == 2 && inb(7) == 0x50, "completion");
	EXPECT(pread(disk_fd, back, sizeof(back), 200 * ATA_SECTOR) == sizeof(back), "pread");
	EXPECT(!memcmp(buf, back, sizeof(buf)), "image contents");
	return true;
}

static bool test_out_of_range(void)
{
	setup();
	lba48(NSECT - 1, 2, 0x24);
	EXPECT(inb(7) == 0x51 && inb(1) == 0x14, "status %#x error %#x: want IDNF|ABRT",
	       inb(7), inb(1));
	EXPECT(rec.rises[14] == 1, "no interrupt for the error");
	lba28(NSECT - 1, 1, 0x20);
	EXPECT(inb(7) == 0x58, "the last sector is readable");
	return true;
}

static bool test_unknown_command(void)
{
	setup();
	outb(7, 0xb0);			/* SMART: not supported */
	EXPECT(inb(7) == 0x51 && inb(1) == 0x04, "status %#x error %#x", inb(7), inb(1));
	outb(7, 0x00);			/* NOP always aborts */
	EXPECT(inb(1) == 0x04, "NOP");
	return true;
}

static bool test_set_multiple(void)
{
	u16 id[256];

	setup();
	outb(2, 3);
	outb(7, 0xc6);
	EXPECT(inb(7) == 0x51, "SET MULTIPLE 3 accepted");
	outb(2, 8);
	outb(7, 0xc6);
	EXPECT(inb(7) == 0x50, "SET MULTIPLE 8 refused");
	outb(7, 0xec);
	insw((u8 *)id, 512);
	EXPECT(id[59] == 0x0108, "word 59 %#x", id[59]);
	outb(2, 0);
	outb(7, 0xc6);
	lba28(0, 1, 0xc4);
	EXPECT(inb(7) == 0x51, "READ MULTIPLE with multiple mode off");
	return true;
}

static bool test_hob(void)
{
	setup();
	outb(2, 0x12);
	outb(2, 0x34);
	ctl(0x80);
	EXPECT(inb(2) == 0x12, "HOB nsect %#x", inb(2));
	ctl(0x00);
	EXPECT(inb(2) == 0x34, "nsect %#x", inb(2));
	return true;
}

static bool test_nien(void)
{
	setup();
	ctl(0x02);
	outb(7, 0xe7);
	EXPECT(rec.level[14] == 0, "nIEN did not mask INTRQ");
	ctl(0x00);
	EXPECT(rec.level[14] == 1, "INTRQ lost while masked");
	EXPECT(ch.drive[0].flushes == 1, "FLUSH CACHE did not flush");
	return true;
}

static bool test_lba48_high(void)
{
	u64 lba = (1ULL << 28) + 12345;
	u8 buf[ATA_SECTOR];

	setup_n(BIG_NSECT, lba);
	lba48(lba, 1, 0x24);
	insw(buf, ATA_SECTOR);
	EXPECT(sector_ok(buf, lba), "sector %#llx", (unsigned long long)lba);
	outb(7, 0x27);			/* READ NATIVE MAX ADDRESS EXT */
	ctl(0x80);
	EXPECT(inb(3) == 0x1f && inb(4) == 0 && inb(5) == 0, "HOB max LBA %02x %02x %02x",
	       inb(3), inb(4), inb(5));
	ctl(0x00);
	EXPECT(inb(3) == 0xff && inb(4) == 0xff && inb(5) == 0xff, "max LBA low bytes");
	return true;
}

static bool test_chs(void)
{
	u8 buf[ATA_SECTOR];

	setup();
	/* Cylinder 0, head 1, sector 3: LBA 1 * 63 + 2 = 65 (past the pattern: zeros). */
	outb(6, 0xa0 | 1);
	outb(2, 1);
	outb(3, 3);
	outb(4, 0);
	outb(5, 0);
	outb(7, 0x20);
	insw(buf, ATA_SECTOR);
	EXPECT(buf[0] == 0 && inb(7) == 0x50, "CHS 0/1/3");
	outb(6, 0xa0);
	outb(3, 5);			/* C0 H0 S5: LBA 4 */
	outb(2, 1);
	outb(7, 0x20);
	insw(buf, ATA_SECTOR);
	EXPECT(sector_ok(buf, 4), "CHS 0/0/5 is LBA 4");
	return true;
}

/* ---- bus master DMA through the PIIX3 function ---- */

static struct pci_bus pci;
static struct bus io;
static struct piix_ide ide;
static struct guest_mem mem;
static u8 *ram;

#define RAM_SIZE	(1 * MIB)
#define PRD_GPA		0x1000
#define BUF_GPA		0x10000

static void pci_write(unsigned int reg, unsigned int size, u32 val)
{
	u32 addr = 0x80000000 | PCI_DEVFN(1, 1) << 8 | (reg & 0xfc);

	io_bus_access(&io, 0xcf8, true, 4, &addr, 1);
	io_bus_access(&io, 0xcfc + (reg & 3), true, size, &val, 1);
}

static void setup_dma(void)
{
	setup();
	free(ram);
	ram = calloc(1, RAM_SIZE);
	memset(&mem, 0, sizeof(mem));
	mem.base = ram;
	guest_mem_layout(&mem, RAM_SIZE);
	bus_init(&io, "port", false);
	pci_bus_init(&pci);
	pci_bus_attach(&pci, &io);
	if (piix_ide_init(&ide, &pci, &io, &mem, &ch))
		tap_bail("piix_ide_init failed");
}

static void bm_out(unsigned int reg, unsigned int size, u32 val)
{
	io_bus_access(&io, PIIX_IDE_BM_BASE + reg, true, size, &val, 1);
}

static u8 bm_status(void)
{
	u8 v;

	io_bus_access(&io, PIIX_IDE_BM_BASE + 2, false, 1, &v, 1);
	return v;
}

static void prd(int i, u32 addr, u32 len, bool eot)
{
	put_le32(ram + PRD_GPA + 8 * i, addr);
	put_le32(ram + PRD_GPA + 8 * i + 4, (len & 0xffff) | (eot ? 0x80000000 : 0));
}

static bool test_dma_read(void)
{
	int i;

	setup_dma();
	prd(0, BUF_GPA, 3 * ATA_SECTOR, false);
	prd(1, BUF_GPA + 0x4000, 5 * ATA_SECTOR, true);
	/* libata: ata_bmdma_setup(), exec command, ata_bmdma_start(). */
	bm_out(4, 4, PRD_GPA);
	bm_out(0, 1, 0x08);
	bm_out(2, 1, 0x66);		/* clear error and interrupt, keep capable */
	lba48(8, 8, 0x25);
	EXPECT(rec.rises[14] == 0, "interrupt before the bus master started");
	bm_out(0, 1, 0x09);
	EXPECT(rec.level[14] == 1 && bm_status() == 0x64, "BM status %#x", bm_status());
	for (i = 0; i < 3; i++)
		EXPECT(sector_ok(ram + BUF_GPA + i * ATA_SECTOR, 8 + i), "sector %d", 8 + i);
	for (i = 0; i < 5; i++)
		EXPECT(sector_ok(ram + BUF_GPA + 0x4000 + i * ATA_SECTOR, 11 + i), "sector %d",
		       11 + i);
	bm_out(0, 1, 0x00);
	EXPECT(inb(7) == 0x50 && rec.level[14] == 0, "device status");
	bm_out(2, 1, bm_status());	/* libata's ata_bmdma_irq_clear() */
	EXPECT(bm_status() == 0x60, "BM status %#x after clearing", bm_status());
	return true;
}

static bool test_dma_write_start_first(void)
{
	u8 back[2 * ATA_SECTOR];

	setup_dma();
	fill_sector(ram + BUF_GPA, 777);
	fill_sector(ram + BUF_GPA + ATA_SECTOR, 778);
	prd(0, BUF_GPA, 2 * ATA_SECTOR, true);
	bm_out(4, 4, PRD_GPA);
	bm_out(0, 1, 0x01);		/* start first, to disk */
	lba28(300, 2, 0xca);
	EXPECT(rec.level[14] == 1 && (bm_status() & 0x04), "no completion");
	EXPECT(pread(disk_fd, back, sizeof(back), 300 * ATA_SECTOR) == sizeof(back), "pread");
	EXPECT(sector_ok(back, 777) && sector_ok(back + ATA_SECTOR, 778), "image contents");
	return true;
}

static bool test_dma_short_table(void)
{
	setup_dma();
	prd(0, BUF_GPA, ATA_SECTOR, true);
	bm_out(4, 4, PRD_GPA);
	bm_out(0, 1, 0x08);
	lba48(0, 4, 0x25);
	bm_out(0, 1, 0x09);
	EXPECT(bm_status() == 0x64 && inb(7) == 0x51, "BM %#x device %#x", bm_status(), inb(7));
	return true;
}

static bool test_dma_bad_address(void)
{
	setup_dma();
	prd(0, RAM_SIZE - ATA_SECTOR, 2 * ATA_SECTOR, true);	/* runs off the end of RAM */
	bm_out(4, 4, PRD_GPA);
	bm_out(0, 1, 0x08);
	lba48(0, 2, 0x25);
	bm_out(0, 1, 0x09);
	EXPECT((bm_status() & 0x06) == 0x06 && (inb(7) & 0x01), "BM %#x device %#x",
	       bm_status(), inb(7));
	return true;
}

static bool test_dma_wrong_direction(void)
{
	setup_dma();
	prd(0, BUF_GPA, ATA_SECTOR, true);
	bm_out(4, 4, PRD_GPA);
	bm_out(0, 1, 0x01);		/* to disk... */
	lba48(0, 1, 0x25);		/* ...but a read */
	EXPECT((inb(7) & 0x01) && (bm_status() & 0x02), "direction mismatch not refused");
	return true;
}

static bool test_dma_identify_and_bar(void)
{
	u16 id[256];
	u8 v = 0;

	setup_dma();
	outb(7, 0xec);
	insw((u8 *)id, 512);
	EXPECT((id[49] & BIT(8)) && (id[63] & 0x7), "DMA not advertised");
	pci_write(0x20, 4, 0xd001);	/* move BAR4 */
	EXPECT(ide.bm_base == 0xd000, "bus master at %#x", ide.bm_base);
	io_bus_access(&io, 0xd002, false, 1, &v, 1);
	EXPECT(v == 0x60, "BM status at the new BAR %#x", v);
	io_bus_access(&io, 0xd00a, false, 1, &v, 1);
	EXPECT(v == 0x00, "secondary BM status %#x: no channel, not simplex", v);
	pci_write(0x04, 2, 0x0000);	/* I/O decode off */
	EXPECT(ide.bm_base == 0 && !bus_find(&io, 0xd000), "still decoded with I/O off");
	return true;
}

static const struct vmm_case cases[] = {
	{ "ata: software reset leaves the ATA signature", test_reset_signature },
	{ "ata: the absent slave fails libata's devchk", test_absent_slave },
	{ "ata: IDENTIFY DEVICE: data, checksum, DRQ and INTRQ", test_identify },
	{ "ata: READ SECTORS: one interrupt per sector", test_read_sectors },
	{ "ata: READ MULTIPLE EXT: 16-sector blocks", test_read_multiple_ext },
	{ "ata: WRITE SECTORS EXT: PIO data-out protocol", test_write_sectors_ext },
	{ "ata: WRITE MULTIPLE reaches the image", test_write_multiple },
	{ "ata: past the last sector: IDNF", test_out_of_range },
	{ "ata: unknown commands and NOP abort", test_unknown_command },
	{ "ata: SET MULTIPLE MODE checks and takes effect", test_set_multiple },
	{ "ata: HOB reads the previous register values", test_hob },
	{ "ata: nIEN masks INTRQ without losing it; FLUSH", test_nien },
	{ "ata: LBA48 past 2^28 sectors; READ NATIVE MAX EXT", test_lba48_high },
	{ "ata: CHS addressing", test_chs },
	{ "piix-ide: READ DMA EXT through a two-entry PRD table", test_dma_read },
	{ "piix-ide: WRITE DMA with the bus master started first", test_dma_write_start_first },
	{ "piix-ide: a PRD table shorter than the command aborts", test_dma_short_table },
	{ "piix-ide: a PRD outside guest RAM is a bus master error", test_dma_bad_address },
	{ "piix-ide: bus master direction must match the command", test_dma_wrong_direction },
	{ "piix-ide: DMA advertised; BAR4 moves, follows I/O decode", test_dma_identify_and_bar },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
