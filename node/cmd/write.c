/* SPDX-License-Identifier: Apache-2.0 */
/* Write commands: one path from the request through the group commit to
 * the reply, so that nothing is acknowledged before it is durable. */
#include <assert.h>

#include "cmd.h"

void *cmd_job(struct console_req *r, void *args, size_t size)
{
	const struct tn_cmd_def *def = &tn_cmds[console_cmd(r)];
	struct cmd_write *w;

	assert(size >= sizeof(*w) && (def->flags & CMD_WRITES));
	if (!(w = console_alloc(r, NULL, size)))
		return NULL;
	w->req = r;
	w->node = console_node(r);
	w->args = args;
	if (def->reply && def->reply == def->args)
		w->reply = args;
	else if (def->reply && !(w->reply = console_alloc(r, def->reply, def->reply->size)))
		return NULL;
	return w;
}

/* After the commit: the standard reply, with the command's reply schema. */
static void written(void *arg, int rc)
{
	struct cmd_write *w = arg;

	if (w->applied)
		rc = w->applied(w, rc);
	if (rc == CMD_LATER)
		return;
	if (rc && !w->why[0])
		node_disk_why(w->node, rc, w->why, sizeof(w->why));
	if (rc)
		console_fail(w->req, rc, w->why[0] ? w->why : NULL);
	else
		console_ok(w->req, tn_cmds[console_cmd(w->req)].reply, w->reply);
}

int cmd_write(struct cmd_write *w, store_op_fn op, cmd_applied_fn applied)
{
	w->applied = applied;
	console_defer(w->req);
	batch_add(w->node, op, written, w);
	return 0;
}

int cmd_write_args(struct console_req *r, void *args, store_op_fn op, cmd_applied_fn applied)
{
	struct cmd_write *w = cmd_job(r, args, sizeof(*w));

	return w ? cmd_write(w, op, applied) : TN_ERR_NOMEM;
}
