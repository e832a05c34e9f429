/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: virtual CPUs, the objects behind vCPU file descriptors.
 *
 * A vCPU is run by one thread at a time, inside VIREO_RUN (run.c), with its
 * VMCS loaded on the host CPU that thread runs on (vmcs.c). Other threads
 * reach it only to queue events (VIREO_INTERRUPT, IPIs from other vCPUs,
 * the APIC timer, the management plane) and kick it (vireo_vcpu_kick()).
 */
#ifndef VIREO_VCPU_H
#define VIREO_VCPU_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcuwait.h>
#include <linux/types.h>
#include <linux/vireo.h>

#include "lapic.h"
#include "mmio_decode.h"

struct vireo_vm;
struct vireo_cpuid_table;

/* Indices of struct vireo_vcpu regs[], the order VMX numbers GPRs in. */
enum vireo_reg {
	VIREO_RAX, VIREO_RCX, VIREO_RDX, VIREO_RBX,
	VIREO_RSP, VIREO_RBP, VIREO_RSI, VIREO_RDI,
	VIREO_R8, VIREO_R9, VIREO_R10, VIREO_R11,
	VIREO_R12, VIREO_R13, VIREO_R14, VIREO_R15,
	VIREO_NR_REGS
};

/* vcpu->mode: where the vCPU is, for kicks (see vireo_vcpu_kick()). */
enum vireo_vcpu_mode {
	VIREO_OUTSIDE_GUEST,
	VIREO_IN_GUEST,
};

/* vcpu->requests bits: work the vCPU thread does before its next entry. */
enum vireo_request {
	VIREO_REQ_EVENT,	/* an interrupt or NMI may be deliverable */
	VIREO_REQ_SIPI,		/* a SIPI arrived while waiting for one */
	VIREO_REQ_INIT,		/* an INIT arrived */
	VIREO_REQ_STOP,		/* pause or destroy: leave the guest */
	VIREO_REQ_TLB_FLUSH,	/* EPT changed: INVEPT before entry */
};

/*
 * What an exit handler tells the run loop; handlers are called with
 * preemption disabled and must not sleep.
 */
enum vireo_exit_action {
	VIREO_USER = 0,		/* return to userspace; run->exit_reason says why */
	VIREO_RESUME = 1,	/* enter the guest again */
	VIREO_OUTER = 2,	/* leave the inner loop: sleep, reschedule, requests */
};

/* What the next VIREO_RUN must finish for userspace's last exit. */
enum vireo_pending {
	VIREO_PENDING_NONE,
	VIREO_PENDING_IN,	/* IN or INS: store run->io data */
	VIREO_PENDING_MMIO_READ,	/* load run->mmio.data into the guest */
	VIREO_PENDING_MSR,	/* RDMSR/WRMSR routed to userspace */
	VIREO_PENDING_HYPERCALL,	/* RAX = run->hypercall.ret */
};

/*
 * State of a port I/O or MMIO exit that userspace completes.
 * @insn: the decoded MMIO instruction.
 * @gva: linear address of the memory operand of INS (next element).
 * @size: element size; @count elements in this chunk; @string, @rep, @df
 *        and @addr_size describe a string instruction.
 * @len: instruction length, to skip it once done.
 */
struct vireo_io_state {
	struct vireo_mmio_insn insn;
	u64 gva;
	u32 count;
	u8 size;
	u8 addr_size;
	bool string;
	bool rep;
	bool df;
	u8 len;
};

/* The last MMIO instruction decoded, and the bytes and mode it came from. */
struct vireo_mmio_cache {
	struct vireo_mmio_insn insn;
	u8 bytes[VIREO_INSN_MAX_LEN];
	u8 len;			/* 0: empty */
	u8 mode;		/* enum vireo_cpu_mode */
};

/* An exception or interrupt to inject at the next VM entry. */
struct vireo_event {
	bool pending;
	u8 vector;
	u8 type;		/* INTR_TYPE_* >> 8 */
	bool has_error;
	u32 error;
	u8 insn_len;		/* software interrupts and exceptions */
};

/* Counters of one vCPU; written only by its thread, read with READ_ONCE(). */
struct vireo_vcpu_stats {
	u64 vmx_exits[VIREO_STATS_VMX_EXITS];
	u64 user_exits[VIREO_STATS_USER_EXITS];
	u64 hypercalls[VIREO_STATS_HYPERCALLS];
	u64 entries;
	u64 halt_sleeps;
	u64 injected_irqs;
	u64 injected_nmis;
};

/*
 * Guest MSRs that vireo switches by hand at load and put (the VMCS does not
 * hold them) and those it only stores.
 */
struct vireo_guest_msrs {
	u64 star, lstar, cstar, sfmask, kernel_gs_base, tsc_aux;
	u64 misc_enable, mtrr_def_type, mtrr_fixed[11], mtrr_var[16];
	u64 mcg_status;
};

