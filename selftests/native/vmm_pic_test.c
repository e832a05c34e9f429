// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 8259A pair of vireoctl run (userctl/hw/pic.c), driven through its
 * ports as Linux's i8259 driver drives it: initialization, priorities,
 * nesting, EOI forms, rotation, masks, the cascade, ELCR level triggering,
 * auto-EOI, poll mode and special mask mode. Delivered vectors are
 * recorded in place of VIREO_INTERRUPT.
 */
#include "vmm_test.h"
#include "hw/pic.h"

static struct pic pic;
static u8 vectors[64];
static int nr_vectors;

static void deliver(void *opaque, u8 vector)
{
	(void)opaque;
	if (nr_vectors < (int)ARRAY_SIZE(vectors))
		vectors[nr_vectors] = vector;
	nr_vectors++;
}

static void out8(u16 port, u8 val)
{
	pic_io_ops.out(&pic, port, 1, val);
}

static u8 in8(u16 port)
{
	return pic_io_ops.in(&pic, port, 1);
}

/* What Linux's init_8259A() does (arch/x86/kernel/i8259.c), masks opened. */
static void linux_init(bool auto_eoi)
{
	pic_init(&pic, deliver, NULL);
	nr_vectors = 0;
	out8(0x21, 0xff);
	out8(0xa1, 0xff);
	out8(0x20, 0x11);
	out8(0x21, 0x30);
	out8(0x21, 0x04);
	out8(0x21, auto_eoi ? 0x03 : 0x01);
	out8(0xa0, 0x11);
	out8(0xa1, 0x38);
	out8(0xa1, 0x02);
	out8(0xa1, 0x01);
	out8(0x21, 0x00);
	out8(0xa1, 0x00);
}

static u8 isr(u16 cmd)
{
	out8(cmd, 0x0b);
	return in8(cmd);
}

static u8 irr(u16 cmd)
{
	out8(cmd, 0x0a);
	return in8(cmd);
}

static void pulse(unsigned int irq)
{
	pic_set_irq(&pic, irq, 1);
	pic_set_irq(&pic, irq, 0);
}

static bool test_init_and_deliver(void)
{
	linux_init(false);
	EXPECT(in8(0x21) == 0 && in8(0xa1) == 0, "masks %#x %#x", in8(0x21), in8(0xa1));
	pulse(0);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x30, "%d vectors, first %#x",
	       nr_vectors, vectors[0]);
	EXPECT(isr(0x20) == 0x01, "ISR %#x", isr(0x20));
	EXPECT(irr(0x20) == 0x00, "IRR %#x: the edge request is acknowledged", irr(0x20));
	return true;
}

static bool test_imr_probe(void)
{
	/* Linux's probe_8259A(): the mask register must read back. */
	linux_init(false);
	out8(0x21, 0xfb);
	EXPECT(in8(0x21) == 0xfb, "IMR read %#x", in8(0x21));
	return true;
}

static bool test_priority_and_specific_eoi(void)
{
	linux_init(false);
	pulse(0);
	pulse(3);
	EXPECT(nr_vectors == 1, "IRQ 3 delivered under IRQ 0 (%d vectors)", nr_vectors);
	EXPECT(irr(0x20) == 0x08, "IRR %#x", irr(0x20));
	out8(0x20, 0x60);		/* specific EOI, IRQ 0 */
	EXPECT(nr_vectors == 2 && vectors[1] == 0x33, "%d vectors, last %#x",
	       nr_vectors, vectors[1]);
	EXPECT(isr(0x20) == 0x08, "ISR %#x", isr(0x20));
	return true;
}

static bool test_nesting(void)
{
	linux_init(false);
	pulse(5);
	pulse(1);		/* higher priority: nests */
	EXPECT(nr_vectors == 2 && vectors[0] == 0x35 && vectors[1] == 0x31,
	       "%d vectors: %#x %#x", nr_vectors, vectors[0], vectors[1]);
	EXPECT(isr(0x20) == 0x22, "ISR %#x", isr(0x20));
	out8(0x20, 0x20);	/* non-specific EOI: the highest, IRQ 1 */
	EXPECT(isr(0x20) == 0x20, "ISR %#x after a non-specific EOI", isr(0x20));
	return true;
}

