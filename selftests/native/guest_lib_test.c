// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-VM library's own structures, checked on the build machine
 * without /dev/vireo: the copy of the test binary, the identity page
 * tables, GDT, TSSs and IDT that vm_setup_system() builds, and the
 * exception path of exception.S, entered here with a simulated interrupt
 * frame at CPL 3 (IRETQ to the same privilege level works in userspace).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "guest.h"
#include "image.h"
#include "processor.h"
#include "tap.h"
#include "vm.h"

static u64 image_global = 0x1234567890abcdefULL;

/* Walk the guest page tables as the CPU would; 0 on a miss. */
static u64 walk(struct vm *vm, u64 va, u64 *flags)
{
	u64 *pml4 = gpa2hva(vm, vm->sys_gpa + SYS_PML4);
	u64 e, *t;

	e = pml4[(va >> 39) & 511];
	if (!(e & 1))
		return 0;
	*flags = e & 0xfff;
	t = gpa2hva(vm, e & ~0xfffULL);
	e = t[(va >> 30) & 511];
	if (!(e & 1) || (e & 0x80))
		return 0;
	*flags &= e & 0xfff;
	t = gpa2hva(vm, e & ~0xfffULL);
	e = t[(va >> 21) & 511];
	if (!(e & 1) || !(e & 0x80))
		return 0;
	*flags &= e & 0xfff;
	return (e & ~0x1fffffULL) | (va & 0x1fffff);
}

static struct vm *fake_vm(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	u64 start, end;

	image_extent(&start, &end);
	vm->sys_gpa = align_up(end, HUGE_SIZE);
	vm->image_gpa = start & ~(HUGE_SIZE - 1);
	vm->slots[0].gpa = vm->image_gpa;
	vm->slots[0].size = vm->sys_gpa + SYS_SIZE - vm->image_gpa;
	vm->slots[0].used = true;
	vm->slots[0].hva = mmap(NULL, vm->slots[0].size,
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->slots[0].hva == MAP_FAILED)
		tap_bail("mmap: %m");
	image_load((char *)vm->slots[0].hva - vm->image_gpa);
	vm_setup_system(vm);
	return vm;
}

static void test_image(struct vm *vm)
{
	u64 start, end;

	image_extent(&start, &end);
	tap_ok(start == 0x400000 && end > start && end < 0x2000000,
	       "the binary spans %#llx-%#llx", (unsigned long long)start,
	       (unsigned long long)end);
	tap_ok(!memcmp(gpa2hva(vm, (u64)&image_global), &image_global,
		       sizeof(image_global)),
	       "an initialized global is at its address in guest memory");
	tap_ok(!memcmp(gpa2hva(vm, (u64)guest_idt_stubs), guest_idt_stubs,
		       4096), "code is at its address in guest memory");
	tap_ok(vm->sys_gpa % HUGE_SIZE == 0 && vm->sys_gpa >= end,
	       "the system area starts at %#llx, 2 MiB aligned, after the binary",
	       (unsigned long long)vm->sys_gpa);
}

static void test_page_tables(struct vm *vm)
{
	static const u64 addrs[] = {
		0, 0x7000, 0x400000, 0x401234, 0x3fffffff, 0x40000000,
		0xc0000000, 0xfee00000, 0xfee00300, 0xffffffff,
	};
	u64 flags = 0, pa;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		pa = walk(vm, addrs[i], &flags);
		if (pa != addrs[i] || (flags & 7) != 7) {
			tap_diag("%#llx -> %#llx flags %#llx",
				 (unsigned long long)addrs[i],
				 (unsigned long long)pa,
				 (unsigned long long)flags);
			ok = false;
		}
	}
	tap_ok(ok, "0-4 GiB identity-mapped, present, writable, user");
	tap_ok(!walk(vm, 0x100000000ULL, &flags),
	       "nothing mapped at 4 GiB");
}

/* Decode a descriptor back: base, limit (scaled) and the flags word. */
static void desc_decode(u64 d, u64 *base, u32 *limit,
			u16 *flags)
{
	*base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000);
	*limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	*flags = (d >> 40) & 0xf0ff;
	if (*flags & 0x8000)
		*limit = (*limit << 12) | 0xfff;
}

