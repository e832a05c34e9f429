// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot loader of vireoctl run (userctl/vmm/bzimage.c, boot.c):
 * setup header parsing and its refusals (ELF, short, no signature, no
 * HdrS, old protocol, zImage, truncated), the memory plan (initrd
 * placement, the minimum memory a kernel needs), the zero page and e820
 * map written into guest memory, and the entry registers. Synthetic
 * images cover every refusal; Debian's /boot/vmlinuz-* (when installed)
 * covers a real kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm_test.h"
#include "vmm/boot.h"

#define IMG_SIZE	(64 * 1024)

static u8 img[IMG_SIZE];
static char why[256];

/* A plausible 64-bit bzImage header (protocol 2.15), 4 setup sectors. */
static void make_image(void)
{
	memset(img, 0, sizeof(img));
	img[HDR_SETUP_SECTS] = 4;
	put_le32(img + HDR_SYSSIZE, (IMG_SIZE - 5 * 512) / 16);
	put_le16(img + HDR_BOOT_FLAG, 0xaa55);
	img[HDR_JUMP] = 0xeb;
	img[HDR_JUMP + 1] = 0x6a;			/* header ends at 0x26c */
	memcpy(img + HDR_HEADER, "HdrS", 4);
	put_le16(img + HDR_VERSION, 0x020f);
	img[HDR_LOADFLAGS] = LOADED_HIGH;
	put_le32(img + HDR_CODE32_START, 0x100000);
	put_le32(img + HDR_INITRD_ADDR_MAX, 0x7fffffff);
	put_le32(img + HDR_KERNEL_ALIGNMENT, 0x200000);
	img[HDR_RELOCATABLE] = 1;
	put_le16(img + HDR_XLOADFLAGS, 0x7f);
	put_le32(img + HDR_CMDLINE_SIZE, 2047);
	put_le64(img + HDR_PREF_ADDRESS, 0x1000000);
	put_le32(img + HDR_INIT_SIZE, 0x3f98000);	/* Debian 12's */
	img[5 * 512] = 0xfc;				/* the protected-mode code */
}

static int parse(size_t size)
{
	struct bzimage bz;

	why[0] = 0;
	return bzimage_parse(&bz, img, size, why, sizeof(why));
}

static bool test_parse_synthetic(void)
{
	struct bzimage bz;

	make_image();
	EXPECT(!bzimage_parse(&bz, img, sizeof(img), why, sizeof(why)), "refused: %s", why);
	EXPECT(bz.version == 0x020f && bz.entry64 && bz.relocatable, "fields");
	EXPECT(bz.setup_size == 5 * 512 && bz.kernel[0] == 0xfc &&
	       bz.kernel_size == IMG_SIZE - 5 * 512, "setup size %zu", bz.setup_size);
	EXPECT(bz.init_size == 0x3f98000 && bz.pref_address == 0x1000000 &&
	       bz.cmdline_size == 2047 && bz.header_end == 0x26c, "sizes");
	img[HDR_SETUP_SECTS] = 0;			/* 0 means 4 */
	EXPECT(!bzimage_parse(&bz, img, sizeof(img), why, sizeof(why)) &&
	       bz.setup_size == 5 * 512, "setup_sects 0");
	put_le16(img + HDR_XLOADFLAGS, 0x02);		/* no 64-bit entry */
	EXPECT(!bzimage_parse(&bz, img, sizeof(img), why, sizeof(why)) && !bz.entry64,
	       "32-bit only image");
	return true;
}

static bool refused(const char *want)
{
	EXPECT(parse(sizeof(img)) == -EINVAL, "accepted");
	EXPECT(strstr(why, want), "said \"%s\", want \"%s\"", why, want);
	return true;
}

static bool test_refuse_elf(void)
{
	make_image();
	memcpy(img, "\177ELF", 4);
	return refused("ELF file");
}

