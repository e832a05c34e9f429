/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the local APIC of each vCPU, emulated in the kernel.
 */
#ifndef VIREO_LAPIC_H
#define VIREO_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct vireo_vcpu;

/* Registers are 16 bytes apart in the 4 KiB page: index = offset >> 4. */
#define VIREO_LAPIC_NR_REGS	64

/*
 * struct vireo_lapic - one local APIC
 * Everything below is guarded by @lock, which the timer takes from hard
 * interrupt context (so it is taken with interrupts disabled).
 */
struct vireo_lapic {
	spinlock_t lock;	/* everything below */
	u32 regs[VIREO_LAPIC_NR_REGS];
	u64 apic_base;		/* IA32_APIC_BASE */
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE; 0 when not armed */
	struct hrtimer timer;
	ktime_t expires;	/* one-shot and periodic: the next expiry */
	u64 period_ns;		/* periodic: the period; 0 when stopped */
};

void vireo_lapic_init(struct vireo_vcpu *vcpu);
void vireo_lapic_reset(struct vireo_vcpu *vcpu);
void vireo_lapic_destroy(struct vireo_vcpu *vcpu);
void vireo_lapic_read(struct vireo_vcpu *vcpu, u32 offset, u32 *val);
void vireo_lapic_write(struct vireo_vcpu *vcpu, u32 offset, u32 val);
int vireo_lapic_pending(struct vireo_vcpu *vcpu);
void vireo_lapic_accept(struct vireo_vcpu *vcpu, int vector);
bool vireo_lapic_has_event(struct vireo_vcpu *vcpu);
u64 vireo_lapic_get_cr8(struct vireo_vcpu *vcpu);
void vireo_lapic_set_cr8(struct vireo_vcpu *vcpu, u64 cr8);
u64 vireo_lapic_get_base(struct vireo_vcpu *vcpu);
int vireo_lapic_set_base(struct vireo_vcpu *vcpu, u64 value);
u64 vireo_lapic_get_deadline(struct vireo_vcpu *vcpu);
u32 vireo_lapic_khz(void);
void vireo_lapic_set_deadline(struct vireo_vcpu *vcpu, u64 deadline);

#endif /* VIREO_LAPIC_H */
