// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl stats: a VM's counters (vm-stats), in total and per vCPU.
 *
 * One vm-stats request for the total and one per vCPU (vm-get says how
 * many). Human output is a table: one row per nonzero counter, one column
 * for the total and one per vCPU.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vireo_netlink.h>
#include <linux/vireo_para.h>

#include "mgmt.h"
#include "vireoctl.h"

/* VMX basic exit reasons (Intel SDM vol. 3, appendix C). */
static const char * const vmx_exit_names[VIREO_STATS_VMX_EXITS] = {
	[0] = "exception-nmi", [1] = "external-interrupt", [2] = "triple-fault",
	[3] = "init", [4] = "sipi", [5] = "io-smi", [6] = "other-smi",
	[7] = "interrupt-window", [8] = "nmi-window", [9] = "task-switch",
	[10] = "cpuid", [11] = "getsec", [12] = "hlt", [13] = "invd",
	[14] = "invlpg", [15] = "rdpmc", [16] = "rdtsc", [17] = "rsm",
	[18] = "vmcall", [19] = "vmclear", [20] = "vmlaunch", [21] = "vmptrld",
	[22] = "vmptrst", [23] = "vmread", [24] = "vmresume", [25] = "vmwrite",
	[26] = "vmxoff", [27] = "vmxon", [28] = "cr-access", [29] = "dr-access",
	[30] = "io-instruction", [31] = "rdmsr", [32] = "wrmsr",
	[33] = "entry-fail-guest-state", [34] = "entry-fail-msr-load",
	[36] = "mwait", [37] = "monitor-trap-flag", [39] = "monitor",
	[40] = "pause", [41] = "entry-fail-mce", [43] = "tpr-below-threshold",
	[44] = "apic-access", [45] = "virtualized-eoi", [46] = "gdtr-idtr",
	[47] = "ldtr-tr", [48] = "ept-violation", [49] = "ept-misconfig",
	[50] = "invept", [51] = "rdtscp", [52] = "preemption-timer",
	[53] = "invvpid", [54] = "wbinvd", [55] = "xsetbv", [56] = "apic-write",
	[57] = "rdrand", [58] = "invpcid", [59] = "vmfunc", [60] = "encls",
	[61] = "rdseed", [62] = "pml-full", [63] = "xsaves", [64] = "xrstors",
};

static const char * const user_exit_names[VIREO_STATS_USER_EXITS] = {
	[VIREO_EXIT_NONE] = "none", [VIREO_EXIT_IO] = "io",
	[VIREO_EXIT_MMIO] = "mmio", [VIREO_EXIT_HYPERCALL] = "hypercall",
	[VIREO_EXIT_MSR] = "msr", [VIREO_EXIT_SHUTDOWN] = "shutdown",
	[VIREO_EXIT_SYSTEM_EVENT] = "system-event",
	[VIREO_EXIT_FAIL_ENTRY] = "fail-entry",
	[VIREO_EXIT_INTERNAL_ERROR] = "internal-error",
	[VIREO_EXIT_INTR] = "intr", [VIREO_EXIT_DESTROYED] = "destroyed",
};

static const char * const hc_names[VIREO_STATS_HYPERCALLS] = {
	[VIREO_HC_NOP] = "nop", [VIREO_HC_SET_FEATURES] = "set-features",
	[VIREO_HC_SYSTEM_EVENT] = "system-event", [VIREO_HC_IDLE] = "idle",
	[VIREO_HC_CONSOLE_WRITE] = "console-write",
	[VIREO_HC_CONSOLE_READ] = "console-read",
	[VIREO_HC_BLOCK_INFO] = "block-info", [VIREO_HC_BLOCK_SETUP] = "block-setup",
	[VIREO_HC_BLOCK_NOTIFY] = "block-notify",
	[VIREO_HC_CLOCK_ENABLE] = "clock-enable",
	[VIREO_STATS_HC_OTHER] = "other",
};

/* The counters of one vm-stats reply. */
struct col {
	u64 vmx[VIREO_STATS_VMX_EXITS];
	u64 user[VIREO_STATS_USER_EXITS];
	u64 hc[VIREO_STATS_HYPERCALLS];
	u64 entries, halt_sleeps, irqs, nmis;
};

/* A row of the table: a counter, found in each column by @get. */
struct row {
	char label[48];
	char key[48];
	u64 (*get)(const struct col *c, unsigned int i);
	unsigned int i;
};

static u64 get_vmx(const struct col *c, unsigned int i)
{
	return c->vmx[i];
}

static u64 get_user(const struct col *c, unsigned int i)
{
	return c->user[i];
}

static u64 get_hc(const struct col *c, unsigned int i)
{
	return c->hc[i];
}

static u64 get_total(const struct col *c, unsigned int i)
{
	const u64 v[] = { c->entries, c->halt_sleeps, c->irqs, c->nmis };

	return v[i];
}

