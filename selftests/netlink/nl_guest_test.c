// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netlink family "vireo" on VMs that run guests: pause and resume shown
 * by a guest's progress stopping and restarting, statistics against the
 * exits the VMM handled, destroy of a VM whose VMM is blocked in VIREO_RUN
 * (in HLT, in a pause), and the family's consistency after VMMs are killed
 * with SIGKILL, running or paused.
 *
 * The guests are guest.c's: a memory counter the host reads without any
 * exit, one port I/O exit per step, or CLI; HLT. Each VMM here is a thread
 * (or, for SIGKILL, a child process) looping on VIREO_RUN. Needs vireo.ko
 * loaded on a CPU with VMX, run as root.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/vireo_netlink.h>

#include "guest.h"
#include "nl.h"
#include "tap.h"
#include "vireo_util.h"

/* VMX basic exit reason of I/O instructions. */
#define VMX_EXIT_IO	30

static struct nlc nl, ev;
static struct nlc_result res;
static int sys_fd;

/* A VMM thread: one VIREO_RUN loop on one tiny VM. */
struct vmm {
	struct tinyvm t;
	pthread_t thread;
	int done;		/* the loop returned (atomic) */
	int result;		/* tinyvm_run()'s result, valid once done */
	int again;		/* the result of one more VIREO_RUN after it */
};

