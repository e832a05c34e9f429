// SPDX-License-Identifier: GPL-2.0-only
/*
 * The system-fd and VM-fd ioctls of /dev/vireo: success and error paths.
 *
 * Needs vireo.ko loaded on a CPU with VMX (VIREO_CREATE_VM enters VMX root
 * operation), run as root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "vireo_util.h"

static unsigned long long debugfs_msr(const char *name)
{
	FILE *f = fopen(VIREO_DEBUGFS "/caps", "re");
	char n[64];
	unsigned long long v;

	if (!f)
		tap_bail("no " VIREO_DEBUGFS "/caps");
	while (fscanf(f, "%63s %llx", n, &v) == 2)
		if (!strcmp(n, name)) {
			fclose(f);
			return v;
		}
	fclose(f);
	tap_bail("%s not in " VIREO_DEBUGFS "/caps", name);
}

static void test_version_and_caps(int fd)
{
	unsigned long long ept = debugfs_msr("IA32_VMX_EPT_VPID_CAP");
	unsigned long long pin = debugfs_msr("IA32_VMX_TRUE_PINBASED_CTLS");
	unsigned long long misc = debugfs_msr("IA32_VMX_MISC");
	long want;

	tap_ok(ioctl(fd, VIREO_GET_API_VERSION, 0) == VIREO_API_VERSION,
	       "GET_API_VERSION returns %d", VIREO_API_VERSION);
	errno = 0;
	tap_ok(ioctl(fd, VIREO_GET_API_VERSION, 1) == -1 && errno == EINVAL,
	       "GET_API_VERSION with a nonzero argument: EINVAL");
	tap_ok(ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_MAX_VMS) == 64,
	       "CHECK_CAP(MAX_VMS) is 64");
	want = ((ept >> 16) & 1 ? VIREO_EPT_LARGE_PAGE_2M : 0) |
	       ((ept >> 17) & 1 ? VIREO_EPT_LARGE_PAGE_1G : 0);
	tap_ok(ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_EPT_LARGE_PAGES) == want,
	       "CHECK_CAP(EPT_LARGE_PAGES) is %ld, as IA32_VMX_EPT_VPID_CAP says", want);
	want = (pin >> 38) & 1 ? (long)(misc & 0x1f) + 1 : 0;
	tap_ok(ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_PREEMPTION_TIMER) == want,
	       "CHECK_CAP(PREEMPTION_TIMER) is %ld, as the VMX MSRs say", want);
	tap_ok(ioctl(fd, VIREO_CHECK_CAP, 0) == 0 &&
	       ioctl(fd, VIREO_CHECK_CAP, 9999) == 0 &&
	       ioctl(fd, VIREO_CHECK_CAP, ~0UL) == 0,
	       "CHECK_CAP of unknown capabilities returns 0");
}

static void test_unknown_ioctls(int fd)
{
	static const unsigned long cmds[] = {
		_IO(VIREO_IO, 0x7f),
		_IO(0xAE, 0x01),			/* KVM_CREATE_VM */
		_IOWR(VIREO_IO, 0x02, uint32_t),	/* CREATE_VM, wrong size */
		_IOR(VIREO_IO, 0x00, int),		/* GET_API_VERSION, wrong dir */
	};
	unsigned int i;
	int vm;
	bool all = true;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		if (ioctl(fd, cmds[i], 0) != -1 || errno != ENOTTY) {
			tap_diag("system ioctl %#lx: errno %d", cmds[i], errno);
			all = false;
		}
	}
	tap_ok(all, "unknown system ioctls: ENOTTY");

	vm = vireo_create_vm(fd, NULL, NULL);
	errno = 0;
	tap_ok(vm >= 0 && ioctl(vm, VIREO_GET_API_VERSION, 0) == -1 &&
	       errno == ENOTTY, "system ioctl on a VM fd: ENOTTY");
	errno = 0;
	tap_ok(vm >= 0 && ioctl(vm, _IO(VIREO_IO, 0x7f), 0) == -1 &&
	       errno == ENOTTY, "unknown VM ioctl: ENOTTY");
	if (vm >= 0)
		close(vm);
}