static int parse_counter(struct nlattr *nest, u64 *arr, unsigned int n)
{
	struct nlattr *tb[VIREO_A_COUNTER_MAX + 1];
	u32 i;

	if (nla_parse_nested(tb, VIREO_A_COUNTER_MAX, nest, NULL) < 0 ||
	    !tb[VIREO_A_COUNTER_INDEX] || !tb[VIREO_A_COUNTER_COUNT])
		return -EBADMSG;
	i = nla_get_u32(tb[VIREO_A_COUNTER_INDEX]);
	if (i >= n)
		return -EBADMSG;
	arr[i] = nla_get_u64(tb[VIREO_A_COUNTER_COUNT]);
	return 0;
}

static int stats_reply(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct col *c = arg;
	struct nlattr *a;
	int rem, r = 0;

	if (vnl_cmd(nlh) != VIREO_CMD_VM_STATS)
		return 0;
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		switch (nla_type(a)) {
		case VIREO_A_STATS_VMX_EXIT:
			r = parse_counter(a, c->vmx, VIREO_STATS_VMX_EXITS);
			break;
		case VIREO_A_STATS_USER_EXIT:
			r = parse_counter(a, c->user, VIREO_STATS_USER_EXITS);
			break;
		case VIREO_A_STATS_HYPERCALL:
			r = parse_counter(a, c->hc, VIREO_STATS_HYPERCALLS);
			break;
		}
		if (r)
			return r;
	}
	c->entries = tb[VIREO_A_STATS_ENTRIES] ? nla_get_u64(tb[VIREO_A_STATS_ENTRIES]) : 0;
	c->halt_sleeps = tb[VIREO_A_STATS_HALT_SLEEPS] ?
			 nla_get_u64(tb[VIREO_A_STATS_HALT_SLEEPS]) : 0;
	c->irqs = tb[VIREO_A_STATS_INJECTED_IRQS] ?
		  nla_get_u64(tb[VIREO_A_STATS_INJECTED_IRQS]) : 0;
	c->nmis = tb[VIREO_A_STATS_INJECTED_NMIS] ?
		  nla_get_u64(tb[VIREO_A_STATS_INJECTED_NMIS]) : 0;
	return 0;
}

/* vm-stats of @vm, for @vcpu or (-1) the total. Returns 0 or -errno. */
static int get_stats(struct vnl *v, const char *vm, long vcpu, struct col *c)
{
	struct vnl_err err;
	struct nl_msg *msg;
	char what[64];

	memset(c, 0, sizeof(*c));
	msg = vnl_msg(v, VIREO_CMD_VM_STATS, 0);
	if (!msg || mgmt_put_vm(msg, vm, VIREO_A_STATS_ID, VIREO_A_STATS_NAME) ||
	    (vcpu >= 0 && nla_put_u32(msg, VIREO_A_STATS_VCPU, vcpu) < 0)) {
		nlmsg_free(msg);
		return -EINVAL;
	}
	vnl_request(v, msg, VIREO_A_STATS_MAX, stats_reply, c, &err);
	if (err.error) {
		if (vcpu >= 0)
			snprintf(what, sizeof(what), "stats of VM %s vCPU %ld", vm, vcpu);
		else
			snprintf(what, sizeof(what), "stats of VM %s", vm);
		vnl_report(what, &err);
	}
	return -err.error;
}

static int count_vcpus(struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	if (vnl_cmd(nlh) == VIREO_CMD_VM_GET && tb[VIREO_A_VM_NR_VCPUS])
		*(long *)arg = nla_get_u32(tb[VIREO_A_VM_NR_VCPUS]);
	return 0;
}

static long nr_vcpus(struct vnl *v, const char *vm)
{
	struct vnl_err err;
	struct nl_msg *msg;
	char what[64];
	long n = -1;

	msg = vnl_msg(v, VIREO_CMD_VM_GET, 0);
	if (!msg || mgmt_put_vm(msg, vm, VIREO_A_VM_ID, VIREO_A_VM_NAME)) {
		nlmsg_free(msg);
		return -1;
	}
	vnl_request(v, msg, VIREO_A_VM_MAX, count_vcpus, &n, &err);
	if (err.error) {
		snprintf(what, sizeof(what), "VM %s", vm);
		vnl_report(what, &err);
		return -1;
	}
	return n;
}

static void add_row(struct row *rows, size_t *n, const char *group, const char *name,
		    unsigned int i, u64 (*get)(const struct col *, unsigned int))
{
	struct row *r = &rows[(*n)++];

	if (name) {
		snprintf(r->label, sizeof(r->label), "%s%s%s", group, *group ? " " : "", name);
		snprintf(r->key, sizeof(r->key), "%s", name);
	} else {
		snprintf(r->label, sizeof(r->label), "%s %u", group, i);
		snprintf(r->key, sizeof(r->key), "%u", i);
	}
	r->get = get;
	r->i = i;
}