static void *vmm_loop(void *arg)
{
	struct vmm *v = arg;

	v->result = tinyvm_run(&v->t);
	v->again = tinyvm_run(&v->t);
	__atomic_store_n(&v->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void vmm_start(struct vmm *v, const char *name, enum tiny_guest g)
{
	int r;

	memset(v, 0, sizeof(*v));
	r = tinyvm_create(&v->t, sys_fd, name, g);
	if (r)
		tap_bail("VM %s: %s", name, strerror(-r));
	if (pthread_create(&v->thread, NULL, vmm_loop, v))
		tap_bail("pthread_create");
}

/* Wait for the VMM thread's loop to return, at most @ms. */
static bool vmm_wait(struct vmm *v, int ms)
{
	for (; ms > 0 && !__atomic_load_n(&v->done, __ATOMIC_ACQUIRE); ms -= 10)
		usleep(10000);
	if (!__atomic_load_n(&v->done, __ATOMIC_ACQUIRE))
		return false;
	pthread_join(v->thread, NULL);
	return true;
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Wait until the guest's counter passes @above, at most @ms. */
static bool counter_passes(const struct tinyvm *t, u32 above, int ms)
{
	u64 end = now_ms() + ms;

	while (now_ms() < end) {
		if (tinyvm_counter(t) > above)
			return true;
		usleep(1000);
	}
	return false;
}

static u32 vm_state(u32 id, u32 *reason)
{
	struct nlc_reply rep;

	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, id, NULL, &res);
	if (res.error || !nlc_reply_at(&res, 0, &rep))
		return ~0U;
	if (reason)
		*reason = nla_u32(rep.tb[VIREO_A_VM_REASON]);
	return nla_u32(rep.tb[VIREO_A_VM_STATE]);
}

/* Wait until vm-get of @id fails with ENOENT, at most @ms. */
static bool vm_gone(u32 id, int ms)
{
	for (; ms > 0; ms -= 10) {
		nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, id, NULL, &res);
		if (res.error == ENOENT)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Wait for the event @cmd (with @state, unless ~0) of VM @id, skipping the
 * events of other VMs: the VM's next event must be it.
 */
static bool event_seen(u32 id, u8 cmd, u32 state)
{
	static char buf[NLC_BUF];
	struct nlc_reply rep;

	while (nlc_recv_event(&ev, 5000, &rep, buf, sizeof(buf)) == 1) {
		if (nla_u32(rep.tb[VIREO_A_VM_ID]) != id)
			continue;
		if (rep.cmd == cmd &&
		    (state == ~0U || nla_u32(rep.tb[VIREO_A_VM_STATE]) == state))
			return true;
		tap_diag("VM %u: event %u state %u, want %u state %u", id, rep.cmd,
			 nla_u32(rep.tb[VIREO_A_VM_STATE]), cmd, state);
		return false;
	}
	tap_diag("VM %u: no event %u within 5 s (or the socket failed)", id, cmd);
	return false;
}

static void test_pause_resume(void)
{
	struct nlc_reply rep;
	struct vmm v;
	u32 c1, c2;
	bool ok;

	vmm_start(&v, "nlg-count", GUEST_COUNT);
	tap_ok(counter_passes(&v.t, 1000, 10000), "a running guest's counter advances");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_GET, v.t.id, NULL, &res);
	tap_ok(!res.error && nlc_reply_at(&res, 0, &rep) &&
	       nla_u32(rep.tb[VIREO_A_VM_STATE]) == VIREO_VM_STATE_RUNNING &&
	       nla_u32(rep.tb[VIREO_A_VM_NR_VCPUS]) == 1 &&
	       nla_u64(rep.tb[VIREO_A_VM_MEM_BYTES]) == 0x10000 &&
	       nla_u32(rep.tb[VIREO_A_VM_OWNER_PID]) == (u32)getpid(),
	       "vm-get: running, 1 vCPU, 64 KiB of memory, owned by this process");

	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, v.t.id, NULL, &res);
	c1 = tinyvm_counter(&v.t);
	usleep(500000);
	c2 = tinyvm_counter(&v.t);
	tap_ok(!res.error && c1 == c2 && !__atomic_load_n(&v.done, __ATOMIC_ACQUIRE),
	       "vm-pause: the counter stops (%u, 0.5 s later %u), VIREO_RUN stays blocked", c1, c2);
	tap_ok(vm_state(v.t.id, NULL) == VIREO_VM_STATE_PAUSED, "vm-get says paused");

	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, v.t.id, NULL, &res);
	tap_ok(!res.error && counter_passes(&v.t, c2 + 1000, 10000) &&
	       !__atomic_load_n(&v.done, __ATOMIC_ACQUIRE) &&
	       vm_state(v.t.id, NULL) == VIREO_VM_STATE_RUNNING,
	       "vm-resume: the counter advances again, state running");

	ok = event_seen(v.t.id, VIREO_CMD_VM_CREATED, VIREO_VM_STATE_CREATED) &&
	     event_seen(v.t.id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_RUNNING) &&
	     event_seen(v.t.id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_PAUSED) &&
	     event_seen(v.t.id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_RUNNING);
	tap_ok(ok, "events: created, running, paused, running");

	/* A paused VMM blocked in VIREO_RUN is woken by vm-destroy. */
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, v.t.id, NULL, &res);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, v.t.id, NULL, &res);
	ok = !res.error && vmm_wait(&v, 5000);
	tap_ok(ok && v.result == VIREO_EXIT_DESTROYED && v.again == VIREO_EXIT_DESTROYED,
	       "vm-destroy of a paused VM: VIREO_RUN returns DESTROYED, and again after (%d %d)",
	       v.result, v.again);
	tinyvm_close(&v.t);
	tap_ok(vm_gone(v.t.id, 2000) &&
	       event_seen(v.t.id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_PAUSED) &&
	       event_seen(v.t.id, VIREO_CMD_VM_STATE_CHANGED, VIREO_VM_STATE_DESTROYED) &&
	       event_seen(v.t.id, VIREO_CMD_VM_DESTROYED, ~0U),
	       "closed: gone from vm-get; events paused, destroyed, vm-destroyed");
}

/* The nest of @type whose index is @index in reply @rep: its count, or 0. */
static u64 counter_of(const struct nlc_reply *rep, u16 type, u32 index)
{
	const struct nlattr *a = (const struct nlattr *)((const char *)NLMSG_DATA(rep->nlh) +
							 GENL_HDRLEN);
	int len = rep->nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	for (; len >= (int)NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const struct nlattr *in = (const void *)((const char *)a + NLA_HDRLEN);
		const struct nlattr *cnt;

		if ((a->nla_type & NLA_TYPE_MASK) != type || nla_u32(in) != index)
			continue;
		cnt = (const void *)((const char *)in + NLA_ALIGN(in->nla_len));
		/* The count may follow a pad attribute. */
		while ((cnt->nla_type & NLA_TYPE_MASK) != VIREO_A_COUNTER_COUNT)
			cnt = (const void *)((const char *)cnt + NLA_ALIGN(cnt->nla_len));
		return nla_u64(cnt);
	}
	return 0;
}

