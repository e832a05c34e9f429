/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the generic netlink family "vireo" (netlink.c) and its events
 * (netlink_events.c), as the rest of the module sees them: main.c
 * registers the family after everything behind it works and unregisters it
 * before tearing anything down. The events come from vm.c's notifier chain.
 */
#ifndef VIREO_NETLINK_H
#define VIREO_NETLINK_H

#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/vireo.h>

struct sk_buff;
struct user_namespace;

int vireo_netlink_register(void);
void vireo_netlink_unregister(void);

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
int vireo_nl_events_start(void);
void vireo_nl_events_stop(void);

int vireo_nl_put_vm_info(struct sk_buff *skb,
			 const struct vireo_nl_vm_info *info,
			 struct user_namespace *ns);
size_t vireo_nl_vm_info_size(void);

#endif /* VIREO_NETLINK_H */
