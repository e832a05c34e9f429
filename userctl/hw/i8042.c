// SPDX-License-Identifier: GPL-2.0-only
/*
 * The i8042 controller's command set (as in the IBM PC/AT technical
 * reference), without devices behind it.
 */
#include <string.h>

#include "i8042.h"

#define KBC_DATA	0x60
#define KBC_CMD		0x64

#define STS_OBF		0x01
#define STS_SYS		0x04
#define STS_CMD		0x08
#define STS_UNLOCKED	0x10
#define STS_TIMEOUT	0x40

#define CB_SYS		0x04
#define CB_KBD_OFF	0x10
#define CB_AUX_OFF	0x20

#define OP_RESET	0x01	/* output port bit 0: low resets the CPU */
#define OP_A20		0x02

static void kbc_push(struct i8042 *kbc, u8 byte)
{
	if (kbc->out_count == ARRAY_SIZE(kbc->out))
		return;
	kbc->out[(kbc->out_head + kbc->out_count++) % ARRAY_SIZE(kbc->out)] = byte;
}

static void kbc_reset(struct i8042 *kbc, const char *why)
{
	sys_request(kbc->sys, SYS_RESET, why);
}

static void kbc_command(struct i8042 *kbc, u8 cmd)
{
	kbc->pending = 0;
	switch (cmd) {
	case 0x20:		/* read the command byte */
		kbc_push(kbc, kbc->cmd_byte);
		break;
	case 0x60:		/* write the command byte */
	case 0xd1:		/* write the output port */
	case 0xd2:		/* write the keyboard output buffer */
	case 0xd3:		/* write the aux output buffer */
	case 0xd4:		/* write to the aux device */
		kbc->pending = cmd;
		break;
	case 0xa7:
		kbc->cmd_byte |= CB_AUX_OFF;
		break;
	case 0xa8:
		kbc->cmd_byte &= ~CB_AUX_OFF;
		break;
	case 0xa9:		/* aux interface test: lines fine */
	case 0xab:		/* keyboard interface test: lines fine */
		kbc_push(kbc, 0x00);
		break;
	case 0xaa:		/* controller self-test */
		kbc->cmd_byte |= CB_SYS;
		kbc_push(kbc, 0x55);
		break;
	case 0xad:
		kbc->cmd_byte |= CB_KBD_OFF;
		break;
	case 0xae:
		kbc->cmd_byte &= ~CB_KBD_OFF;
		break;
	case 0xc0:		/* read the input port */
		kbc_push(kbc, 0x00);
		break;
	case 0xd0:		/* read the output port */
		kbc_push(kbc, kbc->output_port);
		break;
	case 0xdd:
		kbc->output_port &= ~OP_A20;
		break;
	case 0xdf:
		kbc->output_port |= OP_A20;
		break;
	default:
		/* 0xF0-0xFF pulse the output lines whose bit is 0. */
		if (cmd >= 0xf0 && !(cmd & OP_RESET))
			kbc_reset(kbc, "the i8042 reset line (command 0xfe)");
		break;
	}
}

static void kbc_data(struct i8042 *kbc, u8 val)
{
	u8 cmd = kbc->pending;

	kbc->pending = 0;
	switch (cmd) {
	case 0x60:
		kbc->cmd_byte = val;
		break;
	case 0xd1:
		kbc->output_port = val;
		if (!(val & OP_RESET))
			kbc_reset(kbc, "the i8042 output port's reset bit");
		break;
	case 0xd2:
	case 0xd3:
		kbc_push(kbc, val);
		break;
	default:
		/* For the keyboard (or, after 0xD4, the mouse): nobody is there. */
		kbc->timeout = true;
		break;
	}
}

static u32 i8042_in(void *dev, u16 port, unsigned int size)
{
	struct i8042 *kbc = dev;
	u8 val;

	(void)size;
	pthread_mutex_lock(&kbc->lock);
	if (port == KBC_CMD) {
		val = (kbc->out_count ? STS_OBF : 0) | (kbc->cmd_byte & CB_SYS ? STS_SYS : 0) |
		      (kbc->last_was_cmd ? STS_CMD : 0) | STS_UNLOCKED |
		      (kbc->timeout ? STS_TIMEOUT : 0);
	} else {
		if (kbc->out_count) {
			kbc->last = kbc->out[kbc->out_head];
			kbc->out_head = (kbc->out_head + 1) % ARRAY_SIZE(kbc->out);
			kbc->out_count--;
		}
		kbc->timeout = false;
		val = kbc->last;
	}
	pthread_mutex_unlock(&kbc->lock);
	return val;
}

static void i8042_out(void *dev, u16 port, unsigned int size, u32 val)
{
	struct i8042 *kbc = dev;

	(void)size;
	pthread_mutex_lock(&kbc->lock);
	kbc->last_was_cmd = port == KBC_CMD;
	if (port == KBC_CMD)
		kbc_command(kbc, val);
	else
		kbc_data(kbc, val);
	pthread_mutex_unlock(&kbc->lock);
}

const struct io_ops i8042_io_ops = {
	.in = i8042_in,
	.out = i8042_out,
};

void i8042_init(struct i8042 *kbc, struct sysctl *sys)
{
	memset(kbc, 0, sizeof(*kbc));
	pthread_mutex_init(&kbc->lock, NULL);
	kbc->sys = sys;
	/* As a BIOS leaves it: translation, system flag, keyboard IRQ on. */
	kbc->cmd_byte = 0x45;
	kbc->output_port = OP_RESET | OP_A20;
}

void i8042_destroy(struct i8042 *kbc)
{
	pthread_mutex_destroy(&kbc->lock);
}

int i8042_attach(struct i8042 *kbc, struct bus *bus)
{
	int ret = bus_add(bus, KBC_DATA, 1, "i8042", &i8042_io_ops, kbc);

	return ret ? ret : bus_add(bus, KBC_CMD, 1, "i8042", &i8042_io_ops, kbc);
}
