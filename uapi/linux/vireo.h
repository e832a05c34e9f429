/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vireo: the ioctl ABI of /dev/vireo.
 *
 * Three levels of file descriptors, as in KVM: the system fd (open of
 * /dev/vireo), VM fds (VIREO_CREATE_VM) and vCPU fds (VIREO_CREATE_VCPU).
 * A vCPU fd is mmap'd to share struct vireo_run with the kernel. Feature
 * discovery goes through VIREO_CHECK_CAP, never through version checks.
 *
 * Rules for this file: fixed-width types only, explicit padding, reserved
 * fields must be zero (-EINVAL otherwise), ioctl, capability and exit
 * numbers are never reused or renumbered. Struct sizes are pinned by static
 * asserts in kmod/ and in selftests/native/.
 *
 * Documentation/virt/vireo/api.rst describes every ioctl and its errors.
 */
#ifndef _UAPI_LINUX_VIREO_H
#define _UAPI_LINUX_VIREO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* VIREO_GET_API_VERSION returns this; it changes only on a break. */
#define VIREO_API_VERSION	1

/* ioctl magic; unused by mainline (ioctl-number.rst). */
#define VIREO_IO		0xBE

/* Length of a VM name, including the terminating NUL. */
#define VIREO_VM_NAME_LEN	32

/**
 * struct vireo_vm_create - argument of VIREO_CREATE_VM
 * @flags: must be 0.
 * @id: out: the VM's id, unique among the VMs alive in this host.
 * @name: in: optional name, NUL-terminated, 1 to 31 characters from
 *        [A-Za-z0-9._-], unique among live VMs; all zero for no name.
 *        Bytes after the terminating NUL must be zero.
 * @reserved: must be zero.
 */
struct vireo_vm_create {
	__u32 flags;
	__u32 id;
	char name[VIREO_VM_NAME_LEN];
	__u64 reserved[4];
};

/* ioctls on the system fd (/dev/vireo) */
#define VIREO_GET_API_VERSION	_IO(VIREO_IO, 0x00)
#define VIREO_CHECK_CAP		_IO(VIREO_IO, 0x01)
#define VIREO_CREATE_VM		_IOWR(VIREO_IO, 0x02, struct vireo_vm_create)
#define VIREO_GET_MSR_LIST	_IOWR(VIREO_IO, 0x03, struct vireo_msr_list)
#define VIREO_GET_SUPPORTED_CPUID _IOWR(VIREO_IO, 0x04, struct vireo_cpuid)

/*
 * Capabilities, the argument of VIREO_CHECK_CAP. The ioctl returns the
 * capability's value, and 0 for a capability it does not know.
 */
/* Maximum number of VMs alive at once. */
#define VIREO_CAP_MAX_VMS		1
/* EPT large pages the host supports: a mask of the bits below. */
#define VIREO_CAP_EPT_LARGE_PAGES	2
#define  VIREO_EPT_LARGE_PAGE_2M	0x1
#define  VIREO_EPT_LARGE_PAGE_1G	0x2
/* VMX preemption timer: 0 if absent, else 1 + its TSC shift. */
#define VIREO_CAP_PREEMPTION_TIMER	3
/* Maximum number of vCPUs per VM; vCPU ids are 0 to this - 1. */
#define VIREO_CAP_MAX_VCPUS		4
/* Number of memory slots per VM; slots are 0 to this - 1. */
#define VIREO_CAP_MAX_MEMSLOTS		5
/* Size in bytes of the vCPU mmap (struct vireo_run and its data area). */
#define VIREO_CAP_RUN_SIZE		6
/* The host's TSC frequency in kHz (guests see the host's TSC). */
#define VIREO_CAP_TSC_KHZ		7
/* Paravirtual features vireo can offer (VIREO_PV_F_* of vireo_para.h). */
#define VIREO_CAP_PV_FEATURES		8
/* Highest guest-physical address bit + 1 that memory slots may use. */
#define VIREO_CAP_GUEST_PHYS_BITS	9

/*
 * VM fd ioctls
 */

/* Memory slot flags. */
#define VIREO_MEM_READONLY	0x1	/* guest writes exit as MMIO */
#define VIREO_MEM_LOG_DIRTY	0x2	/* track writes, VIREO_GET_DIRTY_LOG */

