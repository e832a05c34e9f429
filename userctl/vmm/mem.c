// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RAM: allocation and address translation.
 */
#include <errno.h>
#include <sys/mman.h>

#include "mem.h"

#define HUGE_2M		(2 * MIB)

void guest_mem_layout(struct guest_mem *mem, u64 size)
{
	u64 low = size < MEM_LOW_LIMIT ? size : MEM_LOW_LIMIT;

	mem->size = size;
	mem->nr = 1;
	mem->region[0] = (struct mem_region){ .gpa = 0, .size = low, .hva = mem->base };
	if (size > low) {
		mem->nr = 2;
		mem->region[1] = (struct mem_region){
			.gpa = MEM_HIGH_BASE, .size = size - low,
			.hva = mem->base ? mem->base + low : NULL,
		};
	}
}

int guest_mem_alloc(struct guest_mem *mem, u64 size)
{
	u8 *map, *base;
	u64 len = size + HUGE_2M;

	/* Over-allocate so that the RAM starts on a 2 MiB boundary (THP, EPT). */
	map = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return -errno;
	base = (u8 *)align_up((unsigned long)map, HUGE_2M);
	if (base > map)
		munmap(map, base - map);
	if (base + size < map + len)
		munmap(base + size, map + len - (base + size));
	madvise(base, size, MADV_HUGEPAGE);	/* a hint: no THP is fine */
	mem->base = base;
	mem->map_size = size;
	guest_mem_layout(mem, size);
	return 0;
}

void guest_mem_free(struct guest_mem *mem)
{
	if (mem->base)
		munmap(mem->base, mem->map_size);
	mem->base = NULL;
}

void *gpa_to_hva(const struct guest_mem *mem, u64 gpa, u64 len)
{
	int i;

	for (i = 0; i < mem->nr; i++) {
		const struct mem_region *r = &mem->region[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size && len <= r->size - (gpa - r->gpa))
			return r->hva ? r->hva + (gpa - r->gpa) : NULL;
	}
	return NULL;
}
