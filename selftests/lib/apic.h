/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC in xAPIC mode, as guest code sees it at 0xfee00000 (the
 * library's page tables map it; vireo emulates it in the kernel).
 */
#ifndef VIREO_SELFTEST_APIC_H
#define VIREO_SELFTEST_APIC_H

#include "test_util.h"
#include "types.h"

#define APIC_GPA		0xfee00000UL

#define APIC_ID			0x020
#define APIC_LVR		0x030
#define APIC_TPR		0x080
#define APIC_PPR		0x0a0
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define  APIC_SPIV_ENABLE	BIT(8)
#define APIC_ISR		0x100
#define APIC_IRR		0x200
#define APIC_ICR		0x300
#define APIC_ICR2		0x310
#define  APIC_DM_FIXED		(0 << 8)
#define  APIC_DM_NMI		(4 << 8)
#define  APIC_DM_INIT		(5 << 8)
#define  APIC_DM_STARTUP	(6 << 8)
#define  APIC_DEST_LOGICAL	BIT(11)
#define  APIC_ICR_BUSY		BIT(12)
#define  APIC_INT_ASSERT	BIT(14)
#define  APIC_INT_LEVEL		BIT(15)
#define  APIC_DEST_SELF		BIT(18)
#define  APIC_DEST_ALL		(2 << 18)
#define  APIC_DEST_ALLBUT	(3 << 18)
#define APIC_LVTT		0x320
#define  APIC_LVT_MASKED	BIT(16)
#define  APIC_TIMER_ONESHOT	(0 << 17)
#define  APIC_TIMER_PERIODIC	BIT(17)
#define  APIC_TIMER_TSC_DEADLINE (2 << 17)
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
#define APIC_TMICT		0x380
#define APIC_TMCCT		0x390
#define APIC_TDCR		0x3e0
#define  APIC_TDCR_1		0xb

static inline u32 apic_read(u32 reg)
{
	return READ_ONCE(*(u32 *)(APIC_GPA + reg));
}

static inline void apic_write(u32 reg, u32 v)
{
	WRITE_ONCE(*(u32 *)(APIC_GPA + reg), v);
}

static inline void apic_enable(void)
{
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | 0xff);
}

static inline void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

/* Send an IPI: destination APIC id (or logical mask) and ICR low word. */
static inline void apic_icr(u32 dest, u32 low)
{
	apic_write(APIC_ICR2, dest << 24);
	apic_write(APIC_ICR, low);
}

#endif
