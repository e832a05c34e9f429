// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl run: boot a Linux kernel in a new VM and run it to its end.
 *
 * The command checks everything it is given before it creates the VM
 * (files, the bzImage, memory against the kernel's needs and the host),
 * then builds the VM (vmm/vm.c), loads the kernel (vmm/boot.c, acpi.c),
 * builds the PC (vmm/pc.c) with the pv devices --pv offers (pv/), and runs
 * one thread per vCPU. The main thread
 * waits for the guest's fate or a signal, prints --stats, the one-line
 * reason, and exits with the fate's code. Documentation/virt/vireo/
 * vireoctl-run.rst is the user's manual.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include <linux/vireo.h>

#include "vireoctl.h"
#include "vmm/acpi.h"
#include "vmm/boot.h"
#include "vmm/cpuid.h"
#include "vmm/pc.h"
#include "vmm/stats.h"
#include "pv/pv.h"

#define DEFAULT_MEM		(256 * MIB)
#define DEFAULT_CMDLINE		"console=ttyS0"
#define MAX_CPUS		255
#define PANIC_GRACE_NS		(10 * NSEC_PER_SEC)

struct run_opts {
	const char *kernel;
	const char *initrd;
	const char *cmdline;
	const char *disk;
	const char *name;
	const char *console;
	u64 mem;
	int cpus;
	u32 pv;			/* --pv as given */
	bool pv_all;		/* --pv all: what this host offers */
	bool readonly;
	bool stats;
	bool verbose;
};

/* What the checks found, kept for the run. */
struct run_inputs {
	u8 *kernel;
	size_t kernel_size;
	struct bzimage bz;
	int initrd_fd;
	u64 initrd_size;
	int disk_fd;
	u64 disk_size;
	u32 pv;			/* the features offered */
	bool console_open;
	struct boot_layout layout;
};

static const char usage[] =
"usage: vireoctl run --kernel BZIMAGE [OPTIONS]\n"
"\n"
"Boots a Linux kernel in a new VM and runs it until it ends.\n"
"\n"
"  -k, --kernel FILE      the kernel, a bzImage (/boot/vmlinuz-*)\n"
"  -i, --initrd FILE      an initramfs or initrd\n"
"  -c, --cmdline STR      kernel command line (default \"" DEFAULT_CMDLINE "\")\n"
"  -m, --mem SIZE         RAM: a number of MiB, or with K, M, G (default 256M)\n"
"  -n, --cpus N           vCPUs, 1 to 255 (default 1)\n"
"  -d, --disk FILE        raw disk image, the IDE primary master (/dev/sda),\n"
"                         or the pv disk (/dev/vireoblk0) if the guest asks first\n"
"      --readonly         open the disk read-only (shared with other readers)\n"
"      --pv LIST          paravirtual features offered: none (default), all, or\n"
"                         a list of console,block,clock,system,idle\n"
"      --name NAME        name the VM ([A-Za-z0-9._-], up to 31 characters)\n"
"      --console SPEC     stdio (default) or file:PATH\n"
"      --stats            print exit counts when the guest ends\n"
"  -v, --verbose          log device accesses nobody claims\n"
"  -h, --help             this help\n"
"\n"
"On a terminal, Ctrl-a x ends the VM. Exit status: the guest's fate\n"
"  0  the guest powered off            4  kernel panic\n"
"  1  vireoctl failed                  5  triple fault\n"
"  2  bad arguments (no VM created)    6  vireo stopped the VM (internal error)\n"
"  3  the guest rebooted               7  the VM was destroyed by an administrator\n"
"  128+N  ended by signal N (130: Ctrl-C to vireoctl, or Ctrl-a x)\n"
"and always one line on stderr saying why.\n";

/* "512", "512M", "2G", "1048576K": MiB without a suffix. */
static int parse_size(const char *s, u64 *out)
{
	char *end;
	u64 v, unit = MIB;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		unit = KIB;
		end++;
		break;
	case 'm': case 'M':
		end++;
		break;
	case 'g': case 'G':
		unit = GIB;
		end++;
		break;
	case 't': case 'T':
		unit = 1024 * GIB;
		end++;
		break;
	}
	if (!strcmp(end, "iB") || !strcmp(end, "B"))
		end += strlen(end);
	if (*end || v > ~0ULL / unit)
		return -1;
	*out = v * unit;
	return 0;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= VIREO_VM_NAME_LEN)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* One option's value; -1 if fine, else the exit code. */
