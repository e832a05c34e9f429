// SPDX-License-Identifier: GPL-2.0-only
/*
 * Building the guest machine from the host (see processor.h): identity
 * page tables, GDT, IDT and TSSs in the system area, and the register
 * state a vCPU starts with in 64-bit, real or protected mode.
 */
#include <string.h>

#include "guest.h"
#include "processor.h"
#include "vm.h"

#define PTE_P		0x001ULL
#define PTE_RW		0x002ULL
#define PTE_US		0x004ULL
#define PTE_PS		0x080ULL

static void setup_page_tables(struct vm *vm)
{
	u64 *pml4 = gpa2hva(vm, vm->sys_gpa + SYS_PML4);
	u64 *pdpt = gpa2hva(vm, vm->sys_gpa + SYS_PDPT);
	u64 *pd = gpa2hva(vm, vm->sys_gpa + SYS_PD);
	u64 i;

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	pml4[0] = (vm->sys_gpa + SYS_PDPT) | PTE_P | PTE_RW | PTE_US;
	for (i = 0; i < 4; i++)
		pdpt[i] = (vm->sys_gpa + SYS_PD + i * PAGE_SIZE) |
			  PTE_P | PTE_RW | PTE_US;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_US | PTE_PS;
}

static u64 tss_gpa(struct vm *vm, unsigned int id)
{
	return vm->sys_gpa + SYS_TSS + id * SYS_TSS_STRIDE;
}

static void setup_gdt(struct vm *vm)
{
	u64 *gdt = gpa2hva(vm, vm->sys_gpa + SYS_GDT);
	unsigned int id;

	memset(gdt, 0, PAGE_SIZE);
	gdt[KERNEL_CS >> 3] = gdt_entry(0, 0xfffff, GDT_CODE64);
	gdt[KERNEL_DS >> 3] = gdt_entry(0, 0xfffff, GDT_DATA);
	gdt[USER_DS >> 3] = gdt_entry(0, 0xfffff, GDT_USER_DATA);
	gdt[USER_CS >> 3] = gdt_entry(0, 0xfffff, GDT_USER_CODE64);
	gdt[KERNEL_CS32 >> 3] = gdt_entry(0, 0xfffff, GDT_CODE32);
	gdt[KERNEL_CS16 >> 3] = gdt_entry(0, 0xffff, GDT_CODE16);
	gdt[KERNEL_DS16 >> 3] = gdt_entry(0, 0xffff, GDT_DATA16);
	for (id = 0; id < MAX_VCPUS; id++) {
		u64 base = tss_gpa(vm, id);
		struct tss64 *tss = gpa2hva(vm, base);

		memset(tss, 0, sizeof(*tss));
		tss->iomap_base = sizeof(*tss);
		tss->rsp[0] = vm->sys_gpa + SYS_STACKS +
			      (id + 1) * GUEST_STACK_SIZE;
		/* Available 64-bit TSS (type 9), present. */
		gdt[TSS_SEL(id) >> 3] = gdt_entry(base, sizeof(*tss) - 1,
						  0x0089);
		gdt[(TSS_SEL(id) >> 3) + 1] = base >> 32;
	}
}

static void setup_idt(struct vm *vm)
{
	struct idt_gate *idt = gpa2hva(vm, vm->sys_gpa + SYS_IDT);
	unsigned int v;

	for (v = 0; v < 256; v++) {
		u64 addr = (u64)guest_idt_stubs + 16 * v;

		idt[v] = (struct idt_gate){
			.offset0 = addr & 0xffff,
			.selector = KERNEL_CS,
			.type_attr = v == USER_RETURN_VECTOR ? 0xee : 0x8e,
			.offset1 = (addr >> 16) & 0xffff,
			.offset2 = addr >> 32,
		};
	}
}

void *vm_add_low_memory(struct vm *vm)
{
	return vm_add_region(vm, LOW_MEM_SLOT, 0, 0, LOW_MEM_SIZE);
}

/* guest_set_handler() from the host, before or between runs. */
void vm_set_guest_handler(struct vm *vm, int vector,
			  void (*handler)(struct ex_regs *regs))
{
	write_guest_global(vm, guest_handlers[vector], handler);
}

void vm_setup_system(struct vm *vm)
{
	setup_page_tables(vm);
	setup_gdt(vm);
	setup_idt(vm);
}

u64 vcpu_stack_top(struct vcpu *vcpu)
{
	return vcpu->vm->sys_gpa + SYS_STACKS +
	       (vcpu->id + 1) * GUEST_STACK_SIZE;
}

/* The segment register that a GDT descriptor with these fields loads. */
static void seg_load(struct vireo_segment *s, u16 sel, u32 base,
		     u32 limit, u16 flags)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = base;
	s->type = flags & 0xf;
	s->s = (flags >> 4) & 1;
	s->dpl = (flags >> 5) & 3;
	s->present = (flags >> 7) & 1;
	s->avl = (flags >> 12) & 1;
	s->l = (flags >> 13) & 1;
	s->db = (flags >> 14) & 1;
	s->g = (flags >> 15) & 1;
	s->limit = s->g ? (limit << 12) | 0xfff : limit;
}