/**
 * struct vireo_memory_region - argument of VIREO_SET_MEMORY_REGION
 * @slot: slot number, 0 to VIREO_CAP_MAX_MEMSLOTS - 1.
 * @flags: VIREO_MEM_* flags.
 * @guest_phys_addr: where the guest sees the region; page-aligned.
 * @memory_size: size in bytes, page-aligned; 0 deletes the slot.
 * @userspace_addr: the VMM's memory behind the region; page-aligned.
 * @reserved: must be zero.
 */
struct vireo_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 reserved[2];
};

/**
 * struct vireo_dirty_log - argument of VIREO_GET_DIRTY_LOG
 * @slot: a slot created with VIREO_MEM_LOG_DIRTY.
 * @padding: must be zero.
 * @bitmap: user pointer to one bit per page of the slot, rounded up to a
 *          multiple of 64 bits; bit n is page n of the slot.
 * @reserved: must be zero.
 */
struct vireo_dirty_log {
	__u32 slot;
	__u32 padding;
	__u64 bitmap;
	__u64 reserved[2];
};

/* Kinds of struct vireo_user_range. */
#define VIREO_RANGE_MSR		1	/* MSR indices */
#define VIREO_RANGE_HYPERCALL	2	/* hypercall numbers */

/* struct vireo_user_range flags. */
#define VIREO_RANGE_REMOVE	0x1

/**
 * struct vireo_user_range - argument of VIREO_SET_USER_RANGE
 * @kind: VIREO_RANGE_MSR or VIREO_RANGE_HYPERCALL.
 * @flags: 0 to add the range, VIREO_RANGE_REMOVE to remove it.
 * @first: first MSR index or hypercall number of the range.
 * @count: how many, at least 1.
 * @reserved: must be zero.
 *
 * Guest accesses to MSRs in an added range, and hypercalls in an added
 * range, exit to userspace (VIREO_EXIT_MSR, VIREO_EXIT_HYPERCALL) instead
 * of being handled, or refused, by the kernel.
 */
struct vireo_user_range {
	__u32 kind;
	__u32 flags;
	__u32 first;
	__u32 count;
	__u64 reserved[2];
};

/*
 * Statistics. Counters only grow; the arrays are indexed by the VMX basic
 * exit reason (Intel SDM vol. 3 appendix C), the VIREO_EXIT_* reason of
 * userspace exits, and the hypercall number (VIREO_HC_*, vireo_para.h;
 * numbers past the array and those routed to userspace count in
 * hypercalls[VIREO_STATS_HC_OTHER]).
 */
#define VIREO_STATS_VMX_EXITS	80
#define VIREO_STATS_USER_EXITS	32
#define VIREO_STATS_HYPERCALLS	64
#define VIREO_STATS_HC_OTHER	(VIREO_STATS_HYPERCALLS - 1)

/**
 * struct vireo_stats - argument of VIREO_GET_STATS
 * @vmx_exits: VM exits by VMX basic exit reason.
 * @user_exits: returns to userspace by VIREO_EXIT_* reason.
 * @hypercalls: hypercalls by number.
 * @entries: VM entries (VMLAUNCH and VMRESUME).
 * @halt_sleeps: times a vCPU slept in HLT.
 * @injected_irqs: external interrupts injected.
 * @injected_nmis: NMIs injected.
 * @reserved: zero.
 */
struct vireo_stats {
	__u64 vmx_exits[VIREO_STATS_VMX_EXITS];
	__u64 user_exits[VIREO_STATS_USER_EXITS];
	__u64 hypercalls[VIREO_STATS_HYPERCALLS];
	__u64 entries;
	__u64 halt_sleeps;
	__u64 injected_irqs;
	__u64 injected_nmis;
	__u64 reserved[12];
};

#define VIREO_SET_MEMORY_REGION	_IOW(VIREO_IO, 0x10, struct vireo_memory_region)
#define VIREO_GET_DIRTY_LOG	_IOW(VIREO_IO, 0x11, struct vireo_dirty_log)
#define VIREO_CREATE_VCPU	_IO(VIREO_IO, 0x12)
#define VIREO_SET_USER_RANGE	_IOW(VIREO_IO, 0x13, struct vireo_user_range)
/* On a VM fd: the sum over all vCPUs, past and present; on a vCPU fd: its own. */
#define VIREO_GET_STATS		_IOR(VIREO_IO, 0x14, struct vireo_stats)

