// SPDX-License-Identifier: GPL-2.0-only
/*
 * The operations of the netlink family "vireo": success and error paths,
 * events, permissions and network namespaces, on VMs without running
 * guests (nl_guest_test.c runs guests).
 *
 * Needs vireo.ko loaded on a CPU with VMX, run as root, with no other VM
 * alive. Unprivileged callers are child processes that drop CAP_NET_ADMIN
 * (capset) or become uid 1000 (setresuid); they record their results in
 * shared memory and the parent prints them.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/vireo_netlink.h>

#include "nl.h"
#include "tap.h"
#include "vireo_util.h"

#define USER_UID	1000

static struct nlc nl;
static struct nlc_result res;
static int sys_fd;

/* Results of a child process, printed by the parent. */
struct child_results {
	int n;
	struct {
		bool pass;
		char desc[200];
	} r[16];
};

static struct child_results *child;

static bool child_ok(bool pass, const char *fmt, ...) __printf(2, 3);
static bool child_ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	if (child->n < (int)ARRAY_SIZE(child->r)) {
		child->r[child->n].pass = pass;
		va_start(ap, fmt);
		vsnprintf(child->r[child->n].desc, sizeof(child->r[0].desc), fmt, ap);
		va_end(ap);
		child->n++;
	}
	return pass;
}

/* Wait for the child and print its results: exactly @want of them. */
static void child_report(pid_t pid, int want, const char *what)
{
	int status, i;

	waitpid(pid, &status, 0);
	for (i = 0; i < want; i++) {
		if (i < child->n)
			tap_ok(child->r[i].pass, "%s", child->r[i].desc);
		else
			tap_ok(false, "%s: result %d missing (child status %#x)", what, i, status);
	}
	child->n = 0;
}

static bool err_is(int want, const char *extack_part)
{
	if (res.error != want)
		tap_diag("errno %d (%s), want %d; extack \"%s\"", res.error,
			 strerror(res.error), want, res.extack);
	return res.error == want && (!extack_part || strstr(res.extack, extack_part));
}

static bool vm_get(u32 id, const char *name, struct nlc_reply *rep)
{
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, id, name, &res);
	return !res.error && res.nreplies == 1 && nlc_reply_at(&res, 0, rep);
}

static u32 vm_state(u32 id)
{
	struct nlc_reply rep;

	return vm_get(id, NULL, &rep) ? nla_u32(rep.tb[VIREO_A_VM_STATE]) : ~0U;
}

static bool dump_has(struct nlc *c, u32 id, int *count)
{
	struct nlc_reply rep;
	struct nlc_msg m;
	bool found = false;
	int i;

	nlc_start(c, &m, VIREO_CMD_VM_GET, NLM_F_DUMP);
	nlc_call(c, &m, &res);
	*count = res.error ? -1 : res.nreplies;
	for (i = 0; nlc_reply_at(&res, i, &rep); i++)
		found |= nla_u32(rep.tb[VIREO_A_VM_ID]) == id;
	return found;
}

static int create_vm(const char *name, u32 *id)
{
	unsigned int uid;
	int fd = vireo_create_vm(sys_fd, name, &uid);

	if (fd < 0)
		tap_bail("VIREO_CREATE_VM %s: %s", name ?: "(unnamed)", strerror(-fd));
	*id = uid;
	return fd;
}

static long check_cap(unsigned long cap)
{
	return ioctl(sys_fd, VIREO_CHECK_CAP, cap);
}

