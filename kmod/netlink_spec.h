/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireo: the kernel's side of Documentation/netlink/specs/vireo.yaml:
 * the family, its request policies, its operation table and its multicast
 * group, laid out as the kernel's YNL generator lays them out (Linux 6.1
 * has no generator: selftests/native/netlink_spec_test.py checks this
 * against the spec). The handlers live in netlink.c.
 */
#ifndef VIREO_NETLINK_SPEC_H
#define VIREO_NETLINK_SPEC_H

#include <net/genetlink.h>
#include <linux/vireo_netlink.h>

/* Request policies, one per operation. */
extern const struct nla_policy vireo_vm_get_nl_policy[VIREO_A_VM_NAME + 1];
extern const struct nla_policy vireo_vm_stats_nl_policy[VIREO_A_STATS_VCPU + 1];
extern const struct nla_policy vireo_vm_pause_nl_policy[VIREO_A_VM_NAME + 1];
extern const struct nla_policy vireo_vm_resume_nl_policy[VIREO_A_VM_NAME + 1];
extern const struct nla_policy vireo_vm_destroy_nl_policy[VIREO_A_VM_NAME + 1];

/* Operation handlers (netlink.c). */
int vireo_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info);
int vireo_nl_vm_get_start(struct netlink_callback *cb);
int vireo_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vireo_nl_vm_stats_doit(struct sk_buff *skb, struct genl_info *info);
int vireo_nl_vm_pause_doit(struct sk_buff *skb, struct genl_info *info);
int vireo_nl_vm_resume_doit(struct sk_buff *skb, struct genl_info *info);
int vireo_nl_vm_destroy_doit(struct sk_buff *skb, struct genl_info *info);
int vireo_nl_caps_get_doit(struct sk_buff *skb, struct genl_info *info);

enum vireo_nl_groups {
	VIREO_NLGRP_EVENTS,
};

extern struct genl_family vireo_nl_family;

#endif /* VIREO_NETLINK_SPEC_H */