static bool test_refuse_short(void)
{
	make_image();
	EXPECT(parse(512) == -EINVAL && strstr(why, "too short"), "said \"%s\"", why);
	return true;
}

static bool test_refuse_no_signature(void)
{
	make_image();
	put_le16(img + HDR_BOOT_FLAG, 0);
	return refused("no boot sector signature");
}

static bool test_refuse_no_hdrs(void)
{
	make_image();
	memcpy(img + HDR_HEADER, "XXXX", 4);
	return refused("HdrS");
}

static bool test_refuse_old(void)
{
	make_image();
	put_le16(img + HDR_VERSION, 0x0204);
	return refused("boot protocol 2.04 is too old");
}

static bool test_refuse_zimage(void)
{
	make_image();
	img[HDR_LOADFLAGS] = 0;
	return refused("zImage");
}

static bool test_refuse_truncated(void)
{
	make_image();
	EXPECT(parse(IMG_SIZE - 4096) == -EINVAL && strstr(why, "truncated"), "said \"%s\"", why);
	make_image();
	img[HDR_SETUP_SECTS] = 200;			/* setup past the end */
	return refused("truncated");
}

static bool test_plan(void)
{
	struct boot_layout l;
	struct bzimage bz;

	make_image();
	bzimage_parse(&bz, img, sizeof(img), why, sizeof(why));
	EXPECT(!boot_plan(&l, &bz, 256 * MIB, 10 * MIB, 20, why, sizeof(why)), "%s", why);
	EXPECT(l.kernel_addr == 0x100000 && l.entry64, "kernel at %#llx",
	       (unsigned long long)l.kernel_addr);
	EXPECT(l.kernel_end == 0x1000000 + 0x3f98000, "kernel end %#llx",
	       (unsigned long long)l.kernel_end);
	EXPECT(l.initrd_addr == 256 * MIB - 10 * MIB && l.initrd_size == 10 * MIB,
	       "initrd at %#llx", (unsigned long long)l.initrd_addr);
	/* With more RAM the initrd stays below initrd_addr_max (2 GiB here)... */
	EXPECT(!boot_plan(&l, &bz, 8 * GIB, 10 * MIB, 20, why, sizeof(why)), "%s", why);
	EXPECT(l.initrd_addr == 2 * GIB - 10 * MIB, "initrd at %#llx",
	       (unsigned long long)l.initrd_addr);
	/* ...and below the 3 GiB end of low RAM. */
	put_le32(img + HDR_INITRD_ADDR_MAX, 0xffffffff);
	bzimage_parse(&bz, img, sizeof(img), why, sizeof(why));
	EXPECT(!boot_plan(&l, &bz, 8 * GIB, 10 * MIB, 20, why, sizeof(why)) &&
	       l.initrd_addr == 3 * GIB - 10 * MIB, "initrd at %#llx",
	       (unsigned long long)l.initrd_addr);
	put_le32(img + HDR_INITRD_ADDR_MAX, 0x37ffffff);
	bzimage_parse(&bz, img, sizeof(img), why, sizeof(why));
	EXPECT(!boot_plan(&l, &bz, 8 * GIB, 10 * MIB, 20, why, sizeof(why)) &&
	       l.initrd_addr + l.initrd_size <= 0x38000000, "initrd_addr_max ignored");
	return true;
}

