/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: tracepoints, for trace-cmd and perf (events "vireo:*").
 *
 *   vireo_entry           a vCPU enters the guest
 *   vireo_exit            a VM exit: raw reason, qualification, RIP
 *   vireo_hypercall       a VMCALL: number and first two arguments
 *   vireo_userspace_exit  VIREO_RUN returns: the VIREO_EXIT_* reason
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vireo

#if !defined(VIREO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VIREO_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vireo_entry,
	    TP_PROTO(u32 vm, u32 vcpu),
	    TP_ARGS(vm, vcpu),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u32, vcpu)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->vcpu = vcpu;),
	    TP_printk("vm %u vcpu %u", __entry->vm, __entry->vcpu)
);

TRACE_EVENT(vireo_exit,
	    TP_PROTO(u32 vm, u32 vcpu, u32 reason, unsigned long qual, unsigned long rip),
	    TP_ARGS(vm, vcpu, reason, qual, rip),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u32, vcpu)
			     __field(u32, reason)
			     __field(unsigned long, qual)
			     __field(unsigned long, rip)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->vcpu = vcpu;
			   __entry->reason = reason;
			   __entry->qual = qual;
			   __entry->rip = rip;),
	    TP_printk("vm %u vcpu %u reason %u qual %#lx rip %#lx", __entry->vm,
		      __entry->vcpu, __entry->reason, __entry->qual, __entry->rip)
);

TRACE_EVENT(vireo_hypercall,
	    TP_PROTO(u32 vm, u32 vcpu, u64 nr, u64 a0, u64 a1),
	    TP_ARGS(vm, vcpu, nr, a0, a1),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u32, vcpu)
			     __field(u64, nr)
			     __field(u64, a0)
			     __field(u64, a1)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->vcpu = vcpu;
			   __entry->nr = nr;
			   __entry->a0 = a0;
			   __entry->a1 = a1;),
	    TP_printk("vm %u vcpu %u nr %#llx a0 %#llx a1 %#llx", __entry->vm,
		      __entry->vcpu, __entry->nr, __entry->a0, __entry->a1)
);

TRACE_EVENT(vireo_userspace_exit,
	    TP_PROTO(u32 vm, u32 vcpu, u32 reason),
	    TP_ARGS(vm, vcpu, reason),
	    TP_STRUCT__entry(__field(u32, vm)
			     __field(u32, vcpu)
			     __field(u32, reason)),
	    TP_fast_assign(__entry->vm = vm;
			   __entry->vcpu = vcpu;
			   __entry->reason = reason;),
	    TP_printk("vm %u vcpu %u exit_reason %u", __entry->vm, __entry->vcpu,
		      __entry->reason)
);

#endif /* VIREO_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
