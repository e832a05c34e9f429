/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl: shared declarations of the command table and its commands.
 */
#ifndef VIREOCTL_H
#define VIREOCTL_H

/* Exit codes every command follows. */
#define EXIT_OK		0
#define EXIT_ERROR	1
#define EXIT_USAGE	2

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

struct vireoctl_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

int cmd_caps(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int vireoctl_open_dev(void);
void vireoctl_err(const char *fmt, ...) __printf(1, 2);

#endif
