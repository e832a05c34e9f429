// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU-fd ioctls, success and error paths, as
 * Documentation/virt/vireo/vcpu.rst lists them: the reset state,
 * VIREO_GET/SET_REGS, VIREO_GET/SET_SREGS, VIREO_GET/SET_MSRS,
 * VIREO_SET_CPUID, VIREO_NMI, VIREO_GET/SET_MP_STATE, VIREO_RUN's own
 * errors, the mmap of the run structure, unknown commands, a vCPU that
 * outlives its VM fd, and another process. One TAP result per check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "processor.h"
#include "ucall.h"
#include "vireo_util.h"
#include "vm.h"

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static bool expect(int r, int want, const char *what)
{
	if (r != want)
		tap_diag("%s: got %d (%s), expected %d", what, r,
			 r < 0 ? strerror(-r) : "success", want);
	return tap_ok(r == want, "%s: %s", what,
		      want ? strerror(-want) : "success");
}

static void test_reset_state(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *bsp = vm_vcpu_add_raw(vm, 0), *ap = vm_vcpu_add_raw(vm, 1);
	struct vireo_sregs s;
	struct vireo_regs r;

	vcpu_regs_get(bsp, &r);
	tap_ok(r.rip == 0xfff0 && r.rflags == 2,
	       "vCPU 0 starts at IP 0xfff0, RFLAGS 2 (%#llx, %#llx)", r.rip,
	       r.rflags);
	vcpu_sregs_get(bsp, &s);
	tap_ok(s.cs.selector == 0xf000 && s.cs.base == 0xffff0000 &&
	       s.cs.limit == 0xffff,
	       "CS is f000, base 0xffff0000 (%#x, %#llx)", s.cs.selector,
	       s.cs.base);
	tap_ok(s.cr0 == 0x60000010 && !s.cr4 && !s.efer && !s.cr3,
	       "CR0 0x60000010, CR3, CR4, EFER 0 (%#llx %#llx %#llx %#llx)",
	       s.cr0, s.cr3, s.cr4, s.efer);
	tap_ok(s.apic_base == 0xfee00900,
	       "vCPU 0's APIC base: enabled, BSP (%#llx)", s.apic_base);
	tap_ok(s.gdt.limit == 0xffff && s.idt.limit == 0xffff,
	       "GDTR and IDTR limits 0xffff");
	tap_ok(vcpu_get_mp_state(bsp) == VIREO_MP_RUNNABLE,
	       "vCPU 0 is runnable");
	vcpu_sregs_get(ap, &s);
	tap_ok(s.apic_base == 0xfee00800, "vCPU 1's APIC base: no BSP (%#llx)",
	       s.apic_base);
	tap_ok(vcpu_get_mp_state(ap) == VIREO_MP_WAIT_SIPI,
	       "vCPU 1 waits for a SIPI");
	tap_ok(bsp->run->vcpu_id == 0 && ap->run->vcpu_id == 1,
	       "run->vcpu_id is the vCPU's id");
	vm_free(vm);
}

static void test_regs(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, 0);
	struct vireo_regs r, back;
	unsigned int i;

	for (i = 0; i < sizeof(r) / 8; i++)
		((u64 *)&r)[i] = 0x1111111111111111ULL * (i + 1);
	r.rflags = 0x202;
	expect(xioctl(vcpu->fd, VIREO_SET_REGS, &r), 0, "SET_REGS");
	vcpu_regs_get(vcpu, &back);
	tap_ok(!memcmp(&r, &back, sizeof(r)), "GET_REGS gives them back");
	r.rflags = 0;
	expect(xioctl(vcpu->fd, VIREO_SET_REGS, &r), 0, "SET_REGS, RFLAGS 0");
	vcpu_regs_get(vcpu, &back);
	tap_ok(back.rflags == 2, "RFLAGS bit 1 is always set (%#llx)",
	       back.rflags);
	r.rflags = 0x2 | BIT(3);
	expect(xioctl(vcpu->fd, VIREO_SET_REGS, &r), -EINVAL,
	       "SET_REGS with RFLAGS bit 3");
	r.rflags = 0x2 | BIT_ULL(40);
	expect(xioctl(vcpu->fd, VIREO_SET_REGS, &r), -EINVAL,
	       "SET_REGS with RFLAGS bit 40");
	expect(xioctl(vcpu->fd, VIREO_SET_REGS, NULL), -EFAULT,
	       "SET_REGS with a NULL argument");
	expect(xioctl(vcpu->fd, VIREO_GET_REGS, NULL), -EFAULT,
	       "GET_REGS into NULL");
	vm_free(vm);
}

