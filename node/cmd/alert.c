/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `alerts`: peers' queries that hit our lost/stolen
 * reports, and peers' audit checkpoints we refused as their witness,
 * newest first. */
#include <stdlib.h>

#include "cmd.h"

struct collect {
	struct tn_alert_list l;
	uint32_t cap;
};

static int collect(void *arg, const struct tn_alert *a)
{
	struct collect *c = arg;

	if (c->l.n == c->cap)
		return TN_ERR_LIMIT;
	c->l.alerts[c->l.n++] = *a;
	return 0;
}

static int alerts(struct console_req *r, void *args)
{
	const struct tn_audit_arg *a = args;
	struct collect c = { 0 };
	struct store_txn *t;
	int rc;

	c.cap = a->limit && a->limit < TN_BATCH_MAX ? a->limit : 100;
	if (!(c.l.alerts = calloc(c.cap, sizeof(*c.l.alerts))))
		return TN_ERR_NOMEM;
	if ((rc = store_read_begin(console_node(r)->store, &t)) == 0) {
		rc = store_alert_each(t, c.cap, collect, &c);
		store_read_end(t);
	}
	if (rc >= 0)
		console_ok(r, &proto_alert_list_schema, &c.l);
	free(c.l.alerts);
	return rc < 0 ? rc : 0;
}

const struct cmd_handler cmd_alert_table[] = {
	{ CMD_ALERTS, alerts },
	{ CMD_COUNT, NULL },
};
