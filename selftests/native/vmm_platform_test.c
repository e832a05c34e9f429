// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rest of vireoctl run's PC (userctl/hw/): PCI configuration
 * mechanism #1 and the i440FX/PIIX3 functions, the three reset paths
 * (0xCF9, port 0x92, the i8042), the ACPI PM1 registers and S5
 * poweroff, the CMOS RTC, and the port bus itself (dispatch, unclaimed
 * ports, overlaps, string accesses).
 */
#include <errno.h>

#include "vmm_test.h"
#include "hw/acpi_pm.h"
#include "hw/i8042.h"
#include "hw/pci.h"
#include "hw/piix.h"
#include "hw/rtc.h"

static struct bus io;
static struct sys_rec sys;

static void setup(void)
{
	bus_destroy(&io);
	bus_init(&io, "port", false);
	sys_rec_init(&sys);
}

static u32 in(u16 port, unsigned int size)
{
	u32 v = 0;

	io_bus_access(&io, port, false, size, &v, 1);
	return v;
}

static void out(u16 port, unsigned int size, u32 v)
{
	io_bus_access(&io, port, true, size, &v, 1);
}

static u32 cfg(int devfn, int reg, unsigned int size)
{
	out(0xcf8, 4, 0x80000000 | devfn << 8 | (reg & 0xfc));
	return in(0xcfc + (reg & 3), size);
}

static struct pci_bus pci;
static struct piix piix;

static void setup_pci(void)
{
	setup();
	pci_bus_init(&pci);
	pci_bus_attach(&pci, &io);
	if (piix_init(&piix, &pci, &io, &sys.sys))
		tap_bail("piix_init failed");
}

static bool test_pci_ids(void)
{
	setup_pci();
	EXPECT(cfg(PCI_DEVFN(0, 0), 0, 4) == 0x12378086, "00:00.0 %#x", cfg(0, 0, 4));
	EXPECT(cfg(PCI_DEVFN(1, 0), 0, 4) == 0x70008086, "00:01.0");
	EXPECT(cfg(PCI_DEVFN(1, 0), 0x0e, 1) == 0x80, "00:01.0 is not multi-function");
	EXPECT(cfg(PCI_DEVFN(1, 0), 0x08, 4) >> 8 == 0x060100, "ISA bridge class");
	EXPECT(cfg(PCI_DEVFN(0, 0), 0x0a, 2) == 0x0600, "host bridge class");
	EXPECT(cfg(PCI_DEVFN(2, 0), 0, 4) == 0xffffffff, "an empty slot answers");
	EXPECT(cfg(PCI_DEVFN(0, 0), 2, 2) == 0x1237, "16-bit read at offset 2");
	return true;
}

static bool test_pci_disabled_and_other_bus(void)
{
	setup_pci();
	out(0xcf8, 4, 0x00000000);	/* enable bit clear */
	EXPECT(in(0xcfc, 4) == 0xffffffff, "config read without the enable bit");
	out(0xcf8, 4, 0x80010000);	/* bus 1 */
	EXPECT(in(0xcfc, 4) == 0xffffffff, "bus 1 answered");
	out(0xcf8, 4, 0x80000803);
	EXPECT(in(0xcf8, 4) == 0x80000800, "address register %#x: low bits kept",
	       in(0xcf8, 4));
	return true;
}

static bool test_pci_readonly_and_w1c(void)
{
	setup_pci();
	out(0xcf8, 4, 0x80000000);
	out(0xcfc, 4, 0xdeadbeef);	/* vendor/device are read-only */
	EXPECT(cfg(0, 0, 4) == 0x12378086, "IDs written");
	out(0xcf8, 4, 0x80000804);	/* 00:01.0 command/status */
	out(0xcfc, 4, 0xffff0000);
	EXPECT(cfg(PCI_DEVFN(1, 0), 6, 2) == 0x0200, "status %#x after writing ones",
	       cfg(PCI_DEVFN(1, 0), 6, 2));
	out(0xcf8, 4, 0x8000083c);
	out(0xcfc, 1, 0x0b);
	EXPECT(cfg(PCI_DEVFN(1, 0), 0x3c, 1) == 0x0b, "interrupt line not writable");
	return true;
}

static bool test_reset_cf9(void)
{
	setup_pci();
	out(0xcf9, 1, 0x02);
	EXPECT(sys.count == 0 && in(0xcf9, 1) == 0x02, "RCR %#x", in(0xcf9, 1));
	out(0xcf9, 1, 0x06);		/* Linux's ACPI reset register value */
	EXPECT(sys.count == 1 && sys.last == SYS_RESET, "no reset from 0xcf9");
	return true;
}

static bool test_reset_port92(void)
{
	setup_pci();
	EXPECT(in(0x92, 1) == 0x02, "A20 %#x", in(0x92, 1));
	out(0x92, 1, 0x00);
	EXPECT(sys.count == 0 && in(0x92, 1) == 0x00, "port 0x92");
	out(0x92, 1, 0x03);
	EXPECT(sys.count == 1 && sys.last == SYS_RESET, "no reset from port 0x92");
	return true;
}