/* The long-mode state the library sets, mangled by @f, must give @want. */
static bool sregs_case(struct vcpu *vcpu, const struct vireo_sregs *good,
		       void (*f)(struct vireo_sregs *s), int want,
		       const char *what)
{
	struct vireo_sregs s = *good;

	f(&s);
	return expect(__vcpu_sregs_set(vcpu, &s), want, what);
}

static void m_reserved(struct vireo_sregs *s) { s->reserved[3] = 1; }
static void m_seg_padding(struct vireo_sregs *s) { s->ds.padding = 1; }
static void m_dt_padding(struct vireo_sregs *s) { s->gdt.padding[2] = 1; }
static void m_type(struct vireo_sregs *s) { s->es.type = 16; }
static void m_dpl(struct vireo_sregs *s) { s->fs.dpl = 4; }
static void m_flag(struct vireo_sregs *s) { s->gs.g = 2; }
static void m_cr8(struct vireo_sregs *s) { s->cr8 = 16; }
static void m_pg_no_pe(struct vireo_sregs *s) { s->cr0 &= ~X86_CR0_PE; }
static void m_lme_no_pae(struct vireo_sregs *s) { s->cr4 &= ~X86_CR4_PAE; }
static void m_vmxe(struct vireo_sregs *s) { s->cr4 |= X86_CR4_VMXE; }
static void m_cr4_res(struct vireo_sregs *s) { s->cr4 |= BIT_ULL(63); }
static void m_cr0_res(struct vireo_sregs *s) { s->cr0 |= BIT_ULL(40); }
static void m_efer_res(struct vireo_sregs *s) { s->efer |= BIT_ULL(40); }
static void m_apic_base(struct vireo_sregs *s) { s->apic_base = 0xfec00900; }
static void m_x2apic(struct vireo_sregs *s) { s->apic_base |= BIT(10); }

static void test_sregs(void)
{
	struct vm *vm = vm_create();
	struct vcpu *vcpu = vm_vcpu_add(vm, 0, (void *)0x401000);
	struct vireo_sregs s, back;

	vcpu_sregs_get(vcpu, &s);
	s.cr2 = 0x1234000;
	s.cr8 = 7;
	expect(__vcpu_sregs_set(vcpu, &s), 0, "SET_SREGS of a long-mode state");
	vcpu_sregs_get(vcpu, &back);
	tap_ok(!memcmp(&s.cs, &back.cs, sizeof(s.cs)) &&
	       !memcmp(&s.ss, &back.ss, sizeof(s.ss)) &&
	       !memcmp(&s.tr, &back.tr, sizeof(s.tr)) &&
	       s.gdt.base == back.gdt.base && s.gdt.limit == back.gdt.limit &&
	       s.idt.base == back.idt.base && s.idt.limit == back.idt.limit,
	       "GET_SREGS gives back the segments and tables");
	tap_ok(s.cr0 == back.cr0 && s.cr2 == back.cr2 && s.cr3 == back.cr3 &&
	       s.cr4 == back.cr4 && back.cr8 == 7 && s.efer == back.efer,
	       "GET_SREGS gives back CR0 %#llx, CR2, CR3, CR4 %#llx, CR8, EFER %#llx",
	       back.cr0, back.cr4, back.efer);
	tap_ok(vcpu_get_msr(vcpu, MSR_EFER) == s.efer,
	       "GET_MSRS agrees on EFER");
	sregs_case(vcpu, &s, m_reserved, -EINVAL, "SET_SREGS with reserved set");
	sregs_case(vcpu, &s, m_seg_padding, -EINVAL,
		   "SET_SREGS with a segment's padding set");
	sregs_case(vcpu, &s, m_dt_padding, -EINVAL,
		   "SET_SREGS with GDTR padding set");
	sregs_case(vcpu, &s, m_type, -EINVAL, "SET_SREGS with a type of 16");
	sregs_case(vcpu, &s, m_dpl, -EINVAL, "SET_SREGS with a DPL of 4");
	sregs_case(vcpu, &s, m_flag, -EINVAL, "SET_SREGS with G = 2");
	sregs_case(vcpu, &s, m_cr8, -EINVAL, "SET_SREGS with CR8 16");
	sregs_case(vcpu, &s, m_pg_no_pe, -EINVAL,
		   "SET_SREGS with CR0.PG without PE");
	sregs_case(vcpu, &s, m_lme_no_pae, -EINVAL,
		   "SET_SREGS with LME and PG but no PAE");
	sregs_case(vcpu, &s, m_vmxe, -EINVAL,
		   "SET_SREGS with CR4.VMXE (not in CPUID)");
	sregs_case(vcpu, &s, m_cr4_res, -EINVAL,
		   "SET_SREGS with CR4 bit 63");
	sregs_case(vcpu, &s, m_cr0_res, -EINVAL,
		   "SET_SREGS with CR0 bit 40");
	sregs_case(vcpu, &s, m_efer_res, -EINVAL,
		   "SET_SREGS with EFER bit 40");
	sregs_case(vcpu, &s, m_apic_base, -EINVAL,
		   "SET_SREGS moving the APIC");
	sregs_case(vcpu, &s, m_x2apic, -EINVAL,
		   "SET_SREGS turning on x2APIC mode");
	expect(xioctl(vcpu->fd, VIREO_SET_SREGS, NULL), -EFAULT,
	       "SET_SREGS with a NULL argument");
	expect(xioctl(vcpu->fd, VIREO_GET_SREGS, NULL), -EFAULT,
	       "GET_SREGS into NULL");
	vm_free(vm);
}

