// SPDX-License-Identifier: GPL-2.0-only
/*
 * vireoctl: helpers of the management commands.
 *
 * A VM is named on the command line by its id (digits only) or by its
 * name; a VM whose name is all digits is named by its id. Every management
 * command takes --json for scripts; human output is the default.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vireo_netlink.h>
#include <linux/vireo_para.h>

#include "mgmt.h"
#include "vireoctl.h"

static long parse_number(const char *s, long max)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v > max)
		return -1;
	return v;
}

/* An id (digits, fits 32 bits) or a name: 1 to 31 of [A-Za-z0-9._-]. */
static bool vm_arg_valid(const char *vm)
{
	size_t len = strlen(vm), i;

	if (parse_number(vm, UINT32_MAX) >= 0)
		return true;
	if (!len || len >= VIREO_VM_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)vm[i]) && !strchr("._-", vm[i]))
			return false;
	return true;
}

/*
 * Parse a management command's arguments (argv[0] is the command) into
 * @o, accepting the OPT_* of @allowed. Returns 0, or EXIT_USAGE after
 * saying what is wrong.
 */
int mgmt_args(int argc, char **argv, unsigned int allowed, struct mgmt_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "vcpu", required_argument, NULL, 'v' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	int c;

	memset(o, 0, sizeof(*o));
	o->vcpu = -1;
	o->count = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (!(allowed & OPT_JSON))
				goto bad_option;
			o->json = true;
			break;
		case 'v':
			if (!(allowed & OPT_VCPU))
				goto bad_option;
			o->vcpu = parse_number(optarg, UINT32_MAX);
			if (o->vcpu < 0) {
				vireoctl_err("%s: --vcpu takes a vCPU number, not '%s'",
					     cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (!(allowed & OPT_COUNT))
				goto bad_option;
			o->count = parse_number(optarg, INT32_MAX);
			if (o->count < 1) {
				vireoctl_err("%s: --count takes a number of events, not '%s'",
					     cmd, optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			goto bad_option;
		}
	}
	if (allowed & OPT_VM) {
		if (optind >= argc) {
			vireoctl_err("%s: which VM? give its id or name", cmd);
			return EXIT_USAGE;
		}
		o->vm = argv[optind++];
		if (!vm_arg_valid(o->vm)) {
			vireoctl_err("%s: '%s' is neither a VM id nor a VM name", cmd, o->vm);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		vireoctl_err("%s: unexpected argument '%s'", cmd, argv[optind]);
		return EXIT_USAGE;
	}
	return 0;

bad_option:
	vireoctl_err("%s: unknown option '%s'; try 'vireoctl help'", cmd, argv[optind - 1]);
	return EXIT_USAGE;
}

/*
 * Put the VM argument (checked by mgmt_args()) into a request: @id_attr
 * for digits, else @name_attr. Returns 0 or -1 after saying why.
 */
int mgmt_put_vm(struct nl_msg *msg, const char *vm, int id_attr, int name_attr)
{
	long id = parse_number(vm, UINT32_MAX);
	int r;

	if (id >= 0)
		r = nla_put_u32(msg, id_attr, id);
	else
		r = nla_put_string(msg, name_attr, vm);
	if (r < 0) {
		vireoctl_err("out of memory");
		return -1;
	}
	return 0;
}

static u32 get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static u64 get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static void get_string(char *dst, size_t size, struct nlattr *a)
{
	dst[0] = 0;
	if (a)
		snprintf(dst, size, "%.*s", (int)strnlen(nla_data(a), nla_len(a)),
			 (char *)nla_data(a));
}

/* Fill @vm from the attributes of a vm-get reply or an event. */
void vm_info_parse(struct nlattr **tb, struct vm_info *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->id = get_u32(tb[VIREO_A_VM_ID]);
	get_string(vm->name, sizeof(vm->name), tb[VIREO_A_VM_NAME]);
	vm->has_pid = tb[VIREO_A_VM_OWNER_PID];
	vm->pid = get_u32(tb[VIREO_A_VM_OWNER_PID]);
	vm->has_uid = tb[VIREO_A_VM_OWNER_UID];
	vm->uid = get_u32(tb[VIREO_A_VM_OWNER_UID]);
	vm->state = get_u32(tb[VIREO_A_VM_STATE]);
	vm->reason = get_u32(tb[VIREO_A_VM_REASON]);
	get_string(vm->reason_text, sizeof(vm->reason_text), tb[VIREO_A_VM_REASON_TEXT]);
	vm->nr_vcpus = get_u32(tb[VIREO_A_VM_NR_VCPUS]);
	vm->mem_bytes = get_u64(tb[VIREO_A_VM_MEM_BYTES]);
	vm->pv_offered = get_u32(tb[VIREO_A_VM_PV_OFFERED]);
	vm->pv_enabled = get_u32(tb[VIREO_A_VM_PV_ENABLED]);
	vm->uptime_ns = get_u64(tb[VIREO_A_VM_UPTIME_NS]);
}

const char *vm_state_name(u32 state)
{
	static const char * const names[] = {
		[VIREO_VM_STATE_CREATED] = "created",
		[VIREO_VM_STATE_RUNNING] = "running",
		[VIREO_VM_STATE_PAUSED] = "paused",
		[VIREO_VM_STATE_SHUTDOWN] = "shutdown",
		[VIREO_VM_STATE_CRASHED] = "crashed",
		[VIREO_VM_STATE_DESTROYED] = "destroyed",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

const char *vm_reason_name(u32 reason)
{
	static const char * const names[] = {
		[VIREO_VM_REASON_NONE] = "none",
		[VIREO_VM_REASON_ADMIN] = "admin",
		[VIREO_VM_REASON_POWEROFF] = "poweroff",
		[VIREO_VM_REASON_RESET] = "reset",
		[VIREO_VM_REASON_PANIC] = "panic",
		[VIREO_VM_REASON_TRIPLE_FAULT] = "triple-fault",
		[VIREO_VM_REASON_INTERNAL_ERROR] = "internal-error",
		[VIREO_VM_REASON_ENTRY_FAILED] = "entry-failed",
	};

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

/* "console,clock", "-" for none; unknown bits as hex. */
void fmt_pv(char *buf, size_t size, u32 features)
{
	static const struct { u32 bit; const char *name; } pv[] = {
		{ VIREO_PV_F_CONSOLE, "console" },
		{ VIREO_PV_F_BLOCK, "block" },
		{ VIREO_PV_F_CLOCK, "clock" },
		{ VIREO_PV_F_SYSTEM, "system" },
		{ VIREO_PV_F_IDLE, "idle" },
	};
	size_t i, len = 0;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(pv); i++) {
		if (!(features & pv[i].bit))
			continue;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "," : "", pv[i].name);
		features &= ~pv[i].bit;
	}
	if (features)
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%#x",
				len ? "," : "", features);
	if (!len)
		snprintf(buf, size, "-");
}

/* "3d04h", "2h05m", "5m12s", "42s" */
void fmt_duration(char *buf, size_t size, u64 ns)
{
	u64 s = ns / 1000000000ULL;

	if (s >= 86400)
		snprintf(buf, size, "%llud%02lluh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%lluh%02llum", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		snprintf(buf, size, "%llum%02llus", s / 60, s % 60);
	else
		snprintf(buf, size, "%llus", s);
}

/* "512M", "1.5G", "64K", "0" */
void fmt_bytes(char *buf, size_t size, u64 bytes)
{
	static const char units[] = "KMGTPE";
	double v = bytes;
	int u = -1;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%llu", bytes);
	else if (v == (u64)v)
		snprintf(buf, size, "%llu%c", (u64)v, units[u]);
	else
		snprintf(buf, size, "%.1f%c", v, units[u]);
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * @vm as JSON object members (no braces); @full adds what only vm-get
 * says (the events carry id, name, owner-uid, state and reason).
 */
void vm_info_json(FILE *f, const struct vm_info *vm, bool full)
{
	fprintf(f, "\"id\":%u,\"name\":", vm->id);
	json_string(f, vm->name);
	fprintf(f, ",\"state\":\"%s\",\"reason\":\"%s\"", vm_state_name(vm->state),
		vm_reason_name(vm->reason));
	if (vm->reason_text[0]) {
		fputs(",\"reason_text\":", f);
		json_string(f, vm->reason_text);
	}
	if (vm->has_uid)
		fprintf(f, ",\"owner_uid\":%u", vm->uid);
	if (!full)
		return;
	if (vm->has_pid)
		fprintf(f, ",\"owner_pid\":%u", vm->pid);
	fprintf(f, ",\"vcpus\":%u,\"mem_bytes\":%llu", vm->nr_vcpus, vm->mem_bytes);
	fprintf(f, ",\"pv_offered\":%u,\"pv_enabled\":%u", vm->pv_offered, vm->pv_enabled);
	fprintf(f, ",\"uptime_ns\":%llu", vm->uptime_ns);
}