static struct i8042 kbc;

static bool test_i8042(void)
{
	setup();
	i8042_init(&kbc, &sys.sys);
	i8042_attach(&kbc, &io);
	out(0x64, 1, 0xaa);
	EXPECT((in(0x64, 1) & 0x01) && in(0x60, 1) == 0x55, "self-test");
	EXPECT(!(in(0x64, 1) & 0x01), "output buffer still full");
	out(0x64, 1, 0x60);
	out(0x60, 1, 0x47);
	out(0x64, 1, 0x20);
	EXPECT(in(0x60, 1) == 0x47, "command byte");
	EXPECT((in(0x64, 1) & 0x02) == 0, "input buffer full: kb_wait() would spin");
	EXPECT(sys.count == 0, "reset too early");
	out(0x64, 1, 0xfe);		/* Linux's reboot=k */
	EXPECT(sys.count == 1 && sys.last == SYS_RESET, "no reset from 0xfe");
	return true;
}

static bool test_i8042_output_port(void)
{
	setup();
	i8042_init(&kbc, &sys.sys);
	i8042_attach(&kbc, &io);
	out(0x64, 1, 0xd0);
	EXPECT(in(0x60, 1) == 0x03, "output port");
	out(0x64, 1, 0xd1);
	out(0x60, 1, 0x02);		/* reset bit low */
	EXPECT(sys.count == 1, "no reset from the output port");
	return true;
}

static struct acpi_pm pm;

static bool test_acpi_poweroff(void)
{
	setup();
	acpi_pm_init(&pm, &sys.sys);
	acpi_pm_attach(&pm, &io);
	EXPECT(in(ACPI_PM1_CNT, 2) & 1, "SCI_EN reads as 0");
	out(ACPI_PM1_EVT + 2, 2, 0x0100);	/* PWRBTN_EN */
	EXPECT(in(ACPI_PM1_EVT, 4) == 0x01000000, "PM1 event block %#x",
	       in(ACPI_PM1_EVT, 4));
	/* Linux's acpi_hw_legacy_sleep(): SLP_TYP first, then with SLP_EN. */
	out(ACPI_PM1_CNT, 2, ACPI_S5_TYP << 10);
	EXPECT(sys.count == 0, "powered off without SLP_EN");
	EXPECT((in(ACPI_PM1_CNT, 2) & 0x1c00) == ACPI_S5_TYP << 10, "SLP_TYP not kept");
	out(ACPI_PM1_CNT, 2, ACPI_S5_TYP << 10 | 0x2000);
	EXPECT(sys.count == 1 && sys.last == SYS_POWEROFF, "no poweroff");
	EXPECT(!(in(ACPI_PM1_CNT, 2) & 0x2000), "SLP_EN reads back");
	return true;
}

static bool test_acpi_other_sleep_and_bytes(void)
{
	setup();
	acpi_pm_init(&pm, &sys.sys);
	acpi_pm_attach(&pm, &io);
	out(ACPI_PM1_CNT, 2, 1 << 10 | 0x2000);	/* S1: not offered */
	EXPECT(sys.count == 0, "an S1 request powered off");
	out(ACPI_PM1_CNT, 1, 0);
	out(ACPI_PM1_CNT + 1, 1, (ACPI_S5_TYP << 2) | 0x20);	/* byte access */
	EXPECT(sys.count == 1, "a byte-wide SLP_EN write did not power off");
	return true;
}

static struct rtc rtc;
static struct timespec fake_time;

static void fake_clock(struct timespec *ts)
{
	*ts = fake_time;
}

static u8 cmos(u8 reg)
{
	out(0x70, 1, reg);
	return in(0x71, 1);
}

static bool test_rtc_time(void)
{
	setup();
	fake_time.tv_sec = 1700000000;	/* 2023-11-14 22:13:20 UTC, a Tuesday */
	fake_time.tv_nsec = 0;
	rtc_init(&rtc, 256 * MIB, 0, fake_clock);
	rtc_attach(&rtc, &io);
	EXPECT(cmos(0x00) == 0x20 && cmos(0x02) == 0x13 && cmos(0x04) == 0x22,
	       "time %02x:%02x:%02x", cmos(0x04), cmos(0x02), cmos(0x00));
	EXPECT(cmos(0x07) == 0x14 && cmos(0x08) == 0x11 && cmos(0x09) == 0x23 &&
	       cmos(0x32) == 0x20, "date %02x-%02x-%02x century %02x", cmos(0x09),
	       cmos(0x08), cmos(0x07), cmos(0x32));
	EXPECT(cmos(0x06) == 3, "day of week %u", cmos(0x06));
	EXPECT(cmos(0x0d) == 0x80 && cmos(0x0a) == 0x26, "registers A/D");
	return true;
}

