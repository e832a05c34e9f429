// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireo: the operations of the generic netlink family "vireo".
 *
 * The family is how tools see and manage VMs without their file
 * descriptors (Documentation/virt/vireo/netlink.rst). netlink_spec.c holds
 * its policies and operation table, netlink_events.c its multicast events;
 * this file holds the handlers and the family's registration.
 *
 * Who sees what: a VM belongs to the network namespace its creator was in,
 * and a request only ever finds VMs of the requester's namespace. Inside
 * it, a caller with CAP_NET_ADMIN sees every VM; any other caller sees the
 * VMs its effective uid created, and gets ENOENT for the others, as if they
 * did not exist. The operations that change a VM need CAP_NET_ADMIN
 * (GENL_ADMIN_PERM): a VM holds host-wide resources (VMX on every CPU,
 * pinned memory), so stopping one is the host administrator's call.
 *
 * Every handler works on a reference from vireo_vm_get_*(), so a VM that
 * its VMM closes meanwhile stays valid until the handler puts it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/vireo_para.h>

#include "caps.h"
#include "dev.h"
#include "netlink.h"
#include "netlink_spec.h"
#include "vm.h"

/* The wire values are vm.h's: a renumbering there must not change the ABI. */
static_assert(VIREO_VM_STATE_CREATED == (int)VIREO_VM_CREATED);
static_assert(VIREO_VM_STATE_RUNNING == (int)VIREO_VM_RUNNING);
static_assert(VIREO_VM_STATE_PAUSED == (int)VIREO_VM_PAUSED);
static_assert(VIREO_VM_STATE_SHUTDOWN == (int)VIREO_VM_SHUTDOWN);
static_assert(VIREO_VM_STATE_CRASHED == (int)VIREO_VM_CRASHED);
static_assert(VIREO_VM_STATE_DESTROYED == (int)VIREO_VM_DESTROYED);
static_assert(VIREO_VM_REASON_NONE == (int)VIREO_REASON_NONE);
static_assert(VIREO_VM_REASON_ADMIN == (int)VIREO_REASON_ADMIN);
static_assert(VIREO_VM_REASON_POWEROFF == (int)VIREO_REASON_POWEROFF);
static_assert(VIREO_VM_REASON_RESET == (int)VIREO_REASON_RESET);
static_assert(VIREO_VM_REASON_PANIC == (int)VIREO_REASON_PANIC);
static_assert(VIREO_VM_REASON_TRIPLE_FAULT == (int)VIREO_REASON_TRIPLE_FAULT);
static_assert(VIREO_VM_REASON_INTERNAL_ERROR == (int)VIREO_REASON_INTERNAL_ERROR);
static_assert(VIREO_VM_REASON_ENTRY_FAILED == (int)VIREO_REASON_ENTRY_FAILED);

/* Who is asking: decided once per request, in the requester's context. */
struct vireo_nl_caller {
	struct net *net;
	kuid_t euid;
	bool admin;
};

static void vireo_nl_caller_init(struct vireo_nl_caller *c, struct net *net,
				 const struct sk_buff *skb)
{
	c->net = net;
	c->euid = current_euid();
	c->admin = netlink_capable(skb, CAP_NET_ADMIN);
}

static bool vireo_nl_visible(const struct vireo_nl_caller *c,
			     const struct vireo_vm *vm)
{
	return net_eq(vm->net, c->net) &&
	       (c->admin || uid_eq(vm->owner_uid, c->euid));
}

/*
 * Find the VM a request names by @id_attr or @name_attr (exactly one of
 * them) among those @c may see. Returns a reference or an ERR_PTR.
 */
