/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI bus 0 and configuration mechanism #1 (address 0xCF8, data
 * 0xCFC-0xCFF).
 *
 * A function is 256 bytes of configuration space with a mask of the
 * writable bits and one of the write-1-to-clear bits; its owner fills
 * the identity registers, declares its BARs (the sizing protocol then
 * follows from the masks) and may hook writes (a moved BAR, a changed
 * command register). Port 0xCF9 shares the address register's dword:
 * byte accesses to it go to the reset control register's owner.
 */
#ifndef HW_PCI_H
#define HW_PCI_H

#include <pthread.h>

#include "../vmm/bus.h"

#define PCI_DEVFN(slot, fn)	((slot) << 3 | (fn))

/* Configuration space offsets used by the models. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_IO		0x1
#define  PCI_COMMAND_MEMORY	0x2
#define  PCI_COMMAND_MASTER	0x4
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_HEADER_TYPE		0x0e
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

struct pci_func {
	u8 devfn;
	const char *name;
	u8 cfg[256];
	u8 wmask[256];		/* bits the guest may write */
	u8 w1c[256];		/* bits a written 1 clears */
	/* Called after each write, bus lock held: offset and length written. */
	void (*write_hook)(struct pci_func *f, unsigned int off, unsigned int len);
	void *opaque;
};

struct pci_bus {
	pthread_mutex_t lock;	/* guards config_address and all functions' cfg */
	u32 config_address;
	struct pci_func *funcs[256];	/* by devfn */
	/* Port 0xCF9 (byte accesses), the PIIX reset control register. */
	void (*rcr_write)(void *opaque, u8 val);
	u8 (*rcr_read)(void *opaque);
	void *rcr_opaque;
};

extern const struct io_ops pci_io_ops;

void pci_bus_init(struct pci_bus *bus);
void pci_bus_destroy(struct pci_bus *bus);
/* Registers 0xCF8-0xCFF on @io. */
int pci_bus_attach(struct pci_bus *bus, struct bus *io);
/* Puts @f at its devfn; -EEXIST if taken. */
int pci_bus_add(struct pci_bus *bus, struct pci_func *f);

/*
 * Fills the identity of @f and the writable bits every function has
 * (command, status, cache line, latency, interrupt line). @class is the
 * 24-bit class code (base, sub-class, programming interface).
 */
void pci_func_init(struct pci_func *f, u8 devfn, const char *name, u16 vendor,
		   u16 device, u32 class, u8 revision, u8 header_type);
/* Declares I/O BAR @bar of @size bytes (a power of two, 4 to 256) at @addr. */
void pci_func_io_bar(struct pci_func *f, int bar, u32 size, u16 addr);

/* Reads of a function's own registers; take the bus lock. */
u32 pci_cfg_read(struct pci_bus *bus, struct pci_func *f, unsigned int off,
		 unsigned int len);

/* Little-endian accessors of cfg[], for owners (no locking). */
static inline u16 pci_get16(const struct pci_func *f, unsigned int off)
{
	return get_le16(&f->cfg[off]);
}

static inline u32 pci_get32(const struct pci_func *f, unsigned int off)
{
	return get_le32(&f->cfg[off]);
}

#endif
