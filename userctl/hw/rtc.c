// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CMOS RTC: registers 0x00-0x0D of the MC146818, the rest NVRAM.
 * Time registers are computed from the host clock at each read; a write
 * to one of them moves the guest's clock (rtc->offset) instead of being
 * stored.
 */
#include <string.h>

#include "rtc.h"

#define RTC_INDEX	0x70

#define REG_SEC		0x00
#define REG_MIN		0x02
#define REG_HOUR	0x04
#define REG_WDAY	0x06
#define REG_MDAY	0x07
#define REG_MON		0x08
#define REG_YEAR	0x09
#define REG_A		0x0a
#define REG_B		0x0b
#define REG_C		0x0c
#define REG_D		0x0d
#define REG_CENTURY	0x32

#define A_UIP		0x80
#define B_SET		0x80
#define B_BINARY	0x04
#define B_24H		0x02
#define D_VRT		0x80

static void host_clock(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

static u8 to_bcd(const struct rtc *rtc, int v)
{
	return rtc->cmos[REG_B] & B_BINARY ? v : (v / 10) << 4 | v % 10;
}

static int from_bcd(const struct rtc *rtc, u8 v)
{
	return rtc->cmos[REG_B] & B_BINARY ? v : (v >> 4) * 10 + (v & 0xf);
}

static void guest_tm(struct rtc *rtc, struct tm *tm, long *nsec)
{
	struct timespec ts;
	time_t t;

	rtc->clock(&ts);
	t = ts.tv_sec + rtc->offset;
	gmtime_r(&t, tm);
	if (nsec)
		*nsec = ts.tv_nsec;
}

static u8 encode_hour(const struct rtc *rtc, int hour)
{
	int h12;

	if (rtc->cmos[REG_B] & B_24H)
		return to_bcd(rtc, hour);
	h12 = hour % 12 ? hour % 12 : 12;
	return to_bcd(rtc, h12) | (hour >= 12 ? 0x80 : 0);
}

static int decode_hour(const struct rtc *rtc, u8 v)
{
	int h;

	if (rtc->cmos[REG_B] & B_24H)
		return from_bcd(rtc, v);
	h = from_bcd(rtc, v & 0x7f) % 12;
	return v & 0x80 ? h + 12 : h;
}

static u8 rtc_read_reg(struct rtc *rtc, u8 reg)
{
	struct tm tm;
	long nsec;

	switch (reg) {
	case REG_SEC:
	case REG_MIN:
	case REG_HOUR:
	case REG_WDAY:
	case REG_MDAY:
	case REG_MON:
	case REG_YEAR:
	case REG_CENTURY:
		guest_tm(rtc, &tm, NULL);
		switch (reg) {
		case REG_SEC:
			return to_bcd(rtc, tm.tm_sec);
		case REG_MIN:
			return to_bcd(rtc, tm.tm_min);
		case REG_HOUR:
			return encode_hour(rtc, tm.tm_hour);
		case REG_WDAY:
			return to_bcd(rtc, tm.tm_wday + 1);
		case REG_MDAY:
			return to_bcd(rtc, tm.tm_mday);
		case REG_MON:
			return to_bcd(rtc, tm.tm_mon + 1);
		case REG_YEAR:
			return to_bcd(rtc, tm.tm_year % 100);
		default:
			return to_bcd(rtc, (tm.tm_year + 1900) / 100);
		}
	case REG_A:
		guest_tm(rtc, &tm, &nsec);
		/* The update cycle starts 244 us before the second ends. */
		return (rtc->cmos[REG_A] & 0x7f) |
		       (!(rtc->cmos[REG_B] & B_SET) && nsec >= 1000000000L - 244000 ? A_UIP : 0);
	case REG_C:
		return 0;	/* no interrupt flags: the RTC raises none */
	case REG_D:
		return D_VRT;
	default:
		return rtc->cmos[reg];
	}
}

/* Moves the guest's clock so that field @reg now reads @val. */
static void rtc_set_time(struct rtc *rtc, u8 reg, u8 val)
{
	struct timespec ts;
	struct tm tm;
	time_t t;

	guest_tm(rtc, &tm, NULL);
	switch (reg) {
	case REG_SEC:
		tm.tm_sec = from_bcd(rtc, val);
		break;
	case REG_MIN:
		tm.tm_min = from_bcd(rtc, val);
		break;
	case REG_HOUR:
		tm.tm_hour = decode_hour(rtc, val);
		break;
	case REG_MDAY:
		tm.tm_mday = from_bcd(rtc, val);
		break;
	case REG_MON:
		tm.tm_mon = from_bcd(rtc, val) - 1;
		break;
	case REG_YEAR:
		tm.tm_year = (tm.tm_year + 1900) / 100 * 100 + from_bcd(rtc, val) - 1900;
		break;
	case REG_CENTURY:
		tm.tm_year = from_bcd(rtc, val) * 100 + tm.tm_year % 100 - 1900;
		break;
	default:	/* the day of the week follows from the date */
		return;
	}
	t = timegm(&tm);
	if (t == (time_t)-1)
		return;
	rtc->clock(&ts);
	rtc->offset = (s64)t - ts.tv_sec;
}

static void rtc_write_reg(struct rtc *rtc, u8 reg, u8 val)
{
	switch (reg) {
	case REG_SEC:
	case REG_MIN:
	case REG_HOUR:
	case REG_WDAY:
	case REG_MDAY:
	case REG_MON:
	case REG_YEAR:
	case REG_CENTURY:
		rtc_set_time(rtc, reg, val);
		break;
	case REG_A:
		rtc->cmos[REG_A] = val & 0x7f;	/* UIP is read-only */
		break;
	case REG_C:
	case REG_D:
		break;				/* read-only */
	default:
		rtc->cmos[reg] = val;
		break;
	}
}

static u32 rtc_in(void *dev, u16 port, unsigned int size)
{
	struct rtc *rtc = dev;
	u8 val;

	(void)size;
	if (port == RTC_INDEX)
		return 0xff;		/* the index register is write-only */
	pthread_mutex_lock(&rtc->lock);
	val = rtc_read_reg(rtc, rtc->index);
	pthread_mutex_unlock(&rtc->lock);
	return val;
}

static void rtc_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct rtc *rtc = dev;

	(void)size;
	pthread_mutex_lock(&rtc->lock);
	if (port == RTC_INDEX)
		rtc->index = val & 0x7f;	/* bit 7 masks NMIs */
	else
		rtc_write_reg(rtc, rtc->index, val);
	pthread_mutex_unlock(&rtc->lock);
}

