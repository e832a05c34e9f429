// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot loader of vireoctl run: Linux/x86 boot protocol 2.06 and later
 * (Documentation/x86/boot.rst, zero-page.rst), 32-bit or 64-bit entry.
 * The map of low memory is in boot.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "boot.h"

/* Zero page offsets outside the setup header. */
#define ZP_ACPI_RSDP		0x070
#define ZP_E820_ENTRIES		0x1e8
#define ZP_E820_TABLE		0x2d0
#define E820_ENTRY_SIZE		20

#define BDA_EBDA_SEGMENT	0x40e
#define BDA_BASE_MEMORY_KB	0x413

#define PTE_P			0x001
#define PTE_RW			0x002
#define PTE_PS			0x080

#define CR0_PE			0x00000001
#define CR0_ET			0x00000010
#define CR0_NE			0x00000020
#define CR0_PG			0x80000000
#define CR4_PAE			0x00000020
#define EFER_LME		0x00000100
#define EFER_LMA		0x00000400

#define ACPI_RSDP_VERSION	0x020e	/* boot_params.acpi_rsdp_addr */

static u64 low_ram(u64 ram_size)
{
	return ram_size < MEM_LOW_LIMIT ? ram_size : MEM_LOW_LIMIT;
}

int boot_plan(struct boot_layout *l, const struct bzimage *bz, u64 ram_size,
	      u64 initrd_size, size_t cmdline_len, char *why, size_t why_len)
{
	u64 low = low_ram(ram_size), top, need, run_at;

	memset(l, 0, sizeof(*l));
	l->ram_size = ram_size;
	l->entry64 = bz->entry64;
	l->kernel_addr = BOOT_KERNEL;
	/*
	 * A relocatable kernel decompresses itself to max(its load address,
	 * LOAD_PHYSICAL_ADDR = pref_address) and needs init_size from there;
	 * a fixed one runs at 1 MiB. The initrd must stay clear of it.
	 */
	run_at = bz->pref_address > BOOT_KERNEL ? bz->pref_address : BOOT_KERNEL;
	l->kernel_end = run_at + bz->init_size;
	if (l->kernel_end < BOOT_KERNEL + bz->kernel_size)
		l->kernel_end = BOOT_KERNEL + bz->kernel_size;
	l->kernel_end = align_up(l->kernel_end, 4096);

	if (cmdline_len > bz->cmdline_size || BOOT_CMDLINE + cmdline_len + 1 > BOOT_EBDA) {
		snprintf(why, why_len,
			 "the command line is %zu bytes; this kernel takes at most %u",
			 cmdline_len, bz->cmdline_size);
		return -EINVAL;
	}
	l->cmdline_len = cmdline_len;

	/* The initrd: as high as possible below 3 GiB and initrd_addr_max. */
	top = low;
	if (bz->initrd_addr_max && top > (u64)bz->initrd_addr_max + 1)
		top = (u64)bz->initrd_addr_max + 1;
	l->initrd_size = initrd_size;
	if (initrd_size)
		l->initrd_addr = align_down(top - (initrd_size < top ? initrd_size : top), 4096);
	need = align_up(l->kernel_end + align_up(initrd_size, 4096), MIB);
	if (need < BOOT_MIN_RAM)
		need = BOOT_MIN_RAM;
	if (ram_size < need || (initrd_size && l->initrd_addr < l->kernel_end)) {
		snprintf(why, why_len,
			 "--mem %llu MiB is too small for this kernel%s: it needs at least %llu MiB",
			 (unsigned long long)(ram_size / MIB), initrd_size ? " and initrd" : "",
			 (unsigned long long)(need / MIB));
		return -EINVAL;
	}
	return 0;
}

static int e820_add(struct e820_entry *map, int n, int max, u64 addr, u64 size, u32 type)
{
	if (n < max && size)
		map[n++] = (struct e820_entry){ .addr = addr, .size = size, .type = type };
	return n;
}

int boot_e820(const struct guest_mem *mem, struct e820_entry *map, int max)
{
	int n = 0;

	n = e820_add(map, n, max, 0, BOOT_EBDA, E820_RAM);
	n = e820_add(map, n, max, BOOT_EBDA, 0xa0000 - BOOT_EBDA, E820_RESERVED);
	n = e820_add(map, n, max, BOOT_BIOS_AREA, BOOT_KERNEL - BOOT_BIOS_AREA, E820_RESERVED);
	n = e820_add(map, n, max, BOOT_KERNEL, mem_low_size(mem) - BOOT_KERNEL, E820_RAM);
	if (mem_high_size(mem))
		n = e820_add(map, n, max, MEM_HIGH_BASE, mem_high_size(mem), E820_RAM);
	return n;
}

static int write_zero_page(const struct boot_layout *l, const struct bzimage *bz,
			   struct guest_mem *mem)
{
	struct e820_entry map[E820_MAX];
	u8 *zp = gpa_to_hva(mem, BOOT_ZERO_PAGE, 4096);
	int i, n;

