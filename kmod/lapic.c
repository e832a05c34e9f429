// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the local APIC, emulated in the kernel.
 *
 * Each vCPU has an xAPIC at guest-physical 0xFEE00000 whose APIC ID is the
 * vCPU id. It is in the kernel because the guest talks to it at a rate
 * that a round trip to userspace per access would make the bottleneck:
 * EOI after every interrupt, timer programming on every tick of a
 * tickless kernel, IPIs for TLB shootdowns and rescheduling.
 *
 * What it does: the register file (MMIO accesses reach vireo_lapic_read()
 * and vireo_lapic_write() from the EPT violation handler); IRR/ISR/PPR
 * priority and EOI; the timer in one-shot, periodic and TSC-deadline mode
 * on an hrtimer, ticking at the TSC frequency (what a VMM puts in CPUID
 * 0x15, so a guest reads it instead of calibrating); IPIs in physical and
 * logical (flat and cluster) destination modes with the shorthands, fixed
 * and lowest-priority (delivered to the first match), NMI, INIT and SIPI.
 * What it does not: x2APIC, an IOAPIC behind it (8259 interrupts come in
 * through VIREO_INTERRUPT instead, see inject.c), level-triggered EOI
 * broadcast, SMI, the thermal, performance and CMCI sources (their LVT
 * registers read back what was written).
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "lapic.h"
#include "vcpu.h"
#include "vm.h"

#define REG(off)		((off) >> 4)
#define LAPIC_VERSION		0x00050014	/* version 0x14, 6 LVT entries */
#define LAPIC_MIN_PERIOD_NS	(100 * NSEC_PER_USEC)
#define LVT_TIMER_MODE		(3 << 17)

#define LVT_MASK_TIMER		0x000700ff
#define LVT_MASK_LINT		0x0001a7ff
#define LVT_MASK_OTHER		0x000107ff

static u32 *lapic_reg(struct vireo_lapic *apic, u32 off)
{
	return &apic->regs[REG(off)];
}

static void vec_set(struct vireo_lapic *apic, u32 base, int v)
{
	*lapic_reg(apic, base + (v >> 5) * 0x10) |= 1u << (v & 31);
}

static void vec_clear(struct vireo_lapic *apic, u32 base, int v)
{
	*lapic_reg(apic, base + (v >> 5) * 0x10) &= ~(1u << (v & 31));
}

/* The highest vector set in the ISR, IRR or TMR at @base, or -1. */
static int vec_highest(struct vireo_lapic *apic, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 word = *lapic_reg(apic, base + i * 0x10);

		if (word)
			return i * 32 + fls(word) - 1;
	}
	return -1;
}

static u32 lapic_ppr(struct vireo_lapic *apic)
{
	u32 tpr = *lapic_reg(apic, APIC_TASKPRI);
	int isrv = vec_highest(apic, APIC_ISR);

	if (isrv < 0 || (tpr & 0xf0) >= (isrv & 0xf0))
		return tpr & 0xff;
	return isrv & 0xf0;
}

static bool lapic_enabled(struct vireo_lapic *apic)
{
	return (apic->apic_base & MSR_IA32_APICBASE_ENABLE) &&
	       (*lapic_reg(apic, APIC_SPIV) & APIC_SPIV_APIC_ENABLED);
}

/* Nanoseconds for @ticks of the timer at the current divider. */
static u64 lapic_ticks_to_ns(struct vireo_lapic *apic, u64 ticks)
{
	u32 tdcr = *lapic_reg(apic, APIC_TDCR);
	u32 code = (tdcr & 3) | ((tdcr & 8) >> 1);
	u32 div = code == 7 ? 1 : 2 << code;

	return mul_u64_u32_div(ticks * div, USEC_PER_SEC, vireo_lapic_khz());
}

static u64 lapic_ns_to_ticks(struct vireo_lapic *apic, u64 ns)
{
	u32 tdcr = *lapic_reg(apic, APIC_TDCR);
	u32 code = (tdcr & 3) | ((tdcr & 8) >> 1);
	u32 div = code == 7 ? 1 : 2 << code;

	return div_u64(mul_u64_u32_div(ns, vireo_lapic_khz(), USEC_PER_SEC), div);
}

/* Set @vector in the IRR; the caller kicks the vCPU. Lock held. */
static void lapic_set_irr(struct vireo_lapic *apic, int vector)
{
	if (vector < 16) {
		*lapic_reg(apic, APIC_ESR) |= APIC_ESR_RECVILL;
		return;
	}
	vec_set(apic, APIC_IRR, vector);
}