/* Host state vireo restores when it leaves the guest for good (put). */
struct vireo_host_state {
	u64 kernel_gs_base, tsc_aux;
	u64 debugctl;
	unsigned long fs_base;
	unsigned long cr3, cr4;		/* as written to the VMCS */
	u16 ds_sel, es_sel, fs_sel, gs_sel, ldt_sel;
	u32 vmcs_fs_gs_sel;		/* HOST_FS/GS_SELECTOR as written */
	u64 xcr0;
};

/*
 * struct vireo_vcpu - one virtual CPU
 *
 * Legend: (c) set at creation, constant afterwards; (t) owned by the
 * thread running the vCPU (it holds @mutex); (a) atomic or read and
 * written with the accessors that say so; (p) only with preemption
 * disabled on the CPU the VMCS is loaded on.
 */
struct vireo_vcpu {
	struct vireo_vm *vm;		/* (c) holds a reference */
	u32 id;				/* (c) 0 to VIREO_MAX_VCPUS - 1 */
	struct vireo_run *run;		/* (c) the page userspace maps */
	struct mutex mutex;		/* ioctls on this vCPU */

	/* VMX */
	void *vmcs;			/* (c) the VMCS region */
	int cpu;			/* (p) CPU the VMCS is loaded on, or -1 */
	bool launched;			/* (p) VMLAUNCH done since VMCLEAR */
	struct list_head loaded_link;	/* (p) on that CPU's loaded list */
	u16 vpid;			/* (c) */
	bool loaded;			/* (t) guest MSRs in hardware (load/put) */
	bool syscall_loaded;		/* (t) guest STAR..SFMASK in hardware */
	struct vireo_host_state host;	/* (t) */
	unsigned long regs[VIREO_NR_REGS];	/* (t) RSP lives in the VMCS */
	unsigned long cr2;		/* (t) not in the VMCS */
	u64 cr0, cr4;			/* (t) as the guest sees them */
	u64 xcr0;			/* (t) */
	unsigned long db[4], dr6, dr7;	/* (t) emulated debug registers */
	struct vireo_guest_msrs msrs;	/* (t) */
	void *fpu_area;			/* (t) XSAVE area (fpu.c) */
	u32 proc_ctl;			/* (t) CPU_BASED_VM_EXEC_CONTROL */
	u32 exit_reason;		/* (t) of the last VM exit */
	unsigned long exit_qual;	/* (t) valid when @exit_qual_valid */
	bool exit_qual_valid;		/* (t) */
	unsigned long qs_jiffies;	/* (t) last RCU quiescent state */
	int mode_cache;			/* (t) vireo_cpu_mode() of this exit, or -1 */
	struct vireo_cpuid_table *cpuid;	/* (t) VIREO_SET_CPUID */
	bool dead;			/* (t) stopped by an internal error */
	u32 ept_retries;		/* (t) EPT violations in a row on RAM */

	/* events */
	DECLARE_BITMAP(extint, 256);	/* (a) VIREO_INTERRUPT vectors */
	bool nmi_pending;		/* (a) */
	struct vireo_event event;	/* (t) exception or reinjection */
	u32 mp_state;			/* (a) VIREO_MP_* */
	u8 sipi_vector;			/* (a) with VIREO_REQ_SIPI */
	bool halt_if;			/* (t) RFLAGS.IF when it halted */
	struct vireo_lapic lapic;

	/* kicks */
	int mode;			/* (a) enum vireo_vcpu_mode */
	unsigned long requests;		/* (a) enum vireo_request bits */
	struct rcuwait wait;		/* HLT, wait for SIPI, pause */

	/* userspace exits */
	enum vireo_pending pending;	/* (t) */
	struct vireo_io_state io;	/* (t) */
	struct vireo_mmio_cache mmio_cache;	/* (t) exit_mmio.c */

	struct vireo_vcpu_stats stats;	/* (t) */
};

long vireo_vcpu_create(struct vireo_vm *vm, unsigned long id);
void vireo_vcpu_free(struct vireo_vcpu *vcpu);
void vireo_vcpu_kick(struct vireo_vcpu *vcpu);
void vireo_vcpu_request(struct vireo_vcpu *vcpu, enum vireo_request req);
void vireo_vcpu_stats_add(struct vireo_vcpu *vcpu, struct vireo_stats *out);

/* Guest registers. */
static inline unsigned long vireo_reg_read(struct vireo_vcpu *vcpu, int reg)
{
	return vcpu->regs[reg];
}

static inline void vireo_reg_write(struct vireo_vcpu *vcpu, int reg,
				   unsigned long val)
{
	vcpu->regs[reg] = val;
}

#endif /* VIREO_VCPU_H */
