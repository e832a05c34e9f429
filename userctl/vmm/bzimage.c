// SPDX-License-Identifier: GPL-2.0-only
/*
 * bzImage header checks. Every check that fails says what the file is
 * instead, as far as that can be told, since the user will read it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bzimage.h"

#define BOOT_FLAG		0xaa55
#define MIN_VERSION		0x0206	/* cmdline_size; 2.6.22 and later */
#define XLF_VERSION		0x020c	/* xloadflags */
#define INIT_SIZE_VERSION	0x020a	/* pref_address, init_size */

static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

static int refuse(char *why, size_t len, const char *what)
{
	snprintf(why, len, "%s", what);
	return -EINVAL;
}

int bzimage_parse(struct bzimage *bz, const void *data, size_t size, char *why,
		  size_t why_len)
{
	const u8 *p = data;
	unsigned int sects;
	u64 syssize;

	memset(bz, 0, sizeof(*bz));
	if (size >= 4 && !memcmp(p, elf_magic, 4))
		return refuse(why, why_len,
			      "not a bzImage but an ELF file (a vmlinux?): use arch/x86/boot/bzImage or /boot/vmlinuz-*");
	if (size < 0x400)
		return refuse(why, why_len,
			      "not a bzImage: too short for a boot sector and a setup header");
	if (get_le16(p + HDR_BOOT_FLAG) != BOOT_FLAG)
		return refuse(why, why_len, "not a bzImage: no boot sector signature 55aa");
	if (memcmp(p + HDR_HEADER, "HdrS", 4))
		return refuse(why, why_len, "not a bzImage: no \"HdrS\" boot protocol header");
	bz->version = get_le16(p + HDR_VERSION);
	if (bz->version < MIN_VERSION) {
		snprintf(why, why_len,
			 "boot protocol %u.%02u is too old (vireoctl needs 2.06, Linux 2.6.22, or later)",
			 bz->version >> 8, bz->version & 0xff);
		return -EINVAL;
	}
	if (!(p[HDR_LOADFLAGS] & LOADED_HIGH))
		return refuse(why, why_len, "a zImage (loaded low): only bzImages are supported");
	sects = p[HDR_SETUP_SECTS] ? p[HDR_SETUP_SECTS] : 4;
	bz->setup_size = (sects + 1) * 512;
	syssize = (u64)get_le32(p + HDR_SYSSIZE) * 16;
	if (bz->setup_size >= size || (syssize && bz->setup_size + syssize > size + 15))
		return refuse(why, why_len, "truncated: the file is shorter than its header says");
	bz->header_end = HDR_JUMP + 2 + p[HDR_JUMP + 1];
	if (bz->header_end > bz->setup_size)
		return refuse(why, why_len,
			      "not a bzImage: the setup header runs past the setup code");
	bz->data = p;
	bz->size = size;
	bz->kernel = p + bz->setup_size;
	bz->kernel_size = size - bz->setup_size;
	bz->cmdline_size = get_le32(p + HDR_CMDLINE_SIZE);
	bz->initrd_addr_max = get_le32(p + HDR_INITRD_ADDR_MAX);
	bz->relocatable = p[HDR_RELOCATABLE];
	bz->alignment = get_le32(p + HDR_KERNEL_ALIGNMENT);
	if (bz->version >= INIT_SIZE_VERSION) {
		bz->pref_address = get_le64(p + HDR_PREF_ADDRESS);
		bz->init_size = get_le32(p + HDR_INIT_SIZE);
	}
	/* Before 2.10 there is no init_size: assume the usual 4x expansion. */
	if (bz->init_size < bz->kernel_size)
		bz->init_size = 4 * bz->kernel_size;
	bz->entry64 = bz->version >= XLF_VERSION && (get_le16(p + HDR_XLOADFLAGS) & XLF_KERNEL_64);
	return 0;
}