/*
 * vCPU fd ioctls
 */

/**
 * struct vireo_regs - general-purpose registers, RIP and RFLAGS
 */
struct vireo_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

/**
 * struct vireo_segment - a segment register, descriptor cache included
 * @base: segment base.
 * @limit: limit in bytes (already scaled by G).
 * @selector: selector.
 * @type: the 4-bit descriptor type.
 * @present: P.
 * @dpl: DPL.
 * @db: D/B.
 * @s: S (1 for code and data).
 * @l: L (64-bit code).
 * @g: G.
 * @avl: AVL.
 * @unusable: the register holds no usable segment (a null selector
 *            loaded in protected mode).
 * @padding: must be zero.
 */
struct vireo_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type;
	__u8 present, dpl, db, s, l, g, avl;
	__u8 unusable;
	__u8 padding;
};

/**
 * struct vireo_dtable - GDTR or IDTR
 * @base: table base.
 * @limit: table limit.
 * @padding: must be zero.
 */
struct vireo_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/**
 * struct vireo_sregs - system registers
 * @cs: CS; the other segment registers likewise.
 * @ds: DS.
 * @es: ES.
 * @fs: FS.
 * @gs: GS.
 * @ss: SS.
 * @tr: the task register.
 * @ldt: LDTR.
 * @gdt: GDTR.
 * @idt: IDTR.
 * @cr0: CR0 as the guest sees it.
 * @cr2: CR2.
 * @cr3: CR3.
 * @cr4: CR4 as the guest sees it.
 * @cr8: CR8, the local APIC's task priority (TPR[7:4]).
 * @efer: IA32_EFER.
 * @apic_base: IA32_APIC_BASE.
 * @reserved: must be zero.
 */
struct vireo_sregs {
	struct vireo_segment cs, ds, es, fs, gs, ss;
	struct vireo_segment tr, ldt;
	struct vireo_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 reserved[4];
};

/**
 * struct vireo_msr_entry - one MSR
 * @index: MSR index.
 * @reserved: must be zero.
 * @data: value.
 */
struct vireo_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

/* Most entries one VIREO_GET_MSRS or VIREO_SET_MSRS accepts. */
#define VIREO_MAX_MSR_ENTRIES	256

/**
 * struct vireo_msrs - argument of VIREO_GET_MSRS and VIREO_SET_MSRS
 * @nmsrs: number of entries, 1 to VIREO_MAX_MSR_ENTRIES.
 * @padding: must be zero.
 * @entries: the MSRs.
 */
struct vireo_msrs {
	__u32 nmsrs;
	__u32 padding;
	struct vireo_msr_entry entries[];
};

/**
 * struct vireo_msr_list - argument of VIREO_GET_MSR_LIST
 * @nmsrs: in: room in @indices; out: how many MSRs vireo handles.
 * @indices: out: the MSRs that VIREO_GET_MSRS and VIREO_SET_MSRS accept.
 */
struct vireo_msr_list {
	__u32 nmsrs;
	__u32 indices[];
};

/* struct vireo_cpuid_entry flags */
#define VIREO_CPUID_INDEXED	0x1	/* @index is significant */

/**
 * struct vireo_cpuid_entry - what CPUID returns for one leaf
 * @function: EAX input.
 * @index: ECX input, when VIREO_CPUID_INDEXED is set; else must be zero.
 * @flags: VIREO_CPUID_* flags.
 * @eax: EAX output; likewise @ebx, @ecx, @edx.
 * @ebx: EBX output.
 * @ecx: ECX output.
 * @edx: EDX output.
 * @reserved: must be zero.
 */
struct vireo_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;
	__u32 eax, ebx, ecx, edx;
	__u32 reserved[3];
};

/* Most entries one VIREO_SET_CPUID accepts. */
#define VIREO_MAX_CPUID_ENTRIES	128

/**
 * struct vireo_cpuid - argument of VIREO_SET_CPUID, VIREO_GET_SUPPORTED_CPUID
 * @nent: number of entries, 0 to VIREO_MAX_CPUID_ENTRIES. For
 *        VIREO_GET_SUPPORTED_CPUID: in, room in @entries; out, how many
 *        entries vireo wrote.
 * @padding: must be zero.
 * @entries: the table; one entry per (function, index).
 *
 * VIREO_GET_SUPPORTED_CPUID returns the host's CPUID reduced to what a
 * vireo guest can use: the starting point for a VMM's VIREO_SET_CPUID.
 */