static bool test_plan_too_small(void)
{
	struct boot_layout l;
	struct bzimage bz;

	make_image();
	bzimage_parse(&bz, img, sizeof(img), why, sizeof(why));
	/* 16 MiB (pref_address) + init_size 63.6 MiB: 80 MiB. */
	EXPECT(boot_plan(&l, &bz, 64 * MIB, 0, 20, why, sizeof(why)) == -EINVAL,
	       "64 MiB accepted for a kernel needing 80");
	EXPECT(strstr(why, "--mem 64 MiB is too small for this kernel: it needs at least 80 MiB"),
	       "said \"%s\"", why);
	EXPECT(boot_plan(&l, &bz, 96 * MIB, 20 * MIB, 20, why, sizeof(why)) == -EINVAL &&
	       strstr(why, "kernel and initrd: it needs at least 100 MiB"), "said \"%s\"", why);
	EXPECT(!boot_plan(&l, &bz, 100 * MIB, 20 * MIB, 20, why, sizeof(why)), "%s", why);
	EXPECT(l.initrd_addr >= l.kernel_end, "the initrd overlaps the kernel");
	EXPECT(boot_plan(&l, &bz, 256 * MIB, 0, 3000, why, sizeof(why)) == -EINVAL &&
	       strstr(why, "at most 2047"), "long command line: \"%s\"", why);
	return true;
}

static struct guest_mem mem;

static void ram(u64 size)
{
	guest_mem_free(&mem);
	if (guest_mem_alloc(&mem, size))
		tap_bail("cannot map %llu MiB of test RAM", (unsigned long long)(size / MIB));
}

static bool test_load_zero_page(void)
{
	struct boot_layout l;
	struct bzimage bz;
	u8 *zp, *e;

	make_image();
	bzimage_parse(&bz, img, sizeof(img), why, sizeof(why));
	ram(256 * MIB);
	boot_plan(&l, &bz, 256 * MIB, 1 * MIB, 14, why, sizeof(why));
	l.rsdp = 0xe0000;
	EXPECT(!boot_load(&l, &bz, &mem, "console=ttyS0 "), "boot_load");
	zp = mem.base + BOOT_ZERO_PAGE;
	EXPECT(!memcmp(zp + HDR_HEADER, "HdrS", 4) && zp[HDR_TYPE_OF_LOADER] == 0xff,
	       "setup header");
	EXPECT(get_le32(zp + HDR_CMD_LINE_PTR) == BOOT_CMDLINE &&
	       !strcmp((char *)mem.base + BOOT_CMDLINE, "console=ttyS0 "), "command line");
	EXPECT(get_le32(zp + HDR_RAMDISK_IMAGE) == l.initrd_addr &&
	       get_le32(zp + HDR_RAMDISK_SIZE) == 1 * MIB, "initrd fields");
	EXPECT(get_le64(zp + 0x70) == 0xe0000, "acpi_rsdp_addr");
	EXPECT(mem.base[BOOT_KERNEL] == 0xfc, "the kernel is not at 1 MiB");
	EXPECT(zp[0x1e8] == 4, "%u e820 entries", zp[0x1e8]);
	e = zp + 0x2d0 + 3 * 20;
	EXPECT(get_le64(e) == 0x100000 && get_le64(e + 8) == 255 * MIB && get_le32(e + 16) == 1,
	       "RAM above 1 MiB");
	EXPECT(get_le16(mem.base + 0x413) == 639 && get_le16(mem.base + 0x40e) == 0x9fc0,
	       "BIOS data area");
	/* The page tables map 4 GiB identically with 2 MiB pages. */
	EXPECT(get_le64(mem.base + BOOT_PAGE_TABLES) == (BOOT_PAGE_TABLES + 0x1000 + 3) &&
	       get_le64(mem.base + BOOT_PAGE_TABLES + 0x2000 + 8 * 2047) ==
	       (2047ULL << 21 | 0x83), "page tables");
	return true;
}

static bool test_e820_high(void)
{
	struct e820_entry map[E820_MAX];
	struct guest_mem m = { 0 };
	int n;

	guest_mem_layout(&m, 5 * GIB);
	n = boot_e820(&m, map, E820_MAX);
	EXPECT(n == 5, "%d entries", n);
	EXPECT(map[3].addr == MIB && map[3].addr + map[3].size == 3 * GIB, "low RAM");
	EXPECT(map[4].addr == 4 * GIB && map[4].size == 2 * GIB && map[4].type == E820_RAM,
	       "high RAM");
	EXPECT(map[2].addr == 0xe0000 && map[2].type == E820_RESERVED, "BIOS area");
	return true;
}

