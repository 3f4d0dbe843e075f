/* SPDX-License-Identifier: Apache-2.0 */
/* Console command key.rotate: announce a new node key to every pinned
 * peer, or (--finish) switch to it now. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct key_job {
	struct cmd_write w;
	struct rotate_job r;
};

static int announce_op(struct store_txn *t, void *arg)
{
	return rotate_announce_op(t, &((struct key_job *)arg)->r);
}

static int finish_op(struct store_txn *t, void *arg)
{
	return rotate_finish_op(t, &((struct key_job *)arg)->r);
}

static int announced(struct cmd_write *w, int rc)
{
	struct key_job *j = (struct key_job *)w;

	if (!(rc = rotate_announced(&j->r, rc)))
		*(struct tn_rotate_info *)w->reply = j->r.info;
	return rc;
}

static int finished(struct cmd_write *w, int rc)
{
	struct key_job *j = (struct key_job *)w;
	struct cx_card c = { 0 };
	struct node *n = w->node;

	rotate_finished(&j->r, rc);
	if (rc)
		return rc;
	memcpy(c.name, n->cfg.name, sizeof(c.name));
	memcpy(c.pk, cx_id_pk(n->id), CX_PK_LEN);
	if (!node_card_addr(n, c.addr) &&
	    cx_card_format(&c, j->r.info.card, sizeof(j->r.info.card)))
		j->r.info.card[0] = '\0';
	*(struct tn_rotate_info *)w->reply = j->r.info;
	return 0;
}

static int key_rotate(struct console_req *r, void *args)
{
	struct node *n = console_node(r);
	struct tn_rotate_arg *a = args;
	struct key_job *j;
	char why[TN_TEXT_LEN] = "";
	int rc;

	if (!(j = cmd_job(r, args, sizeof(*j))))
		return TN_ERR_NOMEM;
	if (!a->finish) {
		if ((rc = rotate_begin(n, &j->r, why, sizeof(why))))
			return why[0] ? cmd_fail(r, rc, why) : rc;
		return cmd_write(&j->w, announce_op, announced);
	}
	if ((rc = rotate_finish(n, &j->r)) == TN_ERR_NOT_FOUND)
		return cmd_fail(r, rc, "no key rotation is announced (tracectl key rotate)");
	if (rc == TN_ERR_AGAIN)
		return cmd_fail(r, rc, "the rotation is finishing already");
	if (rc)
		return rc;
	return cmd_write(&j->w, finish_op, finished);
}

const struct cmd_handler cmd_key_table[] = {
	{ CMD_KEY_ROTATE, key_rotate },
	{ CMD_COUNT, NULL },
};
