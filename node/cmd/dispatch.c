/* SPDX-License-Identifier: Apache-2.0 */
/* Console requests to their command handlers, through the tables of each
 * command family. */
#include <string.h>

#include "cmd.h"

static const struct console_cmd *const tables[] = {
	cmd_status_table,
	cmd_record_table,
	cmd_stolen_table,
	cmd_peer_table,
	cmd_audit_table,
	cmd_query_table,
	cmd_alert_table,
	cmd_trace_table,
};

static const struct console_cmd *find_cmd(const char *name)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct console_cmd *c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

void cmd_dispatch(struct console_req *r, const char *cmd, struct proto_msg *m)
{
	const struct console_cmd *c = find_cmd(cmd);
	int rc;

	(void)m;
	if (!c)
		console_fail(r, TN_ERR_UNKNOWN_CMD, cmd);
	else if ((rc = c->fn(r)) < 0)   /* replied, deferred, or failed without replying */
		console_fail(r, rc, NULL);
}
