// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl: the netlink side of the management commands.
 *
 * One socket per command: connect, resolve the family "vireo" through
 * nlctrl, send one request and read its replies until the kernel's ACK or
 * the end of the dump. The ACK's errno and its extended ACK message (the
 * kernel says which attribute is wrong and why) are kept for the error line
 * the user sees. libnl's own error codes lose the errno, so this file reads
 * the error messages itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/vireo_netlink.h>

#include "nl.h"
#include "vireoctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* State of one request while its replies are read. */
struct vnl_call {
	vnl_reply_fn fn;
	void *arg;
	int maxattr;
	int done;
	int cb_error;		/* what @fn returned: -errno or VNL_STOP */
	struct vnl_err *err;
};

/*
 * Open a socket on the family "vireo". Returns 0, or -1 after saying why
 * on stderr.
 */
int vnl_open(struct vnl *v)
{
	int one = 1, r;

	v->sk = nl_socket_alloc();
	if (!v->sk) {
		vireoctl_err("cannot allocate a netlink socket");
		return -1;
	}
	r = genl_connect(v->sk);
	if (r < 0) {
		vireoctl_err("cannot open a generic netlink socket: %s", nl_geterror(r));
		goto free;
	}
	/* Extended ACKs: the kernel's own words on what is wrong. */
	setsockopt(nl_socket_get_fd(v->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(v->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	v->family = genl_ctrl_resolve(v->sk, VIREO_FAMILY_NAME);
	if (v->family < 0) {
		if (v->family == -NLE_OBJ_NOTFOUND)
			vireoctl_err("no generic netlink family \"%s\" (is vireo.ko loaded? see README.md)",
				     VIREO_FAMILY_NAME);
		else
			vireoctl_err("cannot resolve the netlink family \"%s\": %s",
				     VIREO_FAMILY_NAME, nl_geterror(v->family));
		goto free;
	}
	return 0;
free:
	nl_socket_free(v->sk);
	v->sk = NULL;
	return -1;
}

void vnl_close(struct vnl *v)
{
	nl_socket_free(v->sk);
	v->sk = NULL;
}

/* A request message for @cmd; NULL (after saying so) when out of memory. */
struct nl_msg *vnl_msg(struct vnl *v, u8 cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, v->family, 0,
				 flags, cmd, VIREO_FAMILY_VERSION)) {
		nlmsg_free(msg);
		vireoctl_err("out of memory");
		return NULL;
	}
	return msg;
}

/* The command of a message of the family. */
u8 vnl_cmd(struct nlmsghdr *nlh)
{
	return ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
}

/* Parse a family message's attributes into @tb[0..maxattr]. */
int vnl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int maxattr)
{
	return genlmsg_parse(nlh, 0, tb, maxattr, NULL);
}

static int vnl_valid(struct nl_msg *msg, void *arg)
{
	struct vnl_call *call = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[call->maxattr + 1];
	int r;

	if (call->cb_error || !call->fn)
		return NL_OK;
	if (vnl_parse(nlh, tb, call->maxattr) < 0) {
		call->cb_error = -EBADMSG;
		return NL_OK;
	}
	r = call->fn(nlh, tb, call->arg);
	if (r)
		call->cb_error = r;
	return NL_OK;
}

/* The error message after the ACK: NLMSGERR_ATTR_MSG of its TLVs. */
static void vnl_extack(struct nlmsghdr *nlh, struct vnl_err *err)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int offset = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(e->msg);
	if (offset >= nlmsg_datalen(nlh) ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)e + offset),
		      nlmsg_datalen(nlh) - offset, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(err->msg, sizeof(err->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
}

static int vnl_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct vnl_call *call = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	call->err->error = -e->error;
	vnl_extack(nlh, call->err);
	call->done = 1;
	return NL_STOP;
}

static int vnl_finish(struct nl_msg *msg, void *arg)
{
	struct vnl_call *call = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A dump's NLMSG_DONE carries an errno of its own, 0 on success. */
	if (nlh->nlmsg_type == NLMSG_DONE &&
	    nlmsg_datalen(nlh) >= (int)sizeof(int) && *(int *)nlmsg_data(nlh))
		call->err->error = -*(int *)nlmsg_data(nlh);
	call->done = 1;
	return NL_STOP;
}