static int set_opt(struct run_opts *o, int c, char *arg)
{
	char why[160];
	char *end;
	long n;

	switch (c) {
	case 'k':
		o->kernel = arg;
		break;
	case 'i':
		o->initrd = arg;
		break;
	case 'c':
		o->cmdline = arg;
		break;
	case 'm':
		if (parse_size(arg, &o->mem)) {
			vireoctl_err("--mem '%s' is not a size (try 512M or 2G)", arg);
			return EXIT_USAGE;
		}
		break;
	case 'n':
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || *end || end == arg || n < 1 || n > MAX_CPUS) {
			vireoctl_err("--cpus '%s': give 1 to %d", arg, MAX_CPUS);
			return EXIT_USAGE;
		}
		o->cpus = n;
		break;
	case 'd':
		o->disk = arg;
		break;
	case 'N':
		if (!valid_name(arg)) {
			vireoctl_err("--name '%s': use 1 to 31 of A-Z a-z 0-9 . _ -", arg);
			return EXIT_USAGE;
		}
		o->name = arg;
		break;
	case 'P':
		if (pv_parse(arg, &o->pv, &o->pv_all, why, sizeof(why))) {
			vireoctl_err("%s", why);
			return EXIT_USAGE;
		}
		break;
	case 'R':
		o->readonly = true;
		break;
	case 'C':
		if (strcmp(arg, "stdio") && (strncmp(arg, "file:", 5) || !arg[5])) {
			vireoctl_err("--console takes stdio or file:PATH, not '%s'", arg);
			return EXIT_USAGE;
		}
		o->console = arg;
		break;
	case 'S':
		o->stats = true;
		break;
	case 'v':
		o->verbose = true;
		break;
	}
	return -1;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'n' },
		{ "disk", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'N' },
		{ "console", required_argument, NULL, 'C' },
		{ "pv", required_argument, NULL, 'P' },
		{ "readonly", no_argument, NULL, 'R' },
		{ "stats", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c, code;

	*o = (struct run_opts){ .cmdline = DEFAULT_CMDLINE, .mem = DEFAULT_MEM, .cpus = 1,
				.console = "stdio" };
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":k:i:c:m:n:d:vh", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (c == ':') {
			vireoctl_err("%s needs a value; try 'vireoctl run --help'",
				     argv[optind - 1]);
			return EXIT_USAGE;
		}
		if (c == '?') {
			vireoctl_err("unknown option '%s'; try 'vireoctl run --help'",
				     argv[optind - 1]);
			return EXIT_USAGE;
		}
		code = set_opt(o, c, optarg);
		if (code >= 0)
			return code;
	}
	if (optind < argc) {
		vireoctl_err("unexpected argument '%s'; try 'vireoctl run --help'", argv[optind]);
		return EXIT_USAGE;
	}
	if (!o->kernel) {
		vireoctl_err("run needs --kernel; try 'vireoctl run --help'");
		return EXIT_USAGE;
	}
	if (o->readonly && !o->disk) {
		vireoctl_err("--readonly is about --disk, which is missing");
		return EXIT_USAGE;
	}
	return -1;	/* go on */
}

