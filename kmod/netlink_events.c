// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the multicast group "events" of the family "vireo".
 *
 * vm.c reports VM creation, state changes and destruction on its notifier
 * chain (vireo_vm_notifier_register()), from wherever they happen: an
 * ioctl, a vCPU's exit handler with preemption disabled, the last
 * reference of a VM going. The callback here must not sleep, so it copies
 * what the event says into a struct vireo_nl_event (GFP_ATOMIC) and queues
 * it; one work item takes the queue in order, builds each message and
 * multicasts it in the VM's network namespace. One queue drained by one
 * work item keeps the events of every VM in the order they were queued.
 *
 * Lifetime: the notifier is registered once the family is, and
 * unregistered first (which waits for callbacks in flight); then the work
 * item sends what is queued, and only then does the family go.
 */
#include <linux/list.h>
#include <linux/notifier.h>
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
static DEFINE_SPINLOCK(vireo_nl_events_lock);	/* the list; a leaf lock */

static void vireo_nl_events_work(struct work_struct *work);
static DECLARE_WORK(vireo_nl_events_wk, vireo_nl_events_work);

static void vireo_nl_event_free(struct vireo_nl_event *ev)
{
	put_net(ev->net);
	kfree(ev);
}

/*
 * Copy what @vm's event says and queue it; any context. The state is read
 * when the event is queued, just after the change it reports.
 */
static void vireo_nl_queue(struct vireo_vm *vm, u8 cmd)
{
	enum vireo_vm_reason reason;
	enum vireo_vm_state state;
	struct vireo_nl_event *ev;
	unsigned long flags;

	/* On failure the allocator says so; the event is lost. */
	ev = kzalloc(sizeof(*ev), GFP_ATOMIC);
	if (!ev)
		return;
	ev->cmd = cmd;
	ev->net = get_net(vm->net);
	ev->info.id = vm->id;
	ev->info.owner_uid = vm->owner_uid;
	strscpy(ev->info.name, vm->name, sizeof(ev->info.name));
	vireo_vm_read_state(vm, &state, &reason, ev->info.reason_text,
			    sizeof(ev->info.reason_text));
	ev->info.state = state;
	ev->info.reason = reason;

	spin_lock_irqsave(&vireo_nl_events_lock, flags);
	list_add_tail(&ev->node, &vireo_nl_events);
	spin_unlock_irqrestore(&vireo_nl_events_lock, flags);
	queue_work(system_wq, &vireo_nl_events_wk);
}

static int vireo_nl_vm_event(struct notifier_block *nb, unsigned long event,
			     void *data)
{
	switch (event) {
	case VIREO_VM_EVENT_CREATED:
		vireo_nl_queue(data, VIREO_CMD_VM_CREATED);
		break;
	case VIREO_VM_EVENT_DESTROYED:
		vireo_nl_queue(data, VIREO_CMD_VM_DESTROYED);
		break;
	case VIREO_VM_EVENT_STATE:
		vireo_nl_queue(data, VIREO_CMD_VM_STATE_CHANGED);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vireo_nl_vm_nb = {
	.notifier_call = vireo_nl_vm_event,
};

/* Build @ev's message and multicast it. */
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

static struct vireo_nl_event *vireo_nl_dequeue(void)
{
	struct vireo_nl_event *ev;

	spin_lock_irq(&vireo_nl_events_lock);
	ev = list_first_entry_or_null(&vireo_nl_events, struct vireo_nl_event, node);
	if (ev)
		list_del(&ev->node);
	spin_unlock_irq(&vireo_nl_events_lock);
	return ev;
}

static void vireo_nl_events_work(struct work_struct *work)
{
	struct vireo_nl_event *ev;

	while ((ev = vireo_nl_dequeue())) {
		vireo_nl_send(ev);
		vireo_nl_event_free(ev);
	}
}

/**
 * vireo_nl_events_start() - listen to VM events, the family being registered
 *
 * Return: 0 or the error of vireo_vm_notifier_register().
 */
int vireo_nl_events_start(void)
{
	return vireo_vm_notifier_register(&vireo_nl_vm_nb);
}

/**
 * vireo_nl_events_stop() - stop listening and send what is queued
 *
 * Call before unregistering the family: once it returns, no event is
 * queued or sent any more.
 */
void vireo_nl_events_stop(void)
{
	vireo_vm_notifier_unregister(&vireo_nl_vm_nb);
	flush_work(&vireo_nl_events_wk);
}
