/* SPDX-License-Identifier: Apache-2.0 */
/* The console command table, built from the rows of cmds.h, and the
 * lookup by wire name. */
#include <stdlib.h>
#include <string.h>

#include "proto.h"

const struct tn_cmd_def tn_cmds[CMD_COUNT] = {
#define TN_CMD_ROW(e, name, args, reply, flags, role) [CMD_##e] = { name, args, reply, flags, role },
	TN_CMDS(TN_CMD_ROW)
#undef TN_CMD_ROW
};

const char *const tn_role_names[ROLE_COUNT] = {
#define TN_ROLE_NAME(e, name, what) [ROLE_BIT_##e] = name,
	TN_ROLES(TN_ROLE_NAME)
#undef TN_ROLE_NAME
};

_Static_assert(CMD_COUNT <= 256, "command numbers fit a byte");

/* The commands in name order, for a binary search; sorted at first use. */
static uint8_t by_name[CMD_COUNT];

static int name_order(const void *a, const void *b)
{
	return strcmp(tn_cmds[*(const uint8_t *)a].name, tn_cmds[*(const uint8_t *)b].name);
}

int tn_cmd_of(const char *name)
{
	static int sorted;
	size_t lo = 0, hi = CMD_COUNT;

	if (!sorted) {
		for (int c = 0; c < CMD_COUNT; c++)
			by_name[c] = (uint8_t)c;
		qsort(by_name, CMD_COUNT, 1, name_order);
		sorted = 1;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(name, tn_cmds[by_name[mid]].name);

		if (!d)
			return by_name[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return TN_ERR_UNKNOWN_CMD;
}