static void test_caps(void)
{
	static const struct { int attr; unsigned long cap; } limits[] = {
		{ VIREO_A_CAPS_MAX_VMS, VIREO_CAP_MAX_VMS },
		{ VIREO_A_CAPS_MAX_VCPUS, VIREO_CAP_MAX_VCPUS },
		{ VIREO_A_CAPS_MAX_MEMSLOTS, VIREO_CAP_MAX_MEMSLOTS },
		{ VIREO_A_CAPS_GUEST_PHYS_BITS, VIREO_CAP_GUEST_PHYS_BITS },
		{ VIREO_A_CAPS_PV_FEATURES, VIREO_CAP_PV_FEATURES },
		{ VIREO_A_CAPS_TSC_KHZ, VIREO_CAP_TSC_KHZ },
	};
	unsigned long long basic = 0;
	struct nlc_reply rep;
	struct nlc_msg m;
	bool limits_ok = true;
	char n[64];
	FILE *f;
	unsigned int i;
	int nmsr = 0;

	nlc_start(&nl, &m, VIREO_CMD_CAPS_GET, 0);
	nlc_call(&nl, &m, &res);
	if (!tap_ok(!res.error && nlc_reply_at(&res, 0, &rep) &&
		    rep.cmd == VIREO_CMD_CAPS_GET &&
		    nla_u32(rep.tb[VIREO_A_CAPS_API_VERSION]) == VIREO_API_VERSION &&
		    *nla_str(rep.tb[VIREO_A_CAPS_MODULE_VERSION]),
		    "caps-get: api-version %d and a module-version", VIREO_API_VERSION))
		tap_bail("caps-get failed: %s (%s)", strerror(res.error), res.extack);

	for (i = 0; i < ARRAY_SIZE(limits); i++)
		if (!rep.tb[limits[i].attr] ||
		    nla_u32(rep.tb[limits[i].attr]) != check_cap(limits[i].cap)) {
			tap_diag("caps attribute %d is %u, VIREO_CHECK_CAP(%lu) %ld",
				 limits[i].attr, nla_u32(rep.tb[limits[i].attr]),
				 limits[i].cap, check_cap(limits[i].cap));
			limits_ok = false;
		}
	tap_ok(limits_ok, "caps-get: every limit equals VIREO_CHECK_CAP's");

	f = fopen(VIREO_DEBUGFS "/caps", "re");
	while (f && fscanf(f, "%63s %*s", n) == 1)
		nmsr++;
	if (f) {
		rewind(f);
		while (fscanf(f, "%63s %llx", n, &basic) == 2 && strcmp(n, "IA32_VMX_BASIC"))
			;
		fclose(f);
	}
	tap_ok(nmsr && nla_count(&rep, VIREO_A_CAPS_VMX_MSR) == nmsr &&
	       nla_u32(rep.tb[VIREO_A_CAPS_VMX_REVISION]) == (basic & 0x7fffffff),
	       "caps-get: %d VMX MSRs and the VMCS revision, as debugfs shows them", nmsr);

	nlc_start(&nl, &m, VIREO_CMD_CAPS_GET, 0);
	nlc_put_u32(&m, VIREO_A_CAPS_API_VERSION, 1);
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, NULL), "caps-get with an attribute: EINVAL");
}