const struct io_ops rtc_io_ops = {
	.in = rtc_in,
	.out = rtc_out,
};

static void put16(u8 *cmos, u8 reg, u64 v)
{
	cmos[reg] = v;
	cmos[reg + 1] = v >> 8;
}

void rtc_init(struct rtc *rtc, u64 ram_below_4g, u64 ram_above_4g,
	      void (*clock)(struct timespec *ts))
{
	u64 ext_kb, above_16m;

	memset(rtc, 0, sizeof(*rtc));
	pthread_mutex_init(&rtc->lock, NULL);
	rtc->clock = clock ? clock : host_clock;
	rtc->cmos[REG_A] = 0x26;		/* 32.768 kHz base, 1024 Hz rate */
	rtc->cmos[REG_B] = B_24H;		/* BCD, 24 hours */
	rtc->cmos[0x10] = 0;			/* no floppy drives */
	rtc->cmos[0x14] = 0x02;			/* equipment: FPU present */
	put16(rtc->cmos, 0x15, 640);		/* base memory, KiB */
	/* Extended memory from 1 MiB, KiB, capped as a BIOS caps it. */
	ext_kb = ram_below_4g > MIB ? (ram_below_4g - MIB) / KIB : 0;
	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	put16(rtc->cmos, 0x17, ext_kb);
	put16(rtc->cmos, 0x30, ext_kb);
	/* Memory above 16 MiB in 64 KiB units, and above 4 GiB. */
	above_16m = ram_below_4g > 16 * MIB ? (ram_below_4g - 16 * MIB) / (64 * KIB) : 0;
	if (above_16m > 0xffff)
		above_16m = 0xffff;
	put16(rtc->cmos, 0x34, above_16m);
	put16(rtc->cmos, 0x5b, ram_above_4g / (64 * KIB));
	rtc->cmos[0x5d] = ram_above_4g / (64 * KIB) >> 16;
}

void rtc_destroy(struct rtc *rtc)
{
	pthread_mutex_destroy(&rtc->lock);
}

int rtc_attach(struct rtc *rtc, struct bus *bus)
{
	return bus_add(bus, RTC_INDEX, 2, "rtc", &rtc_io_ops, rtc);
}