static bool test_mask(void)
{
	linux_init(false);
	out8(0x21, 0x10);
	pulse(4);
	EXPECT(nr_vectors == 0, "masked IRQ 4 delivered");
	EXPECT(irr(0x20) == 0x10, "IRR %#x: the request waits", irr(0x20));
	out8(0x21, 0x00);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x34, "%d vectors after unmask",
	       nr_vectors);
	return true;
}

static bool test_cascade(void)
{
	linux_init(false);
	pulse(14);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x3e, "%d vectors, first %#x",
	       nr_vectors, vectors[0]);
	EXPECT(isr(0x20) == 0x04 && isr(0xa0) == 0x40, "ISR %#x/%#x", isr(0x20), isr(0xa0));
	pulse(12);		/* slave, higher priority than 14 but behind IRQ 2 */
	EXPECT(nr_vectors == 1, "IRQ 12 passed the in-service cascade");
	out8(0xa0, 0x66);	/* Linux: specific EOI on the slave, then the master */
	out8(0x20, 0x62);
	EXPECT(nr_vectors == 2 && vectors[1] == 0x3c, "%d vectors, last %#x",
	       nr_vectors, vectors[1]);
	return true;
}

static bool test_special_fully_nested(void)
{
	linux_init(false);
	out8(0x20, 0x11);	/* master again, with SFNM in ICW4 */
	out8(0x21, 0x30);
	out8(0x21, 0x04);
	out8(0x21, 0x11);
	out8(0x21, 0x00);
	pulse(14);
	pulse(12);		/* higher slave priority: passes the cascade now */
	EXPECT(nr_vectors == 2 && vectors[1] == 0x3c, "%d vectors", nr_vectors);
	return true;
}

static bool test_level_elcr(void)
{
	linux_init(false);
	out8(0x4d1, 0x02);	/* IRQ 9 level-triggered */
	EXPECT(in8(0x4d1) == 0x02, "ELCR2 %#x", in8(0x4d1));
	pic_set_irq(&pic, 9, 1);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x39, "%d vectors", nr_vectors);
	out8(0xa0, 0x61);
	out8(0x20, 0x62);
	EXPECT(nr_vectors == 2, "a level still high after EOI is delivered again (%d)",
	       nr_vectors);
	pic_set_irq(&pic, 9, 0);
	out8(0xa0, 0x61);
	out8(0x20, 0x62);
	EXPECT(nr_vectors == 2, "a dropped level was delivered (%d)", nr_vectors);
	EXPECT(irr(0xa0) == 0, "slave IRR %#x", irr(0xa0));
	return true;
}

static bool test_elcr_mask(void)
{
	linux_init(false);
	out8(0x4d0, 0xff);
	out8(0x4d1, 0xff);
	EXPECT(in8(0x4d0) == 0xf8 && in8(0x4d1) == 0xde, "ELCR %#x %#x",
	       in8(0x4d0), in8(0x4d1));
	return true;
}

static bool test_edge_needs_new_rise(void)
{
	linux_init(false);
	pic_set_irq(&pic, 4, 1);
	out8(0x20, 0x64);
	pic_set_irq(&pic, 4, 1);	/* still high: no new edge */
	EXPECT(nr_vectors == 1, "%d vectors from one edge", nr_vectors);
	pic_set_irq(&pic, 4, 0);
	pic_set_irq(&pic, 4, 1);
	EXPECT(nr_vectors == 2, "%d vectors after a second edge", nr_vectors);
	return true;
}

static bool test_rotate_on_eoi(void)
{
	linux_init(false);
	pulse(0);
	out8(0x20, 0xa0);	/* rotate on non-specific EOI: IRQ 0 lowest */
	out8(0x21, 0xff);
	pulse(0);
	pulse(5);
	out8(0x21, 0x00);
	EXPECT(nr_vectors == 2 && vectors[1] == 0x35,
	       "after rotation IRQ 5 should win, got %#x", vectors[1]);
	return true;
}

