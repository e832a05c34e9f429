/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MC146818 CMOS real-time clock and its NVRAM (index 0x70, data 0x71).
 *
 * The clock is the host's UTC time plus an offset the guest may change by
 * writing the time registers; BCD or binary, 12 or 24 hours, as register
 * B says. The update-in-progress flag is shown in the last 244 us of each
 * second, as the chip does. The NVRAM holds what a PC BIOS leaves there
 * for Linux: the memory size fields and the century. The RTC raises no
 * interrupt (no alarm, periodic or update IRQ 8).
 */
#ifndef HW_RTC_H
#define HW_RTC_H

#include <pthread.h>
#include <time.h>

#include "../vmm/bus.h"

struct rtc {
	pthread_mutex_t lock;	/* guards everything below */
	u8 index;
	u8 cmos[128];
	s64 offset;		/* guest time - host time, seconds */
	/* Host real time; a parameter for the tests. */
	void (*clock)(struct timespec *ts);
};

extern const struct io_ops rtc_io_ops;

/* @ram_below_4g and @ram_above_4g fill the BIOS memory size fields. */
void rtc_init(struct rtc *rtc, u64 ram_below_4g, u64 ram_above_4g,
	      void (*clock)(struct timespec *ts));
void rtc_destroy(struct rtc *rtc);
int rtc_attach(struct rtc *rtc, struct bus *bus);

#endif
