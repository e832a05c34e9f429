/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A raw generic netlink client for the tests of the family "vireo": no
 * libnl, so that a test can build any request, malformed ones included,
 * and see the kernel's errno and extended ACK message as they are.
 */
#ifndef VIREO_SELFTEST_NL_H
#define VIREO_SELFTEST_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <linux/types.h>

/* The kernel's names for fixed-width types, as in the kernel's tools/. */
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;

#define NLC_BUF		16384
#define NLC_MAXATTR	32

struct nlc {
	int fd;
	u16 family;
	u32 events_group;	/* the "events" group's id, 0 if unknown */
	u32 seq;
};

/* A request being built. */
struct nlc_msg {
	union {
		struct nlmsghdr nlh;
		char buf[NLC_BUF];
	};
};

/* One message received, its top-level attributes indexed by type. */
struct nlc_reply {
	u8 cmd;
	const struct nlattr *tb[NLC_MAXATTR + 1];
	const struct nlmsghdr *nlh;
};

/* The outcome of a request. */
struct nlc_result {
	int error;		/* 0 or a positive errno */
	char extack[256];	/* the kernel's message, "" if none */
	int nreplies;
	char buf[4 * NLC_BUF];	/* the replies, back to back */
	size_t len;
};

int nlc_open(struct nlc *c);
void nlc_close(struct nlc *c);
void nlc_start(struct nlc *c, struct nlc_msg *m, u8 cmd, u16 flags);
void nlc_put(struct nlc_msg *m, u16 type, const void *data, size_t len);
void nlc_put_u32(struct nlc_msg *m, u16 type, u32 v);
void nlc_put_str(struct nlc_msg *m, u16 type, const char *s);
int nlc_call(struct nlc *c, struct nlc_msg *m, struct nlc_result *r);
bool nlc_reply_at(const struct nlc_result *r, int i, struct nlc_reply *out);
int nlc_subscribe(struct nlc *c);
int nlc_recv_event(struct nlc *c, int timeout_ms, struct nlc_reply *ev, char *buf, size_t size);

u32 nla_u32(const struct nlattr *a);
u64 nla_u64(const struct nlattr *a);
const char *nla_str(const struct nlattr *a);
int nla_count(const struct nlc_reply *r, u16 type);

/* Convenience: request @cmd on the VM named by id (name NULL) or name. */
int nlc_vm_cmd(struct nlc *c, u8 cmd, u32 id, const char *name,
	       struct nlc_result *r);

#endif