static bool test_rtc_binary_12h_and_set(void)
{
	setup();
	fake_time.tv_sec = 1700000000;
	rtc_init(&rtc, 256 * MIB, 0, fake_clock);
	rtc_attach(&rtc, &io);
	out(0x70, 1, 0x0b);
	out(0x71, 1, 0x04);		/* binary, 12 hours */
	EXPECT(cmos(0x04) == (0x80 | 10), "hour %#x: want PM 10", cmos(0x04));
	EXPECT(cmos(0x02) == 13, "binary minutes %u", cmos(0x02));
	out(0x70, 1, 0x02);
	out(0x71, 1, 30);		/* set minutes to 30 */
	EXPECT(cmos(0x02) == 30 && rtc.offset == 17 * 60, "offset %lld",
	       (long long)rtc.offset);
	fake_time.tv_sec += 60;
	EXPECT(cmos(0x02) == 31, "the guest's clock does not run");
	return true;
}

static bool test_rtc_uip_and_nvram(void)
{
	setup();
	fake_time.tv_sec = 1700000000;
	fake_time.tv_nsec = 999900000;
	rtc_init(&rtc, 512 * MIB, 2 * GIB, fake_clock);
	rtc_attach(&rtc, &io);
	EXPECT(cmos(0x0a) & 0x80, "no UIP just before the second ends");
	fake_time.tv_nsec = 500000000;
	EXPECT(!(cmos(0x0a) & 0x80), "UIP in the middle of the second");
	EXPECT((cmos(0x34) | cmos(0x35) << 8) == (512 - 16) * 16, "memory above 16M");
	EXPECT((cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16) == 2 * 1024 * 16,
	       "memory above 4G");
	EXPECT((cmos(0x15) | cmos(0x16) << 8) == 640, "base memory");
	out(0x70, 1, 0x40);
	out(0x71, 1, 0x5a);
	EXPECT(cmos(0x40) == 0x5a, "NVRAM byte");
	return true;
}

/* ---- the bus ---- */

static int hits;

static u32 count_in(void *dev, u16 port, unsigned int size)
{
	(void)dev;
	(void)size;
	hits++;
	return port & 0xff;
}

static void count_out(void *dev, u16 port, unsigned int size, u32 val)
{
	(void)dev;
	(void)port;
	(void)size;
	(void)val;
	hits++;
}

static const struct io_ops count_ops = { .in = count_in, .out = count_out };

static bool test_bus(void)
{
	u8 buf[8];

	setup();
	hits = 0;
	EXPECT(!bus_add(&io, 0x100, 8, "a", &count_ops, NULL), "bus_add");
	EXPECT(bus_add(&io, 0x104, 8, "b", &count_ops, NULL) == -EEXIST, "overlap accepted");
	EXPECT(bus_add(&io, 0xfc, 4, "c", &count_ops, NULL) == 0, "adjacent refused");
	EXPECT(in(0x103, 1) == 0x03 && hits == 1, "dispatch");
	EXPECT(in(0x200, 2) == 0xffff && io.unhandled == 1, "unclaimed read");
	io_bus_access(&io, 0x101, false, 1, buf, 8);	/* REP INSB: one call each */
	EXPECT(hits == 9 && buf[7] == 0x01, "string access without a string handler");
	EXPECT(bus_find(&io, 0x100)->exits == 2, "exit count %llu",
	       (unsigned long long)bus_find(&io, 0x100)->exits);
	EXPECT(!bus_remove(&io, 0x100) && !bus_find(&io, 0x103), "remove");
	return true;
}

static const struct vmm_case cases[] = {
	{ "pci: conf1 reads the i440FX and PIIX3 identities", test_pci_ids },
	{ "pci: disabled cycles and other buses read all ones", test_pci_disabled_and_other_bus },
	{ "pci: read-only IDs, write-1-to-clear status", test_pci_readonly_and_w1c },
	{ "piix: 0xcf9 with RST_CPU resets", test_reset_cf9 },
	{ "piix: port 0x92 bit 0 resets, bit 1 is A20", test_reset_port92 },
	{ "i8042: self-test, command byte, 0xfe resets", test_i8042 },
	{ "i8042: output port reset bit", test_i8042_output_port },
	{ "acpi: PM1 registers, SLP_TYP S5 + SLP_EN powers off", test_acpi_poweroff },
	{ "acpi: other sleep types ignored; byte writes work", test_acpi_other_sleep_and_bytes },
	{ "rtc: BCD 24-hour time and date from the host clock", test_rtc_time },
	{ "rtc: binary 12-hour mode; setting the clock", test_rtc_binary_12h_and_set },
	{ "rtc: update-in-progress window; memory size NVRAM", test_rtc_uip_and_nvram },
	{ "bus: dispatch, overlaps, unclaimed ports, strings", test_bus },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