static void test_vm_get(u32 a, u32 b, u32 c)
{
	struct nlc_reply rep;
	struct nlc_msg m;
	u32 next = 0;
	char name[40];
	bool order = true;
	int i, n = 0;

	tap_ok(vm_get(a, NULL, &rep) && rep.cmd == VIREO_CMD_VM_GET &&
	       nla_u32(rep.tb[VIREO_A_VM_ID]) == a &&
	       !strcmp(nla_str(rep.tb[VIREO_A_VM_NAME]), "nl-a") &&
	       nla_u32(rep.tb[VIREO_A_VM_STATE]) == VIREO_VM_STATE_CREATED &&
	       nla_u32(rep.tb[VIREO_A_VM_REASON]) == VIREO_VM_REASON_NONE &&
	       nla_u32(rep.tb[VIREO_A_VM_OWNER_PID]) == (u32)getpid() &&
	       rep.tb[VIREO_A_VM_OWNER_UID] && !nla_u32(rep.tb[VIREO_A_VM_OWNER_UID]) &&
	       rep.tb[VIREO_A_VM_NR_VCPUS] && !nla_u32(rep.tb[VIREO_A_VM_NR_VCPUS]) &&
	       rep.tb[VIREO_A_VM_MEM_BYTES] && !nla_u64(rep.tb[VIREO_A_VM_MEM_BYTES]) &&
	       rep.tb[VIREO_A_VM_PV_ENABLED] && rep.tb[VIREO_A_VM_PV_OFFERED] &&
	       nla_u64(rep.tb[VIREO_A_VM_UPTIME_NS]) > 0 &&
	       !rep.tb[VIREO_A_VM_REASON_TEXT],
	       "vm-get by id: name, state created, owner pid and uid, no vCPU, no memory, uptime");
	tap_ok(vm_get(0, "nl-a", &rep) && nla_u32(rep.tb[VIREO_A_VM_ID]) == a,
	       "vm-get by name finds the same VM");
	tap_ok(vm_get(c, NULL, &rep) && !rep.tb[VIREO_A_VM_NAME],
	       "vm-get of an unnamed VM: no name attribute");

	nlc_start(&nl, &m, VIREO_CMD_VM_GET, NLM_F_DUMP);
	nlc_call(&nl, &m, &res);
	for (i = 0; nlc_reply_at(&res, i, &rep); i++) {
		u32 id = nla_u32(rep.tb[VIREO_A_VM_ID]);

		order &= id > next;
		next = id;
		n += (id == a) + (id == b) + (id == c);
	}
	tap_ok(!res.error && res.nreplies == 3 && n == 3 && order,
	       "vm-get dump: the 3 VMs, each once, by increasing id (%d replies)", res.nreplies);

	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, 0x7ffffff0, NULL, &res);
	tap_ok(err_is(ENOENT, "no such VM"), "vm-get of an unknown id: ENOENT, \"no such VM\"");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, 0, "nl-nobody", &res);
	tap_ok(err_is(ENOENT, NULL), "vm-get of an unknown name: ENOENT");

	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, "missing"), "vm-get without id or name: EINVAL, says missing");
	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_put_u32(&m, VIREO_A_VM_ID, a);
	nlc_put_str(&m, VIREO_A_VM_NAME, "nl-a");
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, NULL), "vm-get with both id and name: EINVAL");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, 0, "", &res);
	tap_ok(err_is(EINVAL, NULL), "vm-get with an empty name: EINVAL");
	memset(name, 'x', 32);
	name[32] = 0;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, 0, name, &res);
	tap_ok(err_is(EINVAL, NULL), "vm-get with a 32-character name: EINVAL");

	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_put(&m, VIREO_A_VM_ID, &a, 2);
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, NULL), "vm-get with a 2-byte id: EINVAL");
	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_put_u32(&m, VIREO_A_VM_ID, a);
	nlc_put_u32(&m, VIREO_A_VM_STATE, 1);
	nlc_call(&nl, &m, &res);
	i = res.error;
	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_put_u32(&m, VIREO_A_VM_ID, a);
	nlc_put_u32(&m, 200, 1);
	nlc_call(&nl, &m, &res);
	tap_ok(i == EINVAL && err_is(EINVAL, NULL),
	       "vm-get with an attribute it does not take, or an unknown one: EINVAL");
	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	nlc_put(&m, VIREO_A_VM_NAME, "nl-a", 4);
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, NULL), "vm-get with a name lacking its NUL: EINVAL");

	nlc_start(&nl, &m, VIREO_CMD_VM_GET, 0);
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->reserved = 1;
	nlc_put_u32(&m, VIREO_A_VM_ID, a);
	nlc_call(&nl, &m, &res);
	tap_ok(err_is(EINVAL, NULL), "a nonzero reserved field in the genetlink header: EINVAL");

	nlc_start(&nl, &m, 99, 0);
	nlc_call(&nl, &m, &res);
	i = res.error;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_CREATED, a, NULL, &res);
	tap_ok(i == EOPNOTSUPP && err_is(EOPNOTSUPP, NULL),
	       "an unknown command, and an event sent as a request: EOPNOTSUPP");
}

