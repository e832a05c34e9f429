// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tiny guests for the management plane's tests.
 *
 * vCPU 0 starts at the x86 reset state: real mode, CS.base 0xffff0000,
 * IP 0xfff0, IF=0. One 64 KiB memory slot at 0xffff0000 holds the code at offset
 * 0xfff0 and a 32-bit counter at offset 0x100, which the code addresses as
 * CS:0x100 and the host reads through its own mapping of the slot. So a
 * test sees a guest make progress (GUEST_COUNT) without a single exit, or
 * with one port I/O exit per step (GUEST_OUT), or sees it sleep in HLT
 * with interrupts off (GUEST_HALT), which only a destroy ends.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"

#define SLOT_GPA	0xffff0000ULL
#define SLOT_SIZE	0x10000
#define CODE_OFFSET	0xfff0
#define COUNTER_OFFSET	0x100

/*
 * STI: the counting guest runs with interrupts enabled. vireo exits on
 * every host interrupt whatever the guest's IF, but Bochs 2.7 does not
 * deliver them to a guest spinning with IF=0, so its CPU would never see
 * a kick, an IPI or a TLB shootdown again. (The guest gets no interrupt
 * either way: the VMM injects none.)
 */
static const u8 code_count[] = {
	0xfb,					/* sti */
	0x2e, 0x66, 0xff, 0x06, 0x00, 0x01,	/* inc dword cs:[0x100] */
	0xeb, 0xf8,				/* jmp 0xfff1 */
};

static const u8 code_halt[] = {
	0xfa,					/* cli */
	0xf4,					/* hlt */
	0xeb, 0xfd,				/* jmp 0xfff1 */
};

static const u8 code_out[] = {
	0x2e, 0x66, 0xff, 0x06, 0x00, 0x01,	/* inc dword cs:[0x100] */
	0xe6, TINY_PORT,			/* out 0x80, al */
	0xeb, 0xf6,				/* jmp 0xfff0 */
};

enum tiny_guest tinyvm_parse_guest(const char *s)
{
	if (!strcmp(s, "halt"))
		return GUEST_HALT;
	if (!strcmp(s, "out"))
		return GUEST_OUT;
	return GUEST_COUNT;
}

/*
 * Create a VM named @name (NULL: unnamed) running guest @g, its memory and
 * vCPU 0. Returns 0 or -errno (of the first call that failed).
 */
int tinyvm_create(struct tinyvm *t, int sys_fd, const char *name, enum tiny_guest g)
{
	struct vireo_vm_create args = { 0 };
	struct vireo_memory_region region = { 0 };
	const u8 *code;
	size_t len;
	int e;

	memset(t, 0, sizeof(*t));
	t->vm = -1;
	t->vcpu = -1;
	if (name)
		strncpy(args.name, name, sizeof(args.name) - 1);
	t->vm = ioctl(sys_fd, VIREO_CREATE_VM, &args);
	if (t->vm < 0)
		return -errno;
	t->id = args.id;

	t->mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->mem == MAP_FAILED) {
		t->mem = NULL;
		goto fail;
	}
	code = g == GUEST_HALT ? code_halt : g == GUEST_OUT ? code_out : code_count;
	len = g == GUEST_HALT ? sizeof(code_halt) :
	      g == GUEST_OUT ? sizeof(code_out) : sizeof(code_count);
	memcpy(t->mem + CODE_OFFSET, code, len);

	region.slot = 0;
	region.guest_phys_addr = SLOT_GPA;
	region.memory_size = SLOT_SIZE;
	region.userspace_addr = (unsigned long)t->mem;
	if (ioctl(t->vm, VIREO_SET_MEMORY_REGION, &region))
		goto fail;
	t->vcpu = ioctl(t->vm, VIREO_CREATE_VCPU, 0);
	if (t->vcpu < 0)
		goto fail;
	t->run = mmap(NULL, VIREO_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      t->vcpu, 0);
	if (t->run == MAP_FAILED) {
		t->run = NULL;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	tinyvm_close(t);
	return -e;
}

/* Close everything: the VM goes away unless another reference holds it. */
void tinyvm_close(struct tinyvm *t)
{
	if (t->run)
		munmap(t->run, VIREO_RUN_SIZE);
	if (t->vcpu >= 0)
		close(t->vcpu);
	if (t->vm >= 0)
		close(t->vm);
	if (t->mem)
		munmap(t->mem, SLOT_SIZE);
	t->run = NULL;
	t->mem = NULL;
	t->vm = -1;
	t->vcpu = -1;
}

u32 tinyvm_counter(const struct tinyvm *t)
{
	return __atomic_load_n((u32 *)(t->mem + COUNTER_OFFSET), __ATOMIC_RELAXED);
}

/*
 * Run until an exit that is not the guest's own port I/O. Returns the
 * exit reason, or -errno of VIREO_RUN (-EINTR on a signal).
 */
int tinyvm_run(struct tinyvm *t)
{
	for (;;) {
		if (ioctl(t->vcpu, VIREO_RUN, 0))
			return -errno;
		if (t->run->exit_reason != VIREO_EXIT_IO ||
		    t->run->io.port != TINY_PORT ||
		    t->run->io.direction != VIREO_IO_OUT)
			return t->run->exit_reason;
		__atomic_fetch_add(&t->io_exits, 1, __ATOMIC_RELAXED);
	}
}
