// SPDX-License-Identifier: GPL-2.0-only
/*
 * hcguest's runtime (see hcguest.h): the string functions the compiler
 * may call, a small vsnprintf (%d %u %x %s %c with l, ll and z, width,
 * zero padding and #), output to COM1 and TAP results.
 */
#include <linux/vireo_para.h>

#include "hcguest.h"

#define COM1	0x3f8

int results;

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	while (n--)
		*d++ = c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (u8)*a - (u8)*b;
	return 0;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return NULL;
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, u64 v, unsigned int base, bool neg, int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width-- > n)
		put(o, pad);
	while (n)
		put(o, tmp[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	const char *s;
	int width, longs;
	bool alt;
	char pad;
	u64 v;
	s64 sv;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		alt = *fmt == '#';
		if (alt)
			fmt++;
		pad = ' ';
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + *fmt - '0';
		for (longs = 0; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;
		switch (*fmt) {
		case 'd':
			sv = longs ? va_arg(ap, s64) : va_arg(ap, int);
			put_num(&o, sv < 0 ? -(u64)sv : (u64)sv, 10, sv < 0, width, pad);
			break;
		case 'u':
		case 'x':
			v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			if (alt && *fmt == 'x') {
				put(&o, '0');
				put(&o, 'x');
			}
			put_num(&o, v, *fmt == 'x' ? 16 : 10, false, width, pad);
			break;
		case 's':
			for (s = va_arg(ap, const char *); s && *s; s++)
				put(&o, *s);
			break;
		case 'c':
			put(&o, va_arg(ap, int));
			break;
		default:
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void com1_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			outb(COM1, '\r');
		outb(COM1, *s);
	}
}

void print(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	com1_write(line);
}

static bool result(bool ok, const char *detail, const char *fmt, va_list ap)
{
	char desc[200];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	results++;
	print("%sok %d %s%s\n", ok ? "" : "not ", results, desc, ok ? "" : detail);
	return ok;
}

bool check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(ok, "", fmt, ap);
	va_end(ap);
	return ok;
}

static const struct {
	int code;
	const char *name;
} errors[] = {
	{ VIREO_EPERM, "EPERM" }, { VIREO_ENOENT, "ENOENT" }, { VIREO_EIO, "EIO" },
	{ VIREO_E2BIG, "E2BIG" }, { VIREO_EAGAIN, "EAGAIN" }, { VIREO_EFAULT, "EFAULT" },
	{ VIREO_EBUSY, "EBUSY" }, { VIREO_EINVAL, "EINVAL" }, { VIREO_EROFS, "EROFS" },
	{ VIREO_ERANGE, "ERANGE" }, { VIREO_ENOSYS, "ENOSYS" }, { VIREO_ENOTNEG, "ENOTNEG" },
};

const char *ret_name(s64 ret, char *buf, size_t len)
{
	size_t i;

	for (i = 0; ret < 0 && i < ARRAY_SIZE(errors); i++)
		if (-ret == errors[i].code) {
			snprintf(buf, len, "-%s", errors[i].name);
			return buf;
		}
	snprintf(buf, len, "%lld", ret);
	return buf;
}

bool expect_ret(s64 got, s64 want, const char *fmt, ...)
{
	char detail[64], g[16], w[16];
	va_list ap;
	bool ok = got == want;

	snprintf(detail, sizeof(detail), " # got %s, want %s", ret_name(got, g, sizeof(g)),
		 ret_name(want, w, sizeof(w)));
	va_start(ap, fmt);
	result(ok, detail, fmt, ap);
	va_end(ap);
	return ok;
}