static void test_stats(u32 a)
{
	struct nlc_reply rep;
	struct nlc_msg m;
	int e;

	nlc_vm_cmd(&nl, VIREO_CMD_VM_STATS, a, NULL, &res);
	tap_ok(!res.error && nlc_reply_at(&res, 0, &rep) && rep.cmd == VIREO_CMD_VM_STATS &&
	       nla_u32(rep.tb[VIREO_A_STATS_ID]) == a && !rep.tb[VIREO_A_STATS_VCPU] &&
	       rep.tb[VIREO_A_STATS_ENTRIES] && !nla_u64(rep.tb[VIREO_A_STATS_ENTRIES]) &&
	       !nla_count(&rep, VIREO_A_STATS_VMX_EXIT),
	       "vm-stats of a VM that never ran: its id, no entries, no exits");

	nlc_start(&nl, &m, VIREO_CMD_VM_STATS, 0);
	nlc_put_u32(&m, VIREO_A_STATS_ID, a);
	nlc_put_u32(&m, VIREO_A_STATS_VCPU, 0);
	nlc_call(&nl, &m, &res);
	e = res.error;
	nlc_start(&nl, &m, VIREO_CMD_VM_STATS, 0);
	nlc_put_u32(&m, VIREO_A_STATS_ID, a);
	nlc_put_u32(&m, VIREO_A_STATS_VCPU, 4096);
	nlc_call(&nl, &m, &res);
	tap_ok(e == ENOENT && err_is(ENOENT, "vCPU"),
	       "vm-stats of a vCPU the VM lacks, or past the limit: ENOENT");

	nlc_vm_cmd(&nl, VIREO_CMD_VM_STATS, 0, "nl-nobody", &res);
	e = res.error;
	nlc_start(&nl, &m, VIREO_CMD_VM_STATS, 0);
	nlc_put_u32(&m, VIREO_A_STATS_VCPU, 0);
	nlc_call(&nl, &m, &res);
	tap_ok(e == ENOENT && err_is(EINVAL, NULL),
	       "vm-stats of an unknown VM: ENOENT; without id or name: EINVAL");
}

/* Read the next event about VM @id (others are skipped). */
static bool next_event(struct nlc *ev, u32 id, u8 cmd, u32 state,
		       u32 reason, const char *name)
{
	static char buf[NLC_BUF];
	struct nlc_reply rep;

	while (nlc_recv_event(ev, 3000, &rep, buf, sizeof(buf)) == 1) {
		if (nla_u32(rep.tb[VIREO_A_VM_ID]) != id)
			continue;
		if (rep.cmd == cmd && nla_u32(rep.tb[VIREO_A_VM_STATE]) == state &&
		    nla_u32(rep.tb[VIREO_A_VM_REASON]) == reason &&
		    !strcmp(nla_str(rep.tb[VIREO_A_VM_NAME]), name) &&
		    rep.tb[VIREO_A_VM_OWNER_UID] && !nla_u32(rep.tb[VIREO_A_VM_OWNER_UID]))
			return true;
		tap_diag("VM %u: event %u state %u reason %u, want %u %u %u", id, rep.cmd,
			 nla_u32(rep.tb[VIREO_A_VM_STATE]), nla_u32(rep.tb[VIREO_A_VM_REASON]),
			 cmd, state, reason);
		return false;
	}
	tap_diag("VM %u: no event %u within 3 s", id, cmd);
	return false;
}

