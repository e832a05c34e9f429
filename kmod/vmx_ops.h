/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: typed wrappers of the VMX instructions.
 *
 * Every VMCS field encodes its width in bits 14:13; the accessors below
 * check at build time that a field is read and written with its own width
 * (a 64-bit field through vmcs_read32() would silently lose half of it).
 * The instructions operate on the current VMCS of this CPU: callers run
 * with preemption disabled between vireo_vmcs_load() and the accesses.
 *
 * A failing VMWRITE or VMREAD is a bug in vireo, never the guest's doing:
 * it is reported (ratelimited) and the value read is 0.
 */
#ifndef VIREO_VMX_OPS_H
#define VIREO_VMX_OPS_H

#include <linux/build_bug.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <asm/vmx.h>

#define VMCS_FIELD_WIDTH(f)	(((f) >> 13) & 3)
#define VMCS_WIDTH_16		0
#define VMCS_WIDTH_64		1
#define VMCS_WIDTH_32		2
#define VMCS_WIDTH_NATURAL	3

/* Natural-width fields are 64 bits on x86-64: either accessor may use them. */
static __always_inline void VMCS_CHECK_WIDTH(unsigned long field, int width)
{
	BUILD_BUG_ON_MSG(__builtin_constant_p(field) &&
			 VMCS_FIELD_WIDTH(field) != width &&
			 !(width == VMCS_WIDTH_64 &&
			   VMCS_FIELD_WIDTH(field) == VMCS_WIDTH_NATURAL),
			 "VMCS field accessed with the wrong width");
}

void vireo_vmx_op_error(const char *op, unsigned long field, unsigned long value);

static __always_inline unsigned long __vmcs_read(unsigned long field)
{
	unsigned long value;

	asm volatile goto("vmread %[field], %[value]\n\t"
			  "jna %l[fail]"
			  : [value] "=rm" (value)
			  : [field] "r" (field)
			  : "cc"
			  : fail);
	return value;
fail:
	vireo_vmx_op_error("vmread", field, 0);
	return 0;
}

static __always_inline void __vmcs_write(unsigned long field, unsigned long value)
{
	asm volatile goto("vmwrite %[value], %[field]\n\t"
			  "jna %l[fail]"
			  :
			  : [field] "r" (field), [value] "rm" (value)
			  : "cc"
			  : fail);
	return;
fail:
	vireo_vmx_op_error("vmwrite", field, value);
}

static __always_inline u16 vmcs_read16(unsigned long field)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_16);
	return __vmcs_read(field);
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_32);
	return __vmcs_read(field);
}

static __always_inline u64 vmcs_read64(unsigned long field)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_64);
	return __vmcs_read(field);
}

static __always_inline unsigned long vmcs_readl(unsigned long field)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_NATURAL);
	return __vmcs_read(field);
}

static __always_inline void vmcs_write16(unsigned long field, u16 value)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_16);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_write32(unsigned long field, u32 value)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_32);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_write64(unsigned long field, u64 value)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_64);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_writel(unsigned long field, unsigned long value)
{
	VMCS_CHECK_WIDTH(field, VMCS_WIDTH_NATURAL);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_set_bits32(unsigned long field, u32 bits)
{
	vmcs_write32(field, vmcs_read32(field) | bits);
}

static __always_inline void vmcs_clear_bits32(unsigned long field, u32 bits)
{
	vmcs_write32(field, vmcs_read32(field) & ~bits);
}

/* VMCLEAR, VMPTRLD: 0 on success, -EIO on VMfail. */
static inline int vireo_vmclear(u64 pa)
{
	asm volatile goto("vmclear %[pa]\n\t"
			  "jna %l[fail]"
			  : : [pa] "m" (pa) : "cc", "memory" : fail);
	return 0;
fail:
	vireo_vmx_op_error("vmclear", 0, pa);
	return -EIO;
}

static inline int vireo_vmptrld(u64 pa)
{
	asm volatile goto("vmptrld %[pa]\n\t"
			  "jna %l[fail]"
			  : : [pa] "m" (pa) : "cc", "memory" : fail);
	return 0;
fail:
	vireo_vmx_op_error("vmptrld", 0, pa);
	return -EIO;
}

/* INVEPT and INVVPID descriptors and their wrappers. */
static inline void vireo_invept(unsigned long type, u64 eptp)
{
	struct { u64 eptp, reserved; } desc = { eptp, 0 };

	asm volatile goto("invept %[desc], %[type]\n\t"
			  "jna %l[fail]"
			  : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory" : fail);
	return;
fail:
	vireo_vmx_op_error("invept", type, eptp);
}

static inline void vireo_invvpid(unsigned long type, u16 vpid, u64 gva)
{
	struct { u64 vpid : 16, reserved : 48; u64 gva; } desc = { vpid, 0, gva };

	asm volatile goto("invvpid %[desc], %[type]\n\t"
			  "jna %l[fail]"
			  : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory" : fail);
	return;
fail:
	vireo_vmx_op_error("invvpid", type, vpid);
}

#endif /* VIREO_VMX_OPS_H */