static bool test_regs(void)
{
	struct vireo_sregs sregs = { .apic_base = 0xfee00900 };
	struct boot_layout l = { .kernel_addr = 0x100000, .entry64 = true };
	struct vireo_regs regs;

	boot_regs(&l, &regs, &sregs);
	EXPECT(regs.rip == 0x100200 && regs.rsi == BOOT_ZERO_PAGE && regs.rflags == 2,
	       "64-bit entry rip %#llx", (unsigned long long)regs.rip);
	EXPECT(sregs.cs.l && !sregs.cs.db && sregs.cs.selector == BOOT_CS &&
	       sregs.ss.selector == BOOT_DS, "64-bit segments");
	EXPECT(sregs.efer == 0x500 && (sregs.cr0 & 0x80000001) == 0x80000001 &&
	       sregs.cr4 == 0x20 && sregs.cr3 == BOOT_PAGE_TABLES, "long mode");
	EXPECT(sregs.apic_base == 0xfee00900, "APIC base not kept");
	l.entry64 = false;
	boot_regs(&l, &regs, &sregs);
	EXPECT(regs.rip == 0x100000 && sregs.cs.db && !sregs.cs.l && !(sregs.cr0 & 0x80000000) &&
	       !sregs.efer, "32-bit entry");
	return true;
}

/* Debian's kernel, when installed: what vireoctl run's first guest boots. */
static bool test_debian_kernel(void)
{
	struct boot_layout l;
	struct bzimage bz;
	struct stat st;
	glob_t g;
	u8 *data;
	int fd;

	if (glob("/boot/vmlinuz-*", 0, NULL, &g) || !g.gl_pathc)
		vmm_skip("no /boot/vmlinuz-* on this machine");
	fd = open(g.gl_pathv[g.gl_pathc - 1], O_RDONLY);
	EXPECT(fd >= 0 && !fstat(fd, &st), "cannot read %s", g.gl_pathv[g.gl_pathc - 1]);
	data = malloc(st.st_size);
	EXPECT(data && read(fd, data, st.st_size) == st.st_size, "read");
	close(fd);
	EXPECT(!bzimage_parse(&bz, data, st.st_size, why, sizeof(why)), "%s: %s",
	       g.gl_pathv[g.gl_pathc - 1], why);
	EXPECT(bz.entry64 && bz.relocatable && bz.version >= 0x020c, "not a 64-bit kernel");
	EXPECT(!boot_plan(&l, &bz, 256 * MIB, 30 * MIB, 100, why, sizeof(why)), "%s", why);
	free(data);
	globfree(&g);
	return true;
}

static const struct vmm_case cases[] = {
	{ "bzimage: a 2.15 header parses; setup_sects 0; 32-bit only", test_parse_synthetic },
	{ "bzimage: refuses an ELF vmlinux", test_refuse_elf },
	{ "bzimage: refuses a short file", test_refuse_short },
	{ "bzimage: refuses a file without 55aa", test_refuse_no_signature },
	{ "bzimage: refuses a file without HdrS", test_refuse_no_hdrs },
	{ "bzimage: refuses boot protocol 2.04", test_refuse_old },
	{ "bzimage: refuses a zImage", test_refuse_zimage },
	{ "bzimage: refuses a truncated file", test_refuse_truncated },
	{ "boot: plan: kernel at 1 MiB, initrd at the top below 3 GiB", test_plan },
	{ "boot: plan: too little memory, too long a command line", test_plan_too_small },
	{ "boot: zero page, command line, e820, BDA, page tables", test_load_zero_page },
	{ "boot: e820 with RAM above 4 GiB", test_e820_high },
	{ "boot: 64-bit and 32-bit entry registers", test_regs },
	{ "loader: Debian's kernel", test_debian_kernel },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
