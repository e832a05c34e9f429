/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Linux/x86 boot protocol's view of a kernel image (bzImage): the
 * setup header fields the loader needs, checked once
 * (Documentation/x86/boot.rst in the kernel tree).
 */
#ifndef VMM_BZIMAGE_H
#define VMM_BZIMAGE_H

#include "util.h"

/* Setup header offsets, from the start of the image (= of boot_params). */
#define HDR_SETUP_SECTS		0x1f1
#define HDR_SYSSIZE		0x1f4
#define HDR_VID_MODE		0x1fa
#define HDR_BOOT_FLAG		0x1fe
#define HDR_JUMP		0x200
#define HDR_HEADER		0x202
#define HDR_VERSION		0x206
#define HDR_TYPE_OF_LOADER	0x210
#define HDR_LOADFLAGS		0x211
#define HDR_CODE32_START	0x214
#define HDR_RAMDISK_IMAGE	0x218
#define HDR_RAMDISK_SIZE	0x21c
#define HDR_HEAP_END_PTR	0x224
#define HDR_CMD_LINE_PTR	0x228
#define HDR_INITRD_ADDR_MAX	0x22c
#define HDR_KERNEL_ALIGNMENT	0x230
#define HDR_RELOCATABLE		0x234
#define HDR_XLOADFLAGS		0x236
#define HDR_CMDLINE_SIZE	0x238
#define HDR_PREF_ADDRESS	0x258
#define HDR_INIT_SIZE		0x260

#define LOADED_HIGH		0x01
#define XLF_KERNEL_64		0x01

struct bzimage {
	const u8 *data;
	size_t size;
	u16 version;		/* boot protocol, e.g. 0x020f */
	size_t setup_size;	/* real-mode part, boot sector included */
	const u8 *kernel;	/* the protected-mode part */
	size_t kernel_size;
	size_t header_end;	/* end of the setup header in the image */
	bool entry64;		/* has the 64-bit entry point */
	bool relocatable;
	u32 alignment;
	u64 pref_address;
	u32 init_size;		/* memory the kernel needs from its load address */
	u32 initrd_addr_max;
	u32 cmdline_size;	/* longest command line, without the NUL */
};

/*
 * Parses @data (the whole file). Returns 0, or -EINVAL with a sentence
 * for people in @why (for example "not a bzImage: ...").
 */
int bzimage_parse(struct bzimage *bz, const void *data, size_t size, char *why,
		  size_t why_len);

#endif
