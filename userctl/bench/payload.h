/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl bench: the contract between the micro-benchmark guest
 * (payload.S) and the host side (micro.c): guest memory layout, ports,
 * operation numbers and the control protocol. Included by C and by the
 * assembler, so it holds #defines only.
 *
 * The guest is 16-bit real-mode code in one memory slot at guest-physical
 * 0, run with CS = BENCH_CODE_SEG, IP = 0. It reads its parameters at
 * BENCH_PARAMS, times each operation BENCH_P_ITER times with RDTSC and
 * stores every sample; around each operation it writes to BENCH_PORT_CTL
 * (a 32-bit OUT) so that the host can read exit counters and collect the
 * samples. Exactly the same bytes run on every hypervisor.
 */
#ifndef BENCH_PAYLOAD_H
#define BENCH_PAYLOAD_H

/* One slot of guest RAM at guest-physical 0. */
#define BENCH_MEM_SIZE		0x80000

/* The payload's code: CS = BENCH_CODE_SEG, its first byte at IP 0. */
#define BENCH_CODE_SEG		0x1000
#define BENCH_CODE_GPA		0x10000
#define BENCH_CODE_MAX		0x10000

/* The stack (SS = 0) grows down from here; the IVT is at 0. */
#define BENCH_STACK_TOP		0x8000

/* Parameters and the HLT test's mailbox: 32-bit words, DS = 0. */
#define BENCH_PARAMS		0x500
#define BENCH_P_MAGIC		(BENCH_PARAMS + 0x0)	/* host: BENCH_MAGIC */
#define BENCH_P_ITER		(BENCH_PARAMS + 0x4)	/* host: iterations */
#define BENCH_P_ARMED		(BENCH_PARAMS + 0x8)	/* guest: n, about to halt */
#define BENCH_P_HANDLED		(BENCH_PARAMS + 0xc)	/* guest: n, handler ran */
#define BENCH_MAGIC		0x76697265		/* "vire" */

/*
 * Samples, one entry per iteration. Timed operations store the 32-bit
 * length of their RDTSC window at BENCH_WINDOW_SEG:4*i. The HLT test
 * stores the 64-bit TSC read just before its HLT at BENCH_T_HLT_SEG:8*i
 * and the one read by the first instruction of the interrupt handler at
 * BENCH_T_IRQ_SEG:8*i. 64 KiB each: at most BENCH_MAX_ITER iterations.
 */
#define BENCH_WINDOW_SEG	0x2000
#define BENCH_T_HLT_SEG		0x3000
#define BENCH_T_IRQ_SEG		0x4000
#define BENCH_MAX_ITER		8192

/* A guest-physical address outside the slot: accesses there are MMIO. */
#define BENCH_MMIO_SEG		0xf000
#define BENCH_MMIO_GPA		0xf0000

/* The port the timed OUT writes (a byte), and the control port. */
#define BENCH_PORT_OP		0x80
#define BENCH_PORT_CTL		0x510

/*
 * The interrupt of the HLT test: the guest programs an 8259 pair at the
 * usual ports (vector base BENCH_PIC_BASE, only BENCH_IRQ unmasked) and
 * sends it an EOI from the handler. On KVM the in-kernel PIC takes these
 * accesses; vireo has no PIC in the kernel, and the host side ignores
 * them and injects BENCH_VECTOR itself.
 */
#define BENCH_PIC_BASE		0x20
#define BENCH_IRQ		5
#define BENCH_VECTOR		(BENCH_PIC_BASE + BENCH_IRQ)

/* Operations, in the order the payload runs them. */
#define BENCH_OP_EMPTY		0	/* NOP: the empty window */
#define BENCH_OP_VMCALL		1	/* VMCALL, EAX = 0 */
#define BENCH_OP_CPUID		2	/* CPUID, EAX = ECX = 0 */
#define BENCH_OP_PIO		3	/* OUT BENCH_PORT_OP, AL */
#define BENCH_OP_MMIO		4	/* MOV byte to BENCH_MMIO_GPA */
#define BENCH_OP_HLT		5	/* STI; HLT until an interrupt */
#define BENCH_NR_OPS		6

/* Values written to BENCH_PORT_CTL: command | operation. */
#define BENCH_CTL_START		0x100	/* operation starts: counters */
#define BENCH_CTL_DONE		0x200	/* operation done: samples ready */
#define BENCH_CTL_END		0x300	/* all done */
#define BENCH_CTL_BAD_MAGIC	0x400	/* the parameters were not set */

#endif