struct msrs3 {
	struct vireo_msrs hdr;
	struct vireo_msr_entry e[3];
};

static void test_msrs(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, 0);
	struct msrs3 m;
	struct vireo_msrs *big;
	int r;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 3;
	m.e[0].index = MSR_LSTAR;
	m.e[0].data = 0xffffffff81000000ULL;
	m.e[1].index = MSR_STAR;
	m.e[1].data = 0x0023001000000000ULL;
	m.e[2].index = MSR_IA32_SYSENTER_EIP;
	m.e[2].data = 0xffffffff81000040ULL;
	r = ioctl(vcpu->fd, VIREO_SET_MSRS, &m);
	tap_ok(r == 3, "SET_MSRS of 3 returns 3 (%d)", r);
	memset(&m.e[0].data, 0, 8);
	m.e[1].data = 0;
	m.e[2].data = 0;
	r = ioctl(vcpu->fd, VIREO_GET_MSRS, &m);
	tap_ok(r == 3 && m.e[0].data == 0xffffffff81000000ULL &&
	       m.e[1].data == 0x0023001000000000ULL &&
	       m.e[2].data == 0xffffffff81000040ULL,
	       "GET_MSRS of 3 returns 3 and the values (%d)", r);
	m.e[1].index = 0x00abcdef;
	r = ioctl(vcpu->fd, VIREO_GET_MSRS, &m);
	tap_ok(r == 1, "GET_MSRS stops at an MSR vireo does not own (%d)", r);
	m.e[0].data = 0x0000800000000000ULL;
	r = ioctl(vcpu->fd, VIREO_SET_MSRS, &m);
	tap_ok(r == 0, "SET_MSRS stops at a non-canonical LSTAR (%d)", r);
	m.hdr.nmsrs = 1;
	m.e[0].index = MSR_IA32_TSC;
	m.e[0].data = 0;
	r = ioctl(vcpu->fd, VIREO_SET_MSRS, &m);
	tap_ok(r == 1 && vcpu_get_msr(vcpu, MSR_IA32_TSC) > 1000000,
	       "SET_MSRS of IA32_TSC is accepted and ignored (%d)", r);
	m.hdr.nmsrs = 0;
	r = ioctl(vcpu->fd, VIREO_GET_MSRS, &m);
	tap_ok(r == 0, "GET_MSRS of none returns 0 (%d)", r);
	m.hdr.nmsrs = 1;
	m.hdr.padding = 1;
	expect(xioctl(vcpu->fd, VIREO_GET_MSRS, &m), -EINVAL,
	       "GET_MSRS with padding set");
	m.hdr.padding = 0;
	m.e[0].reserved = 1;
	expect(xioctl(vcpu->fd, VIREO_SET_MSRS, &m), -EINVAL,
	       "SET_MSRS with an entry's reserved set");
	big = calloc(1, sizeof(*big) + 257 * sizeof(big->entries[0]));
	big->nmsrs = 257;
	expect(xioctl(vcpu->fd, VIREO_GET_MSRS, big), -E2BIG,
	       "GET_MSRS of 257");
	expect(xioctl(vcpu->fd, VIREO_GET_MSRS, NULL), -EFAULT,
	       "GET_MSRS with a NULL argument");
	free(big);
	vm_free(vm);
}

