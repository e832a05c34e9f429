// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AML encoder. A PkgLength counts itself: 1 byte up to 63, then 2, 3
 * or 4 bytes (bits 7:6 of the lead byte say how many follow).
 */
#include <stdlib.h>
#include <string.h>

#include "aml.h"

void aml_init(struct aml *a, u8 *buf, size_t cap)
{
	a->buf = buf;
	a->len = 0;
	a->cap = cap;
	a->overflow = false;
}

void aml_byte(struct aml *a, u8 b)
{
	aml_bytes(a, &b, 1);
}

void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (a->len + n > a->cap) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void name_seg(struct aml *a, const char *s, size_t n)
{
	char seg[4] = { '_', '_', '_', '_' };

	memcpy(seg, s, n > 4 ? 4 : n);
	aml_bytes(a, seg, 4);
}

void aml_name(struct aml *a, const char *path)
{
	const char *s = path, *dot;
	int segs = 1;

	while (*s == '\\' || *s == '^')
		aml_byte(a, *s++);
	for (dot = s; (dot = strchr(dot, '.')); dot++)
		segs++;
	if (segs == 2)
		aml_byte(a, 0x2e);		/* DualNamePrefix */
	else if (segs > 2) {
		aml_byte(a, 0x2f);		/* MultiNamePrefix */
		aml_byte(a, segs);
	}
	while (segs--) {
		dot = strchr(s, '.');
		name_seg(a, s, dot ? (size_t)(dot - s) : strlen(s));
		s = dot ? dot + 1 : s;
	}
}

void aml_int(struct aml *a, u64 v)
{
	u8 b[8];

	put_le64(b, v);
	if (v == 0) {
		aml_byte(a, 0x00);
	} else if (v == 1) {
		aml_byte(a, 0x01);
	} else if (v <= 0xff) {
		aml_byte(a, 0x0a);
		aml_bytes(a, b, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, 0x0b);
		aml_bytes(a, b, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(a, 0x0c);
		aml_bytes(a, b, 4);
	} else {
		aml_byte(a, 0x0e);
		aml_bytes(a, b, 8);
	}
}

void aml_eisaid(struct aml *a, const char *id)
{
	u32 v;
	u8 b[4];

	v = (u32)(id[0] - 0x40) << 26 | (u32)(id[1] - 0x40) << 21 | (u32)(id[2] - 0x40) << 16;
	v |= strtoul(id + 3, NULL, 16) & 0xffff;
	/* Stored big-endian: the compressed letters come first. */
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
	aml_byte(a, 0x0c);			/* DWordPrefix */
	aml_bytes(a, b, 4);
}

size_t aml_open(struct aml *a, unsigned int op)
{
	if (op > 0xff)
		aml_byte(a, op >> 8);
	aml_byte(a, op);
	return a->len;
}

void aml_close(struct aml *a, size_t mark)
{
	size_t body = a->len - mark, n, total;
	u8 enc[4];

	if (a->overflow)
		return;
	for (n = 1; n <= 4; n++) {
		total = body + n;
		if ((n == 1 && total <= 0x3f) || (n > 1 && total < (1UL << (4 + 8 * (n - 1)))))
			break;
	}
	if (n > 4 || a->len + n > a->cap) {
		a->overflow = true;
		return;
	}
	if (n == 1) {
		enc[0] = total;
	} else {
		enc[0] = (n - 1) << 6 | (total & 0x0f);
		enc[1] = total >> 4;
		enc[2] = total >> 12;
		enc[3] = total >> 20;
	}
	memmove(a->buf + mark + n, a->buf + mark, body);
	memcpy(a->buf + mark, enc, n);
	a->len += n;
}

void aml_name_int(struct aml *a, const char *path, u64 v)
{
	aml_byte(a, AML_NAME_OP);
	aml_name(a, path);
	aml_int(a, v);
}

void aml_io(struct aml *a, u16 base, u16 len)
{
	u8 d[8] = { 0x47, 0x01 };		/* I/O port descriptor, 16-bit decode */

	put_le16(d + 2, base);
	put_le16(d + 4, base);
	d[6] = 1;				/* alignment */
	d[7] = len;
	aml_bytes(a, d, sizeof(d));
}

/* Word address space descriptor: producer, MinFixed, MaxFixed, positive decode. */
static void word_space(struct aml *a, u8 type, u8 type_flags, u16 min, u16 max)
{
	u8 d[16] = { 0x88, 13, 0, type, 0x0c, type_flags };

	put_le16(d + 6, 0);			/* granularity */
	put_le16(d + 8, min);
	put_le16(d + 10, max);
	put_le16(d + 12, 0);			/* translation */
	put_le16(d + 14, max - min + 1);
	aml_bytes(a, d, sizeof(d));
}

void aml_word_bus(struct aml *a, u16 min, u16 max)
{
	word_space(a, 2, 0, min, max);
}

void aml_word_io(struct aml *a, u16 min, u16 max)
{
	word_space(a, 1, 0x03, min, max);	/* the entire range: ISA and non-ISA */
}

void aml_dword_mem(struct aml *a, u32 min, u32 max)
{
	u8 d[26] = { 0x87, 23, 0, 0, 0x0c, 0x03 };	/* memory, cacheable, read-write */

	put_le32(d + 6, 0);
	put_le32(d + 10, min);
	put_le32(d + 14, max);
	put_le32(d + 18, 0);
	put_le32(d + 22, max - min + 1);
	aml_bytes(a, d, sizeof(d));
}

void aml_end_tag(struct aml *a)
{
	static const u8 d[2] = { 0x79, 0x00 };

	aml_bytes(a, d, sizeof(d));
}
