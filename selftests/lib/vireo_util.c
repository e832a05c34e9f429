// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers shared by vireo's selftests (see vireo_util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tap.h"
#include "vireo_util.h"

int vireo_open(void)
{
	int fd = open(VIREO_DEV, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		tap_bail("open %s: %s", VIREO_DEV, strerror(errno));
	return fd;
}

/* Returns the VM fd, or -errno. */
int vireo_create_vm(int sys_fd, const char *name, unsigned int *id)
{
	struct vireo_vm_create args = { 0 };
	int fd;

	if (name)
		strncpy(args.name, name, sizeof(args.name) - 1);
	fd = ioctl(sys_fd, VIREO_CREATE_VM, &args);
	if (fd < 0)
		return -errno;
	if (id)
		*id = args.id;
	return fd;
}

int vmx_state_read(struct vmx_state *st)
{
	FILE *f = fopen(VIREO_DEBUGFS "/vmx", "re");
	char line[256];
	int cpu;
	struct vmx_cpu c;

	memset(st, 0, sizeof(*st));
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "users %u", &st->users) != 1)
		goto bad;
	if (!fgets(line, sizeof(line), f) || strncmp(line, "cpu online vmx", 14))
		goto bad;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %d %llu %llu %d", &cpu, &c.online, &c.on,
			   &c.nr_vmxon, &c.nr_vmxoff, &c.error) != 6 ||
		    cpu != st->nr_cpus || cpu >= MAX_TEST_CPUS)
			goto bad;
		st->cpu[st->nr_cpus++] = c;
	}
	fclose(f);
	return st->nr_cpus ? 0 : -EINVAL;
bad:
	fclose(f);
	return -EINVAL;
}

/* vmx_state_read(), for tests that cannot judge anything without it. */
void vmx_state_get(struct vmx_state *st)
{
	int r = vmx_state_read(st);

	if (r)
		tap_bail("cannot read " VIREO_DEBUGFS "/vmx: %s", strerror(-r));
}

/* Is every online CPU in (on = 1) or out of (on = 0) VMX root operation? */
bool vmx_all_online(const struct vmx_state *st, int on)
{
	int i;

	for (i = 0; i < st->nr_cpus; i++)
		if (st->cpu[i].online && st->cpu[i].on != on)
			return false;
	return true;
}

int vmx_nr_online(const struct vmx_state *st)
{
	int i, n = 0;

	for (i = 0; i < st->nr_cpus; i++)
		n += st->cpu[i].online;
	return n;
}

/* A /dev/kmsg reader positioned after every record logged so far. */
int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* Has a record containing @needle been logged since the reader's position? */
bool kmsg_contains(int kmsg_fd, const char *needle)
{
	char rec[2048];
	ssize_t n;
	bool found = false;

	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: keep reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle))
			found = true;
	}
	return found;
}
