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

#include <linux/types.h>

/* The kernel's names for fixed-width types, as in the kernel's tools/. */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1U << (n))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

struct vireoctl_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(int argc, char **argv);
};

int cmd_caps(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int vireoctl_open_dev(void);
void vireoctl_err(const char *fmt, ...) __printf(1, 2);

#endif
