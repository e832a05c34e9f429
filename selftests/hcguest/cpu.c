// SPDX-License-Identifier: GPL-2.0-only
/*
 * hcguest's machine: its own page tables (the loader's identity map of the
 * low 4 GiB, but with user access, for the CPL 3 checks), a GDT with ring
 * 0 and ring 3 segments and a TSS, an IDT whose vectors 0-47 go to
 * isr_handler() and 0x80 back from CPL 3, the 8259 pair remapped to
 * vectors 0x20-0x2f, and the PIT at 100 Hz as the clock of every timeout.
 */
#include "cpu.h"

#define PTE_PRESENT	0x1ULL
#define PTE_RW		0x2ULL
#define PTE_USER	0x4ULL
#define PTE_LARGE	0x80ULL
#define PIT_HZ		100
#define PIT_DIVISOR	11932		/* 1193182 Hz / 100 */

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

struct idt_gate {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 attr;
	u16 offset1;
	u32 offset2;
	u32 zero;
};

static u64 pml4[512] __aligned(4096);
static u64 pdpt[512] __aligned(4096);
static u64 pd[4][512] __aligned(4096);
static u64 gdt[7] __aligned(16);
static struct tss64 tss __aligned(16);
static struct idt_gate idt[256] __aligned(16);

u64 ticks;
u32 irq_count[16];

static void gate(unsigned int vec, const void *handler, u8 attr)
{
	u64 a = (u64)handler;

	idt[vec] = (struct idt_gate){
		.offset0 = a, .selector = SEL_KCODE, .attr = attr,
		.offset1 = a >> 16, .offset2 = a >> 32,
	};
}

static void tables(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;
	int i, j;

	pml4[0] = (u64)pdpt | PTE_PRESENT | PTE_RW | PTE_USER;
	for (i = 0; i < 4; i++) {
		pdpt[i] = (u64)pd[i] | PTE_PRESENT | PTE_RW | PTE_USER;
		for (j = 0; j < 512; j++)
			pd[i][j] = ((u64)(i * 512 + j) << 21) | PTE_PRESENT | PTE_RW | PTE_USER |
				   PTE_LARGE;
	}
	asm volatile("mov %0, %%cr3" : : "r" (pml4) : "memory");

	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffULL;		/* 0x08: 64-bit code, DPL 0 */
	gdt[2] = 0x00cf93000000ffffULL;		/* 0x10: data, DPL 0 */
	gdt[3] = 0x00cff3000000ffffULL;		/* 0x18: data, DPL 3 */
	gdt[4] = 0x00affb000000ffffULL;		/* 0x20: 64-bit code, DPL 3 */
	gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[6] = base >> 32;			/* 0x28: the 64-bit TSS */
	tss.rsp[0] = (u64)tss_stack_top;
	tss.iomap_base = sizeof(tss);

	for (i = 0; i < 48; i++)
		gate(i, isr_stubs + 16 * i, 0x8e);	/* interrupt gate, DPL 0 */
	gate(VEC_USER_RETURN, user_return_stub, 0xee);	/* DPL 3: int $0x80 from CPL 3 */
}

static void pic_pit(void)
{
	outb(0x20, 0x11);		/* ICW1: edge, cascade, ICW4 */
	outb(0xa0, 0x11);
	outb(0x21, VEC_IRQ0);		/* ICW2 */
	outb(0xa1, VEC_IRQ0 + 8);
	outb(0x21, 1 << 2);		/* ICW3: the slave on input 2 */
	outb(0xa1, 2);
	outb(0x21, 1);			/* ICW4: 8086 mode */
	outb(0xa1, 1);
	/* The PIT, the cascade, the pv block IRQ; the pv console IRQ. */
	outb(0x21, (u8)~(1 << 0 | 1 << 2 | 1 << IRQ_BLOCK));
	outb(0xa1, (u8)~(1 << (IRQ_CONSOLE - 8)));
	outb(0x43, 0x34);		/* channel 0, lobyte/hibyte, mode 2 */
	outb(0x40, PIT_DIVISOR & 0xff);
	outb(0x40, PIT_DIVISOR >> 8);
}

void cpu_init(void)
{
	struct desc_ptr g = { sizeof(gdt) - 1, (u64)gdt };
	struct desc_ptr i = { sizeof(idt) - 1, (u64)idt };

	tables();
	cpu_load(&g, &i);
	pic_pit();
}

void isr_handler(struct frame *f)
{
	unsigned int irq;

	if (f->vec < VEC_IRQ0) {
		print("Bail out! exception %llu (error %#llx) at rip %#llx, cs %#llx\n", f->vec,
		      f->err, f->rip, f->cs);
		poweroff();
	}
	irq = f->vec - VEC_IRQ0;
	WRITE_ONCE(irq_count[irq], irq_count[irq] + 1);
	if (irq == 0)
		WRITE_ONCE(ticks, ticks + 1);
	if (irq >= 8)
		outb(0xa0, 0x20);	/* non-specific EOI */
	outb(0x20, 0x20);
}

bool wait_irq(unsigned int irq, u32 seen, u32 seconds)
{
	u64 end = READ_ONCE(ticks) + (u64)seconds * PIT_HZ;

	while (READ_ONCE(irq_count[irq]) == seen && READ_ONCE(ticks) < end)
		asm volatile("sti; hlt; cli" ::: "memory");
	/* Take an interrupt that is pending but not yet delivered. */
	asm volatile("sti; nop; cli" ::: "memory");
	return READ_ONCE(irq_count[irq]) != seen;
}

void poweroff(void)
{
	if (pv_system)
		hypercall(VIREO_HC_SYSTEM_EVENT, VIREO_PV_POWEROFF, 0);
	outw(0x604, 5 << 10 | 0x2000);	/* ACPI PM1a_CNT: SLP_TYP S5, SLP_EN */
	for (;;)
		asm volatile("cli; hlt");
}
