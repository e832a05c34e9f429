// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the multicast group "events" of the family "vireo".
 *
 * vm.c reports VM creation, state changes and destruction through the hooks
 * of netlink.h, from wherever they happen: an ioctl, a vCPU thread in
 * atomic context under the VM's state lock, the last close of a VM. A hook
 * copies what the event says into a struct vireo_nl_event (GFP_ATOMIC) and
 * queues it; one work item takes the queue in order, builds each message
 * and multicasts it in the VM's network namespace. One queue drained by one
 * work item keeps the events of every VM in the order of its changes.
 *
 * Lifetime: messages are sent only between vireo_nl_events_start() and
 * vireo_nl_events_stop(), which @vireo_nl_send_lock orders against a
 * message being sent, so none is sent on an unregistered family. Events
 * queued while the family goes away are freed by vireo_nl_events_drain().
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "netlink.h"
#include "netlink_spec.h"
#include "vm.h"

/* One event on its way to the listeners. */
struct vireo_nl_event {
	struct list_head node;
	struct net *net;		/* the VM's namespace, referenced */
	u8 cmd;				/* VIREO_CMD_VM_CREATED, ... */
	struct vireo_nl_vm_info info;
};

static LIST_HEAD(vireo_nl_events);
/* Guards vireo_nl_events and vireo_nl_accepting; a leaf lock. */
static DEFINE_SPINLOCK(vireo_nl_events_lock);
static bool vireo_nl_accepting = true;

/* Held while a message is sent; guards vireo_nl_sending. */
static DEFINE_MUTEX(vireo_nl_send_lock);
static bool vireo_nl_sending;

static void vireo_nl_events_work(struct work_struct *work);
static DECLARE_WORK(vireo_nl_events_wk, vireo_nl_events_work);

static void vireo_nl_event_free(struct vireo_nl_event *ev)
{
	put_net(ev->net);
	kfree(ev);
}

/* Copy what @vm's event says and queue it; callable from any context. */
static void vireo_nl_queue(struct vireo_vm *vm, u8 cmd)
{
	struct vireo_nl_event *ev;
	unsigned long flags;

	/* On failure the allocator says so; the event is lost. */
	ev = kzalloc(sizeof(*ev), GFP_ATOMIC);
	if (!ev)
		return;
	ev->cmd = cmd;
	ev->info.id = vm->id;
	ev->info.state = vm->state;
	ev->info.reason = vm->reason;
	ev->info.owner_uid = vm->owner_uid;
	strscpy(ev->info.name, vm->name, sizeof(ev->info.name));
	strscpy(ev->info.reason_text, vm->reason_text,
		sizeof(ev->info.reason_text));

	spin_lock_irqsave(&vireo_nl_events_lock, flags);
	if (vireo_nl_accepting) {
		ev->net = get_net(vm->net);
		list_add_tail(&ev->node, &vireo_nl_events);
		queue_work(system_wq, &vireo_nl_events_wk);
		ev = NULL;
	}
	spin_unlock_irqrestore(&vireo_nl_events_lock, flags);
	kfree(ev);
}

void vireo_nl_vm_created(struct vireo_vm *vm)
{
	vireo_nl_queue(vm, VIREO_CMD_VM_CREATED);
}

void vireo_nl_vm_state_changed(struct vireo_vm *vm)
{
	lockdep_assert_held(&vm->state_lock);
	vireo_nl_queue(vm, VIREO_CMD_VM_STATE_CHANGED);
}

void vireo_nl_vm_destroyed(struct vireo_vm *vm)
{
	vireo_nl_queue(vm, VIREO_CMD_VM_DESTROYED);
}

/* Build @ev's message and multicast it; called with vireo_nl_send_lock. */
static void vireo_nl_send(const struct vireo_nl_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&vireo_nl_family, ev->net, VIREO_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(vireo_nl_vm_info_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vireo_nl_family, 0, ev->cmd);
	if (!hdr || vireo_nl_put_vm_info(msg, &ev->info, ev->net->user_ns)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	/* -ESRCH: the last listener left meanwhile; nothing to do. */
	genlmsg_multicast_netns(&vireo_nl_family, ev->net, msg, 0,
				VIREO_NLGRP_EVENTS, GFP_KERNEL);
}

static void vireo_nl_events_work(struct work_struct *work)
{
	struct vireo_nl_event *ev;

	for (;;) {
		spin_lock_irq(&vireo_nl_events_lock);
		ev = list_first_entry_or_null(&vireo_nl_events,
					      struct vireo_nl_event, node);
		if (ev)
			list_del(&ev->node);
		spin_unlock_irq(&vireo_nl_events_lock);
		if (!ev)
			return;

		mutex_lock(&vireo_nl_send_lock);
		if (vireo_nl_sending)
			vireo_nl_send(ev);
		mutex_unlock(&vireo_nl_send_lock);
		vireo_nl_event_free(ev);
	}
}

/**
 * vireo_nl_events_start() - send events, the family being registered
 */
void vireo_nl_events_start(void)
{
	mutex_lock(&vireo_nl_send_lock);
	vireo_nl_sending = true;
	mutex_unlock(&vireo_nl_send_lock);
}

/**
 * vireo_nl_events_stop() - send no more events, before unregistering
 *
 * Returns once no message is being sent.
 */
void vireo_nl_events_stop(void)
{
	mutex_lock(&vireo_nl_send_lock);
	vireo_nl_sending = false;
	mutex_unlock(&vireo_nl_send_lock);
}

/**
 * vireo_nl_events_drain() - free the queue, the family being unregistered
 *
 * No VM is left to call a hook; one that did would see its event freed.
 */
void vireo_nl_events_drain(void)
{
	struct vireo_nl_event *ev, *next;
	LIST_HEAD(dropped);

	spin_lock_irq(&vireo_nl_events_lock);
	vireo_nl_accepting = false;
	list_splice_init(&vireo_nl_events, &dropped);
	spin_unlock_irq(&vireo_nl_events_lock);

	cancel_work_sync(&vireo_nl_events_wk);
	list_for_each_entry_safe(ev, next, &dropped, node)
		vireo_nl_event_free(ev);
}
