/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's machine as the library builds it: where the system
 * structures live and how vCPUs start in each CPU mode.
 *
 * Slot 0 spans guest physical from the 2 MiB boundary below the test
 * binary (which sits at its link addresses, 0x400000 up) to the end of the
 * system area, which starts at the next 2 MiB boundary after the binary:
 *
 *   +0x000000  PML4, PDPT, 4 page directories: 0-4 GiB identity-mapped with
 *              2 MiB pages, writable, user-accessible, cacheable
 *   +0x006000  GDT (layout below)
 *   +0x007000  IDT: 256 interrupt gates into guest_idt_stubs (exception.S)
 *   +0x008000  one 64-bit TSS per vCPU, 128 bytes apart
 *   +0x010000  one 32 KiB stack per vCPU
 *   +0x090000  scratch memory for the tests, to the end (vm->scratch_gpa)
 *
 * Slot 0 is kept small (about 3 MiB): vireo pins and maps all of it for
 * every VM a test makes. Below the binary there is nothing until
 * vm_add_low_memory() puts RAM at 0-0x9ffff (slot 1), as in a PC, for
 * real-mode code and its data; 0xa0000 to 1 MiB stays a hole. Everything
 * outside slots is MMIO, reachable through the identity map. Tests use
 * slots from TEST_SLOT up.
 */
#ifndef VIREO_SELFTEST_PROCESSOR_H
#define VIREO_SELFTEST_PROCESSOR_H

#include "types.h"

#include "x86.h"

#define SYS_PML4		0x000000UL
#define SYS_PDPT		0x001000UL
#define SYS_PD			0x002000UL
#define SYS_GDT			0x006000UL
#define SYS_IDT			0x007000UL
#define SYS_TSS			0x008000UL
#define SYS_TSS_STRIDE		128UL
#define SYS_STACKS		0x010000UL
#define GUEST_STACK_SIZE	0x008000UL
#define SYS_SCRATCH		0x090000UL
#define SYS_SIZE		0x100000UL

#define IMAGE_SLOT		0
#define LOW_MEM_SLOT		1
#define LOW_MEM_SIZE		0xa0000UL
#define TEST_SLOT		2

/* GDT selectors. */
#define KERNEL_CS		0x08
#define KERNEL_DS		0x10
#define USER_DS			0x1b	/* entry 3, RPL 3 */
#define USER_CS			0x23	/* entry 4, RPL 3 */
#define KERNEL_CS32		0x28
#define KERNEL_CS16		0x30
#define KERNEL_DS16		0x38
#define TSS_SEL(id)		(0x40 + 16 * (id))
#define GDT_ENTRIES		(8 + 2 * 16)

/* The vector a CPL3 function returns through (guest_run_user()). */
#define USER_RETURN_VECTOR	0x80

struct vm;
struct vcpu;
struct ex_regs;

void vm_setup_system(struct vm *vm);
void *vm_add_low_memory(struct vm *vm);
void vm_set_guest_handler(struct vm *vm, int vector,
			  void (*handler)(struct ex_regs *regs));
void vcpu_setup_long_mode(struct vcpu *vcpu, void *guest_code);
u64 vcpu_stack_top(struct vcpu *vcpu);

/*
 * Other modes, for tests of hand-written code. Real mode: CS = @cs_sel
 * (base @cs_sel << 4), IP = @ip, the data segments equal to CS, SP = @sp.
 * 16- and 32-bit protected mode, paging off: flat segments of that width
 * from the library's GDT, EIP = @ip, ESP = @sp.
 */
void vcpu_setup_real_mode(struct vcpu *vcpu, u16 cs_sel, u16 ip,
			  u16 sp);
void vcpu_setup_prot_mode(struct vcpu *vcpu, int bits, u32 ip,
			  u32 sp);

/*
 * The real-mode boot trampoline (boot.S) at @gpa, below 1 MiB and 16-byte
 * aligned: a vCPU entering it in real mode at CS = @gpa >> 4, IP = 0 (or
 * an AP sent a SIPI for vector @gpa >> 12) switches itself to 64-bit mode
 * and calls @guest_code(APIC id) on its own stack.
 */
void vm_install_boot(struct vm *vm, u64 gpa, void *guest_code);

/* The trampoline and the quantities in it that vm_install_boot() patches. */
extern const char boot16_start[], boot16_end[], boot_base_imm[];
extern const char boot_gdtr[], boot_idtr[], boot_cr3[], boot_stacks[];
extern const char boot_entry[], boot_far32[], boot_far64[];
extern const char boot_stack_size[];

/* Copy the bytes [start, end) of the test binary to guest physical @gpa. */
void vm_load_blob(struct vm *vm, u64 gpa, const void *start,
		  const void *end);

#endif