static void test_cpuid(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, 0);
	struct vireo_cpuid *c = cpuid_dup(supported_cpuid(), 2);
	struct vireo_cpuid *big = cpuid_alloc(VIREO_MAX_CPUID_ENTRIES + 1);
	struct vireo_cpuid_entry *e;

	expect(__vcpu_set_cpuid(vcpu, c), 0, "SET_CPUID of the supported table");
	c->padding = 1;
	expect(__vcpu_set_cpuid(vcpu, c), -EINVAL, "SET_CPUID with padding");
	c->padding = 0;
	c->entries[0].reserved[2] = 1;
	expect(__vcpu_set_cpuid(vcpu, c), -EINVAL,
	       "SET_CPUID with an entry's reserved set");
	c->entries[0].reserved[2] = 0;
	c->entries[0].flags |= 2;
	expect(__vcpu_set_cpuid(vcpu, c), -EINVAL,
	       "SET_CPUID with an unknown flag");
	c->entries[0].flags &= ~2;
	e = cpuid_add(c, 0x80000000, 1, 0);
	expect(__vcpu_set_cpuid(vcpu, c), -EINVAL,
	       "SET_CPUID with an index but no VIREO_CPUID_INDEXED");
	*e = c->entries[0];
	expect(__vcpu_set_cpuid(vcpu, c), -EINVAL,
	       "SET_CPUID with a leaf twice");
	c->nent--;
	big->nent = VIREO_MAX_CPUID_ENTRIES + 1;
	expect(__vcpu_set_cpuid(vcpu, big), -E2BIG, "SET_CPUID of 129 entries");
	big->nent = 0;
	expect(__vcpu_set_cpuid(vcpu, big), 0, "SET_CPUID of an empty table");
	expect(xioctl(vcpu->fd, VIREO_SET_CPUID, NULL), -EFAULT,
	       "SET_CPUID with a NULL argument");
	free(c);
	free(big);
	vm_free(vm);
}

static void test_mp_state_nmi_run(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, 0);
	struct vireo_mp_state mp = { .state = 3 };
	int r;

	expect(xioctl(vcpu->fd, VIREO_SET_MP_STATE, &mp), -EINVAL,
	       "SET_MP_STATE 3");
	mp.state = VIREO_MP_HALTED;
	mp.padding = 1;
	expect(xioctl(vcpu->fd, VIREO_SET_MP_STATE, &mp), -EINVAL,
	       "SET_MP_STATE with padding set");
	mp.padding = 0;
	expect(xioctl(vcpu->fd, VIREO_SET_MP_STATE, &mp), 0,
	       "SET_MP_STATE HALTED");
	tap_ok(vcpu_get_mp_state(vcpu) == VIREO_MP_HALTED,
	       "GET_MP_STATE: HALTED");
	mp.state = VIREO_MP_RUNNABLE;
	expect(xioctl(vcpu->fd, VIREO_SET_MP_STATE, &mp), 0,
	       "SET_MP_STATE RUNNABLE");
	expect(xioctl(vcpu->fd, VIREO_GET_MP_STATE, NULL), -EFAULT,
	       "GET_MP_STATE into NULL");
	r = ioctl(vcpu->fd, VIREO_NMI, 1UL);
	expect(r ? -errno : 0, -EINVAL, "VIREO_NMI with an argument");
	r = ioctl(vcpu->fd, VIREO_NMI, 0UL);
	expect(r ? -errno : 0, 0, "VIREO_NMI");
	r = ioctl(vcpu->fd, VIREO_RUN, 1UL);
	expect(r ? -errno : 0, -EINVAL, "VIREO_RUN with an argument");
	vm_free(vm);

	/* No memory at all: the reset vector's fetch stops the vCPU. */
	vm = vm_create_barebones();
	vcpu = vm_vcpu_add_raw(vm, 0);
	r = __vcpu_run(vcpu);
	tap_ok(!r && vcpu->run->exit_reason == VIREO_EXIT_INTERNAL_ERROR &&
	       vcpu->run->internal.suberror == VIREO_INTERNAL_MEMORY,
	       "RUN without memory: INTERNAL_ERROR (MEMORY) (%d, exit %u, suberror %u)",
	       r, vcpu->run->exit_reason, vcpu->run->internal.suberror);
	tap_diag("\"%.*s\"", VIREO_INTERNAL_REASON_LEN,
		 vcpu->run->internal.reason);
	expect(__vcpu_run(vcpu), -EIO, "RUN after an internal error");
	vm_free(vm);
}

