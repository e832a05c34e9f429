// SPDX-License-Identifier: GPL-2.0-only
/*
 * --pv, the pv IRQs and the hypercall dispatch (see pv.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vireo.h>

#include "pv.h"

static const struct {
	const char *name;
	u32 bit;
} names[] = {
	{ "console", VIREO_PV_F_CONSOLE },
	{ "block", VIREO_PV_F_BLOCK },
	{ "clock", VIREO_PV_F_CLOCK },
	{ "system", VIREO_PV_F_SYSTEM },
	{ "idle", VIREO_PV_F_IDLE },
};

int pv_parse(const char *spec, u32 *features, bool *all, char *why, size_t why_len)
{
	const char *p = spec, *end;
	size_t len, i;

	*features = 0;
	*all = false;
	if (!strcmp(spec, "none"))
		return 0;
	if (!strcmp(spec, "all")) {
		*features = PV_FEATURES_ALL;
		*all = true;
		return 0;
	}
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (len == strlen(names[i].name) && !strncmp(p, names[i].name, len))
				break;
		if (i == ARRAY_SIZE(names)) {
			snprintf(why, why_len,
				 "--pv '%s': '%.*s' is not a feature (none, all, or a list of console, block, clock, system, idle)",
				 spec, (int)len, p);
			return -1;
		}
		*features |= names[i].bit;
		if (!end)
			return 0;
		p = end + 1;
	}
}

void pv_format(u32 features, char *buf, size_t len)
{
	size_t i, used = 0;

	if (len)
		buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if ((features & names[i].bit) && used < len)
			used += snprintf(buf + used, len - used, "%s%s", used ? "," : "",
					 names[i].name);
	if (!used)
		snprintf(buf, len, "none");
}

u32 pv_platform(u32 offered)
{
	u32 eax = 0;

	if (offered & VIREO_PV_F_CONSOLE)
		eax |= PV_IRQ_CONSOLE;
	if (offered & VIREO_PV_F_BLOCK)
		eax |= PV_IRQ_BLOCK << 8;
	return eax;
}

int pv_route(int vm_fd)
{
	struct vireo_user_range r = {
		.kind = VIREO_RANGE_HYPERCALL,
		.first = PV_HC_FIRST,
		.count = PV_HC_COUNT,
	};

	return ioctl(vm_fd, VIREO_SET_USER_RANGE, &r) ? -errno : 0;
}

s64 pv_hypercall(struct pv *pv, u64 nr, const u64 *args)
{
	/* vireo.ko refuses features the guest did not negotiate; so does vireoctl. */
	if (nr >= VIREO_HC_CONSOLE_WRITE && nr < VIREO_HC_BLOCK_INFO) {
		if (!(pv->offered & VIREO_PV_F_CONSOLE))
			return -VIREO_ENOTNEG;
		if (nr <= VIREO_HC_CONSOLE_READ)
			return pv_console_hypercall(&pv->console, nr, args);
	} else if (nr >= VIREO_HC_BLOCK_INFO && nr < VIREO_HC_CLOCK_ENABLE) {
		if (!(pv->offered & VIREO_PV_F_BLOCK))
			return -VIREO_ENOTNEG;
		if (nr <= VIREO_HC_BLOCK_NOTIFY)
			return pv_block_hypercall(&pv->block, nr, args);
	}
	__atomic_fetch_add(&pv->unknown, 1, __ATOMIC_RELAXED);
	return -VIREO_ENOSYS;
}

void pv_print_state(struct pv *pv, FILE *out)
{
	char list[64];

	pv_format(pv->offered, list, sizeof(list));
	fprintf(out, "  pv: offered %s", list);
	if (pv->unknown)
		fprintf(out, "; %llu calls of unknown numbers",
			(unsigned long long)pv->unknown);
	fputc('\n', out);
	if (pv->offered & VIREO_PV_F_CONSOLE)
		pv_console_print_state(&pv->console, out);
	if (pv->offered & VIREO_PV_F_BLOCK)
		pv_block_print_state(&pv->block, out);
}
