// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console backend of vireoctl run (userctl/vmm/console.c) with a real
 * UART model behind it: output reaches its descriptor byte for byte and is
 * scanned for Linux's panic lines; input from a pipe reaches the UART's
 * receiver; on a terminal (a pty here) Ctrl-a x quits and Ctrl-a Ctrl-a
 * sends a Ctrl-a.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "vmm_test.h"
#include "hw/serial.h"
#include "vmm/console.h"

static struct console con;
static struct serial uart;
static struct irq_rec rec;
static int panics, ends, quits;
static char msg[160];

static void on_panic(void *opaque, bool end, const char *m)
{
	(void)opaque;
	if (end)
		ends++;
	else
		panics++;
	snprintf(msg, sizeof(msg), "%s", m);
}

static void on_quit(void *opaque)
{
	(void)opaque;
	quits++;
}

static const struct console_ops ops = { .panic = on_panic, .quit = on_quit };

static void out_str(const char *s)
{
	while (*s)
		console_output(&con, *s++);
}

static void reset(void)
{
	panics = 0;
	ends = 0;
	quits = 0;
	msg[0] = 0;
	memset(&rec, 0, sizeof(rec));
}

static bool test_output_and_panic(void)
{
	int p[2];
	char buf[512];
	ssize_t n;

	reset();
	EXPECT(!pipe(p), "pipe");
	console_open_fds(&con, -1, p[1], &ops, NULL);
	out_str("[    1.0] booting\r\n");
	EXPECT(panics == 0 && ends == 0, "a harmless line was a panic");
	out_str("[    2.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0\r\n");
	EXPECT(panics == 1 && ends == 0 && !strcmp(msg, "Attempted to kill init! exitcode=0x0"),
	       "panic start: %d/%d '%s'", panics, ends, msg);
	out_str("[    2.1] ---[ end Kernel panic - not syncing: ");
	out_str("Attempted to kill init! exitcode=0x0 ]---\r\n");
	EXPECT(ends == 1 && !strcmp(msg, "Attempted to kill init! exitcode=0x0"), "panic end: '%s'",
	       msg);
	n = read(p[0], buf, sizeof(buf) - 1);
	EXPECT(n > 0, "no output");
	buf[n] = 0;
	EXPECT(!strncmp(buf, "[    1.0] booting\r\n[    2.0] Kernel panic", 40), "output '%.40s'",
	       buf);
	close(p[0]);
	close(p[1]);
	return true;
}

static bool test_long_line(void)
{
	int fd = open("/dev/null", O_WRONLY);
	int i;

	reset();
	console_open_fds(&con, -1, fd, &ops, NULL);
	for (i = 0; i < 1000; i++)
		console_output(&con, 'x');
	out_str("Kernel panic - not syncing: too late in a long line\n");
	EXPECT(panics == 0, "a panic past the line buffer was scanned");
	out_str("Kernel panic - not syncing: next line\n");
	EXPECT(panics == 1 && !strcmp(msg, "next line"), "'%s'", msg);
	close(fd);
	return true;
}

/* What the UART received, read as the guest would; waits up to 1 s. */
static int uart_read(u8 *buf, int want)
{
	struct timespec ts = { 0, 1000000 };
	int n = 0, tries;

	for (tries = 0; tries < 1000 && n < want; tries++) {
		while (n < want && (serial_io_ops.in(&uart, 0x3fd, 1) & 1))
			buf[n++] = serial_io_ops.in(&uart, 0x3f8, 1);
		if (n < want)
			nanosleep(&ts, NULL);
	}
	return n;
}

static bool test_pipe_input(void)
{
	static const char text[] = "echo hello, a line longer than the sixteen-byte FIFO\r";
	int p[2], fd = open("/dev/null", O_WRONLY);
	u8 buf[128];
	int n;

	reset();
	EXPECT(!pipe(p), "pipe");
	serial_init(&uart, irq_rec_line(&rec, 4), NULL, NULL);
	console_open_fds(&con, p[0], fd, &ops, NULL);
	EXPECT(!console_start_input(&con, &uart), "input thread");
	EXPECT(!con.raw, "a pipe was put in raw mode");
	EXPECT(write(p[1], text, sizeof(text) - 1) == sizeof(text) - 1, "write");
	n = uart_read(buf, sizeof(text) - 1);
	console_close(&con);
	EXPECT(n == sizeof(text) - 1 && !memcmp(buf, text, n), "received %d of %zu bytes", n,
	       sizeof(text) - 1);
	close(p[1]);
	close(fd);
	return true;
}

static bool test_tty_escape(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, fd = open("/dev/null", O_WRONLY);
	struct termios t;
	u8 buf[16];
	int n;

	reset();
	if (master < 0 || grantpt(master) || unlockpt(master))
		vmm_skip("no pseudo-terminal on this machine");
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	EXPECT(slave >= 0, "open the pty");
	serial_init(&uart, irq_rec_line(&rec, 4), NULL, NULL);
	console_open_fds(&con, slave, fd, &ops, NULL);
	EXPECT(!console_start_input(&con, &uart) && con.raw, "raw mode on a terminal");
	EXPECT(write(master, "a\001\001b", 4) == 4, "write");
	n = uart_read(buf, 3);
	EXPECT(n == 3 && buf[0] == 'a' && buf[1] == 1 && buf[2] == 'b', "Ctrl-a Ctrl-a: %d bytes",
	       n);
	EXPECT(quits == 0, "quit too early");
	EXPECT(write(master, "\001x", 2) == 2, "write");
	for (n = 0; n < 1000 && !quits; n++)
		usleep(1000);
	EXPECT(quits == 1, "Ctrl-a x did not quit");
	console_close(&con);
	EXPECT(!tcgetattr(slave, &t) && (t.c_lflag & ICANON), "the terminal was not restored");
	close(slave);
	close(master);
	close(fd);
	return true;
}

static const struct vmm_case cases[] = {
	{ "console: output passes through; panic start and end lines", test_output_and_panic },
	{ "console: an overlong line is not scanned", test_long_line },
	{ "console: piped input reaches the UART past its FIFO size", test_pipe_input },
	{ "console: on a terminal: raw mode, Ctrl-a escapes, restore", test_tty_escape },
};

int main(void)
{
	return vmm_run_cases(cases, ARRAY_SIZE(cases));
}