static void test_lifecycle(void)
{
	struct nlc_reply rep;
	struct nlc ev;
	u32 id;
	bool ok;
	int fd, e1, e2, n;

	tap_ok(!nlc_open(&ev) && !nlc_subscribe(&ev), "root joins the events group");
	fd = create_vm("nl-life", &id);

	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, 0, "nl-life", &res);
	tap_ok(!res.error && vm_get(id, NULL, &rep) &&
	       nla_u32(rep.tb[VIREO_A_VM_STATE]) == VIREO_VM_STATE_PAUSED &&
	       nla_u32(rep.tb[VIREO_A_VM_REASON]) == VIREO_VM_REASON_ADMIN,
	       "vm-pause by name: state paused, reason admin");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, id, NULL, &res);
	tap_ok(err_is(EALREADY, "paused"), "vm-pause of a paused VM: EALREADY");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, id, NULL, &res);
	tap_ok(!res.error && vm_state(id) == VIREO_VM_STATE_CREATED,
	       "vm-resume: back to created (it never ran)");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, id, NULL, &res);
	tap_ok(err_is(EINVAL, "not paused"), "vm-resume of a VM that is not paused: EINVAL");

	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, id, NULL, &res);
	tap_ok(!res.error && vm_get(id, NULL, &rep) &&
	       nla_u32(rep.tb[VIREO_A_VM_STATE]) == VIREO_VM_STATE_DESTROYED &&
	       nla_u32(rep.tb[VIREO_A_VM_REASON]) == VIREO_VM_REASON_ADMIN &&
	       dump_has(&nl, id, &n),
	       "vm-destroy: state destroyed, reason admin, still listed while its fd is open");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, id, NULL, &res);
	e1 = res.error;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, id, NULL, &res);
	e2 = res.error;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, id, NULL, &res);
	tap_ok(e1 == EALREADY && e2 == ENODEV && err_is(ENODEV, "destroyed"),
	       "a destroyed VM: destroy EALREADY, pause and resume ENODEV (%d %d)", e1, e2);

	ok = true;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, 0x7ffffff0, NULL, &res);
	ok &= err_is(ENOENT, NULL);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, 0, "nl-nobody", &res);
	ok &= err_is(ENOENT, NULL);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, 0x7ffffff0, NULL, &res);
	ok &= err_is(ENOENT, NULL);
	tap_ok(ok, "vm-pause, vm-resume, vm-destroy of an unknown VM: ENOENT");
	ok = true;
	for (n = VIREO_CMD_VM_PAUSE; n <= VIREO_CMD_VM_DESTROY; n++) {
		struct nlc_msg m;

		nlc_start(&nl, &m, n, 0);
		nlc_call(&nl, &m, &res);
		ok &= err_is(EINVAL, NULL);
	}
	tap_ok(ok, "vm-pause, vm-resume, vm-destroy without id or name: EINVAL");

	close(fd);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, id, NULL, &res);
	tap_ok(err_is(ENOENT, NULL) && !dump_has(&nl, id, &n) && n >= 0,
	       "once its fd is closed, the VM is gone from vm-get and the dump");

	ok = next_event(&ev, id, VIREO_CMD_VM_CREATED, VIREO_VM_STATE_CREATED,
			VIREO_VM_REASON_NONE, "nl-life") &&
	     next_event(&ev, id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_PAUSED,
			VIREO_VM_REASON_ADMIN, "nl-life") &&
	     next_event(&ev, id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_CREATED,
			VIREO_VM_REASON_ADMIN, "nl-life") &&
	     next_event(&ev, id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_DESTROYED,
			VIREO_VM_REASON_ADMIN, "nl-life") &&
	     next_event(&ev, id, VIREO_CMD_VM_DESTROYED, VIREO_VM_STATE_DESTROYED,
			VIREO_VM_REASON_ADMIN, "nl-life");
	tap_ok(ok, "events in order: created, paused, created, destroyed (state), destroyed");
	nlc_close(&ev);
}

/* Drop CAP_NET_ADMIN from the effective and permitted sets. */
static int drop_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_NET_ADMIN / 32].effective &= ~(1U << (CAP_NET_ADMIN % 32));
	d[CAP_NET_ADMIN / 32].permitted &= ~(1U << (CAP_NET_ADMIN % 32));
	return syscall(SYS_capset, &h, d);
}

/* Root without CAP_NET_ADMIN: reads its own VMs, changes nothing. */
static void child_no_net_admin(u32 b)
{
	struct nlc c;
	bool ok;

	if (drop_net_admin() || nlc_open(&c)) {
		child_ok(false, "no CAP_NET_ADMIN: set up: %s", strerror(errno));
		exit(1);
	}
	nlc_vm_cmd(&c, VIREO_CMD_VM_PAUSE, b, NULL, &res);
	ok = res.error == EPERM;
	nlc_vm_cmd(&c, VIREO_CMD_VM_RESUME, b, NULL, &res);
	ok &= res.error == EPERM;
	nlc_vm_cmd(&c, VIREO_CMD_VM_DESTROY, b, NULL, &res);
	ok &= res.error == EPERM;
	child_ok(ok, "without CAP_NET_ADMIN: vm-pause, vm-resume, vm-destroy fail with EPERM");
	child_ok(nlc_subscribe(&c) && errno == EPERM,
		 "without CAP_NET_ADMIN: joining the events group fails with EPERM");
	nlc_vm_cmd(&c, VIREO_CMD_VM_GET, b, NULL, &res);
	child_ok(!res.error && res.nreplies == 1,
		 "without CAP_NET_ADMIN, as uid 0: vm-get of a VM uid 0 created works");
	exit(0);
}

