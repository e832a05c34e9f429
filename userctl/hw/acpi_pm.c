// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI PM1a event and control registers (ACPI 6.4, 4.8.3.1 and 4.8.3.2),
 * one byte at a time so that any access width works.
 */
#include <stdio.h>
#include <string.h>

#include "acpi_pm.h"

#define SCI_EN		0x0001
#define SLP_TYP_SHIFT	10
#define SLP_TYP_MASK	(7 << SLP_TYP_SHIFT)
#define SLP_EN		0x2000
#define CNT_RW		(0x0006 | SLP_TYP_MASK)	/* BM_RLD, GBL_RLS, SLP_TYP */
#define STS_BITS	0x8731		/* WAK, RTC, SLPBTN, PWRBTN, GBL, BM, TMR */
#define EN_BITS		0x0721

static u8 pm_read_byte(struct acpi_pm *pm, u16 port)
{
	u16 reg;

	switch (port & ~1) {
	case ACPI_PM1_EVT:
		reg = pm->sts;
		break;
	case ACPI_PM1_EVT + 2:
		reg = pm->en;
		break;
	default:
		reg = pm->cnt | SCI_EN;
		break;
	}
	return port & 1 ? reg >> 8 : reg;
}

static u16 merge(u16 reg, u16 port, u8 val)
{
	return port & 1 ? (reg & 0x00ff) | val << 8 : (reg & 0xff00) | val;
}

static void pm_write_byte(struct acpi_pm *pm, u16 port, u8 val)
{
	u16 v;

	switch (port & ~1) {
	case ACPI_PM1_EVT:	/* write 1 to clear */
		pm->sts &= ~(merge(0, port, val) & STS_BITS);
		break;
	case ACPI_PM1_EVT + 2:
		pm->en = merge(pm->en, port, val) & EN_BITS;
		break;
	default:
		v = merge(pm->cnt, port, val);
		pm->cnt = v & CNT_RW;
		if (!(v & SLP_EN))
			break;
		if ((v & SLP_TYP_MASK) >> SLP_TYP_SHIFT == ACPI_S5_TYP)
			sys_request(pm->sys, SYS_POWEROFF, "ACPI S5 (PM1a_CNT.SLP_EN)");
		break;
	}
}

static u32 acpi_pm_in(void *dev, u16 port, unsigned int size)
{
	struct acpi_pm *pm = dev;
	unsigned int i;
	u32 val = 0;

	pthread_mutex_lock(&pm->lock);
	for (i = 0; i < size; i++)
		if (port + i < ACPI_PM1_CNT + 2)
			val |= (u32)pm_read_byte(pm, port + i) << (8 * i);
	pthread_mutex_unlock(&pm->lock);
	return val;
}

static void acpi_pm_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct acpi_pm *pm = dev;
	unsigned int i;

	pthread_mutex_lock(&pm->lock);
	for (i = 0; i < size; i++)
		if (port + i < ACPI_PM1_CNT + 2)
			pm_write_byte(pm, port + i, val >> (8 * i));
	pthread_mutex_unlock(&pm->lock);
}

const struct io_ops acpi_pm_io_ops = {
	.in = acpi_pm_in,
	.out = acpi_pm_out,
};

void acpi_pm_init(struct acpi_pm *pm, struct sysctl *sys)
{
	memset(pm, 0, sizeof(*pm));
	pthread_mutex_init(&pm->lock, NULL);
	pm->sys = sys;
}

void acpi_pm_destroy(struct acpi_pm *pm)
{
	pthread_mutex_destroy(&pm->lock);
}

int acpi_pm_attach(struct acpi_pm *pm, struct bus *bus)
{
	return bus_add(bus, ACPI_PM1_EVT, 6, "acpi-pm", &acpi_pm_io_ops, pm);
}