/* The rows worth showing: counters nonzero in any column. */
static size_t make_rows(struct row *rows, const struct col *cols, size_t ncols)
{
	static const char * const totals[] = {
		"entries", "halt-sleeps", "injected-irqs", "injected-nmis",
	};
	size_t n = 0, k;
	unsigned int i;
	u64 any;

	for (i = 0; i < ARRAY_SIZE(totals); i++)
		add_row(rows, &n, "", totals[i], i, get_total);
	for (i = 0; i < VIREO_STATS_VMX_EXITS; i++) {
		for (any = 0, k = 0; k < ncols; k++)
			any |= cols[k].vmx[i];
		if (any)
			add_row(rows, &n, "vmx-exit", vmx_exit_names[i], i, get_vmx);
	}
	for (i = 0; i < VIREO_STATS_USER_EXITS; i++) {
		for (any = 0, k = 0; k < ncols; k++)
			any |= cols[k].user[i];
		if (any)
			add_row(rows, &n, "user-exit", user_exit_names[i], i, get_user);
	}
	for (i = 0; i < VIREO_STATS_HYPERCALLS; i++) {
		for (any = 0, k = 0; k < ncols; k++)
			any |= cols[k].hc[i];
		if (any)
			add_row(rows, &n, "hypercall", hc_names[i], i, get_hc);
	}
	return n;
}

static void print_table(const struct row *rows, size_t nrows, const struct col *cols,
			const long *vcpus, size_t ncols)
{
	char head[32];
	size_t r, k;

	printf("%-32s", "COUNTER");
	for (k = 0; k < ncols; k++) {
		if (vcpus[k] < 0)
			snprintf(head, sizeof(head), "TOTAL");
		else
			snprintf(head, sizeof(head), "VCPU%ld", vcpus[k]);
		printf(" %14s", head);
	}
	putchar('\n');
	for (r = 0; r < nrows; r++) {
		printf("%-32s", rows[r].label);
		for (k = 0; k < ncols; k++)
			printf(" %14llu", rows[r].get(&cols[k], rows[r].i));
		putchar('\n');
	}
}

/* {"entries":N,...,"vmx_exits":{"hlt":N},"user_exits":{},"hypercalls":{}} */
static void print_json_col(const struct row *rows, size_t nrows, const struct col *c)
{
	static const char * const groups[] = { "vmx-exit", "user-exit", "hypercall" };
	static const char * const keys[] = { "vmx_exits", "user_exits", "hypercalls" };
	size_t r, g;
	bool first;

	printf("\"entries\":%llu,\"halt_sleeps\":%llu", c->entries, c->halt_sleeps);
	printf(",\"injected_irqs\":%llu,\"injected_nmis\":%llu", c->irqs, c->nmis);
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		printf(",\"%s\":{", keys[g]);
		first = true;
		for (r = 0; r < nrows; r++) {
			if (strncmp(rows[r].label, groups[g], strlen(groups[g])) ||
			    !rows[r].get(c, rows[r].i))
				continue;
			printf("%s", first ? "" : ",");
			json_string(stdout, rows[r].key);
			printf(":%llu", rows[r].get(c, rows[r].i));
			first = false;
		}
		putchar('}');
	}
}

int cmd_stats(int argc, char **argv)
{
	struct row *rows = NULL;
	struct col *cols = NULL;
	long *vcpus = NULL;
	struct mgmt_opts o;
	size_t ncols, nrows, k;
	int r = EXIT_ERROR;
	struct vnl v;
	long n;

	r = mgmt_args(argc, argv, OPT_VM | OPT_JSON | OPT_VCPU, &o);
	if (r)
		return r;
	if (vnl_open(&v))
		return EXIT_ERROR;
	r = EXIT_ERROR;
	n = o.vcpu >= 0 ? 0 : nr_vcpus(&v, o.vm);
	if (n < 0)
		goto out;
	ncols = 1 + n;
	cols = calloc(ncols, sizeof(*cols));
	vcpus = calloc(ncols, sizeof(*vcpus));
	rows = calloc(4 + VIREO_STATS_VMX_EXITS + VIREO_STATS_USER_EXITS +
		      VIREO_STATS_HYPERCALLS, sizeof(*rows));
	if (!cols || !vcpus || !rows) {
		vireoctl_err("out of memory");
		goto out;
	}
	vcpus[0] = o.vcpu;
	for (k = 1; k < ncols; k++)
		vcpus[k] = k - 1;
	for (k = 0; k < ncols; k++)
		if (get_stats(&v, o.vm, vcpus[k], &cols[k]))
			goto out;

	nrows = make_rows(rows, cols, ncols);
	if (!o.json) {
		print_table(rows, nrows, cols, vcpus, ncols);
	} else if (o.vcpu >= 0) {
		printf("{\"vcpu\":%ld,", o.vcpu);
		print_json_col(rows, nrows, &cols[0]);
		puts("}");
	} else {
		printf("{\"total\":{");
		print_json_col(rows, nrows, &cols[0]);
		printf("},\"vcpus\":[");
		for (k = 1; k < ncols; k++) {
			printf("%s{\"vcpu\":%ld,", k > 1 ? "," : "", vcpus[k]);
			print_json_col(rows, nrows, &cols[k]);
			putchar('}');
		}
		puts("]}");
	}
	r = EXIT_OK;
out:
	free(rows);
	free(vcpus);
	free(cols);
	vnl_close(&v);
	return r;
}
