/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on lost/stolen reports: report, recover, list. */
#include <string.h>

#include "cmd.h"

static int report_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_stolen *s = w->args;
	int rc = store_stolen_add(t, s);

	if (!rc)
		rc = blind_report(t, w->node, s, 1);
	return rc ? rc : node_audit_local(t, "stolen.report", s->id, "%s %s %s", s->kind,
					  s->make, s->serial);
}

/* The changes of our blind set go out to the peers that hold it. */
static int sent_on(struct cmd_write *w, int rc)
{
	for (struct peer *p = w->node->peers; !rc && p; p = p->next)
		if (policy_stolen_blind(p))
			outbox_flush(p);
	return rc;
}

static int stolen_report(struct console_req *r, void *args)
{
	struct tn_stolen *s = args;
	char why[TN_TEXT_LEN];

	s->status[0] = s->recovered_on[0] = '\0';
	if (proto_stolen_check(s, why, sizeof(why)))
		return cmd_fail(r, TN_ERR_INVALID, why);
	return cmd_write_args(r, args, report_op, sent_on);
}

static int recover_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_id_arg *a = w->args;
	int rc = store_stolen_recover(t, a->id, a->date, w->reply);

	if (rc == TN_ERR_INVALID)
		snprintf(w->why, sizeof(w->why), "report %llu is already recovered",
			 (unsigned long long)a->id);
	cmd_missing(w->why, rc, "report", a->id);
	if (!rc)
		rc = blind_report(t, w->node, w->reply, -1);
	return rc ? rc : node_audit_local(t, "stolen.recover", a->id, "recovered %s", a->date);
}

static int stolen_recover(struct console_req *r, void *args)
{
	struct tn_id_arg *a = args;

	if (!a->date[0])
		node_date_in(a->date, 0);
	if (proto_date_check(a->date))
		return cmd_fail(r, TN_ERR_INVALID, "--date must be YYYY-MM-DD");
	return cmd_write_args(r, args, recover_op, sent_on);
}

static int add_stolen(void *l, const struct tn_stolen *s)
{
	return cmd_list_add(l, s, NULL);
}

/* A list cut at TN_BATCH_MAX reports is still replied. */
static int list_walk(struct store_txn *t, struct cmd_list *l)
{
	const struct tn_find_arg *a = l->args;
	int rc;

	if (a->serial[0])
		rc = store_stolen_find(t, a->make, a->serial, add_stolen, l);
	else
		rc = store_stolen_each(t, !a->all, add_stolen, l);
	return rc == TN_ERR_LIMIT ? 0 : rc;
}

static int stolen_list(struct console_req *r, void *args)
{
	return cmd_list(r, args, list_walk);
}

struct rekey_job {
	struct cmd_write w;
	struct blind_rekey *r;
};

static int rekey_op(struct store_txn *t, void *arg)
{
	return blind_rekey_op(t, ((struct rekey_job *)arg)->r);
}

static int rekeyed(struct cmd_write *w, int rc)
{
	struct rekey_job *j = (struct rekey_job *)w;
	const struct tn_blind_state *st = blind_rekey_done(j->r, rc);

	if (st)
		*(struct tn_blind_state *)w->reply = *st;
	blind_rekey_free(j->r);
	return rc;
}

/* A new key for blind checks: every blind peer gets our set whole again. */
static int stolen_rekey(struct console_req *r, void *args)
{
	struct rekey_job *j = cmd_job(r, args, sizeof(*j));

	if (!j)
		return TN_ERR_NOMEM;
	if (!(j->r = blind_rekey_new(console_node(r))))
		return TN_ERR_NOMEM;
	return cmd_write(&j->w, rekey_op, rekeyed);
}

const struct cmd_handler cmd_stolen_table[] = {
	{ CMD_STOLEN_REPORT, stolen_report },
	{ CMD_STOLEN_RECOVER, stolen_recover },
	{ CMD_STOLEN_LIST, stolen_list },
	{ CMD_STOLEN_REKEY, stolen_rekey },
	{ CMD_COUNT, NULL },
};
