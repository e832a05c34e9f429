// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl: the command-line front end of vireo.
 *
 * One table maps command names to functions, one file per command (kvmtool
 * and iw are the models). Commands report errors on stderr as one line
 * starting with "vireoctl: " and exit with EXIT_ERROR, or EXIT_USAGE for
 * bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vireo.h>

#include "vireoctl.h"

static int cmd_help(int argc, char **argv);

static const struct vireoctl_cmd cmds[] = {
	{ "caps", "", "show the API version and capabilities of /dev/vireo", cmd_caps },
	{ "run", "OPTIONS", "boot a Linux kernel in a new VM (run --help)", cmd_run },
	{ "list", "[--json]", "list the VMs of this network namespace", cmd_list },
	{ "show", "VM [--json]", "show one VM (VM: its id or its name)", cmd_show },
	{ "stats", "VM [--vcpu N] [--json]", "show a VM's counters: total, per vCPU", cmd_stats },
	{ "pause", "VM", "pause a VM: its vCPUs stop entering the guest", cmd_pause },
	{ "resume", "VM", "resume a paused VM", cmd_resume },
	{ "destroy", "VM", "destroy a VM: its VMM's RUN returns DESTROYED", cmd_destroy },
	{ "monitor", "[--json] [--count N]", "print VM events as they happen", cmd_monitor },
	{ "bench", "[SUITE...]", "benchmark vireo against KVM (bench --help)", cmd_bench },
	{ "help", "", "show this help", cmd_help },
};

/*
 * Open the vireo device: /dev/vireo, or $VIREO_DEVICE when set. Returns
 * the fd, or -1 after saying why.
 */
int vireoctl_open_dev(void)
{
	const char *path = getenv("VIREO_DEVICE");
	int fd, version;

	if (!path || !*path)
		path = "/dev/vireo";
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			vireoctl_err("cannot open %s: %s (is vireo.ko loaded? see README.md)",
				     path, strerror(errno));
		else if (errno == EACCES)
			vireoctl_err("cannot open %s: %s (it is 0600 root by default; Documentation/virt/vireo/api.rst says how to grant a group)",
				     path, strerror(errno));
		else
			vireoctl_err("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	version = ioctl(fd, VIREO_GET_API_VERSION, 0);
	if (version != VIREO_API_VERSION) {
		if (version < 0)
			vireoctl_err("%s is not a vireo device: %s", path, strerror(errno));
		else
			vireoctl_err("%s speaks vireo API %d, vireoctl needs %d",
				     path, version, VIREO_API_VERSION);
		close(fd);
		return -1;
	}
	return fd;
}

static void show_usage(FILE *out)
{
	size_t i;

	fputs("usage: vireoctl COMMAND [ARGS]\n\ncommands:\n", out);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(out, "  %-8s %-24s %s\n", cmds[i].name, cmds[i].args, cmds[i].help);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	show_usage(stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		show_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	vireoctl_err("unknown command '%s'; try 'vireoctl help'", argv[1]);
	return EXIT_USAGE;
}
