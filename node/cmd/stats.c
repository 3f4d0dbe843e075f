/* SPDX-License-Identifier: Apache-2.0 */
/* Console command `stats`: the store is added up on a worker thread (one
 * read transaction; a large store takes seconds) and the reply is sent
 * from the loop once it is done. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct stats_job {
	uv_work_t work;
	struct console_req *req;
	struct store *store;
	char node[TN_NAME_LEN];
	struct tn_stats_arg arg;
	uint64_t now_ms;
	struct tn_stats reply;
	int rc;
};

static void stats_work(uv_work_t *w)
{
	struct stats_job *j = w->data;

	j->rc = stats_collect(j->store, j->node, &j->arg, j->now_ms, &j->reply);
}

static void stats_after(uv_work_t *w, int status)
{
	struct stats_job *j = w->data;

	if (status)
		j->rc = TN_ERR_IO;
	if (j->rc == TN_ERR_INVALID)
		console_fail(j->req, j->rc, "--since and --until take YYYY-MM-DD");
	else if (j->rc)
		console_fail(j->req, j->rc, NULL);
	else
		console_ok(j->req, &proto_stats_schema, &j->reply);
	proto_release(&proto_stats_schema, &j->reply);
	free(j);
}

static int stats(struct console_req *r, void *args)
{
	const struct tn_stats_arg *a = args;
	struct node *n = console_node(r);
	struct stats_job *j;
	int rc;

	if ((a->since[0] && proto_date_check(a->since)) ||
	    (a->until[0] && proto_date_check(a->until)))
		return cmd_fail(r, TN_ERR_INVALID, "--since and --until take YYYY-MM-DD");
	if (!(j = calloc(1, sizeof(*j))))
		return TN_ERR_NOMEM;
	j->work.data = j;
	j->store = n->store;
	j->arg = *a;
	j->now_ms = node_now_ms();
	memcpy(j->node, n->cfg.name, sizeof(j->node));
	if ((rc = uv_queue_work(&n->loop, &j->work, stats_work, stats_after))) {
		free(j);
		return TN_ERR_IO;
	}
	j->req = console_defer(r);
	return 0;
}

const struct cmd_handler cmd_stats_table[] = {
	{ CMD_STATS, stats },
	{ CMD_COUNT, NULL },
};
