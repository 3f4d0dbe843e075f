/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `query stolen`: ask one peer or all of them whether
 * guns are reported lost or stolen, and reply with every answer. */

#include "cmd.h"

static void answered(void *arg, int rc, const struct tn_query_reply *reply)
{
	struct console_req *r = arg;

	if (rc)
		console_fail(r, rc, "the query or its answers could not be recorded in the audit log");
	else
		console_ok(r, &proto_query_reply_schema, reply);
}

static int query_stolen(struct console_req *r, void *args)
{
	char why[96];
	int rc = query_start(console_node(r), args, answered, r, why, sizeof(why));

	if (rc == TN_ERR_INVALID)
		return cmd_fail(r, rc, why);
	if (!rc)
		console_defer(r);
	return rc;
}

const struct cmd_handler cmd_query_table[] = {
	{ CMD_QUERY_STOLEN, query_stolen },
	{ CMD_COUNT, NULL },
};