static struct vireo_vm *vireo_nl_lookup(struct genl_info *info,
					const struct vireo_nl_caller *c,
					int id_attr, int name_attr)
{
	struct nlattr *id = info->attrs[id_attr];
	struct nlattr *name = info->attrs[name_attr];
	struct vireo_vm *vm;

	if (!id && !name) {
		NL_SET_ERR_MSG(info->extack, "the VM's id or name is missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, id_attr);
		return ERR_PTR(-EINVAL);
	}
	if (id && name) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "name the VM by id or by name, not both");
		return ERR_PTR(-EINVAL);
	}
	if (name && !*(char *)nla_data(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, name, "empty VM name");
		return ERR_PTR(-EINVAL);
	}

	vm = id ? vireo_vm_get_by_id(nla_get_u32(id)) :
		  vireo_vm_get_by_name(nla_data(name));
	if (vm && !vireo_nl_visible(c, vm)) {
		vireo_vm_put(vm);
		vm = NULL;
	}
	if (!vm) {
		NL_SET_ERR_MSG_ATTR(info->extack, id ?: name, "no such VM");
		return ERR_PTR(-ENOENT);
	}
	return vm;
}

/**
 * vireo_nl_vm_info_size() - room for what vireo_nl_put_vm_info() puts
 *
 * Return: the payload size of the attributes, at most.
 */
size_t vireo_nl_vm_info_size(void)
{
	return nla_total_size(sizeof(u32)) * 4 +		/* id .. reason */
	       nla_total_size(VIREO_VM_NAME_LEN) +
	       nla_total_size(VIREO_INTERNAL_REASON_LEN);
}

/**
 * vireo_nl_put_vm_info() - put the attributes events and vm-get share
 * @skb: the message.
 * @info: what to say.
 * @ns: the user namespace owner-uid is translated into.
 *
 * Return: 0 or -EMSGSIZE.
 */
int vireo_nl_put_vm_info(struct sk_buff *skb,
			 const struct vireo_nl_vm_info *info,
			 struct user_namespace *ns)
{
	if (nla_put_u32(skb, VIREO_A_VM_ID, info->id) ||
	    (info->name[0] && nla_put_string(skb, VIREO_A_VM_NAME, info->name)) ||
	    nla_put_u32(skb, VIREO_A_VM_OWNER_UID,
			from_kuid_munged(ns, info->owner_uid)) ||
	    nla_put_u32(skb, VIREO_A_VM_STATE, info->state) ||
	    nla_put_u32(skb, VIREO_A_VM_REASON, info->reason) ||
	    (info->reason_text[0] &&
	     nla_put_string(skb, VIREO_A_VM_REASON_TEXT, info->reason_text)))
		return -EMSGSIZE;
	return 0;
}

static size_t vireo_nl_vm_size(void)
{
	return vireo_nl_vm_info_size() +
	       nla_total_size(sizeof(u32)) * 4 +	/* pid, vcpus, pv */
	       nla_total_size_64bit(sizeof(u64)) * 2;	/* mem, uptime */
}

/* The owner's tgid as the requester sees it, 0 if it has exited or is hidden. */
static pid_t vireo_nl_owner_pid(struct vireo_vm *vm)
{
	pid_t nr = 0;

	rcu_read_lock();
	if (vm->owner && pid_has_task(vm->owner, PIDTYPE_TGID))
		nr = pid_vnr(vm->owner);
	rcu_read_unlock();
	return nr;
}

