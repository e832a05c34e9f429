/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the generic netlink family "vireo" (netlink.c) and its events
 * (netlink_events.c), as the rest of the module sees them.
 *
 * vm.c calls the three event hooks below. They may be called from any
 * context (process, atomic, IRQs disabled, under spinlocks): they copy what
 * the event needs with GFP_ATOMIC and queue it; a work item builds and
 * multicasts the messages. They never sleep and never fail; an event that
 * cannot be queued (out of memory) is lost, as a multicast message is when
 * a listener's socket is full.
 */
#ifndef VIREO_NETLINK_H
#define VIREO_NETLINK_H

#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/vireo.h>

struct vireo_vm;
struct sk_buff;
struct user_namespace;

int vireo_netlink_register(void);
void vireo_netlink_unregister(void);

/**
 * vireo_nl_vm_created() - queue the vm-created event
 * @vm: the new VM: id, name, owner_uid, net and state set.
 *
 * Call once per VM, before any lookup (vireo_vm_get_*()) can return it, so
 * that no other event of the VM can precede this one.
 */
void vireo_nl_vm_created(struct vireo_vm *vm);

/**
 * vireo_nl_vm_state_changed() - queue the vm-state-changed event
 * @vm: the VM, its state, reason and reason_text just changed.
 *
 * Call with @vm->state_lock held, right after every change of the state
 * or reason: the event carries exactly the new values, and events of one
 * VM are queued in the order of its changes.
 */
void vireo_nl_vm_state_changed(struct vireo_vm *vm);

/**
 * vireo_nl_vm_destroyed() - queue the vm-destroyed event
 * @vm: the VM, already removed from the lookups, not yet freed.
 *
 * Call once per VM, when its last file descriptor is closed; no event of
 * the VM may be queued after this one.
 */
void vireo_nl_vm_destroyed(struct vireo_vm *vm);

/* What the events say about a VM: a copy, safe to keep after the VM goes. */
struct vireo_nl_vm_info {
	u32 id;
	u32 state;		/* VIREO_VM_STATE_* */
	u32 reason;		/* VIREO_VM_REASON_* */
	kuid_t owner_uid;
	char name[VIREO_VM_NAME_LEN];
	char reason_text[VIREO_INTERNAL_REASON_LEN];
};

/* netlink_events.c, for the family's registration in netlink.c */
void vireo_nl_events_start(void);
void vireo_nl_events_stop(void);
void vireo_nl_events_drain(void);

int vireo_nl_put_vm_info(struct sk_buff *skb,
			 const struct vireo_nl_vm_info *info,
			 struct user_namespace *ns);
size_t vireo_nl_vm_info_size(void);

#endif /* VIREO_NETLINK_H */
