/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `query stolen`: ask one peer or all of them whether
 * guns are reported lost or stolen, and reply with every answer. */
#include <stdlib.h>

#include "cmd.h"

static void answered(void *arg, int rc, const struct tn_query_reply *reply)
{
	struct console_req *r = arg;

	if (rc)
		console_fail(r, rc, "the query or its answers could not be recorded in the audit log");
	else
		console_ok(r, &proto_query_reply_schema, reply);
}

static int query_stolen(struct console_req *r)
{
	struct tn_query_arg a;
	char why[96];
	int rc;

	if (console_args(r, &proto_query_arg_schema, &a))
		return 0;
	rc = query_start(console_node(r), &a, answered, r, why, sizeof(why));
	if (rc == TN_ERR_INVALID)
		console_fail(r, rc, why);
	else if (!rc)
		console_defer(r);
	proto_release(&proto_query_arg_schema, &a);
	return rc == TN_ERR_INVALID ? 0 : rc;
}

const struct console_cmd cmd_query_table[] = {
	{ "query.stolen", query_stolen },
	{ NULL, NULL },
};