/* One vm-get message: the reply of a do, or one message of a dump. */
static int vireo_nl_fill_vm(struct sk_buff *skb, struct vireo_vm *vm,
			    u32 portid, u32 seq, int flags)
{
	struct vireo_nl_vm_info info = { .id = vm->id, .owner_uid = vm->owner_uid };
	enum vireo_vm_reason reason;
	enum vireo_vm_state state;
	pid_t pid;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vireo_nl_family, flags,
			  VIREO_CMD_VM_GET);
	if (!hdr)
		return -EMSGSIZE;

	strscpy(info.name, vm->name, sizeof(info.name));
	vireo_vm_read_state(vm, &state, &reason, info.reason_text,
			    sizeof(info.reason_text));
	info.state = state;
	info.reason = reason;
	pid = vireo_nl_owner_pid(vm);

	if (vireo_nl_put_vm_info(skb, &info, current_user_ns()) ||
	    (pid && nla_put_u32(skb, VIREO_A_VM_OWNER_PID, pid)) ||
	    nla_put_u32(skb, VIREO_A_VM_NR_VCPUS, vireo_vm_nr_vcpus(vm)) ||
	    nla_put_u64_64bit(skb, VIREO_A_VM_MEM_BYTES, vireo_vm_mem_bytes(vm),
			      VIREO_A_VM_PAD) ||
	    nla_put_u32(skb, VIREO_A_VM_PV_OFFERED, READ_ONCE(vm->pv_offered)) ||
	    nla_put_u32(skb, VIREO_A_VM_PV_ENABLED, READ_ONCE(vm->pv_enabled)) ||
	    nla_put_u64_64bit(skb, VIREO_A_VM_UPTIME_NS,
			      ktime_get_boottime_ns() - vm->created_ns,
			      VIREO_A_VM_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vireo_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct vireo_nl_caller c;
	struct vireo_vm *vm;
	struct sk_buff *msg;
	int r;

	vireo_nl_caller_init(&c, genl_info_net(info), skb);
	vm = vireo_nl_lookup(info, &c, VIREO_A_VM_ID, VIREO_A_VM_NAME);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	r = -ENOMEM;
	msg = genlmsg_new(vireo_nl_vm_size(), GFP_KERNEL);
	if (!msg)
		goto put_vm;
	r = vireo_nl_fill_vm(msg, vm, info->snd_portid, info->snd_seq, 0);
	if (r) {
		nlmsg_free(msg);
		goto put_vm;
	}
	r = genlmsg_reply(msg, info);
put_vm:
	vireo_vm_put(vm);
	return r;
}

/*
 * A dump's state between its calls (cb->ctx): the next id to look at, and
 * who asked, decided at the request (start runs in the sender's context;
 * later parts of the dump run in whoever reads the socket).
 */
struct vireo_nl_dump {
	u32 next_id;
	kuid_t euid;
	bool admin;
};

int vireo_nl_vm_get_start(struct netlink_callback *cb)
{
	struct vireo_nl_dump *d = (struct vireo_nl_dump *)cb->ctx;

	BUILD_BUG_ON(sizeof(*d) > sizeof(cb->ctx));
	d->next_id = 1;
	d->euid = current_euid();
	d->admin = netlink_capable(cb->skb, CAP_NET_ADMIN);
	return 0;
}

/*
 * Restartable: each call resumes at d->next_id, so VMs created or closed
 * between calls are seen or not, but no VM is listed twice.
 */
int vireo_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vireo_nl_dump *d = (struct vireo_nl_dump *)cb->ctx;
	struct vireo_nl_caller c = {
		.net = sock_net(skb->sk), .euid = d->euid, .admin = d->admin,
	};
	struct vireo_vm *vm;
	u32 id;
	int r;

	for (;;) {
		id = d->next_id;
		vm = vireo_vm_get_next(&id);
		if (!vm)
			break;
		r = 0;
		if (vireo_nl_visible(&c, vm))
			r = vireo_nl_fill_vm(skb, vm, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI);
		vireo_vm_put(vm);
		if (r)		/* full: this VM goes in the next part */
			return skb->len ?: r;
		d->next_id = id + 1;
	}
	return skb->len;
}

