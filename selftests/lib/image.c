// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading the test binary into guest memory (see image.h). The program
 * headers are found through the ELF header the linker maps at the start
 * of the first loadable segment (__ehdr_start).
 */
#include <string.h>

#include "image.h"
#include "test_util.h"

static const struct elf64_phdr *phdrs(unsigned int *n)
{
	*n = __ehdr_start.e_phnum;
	return (const void *)((const char *)&__ehdr_start +
			      __ehdr_start.e_phoff);
}

/* The span of the loadable segments, [start, end). */
void image_extent(u64 *start, u64 *end)
{
	unsigned int i, n;
	const struct elf64_phdr *ph = phdrs(&n);

	*start = UINT64_MAX;
	*end = 0;
	for (i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_vaddr < *start)
			*start = ph[i].p_vaddr;
		if (ph[i].p_vaddr + ph[i].p_memsz > *end)
			*end = ph[i].p_vaddr + ph[i].p_memsz;
	}
	TEST_ASSERT(*start < *end && *start >= 0x100000,
		    "loadable segments at %#llx-%#llx: not a static non-PIE binary?",
		    *start, *end);
}

void image_load(void *mem)
{
	unsigned int i, n;
	const struct elf64_phdr *ph = phdrs(&n);

	for (i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD)
			memcpy((char *)mem + ph[i].p_vaddr,
			       (const void *)ph[i].p_vaddr, ph[i].p_memsz);
}