static enum hrtimer_restart lapic_timer_fn(struct hrtimer *timer)
{
	struct vireo_lapic *apic = container_of(timer, struct vireo_lapic, timer);
	struct vireo_vcpu *vcpu = container_of(apic, struct vireo_vcpu, lapic);
	enum hrtimer_restart restart = HRTIMER_NORESTART;
	unsigned long flags;
	u32 lvtt;

	spin_lock_irqsave(&apic->lock, flags);
	lvtt = *lapic_reg(apic, APIC_LVTT);
	if (!(lvtt & APIC_LVT_MASKED))
		lapic_set_irr(apic, lvtt & 0xff);
	if ((lvtt & LVT_TIMER_MODE) == APIC_LVT_TIMER_PERIODIC && apic->period_ns) {
		hrtimer_forward_now(timer, ns_to_ktime(apic->period_ns));
		apic->expires = hrtimer_get_expires(timer);
		restart = HRTIMER_RESTART;
	} else {
		apic->tsc_deadline = 0;
		apic->period_ns = 0;
	}
	spin_unlock_irqrestore(&apic->lock, flags);
	vireo_vcpu_request(vcpu, VIREO_REQ_EVENT);
	return restart;
}

/* Stop the timer; lock held. The callback may still run: it is harmless. */
static void lapic_timer_stop(struct vireo_lapic *apic)
{
	hrtimer_try_to_cancel(&apic->timer);
	apic->period_ns = 0;
	apic->tsc_deadline = 0;
}

/* TMICT written in one-shot or periodic mode; lock held. */
static void lapic_timer_start(struct vireo_lapic *apic, u32 count)
{
	u32 lvtt = *lapic_reg(apic, APIC_LVTT);
	u64 ns;

	lapic_timer_stop(apic);
	if (!count || (lvtt & LVT_TIMER_MODE) == APIC_LVT_TIMER_TSCDEADLINE)
		return;
	ns = lapic_ticks_to_ns(apic, count);
	if ((lvtt & LVT_TIMER_MODE) == APIC_LVT_TIMER_PERIODIC) {
		/* A guest may not turn the host into a timer-interrupt storm. */
		ns = max_t(u64, ns, LAPIC_MIN_PERIOD_NS);
		apic->period_ns = ns;
	}
	apic->expires = ktime_add_ns(ktime_get(), ns);
	hrtimer_start(&apic->timer, apic->expires, HRTIMER_MODE_ABS_HARD);
}

static u32 lapic_read_tmcct(struct vireo_lapic *apic)
{
	ktime_t left;

	if (!hrtimer_active(&apic->timer) || !*lapic_reg(apic, APIC_TMICT))
		return 0;
	left = ktime_sub(apic->expires, ktime_get());
	if (ktime_to_ns(left) <= 0)
		return 0;
	return min_t(u64, lapic_ns_to_ticks(apic, ktime_to_ns(left)),
		     *lapic_reg(apic, APIC_TMICT));
}

/**
 * vireo_lapic_read() - a guest read of a local APIC register
 * @vcpu: the vCPU.
 * @offset: offset in the APIC page; only 16-byte aligned ones are registers.
 * @val: out: the value.
 */
void vireo_lapic_read(struct vireo_vcpu *vcpu, u32 offset, u32 *val)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;

	if (offset & 0xf || offset >= VIREO_LAPIC_NR_REGS * 16) {
		*val = 0;
		return;
	}
	spin_lock_irqsave(&apic->lock, flags);
	switch (offset) {
	case APIC_PROCPRI:
		*val = lapic_ppr(apic);
		break;
	case APIC_TMCCT:
		*val = lapic_read_tmcct(apic);
		break;
	case APIC_EOI:
	case APIC_ARBPRI:
		*val = 0;
		break;
	default:
		*val = *lapic_reg(apic, offset);
	}
	spin_unlock_irqrestore(&apic->lock, flags);
}

/* Does @vcpu's APIC answer to @dest in the given destination mode? */
static bool lapic_match(struct vireo_vcpu *vcpu, u8 dest, bool logical)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	u8 ldr, id;

	if (dest == 0xff)
		return true;
	if (!logical) {
		id = READ_ONCE(apic->regs[REG(APIC_ID)]) >> 24;
		return id == dest;
	}
	ldr = READ_ONCE(apic->regs[REG(APIC_LDR)]) >> 24;
	if ((READ_ONCE(apic->regs[REG(APIC_DFR)]) >> 28) == 0xf)
		return ldr & dest;
	/* Cluster model: cluster in bits 7:4, members in 3:0. */
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf);
}

