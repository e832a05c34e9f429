// SPDX-License-Identifier: GPL-2.0-only
/*
 * A raw generic netlink client for the tests of the family "vireo".
 *
 * nlc_open() resolves the family and its "events" group through nlctrl;
 * nlc_call() sends one request (do or dump) with NLM_F_ACK and collects
 * every reply until the ACK, the error, or the end of the dump, with the
 * extended ACK message when the kernel gives one.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/vireo_netlink.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_LEN(a)	((a)->nla_len - NLA_HDRLEN)

u32 nla_u32(const struct nlattr *a)
{
	u32 v = 0;

	if (a && NLA_LEN(a) >= 4)
		memcpy(&v, NLA_DATA(a), 4);
	return v;
}

u64 nla_u64(const struct nlattr *a)
{
	u64 v = 0;

	if (a && NLA_LEN(a) >= 8)
		memcpy(&v, NLA_DATA(a), 8);
	return v;
}

const char *nla_str(const struct nlattr *a)
{
	return a && NLA_LEN(a) > 0 ? NLA_DATA(a) : "";
}

void nlc_start(struct nlc *c, struct nlc_msg *m, u8 cmd, u16 flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->nlh.nlmsg_type = c->family;
	m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	m->nlh.nlmsg_seq = ++c->seq;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = VIREO_FAMILY_VERSION;
}

void nlc_put(struct nlc_msg *m, u16 type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_ALIGN(m->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(NLA_DATA(a), data, len);
	m->nlh.nlmsg_len = NLMSG_ALIGN(m->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

void nlc_put_u32(struct nlc_msg *m, u16 type, u32 v)
{
	nlc_put(m, type, &v, sizeof(v));
}

void nlc_put_str(struct nlc_msg *m, u16 type, const char *s)
{
	nlc_put(m, type, s, strlen(s) + 1);
}

static void parse_attrs(const struct nlattr *a, int len, const struct nlattr **tb, int max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void parse_reply(const struct nlmsghdr *nlh, struct nlc_reply *out)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);

	out->nlh = nlh;
	out->cmd = g->cmd;
	parse_attrs((const struct nlattr *)((const char *)g + GENL_HDRLEN),
		    nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, out->tb, NLC_MAXATTR);
}

/* How many attributes of @type the message has (multi-attr). */
int nla_count(const struct nlc_reply *r, u16 type)
{
	const struct genlmsghdr *g = NLMSG_DATA(r->nlh);
	const struct nlattr *a = (const struct nlattr *)((const char *)g + GENL_HDRLEN);
	int len = r->nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, n = 0;

	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		n += (a->nla_type & NLA_TYPE_MASK) == type;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return n;
}

/* The extended ACK message of an error message. */
static void parse_extack(const struct nlmsghdr *nlh, char *out, size_t size)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int offset = sizeof(*e);

	out[0] = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(e->msg);
	if ((int)(nlh->nlmsg_len - NLMSG_HDRLEN) <= offset)
		return;
	parse_attrs((const struct nlattr *)((const char *)e + offset),
		    nlh->nlmsg_len - NLMSG_HDRLEN - offset, tb, NLMSGERR_ATTR_MAX);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(out, size, "%s", nla_str(tb[NLMSGERR_ATTR_MSG]));
}

/*
 * Send @m and collect its replies into @r. Returns 0, or -1 when the
 * socket failed (r->error then holds errno); the request's own errno is
 * r->error.
 */
int nlc_call(struct nlc *c, struct nlc_msg *m, struct nlc_result *r)
{
	char buf[NLC_BUF];
	struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	memset(r, 0, offsetof(struct nlc_result, buf));
	r->len = 0;
	if (send(c->fd, m->buf, m->nlh.nlmsg_len, 0) < 0) {
		r->error = errno;
		return -1;
	}
	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->error = errno;
			return -1;
		}
		for (nlh = (struct nlmsghdr *)buf, len = n; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != m->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				r->error = -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				parse_extack(nlh, r->extack, sizeof(r->extack));
				return 0;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				r->error = -*(int *)NLMSG_DATA(nlh);
				parse_extack(nlh, r->extack, sizeof(r->extack));
				return 0;
			}
			if (r->len + nlh->nlmsg_len <= sizeof(r->buf)) {
				memcpy(r->buf + r->len, nlh, nlh->nlmsg_len);
				r->len += NLMSG_ALIGN(nlh->nlmsg_len);
				r->nreplies++;
			}
		}
	}
}

