/* SPDX-License-Identifier: Apache-2.0 */
/* The console command table, built from the rows of cmds.h, and the
 * lookup by wire name. */
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

int tn_cmd_of(const char *name)
{
	for (int c = 0; c < CMD_COUNT; c++)
		if (!strcmp(tn_cmds[c].name, name))
			return c;
	return TN_ERR_UNKNOWN_CMD;
}
