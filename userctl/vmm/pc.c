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

void pc_print_state(struct pc *pc, FILE *out)
{
	struct pic_chip *c = pc->pic.chip;
	struct pit_channel *t = &pc->pit.ch[0];
	struct serial *u = &pc->com1;
	struct ata_drive *d = &pc->ata.drive[0];
	struct ata_channel *a = &pc->ata;
	int i;

	fprintf(out, "devices at the end\n");
	pthread_mutex_lock(&pc->pic.lock);
	for (i = 0; i < 2; i++)
		fprintf(out, "  8259 %s: IRR %02x ISR %02x IMR %02x ELCR %02x, vectors %#04x\n",
			i ? "slave " : "master", c[i].irr, c[i].isr, c[i].imr, c[i].elcr,
			c[i].vector_base);
	fprintf(out, "  8259: %llu vectors delivered\n", (unsigned long long)pc->pic.delivered);
	pthread_mutex_unlock(&pc->pic.lock);
	pthread_mutex_lock(&u->lock);
	fprintf(out, "  COM1: IER %02x MCR %02x LCR %02x FCR %02x, THRE %d, IRQ line %d\n",
		u->ier, u->mcr, u->lcr, u->fcr, u->thr_irq, u->irq_level);
	fprintf(out, "  COM1: %u bytes waiting; %llu out, %llu in\n", u->rx_count,
		(unsigned long long)u->tx_bytes, (unsigned long long)u->rx_bytes);
	pthread_mutex_unlock(&u->lock);
	pthread_mutex_lock(&pc->pit.lock);
	fprintf(out, "  PIT channel 0: mode %u, count %u, %s; %llu IRQ 0 edges, %llu merged\n",
		t->mode, t->count, t->loaded && t->armed ? "counting" : "stopped",
		(unsigned long long)pc->pit.irqs, (unsigned long long)pc->pit.missed);
	pthread_mutex_unlock(&pc->pit.lock);
	pthread_mutex_lock(&a->lock);
	fprintf(out, "  IDE: status %02x error %02x, last command %02x, INTRQ %d\n",
		a->status, a->error, a->cmd, a->intrq);
	fprintf(out, "  IDE: %llu sectors read, %llu written, %llu flushes\n",
		(unsigned long long)d->sectors_read, (unsigned long long)d->sectors_written,
		(unsigned long long)d->flushes);
	pthread_mutex_unlock(&a->lock);
}

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
