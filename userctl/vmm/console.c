// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console backend: bytes out to a descriptor, with the panic scan;
 * bytes in from stdin through a thread, with the Ctrl-a escape.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "../hw/serial.h"

#define CTRL_A			0x01
#define PANIC_START		"Kernel panic - not syncing: "
#define PANIC_END		"---[ end Kernel panic - not syncing: "

void console_open_fds(struct console *c, int in_fd, int out_fd,
		      const struct console_ops *ops, void *opaque)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->opaque = opaque;
	c->stop_pipe[0] = -1;
	c->stop_pipe[1] = -1;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
}

int console_open(struct console *c, const char *spec, const struct console_ops *ops,
		 void *opaque)
{
	console_open_fds(c, -1, -1, ops, opaque);
	if (!spec || !strcmp(spec, "stdio")) {
		c->out_fd = STDOUT_FILENO;
		c->in_fd = STDIN_FILENO;
		return 0;
	}
	if (strncmp(spec, "file:", 5) || !spec[5]) {
		vireoctl_err("--console takes stdio or file:PATH, not '%s'", spec);
		return -1;
	}
	c->out_fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (c->out_fd < 0) {
		vireoctl_err("cannot open the console file %s: %s", spec + 5, strerror(errno));
		return -1;
	}
	c->own_out = true;
	return 0;
}

/* The text after @marker on the line, up to a closing " ]---" if any. */
static void panic_message(const char *line, const char *marker, char *msg, size_t len)
{
	const char *p = strstr(line, marker) + strlen(marker);
	const char *end = strstr(p, " ]---");
	size_t n = end ? (size_t)(end - p) : strlen(p);

	while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
		n--;
	snprintf(msg, len, "%.*s", (int)n, p);
}

static void scan_line(struct console *c)
{
	char msg[160];

	c->line[c->line_len] = 0;
	if (!c->ops || !c->ops->panic)
		return;
	if (strstr(c->line, PANIC_END)) {
		panic_message(c->line, PANIC_END, msg, sizeof(msg));
		c->ops->panic(c->opaque, true, msg);
	} else if (strstr(c->line, PANIC_START)) {
		panic_message(c->line, PANIC_START, msg, sizeof(msg));
		c->ops->panic(c->opaque, false, msg);
	}
}

void console_output(void *opaque, u8 byte)
{
	struct console *c = opaque;
	ssize_t n;

	do {
		n = write(c->out_fd, &byte, 1);
	} while (n < 0 && errno == EINTR);

	if (byte == '\n') {
		if (!c->line_overflow)
			scan_line(c);
		c->line_len = 0;
		c->line_overflow = false;
	} else if (c->line_len < sizeof(c->line) - 1) {
		c->line[c->line_len++] = byte;
	} else {
		c->line_overflow = true;
	}
}

/* Gives @len bytes to the UART, waiting while its FIFO is full. */
static bool feed(struct console *c, const u8 *buf, size_t len)
{
	struct timespec ts = { 0, 1000 * 1000 };
	struct pollfd pfd = { .fd = c->stop_pipe[0], .events = POLLIN };
	size_t n;

	while (len) {
		n = serial_receive(c->uart, buf, len);
		buf += n;
		len -= n;
		if (len && (poll(&pfd, 1, 0) > 0 || nanosleep(&ts, NULL)))
			return false;
	}
	return true;
}

/* Applies the Ctrl-a escape to @in; returns the bytes left in @out. */
static size_t unescape(struct console *c, const u8 *in, size_t n, u8 *out)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (c->escape) {
			c->escape = false;
			if (in[i] == 'x' || in[i] == 'X') {
				if (c->ops && c->ops->quit)
					c->ops->quit(c->opaque);
				return m;
			}
			if (in[i] == CTRL_A)
				out[m++] = CTRL_A;
		} else if (in[i] == CTRL_A) {
			c->escape = true;
		} else {
			out[m++] = in[i];
		}
	}
	return m;
}

static void *input_thread(void *arg)
{
	struct console *c = arg;
	struct pollfd pfd[2] = {
		{ .fd = c->in_fd, .events = POLLIN },
		{ .fd = c->stop_pipe[0], .events = POLLIN },
	};
	u8 buf[256], out[256];
	ssize_t n;
	size_t m;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents)
			break;
		n = read(c->in_fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;		/* end of input: the guest just gets no more */
		m = c->raw ? unescape(c, buf, n, out) : (memcpy(out, buf, n), (size_t)n);
		if (!feed(c, out, m))
			break;
	}
	return NULL;
}

int console_start_input(struct console *c, struct serial *uart)
{
	struct termios raw;
	int ret;

	if (c->in_fd < 0)
		return 0;
	c->uart = uart;
	if (pipe2(c->stop_pipe, O_CLOEXEC)) {
		vireoctl_err("pipe: %s", strerror(errno));
		return -1;
	}
	if (isatty(c->in_fd) && !tcgetattr(c->in_fd, &c->saved)) {
		raw = c->saved;
		cfmakeraw(&raw);
		if (!tcsetattr(c->in_fd, TCSANOW, &raw))
			c->raw = true;
	}
	ret = pthread_create(&c->thread, NULL, input_thread, c);
	if (ret) {
		vireoctl_err("cannot start the console input thread: %s", strerror(ret));
		return -1;
	}
	c->thread_running = true;
	return 0;
}

void console_close(struct console *c)
{
	if (c->thread_running) {
		if (write(c->stop_pipe[1], "", 1) < 0)
			pthread_cancel(c->thread);
		pthread_join(c->thread, NULL);
		c->thread_running = false;
	}
	if (c->raw) {
		tcsetattr(c->in_fd, TCSANOW, &c->saved);
		c->raw = false;
	}
	if (c->stop_pipe[0] >= 0) {
		close(c->stop_pipe[0]);
		close(c->stop_pipe[1]);
		c->stop_pipe[0] = -1;
		c->stop_pipe[1] = -1;
	}
	if (c->own_out) {
		close(c->out_fd);
		c->own_out = false;
	}
}
