/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on lost/stolen reports: report, recover, list. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct stolen_job {
	struct console_req *req;
	struct tn_stolen rep;
	struct tn_id_arg arg;
};

static void reply_stolen(void *arg, int rc)
{
	struct stolen_job *j = arg;

	if (rc)
		console_fail(j->req, rc, rc == TN_ERR_INVALID ? "already recovered" : NULL);
	else
		console_ok(j->req, &proto_stolen_schema, &j->rep);
	free(j);
}

static int report_op(struct store_txn *t, void *arg)
{
	struct tn_stolen *s = &((struct stolen_job *)arg)->rep;
	int rc = store_stolen_add(t, s);

	return rc ? rc : node_audit_local(t, "stolen.report", s->id, "%s %s %s", s->kind,
					  s->make, s->serial);
}

static int stolen_report(struct console_req *r)
{
	struct stolen_job *j = calloc(1, sizeof(*j));
	char why[TN_TEXT_LEN];

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_stolen_schema, &j->rep)) {
		free(j);
		return 0;
	}
	j->rep.status[0] = j->rep.recovered_on[0] = '\0';
	if (proto_stolen_check(&j->rep, why, sizeof(why))) {
		console_fail(r, TN_ERR_INVALID, why);
		free(j);
		return 0;
	}
	j->req = console_defer(r);
	batch_add(console_node(r), report_op, reply_stolen, j);
	return 0;
}

static int recover_op(struct store_txn *t, void *arg)
{
	struct stolen_job *j = arg;
	int rc = store_stolen_recover(t, j->arg.id, j->arg.date, &j->rep);

	return rc ? rc : node_audit_local(t, "stolen.recover", j->arg.id, "recovered %s", j->arg.date);
}

static int stolen_recover(struct console_req *r)
{
	struct stolen_job *j = calloc(1, sizeof(*j));

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_id_arg_schema, &j->arg)) {
		free(j);
		return 0;
	}
	if (!j->arg.date[0])
		node_date_in(j->arg.date, 0);
	if (proto_date_check(j->arg.date)) {
		console_fail(r, TN_ERR_INVALID, "--date must be YYYY-MM-DD");
		free(j);
		return 0;
	}
	j->req = console_defer(r);
	batch_add(console_node(r), recover_op, reply_stolen, j);
	return 0;
}

struct collect {
	struct tn_stolen_list l;
	uint32_t cap;
};

static int collect_stolen(void *arg, const struct tn_stolen *s)
{
	struct collect *c = arg;

	return node_collect((void **)&c->l.reports, &c->l.n, &c->cap, &proto_stolen_schema, s);
}

static int stolen_list(struct console_req *r)
{
	struct tn_find_arg a;
	struct collect c = { 0 };
	struct store_txn *t;
	int rc;

	if (console_args(r, &proto_find_arg_schema, &a))
		return 0;
	if ((rc = store_read_begin(console_node(r)->store, &t)) == 0) {
		if (a.serial[0])
			rc = store_stolen_find(t, a.make, a.serial, collect_stolen, &c);
		else
			rc = store_stolen_each(t, !a.all, collect_stolen, &c);
		store_read_end(t);
	}
	if (rc >= 0 || rc == TN_ERR_LIMIT)
		console_ok(r, &proto_stolen_list_schema, &c.l);
	free(c.l.reports);
	return rc < 0 && rc != TN_ERR_LIMIT ? rc : 0;
}

const struct console_cmd cmd_stolen_table[] = {
	{ "stolen.report", stolen_report },
	{ "stolen.recover", stolen_recover },
	{ "stolen.list", stolen_list },
	{ NULL, NULL },
};
