/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The i8042 keyboard controller (data 0x60, status/command 0x64), for
 * its reset line: command 0xFE (any pulse of output line 0), or output
 * port bit 0 cleared with command 0xD1, resets the machine. The controller
 * answers its own commands (self-test, command byte, output port, A20);
 * no keyboard or mouse is attached, so it raises no interrupt, and the
 * ACPI FADT tells Linux not to look for one. The guest's keyboard is the
 * serial console.
 */
#ifndef HW_I8042_H
#define HW_I8042_H

#include <pthread.h>

#include "../vmm/bus.h"
#include "../vmm/sysctl.h"

struct i8042 {
	pthread_mutex_t lock;	/* guards everything below */
	u8 cmd_byte;
	u8 output_port;
	u8 pending;		/* command waiting for its data byte, or 0 */
	u8 out[4];		/* output buffer queue */
	unsigned int out_head, out_count;
	u8 last;		/* what a read of an empty buffer returns */
	bool last_was_cmd;	/* status bit 3 */
	bool timeout;		/* status bit 6: a byte for a missing device */
	struct sysctl *sys;
};

extern const struct io_ops i8042_io_ops;

void i8042_init(struct i8042 *kbc, struct sysctl *sys);
void i8042_destroy(struct i8042 *kbc);
int i8042_attach(struct i8042 *kbc, struct bus *bus);

#endif
