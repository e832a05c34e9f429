/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PC that vireoctl run builds around the vCPUs: which device model
 * sits at which port and drives which ISA IRQ of the 8259 pair.
 *
 *   ports           device                          IRQ
 *   0x020-0x021     8259 master (hw/pic.c)
 *   0x0a0-0x0a1     8259 slave
 *   0x4d0-0x4d1     ELCR
 *   0x040-0x043     i8254 PIT (hw/pit.c)             0
 *   0x061           port B: PIT gate 2, speaker
 *   0x060, 0x064    i8042, reset line (hw/i8042.c)
 *   0x070-0x071     CMOS RTC (hw/rtc.c)
 *   0x080           POST / I/O delay port (sink)
 *   0x092           port A: fast reset, A20 (hw/piix.c)
 *   0x1f0-0x1f7     IDE primary, --disk (hw/ata.c)    14
 *   0x3f6           IDE primary control
 *   0x3f8-0x3ff     COM1 16550A, the console          4
 *   0x600-0x605     ACPI PM1a event and control       (9, SCI: never raised)
 *   0xcf8-0xcff     PCI conf1; 0xcf9 reset control
 *   0xc000-0xc007   IDE bus master (BAR4, movable)
 *
 * PCI bus 0: 00:00.0 i440FX host bridge, 00:01.0 PIIX3 ISA bridge,
 * 00:01.1 PIIX3 IDE (legacy mode). Everything else reads as absent.
 */
#ifndef VMM_PC_H
#define VMM_PC_H

#include <stdio.h>

#include "../hw/acpi_pm.h"
#include "../hw/ata.h"
#include "../hw/i8042.h"
#include "../hw/pci.h"
#include "../hw/pic.h"
#include "../hw/piix.h"
#include "../hw/piix_ide.h"
#include "../hw/pit.h"
#include "../hw/rtc.h"
#include "../hw/serial.h"
#include "console.h"
#include "vm.h"

#define PC_COM1		0x3f8
#define PC_IRQ_PIT	0
#define PC_IRQ_COM1	4
#define PC_IRQ_IDE	14

struct pc {
	struct vm *vm;
	struct console *console;
	struct pic pic;
	struct pit pit;
	struct serial com1;
	struct rtc rtc;
	struct i8042 kbc;
	struct acpi_pm pm;
	struct pci_bus pci;
	struct piix piix;
	struct ata_channel ata;
	struct piix_ide ide;
	u64 panic_ns;		/* when the console showed a panic; 0: never */
};

/*
 * Builds the devices on @vm's buses. @disk_fd (or -1) of @disk_bytes is
 * the IDE primary master. Returns 0 or -1 after saying why.
 */
int pc_init(struct pc *pc, struct vm *vm, struct console *console, int disk_fd,
	    u64 disk_bytes);
/* Routes the board's MSRs to vireoctl. Returns 0 or -1 after saying why. */
/* Starts the device threads (PIT, console input). */
int pc_start(struct pc *pc);
/* Stops them. */
void pc_stop(struct pc *pc);

/* The devices' state at the end, for --stats (what an interrupt waited on). */
void pc_print_state(struct pc *pc, FILE *out);

/* The console callbacks that tie a panic and Ctrl-a x to the VM. */
extern const struct console_ops pc_console_ops;

#endif
