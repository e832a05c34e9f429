/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vireoctl: requests to the generic netlink family "vireo" over libnl-genl-3.
 */
#ifndef VIREOCTL_NL_H
#define VIREOCTL_NL_H

#include <stddef.h>
#include <netlink/genl/genl.h>

#include "vireoctl.h"

/* A connected socket and the family's id. */
struct vnl {
	struct nl_sock *sk;
	int family;
};

/* What went wrong with a request: an errno and the kernel's extended ACK. */
struct vnl_err {
	int error;		/* positive errno, 0 on success */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
};

/*
 * Called for every message of the family with its header and its
 * attributes; returns 0 to go on, or a negative errno that fails the
 * request, or VNL_STOP to end vnl_listen().
 */
typedef int (*vnl_reply_fn)(struct nlmsghdr *nlh, struct nlattr **tb, void *arg);
#define VNL_STOP	1

int vnl_open(struct vnl *v);
void vnl_close(struct vnl *v);
struct nl_msg *vnl_msg(struct vnl *v, u8 cmd, int flags);
int vnl_request(struct vnl *v, struct nl_msg *msg, int maxattr,
		vnl_reply_fn fn, void *arg, struct vnl_err *err);
int vnl_subscribe(struct vnl *v, const char *group);
int vnl_listen(struct vnl *v, int maxattr, vnl_reply_fn fn, void *arg);
u8 vnl_cmd(struct nlmsghdr *nlh);
int vnl_parse(struct nlmsghdr *nlh, struct nlattr **tb, int maxattr);
void vnl_report(const char *what, const struct vnl_err *err);

#endif
