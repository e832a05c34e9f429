// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration mechanism #1 over bus 0, after the PCI Local Bus
 * Specification 3.0, 3.2.2.3.2: a dword write to 0xCF8 with bit 31 set
 * selects bus, device, function and register; 0xCFC-0xCFF then read and
 * write that dword's bytes. Absent functions read as all ones.
 */
#include <errno.h>
#include <string.h>

#include "pci.h"

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define PCI_RCR		0xcf9

void pci_func_init(struct pci_func *f, u8 devfn, const char *name, u16 vendor,
		   u16 device, u32 class, u8 revision, u8 header_type)
{
	memset(f->cfg, 0, sizeof(f->cfg));
	memset(f->wmask, 0, sizeof(f->wmask));
	memset(f->w1c, 0, sizeof(f->w1c));
	f->devfn = devfn;
	f->name = name;
	put_le16(&f->cfg[PCI_VENDOR_ID], vendor);
	put_le16(&f->cfg[PCI_DEVICE_ID], device);
	f->cfg[PCI_REVISION_ID] = revision;
	f->cfg[PCI_CLASS_PROG] = class;
	f->cfg[PCI_CLASS_PROG + 1] = class >> 8;
	f->cfg[PCI_CLASS_PROG + 2] = class >> 16;
	f->cfg[PCI_HEADER_TYPE] = header_type;
	/* Command: I/O, memory, master, parity, SERR#, INTx disable. */
	put_le16(&f->wmask[PCI_COMMAND], 0x0547);
	/* Status: the error bits are write-1-to-clear. */
	put_le16(&f->w1c[PCI_STATUS], 0xf900);
	f->wmask[0x0c] = 0xff;			/* cache line size */
	f->wmask[0x0d] = 0xff;			/* latency timer */
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

void pci_func_io_bar(struct pci_func *f, int bar, u32 size, u16 addr)
{
	unsigned int off = PCI_BASE_ADDRESS_0 + 4 * bar;

	/* A 16-bit I/O decoder: bits 15 down to log2(size) are the address. */
	put_le32(&f->wmask[off], 0xffff & ~(size - 1));
	put_le32(&f->cfg[off], (addr & ~(size - 1)) | 1);
}

void pci_bus_init(struct pci_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
	pthread_mutex_init(&bus->lock, NULL);
}

void pci_bus_destroy(struct pci_bus *bus)
{
	pthread_mutex_destroy(&bus->lock);
}

int pci_bus_add(struct pci_bus *bus, struct pci_func *f)
{
	if (bus->funcs[f->devfn])
		return -EEXIST;
	bus->funcs[f->devfn] = f;
	return 0;
}

/* The function and register the address register selects; NULL if none. */
static struct pci_func *pci_selected(struct pci_bus *bus, unsigned int *reg)
{
	u32 a = bus->config_address;

	if (!(a & BIT(31)) || (a >> 16 & 0xff) != 0)
		return NULL;
	*reg = a & 0xfc;
	return bus->funcs[a >> 8 & 0xff];
}

static u32 cfg_read(const struct pci_func *f, unsigned int off, unsigned int len)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < len && off + i < 256; i++)
		val |= (u32)f->cfg[off + i] << (8 * i);
	return val;
}

static void cfg_write(struct pci_func *f, unsigned int off, unsigned int len, u32 val)
{
	unsigned int i;

	for (i = 0; i < len && off + i < 256; i++) {
		u8 b = val >> (8 * i), m = f->wmask[off + i];

		f->cfg[off + i] = (f->cfg[off + i] & ~m) | (b & m);
		f->cfg[off + i] &= ~(b & f->w1c[off + i]);
	}
	if (f->write_hook)
		f->write_hook(f, off, len);
}

u32 pci_cfg_read(struct pci_bus *bus, struct pci_func *f, unsigned int off,
		 unsigned int len)
{
	u32 val;

	pthread_mutex_lock(&bus->lock);
	val = cfg_read(f, off, len);
	pthread_mutex_unlock(&bus->lock);
	return val;
}

static u32 pci_in(void *dev, u16 port, unsigned int size)
{
	struct pci_bus *bus = dev;
	struct pci_func *f;
	unsigned int reg;
	u32 val = ~0U;

	pthread_mutex_lock(&bus->lock);
	if (port == PCI_CONF_ADDR && size == 4) {
		val = bus->config_address;
	} else if (port == PCI_RCR && size == 1) {
		val = bus->rcr_read ? bus->rcr_read(bus->rcr_opaque) : 0;
	} else if (port >= PCI_CONF_DATA) {
		f = pci_selected(bus, &reg);
		if (f)
			val = cfg_read(f, reg + (port - PCI_CONF_DATA), size);
	}
	pthread_mutex_unlock(&bus->lock);
	if (size < 4)
		val &= (1U << (8 * size)) - 1;
	return val;
}

static void pci_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct pci_bus *bus = dev;
	struct pci_func *f;
	unsigned int reg, off;

	pthread_mutex_lock(&bus->lock);
	if (port == PCI_CONF_ADDR && size == 4) {
		bus->config_address = val & 0x80fffffc;
	} else if (port == PCI_RCR && size == 1) {
		if (bus->rcr_write)
			bus->rcr_write(bus->rcr_opaque, val);
	} else if (port >= PCI_CONF_DATA) {
		f = pci_selected(bus, &reg);
		off = port - PCI_CONF_DATA;
		if (f && off + size <= 4)
			cfg_write(f, reg + off, size, val);
	}
	pthread_mutex_unlock(&bus->lock);
}

const struct io_ops pci_io_ops = {
	.in = pci_in,
	.out = pci_out,
};

int pci_bus_attach(struct pci_bus *bus, struct bus *io)
{
	return bus_add(io, PCI_CONF_ADDR, 8, "pci-conf1", &pci_io_ops, bus);
}
