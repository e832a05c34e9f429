/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI fixed hardware a guest needs to power off: the PM1a event
 * block (status and enable, ACPI_PM1_EVT) and the PM1a control block
 * (ACPI_PM1_CNT), on the ports the FADT names. ACPI is always enabled
 * (SCI_EN reads as 1, the FADT has no SMI command port). Writing
 * SLP_TYP = ACPI_S5_TYP with SLP_EN, which is what Linux does for
 * "poweroff" after reading \_S5 from the DSDT, powers the machine off.
 * No event ever raises the SCI (there is no power button or PM timer).
 */
#ifndef HW_ACPI_PM_H
#define HW_ACPI_PM_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/sysctl.h"

#define ACPI_PM1_EVT	0x600	/* 4 bytes: PM1_STS, PM1_EN */
#define ACPI_PM1_CNT	0x604	/* 2 bytes: PM1_CNT */
#define ACPI_SCI_IRQ	9
#define ACPI_S5_TYP	5	/* the SLP_TYP of \_S5 in the DSDT */

struct acpi_pm {
	pthread_mutex_t lock;	/* guards everything below */
	u16 sts, en, cnt;
	struct sysctl *sys;
};

extern const struct io_ops acpi_pm_io_ops;

void acpi_pm_init(struct acpi_pm *pm, struct sysctl *sys);
void acpi_pm_destroy(struct acpi_pm *pm);
int acpi_pm_attach(struct acpi_pm *pm, struct bus *bus);

#endif