void vcpu_setup_long_mode(struct vcpu *vcpu, void *guest_code)
{
	struct vm *vm = vcpu->vm;
	struct vireo_sregs sregs;
	struct vireo_regs regs;

	vcpu_sregs_get(vcpu, &sregs);
	seg_load(&sregs.cs, KERNEL_CS, 0, 0xfffff, GDT_CODE64);
	seg_load(&sregs.ds, KERNEL_DS, 0, 0xfffff, GDT_DATA);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	/* TR holds a busy TSS (type 11) once loaded. */
	seg_load(&sregs.tr, TSS_SEL(vcpu->id), tss_gpa(vm, vcpu->id),
		 sizeof(struct tss64) - 1, 0x008b);
	memset(&sregs.ldt, 0, sizeof(sregs.ldt));
	sregs.ldt.unusable = 1;
	sregs.gdt.base = vm->sys_gpa + SYS_GDT;
	sregs.gdt.limit = GDT_ENTRIES * 8 - 1;
	sregs.idt.base = vm->sys_gpa + SYS_IDT;
	sregs.idt.limit = 256 * sizeof(struct idt_gate) - 1;
	sregs.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		    X86_CR0_WP | X86_CR0_PG;
	sregs.cr3 = vm->sys_gpa + SYS_PML4;
	sregs.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	sregs.efer = EFER_LME | EFER_LMA;
	vcpu_sregs_set(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = (u64)guest_entry;
	regs.r15 = (u64)guest_code;
	regs.rsp = vcpu_stack_top(vcpu);
	regs.rflags = X86_EFLAGS_FIXED;
	vcpu_regs_set(vcpu, &regs);
}

void vcpu_setup_real_mode(struct vcpu *vcpu, u16 cs_sel, u16 ip,
			  u16 sp)
{
	struct vireo_sregs sregs;
	struct vireo_regs regs;

	vcpu_sregs_get(vcpu, &sregs);
	seg_load(&sregs.cs, cs_sel, cs_sel << 4, 0xffff, 0x009b);
	seg_load(&sregs.ds, cs_sel, cs_sel << 4, 0xffff, 0x0093);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.cr0 &= ~(X86_CR0_PE | X86_CR0_PG);
	sregs.efer = 0;
	vcpu_sregs_set(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = ip;
	regs.rsp = sp;
	regs.rflags = X86_EFLAGS_FIXED;
	vcpu_regs_set(vcpu, &regs);
}

void vcpu_setup_prot_mode(struct vcpu *vcpu, int bits, u32 ip,
			  u32 sp)
{
	struct vm *vm = vcpu->vm;
	struct vireo_sregs sregs;
	struct vireo_regs regs;

	vcpu_sregs_get(vcpu, &sregs);
	if (bits == 16) {
		seg_load(&sregs.cs, KERNEL_CS16, 0, 0xffff, GDT_CODE16);
		seg_load(&sregs.ds, KERNEL_DS16, 0, 0xffff, GDT_DATA16);
	} else {
		seg_load(&sregs.cs, KERNEL_CS32, 0, 0xfffff, GDT_CODE32);
		seg_load(&sregs.ds, KERNEL_DS, 0, 0xfffff, GDT_DATA);
	}
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;
	sregs.gdt.base = vm->sys_gpa + SYS_GDT;
	sregs.gdt.limit = GDT_ENTRIES * 8 - 1;
	sregs.cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
	sregs.cr4 = 0;
	sregs.efer = 0;
	vcpu_sregs_set(vcpu, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = ip;
	regs.rsp = sp;
	regs.rflags = X86_EFLAGS_FIXED;
	vcpu_regs_set(vcpu, &regs);
}

/* Store @len bytes of @v at the trampoline copy's image of @sym. */
static void boot_patch(u8 *copy, const char *sym, u64 v, size_t len)
{
	memcpy(copy + (sym - boot16_start), &v, len);
}

void vm_install_boot(struct vm *vm, u64 gpa, void *guest_code)
{
	u8 *p = gpa2hva(vm, gpa);
	u32 far;

	TEST_ASSERT(gpa < 0x100000 && !(gpa & 15), "trampoline at %#llx", gpa);
	memcpy(p, boot16_start, boot16_end - boot16_start);
	boot_patch(p, boot_gdtr, GDT_ENTRIES * 8 - 1, 2);
	boot_patch(p, boot_gdtr + 2, vm->sys_gpa + SYS_GDT, 4);
	boot_patch(p, boot_idtr, 256 * sizeof(struct idt_gate) - 1, 2);
	boot_patch(p, boot_idtr + 2, vm->sys_gpa + SYS_IDT, 8);
	boot_patch(p, boot_cr3, vm->sys_gpa + SYS_PML4, 4);
	boot_patch(p, boot_stacks, vm->sys_gpa + SYS_STACKS, 8);
	boot_patch(p, boot_entry, (u64)guest_code, 8);
	boot_patch(p, boot_stack_size, GUEST_STACK_SIZE, 8);
	boot_patch(p, boot_base_imm, gpa, 4);
	memcpy(&far, boot_far32, 4);
	boot_patch(p, boot_far32, far + gpa, 4);
	memcpy(&far, boot_far64, 4);
	boot_patch(p, boot_far64, far + gpa, 4);
}

void vm_load_blob(struct vm *vm, u64 gpa, const void *start,
		  const void *end)
{
	memcpy(gpa2hva(vm, gpa), start, (const char *)end - (const char *)start);
}