static void test_gdt(struct vm *vm)
{
	u64 *gdt = gpa2hva(vm, vm->sys_gpa + SYS_GDT);
	u64 base;
	u32 limit;
	u16 flags;
	unsigned int id;
	bool ok = true;

	desc_decode(gdt[KERNEL_CS >> 3], &base, &limit, &flags);
	tap_ok(base == 0 && (flags & 0x20ff) == 0x209b,
	       "GDT: kernel CS is present 64-bit code, DPL 0 (%#x)", flags);
	desc_decode(gdt[KERNEL_DS >> 3], &base, &limit, &flags);
	tap_ok(base == 0 && limit == 0xffffffff && flags == 0xc093,
	       "GDT: kernel DS is flat 4 GiB writable data");
	desc_decode(gdt[USER_CS >> 3], &base, &limit, &flags);
	tap_ok((flags & 0x20ff) == 0x20fb, "GDT: user CS is 64-bit code, DPL 3");
	desc_decode(gdt[USER_DS >> 3], &base, &limit, &flags);
	tap_ok(flags == 0xc0f3, "GDT: user DS is data, DPL 3");
	desc_decode(gdt[KERNEL_CS32 >> 3], &base, &limit, &flags);
	tap_ok(base == 0 && limit == 0xffffffff && flags == 0xc09b,
	       "GDT: 32-bit CS is flat 4 GiB, D set");
	desc_decode(gdt[KERNEL_CS16 >> 3], &base, &limit, &flags);
	tap_ok(base == 0 && limit == 0xffff && flags == 0x009b,
	       "GDT: 16-bit CS is 64 KiB, D clear");
	for (id = 0; id < MAX_VCPUS; id++) {
		struct tss64 *tss;

		desc_decode(gdt[TSS_SEL(id) >> 3], &base, &limit, &flags);
		base |= gdt[(TSS_SEL(id) >> 3) + 1] << 32;
		tss = gpa2hva(vm, base);
		if (base != vm->sys_gpa + SYS_TSS + id * SYS_TSS_STRIDE ||
		    limit != 0x67 || flags != 0x89 ||
		    tss->rsp[0] != vm->sys_gpa + SYS_STACKS +
				   (id + 1) * GUEST_STACK_SIZE ||
		    tss->iomap_base != 0x68)
			ok = false;
	}
	tap_ok(ok && sizeof(struct tss64) == 0x68,
	       "GDT: one available 64-bit TSS per vCPU, RSP0 at its stack top");
	tap_ok(TSS_SEL(MAX_VCPUS - 1) / 8 + 2 <= GDT_ENTRIES,
	       "GDT: %d entries hold every TSS", GDT_ENTRIES);
}

static void test_idt(struct vm *vm)
{
	struct idt_gate *idt = gpa2hva(vm, vm->sys_gpa + SYS_IDT);
	bool gates = true, stubs = true;
	unsigned int v;

	for (v = 0; v < 256; v++) {
		u64 off = idt[v].offset0 | (u64)idt[v].offset1 << 16 |
			       (u64)idt[v].offset2 << 32;
		const unsigned char *s = (const unsigned char *)off;
		bool err = v == 8 || (v >= 10 && v <= 14) || v == 17 ||
			   v == 21 || v == 29 || v == 30;
		u32 pushed;

		if (off != (u64)guest_idt_stubs + 16 * v ||
		    idt[v].selector != KERNEL_CS || idt[v].ist ||
		    idt[v].type_attr != (v == 0x80 ? 0xee : 0x8e))
			gates = false;
		if (!err && (s[0] != 0x6a || s[1] != 0))
			stubs = false;
		s += err ? 0 : 2;
		memcpy(&pushed, s + 1, 4);
		if (s[0] != 0x68 || pushed != v || (s[5] != 0xe9 && s[5] != 0xeb))
			stubs = false;
	}
	tap_ok(gates && sizeof(struct idt_gate) == 16,
	       "IDT: 256 interrupt gates to the stubs, DPL 3 only for 0x80");
	tap_ok(stubs, "IDT stubs push an error code only where the CPU does not, then the vector");
}

/* What the test handler saw, and what it changes. */
static struct ex_regs seen;

static void test_handler(struct ex_regs *regs)
{
	seen = *regs;
	regs->rax = 0xfeedf00d;
	regs->rbx += 1;
}