static int read_file(const char *what, const char *path, u8 **data, size_t *size)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st)) {
		vireoctl_err("cannot read the %s %s: %s", what, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		vireoctl_err("the %s %s is not a regular, non-empty file", what, path);
		goto fail;
	}
	*data = malloc(st.st_size);
	if (!*data) {
		vireoctl_err("out of memory reading %s", path);
		goto fail;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *data + got, st.st_size - got);
		if (n <= 0) {
			vireoctl_err("cannot read the %s %s: %s", what, path,
				     n ? strerror(errno) : "short read");
			free(*data);
			goto fail;
		}
		got += n;
	}
	*size = got;
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int open_initrd(const char *path, struct run_inputs *in)
{
	struct stat st;

	in->initrd_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (in->initrd_fd < 0 || fstat(in->initrd_fd, &st)) {
		vireoctl_err("cannot read the initrd %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		vireoctl_err("the initrd %s is not a regular, non-empty file", path);
		return -1;
	}
	in->initrd_size = st.st_size;
	return 0;
}

static int open_disk(const char *path, bool readonly, struct run_inputs *in)
{
	struct stat st;
	u64 size = 0;

	in->disk_fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (in->disk_fd < 0 || fstat(in->disk_fd, &st)) {
		vireoctl_err("cannot open the disk %s for reading%s: %s", path,
			     readonly ? "" : " and writing", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		size = st.st_size;
	else if (!S_ISBLK(st.st_mode) || ioctl(in->disk_fd, BLKGETSIZE64, &size))
		size = 0;
	if (size < 512) {
		vireoctl_err("the disk %s is not a disk image: it must be a file or block device of at least 512 bytes",
			     path);
		return -1;
	}
	/*
	 * Writers exclude everyone; read-only users exclude only writers. A
	 * kernel without file locks (CONFIG_FILE_LOCKING=n: flock() is not a
	 * system call there) locks for nobody: go on, unprotected, and say so.
	 */
	if (flock(in->disk_fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB)) {
		if (errno == EWOULDBLOCK) {
			vireoctl_err("the disk %s is in use by another program", path);
			return -1;
		}
		vireoctl_err("warning: cannot lock the disk %s (%s): other programs may write it too",
			     path, strerror(errno));
	}
	if (size % 512)
		vireoctl_err("warning: the disk %s ends in %llu bytes short of a sector: ignored",
			     path, (unsigned long long)(size % 512));
	in->disk_size = size;
	return 0;
}

static struct console console;
static struct vm vm;
static struct pc pc;

/* The checks that need no VM; EXIT_USAGE on a bad argument, else -1. */
static int check_inputs(const struct run_opts *o, struct run_inputs *in)
{
	struct sysinfo si;
	char why[256];
	u64 host;

	if (read_file("kernel", o->kernel, &in->kernel, &in->kernel_size))
		return EXIT_USAGE;
	if (bzimage_parse(&in->bz, in->kernel, in->kernel_size, why, sizeof(why))) {
		vireoctl_err("the kernel %s: %s", o->kernel, why);
		return EXIT_USAGE;
	}
	if (o->initrd && open_initrd(o->initrd, in))
		return EXIT_USAGE;
	if (o->disk && open_disk(o->disk, o->readonly, in))
		return EXIT_USAGE;
	if (console_open(&console, o->console, &pc_console_ops, &pc))
		return EXIT_USAGE;
	in->console_open = true;
	if (o->mem < BOOT_MIN_RAM) {
		vireoctl_err("--mem %llu MiB is below the minimum of %llu MiB",
			     (unsigned long long)(o->mem / MIB),
			     (unsigned long long)(BOOT_MIN_RAM / MIB));
		return EXIT_USAGE;
	}
	if (!sysinfo(&si)) {
		host = (u64)si.totalram * si.mem_unit;
		if (o->mem > host) {
			vireoctl_err("--mem %llu MiB is more than this host's %llu MiB of RAM",
				     (unsigned long long)(o->mem / MIB),
				     (unsigned long long)(host / MIB));
			return EXIT_USAGE;
		}
	}
	if (boot_plan(&in->layout, &in->bz, o->mem, in->initrd_size, strlen(o->cmdline), why,
		      sizeof(why))) {
		vireoctl_err("%s", why);
		return EXIT_USAGE;
	}
	return -1;
}

/*
 * The features to offer: --pv all is every one this host's vireo has (pv
 * block only with a disk); a list must be within them.
 */
static int check_pv(const struct run_opts *o, long caps, struct run_inputs *in)
{
	char missing[64];
	u32 have = caps > 0 ? caps : 0;

	if (o->pv_all) {
		in->pv = o->pv & have;
		if (!o->disk)
			in->pv &= ~VIREO_PV_F_BLOCK;
		return -1;
	}
	if (o->pv & ~have) {
		pv_format(o->pv & ~have, missing, sizeof(missing));
		vireoctl_err("--pv: this host's vireo does not offer %s (VIREO_CAP_PV_FEATURES %#x)",
			     missing, have);
		return EXIT_USAGE;
	}
	in->pv = o->pv;
	return -1;
}

/* The checks against this host's vireo; EXIT_USAGE or EXIT_ERROR, else -1. */
static int check_caps(int sys_fd, const struct run_opts *o, struct run_inputs *in,
		      u32 *tsc_khz)
{
	long max_vcpus = ioctl(sys_fd, VIREO_CHECK_CAP, VIREO_CAP_MAX_VCPUS);
	long phys_bits = ioctl(sys_fd, VIREO_CHECK_CAP, VIREO_CAP_GUEST_PHYS_BITS);
	long khz = ioctl(sys_fd, VIREO_CHECK_CAP, VIREO_CAP_TSC_KHZ);
	long pv = ioctl(sys_fd, VIREO_CHECK_CAP, VIREO_CAP_PV_FEATURES);
	u64 top = o->mem > MEM_LOW_LIMIT ? MEM_HIGH_BASE + o->mem - MEM_LOW_LIMIT : o->mem;

	if (max_vcpus > 0 && o->cpus > max_vcpus) {
		vireoctl_err("--cpus %d: this host's vireo runs at most %ld vCPUs per VM", o->cpus,
			     max_vcpus);
		return EXIT_USAGE;
	}
	if (phys_bits > 0 && phys_bits < 64 && top > (1ULL << phys_bits)) {
		vireoctl_err("--mem %llu MiB reaches past the %ld-bit guest-physical space this host supports",
			     (unsigned long long)(o->mem / MIB), phys_bits);
		return EXIT_USAGE;
	}
	*tsc_khz = khz > 0 ? khz : 0;
	return check_pv(o, pv, in);
}

static int load_initrd(struct vm *vm, const struct run_inputs *in)
{
	u8 *dst = gpa_to_hva(&vm->mem, in->layout.initrd_addr, in->initrd_size);
	u64 got = 0;
	ssize_t n;

	if (!dst)
		return -1;
	while (got < in->initrd_size) {
		n = pread(in->initrd_fd, dst + got, in->initrd_size - got, got);
		if (n <= 0) {
			vireoctl_err("cannot read the initrd: %s",
				     n ? strerror(errno) : "short read");
			return -1;
		}
		got += n;
	}
	return 0;
}

static int load_guest(struct vm *vm, const struct run_opts *o, struct run_inputs *in)
{
	struct acpi_config acpi = {
		.nr_cpus = o->cpus,
		.pci_mem_start = align_up(mem_low_size(&vm->mem), 256 * MIB),
	};
	u8 *area = gpa_to_hva(&vm->mem, ACPI_BASE, ACPI_SIZE);

	if (acpi.pci_mem_start < 0x80000000ULL)
		acpi.pci_mem_start = 0x80000000ULL;
	if (acpi.pci_mem_start < mem_low_size(&vm->mem))
		acpi.pci_mem_start = mem_low_size(&vm->mem);
	in->layout.rsdp = area ? acpi_build(area, ACPI_BASE, ACPI_SIZE, &acpi) : 0;
	if (!in->layout.rsdp) {
		vireoctl_err("the ACPI tables do not fit below 1 MiB");
		return -1;
	}
	if (boot_load(&in->layout, &in->bz, &vm->mem, o->cmdline)) {
		vireoctl_err("cannot place the kernel in guest memory");
		return -1;
	}
	return in->initrd_size ? load_initrd(vm, in) : 0;
}

static int setup_vcpus(struct vm *vm, const struct run_inputs *in, u32 tsc_khz)
{
	static struct cpuid_table base, mine;
	struct vireo_sregs sregs;
	struct vireo_regs regs;
	int i;

	base.nent = VIREO_MAX_CPUID_ENTRIES;
	if (ioctl(vm->sys_fd, VIREO_GET_SUPPORTED_CPUID, &base)) {
		vireoctl_err("VIREO_GET_SUPPORTED_CPUID: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (cpuid_for_vcpu(&base, &mine, i, vm->nr_vcpus, tsc_khz) ||
		    cpuid_offer_pv(&mine, in->pv, pv_platform(in->pv))) {
			vireoctl_err("the CPUID table of vCPU %d does not fit", i);
			return -1;
		}
		if (ioctl(vm->vcpus[i].fd, VIREO_SET_CPUID, &mine)) {
			vireoctl_err("VIREO_SET_CPUID on vCPU %d: %s", i, strerror(errno));
			return -1;
		}
	}
	if (ioctl(vm->vcpus[0].fd, VIREO_GET_SREGS, &sregs)) {
		vireoctl_err("VIREO_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	boot_regs(&in->layout, &regs, &sregs);
	if (ioctl(vm->vcpus[0].fd, VIREO_SET_SREGS, &sregs) ||
	    ioctl(vm->vcpus[0].fd, VIREO_SET_REGS, &regs)) {
		vireoctl_err("cannot set vCPU 0's entry state: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Waits for the fate, turning signals and a stuck panic into one. */
static void wait_for_fate(struct vm *vm, struct pc *pc)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	while (!vm_stopped(vm)) {
		sig = sigtimedwait(&set, NULL, &tick);
		if (sig > 0)
			vm_stop_signal(vm, sig, NULL);
		/* A panic whose end line never came (the guest hung in it). */
		if (pc->panic_ns && now_ns() - pc->panic_ns > PANIC_GRACE_NS)
			vm_stop(vm, FATE_PANIC, "kernel panic: %s", vm->panic_msg);
	}
}

static void block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static int run_vm(const struct run_opts *o, struct run_inputs *in, int sys_fd, u32 tsc_khz)
{
	struct pc_config cfg = {
		.disk_fd = in->disk_fd,
		.disk_bytes = in->disk_size,
		.disk_readonly = o->readonly,
		.pv = in->pv,
	};
	int code;

	if (vm_create(&vm, sys_fd, o->name, o->mem, o->cpus, o->verbose) ||
	    load_guest(&vm, o, in) || setup_vcpus(&vm, in, tsc_khz) ||
	    pc_init(&pc, &vm, &console, &cfg)) {
		console_close(&console);
		vm_destroy(&vm);
		return EXIT_ERROR;
	}
	block_signals();
	if (!pc_start(&pc))
		vm_start(&vm);
	else
		vm_stop(&vm, FATE_ERROR, "the devices could not start");
	wait_for_fate(&vm, &pc);
	vm_join(&vm);
	pc_stop(&pc);
	if (o->stats) {
		stats_print(&vm, stderr);
		pc_print_state(&pc, stderr);
	}
	code = vm_exit_code(&vm);
	fprintf(stderr, "vireoctl: VM %u%s%s: %s (exit %d)\n", vm.id, vm.name[0] ? " " : "",
		vm.name, vm.reason, code);
	vm_destroy(&vm);
	return code;
}

int cmd_run(int argc, char **argv)
{
	struct run_inputs in = { .initrd_fd = -1, .disk_fd = -1 };
	struct run_opts o;
	u32 tsc_khz = 0;
	int sys_fd = -1, code;

	code = parse_opts(argc, argv, &o);
	if (code < 0)
		code = check_inputs(&o, &in);
	if (code < 0) {
		sys_fd = vireoctl_open_dev();
		code = sys_fd < 0 ? EXIT_ERROR : check_caps(sys_fd, &o, &in, &tsc_khz);
	}
	if (code < 0)
		code = run_vm(&o, &in, sys_fd, tsc_khz);
	else if (in.console_open)
		console_close(&console);
	if (sys_fd >= 0)
		close(sys_fd);
	if (in.initrd_fd >= 0)
		close(in.initrd_fd);
	if (in.disk_fd >= 0)
		close(in.disk_fd);
	free(in.kernel);
	return code;
}