/* uid 1000: sees only its own VM. @sync: tell the parent, wait for it. */
static void child_user(u32 b, int sync_w, int sync_r)
{
	struct nlc_reply rep;
	u32 mine;
	unsigned int id;
	struct nlc c;
	int fd, n;
	bool found;
	char x;

	if (setresgid(USER_UID, USER_UID, USER_UID) || setresuid(USER_UID, USER_UID, USER_UID) ||
	    nlc_open(&c)) {
		child_ok(false, "uid %d: set up: %s", USER_UID, strerror(errno));
		exit(1);
	}
	/* sys_fd was opened as root; the VM belongs to the creator's euid. */
	fd = vireo_create_vm(sys_fd, "nl-user", &id);
	mine = id;
	child_ok(fd >= 0, "uid %d creates a VM through a /dev/vireo fd opened by root", USER_UID);

	nlc_vm_cmd(&c, VIREO_CMD_VM_GET, mine, NULL, &res);
	child_ok(!res.error && nlc_reply_at(&res, 0, &rep) &&
		 nla_u32(rep.tb[VIREO_A_VM_OWNER_UID]) == USER_UID,
		 "uid %d: vm-get of its VM works, owner-uid %d", USER_UID, USER_UID);
	found = dump_has(&c, mine, &n);
	child_ok(found && n == 1, "uid %d: the dump lists its VM only (%d replies)", USER_UID, n);
	nlc_vm_cmd(&c, VIREO_CMD_VM_GET, b, NULL, &res);
	n = res.error;
	nlc_vm_cmd(&c, VIREO_CMD_VM_GET, 0, "nl-b", &res);
	child_ok(n == ENOENT && res.error == ENOENT,
		 "uid %d: vm-get of root's VM by id or name: ENOENT, as if absent", USER_UID);
	nlc_vm_cmd(&c, VIREO_CMD_VM_STATS, b, NULL, &res);
	n = res.error;
	nlc_vm_cmd(&c, VIREO_CMD_VM_STATS, mine, NULL, &res);
	child_ok(n == ENOENT && !res.error,
		 "uid %d: vm-stats of root's VM: ENOENT; of its own: works", USER_UID);
	nlc_vm_cmd(&c, VIREO_CMD_VM_PAUSE, mine, NULL, &res);
	child_ok(res.error == EPERM, "uid %d: vm-pause of its own VM: EPERM", USER_UID);
	{
		struct nlc_msg m;

		nlc_start(&c, &m, VIREO_CMD_CAPS_GET, 0);
		nlc_call(&c, &m, &res);
		child_ok(!res.error && res.nreplies == 1, "uid %d: caps-get works", USER_UID);
	}
	if (write(sync_w, &mine, sizeof(mine)) != sizeof(mine) || read(sync_r, &x, 1) != 1)
		exit(1);
	close(fd);
	exit(0);
}

static void test_permissions(u32 b)
{
	int to_parent[2], to_child[2];
	struct nlc_reply rep;
	u32 theirs = 0;
	pid_t pid;

	pid = fork();
	if (!pid)
		child_no_net_admin(b);
	child_report(pid, 3, "no CAP_NET_ADMIN");

	if (pipe(to_parent) || pipe(to_child))
		tap_bail("pipe: %s", strerror(errno));
	pid = fork();
	if (!pid)
		child_user(b, to_parent[1], to_child[0]);
	if (read(to_parent[0], &theirs, sizeof(theirs)) == sizeof(theirs))
		tap_ok(vm_get(theirs, NULL, &rep) &&
		       nla_u32(rep.tb[VIREO_A_VM_OWNER_UID]) == USER_UID &&
		       nla_u32(rep.tb[VIREO_A_VM_OWNER_PID]) == (u32)pid,
		       "root sees uid %d's VM, its owner uid and pid", USER_UID);
	else
		tap_ok(false, "root sees uid %d's VM: the child failed", USER_UID);
	if (write(to_child[1], "x", 1) != 1)
		tap_diag("cannot wake the child");
	child_report(pid, 7, "uid 1000");
}

