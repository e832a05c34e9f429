/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The other end of the guest's serial line: --console stdio (output to
 * stdout, input from stdin, which is put in raw mode when it is a
 * terminal) or --console file:PATH (output to PATH, no input).
 *
 * On a terminal, Ctrl-a x ends the VM (as in QEMU) and Ctrl-a Ctrl-a
 * sends a Ctrl-a. The output is also read line by line for Linux's panic
 * messages, since a fully virtualized guest has no other way to report a
 * panic: "Kernel panic - not syncing: MSG" marks the guest as panicking
 * (a later reboot or triple fault is then reported as the panic), and
 * "---[ end Kernel panic - not syncing: MSG ]---" ends it.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <pthread.h>
#include <termios.h>

#include "util.h"

struct serial;

struct console_ops {
	/* Kernel panic seen: @end once the panic's last line is out. */
	void (*panic)(void *opaque, bool end, const char *msg);
	/* The user typed Ctrl-a x. */
	void (*quit)(void *opaque);
};

struct console {
	int out_fd;
	bool own_out;		/* a file we opened */
	int in_fd;		/* -1: no input */
	bool raw;		/* stdin was put in raw mode */
	struct termios saved;
	struct serial *uart;
	const struct console_ops *ops;
	void *opaque;
	pthread_t thread;
	bool thread_running;
	int stop_pipe[2];
	bool escape;		/* Ctrl-a was typed */
	char line[256];		/* the output line being scanned */
	size_t line_len;
	bool line_overflow;
};

/*
 * @spec is "stdio" or "file:PATH". Returns 0, or -1 after saying why
 * (before anything else happened: call it before creating the VM).
 */
int console_open(struct console *c, const char *spec, const struct console_ops *ops,
		 void *opaque);
/* The same on given descriptors (@in_fd -1: no input); for the tests. */
void console_open_fds(struct console *c, int in_fd, int out_fd,
		      const struct console_ops *ops, void *opaque);
/* struct serial's output callback. */
void console_output(void *opaque, u8 byte);
/* Starts feeding stdin to @uart (stdio only). Returns 0 or -1. */
int console_start_input(struct console *c, struct serial *uart);
/* Stops the input thread, restores the terminal, closes the file. */
void console_close(struct console *c);

#endif
