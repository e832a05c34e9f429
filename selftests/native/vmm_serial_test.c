// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 16550A of vireoctl run (userctl/hw/serial.c): what Linux's 8250
 * driver probes (scratch, loopback MSR, FIFO bits of IIR, THRE
 * re-assertion), transmission, the receive FIFO and its trigger levels,
 * the interrupt priorities, the OUT2 gate of the IRQ line, overruns.
 */
#include "vmm_test.h"
#include "hw/serial.h"

static struct serial uart;
static struct irq_rec rec;
static u8 out_buf[256];
static int out_len;

static void output(void *opaque, u8 byte)
{
	(void)opaque;
	if (out_len < (int)sizeof(out_buf))
		out_buf[out_len++] = byte;
}

static void setup(void)
{
	memset(&rec, 0, sizeof(rec));
	out_len = 0;
	serial_init(&uart, irq_rec_line(&rec, 4), output, NULL);
}

static void out8(unsigned int reg, u8 val)
{
	serial_io_ops.out(&uart, 0x3f8 + reg, 1, val);
}

static u8 in8(unsigned int reg)
{
	return serial_io_ops.in(&uart, 0x3f8 + reg, 1);
}

static bool test_scratch_and_divisor(void)
{
	setup();
	out8(7, 0xa5);
	EXPECT(in8(7) == 0xa5, "scratch");
	out8(3, 0x83);			/* DLAB */
	out8(0, 0x01);
	out8(1, 0x00);
	EXPECT(in8(0) == 0x01 && in8(1) == 0x00, "divisor latch");
	out8(3, 0x03);
	EXPECT(in8(3) == 0x03 && in8(1) == 0x00, "LCR %#x IER %#x", in8(3), in8(1));
	return true;
}

static bool test_loopback_msr(void)
{
	setup();
	/* Linux's autoconfig(): MCR = LOOP | 0x0A must read MSR & 0xF0 == 0x90. */
	out8(4, 0x10 | 0x0a);
	EXPECT((in8(6) & 0xf0) == 0x90, "MSR %#x in loopback", in8(6));
	out8(4, 0x00);
	EXPECT((in8(6) & 0xf0) == 0xb0, "MSR %#x: the terminal is there", in8(6));
	return true;
}

static bool test_fifo_bits(void)
{
	setup();
	out8(2, 0x01);
	EXPECT((in8(2) & 0xc0) == 0xc0, "IIR %#x with the FIFO on", in8(2));
	EXPECT(!(in8(2) & 0x20), "IIR bit 5 set: not a 16750");
	out8(2, 0x00);
	EXPECT((in8(2) & 0xc0) == 0x00, "IIR %#x with the FIFO off", in8(2));
	return true;
}

static bool test_thre_reassert(void)
{
	u8 iir1, iir2;

	setup();
	out8(4, 0x08);			/* OUT2 */
	/* Linux's UART_BUG_THRE test in serial8250_do_startup(). */
	out8(1, 0x02);
	iir1 = in8(2);
	out8(1, 0x00);
	out8(1, 0x02);
	iir2 = in8(2);
	out8(1, 0x00);
	EXPECT((iir1 & 0x0f) == 0x02 && (iir2 & 0x0f) == 0x02, "IIR %#x then %#x", iir1, iir2);
	EXPECT(rec.rises[4] == 2, "%d rising edges", rec.rises[4]);
	return true;
}

static bool test_thre_cleared_by_iir(void)
{
	setup();
	out8(4, 0x08);
	out8(1, 0x02);
	EXPECT(rec.level[4] == 1, "THRE did not raise IRQ 4");
	EXPECT((in8(2) & 0x0f) == 0x02, "IIR");
	EXPECT(rec.level[4] == 0, "reading IIR did not drop the line");
	EXPECT((in8(2) & 0x0f) == 0x01, "IIR %#x: THRE still pending", in8(2));
	out8(0, 'x');			/* a write empties again: THRE again */
	EXPECT(rec.level[4] == 1 && (in8(2) & 0x0f) == 0x02, "no THRE after a write");
	return true;
}

static bool test_transmit(void)
{
	setup();
	out8(0, 'o');
	out8(0, 'k');
	EXPECT(out_len == 2 && out_buf[0] == 'o' && out_buf[1] == 'k', "output %d bytes",
	       out_len);
	EXPECT((in8(5) & 0x60) == 0x60, "LSR %#x: transmitter not empty", in8(5));
	return true;
}