static void test_stats(void)
{
	struct nlc_reply total, vcpu0;
	static struct nlc_result res2;
	struct nlc_msg m;
	u64 n, io, vmx;
	struct vmm v;

	vmm_start(&v, "nlg-out", GUEST_OUT);
	if (!counter_passes(&v.t, 200, 10000))
		tap_diag("the OUT guest made little progress: %u", tinyvm_counter(&v.t));
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, v.t.id, NULL, &res);
	usleep(200000);		/* let the VMM thread finish its last exit */
	n = __atomic_load_n(&v.t.io_exits, __ATOMIC_RELAXED);

	nlc_vm_cmd(&nl, VIREO_CMD_VM_STATS, v.t.id, NULL, &res);
	nlc_start(&nl, &m, VIREO_CMD_VM_STATS, 0);
	nlc_put_u32(&m, VIREO_A_STATS_ID, v.t.id);
	nlc_put_u32(&m, VIREO_A_STATS_VCPU, 0);
	nlc_call(&nl, &m, &res2);
	if (!nlc_reply_at(&res, 0, &total) || !nlc_reply_at(&res2, 0, &vcpu0))
		tap_bail("vm-stats failed: %s (%s)", strerror(res.error), res.extack);
	io = counter_of(&total, VIREO_A_STATS_USER_EXIT, VIREO_EXIT_IO);
	vmx = counter_of(&total, VIREO_A_STATS_VMX_EXIT, VMX_EXIT_IO);
	tap_ok(n > 0 && io == n && (vmx == n || vmx == n + 1) &&
	       nla_u64(total.tb[VIREO_A_STATS_ENTRIES]) >= n,
	       "vm-stats total: %llu VMM I/O exits (it handled %llu), %llu VMX ones, entries >= them",
	       io, n, vmx);
	tap_ok(nla_u32(vcpu0.tb[VIREO_A_STATS_VCPU]) == 0 &&
	       counter_of(&vcpu0, VIREO_A_STATS_USER_EXIT, VIREO_EXIT_IO) == io &&
	       counter_of(&vcpu0, VIREO_A_STATS_VMX_EXIT, VMX_EXIT_IO) == vmx &&
	       nla_u64(vcpu0.tb[VIREO_A_STATS_ENTRIES]) ==
	       nla_u64(total.tb[VIREO_A_STATS_ENTRIES]),
	       "vm-stats of vCPU 0 (the only one) equals the total");
	nlc_start(&nl, &m, VIREO_CMD_VM_STATS, 0);
	nlc_put_u32(&m, VIREO_A_STATS_ID, v.t.id);
	nlc_put_u32(&m, VIREO_A_STATS_VCPU, 1);
	nlc_call(&nl, &m, &res);
	tap_ok(res.error == ENOENT, "vm-stats of vCPU 1: ENOENT");

	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, v.t.id, NULL, &res);
	vmm_wait(&v, 5000);
	tinyvm_close(&v.t);
}

static void test_destroy_in_hlt(void)
{
	u32 reason = 0;
	struct vmm v;
	bool ok;

	vmm_start(&v, "nlg-halt", GUEST_HALT);
	usleep(500000);
	tap_ok(!__atomic_load_n(&v.done, __ATOMIC_ACQUIRE) &&
	       vm_state(v.t.id, NULL) == VIREO_VM_STATE_RUNNING,
	       "a guest in CLI; HLT: VIREO_RUN blocks in the kernel");
	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, v.t.id, NULL, &res);
	ok = !res.error && vmm_wait(&v, 5000);
	tap_ok(ok && v.result == VIREO_EXIT_DESTROYED && v.again == VIREO_EXIT_DESTROYED,
	       "vm-destroy wakes it: VIREO_RUN returns DESTROYED, and again after (%d %d)",
	       v.result, v.again);
	tap_ok(vm_state(v.t.id, &reason) == VIREO_VM_STATE_DESTROYED &&
	       reason == VIREO_VM_REASON_ADMIN,
	       "until its fds close the VM is listed as destroyed by admin");
	tinyvm_close(&v.t);
	tap_ok(vm_gone(v.t.id, 2000), "its fds closed, the VM is gone");
}

/* A child process VMM that runs @name until killed. Returns its pid. */
static pid_t child_vmm(const char *name, u32 *id)
{
	int p[2];
	pid_t pid;
	struct tinyvm t;

	if (pipe(p))
		tap_bail("pipe");
	pid = fork();
	if (!pid) {
		if (tinyvm_create(&t, sys_fd, name, GUEST_COUNT))
			exit(1);
		if (write(p[1], &t.id, sizeof(t.id)) != sizeof(t.id))
			exit(1);
		tinyvm_run(&t);
		exit(2);
	}
	close(p[1]);
	if (read(p[0], id, sizeof(*id)) != sizeof(*id))
		tap_bail("child VMM %s did not start", name);
	close(p[0]);
	return pid;
}