/* Deliver one interrupt message to @t. */
static void lapic_deliver(struct vireo_vcpu *t, u32 icr)
{
	struct vireo_lapic *apic = &t->lapic;
	unsigned long flags;

	switch (icr & APIC_DM_EXTINT) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		spin_lock_irqsave(&apic->lock, flags);
		lapic_set_irr(apic, icr & 0xff);
		spin_unlock_irqrestore(&apic->lock, flags);
		vireo_vcpu_request(t, VIREO_REQ_EVENT);
		break;
	case APIC_DM_NMI:
		WRITE_ONCE(t->nmi_pending, true);
		vireo_vcpu_request(t, VIREO_REQ_EVENT);
		break;
	case APIC_DM_INIT:
		/* INIT level de-assert does nothing on modern CPUs. */
		if ((icr & APIC_INT_LEVELTRIG) && !(icr & APIC_INT_ASSERT))
			break;
		WRITE_ONCE(t->mp_state, VIREO_MP_WAIT_SIPI);
		vireo_vcpu_request(t, VIREO_REQ_INIT);
		break;
	case APIC_DM_STARTUP:
		if (READ_ONCE(t->mp_state) != VIREO_MP_WAIT_SIPI)
			break;
		WRITE_ONCE(t->sipi_vector, icr & 0xff);
		vireo_vcpu_request(t, VIREO_REQ_SIPI);
		break;
	default:		/* SMI, ExtINT: not modelled */
		break;
	}
}

static void lapic_send_ipi(struct vireo_vcpu *src, u32 icr, u32 icr2)
{
	struct vireo_vm *vm = src->vm;
	bool logical = icr & APIC_DEST_LOGICAL;
	u32 shorthand = icr & APIC_DEST_ALLBUT;
	u8 dest = icr2 >> 24;
	int i;

	for (i = 0; i < VIREO_MAX_VCPUS; i++) {
		/* Published with release by vireo_vcpu_create(). */
		struct vireo_vcpu *t = smp_load_acquire(&vm->vcpus[i]);
		bool hit;

		if (!t)
			continue;
		switch (shorthand) {
		case APIC_DEST_SELF:
			hit = t == src;
			break;
		case APIC_DEST_ALLINC:
			hit = true;
			break;
		case APIC_DEST_ALLBUT:
			hit = t != src;
			break;
		default:
			hit = lapic_match(t, dest, logical);
		}
		if (!hit)
			continue;
		lapic_deliver(t, icr);
		if ((icr & APIC_DM_EXTINT) == APIC_DM_LOWEST)
			break;
	}
}

static void lapic_write_lvt(struct vireo_lapic *apic, u32 offset, u32 val, u32 mask)
{
	val &= mask;
	if (!(*lapic_reg(apic, APIC_SPIV) & APIC_SPIV_APIC_ENABLED))
		val |= APIC_LVT_MASKED;
	if (offset == APIC_LVTT &&
	    ((val ^ *lapic_reg(apic, APIC_LVTT)) & LVT_TIMER_MODE)) {
		lapic_timer_stop(apic);
		*lapic_reg(apic, APIC_TMICT) = 0;
	}
	*lapic_reg(apic, offset) = val;
}

/**
 * vireo_lapic_write() - a guest write of a local APIC register
 * @vcpu: the vCPU.
 * @offset: offset in the APIC page; writes elsewhere than registers, and
 *          to read-only registers, are ignored.
 * @val: the value.
 */
