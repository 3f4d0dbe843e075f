/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands `query stolen`: ask one peer or all of them whether
 * guns are reported lost or stolen, and reply with every answer; and
 * `receipt`: the signed answer of a peer that reported a hit. */
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

static int query_stolen(struct console_req *r, void *args)
{
	struct tn_query_arg *a = args;
	char why[96];
	int rc;

	if ((rc = cmd_search_who(r, a->officer, a->ordered_by, a->case_ref, a->purpose)))
		return rc > 0 ? 0 : rc;
	return cmd_started(r, query_start(console_node(r), args, answered, r, why, sizeof(why)),
			   why);
}

static int receipt(struct console_req *r, void *args)
{
	const struct tn_receipt_arg *a = args;
	struct tn_receipt_file f = { 0 };
	struct store_txn *t;
	char why[128];
	int rc;

	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = store_receipt_get(t, a->qid, a->peer, &f.receipt, &f.n);
	store_read_end(t);
	if (rc == TN_ERR_NOT_FOUND) {
		snprintf(why, sizeof(why), "no receipt from %s for query %016llx: only answers "
			 "that report a hit are signed", a->peer, (unsigned long long)a->qid);
		return cmd_fail(r, rc, why);
	}
	if (!rc)
		console_ok(r, &proto_receipt_file_schema, &f);
	free(f.receipt);
	return rc;
}

const struct cmd_handler cmd_query_table[] = {
	{ CMD_QUERY_STOLEN, query_stolen },
	{ CMD_RECEIPT, receipt },
	{ CMD_COUNT, NULL },
};
