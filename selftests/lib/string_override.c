// SPDX-License-Identifier: GPL-2.0-only
/*
 * memcpy, memmove, memset and memcmp for code that runs in the guest.
 *
 * The compiler may turn guest code's struct copies and initializers into
 * calls to these. glibc's versions pick AVX or AVX-512 variants for the
 * host CPU, which a guest without those features enabled in XCR0 cannot
 * run. Defined here, they replace glibc's in the static test binaries, for
 * host and guest code alike: REP MOVSB and REP STOSB, fast enough for the
 * host and fine for any guest. Built with -fno-tree-loop-distribute-patterns
 * so that memcmp's loop does not become a call to itself.
 */
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	const unsigned char *s = src;
	unsigned char *d = dst;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping, destination above: copy backwards. */
	d += n - 1;
	s += n - 1;
	asm volatile("std; rep movsb; cld"
		     : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