static void test_mmap_and_unknown(void)
{
	struct vm *vm = vm_create_barebones();
	struct vcpu *vcpu = vm_vcpu_add_raw(vm, 0);
	void *p;

	tap_ok(fcntl(vcpu->fd, F_GETFD) & FD_CLOEXEC,
	       "the vCPU fd is close-on-exec");
	p = mmap(NULL, 2 * VIREO_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vcpu->fd, 0);
	tap_ok(p == MAP_FAILED && errno == EINVAL,
	       "mmap of two pages of a vCPU: EINVAL");
	p = mmap(NULL, VIREO_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 vcpu->fd, VIREO_RUN_SIZE);
	tap_ok(p == MAP_FAILED && errno == EINVAL,
	       "mmap of a vCPU at offset 4096: EINVAL");
	p = mmap(NULL, VIREO_RUN_SIZE, PROT_READ, MAP_SHARED, vcpu->fd, 0);
	tap_ok(p != MAP_FAILED && ((struct vireo_run *)p)->vcpu_id == 0,
	       "a second read-only mapping sees the same run structure");
	if (p != MAP_FAILED)
		munmap(p, VIREO_RUN_SIZE);
	expect(xioctl(vcpu->fd, _IO(VIREO_IO, 0x3f), NULL), -ENOTTY,
	       "an unknown vCPU ioctl");
	expect(xioctl(vcpu->fd, VIREO_CREATE_VCPU, NULL), -ENOTTY,
	       "VIREO_CREATE_VCPU on a vCPU fd");
	expect(xioctl(vcpu->fd, VIREO_GET_API_VERSION, NULL), -ENOTTY,
	       "VIREO_GET_API_VERSION on a vCPU fd");
	expect(xioctl(vcpu->fd, _IOR(VIREO_IO, 0x21, u64), NULL), -ENOTTY,
	       "GET_REGS with the wrong size");
	vm_free(vm);
}

static void guest_code(void)
{
	GUEST_DONE();
}

static void test_outlives_vm_fd(void)
{
	struct vcpu *vcpu;
	struct vm *vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	struct ucall uc;
	int status = -1;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		struct vireo_regs r;

		_exit(xioctl(vcpu->fd, VIREO_GET_REGS, &r) == -EIO &&
		      __vcpu_run(vcpu) == -EIO ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "vCPU ioctls from a child process: EIO");
	close(vm->fd);
	vm->fd = -1;
	vcpu_run(vcpu);
	tap_ok(get_ucall(vcpu, &uc) == UCALL_DONE,
	       "the vCPU runs after its VM fd is closed");
	vm_free(vm);
}

int main(void)
{
	tap_plan(78);
	test_reset_state();
	test_regs();
	test_sregs();
	test_msrs();
	test_cpuid();
	test_mp_state_nmi_run();
	test_mmap_and_unknown();
	test_outlives_vm_fd();
	return tap_finish();
}
