/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Booting a bzImage directly, as a boot loader would (no BIOS runs): the
 * guest memory layout, the zero page (struct boot_params with the e820
 * map, the command line and initrd pointers), the identity page tables
 * and GDT of the 64-bit entry, and the register state of either entry.
 *
 * Low memory, as the guest finds it at entry:
 *
 *   0x00000  real-mode IVT, BIOS data area (EBDA pointer, base memory)
 *   0x00500  GDT: null, null, __BOOT_CS (0x10), __BOOT_DS (0x18)
 *   0x07000  the zero page
 *   0x09000  page tables: PML4, PDPT, 4 page directories (4 GiB, 2 MiB pages)
 *   0x20000  the command line
 *   0x9fc00  EBDA (reserved)
 *   0xe0000  ACPI tables (vmm/acpi.c), reserved up to 1 MiB
 *   1 MiB    the kernel's protected-mode code
 *   top      the initrd, as high as RAM below 3 GiB and the kernel allow
 */
#ifndef VMM_BOOT_H
#define VMM_BOOT_H

#include <linux/vireo.h>

#include "bzimage.h"
#include "mem.h"

#define BOOT_GDT		0x500
#define BOOT_ZERO_PAGE		0x7000
#define BOOT_PAGE_TABLES	0x9000
#define BOOT_CMDLINE		0x20000
#define BOOT_EBDA		0x9fc00
#define BOOT_BIOS_AREA		0xe0000
#define BOOT_KERNEL		0x100000

#define BOOT_CS			0x10
#define BOOT_DS			0x18

/* The smallest --mem vireoctl accepts; the kernel may need more. */
#define BOOT_MIN_RAM		(32 * MIB)

#define E820_RAM		1
#define E820_RESERVED		2
#define E820_MAX		128

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
};

struct boot_layout {
	u64 ram_size;
	u64 kernel_addr;
	u64 kernel_end;		/* kernel_addr + what it needs (init_size) */
	u64 initrd_addr;
	u64 initrd_size;
	u32 cmdline_len;	/* without the NUL */
	u64 rsdp;		/* the ACPI RSDP, for boot_params (2.14+) */
	bool entry64;
};

/*
 * Plans where everything goes for @ram_size bytes of RAM, before any VM
 * exists. Returns 0, or -EINVAL with the reason in @why ("--mem 64M is
 * too small for this kernel and initrd: it needs at least 97 MiB").
 */
int boot_plan(struct boot_layout *l, const struct bzimage *bz, u64 ram_size,
	      u64 initrd_size, size_t cmdline_len, char *why, size_t why_len);

/* The e820 map of a guest with this memory; returns the number of entries. */
int boot_e820(const struct guest_mem *mem, struct e820_entry *map, int max);

/*
 * Writes the kernel, the command line, the zero page, the GDT, the page
 * tables and the BIOS data area into guest memory (the initrd is the
 * caller's, at l->initrd_addr). Returns 0 or -EFAULT.
 */
int boot_load(const struct boot_layout *l, const struct bzimage *bz,
	      struct guest_mem *mem, const char *cmdline);

/* The boot CPU's registers at the kernel's entry point. */
void boot_regs(const struct boot_layout *l, struct vireo_regs *regs,
	       struct vireo_sregs *sregs);

#endif