/* The nonzero entries of a statistics array, one nest each. */
static int vireo_nl_put_counters(struct sk_buff *skb, int type,
				 const u64 *counts, unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		nest = nla_nest_start(skb, type);
		if (!nest ||
		    nla_put_u32(skb, VIREO_A_COUNTER_INDEX, i) ||
		    nla_put_u64_64bit(skb, VIREO_A_COUNTER_COUNT, counts[i],
				      VIREO_A_COUNTER_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static size_t vireo_nl_stats_size(void)
{
	size_t counter = nla_total_size(0) + nla_total_size(sizeof(u32)) +
			 nla_total_size_64bit(sizeof(u64));

	return nla_total_size(sizeof(u32)) * 2 +		/* id, vcpu */
	       counter * (VIREO_STATS_VMX_EXITS + VIREO_STATS_USER_EXITS +
			  VIREO_STATS_HYPERCALLS) +
	       nla_total_size_64bit(sizeof(u64)) * 4;
}

static int vireo_nl_fill_stats(struct sk_buff *skb, struct genl_info *info,
			       u32 id, const struct nlattr *vcpu,
			       const struct vireo_stats *st)
{
	void *hdr;

	hdr = genlmsg_put_reply(skb, info, &vireo_nl_family, 0,
				VIREO_CMD_VM_STATS);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, VIREO_A_STATS_ID, id) ||
	    (vcpu && nla_put_u32(skb, VIREO_A_STATS_VCPU, nla_get_u32(vcpu))) ||
	    vireo_nl_put_counters(skb, VIREO_A_STATS_VMX_EXIT, st->vmx_exits,
				  VIREO_STATS_VMX_EXITS) ||
	    vireo_nl_put_counters(skb, VIREO_A_STATS_USER_EXIT, st->user_exits,
				  VIREO_STATS_USER_EXITS) ||
	    vireo_nl_put_counters(skb, VIREO_A_STATS_HYPERCALL, st->hypercalls,
				  VIREO_STATS_HYPERCALLS) ||
	    nla_put_u64_64bit(skb, VIREO_A_STATS_ENTRIES, st->entries,
			      VIREO_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VIREO_A_STATS_HALT_SLEEPS, st->halt_sleeps,
			      VIREO_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VIREO_A_STATS_INJECTED_IRQS,
			      st->injected_irqs, VIREO_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VIREO_A_STATS_INJECTED_NMIS,
			      st->injected_nmis, VIREO_A_STATS_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int vireo_nl_vm_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *vcpu = info->attrs[VIREO_A_STATS_VCPU];
	struct vireo_stats *st = NULL;
	struct sk_buff *msg = NULL;
	struct vireo_nl_caller c;
	struct vireo_vm *vm;
	int r;

	vireo_nl_caller_init(&c, genl_info_net(info), skb);
	vm = vireo_nl_lookup(info, &c, VIREO_A_STATS_ID, VIREO_A_STATS_NAME);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	if (vcpu && nla_get_u32(vcpu) >= VIREO_MAX_VCPUS) {
		NL_SET_ERR_MSG_ATTR(info->extack, vcpu, "no such vCPU");
		r = -ENOENT;
		goto out;
	}
	r = -ENOMEM;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	msg = genlmsg_new(vireo_nl_stats_size(), GFP_KERNEL);
	if (!st || !msg)
		goto out;
	r = vireo_vm_stats(vm, vcpu ? (int)nla_get_u32(vcpu) : -1, st);
	if (r) {
		if (r == -ENOENT)
			NL_SET_ERR_MSG_ATTR(info->extack, vcpu, "no such vCPU");
		goto out;
	}
	r = vireo_nl_fill_stats(msg, info, vm->id, vcpu, st);
	if (r)
		goto out;
	r = genlmsg_reply(msg, info);
	msg = NULL;
out:
	nlmsg_free(msg);
	kfree(st);
	vireo_vm_put(vm);
	return r;
}

/*
 * Why a state-changing operation was refused, for people. The errors are
 * vm.c's: pause -EALREADY, resume -EINVAL when not paused, both -ENODEV
 * once destroyed, destroy -EALREADY.
 */
static void vireo_nl_act_err(struct genl_info *info, int r)
{
	switch (r) {
	case -EALREADY:
		if (info->genlhdr->cmd == VIREO_CMD_VM_DESTROY)
			NL_SET_ERR_MSG(info->extack, "the VM is already destroyed");
		else
			NL_SET_ERR_MSG(info->extack, "the VM is already paused");
		break;
	case -EINVAL:
		NL_SET_ERR_MSG(info->extack, "the VM is not paused");
		break;
	case -ENODEV:
		NL_SET_ERR_MSG(info->extack, "the VM is destroyed");
		break;
	}
}

static int vireo_nl_vm_act(struct sk_buff *skb, struct genl_info *info,
			   int (*act)(struct vireo_vm *vm))
{
	struct vireo_nl_caller c;
	struct vireo_vm *vm;
	int r;

	vireo_nl_caller_init(&c, genl_info_net(info), skb);
	vm = vireo_nl_lookup(info, &c, VIREO_A_VM_ID, VIREO_A_VM_NAME);
	if (IS_ERR(vm))
		return PTR_ERR(vm);
	r = act(vm);
	if (r)
		vireo_nl_act_err(info, r);
	vireo_vm_put(vm);
	return r;
}

int vireo_nl_vm_pause_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vireo_nl_vm_act(skb, info, vireo_vm_pause);
}

int vireo_nl_vm_resume_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vireo_nl_vm_act(skb, info, vireo_vm_resume);
}

int vireo_nl_vm_destroy_doit(struct sk_buff *skb, struct genl_info *info)
{
	return vireo_nl_vm_act(skb, info, vireo_vm_destroy);
}

static int vireo_nl_put_caps(struct sk_buff *skb)
{
	int timer = vireo_caps_preemption_timer();
	u32 features = 0;
	struct nlattr *nest;
	int i;

	if (vireo_caps_has_ept_2m())
		features |= VIREO_VMX_F_EPT_2M;
	if (vireo_caps_has_ept_1g())
		features |= VIREO_VMX_F_EPT_1G;
	if (timer >= 0)
		features |= VIREO_VMX_F_PREEMPTION_TIMER;

	if ((THIS_MODULE->version &&
	     nla_put_string(skb, VIREO_A_CAPS_MODULE_VERSION, THIS_MODULE->version)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_API_VERSION, VIREO_API_VERSION) ||
	    nla_put_u32(skb, VIREO_A_CAPS_VMX_REVISION, vireo_caps_revision_id()) ||
	    nla_put_u32(skb, VIREO_A_CAPS_VMX_FEATURES, features) ||
	    (timer >= 0 &&
	     nla_put_u32(skb, VIREO_A_CAPS_PREEMPTION_TIMER_SHIFT, timer)))
		return -EMSGSIZE;

	for (i = 0; i < VIREO_NR_MSRS; i++) {
		nest = nla_nest_start(skb, VIREO_A_CAPS_VMX_MSR);
		if (!nest ||
		    nla_put_string(skb, VIREO_A_VMX_MSR_NAME, vireo_caps_msr_name(i)) ||
		    nla_put_u64_64bit(skb, VIREO_A_VMX_MSR_VALUE, vireo_caps.msr[i],
				      VIREO_A_VMX_MSR_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}

	/* The same numbers as VIREO_CHECK_CAP, from the same function. */
	if (nla_put_u32(skb, VIREO_A_CAPS_MAX_VMS, vireo_check_cap(VIREO_CAP_MAX_VMS)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_MAX_VCPUS, vireo_check_cap(VIREO_CAP_MAX_VCPUS)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_MAX_MEMSLOTS,
			vireo_check_cap(VIREO_CAP_MAX_MEMSLOTS)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_GUEST_PHYS_BITS,
			vireo_check_cap(VIREO_CAP_GUEST_PHYS_BITS)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_PV_FEATURES,
			vireo_check_cap(VIREO_CAP_PV_FEATURES)) ||
	    nla_put_u32(skb, VIREO_A_CAPS_TSC_KHZ, vireo_check_cap(VIREO_CAP_TSC_KHZ)))
		return -EMSGSIZE;
	return 0;
}

int vireo_nl_caps_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vireo_nl_family, 0, VIREO_CMD_CAPS_GET);
	if (!hdr || vireo_nl_put_caps(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * vireo_netlink_register() - register the family "vireo" and its events
 *
 * Return: 0 or the error of genl_register_family().
 */
int vireo_netlink_register(void)
{
	int r;

	r = genl_register_family(&vireo_nl_family);
	if (r)
		return r;
	r = vireo_nl_events_start();
	if (r)
		genl_unregister_family(&vireo_nl_family);
	return r;
}

/**
 * vireo_netlink_unregister() - unregister the family "vireo"
 *
 * The events queued so far are sent first; genl_unregister_family() then
 * waits for the operations in flight.
 */
void vireo_netlink_unregister(void)
{
	vireo_nl_events_stop();
	genl_unregister_family(&vireo_nl_family);
}