static bool test_set_priority(void)
{
	linux_init(false);
	out8(0x20, 0xc4);	/* IRQ 4 lowest: 5 highest */
	out8(0x21, 0xff);
	pulse(3);
	pulse(6);
	out8(0x21, 0x00);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x36, "got %#x", vectors[0]);
	return true;
}

static bool test_auto_eoi(void)
{
	linux_init(true);
	pulse(0);
	pulse(3);
	EXPECT(nr_vectors == 2, "%d vectors without any EOI", nr_vectors);
	EXPECT(isr(0x20) == 0, "ISR %#x in auto-EOI mode", isr(0x20));
	return true;
}

/*
 * The model acknowledges an interrupt as soon as it can be delivered (see
 * hw/pic.h), so a poll finds only what priorities hold back: nothing.
 */
static bool test_poll(void)
{
	linux_init(false);
	pulse(1);
	pulse(6);		/* behind IRQ 1 */
	out8(0x20, 0x0c);	/* OCW3 poll */
	EXPECT(in8(0x20) == 0x00, "a poll reported a request priorities hold back");
	EXPECT(irr(0x20) == 0x40 && isr(0x20) == 0x02, "IRR %#x ISR %#x", irr(0x20),
	       isr(0x20));
	out8(0x20, 0x61);
	EXPECT(nr_vectors == 2 && vectors[1] == 0x36, "%d vectors", nr_vectors);
	return true;
}

static bool test_special_mask(void)
{
	linux_init(false);
	pulse(1);
	out8(0x21, 0x02);	/* mask the in-service level */
	out8(0x20, 0x68);	/* OCW3: set special mask mode */
	pulse(6);
	EXPECT(nr_vectors == 2 && vectors[1] == 0x36, "%d vectors", nr_vectors);
	return true;
}

static bool test_no_delivery_during_init(void)
{
	linux_init(false);
	out8(0x20, 0x11);	/* ICW1: the master is being reprogrammed */
	pulse(0);
	EXPECT(nr_vectors == 0, "delivered in the middle of the ICW sequence");
	out8(0x21, 0x40);
	out8(0x21, 0x04);
	out8(0x21, 0x01);
	EXPECT(nr_vectors == 1 && vectors[0] == 0x40, "%d vectors, %#x", nr_vectors,
	       vectors[0]);
	return true;
}

static bool test_wide_access(void)
{
	linux_init(false);
	pic_io_ops.out(&pic, 0x20, 2, 0x5a0b);	/* OCW3 to 0x20, IMR 0x5a */
	EXPECT(in8(0x21) == 0x5a, "IMR %#x after a 16-bit write", in8(0x21));
	return true;
}

static const struct vmm_case cases[] = {
	{ "pic: Linux's initialization, one edge, one vector", test_init_and_deliver },
	{ "pic: the mask register reads back (Linux's probe)", test_imr_probe },
	{ "pic: a lower priority waits for the specific EOI", test_priority_and_specific_eoi },
	{ "pic: a higher priority nests; non-specific EOI clears it", test_nesting },
	{ "pic: a masked request waits in IRR", test_mask },
	{ "pic: slave interrupts cascade through IRQ 2", test_cascade },
	{ "pic: special fully nested mode lets the slave nest", test_special_fully_nested },
	{ "pic: ELCR level-triggered IRQ 9 repeats until it drops", test_level_elcr },
	{ "pic: ELCR bits of IRQ 0-2, 8 and 13 stay edge", test_elcr_mask },
	{ "pic: an edge input needs a new rising edge", test_edge_needs_new_rise },
	{ "pic: rotate on non-specific EOI", test_rotate_on_eoi },
	{ "pic: set priority command", test_set_priority },
	{ "pic: auto-EOI leaves nothing in service", test_auto_eoi },
	{ "pic: a poll does not take what priorities hold back", test_poll },
	{ "pic: special mask mode admits lower priorities", test_special_mask },
	{ "pic: nothing is delivered in the middle of the ICWs", test_no_delivery_during_init },
	{ "pic: a 16-bit access reaches two ports", test_wide_access },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