/*
 * Enter stub @vec as the CPU would from the same privilege level: align
 * RSP, push SS, RSP, RFLAGS, CS, RIP (and @err if @has_err), jump.
 */
static u64 simulate(unsigned int vec, bool has_err, u64 err, u64 *rbx,
		    u64 *r12)
{
	register u64 c12 asm("r12") = *r12;
	u64 stub = (u64)guest_idt_stubs + 16 * vec;
	u64 rax = 1, b = *rbx;

	asm volatile("mov %%rsp, %%r8\n\t"
		     "and $-16, %%rsp\n\t"
		     "mov %%ss, %%r9\n\t"
		     "push %%r9\n\t"
		     "push %%r8\n\t"
		     "pushf\n\t"
		     "mov %%cs, %%r9\n\t"
		     "push %%r9\n\t"
		     "lea 1f(%%rip), %%r9\n\t"
		     "push %%r9\n\t"
		     "test %[has], %[has]\n\t"
		     "jz 2f\n\t"
		     "push %[err]\n\t"
		     "2: jmp *%[stub]\n\t"
		     "1:\n\t"
		     : "+a"(rax), "+b"(b), "+r"(c12)
		     : [stub] "r"(stub), [has] "r"((u64)has_err),
		       [err] "r"(err)
		     : "r8", "r9", "memory", "cc");
	*rbx = b;
	*r12 = c12;
	return rax;
}

static void test_exception_path(void)
{
	u64 rbx = 41, r12 = 0x1212, rax;
	bool ok;

	/* At CPL 3 the path leaves CR0 alone (it would #GP). */
	guest_set_handler(0x42, test_handler);
	rax = simulate(0x42, false, 0, &rbx, &r12);
	tap_ok(rax == 0xfeedf00d && rbx == 42,
	       "a handler's register changes reach the interrupted code");
	tap_ok(r12 == 0x1212 && seen.r12 == 0x1212 && seen.rbx == 41,
	       "the handler sees the interrupted registers");
	tap_ok(seen.vector == 0x42 && seen.error_code == 0,
	       "vector 0x42: vector and a zero error code in ex_regs");
	guest_set_handler(13, test_handler);
	rbx = 1;
	simulate(13, true, 0xabc, &rbx, &r12);
	ok = seen.vector == 13 && seen.error_code == 0xabc && rbx == 2;
	tap_ok(ok, "vector 13 (#GP): the CPU's error code in ex_regs");
	tap_ok(seen.rip && (seen.cs & 3) == 3 && (seen.ss & 3) == 3 &&
	       seen.rsp && (seen.rflags & 2),
	       "ex_regs ends with the interrupt frame (RIP %#llx CS %#llx)",
	       (unsigned long long)seen.rip, (unsigned long long)seen.cs);
	tap_ok(offsetof(struct ex_regs, vector) == 15 * 8 &&
	       sizeof(struct ex_regs) == 22 * 8, "struct ex_regs layout");
}

static void test_dispatch_rules(void)
{
	struct ex_regs r = { .r9 = GUEST_FAULT_MAGIC, .r10 = 0x1000,
			     .r11 = 0x1004, .rip = 0x1000, .vector = 13,
			     .error_code = 0x18 };

	guest_exception_dispatch(&r);
	tap_ok(r.rip == 0x1004 && r.r9 == GUEST_FAULT(13) && r.r10 == 0x18,
	       "ASM_SAFE: a fault at the marked instruction resumes at the fixup with the vector");
	memset(&r, 0, sizeof(r));
	r.vector = USER_RETURN_VECTOR;
	r.cs = USER_CS;
	r.ss = USER_DS;
	r.rdi = 77;
	guest_exception_dispatch(&r);
	tap_ok(r.rip == (u64)guest_user_resume && r.cs == KERNEL_CS &&
	       r.ss == KERNEL_DS && r.rax == 77 &&
	       r.rsp == (u64)(&r.ss + 1),
	       "INT 0x80 from CPL 3 returns to guest_run_user() at the RSP0 frame");
}

int main(void)
{
	struct vm *vm;

	tap_plan(24);
	vm = fake_vm();
	test_image(vm);
	test_page_tables(vm);
	test_gdt(vm);
	test_idt(vm);
	test_exception_path();
	test_dispatch_rules();
	return tap_finish();
}