static bool test_receive_fifo(void)
{
	static const u8 msg[] = "hello";

	setup();
	out8(2, 0xc1);			/* FIFO, trigger 14 */
	out8(4, 0x08);
	out8(1, 0x01);
	EXPECT(serial_receive(&uart, msg, 5) == 5, "took fewer than 5 bytes");
	EXPECT(rec.level[4] == 1 && in8(2) == 0xcc, "IIR %#x: want a timeout interrupt",
	       in8(2));
	EXPECT(in8(5) & 0x01, "LSR without DR");
	EXPECT(in8(0) == 'h' && in8(0) == 'e' && in8(0) == 'l' && in8(0) == 'l' &&
	       in8(0) == 'o', "bytes out of order");
	EXPECT(!(in8(5) & 0x01) && rec.level[4] == 0, "DR or IRQ left after draining");
	return true;
}

static bool test_receive_trigger(void)
{
	u8 buf[20];

	setup();
	memset(buf, 'a', sizeof(buf));
	out8(2, 0x41);			/* FIFO, trigger 4 */
	out8(4, 0x08);
	out8(1, 0x01);
	EXPECT(serial_receive(&uart, buf, 20) == 16, "the FIFO is 16 bytes");
	EXPECT(in8(2) == 0xc4, "IIR %#x at the trigger level", in8(2));
	EXPECT(serial_receive(&uart, buf, 1) == 0, "took a byte into a full FIFO");
	out8(2, 0x00);			/* FIFO off: one holding register */
	EXPECT(serial_receive(&uart, buf, 3) == 1, "the 8250 mode holds one byte");
	return true;
}

static bool test_out2_gates_irq(void)
{
	setup();
	out8(1, 0x02);			/* THRE pending, OUT2 low */
	EXPECT(rec.level[4] == 0, "the IRQ rose without OUT2");
	out8(4, 0x08);
	EXPECT(rec.level[4] == 1, "OUT2 did not let the IRQ through");
	return true;
}

static bool test_loopback_data_and_overrun(void)
{
	int i;

	setup();
	out8(2, 0x01);
	out8(4, 0x10);
	for (i = 0; i < 17; i++)
		out8(0, '0' + i);
	EXPECT(out_len == 0, "loopback data reached the output");
	out8(1, 0x05);			/* RDI and RLSI */
	EXPECT(in8(2) == 0xc6, "IIR %#x: line status first", in8(2));
	EXPECT((in8(5) & 0x03) == 0x03, "LSR: want DR and OE");
	EXPECT(!(in8(5) & 0x02), "OE not cleared by reading LSR");
	EXPECT(in8(0) == '0', "first looped byte");
	return true;
}

static bool test_modem_status_irq(void)
{
	setup();
	out8(4, 0x10);			/* loopback, RTS low */
	in8(6);				/* clear deltas */
	out8(1, 0x08);
	out8(4, 0x12);			/* RTS: CTS changes */
	EXPECT(in8(2) == 0x00, "IIR: want a modem status interrupt");
	EXPECT((in8(6) & 0x11) == 0x11, "MSR without CTS and DCTS");
	EXPECT((in8(2) & 0x01) == 0x01, "the MSR read did not clear it");
	return true;
}

static bool test_priorities(void)
{
	const u8 c = 'z';

	setup();
	out8(4, 0x08);
	out8(1, 0x03);			/* RDI and THRI */
	serial_receive(&uart, &c, 1);
	EXPECT((in8(2) & 0x0f) == 0x04, "received data before THRE");
	in8(0);
	EXPECT((in8(2) & 0x0f) == 0x02, "then THRE");
	return true;
}

static const struct vmm_case cases[] = {
	{ "serial: scratch register and divisor latch", test_scratch_and_divisor },
	{ "serial: loopback MSR (Linux's autoconfig test)", test_loopback_msr },
	{ "serial: FIFO bits in IIR (a 16550A)", test_fifo_bits },
	{ "serial: THRE interrupt re-asserts (Linux's THRE test)", test_thre_reassert },
	{ "serial: reading IIR clears THRE, writing THR sets it", test_thre_cleared_by_iir },
	{ "serial: transmit reaches the output, LSR empty", test_transmit },
	{ "serial: receive FIFO, timeout interrupt, order", test_receive_fifo },
	{ "serial: trigger level and FIFO size; 8250 mode", test_receive_trigger },
	{ "serial: MCR OUT2 gates IRQ 4", test_out2_gates_irq },
	{ "serial: loopback data, overrun, line status priority", test_loopback_data_and_overrun },
	{ "serial: modem status interrupt in loopback", test_modem_status_irq },
	{ "serial: received data outranks THRE", test_priorities },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
