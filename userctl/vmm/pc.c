// SPDX-License-Identifier: GPL-2.0-only
/*
 * The board of vireoctl run: creates the device models, puts them on the
 * buses and wires their interrupts (the map is in pc.h), and connects the
 * 8259 pair's output to the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pc.h"

#define PORT_POST	0x80
#define MSR_IA32_PLATFORM_ID	0x17

/* The 8259 pair acknowledged @vector: queue it for vCPU 0 (virtual wire). */
static void pc_deliver(void *opaque, u8 vector)
{
	struct pc *pc = opaque;
	struct vireo_interrupt irq = { .vector = vector };

	if (ioctl(pc->vm->vcpus[0].fd, VIREO_INTERRUPT, &irq))
		vm_stop(pc->vm, FATE_ERROR, "VIREO_INTERRUPT (vector %#x): %s", vector,
			strerror(errno));
}

/* Port 0x80: POST codes and Linux's I/O delay writes; nothing to do. */
static u32 post_in(void *dev, u16 port, unsigned int size)
{
	(void)dev;
	(void)port;
	(void)size;
	return 0xff;
}

static void post_out(void *dev, u16 port, unsigned int size, u32 val)
{
	(void)dev;
	(void)port;
	(void)size;
	(void)val;
}

static const struct io_ops post_ops = { .in = post_in, .out = post_out };

static void pc_panic(void *opaque, bool end, const char *msg)
{
	struct pc *pc = opaque;

	if (end) {
		sys_request(&pc->vm->sys, SYS_PANIC, msg);
		return;
	}
	vm_panic_seen(pc->vm, msg);
	if (!pc->panic_ns)
		pc->panic_ns = now_ns();
}

static void pc_quit(void *opaque)
{
	struct pc *pc = opaque;

	vm_stop_signal(pc->vm, SIGINT, "stopped by the user (Ctrl-a x)");
}

const struct console_ops pc_console_ops = {
	.panic = pc_panic,
	.quit = pc_quit,
};

int pc_init(struct pc *pc, struct vm *vm, struct console *console, int disk_fd,
	    u64 disk_bytes)
{
	struct bus *io = &vm->io;
	char serial[21];
	int ret;

	pc->vm = vm;
	pc->console = console;
	pc->panic_ns = 0;
	pic_init(&pc->pic, pc_deliver, pc);
	pit_init(&pc->pit, pic_line(&pc->pic, PC_IRQ_PIT), now_ns);
	serial_init(&pc->com1, pic_line(&pc->pic, PC_IRQ_COM1), console_output, console);
	rtc_init(&pc->rtc, mem_low_size(&vm->mem), mem_high_size(&vm->mem), NULL);
	i8042_init(&pc->kbc, &vm->sys);
	acpi_pm_init(&pc->pm, &vm->sys);
	pci_bus_init(&pc->pci);
	ata_init(&pc->ata, pic_line(&pc->pic, PC_IRQ_IDE));
	if (disk_fd >= 0) {
		snprintf(serial, sizeof(serial), "VIREO-VM%u", vm->id);
		ata_attach_disk(&pc->ata, 0, disk_fd, disk_bytes, serial);
	}

	ret = pic_attach(&pc->pic, io);
	if (!ret)
		ret = pit_attach(&pc->pit, io);
	if (!ret)
		ret = serial_attach(&pc->com1, io, PC_COM1);
	if (!ret)
		ret = rtc_attach(&pc->rtc, io);
	if (!ret)
		ret = i8042_attach(&pc->kbc, io);
	if (!ret)
		ret = acpi_pm_attach(&pc->pm, io);
	if (!ret)
		ret = bus_add(io, PORT_POST, 1, "post", &post_ops, pc);
	if (!ret)
		ret = pci_bus_attach(&pc->pci, io);
	if (!ret)
		ret = piix_init(&pc->piix, &pc->pci, io, &vm->sys);
	if (!ret)
		ret = piix_ide_init(&pc->ide, &pc->pci, io, &vm->mem, &pc->ata);
	if (ret) {
		vireoctl_err("cannot build the PC's devices: %s", strerror(-ret));
		return -1;
	}
	return 0;
}

/* A routed MSR access (VIREO_EXIT_MSR); error makes it #GP in the guest. */
static void pc_msr(struct vcpu *v)
{
	struct vireo_run *run = v->run;

	if (run->msr.index == MSR_IA32_PLATFORM_ID && !run->msr.is_write) {
		run->msr.data = 0;
		run->msr.error = 0;
		return;
	}
	run->msr.error = 1;		/* read-only, or nothing of ours */
}

int pc_route_msrs(struct pc *pc)
{
	struct vireo_user_range range = {
		.kind = VIREO_RANGE_MSR, .first = MSR_IA32_PLATFORM_ID, .count = 1,
	};

	if (ioctl(pc->vm->fd, VIREO_SET_USER_RANGE, &range)) {
		vireoctl_err("VIREO_SET_USER_RANGE (MSR %#x): %s", range.first, strerror(errno));
		return -1;
	}
	pc->vm->ext.msr = pc_msr;
	return 0;
}

int pc_start(struct pc *pc)
{
	int ret = pit_start(&pc->pit);

	if (ret) {
		vireoctl_err("cannot start the PIT thread: %s", strerror(-ret));
		return -1;
	}
	return console_start_input(pc->console, &pc->com1);
}

void pc_stop(struct pc *pc)
{
	pit_stop(&pc->pit);
	console_close(pc->console);
}
