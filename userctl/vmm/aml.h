/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough of an AML encoder (ACPI 6.4, chapter 20) for vireo's DSDT:
 * names, integers, packages, buffers, Scope and Device, and the resource
 * descriptors of a PCI root bridge's _CRS. Opcodes with a PkgLength are
 * opened with aml_open() and closed with aml_close(), which encodes the
 * length in as few bytes as it needs.
 */
#ifndef VMM_AML_H
#define VMM_AML_H

#include "util.h"

struct aml {
	u8 *buf;
	size_t len;
	size_t cap;
	bool overflow;		/* something did not fit: the result is unusable */
};

void aml_init(struct aml *a, u8 *buf, size_t cap);
void aml_byte(struct aml *a, u8 b);
void aml_bytes(struct aml *a, const void *p, size_t n);
/* A NameString: "\\_SB_.PCI0", "_S5_"; segments shorter than 4 are padded with '_'. */
void aml_name(struct aml *a, const char *path);
/* The shortest integer encoding: ZeroOp, OneOp, Byte/Word/DWord/QWordPrefix. */
void aml_int(struct aml *a, u64 v);
/* EISAID("PNP0A03") as the DWord AML stores it. */
void aml_eisaid(struct aml *a, const char *id);

/* Opens @op (one byte, or 0x5b-prefixed when @op > 0xff) with a PkgLength. */
size_t aml_open(struct aml *a, unsigned int op);
void aml_close(struct aml *a, size_t mark);

/* Name(path, value) for an integer value. */
void aml_name_int(struct aml *a, const char *path, u64 v);

/* Resource descriptors, for ResourceTemplate buffers. */
void aml_io(struct aml *a, u16 base, u16 len);
void aml_word_bus(struct aml *a, u16 min, u16 max);
void aml_word_io(struct aml *a, u16 min, u16 max);
void aml_dword_mem(struct aml *a, u32 min, u32 max);
void aml_end_tag(struct aml *a);

#define AML_SCOPE_OP	0x10
#define AML_NAME_OP	0x08
#define AML_PACKAGE_OP	0x12
#define AML_BUFFER_OP	0x11
#define AML_DEVICE_OP	0x5b82

#endif
