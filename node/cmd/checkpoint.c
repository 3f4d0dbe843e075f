/* SPDX-License-Identifier: Apache-2.0 */
/* Console command audit.checkpoint: sign the audit log's head now and
 * queue it to every pinned peer to witness, as the timer does. */
#include "cmd.h"

static void made(void *arg, int rc, const struct tn_checkpoint *cp)
{
	struct console_req *r = arg;

	if (rc)
		console_fail(r, rc, "the checkpoint could not be made; the node's log says why");
	else if (!cp->size)
		console_fail(r, TN_ERR_NOT_FOUND, "the audit log is empty: nothing to checkpoint");
	else
		console_ok(r, &proto_checkpoint_schema, cp);
}

static int audit_checkpoint(struct console_req *r, void *args)
{
	(void)args;
	console_defer(r);
	checkpoint_now(console_node(r), made, r);
	return 0;
}

const struct cmd_handler cmd_checkpoint_table[] = {
	{ CMD_AUDIT_CHECKPOINT, audit_checkpoint },
	{ CMD_COUNT, NULL },
};
