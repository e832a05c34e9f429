/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: virtual machines, the objects behind VM file descriptors.
 */
#ifndef VIREO_VM_H
#define VIREO_VM_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/vireo.h>

#include "memslot.h"
#include "ept.h"

/* The most VMs alive at once (VIREO_CAP_MAX_VMS). */
#define VIREO_MAX_VMS		64
/* The most vCPUs per VM (VIREO_CAP_MAX_VCPUS). */
#define VIREO_MAX_VCPUS		16
/* The most routed ranges of each kind per VM. */
#define VIREO_MAX_USER_RANGES	16

struct vireo_vcpu;
struct net;

/**
 * enum vireo_vm_state - the life of a VM, as the management plane shows it
 * @VIREO_VM_CREATED: no vCPU has entered the guest yet.
 * @VIREO_VM_RUNNING: vCPUs run (or are ready to).
 * @VIREO_VM_PAUSED: an administrator paused it; RUN blocks.
 * @VIREO_VM_SHUTDOWN: the guest powered off.
 * @VIREO_VM_CRASHED: the guest triple-faulted, panicked, or vireo stopped
 *                    it (the reason says which).
 * @VIREO_VM_DESTROYED: an administrator destroyed it; it goes away when
 *                      its last file descriptor is closed.
 */
enum vireo_vm_state {
	VIREO_VM_CREATED,
	VIREO_VM_RUNNING,
	VIREO_VM_PAUSED,
	VIREO_VM_SHUTDOWN,
	VIREO_VM_CRASHED,
	VIREO_VM_DESTROYED,
};

/**
 * enum vireo_vm_reason - why a VM entered its current state
 * @VIREO_REASON_NONE: no particular reason (created, running).
 * @VIREO_REASON_ADMIN: an administrator paused, resumed or destroyed it.
 * @VIREO_REASON_POWEROFF: the guest powered off.
 * @VIREO_REASON_RESET: the guest asked for a reset.
 * @VIREO_REASON_PANIC: the guest kernel reported a panic.
 * @VIREO_REASON_TRIPLE_FAULT: a vCPU triple-faulted.
 * @VIREO_REASON_INTERNAL_ERROR: vireo stopped the VM (see the text).
 * @VIREO_REASON_ENTRY_FAILED: VM entry failed.
 */
enum vireo_vm_reason {
	VIREO_REASON_NONE,
	VIREO_REASON_ADMIN,
	VIREO_REASON_POWEROFF,
	VIREO_REASON_RESET,
	VIREO_REASON_PANIC,
	VIREO_REASON_TRIPLE_FAULT,
	VIREO_REASON_INTERNAL_ERROR,
	VIREO_REASON_ENTRY_FAILED,
};

/* A range of MSRs or hypercalls routed to userspace. */
struct vireo_range {
	u32 first;
	u32 count;
};

/*
 * struct vireo_vm - one virtual machine
 *
 * Legend: (c) set at creation, constant afterwards; (l) under @lock;
 * (s) under @state_lock, readable locklessly with READ_ONCE(); (a) atomic
 * (READ_ONCE/WRITE_ONCE); (r) under @ranges_lock; see struct vireo_mmu for
 * @mmu.
 */
struct vireo_vm {
	struct kref ref;		/* VM fd, vCPU fds, lookups */
	u32 id;				/* (c) unique among live VMs, from 1 */
	char name[VIREO_VM_NAME_LEN];	/* (c) "" when unnamed */
	struct pid *owner;		/* (c) thread group that created it */
	kuid_t owner_uid;		/* (c) its euid at creation */
	struct net *net;		/* (c) its network namespace */
	u64 created_ns;			/* (c) ktime_get_boottime_ns() */

	struct mutex lock;		/* vCPU creation, tables below */
	struct vireo_vcpu *vcpus[VIREO_MAX_VCPUS];	/* (l) publish with release */
	unsigned int nr_vcpus;		/* (l) created so far */

	spinlock_t ranges_lock;		/* (r) below: read by exit handlers */
	struct vireo_range msr_ranges[VIREO_MAX_USER_RANGES];	/* (r) */
	unsigned int nr_msr_ranges;	/* (r) */
	struct vireo_range hc_ranges[VIREO_MAX_USER_RANGES];	/* (r) */
	unsigned int nr_hc_ranges;	/* (r) */

	spinlock_t state_lock;		/* (s) fields below */
	enum vireo_vm_state state;	/* (s) */
	enum vireo_vm_state unpaused;	/* (s) the state to resume to */
	enum vireo_vm_reason reason;	/* (s) */
	char reason_text[VIREO_INTERNAL_REASON_LEN];	/* (s) internal errors */
	bool paused;			/* (s) RUN waits on @wq */
	bool destroyed;			/* (s) RUN returns VIREO_EXIT_DESTROYED */

	u32 pv_offered;			/* (a) CPUID 0x40000001 EAX, last SET_CPUID */
	u32 pv_enabled;			/* (a) guest's VIREO_HC_SET_FEATURES */
	u64 pvclock_gpa;		/* (a) last VIREO_HC_CLOCK_ENABLE, 0 if none */
	u64 created_mono_ns;		/* (c) ktime_get_ns(): pv clock's zero */

	struct vireo_mmu mmu;		/* memory slots and EPT */
};

long vireo_vm_create(struct vireo_vm_create __user *argp);
bool vireo_vm_name_valid(const char *name, size_t size);

/*
 * The management plane's view (netlink.c): look VMs up without their file
 * descriptors, read their state, act on them. Every lookup returns a
 * reference that vireo_vm_put() drops.
 */
struct vireo_vm *vireo_vm_get_by_id(u32 id);
struct vireo_vm *vireo_vm_get_by_name(const char *name);
struct vireo_vm *vireo_vm_get_next(u32 *id);
void vireo_vm_put(struct vireo_vm *vm);

void vireo_vm_read_state(struct vireo_vm *vm, enum vireo_vm_state *state,
			 enum vireo_vm_reason *reason, char *text, size_t len);
void vireo_vm_set_state(struct vireo_vm *vm, enum vireo_vm_state state,
			enum vireo_vm_reason reason, const char *text);
unsigned int vireo_vm_nr_vcpus(struct vireo_vm *vm);
u64 vireo_vm_mem_bytes(struct vireo_vm *vm);
int vireo_vm_stats(struct vireo_vm *vm, int vcpu_id, struct vireo_stats *out);

int vireo_vm_pause(struct vireo_vm *vm);
int vireo_vm_resume(struct vireo_vm *vm);
int vireo_vm_destroy(struct vireo_vm *vm);

const char *vireo_vm_state_name(enum vireo_vm_state state);

/*
 * VM events for the management plane, on an atomic notifier chain: the
 * callback gets the event and the VM (valid for the call), and may run in
 * atomic context (STATE comes from vCPU exit handlers with preemption
 * disabled), so it must not sleep. CREATED comes after the VM has its id,
 * DESTROYED as the last reference goes (process context), STATE after
 * every change of state or reason.
 */
enum vireo_vm_event {
	VIREO_VM_EVENT_CREATED,
	VIREO_VM_EVENT_DESTROYED,
	VIREO_VM_EVENT_STATE,
};

int vireo_vm_notifier_register(struct notifier_block *nb);
int vireo_vm_notifier_unregister(struct notifier_block *nb);
void vireo_vm_running(struct vireo_vm *vm);
bool vireo_vm_routes(struct vireo_vm *vm, u32 kind, u32 x);
const char *vireo_vm_reason_name(enum vireo_vm_reason reason);

#endif /* VIREO_VM_H */