/* The @i-th reply of @r. */
bool nlc_reply_at(const struct nlc_result *r, int i, struct nlc_reply *out)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)r->buf;
	int len = r->len;

	for (; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len), i--)
		if (!i) {
			parse_reply(nlh, out);
			return true;
		}
	return false;
}

/* Resolve the family and its events group with CTRL_CMD_GETFAMILY. */
static int resolve(struct nlc *c)
{
	struct nlc_result *r = malloc(sizeof(*r));
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g, *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nlc_reply rep;
	struct nlc_msg m;
	int len, ret = -1;

	if (!r)
		return -1;
	c->family = GENL_ID_CTRL;
	nlc_start(c, &m, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = 1;
	nlc_put_str(&m, CTRL_ATTR_FAMILY_NAME, VIREO_FAMILY_NAME);
	if (nlc_call(c, &m, r) || r->error || !nlc_reply_at(r, 0, &rep)) {
		errno = r->error ?: EPROTO;
		goto out;
	}
	parse_attrs((const struct nlattr *)((const char *)NLMSG_DATA(rep.nlh) + GENL_HDRLEN),
		    rep.nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, tb, CTRL_ATTR_MAX);
	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		errno = EPROTO;
		goto out;
	}
	memcpy(&c->family, NLA_DATA(tb[CTRL_ATTR_FAMILY_ID]), 2);
	if (tb[CTRL_ATTR_MCAST_GROUPS]) {
		g = NLA_DATA(tb[CTRL_ATTR_MCAST_GROUPS]);
		len = NLA_LEN(tb[CTRL_ATTR_MCAST_GROUPS]);
		for (; len >= (int)NLA_HDRLEN && g->nla_len <= len;
		     len -= NLA_ALIGN(g->nla_len),
		     g = (const struct nlattr *)((const char *)g + NLA_ALIGN(g->nla_len))) {
			parse_attrs(NLA_DATA(g), NLA_LEN(g), gtb, CTRL_ATTR_MCAST_GRP_MAX);
			if (!strcmp(nla_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]), VIREO_MCGRP_EVENTS))
				c->events_group = nla_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
		}
	}
	ret = 0;
out:
	free(r);
	return ret;
}

/* Open a socket on the family. Returns 0, or -1 with errno set. */
int nlc_open(struct nlc *c)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	memset(c, 0, sizeof(*c));
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (c->fd < 0)
		return -1;
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(c->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    resolve(c)) {
		int e = errno;

		close(c->fd);
		errno = e;
		return -1;
	}
	return 0;
}

void nlc_close(struct nlc *c)
{
	close(c->fd);
	c->fd = -1;
}

/* Join the events group. Returns 0 or -1 with errno set. */
int nlc_subscribe(struct nlc *c)
{
	if (!c->events_group) {
		errno = ENOENT;
		return -1;
	}
	return setsockopt(c->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			  &c->events_group, sizeof(c->events_group));
}

/*
 * Wait up to @timeout_ms for the next event; @buf keeps the message @ev
 * points into. Returns 1, 0 on timeout, -1 with errno on error.
 */
int nlc_recv_event(struct nlc *c, int timeout_ms, struct nlc_reply *ev, char *buf, size_t size)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	ssize_t n;

	for (;;) {
		int r = poll(&p, 1, timeout_ms);

		if (r <= 0)
			return r;
		n = recv(c->fd, buf, size, 0);
		if (n < 0)
			return -1;
		if (!NLMSG_OK(nlh, n) || nlh->nlmsg_type != c->family || nlh->nlmsg_seq)
			continue;	/* not an event */
		parse_reply(nlh, ev);
		return 1;
	}
}

int nlc_vm_cmd(struct nlc *c, u8 cmd, u32 id, const char *name,
	       struct nlc_result *r)
{
	struct nlc_msg m;

	nlc_start(c, &m, cmd, 0);
	if (name)
		nlc_put_str(&m, VIREO_A_VM_NAME, name);
	else
		nlc_put_u32(&m, VIREO_A_VM_ID, id);
	return nlc_call(c, &m, r);
}