static int vnl_ack(struct nl_msg *msg, void *arg)
{
	struct vnl_call *call = arg;

	(void)msg;
	call->done = 1;
	return NL_STOP;
}

/*
 * Send @msg (consumed) and read its replies, calling @fn for each with
 * attributes parsed up to @maxattr. Returns 0, or a positive errno with
 * @err filled (the errno of the kernel, or of @fn).
 */
int vnl_request(struct vnl *v, struct nl_msg *msg, int maxattr,
		vnl_reply_fn fn, void *arg, struct vnl_err *err)
{
	struct vnl_call call = {
		.fn = fn, .arg = arg, .maxattr = maxattr, .err = err,
	};
	struct nl_cb *cb;
	int r;

	memset(err, 0, sizeof(*err));
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return err->error = ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vnl_valid, &call);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, vnl_finish, &call);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, vnl_ack, &call);
	nl_cb_err(cb, NL_CB_CUSTOM, vnl_error, &call);

	r = nl_send_auto(v->sk, msg);
	nlmsg_free(msg);
	if (r < 0) {
		err->error = EIO;
		snprintf(err->msg, sizeof(err->msg), "send: %s", nl_geterror(r));
		goto out;
	}
	while (!call.done) {
		r = nl_recvmsgs(v->sk, cb);
		if (r < 0 && !call.done) {
			err->error = EIO;
			snprintf(err->msg, sizeof(err->msg), "receive: %s", nl_geterror(r));
			break;
		}
	}
	if (!err->error && call.cb_error < 0)
		err->error = -call.cb_error;
out:
	nl_cb_put(cb);
	return err->error;
}

/* Join the family's multicast group @group. Returns 0 or -1 after saying why. */
int vnl_subscribe(struct vnl *v, const char *group)
{
	int id = genl_ctrl_resolve_grp(v->sk, VIREO_FAMILY_NAME, group);
	int r;

	if (id < 0) {
		vireoctl_err("no multicast group \"%s\" in the family \"%s\": %s",
			     group, VIREO_FAMILY_NAME, nl_geterror(id));
		return -1;
	}
	r = nl_socket_add_membership(v->sk, id);
	if (r < 0) {
		if (r == -NLE_PERM || r == -NLE_NOACCESS)
			vireoctl_err("cannot join the \"%s\" group: Operation not permitted (needs CAP_NET_ADMIN)",
				     group);
		else
			vireoctl_err("cannot join the \"%s\" group: %s", group, nl_geterror(r));
		return -1;
	}
	return 0;
}

/* Say on stderr that @what failed, and why. */
void vnl_report(const char *what, const struct vnl_err *err)
{
	const char *hint = "";

	if (err->error == EPERM)
		hint = " (needs CAP_NET_ADMIN)";
	if (err->msg[0])
		vireoctl_err("%s: %s: %s%s", what, strerror(err->error), err->msg, hint);
	else
		vireoctl_err("%s: %s%s", what, strerror(err->error), hint);
}

/* Multicast messages carry no sequence number: accept them all. */
static int vnl_no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * Read multicast messages, calling @fn for each, until it returns
 * VNL_STOP. Messages lost because the socket overflowed are reported on
 * stderr, and listening goes on. Returns 0, or -1 after saying why.
 */
int vnl_listen(struct vnl *v, int maxattr, vnl_reply_fn fn, void *arg)
{
	struct vnl_err err = { 0 };
	struct vnl_call call = {
		.fn = fn, .arg = arg, .maxattr = maxattr, .err = &err,
	};
	struct nl_cb *cb;
	int r = 0;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		vireoctl_err("out of memory");
		return -1;
	}
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, vnl_no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vnl_valid, &call);
	while (!call.cb_error) {
		r = nl_recvmsgs(v->sk, cb);
		if (r == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped messages for this socket. */
			vireoctl_err("events were lost (the socket overflowed); go on");
			continue;
		}
		if (r < 0 && r != -NLE_INTR && r != -NLE_AGAIN) {
			vireoctl_err("receiving events: %s", nl_geterror(r));
			break;
		}
	}
	nl_cb_put(cb);
	return call.cb_error == VNL_STOP ? 0 : -1;
}
