// SPDX-License-Identifier: GPL-2.0-only
/*
 * The port I/O and MMIO buses: a sorted table of ranges, a binary search
 * per exit, and the PC rule for accesses that nobody decodes (reads float
 * to all ones, writes are lost).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

int bus_init(struct bus *bus, const char *what, bool verbose)
{
	memset(bus, 0, sizeof(*bus));
	bus->what = what;
	bus->verbose = verbose;
	if (verbose) {
		bus->logged = calloc(65536 / 8, 1);
		if (!bus->logged)
			return -ENOMEM;
	}
	return -pthread_rwlock_init(&bus->lock, NULL);
}

void bus_destroy(struct bus *bus)
{
	pthread_rwlock_destroy(&bus->lock);
	free(bus->ranges);
	free(bus->logged);
	bus->ranges = NULL;
	bus->logged = NULL;
	bus->nr = 0;
}

/* Index of the first range whose end is above @addr (caller holds the lock). */
static int bus_search(const struct bus *bus, u64 addr)
{
	int lo = 0, hi = bus->nr;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const struct bus_range *r = &bus->ranges[mid];

		if (r->base + r->len <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bus_add(struct bus *bus, u64 base, u64 len, const char *name,
	    const void *ops, void *dev)
{
	struct bus_range *r;
	int i, ret = 0;

	if (!len || base + len < base)
		return -EINVAL;
	pthread_rwlock_wrlock(&bus->lock);
	i = bus_search(bus, base);
	if (i < bus->nr && bus->ranges[i].base < base + len) {
		ret = -EEXIST;
		goto out;
	}
	if (bus->nr == bus->cap) {
		int cap = bus->cap ? 2 * bus->cap : 16;

		r = realloc(bus->ranges, cap * sizeof(*r));
		if (!r) {
			ret = -ENOMEM;
			goto out;
		}
		bus->ranges = r;
		bus->cap = cap;
	}
	memmove(&bus->ranges[i + 1], &bus->ranges[i], (bus->nr - i) * sizeof(*r));
	bus->ranges[i] = (struct bus_range){
		.base = base, .len = len, .name = name, .ops = ops, .dev = dev,
	};
	bus->nr++;
out:
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

int bus_remove(struct bus *bus, u64 base)
{
	int i, ret = -ENOENT;

	pthread_rwlock_wrlock(&bus->lock);
	i = bus_search(bus, base);
	if (i < bus->nr && bus->ranges[i].base == base) {
		memmove(&bus->ranges[i], &bus->ranges[i + 1],
			(bus->nr - i - 1) * sizeof(bus->ranges[0]));
		bus->nr--;
		ret = 0;
	}
	pthread_rwlock_unlock(&bus->lock);
	return ret;
}

/* Caller holds the lock. */
static struct bus_range *bus_lookup(struct bus *bus, u64 addr)
{
	int i = bus_search(bus, addr);

	if (i < bus->nr && bus->ranges[i].base <= addr)
		return &bus->ranges[i];
	return NULL;
}

const struct bus_range *bus_find(struct bus *bus, u64 addr)
{
	const struct bus_range *r;

	pthread_rwlock_rdlock(&bus->lock);
	r = bus_lookup(bus, addr);
	pthread_rwlock_unlock(&bus->lock);
	return r;
}

static void bus_unhandled(struct bus *bus, u64 addr, bool is_write,
			  unsigned int size, u64 val)
{
	u64 key;

	__atomic_add_fetch(&bus->unhandled, 1, __ATOMIC_RELAXED);
	if (!bus->verbose)
		return;
	/* Ports one by one; MMIO one line per 64 KiB. */
	key = addr > 0xffff ? (addr >> 16) & 0xffff : addr;
	if (__atomic_fetch_or(&bus->logged[key / 8], (u8)BIT(key % 8), __ATOMIC_RELAXED) &
	    BIT(key % 8))
		return;
	if (is_write)
		fprintf(stderr, "vireoctl: unclaimed %s write %#llx/%u = %#llx (logged once)\n",
			bus->what, (unsigned long long)addr, size, (unsigned long long)val);
	else
		fprintf(stderr, "vireoctl: unclaimed %s read %#llx/%u (logged once)\n",
			bus->what, (unsigned long long)addr, size);
}

static u32 load(const u8 *p, unsigned int size)
{
	return size == 1 ? p[0] : size == 2 ? get_le16(p) : get_le32(p);
}

static void store(u8 *p, unsigned int size, u32 val)
{
	if (size == 1)
		p[0] = val;
	else if (size == 2)
		put_le16(p, val);
	else
		put_le32(p, val);
}

/*
 * The handler runs without the bus lock, so that it may move ranges itself
 * (a BAR write): devices live as long as the VM, only ranges move.
 */
static bool bus_get(struct bus *bus, u64 addr, const void **ops, void **dev)
{
	struct bus_range *r;

	pthread_rwlock_rdlock(&bus->lock);
	r = bus_lookup(bus, addr);
	if (r) {
		__atomic_add_fetch(&r->exits, 1, __ATOMIC_RELAXED);
		*ops = r->ops;
		*dev = r->dev;
	}
	pthread_rwlock_unlock(&bus->lock);
	return r;
}

void io_bus_access(struct bus *bus, u16 port, bool is_write, unsigned int size,
		   void *data, u32 count)
{
	const struct io_ops *ops;
	u8 *p = data;
	void *dev;
	u32 i;

	if (size != 1 && size != 2 && size != 4)
		return;
	if (!bus_get(bus, port, (const void **)&ops, &dev)) {
		if (!is_write)
			memset(data, 0xff, (size_t)size * count);
		bus_unhandled(bus, port, is_write, size, is_write ? load(p, size) : 0);
		return;
	}
	if (is_write && ops->out_string && count > 1) {
		ops->out_string(dev, port, size, data, count);
	} else if (!is_write && ops->in_string && count > 1) {
		ops->in_string(dev, port, size, data, count);
	} else {
		for (i = 0; i < count; i++, p += size) {
			if (is_write)
				ops->out(dev, port, size, load(p, size));
			else
				store(p, size, ops->in(dev, port, size));
		}
	}
}

void mmio_bus_access(struct bus *bus, u64 addr, bool is_write, unsigned int len,
		     void *data)
{
	const struct mmio_ops *ops;
	u64 val = 0;
	void *dev;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return;
	if (is_write)
		memcpy(&val, data, len);	/* x86: little endian */
	if (!bus_get(bus, addr, (const void **)&ops, &dev)) {
		if (!is_write)
			memset(data, 0xff, len);
		bus_unhandled(bus, addr, is_write, len, val);
		return;
	}
	if (is_write) {
		ops->write(dev, addr, len, val);
	} else {
		val = ops->read(dev, addr, len);
		memcpy(data, &val, len);
	}
}
