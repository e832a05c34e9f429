/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's two address spaces that exit to vireoctl: port I/O and MMIO
 * (guest-physical addresses outside every memory slot).
 *
 * Device models register ranges at setup; a vCPU thread dispatches each
 * exit to the range holding its first byte. A range may move later (a PCI
 * BAR the guest reprograms), so lookups take a read lock. Accesses nobody
 * claims read as all ones and writes vanish, as on a PC bus; they are
 * counted, and logged once per port with --verbose.
 */
#ifndef VMM_BUS_H
#define VMM_BUS_H

#include <pthread.h>

#include "util.h"

/*
 * Port I/O handlers. @size is 1, 2 or 4. The string handlers are
 * optional: a device that moves blocks (the ATA data port) takes a whole
 * REP INS/OUTS chunk (@count elements of @size bytes) in one call; the
 * bus calls in/out once per element otherwise.
 */
struct io_ops {
	u32 (*in)(void *dev, u16 port, unsigned int size);
	void (*out)(void *dev, u16 port, unsigned int size, u32 val);
	void (*in_string)(void *dev, u16 port, unsigned int size, void *data, u32 count);
	void (*out_string)(void *dev, u16 port, unsigned int size, const void *data, u32 count);
};

/* MMIO handlers; @len is 1, 2, 4 or 8, values little endian. */
struct mmio_ops {
	u64 (*read)(void *dev, u64 addr, unsigned int len);
	void (*write)(void *dev, u64 addr, unsigned int len, u64 val);
};

struct bus_range {
	u64 base;
	u64 len;
	const char *name;
	const void *ops;		/* struct io_ops or struct mmio_ops */
	void *dev;
	u64 exits;			/* accesses dispatched here (atomic) */
};

struct bus {
	const char *what;		/* "port" or "mmio", for messages */
	pthread_rwlock_t lock;		/* guards ranges and nr */
	struct bus_range *ranges;	/* sorted by base, no overlaps */
	int nr, cap;
	u64 unhandled;			/* accesses nobody claimed (atomic) */
	bool verbose;			/* log the first unclaimed access per page/port */
	u8 *logged;			/* ports already logged (port bus only) */
};

int bus_init(struct bus *bus, const char *what, bool verbose);
void bus_destroy(struct bus *bus);

/* Claims [base, base + len) for a device; -EEXIST if it overlaps a range. */
int bus_add(struct bus *bus, u64 base, u64 len, const char *name,
	    const void *ops, void *dev);
/* Removes the range starting at @base; -ENOENT if none does. */
int bus_remove(struct bus *bus, u64 base);

/*
 * One port I/O exit: @count elements of @size bytes at @data, read into
 * (@is_write false) or written from.
 */
void io_bus_access(struct bus *bus, u16 port, bool is_write, unsigned int size,
		   void *data, u32 count);
/* One MMIO exit: @len bytes at @data, little endian. */
void mmio_bus_access(struct bus *bus, u64 addr, bool is_write, unsigned int len,
		     void *data);

/* The range holding @addr, for tests and statistics; NULL if none. */
const struct bus_range *bus_find(struct bus *bus, u64 addr);

#endif