	if (!zp)
		return -EFAULT;
	memset(zp, 0, 4096);
	/* The setup header, as the image carries it, then the loader's fields. */
	memcpy(zp + HDR_SETUP_SECTS, bz->data + HDR_SETUP_SECTS,
	       bz->header_end - HDR_SETUP_SECTS);
	put_le16(zp + HDR_VID_MODE, 0xffff);		/* "normal" */
	zp[HDR_TYPE_OF_LOADER] = 0xff;			/* undefined loader */
	zp[HDR_LOADFLAGS] = LOADED_HIGH;
	put_le32(zp + HDR_CODE32_START, l->kernel_addr);
	put_le32(zp + HDR_RAMDISK_IMAGE, l->initrd_addr);
	put_le32(zp + HDR_RAMDISK_SIZE, l->initrd_size);
	put_le32(zp + HDR_CMD_LINE_PTR, BOOT_CMDLINE);
	if (bz->version >= ACPI_RSDP_VERSION)
		put_le64(zp + ZP_ACPI_RSDP, l->rsdp);

	n = boot_e820(mem, map, E820_MAX);
	zp[ZP_E820_ENTRIES] = n;
	for (i = 0; i < n; i++) {
		u8 *e = zp + ZP_E820_TABLE + i * E820_ENTRY_SIZE;

		put_le64(e, map[i].addr);
		put_le64(e + 8, map[i].size);
		put_le32(e + 16, map[i].type);
	}
	return 0;
}

/* PML4 -> PDPT -> 4 page directories of 2 MiB pages: identity below 4 GiB. */
static int write_page_tables(struct guest_mem *mem)
{
	u8 *pt = gpa_to_hva(mem, BOOT_PAGE_TABLES, 6 * 4096);
	u64 pdpt = BOOT_PAGE_TABLES + 4096, pd = BOOT_PAGE_TABLES + 2 * 4096;
	int i;

	if (!pt)
		return -EFAULT;
	memset(pt, 0, 6 * 4096);
	put_le64(pt, pdpt | PTE_P | PTE_RW);
	for (i = 0; i < 4; i++)
		put_le64(pt + 4096 + 8 * i, (pd + 4096 * i) | PTE_P | PTE_RW);
	for (i = 0; i < 4 * 512; i++)
		put_le64(pt + 2 * 4096 + 8 * i, ((u64)i << 21) | PTE_P | PTE_RW | PTE_PS);
	return 0;
}

static int write_gdt(struct guest_mem *mem, bool entry64)
{
	u8 *gdt = gpa_to_hva(mem, BOOT_GDT, 32);

	if (!gdt)
		return -EFAULT;
	put_le64(gdt, 0);
	put_le64(gdt + 8, 0);
	/* Flat 4 GiB code (64-bit or 32-bit, as the entry) and data. */
	put_le64(gdt + BOOT_CS, entry64 ? 0x00af9b000000ffffULL : 0x00cf9b000000ffffULL);
	put_le64(gdt + BOOT_DS, 0x00cf93000000ffffULL);
	return 0;
}

int boot_load(const struct boot_layout *l, const struct bzimage *bz,
	      struct guest_mem *mem, const char *cmdline)
{
	u8 *kernel = gpa_to_hva(mem, l->kernel_addr, bz->kernel_size);
	u8 *cmd = gpa_to_hva(mem, BOOT_CMDLINE, l->cmdline_len + 1);
	u8 *bda = gpa_to_hva(mem, 0, 0x500);

	if (!kernel || !cmd || !bda)
		return -EFAULT;
	memcpy(kernel, bz->kernel, bz->kernel_size);
	memcpy(cmd, cmdline, l->cmdline_len);
	cmd[l->cmdline_len] = 0;
	memset(bda, 0, 0x500);
	put_le16(bda + BDA_EBDA_SEGMENT, BOOT_EBDA >> 4);
	put_le16(bda + BDA_BASE_MEMORY_KB, BOOT_EBDA / 1024);
	if (write_zero_page(l, bz, mem) || write_gdt(mem, l->entry64))
		return -EFAULT;
	return l->entry64 ? write_page_tables(mem) : 0;
}

static struct vireo_segment flat(u16 selector, u8 type, bool code64)
{
	return (struct vireo_segment){
		.base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
		.present = 1, .dpl = 0, .db = !code64, .s = 1, .l = code64, .g = 1,
	};
}

void boot_regs(const struct boot_layout *l, struct vireo_regs *regs,
	       struct vireo_sregs *sregs)
{
	u64 apic_base = sregs->apic_base;

	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));
	regs->rflags = 0x2;			/* interrupts off */
	regs->rsi = BOOT_ZERO_PAGE;
	sregs->apic_base = apic_base;
	sregs->cs = flat(BOOT_CS, 0xb, l->entry64);
	sregs->ds = flat(BOOT_DS, 0x3, false);
	sregs->es = sregs->ds;
	sregs->fs = sregs->ds;
	sregs->gs = sregs->ds;
	sregs->ss = sregs->ds;
	sregs->tr = (struct vireo_segment){ .limit = 0xffff, .type = 0xb, .present = 1 };
	sregs->ldt = (struct vireo_segment){ .limit = 0xffff, .type = 0x2, .present = 1,
					     .unusable = 1 };
	sregs->gdt = (struct vireo_dtable){ .base = BOOT_GDT, .limit = 31 };
	sregs->cr0 = CR0_PE | CR0_ET | CR0_NE;
	if (l->entry64) {
		/* startup_64 lives 0x200 bytes into the protected-mode code. */
		regs->rip = l->kernel_addr + 0x200;
		sregs->cr0 |= CR0_PG;
		sregs->cr3 = BOOT_PAGE_TABLES;
		sregs->cr4 = CR4_PAE;
		sregs->efer = EFER_LME | EFER_LMA;
	} else {
		regs->rip = l->kernel_addr;	/* startup_32 */
	}
}