/* A VM in another network namespace is not seen from this one, nor its events. */
static void child_netns(int sync_w)
{
	struct nlc c, ev;
	struct nlc_reply rep;
	static char buf[NLC_BUF];
	u32 id;
	int fd, n, got;

	if (unshare(CLONE_NEWNET)) {
		child_ok(false, "SKIP %s", strerror(errno));
		exit(0);
	}
	if (nlc_open(&c) || nlc_open(&ev) || nlc_subscribe(&ev)) {
		child_ok(false, "new netns: set up: %s", strerror(errno));
		exit(1);
	}
	fd = create_vm("nl-netns", &id);
	got = dump_has(&c, id, &n);
	child_ok(got && n == 1,
		 "in a new network namespace, the dump lists only the VM created there");
	got = nlc_recv_event(&ev, 3000, &rep, buf, sizeof(buf));
	child_ok(got == 1 && rep.cmd == VIREO_CMD_VM_CREATED &&
		 nla_u32(rep.tb[VIREO_A_VM_ID]) == id,
		 "its vm-created event is multicast in that namespace");
	if (write(sync_w, &id, sizeof(id)) != sizeof(id))
		exit(1);
	sleep(1);		/* the parent looks for the VM meanwhile */
	close(fd);
	exit(0);
}

static void test_netns(void)
{
	static char buf[NLC_BUF];
	struct nlc_reply rep;
	int p[2], n = 0, got;
	u32 id = 0;
	struct nlc ev;
	pid_t pid;
	bool seen;

	if (pipe(p) || nlc_open(&ev) || nlc_subscribe(&ev))
		tap_bail("netns test set up: %s", strerror(errno));
	pid = fork();
	if (!pid)
		child_netns(p[1]);
	close(p[1]);
	if (read(p[0], &id, sizeof(id)) != sizeof(id)) {
		waitpid(pid, NULL, 0);
		const char *why = child->r[0].desc + 5;

		if (child->n == 1 && !strncmp(child->r[0].desc, "SKIP ", 5)) {
			tap_skip(why, "network namespaces: a VM is seen from its own only");
			tap_skip(why, "network namespaces: events stay in theirs");
			tap_skip(why, "network namespaces: other namespaces see nothing");
			child->n = 0;
			return;
		}
		child_report(pid, 3, "netns");
		return;
	}
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, id, NULL, &res);
	n = res.error;
	seen = dump_has(&nl, id, &got);
	while ((got = nlc_recv_event(&ev, 500, &rep, buf, sizeof(buf))) == 1)
		seen |= nla_u32(rep.tb[VIREO_A_VM_ID]) == id;
	child_report(pid, 2, "netns");
	tap_ok(n == ENOENT && !seen,
	       "the initial namespace sees neither that VM (vm-get ENOENT, dump) nor its events");
	nlc_close(&ev);
}

int main(void)
{
	u32 a, b, c;
	int fa, fb, fc;

	tap_plan(47);
	sys_fd = vireo_open();
	if (nlc_open(&nl))
		tap_bail("no netlink family \"%s\": %s", VIREO_FAMILY_NAME, strerror(errno));
	child = mmap(NULL, sizeof(*child), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		     -1, 0);
	if (child == MAP_FAILED)
		tap_bail("mmap: %s", strerror(errno));

	test_caps();
	fa = create_vm("nl-a", &a);
	fb = create_vm("nl-b", &b);
	fc = create_vm(NULL, &c);
	test_vm_get(a, b, c);
	test_stats(a);
	test_lifecycle();
	test_permissions(b);
	test_netns();
	close(fa);
	close(fb);
	close(fc);
	return tap_finish();
}