static void test_create_vm(int fd)
{
	struct vireo_vm_create args;
	unsigned int id1 = 0, id2 = 0;
	int vm1, vm2, r;
	void *ro;

	vm1 = vireo_create_vm(fd, NULL, &id1);
	vm2 = vireo_create_vm(fd, NULL, &id2);
	tap_ok(vm1 >= 0 && vm2 >= 0 && id1 && id2 && id1 != id2,
	       "CREATE_VM twice: two fds, distinct nonzero ids (%u, %u)", id1, id2);
	tap_ok(vm1 >= 0 && (fcntl(vm1, F_GETFD) & FD_CLOEXEC),
	       "VM fd is close-on-exec");
	close(vm1);
	close(vm2);

	memset(&args, 0, sizeof(args));
	args.flags = 1;
	errno = 0;
	tap_ok(ioctl(fd, VIREO_CREATE_VM, &args) == -1 && errno == EINVAL,
	       "CREATE_VM with flags: EINVAL");
	memset(&args, 0, sizeof(args));
	args.reserved[3] = 1;
	errno = 0;
	tap_ok(ioctl(fd, VIREO_CREATE_VM, &args) == -1 && errno == EINVAL,
	       "CREATE_VM with a reserved field set: EINVAL");
	memset(&args, 0, sizeof(args));
	memcpy(args.name, "bad name", 8);
	errno = 0;
	tap_ok(ioctl(fd, VIREO_CREATE_VM, &args) == -1 && errno == EINVAL,
	       "CREATE_VM with an invalid name: EINVAL");
	memset(&args, 0, sizeof(args));
	memset(args.name, 'a', sizeof(args.name));
	errno = 0;
	tap_ok(ioctl(fd, VIREO_CREATE_VM, &args) == -1 && errno == EINVAL,
	       "CREATE_VM with an unterminated name: EINVAL");
	errno = 0;
	tap_ok(ioctl(fd, VIREO_CREATE_VM, NULL) == -1 && errno == EFAULT,
	       "CREATE_VM with a NULL argument: EFAULT");

	/* A read-only argument: the VM would be made, but the id can't be written. */
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = 0;
	r = ioctl(fd, VIREO_CREATE_VM, ro);
	tap_ok(r == -1 && errno == EFAULT, "CREATE_VM with a read-only argument: EFAULT");
	munmap(ro, 4096);

	vm1 = vireo_create_vm(fd, "web-1", NULL);
	vm2 = vireo_create_vm(fd, "web-1", NULL);
	tap_ok(vm1 >= 0 && vm2 == -EEXIST, "CREATE_VM with a name in use: EEXIST");
	if (vm1 >= 0)
		close(vm1);
	vm2 = vireo_create_vm(fd, "web-1", NULL);
	tap_ok(vm2 >= 0, "a name is free again once its VM is gone");
	if (vm2 >= 0)
		close(vm2);
}

static void test_vm_limit(int fd)
{
	int max = ioctl(fd, VIREO_CHECK_CAP, VIREO_CAP_MAX_VMS);
	int vms[128], n, r, i;

	for (n = 0; n < max && n < 128; n++) {
		vms[n] = vireo_create_vm(fd, NULL, NULL);
		if (vms[n] < 0)
			break;
	}
	r = vireo_create_vm(fd, NULL, NULL);
	tap_ok(n == max && r == -ENOSPC,
	       "%d VMs at once, the next one: ENOSPC (made %d, then %d)", max, n, r);
	if (r >= 0)
		close(r);
	for (i = 0; i < n; i++)
		close(vms[i]);
	r = vireo_create_vm(fd, NULL, NULL);
	tap_ok(r >= 0, "CREATE_VM works again after the VMs are closed");
	if (r >= 0)
		close(r);
}

static void test_permissions(void)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		if (open(VIREO_DEV, O_RDWR) >= 0)
			_exit(1);
		_exit(errno == EACCES ? 0 : 2);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "open of " VIREO_DEV " by an unprivileged user: EACCES (child status %#x)",
	       status);
}

int main(void)
{
	int fd;

	tap_plan(22);
	fd = vireo_open();
	test_version_and_caps(fd);
	test_unknown_ioctls(fd);
	test_create_vm(fd);
	test_vm_limit(fd);
	test_permissions();
	close(fd);
	return tap_finish();
}
