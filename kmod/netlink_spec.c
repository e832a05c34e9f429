// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the family "vireo" as Documentation/netlink/specs/vireo.yaml
 * defines it: request policies, operations and the multicast group.
 *
 * Everything here follows the spec, in the layout of the kernel's YNL
 * generator; selftests/native/netlink_spec_test.py reads this file and
 * fails when it drifts from the spec. Change the spec first.
 *
 * Every operation is validated strictly (resv_start_op 0): attributes the
 * policy does not list, wrong lengths and nonzero reserved header fields
 * are refused with EINVAL before a handler runs. The handlers take
 * references on the VMs they touch and sleep without the genetlink mutex
 * (parallel_ops): a pause that waits for vCPUs blocks no other family.
 */
#include <linux/module.h>
#include <linux/vireo.h>

#include "netlink_spec.h"

/* Subscribing to "events" needs CAP_NET_ADMIN: vireo relies on genetlink for it. */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "vireo needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.7, or a stable kernel with the backport)"
#endif

/* The spec's max-len of a VM name is VIREO_VM_NAME_LEN without its NUL. */
static_assert(VIREO_VM_NAME_LEN - 1 == 31);

/* VIREO_CMD_VM_GET - do */
const struct nla_policy vireo_vm_get_nl_policy[VIREO_A_VM_NAME + 1] = {
	[VIREO_A_VM_ID] = { .type = NLA_U32, },
	[VIREO_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VIREO_CMD_VM_STATS - do */
const struct nla_policy vireo_vm_stats_nl_policy[VIREO_A_STATS_VCPU + 1] = {
	[VIREO_A_STATS_ID] = { .type = NLA_U32, },
	[VIREO_A_STATS_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
	[VIREO_A_STATS_VCPU] = { .type = NLA_U32, },
};

/* VIREO_CMD_VM_PAUSE - do */
const struct nla_policy vireo_vm_pause_nl_policy[VIREO_A_VM_NAME + 1] = {
	[VIREO_A_VM_ID] = { .type = NLA_U32, },
	[VIREO_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VIREO_CMD_VM_RESUME - do */
const struct nla_policy vireo_vm_resume_nl_policy[VIREO_A_VM_NAME + 1] = {
	[VIREO_A_VM_ID] = { .type = NLA_U32, },
	[VIREO_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* VIREO_CMD_VM_DESTROY - do */
const struct nla_policy vireo_vm_destroy_nl_policy[VIREO_A_VM_NAME + 1] = {
	[VIREO_A_VM_ID] = { .type = NLA_U32, },
	[VIREO_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* Ops table for vireo */
static const struct genl_ops vireo_nl_ops[] = {
	{
		.cmd		= VIREO_CMD_VM_GET,
		.doit		= vireo_nl_vm_get_doit,
		.start		= vireo_nl_vm_get_start,
		.dumpit		= vireo_nl_vm_get_dumpit,
		.policy		= vireo_vm_get_nl_policy,
		.maxattr	= VIREO_A_VM_NAME,
	},
	{
		.cmd		= VIREO_CMD_VM_STATS,
		.doit		= vireo_nl_vm_stats_doit,
		.policy		= vireo_vm_stats_nl_policy,
		.maxattr	= VIREO_A_STATS_VCPU,
	},
	{
		.cmd		= VIREO_CMD_VM_PAUSE,
		.doit		= vireo_nl_vm_pause_doit,
		.policy		= vireo_vm_pause_nl_policy,
		.maxattr	= VIREO_A_VM_NAME,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VIREO_CMD_VM_RESUME,
		.doit		= vireo_nl_vm_resume_doit,
		.policy		= vireo_vm_resume_nl_policy,
		.maxattr	= VIREO_A_VM_NAME,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VIREO_CMD_VM_DESTROY,
		.doit		= vireo_nl_vm_destroy_doit,
		.policy		= vireo_vm_destroy_nl_policy,
		.maxattr	= VIREO_A_VM_NAME,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= VIREO_CMD_CAPS_GET,
		.doit		= vireo_nl_caps_get_doit,
	},
};

static const struct genl_multicast_group vireo_nl_mcgrps[] = {
	[VIREO_NLGRP_EVENTS] = { .name = VIREO_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN, },
};

struct genl_family vireo_nl_family __ro_after_init = {
	.name		= VIREO_FAMILY_NAME,
	.version	= VIREO_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= vireo_nl_ops,
	.n_ops		= ARRAY_SIZE(vireo_nl_ops),
	.mcgrps		= vireo_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(vireo_nl_mcgrps),
};