struct vireo_cpuid {
	__u32 nent;
	__u32 padding;
	struct vireo_cpuid_entry entries[];
};

/**
 * struct vireo_interrupt - argument of VIREO_INTERRUPT
 * @vector: the vector to deliver, 0 to 255.
 * @flags: must be zero.
 */
struct vireo_interrupt {
	__u32 vector;
	__u32 flags;
};

/* vCPU multiprocessor states. */
#define VIREO_MP_RUNNABLE	0	/* runs guest code */
#define VIREO_MP_WAIT_SIPI	1	/* an AP after INIT: waits for a SIPI */
#define VIREO_MP_HALTED		2	/* in HLT: waits for an interrupt */

/**
 * struct vireo_mp_state - argument of VIREO_GET_MP_STATE, VIREO_SET_MP_STATE
 * @state: VIREO_MP_*.
 * @padding: must be zero.
 */
struct vireo_mp_state {
	__u32 state;
	__u32 padding;
};

#define VIREO_RUN		_IO(VIREO_IO, 0x20)
#define VIREO_GET_REGS		_IOR(VIREO_IO, 0x21, struct vireo_regs)
#define VIREO_SET_REGS		_IOW(VIREO_IO, 0x22, struct vireo_regs)
#define VIREO_GET_SREGS		_IOR(VIREO_IO, 0x23, struct vireo_sregs)
#define VIREO_SET_SREGS		_IOW(VIREO_IO, 0x24, struct vireo_sregs)
#define VIREO_GET_MSRS		_IOWR(VIREO_IO, 0x25, struct vireo_msrs)
#define VIREO_SET_MSRS		_IOW(VIREO_IO, 0x26, struct vireo_msrs)
#define VIREO_SET_CPUID		_IOW(VIREO_IO, 0x27, struct vireo_cpuid)
#define VIREO_INTERRUPT		_IOW(VIREO_IO, 0x28, struct vireo_interrupt)
#define VIREO_NMI		_IO(VIREO_IO, 0x29)
#define VIREO_GET_MP_STATE	_IOR(VIREO_IO, 0x2a, struct vireo_mp_state)
#define VIREO_SET_MP_STATE	_IOW(VIREO_IO, 0x2b, struct vireo_mp_state)

/*
 * The run structure, shared between kernel and VMM by mmap of a vCPU fd
 * (offset 0, VIREO_RUN_SIZE bytes). VIREO_RUN returns 0 with exit_reason
 * saying what userspace must do; it fills the member of the union that
 * the reason names. Data of port I/O exits lives in the same mapping, at
 * io.data_offset.
 */
#define VIREO_RUN_SIZE		4096
#define VIREO_RUN_DATA_OFFSET	2048	/* the data area of port I/O */
#define VIREO_RUN_DATA_SIZE	2048

/* Exit reasons (struct vireo_run exit_reason). */
#define VIREO_EXIT_NONE			0
#define VIREO_EXIT_IO			1	/* port I/O: io */
#define VIREO_EXIT_MMIO			2	/* MMIO: mmio */
#define VIREO_EXIT_HYPERCALL		3	/* routed hypercall: hypercall */
#define VIREO_EXIT_MSR			4	/* routed RDMSR/WRMSR: msr */
#define VIREO_EXIT_SHUTDOWN		5	/* triple fault */
#define VIREO_EXIT_SYSTEM_EVENT		6	/* guest asked: system_event */
#define VIREO_EXIT_FAIL_ENTRY		7	/* VM entry failed: fail_entry */
#define VIREO_EXIT_INTERNAL_ERROR	8	/* vireo stopped the VM: internal */
#define VIREO_EXIT_INTR			9	/* RUN returned -EINTR */
#define VIREO_EXIT_DESTROYED		10	/* destroyed by an administrator */

#define VIREO_IO_IN		0
#define VIREO_IO_OUT		1

/* System events (system_event.type). */
#define VIREO_SYSTEM_POWEROFF	1
#define VIREO_SYSTEM_RESET	2
#define VIREO_SYSTEM_CRASH	3	/* the guest kernel panicked */

