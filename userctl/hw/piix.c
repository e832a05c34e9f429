// SPDX-License-Identifier: GPL-2.0-only
/*
 * i440FX host bridge and PIIX3 ISA bridge: identity and chipset registers
 * (stored, not acted on: RAM is always RAM, there is no BIOS shadowing and
 * no PCI interrupt routing to program), and the reset registers.
 */
#include <string.h>

#include "piix.h"

#define PORT92		0x92
#define RCR_SYS_RST	0x02	/* hard reset when RST_CPU fires */
#define RCR_RST_CPU	0x04

static void rcr_write(void *opaque, u8 val)
{
	struct piix *piix = opaque;

	piix->rcr = val & RCR_SYS_RST;
	if (val & RCR_RST_CPU)
		sys_request(piix->sys, SYS_RESET, "the reset control register (port 0xcf9)");
}

static u8 rcr_read(void *opaque)
{
	return ((struct piix *)opaque)->rcr;
}

static u32 port92_in(void *dev, u16 port, unsigned int size)
{
	struct piix *piix = dev;

	(void)port;
	(void)size;
	return __atomic_load_n(&piix->port92, __ATOMIC_RELAXED);
}

static void port92_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct piix *piix = dev;

	(void)port;
	(void)size;
	__atomic_store_n(&piix->port92, val & 0x02, __ATOMIC_RELAXED);
	if (val & 0x01)
		sys_request(piix->sys, SYS_RESET, "the fast reset bit of port 0x92");
}

const struct io_ops piix_port92_ops = {
	.in = port92_in,
	.out = port92_out,
};

int piix_init(struct piix *piix, struct pci_bus *pci, struct bus *io, struct sysctl *sys)
{
	int ret;

	memset(piix, 0, sizeof(*piix));
	piix->sys = sys;
	piix->port92 = 0x02;		/* A20 on */

	pci_func_init(&piix->host, PCI_DEVFN(0, 0), "i440fx", 0x8086, 0x1237,
		      0x060000, 0x02, 0x00);
	/* PMC configuration, DRAM and PAM registers: stored only. */
	memset(&piix->host.wmask[0x50], 0xff, 0x30);

	pci_func_init(&piix->isa, PCI_DEVFN(1, 0), "piix3-isa", 0x8086, 0x7000,
		      0x060100, 0x00, 0x80);
	/* ISA bridge registers, PIRQ routing (all disabled), DMA, APIC base. */
	memset(&piix->isa.wmask[0x4c], 0xff, 0xb4);
	memset(&piix->isa.cfg[0x60], 0x80, 4);
	put_le16(&piix->isa.cfg[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
		 PCI_COMMAND_MASTER);
	put_le16(&piix->isa.cfg[PCI_STATUS], 0x0200);	/* medium DEVSEL */

	ret = pci_bus_add(pci, &piix->host);
	if (!ret)
		ret = pci_bus_add(pci, &piix->isa);
	if (ret)
		return ret;
	pci->rcr_write = rcr_write;
	pci->rcr_read = rcr_read;
	pci->rcr_opaque = piix;
	return bus_add(io, PORT92, 1, "port92", &piix_port92_ops, piix);
}