void vireo_lapic_write(struct vireo_vcpu *vcpu, u32 offset, u32 val)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	u32 icr = 0, icr2 = 0;
	unsigned long flags;
	int v, i;

	if (offset & 0xf || offset >= VIREO_LAPIC_NR_REGS * 16)
		return;
	spin_lock_irqsave(&apic->lock, flags);
	switch (offset) {
	case APIC_ID:
		*lapic_reg(apic, offset) = val & 0xff000000;
		break;
	case APIC_TASKPRI:
		*lapic_reg(apic, offset) = val & 0xff;
		break;
	case APIC_EOI:
		v = vec_highest(apic, APIC_ISR);
		if (v >= 0)
			vec_clear(apic, APIC_ISR, v);
		break;
	case APIC_LDR:
		*lapic_reg(apic, offset) = val & 0xff000000;
		break;
	case APIC_DFR:
		*lapic_reg(apic, offset) = val | 0x0fffffff;
		break;
	case APIC_SPIV:
		*lapic_reg(apic, offset) = val & 0x3ff;
		if (!(val & APIC_SPIV_APIC_ENABLED))
			for (i = APIC_LVTT; i <= APIC_LVTERR; i += 0x10)
				*lapic_reg(apic, i) |= APIC_LVT_MASKED;
		break;
	case APIC_ESR:
		*lapic_reg(apic, offset) = 0;
		break;
	case APIC_ICR:
		icr = val & ~APIC_ICR_BUSY;
		icr2 = *lapic_reg(apic, APIC_ICR2);
		*lapic_reg(apic, offset) = icr;
		break;
	case APIC_ICR2:
		*lapic_reg(apic, offset) = val & 0xff000000;
		break;
	case APIC_LVTT:
		lapic_write_lvt(apic, offset, val, LVT_MASK_TIMER);
		break;
	case APIC_LVT0:
	case APIC_LVT1:
		lapic_write_lvt(apic, offset, val, LVT_MASK_LINT);
		break;
	case APIC_LVTTHMR:
	case APIC_LVTPC:
	case APIC_LVTERR:
	case APIC_LVTCMCI:
		lapic_write_lvt(apic, offset, val, LVT_MASK_OTHER);
		break;
	case APIC_TMICT:
		*lapic_reg(apic, offset) = val;
		lapic_timer_start(apic, val);
		break;
	case APIC_TDCR:
		*lapic_reg(apic, offset) = val & 0xb;
		break;
	default:		/* read-only or reserved */
		break;
	}
	spin_unlock_irqrestore(&apic->lock, flags);
	if (offset == APIC_ICR)
		lapic_send_ipi(vcpu, icr, icr2);
	/* A lower priority interrupt may be deliverable now. */
	if (offset == APIC_EOI || offset == APIC_TASKPRI || offset == APIC_SPIV)
		set_bit(VIREO_REQ_EVENT, &vcpu->requests);
}

/**
 * vireo_lapic_pending() - the interrupt the APIC would deliver now
 * @vcpu: the vCPU.
 *
 * Return: the highest vector in the IRR whose priority class is above the
 * processor priority, or -1.
 */
int vireo_lapic_pending(struct vireo_vcpu *vcpu)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;
	int v = -1;

	spin_lock_irqsave(&apic->lock, flags);
	if (lapic_enabled(apic)) {
		v = vec_highest(apic, APIC_IRR);
		if (v >= 0 && (v & 0xf0) <= (lapic_ppr(apic) & 0xf0))
			v = -1;
	}
	spin_unlock_irqrestore(&apic->lock, flags);
	return v;
}

/**
 * vireo_lapic_accept() - the CPU takes @vector: move it from IRR to ISR
 * @vcpu: the vCPU.
 * @vector: a vector vireo_lapic_pending() returned.
 */
void vireo_lapic_accept(struct vireo_vcpu *vcpu, int vector)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&apic->lock, flags);
	vec_clear(apic, APIC_IRR, vector);
	vec_set(apic, APIC_ISR, vector);
	spin_unlock_irqrestore(&apic->lock, flags);
}

/**
 * vireo_lapic_has_event() - would the APIC wake a halted CPU?
 * @vcpu: the vCPU.
 *
 * Return: true when an interrupt is deliverable.
 */
bool vireo_lapic_has_event(struct vireo_vcpu *vcpu)
{
	return vireo_lapic_pending(vcpu) >= 0;
}

/**
 * vireo_lapic_get_cr8() - CR8 as the guest reads it
 * @vcpu: the vCPU.
 *
 * Return: TPR[7:4].
 */
u64 vireo_lapic_get_cr8(struct vireo_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic.regs[REG(APIC_TASKPRI)]) >> 4;
}

/**
 * vireo_lapic_set_cr8() - a guest write to CR8
 * @vcpu: the vCPU.
 * @cr8: the value; bits 3:0 become TPR[7:4].
 */
void vireo_lapic_set_cr8(struct vireo_vcpu *vcpu, u64 cr8)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&apic->lock, flags);
	*lapic_reg(apic, APIC_TASKPRI) = (cr8 & 0xf) << 4;
	spin_unlock_irqrestore(&apic->lock, flags);
	set_bit(VIREO_REQ_EVENT, &vcpu->requests);
}

/**
 * vireo_lapic_get_base() - IA32_APIC_BASE
 * @vcpu: the vCPU.
 *
 * Return: the MSR's value.
 */
u64 vireo_lapic_get_base(struct vireo_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic.apic_base);
}

