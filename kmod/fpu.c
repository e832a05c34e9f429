// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the guest's FPU state.
 *
 * The guest's x87, SSE, AVX and AVX-512 registers live in the CPU while
 * the vCPU's inner run loop runs (run.c, preemption disabled), and in a
 * per-vCPU XSAVE area otherwise. Entering the loop is a kernel-FPU
 * section: kernel_fpu_begin_mask() saves the VMM thread's own FPU state
 * (once; the kernel restores it on the way back to userspace), then the
 * guest's is loaded with XRSTOR; leaving the loop saves it with XSAVE and
 * ends the section. Exits handled inside the loop touch no FPU state at
 * all. Interrupt handlers see the FPU as in use by the kernel and keep off
 * it meanwhile.
 *
 * Only the components a guest may enable (vireo_supported_xcr0()) are
 * saved and restored; XCR0 is switched around each VM entry by run.c, and
 * is the host's whenever these run. Without XSAVE, FXSAVE does.
 */
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>

#include "cpuid.h"
#include "fpu.h"
#include "vcpu.h"

#define FCW_DEFAULT	0x037f
#define MXCSR_DEFAULT	0x1f80

static u64 vireo_fpu_mask __ro_after_init;	/* components saved; 0: FXSAVE */
static unsigned int vireo_fpu_size __ro_after_init;

/**
 * vireo_fpu_init() - choose XSAVE or FXSAVE and the area size
 */
void vireo_fpu_init(void)
{
	u32 eax, ebx, ecx, edx;

	vireo_fpu_mask = vireo_supported_xcr0();
	vireo_fpu_size = 512;
	if (vireo_fpu_mask) {
		/* With every XCR0 component enabled: the largest area there is. */
		cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
		vireo_fpu_size = ecx;
	}
}

/**
 * vireo_fpu_alloc() - the guest's FPU state at power-on
 * @vcpu: the vCPU.
 *
 * Return: 0 or -ENOMEM.
 */
int vireo_fpu_alloc(struct vireo_vcpu *vcpu)
{
	u8 *area = kzalloc(vireo_fpu_size, GFP_KERNEL_ACCOUNT);

	if (!area)
		return -ENOMEM;
	/* kmalloc of 512 and more is 64-byte aligned, as XSAVE wants. */
	*(u16 *)area = FCW_DEFAULT;
	*(u32 *)(area + 24) = MXCSR_DEFAULT;
	vcpu->fpu_area = area;
	return 0;
}

/**
 * vireo_fpu_free() - free the guest's FPU state
 * @vcpu: the vCPU.
 */
void vireo_fpu_free(struct vireo_vcpu *vcpu)
{
	kfree(vcpu->fpu_area);
}

/**
 * vireo_fpu_load() - put the guest's FPU state in the CPU
 * @vcpu: the vCPU entering its inner run loop, preemption disabled.
 */
void vireo_fpu_load(struct vireo_vcpu *vcpu)
{
	u64 mask = vireo_fpu_mask;

	kernel_fpu_begin_mask(0);
	if (mask)
		asm volatile("xrstor64 %[area]"
			     : : [area] "m" (*(u8 *)vcpu->fpu_area),
			       "a" ((u32)mask), "d" ((u32)(mask >> 32)) : "memory");
	else
		asm volatile("fxrstor64 %[area]"
			     : : [area] "m" (*(u8 *)vcpu->fpu_area) : "memory");
}

/**
 * vireo_fpu_put() - save the guest's FPU state, give the FPU back
 * @vcpu: the vCPU leaving its inner run loop, preemption disabled.
 */
void vireo_fpu_put(struct vireo_vcpu *vcpu)
{
	u64 mask = vireo_fpu_mask;

	if (mask)
		asm volatile("xsave64 %[area]"
			     : [area] "=m" (*(u8 *)vcpu->fpu_area)
			     : "a" ((u32)mask), "d" ((u32)(mask >> 32)) : "memory");
	else
		asm volatile("fxsave64 %[area]"
			     : [area] "=m" (*(u8 *)vcpu->fpu_area) : : "memory");
	kernel_fpu_end();
}