/* Internal errors (internal.suberror). */
#define VIREO_INTERNAL_UNKNOWN_EXIT	1	/* an exit vireo does not handle */
#define VIREO_INTERNAL_EMULATION	2	/* an instruction vireo cannot emulate */
#define VIREO_INTERNAL_BAD_STATE	3	/* guest state VMX or vireo refuses */
#define VIREO_INTERNAL_EVENT_DELIVERY	4	/* an exit while delivering an event */
#define VIREO_INTERNAL_MEMORY		5	/* guest memory the host cannot back */
#define VIREO_INTERNAL_VMX		6	/* a VMX instruction failed */

#define VIREO_INTERNAL_REASON_LEN	96

/**
 * struct vireo_run - the shared run structure
 * @immediate_exit: in: when nonzero, VIREO_RUN completes a pending I/O or
 *     MMIO read, then returns -EINTR at once (exit reason VIREO_EXIT_INTR)
 *     without entering the guest.
 * @padding1: must be zero.
 * @exit_reason: out: VIREO_EXIT_*.
 * @vcpu_id: out: the vCPU this structure belongs to.
 * @if_flag: out: RFLAGS.IF of the guest at the exit.
 * @padding2: zero.
 * @hw_exit_reason: out: the VMX exit reason of the VM exit that led
 *     here, for diagnostics; 0 when none.
 * @padding3: zero.
 * @exit_qualification: out: its VMX exit qualification.
 * @rip: out: guest RIP at the exit.
 * @io: VIREO_EXIT_IO. @direction VIREO_IO_IN or VIREO_IO_OUT; @size 1, 2
 *     or 4 bytes; @count elements (more than one for string I/O) at
 *     @data_offset in this mapping. OUT: the data to write. IN: userspace
 *     stores @count elements there before the next VIREO_RUN.
 * @mmio: VIREO_EXIT_MMIO. @phys_addr, @len (1, 2, 4 or 8), @is_write. A
 *     write carries @data; for a read userspace stores @data (little
 *     endian, @len bytes) before the next VIREO_RUN.
 * @hypercall: VIREO_EXIT_HYPERCALL. @nr and @args (RBX, RCX, RDX, RSI,
 *     RDI); userspace stores @ret, returned to the guest in RAX.
 * @msr: VIREO_EXIT_MSR. @index, @is_write, @data (written value, or the
 *     value userspace returns for a read). Userspace sets @error to 1 to
 *     make the access raise #GP in the guest.
 * @system_event: VIREO_EXIT_SYSTEM_EVENT: @type VIREO_SYSTEM_*, @data
 *     the guest's argument.
 * @fail_entry: VIREO_EXIT_FAIL_ENTRY: @hardware_entry_failure_reason
 *     (the VMX exit reason with bit 31 set, or the VM-instruction error
 *     number when @vm_instruction_error is 1) and the host @cpu.
 * @internal: VIREO_EXIT_INTERNAL_ERROR: @suberror VIREO_INTERNAL_*,
 *     @ndata valid words of @data (raw exit information), and @reason, a
 *     NUL-terminated sentence for people.
 * @padding: the union is 256 bytes whatever its members.
 */
struct vireo_run {
	/* in */
	__u8 immediate_exit;
	__u8 padding1[7];

	/* out */
	__u32 exit_reason;
	__u32 vcpu_id;
	__u8 if_flag;
	__u8 padding2[7];
	__u32 hw_exit_reason;
	__u32 padding3;
	__u64 exit_qualification;
	__u64 rip;

	union {
		struct {
			__u8 direction;
			__u8 size;
			__u16 port;
			__u32 count;
			__u32 data_offset;
			__u32 padding;
		} io;
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
			__u8 padding[3];
		} mmio;
		struct {
			__u64 nr;
			__u64 args[5];
			__u64 ret;
		} hypercall;
		struct {
			__u32 index;
			__u8 is_write;
			__u8 error;
			__u8 padding[2];
			__u64 data;
		} msr;
		struct {
			__u32 type;
			__u32 padding;
			__u64 data;
		} system_event;
		struct {
			__u64 hardware_entry_failure_reason;
			__u32 cpu;
			__u8 vm_instruction_error;
			__u8 padding[3];
		} fail_entry;
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 data[8];
			char reason[VIREO_INTERNAL_REASON_LEN];
		} internal;
		__u8 padding[256];
	};
};

#endif /* _UAPI_LINUX_VIREO_H */
