/* SPDX-License-Identifier: Apache-2.0 */
/* Console command audit.retain: cut the audit log's old entries now,
 * as the hourly retention pass does, and say what went. */
#include "cmd.h"

struct retain_job {
	struct cmd_write w;       /* first: the job is its head */
	struct audit_cut cut;
};

/* The reply is filled here, from this run's result: a rerun fills it anew. */
static int retain_op(struct store_txn *t, void *arg)
{
	struct retain_job *j = arg;
	struct tn_audit_retain *r = j->w.reply;
	int rc = audit_cut_op(t, &j->cut);

	r->deleted = j->cut.res.deleted;
	r->from_seq = j->cut.res.first_kept;
	r->cut_ms = j->cut.before_ms;
	return rc;
}

/* Entries left past AUDIT_CUT_MAX go in the next retention passes. */
static int retained(struct cmd_write *w, int rc)
{
	struct retain_job *j = (struct retain_job *)w;

	if (audit_cut_done(&j->cut, rc))
		retention_soon(w->node);
	return rc;
}

static int audit_retain(struct console_req *r, void *args)
{
	struct retain_job *j = cmd_job(r, args, sizeof(*j));

	if (!j)
		return TN_ERR_NOMEM;
	audit_cut_init(&j->cut, j->w.node);
	return cmd_write(&j->w, retain_op, retained);
}

const struct cmd_handler cmd_retain_table[] = {
	{ CMD_AUDIT_RETAIN, audit_retain },
	{ CMD_COUNT, NULL },
};