/**
 * vireo_lapic_set_base() - write IA32_APIC_BASE
 * @vcpu: the vCPU.
 * @value: the new value. The base stays 0xFEE00000 and x2APIC mode is not
 *         available; only the global enable bit (and BSP) may change.
 *
 * Return: 0, or -EINVAL for a value vireo refuses (a #GP for the guest).
 */
int vireo_lapic_set_base(struct vireo_vcpu *vcpu, u64 value)
{
	u64 allowed = VIREO_APIC_GPA | MSR_IA32_APICBASE_ENABLE | MSR_IA32_APICBASE_BSP;

	if ((value & ~allowed) || (value & MSR_IA32_APICBASE_BASE) != VIREO_APIC_GPA)
		return -EINVAL;
	WRITE_ONCE(vcpu->lapic.apic_base, value);
	vireo_vcpu_request(vcpu, VIREO_REQ_EVENT);
	return 0;
}

/**
 * vireo_lapic_get_deadline() - IA32_TSC_DEADLINE
 * @vcpu: the vCPU.
 *
 * Return: the armed deadline, or 0.
 */
u64 vireo_lapic_get_deadline(struct vireo_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic.tsc_deadline);
}

/**
 * vireo_lapic_set_deadline() - write IA32_TSC_DEADLINE
 * @vcpu: the vCPU.
 * @deadline: a TSC value; 0 disarms. Ignored unless the timer is in
 *            TSC-deadline mode, as on hardware.
 */
void vireo_lapic_set_deadline(struct vireo_vcpu *vcpu, u64 deadline)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;
	u64 now;

	spin_lock_irqsave(&apic->lock, flags);
	if ((*lapic_reg(apic, APIC_LVTT) & LVT_TIMER_MODE) != APIC_LVT_TIMER_TSCDEADLINE)
		goto unlock;
	lapic_timer_stop(apic);
	if (!deadline)
		goto unlock;
	apic->tsc_deadline = deadline;
	now = rdtsc();
	apic->expires = ktime_get();
	if (deadline > now)
		apic->expires = ktime_add_ns(apic->expires,
					     mul_u64_u32_div(deadline - now, USEC_PER_SEC,
							     tsc_khz));
	hrtimer_start(&apic->timer, apic->expires, HRTIMER_MODE_ABS_HARD);
unlock:
	spin_unlock_irqrestore(&apic->lock, flags);
}

/**
 * vireo_lapic_reset() - the APIC state after INIT
 * @vcpu: the vCPU.
 *
 * Keeps the APIC ID and IA32_APIC_BASE, as INIT does.
 */
void vireo_lapic_reset(struct vireo_vcpu *vcpu)
{
	struct vireo_lapic *apic = &vcpu->lapic;
	unsigned long flags;
	u32 id;
	int i;

	spin_lock_irqsave(&apic->lock, flags);
	lapic_timer_stop(apic);
	id = *lapic_reg(apic, APIC_ID);
	memset(apic->regs, 0, sizeof(apic->regs));
	*lapic_reg(apic, APIC_ID) = id;
	*lapic_reg(apic, APIC_LVR) = LAPIC_VERSION;
	*lapic_reg(apic, APIC_DFR) = 0xffffffff;
	*lapic_reg(apic, APIC_SPIV) = 0xff;
	for (i = APIC_LVTT; i <= APIC_LVTERR; i += 0x10)
		*lapic_reg(apic, i) = APIC_LVT_MASKED;
	*lapic_reg(apic, APIC_LVTCMCI) = APIC_LVT_MASKED;
	spin_unlock_irqrestore(&apic->lock, flags);
}

/**
 * vireo_lapic_init() - power-on state of a vCPU's APIC
 * @vcpu: the new vCPU; its id is the APIC ID, vCPU 0 is the BSP.
 */
void vireo_lapic_init(struct vireo_vcpu *vcpu)
{
	struct vireo_lapic *apic = &vcpu->lapic;

	spin_lock_init(&apic->lock);
	hrtimer_init(&apic->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	apic->timer.function = lapic_timer_fn;
	apic->apic_base = VIREO_APIC_GPA | MSR_IA32_APICBASE_ENABLE |
			  (vcpu->id ? 0 : MSR_IA32_APICBASE_BSP);
	apic->regs[REG(APIC_ID)] = vcpu->id << 24;
	vireo_lapic_reset(vcpu);
}

/**
 * vireo_lapic_destroy() - stop the APIC's timer for good
 * @vcpu: the vCPU being freed.
 */
void vireo_lapic_destroy(struct vireo_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->lapic.timer);
}