/* Both VMs' vm-destroyed events, in whichever order their VMs went. */
static bool destroyed_events(u32 a, u32 b)
{
	static char buf[NLC_BUF];
	bool seen_a = false, seen_b = false;
	struct nlc_reply rep;
	u32 id;

	while (!(seen_a && seen_b) && nlc_recv_event(&ev, 5000, &rep, buf, sizeof(buf)) == 1) {
		if (rep.cmd != VIREO_CMD_VM_DESTROYED)
			continue;
		id = nla_u32(rep.tb[VIREO_A_VM_ID]);
		seen_a |= id == a;
		seen_b |= id == b;
	}
	if (!(seen_a && seen_b))
		tap_diag("vm-destroyed of VM %u: %s, of VM %u: %s", a, seen_a ? "seen" : "missing",
			 b, seen_b ? "seen" : "missing");
	return seen_a && seen_b;
}

static void test_sigkill(void)
{
	struct nlc_reply rep;
	u32 a, b, c;
	struct vmm v;
	pid_t pa, pb;
	int i, n = 0, status;
	bool ok;

	pa = child_vmm("nlg-kill-run", &a);
	pb = child_vmm("nlg-kill-paused", &b);
	for (i = 0; i < 500 && (vm_state(a, NULL) != VIREO_VM_STATE_RUNNING ||
				vm_state(b, NULL) != VIREO_VM_STATE_RUNNING); i++)
		usleep(10000);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, b, NULL, &res);
	tap_ok(!res.error && vm_state(a, NULL) == VIREO_VM_STATE_RUNNING &&
	       vm_state(b, NULL) == VIREO_VM_STATE_PAUSED,
	       "two child VMMs: one running, one paused");

	kill(pa, SIGKILL);
	kill(pb, SIGKILL);
	waitpid(pa, &status, 0);
	ok = WIFSIGNALED(status);
	waitpid(pb, &status, 0);
	ok &= WIFSIGNALED(status);
	tap_ok(ok && vm_gone(a, 2000) && vm_gone(b, 2000),
	       "SIGKILL of both VMMs (one in guest mode, one blocked in a pause): both VMs gone");
	tap_ok(destroyed_events(a, b), "a vm-destroyed event for each");

	{
		struct nlc_msg m;

		nlc_start(&nl, &m, VIREO_CMD_VM_GET, NLM_F_DUMP);
		nlc_call(&nl, &m, &res);
		for (i = 0; nlc_reply_at(&res, i, &rep); i++) {
			c = nla_u32(rep.tb[VIREO_A_VM_ID]);
			n += c == a || c == b;
		}
		tap_ok(!res.error && !n && res.nreplies == 0,
		       "the dump lists no VM (%d replies)", res.nreplies);
	}

	vmm_start(&v, "nlg-after", GUEST_COUNT);
	ok = counter_passes(&v.t, 100, 10000);
	nlc_vm_cmd(&nl, VIREO_CMD_VM_PAUSE, 0, "nlg-after", &res);
	ok &= !res.error;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_RESUME, 0, "nlg-after", &res);
	ok &= !res.error;
	nlc_vm_cmd(&nl, VIREO_CMD_VM_DESTROY, 0, "nlg-after", &res);
	ok &= !res.error && vmm_wait(&v, 5000) && v.result == VIREO_EXIT_DESTROYED;
	tinyvm_close(&v.t);
	tap_ok(ok && vm_gone(v.t.id, 2000),
	       "afterwards a new VM runs, pauses, resumes and is destroyed as usual");
}

int main(void)
{
	tap_plan(20);
	sys_fd = vireo_open();
	if (nlc_open(&nl) || nlc_open(&ev) || nlc_subscribe(&ev))
		tap_bail("netlink family \"%s\": %s", VIREO_FAMILY_NAME, strerror(errno));
	/* Guests that exit first: a vCPU that cannot be stopped stops the rest. */
	test_stats();
	test_destroy_in_hlt();
	test_sigkill();
	test_pause_resume();
	return tap_finish();
}
