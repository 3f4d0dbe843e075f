/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `metrics`: the node's metrics as Prometheus text. */
#include <string.h>

#include "cmd.h"

static int metrics(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct proto_buf b = { 0 };
	struct tn_metrics *m;
	int rc;

	(void)args;
	if (!(m = console_alloc(r, NULL, sizeof(*m))))
		return TN_ERR_NOMEM;
	if ((rc = n->hooks.metrics(n, &b)) == 0 && b.len >= sizeof(m->text))
		rc = TN_ERR_TOO_BIG;
	if (!rc) {
		memcpy(m->text, b.data, b.len);
		console_ok(r, &proto_metrics_schema, m);
	}
	proto_buf_free(&b);
	return rc;
}

const struct cmd_handler cmd_metrics_table[] = {
	{ CMD_METRICS, metrics },
	{ CMD_COUNT, NULL },
};
