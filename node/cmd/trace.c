/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on traces: request, list, show (audited); and the
 * review inbox of peers' requests: inbox, approve, deny. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct list {
	struct tn_trace_list out;
	struct tn_trace_in_list in;
	uint32_t cap;
	int review_only;
};

/* Listings show a result's status only: its content and receipt are
 * seen through `trace show`, which audits the view. */
static int add_out(void *arg, const struct tn_trace *tr)
{
	struct list *l = arg;
	struct tn_trace *last;
	char status[sizeof(tr->result.status)];
	int rc = node_collect((void **)&l->out.traces, &l->out.n, &l->cap, &proto_trace_schema, tr);

	if (rc)
		return rc;
	last = &l->out.traces[l->out.n - 1];
	memcpy(status, last->result.status, sizeof(status));
	proto_release(&proto_trace_result_schema, &last->result);
	memcpy(last->result.status, status, sizeof(status));
	free(last->receipt);
	last->receipt = NULL;
	last->n_receipt = 0;
	return 0;
}

static int add_in(void *arg, const struct tn_trace_in *tr)
{
	struct list *l = arg;
	struct tn_trace_in *last;
	int rc;

	if (l->review_only && strcmp(tr->status, "in_review"))
		return 0;
	rc = node_collect((void **)&l->in.traces, &l->in.n, &l->cap, &proto_trace_in_schema, tr);
	if (rc)
		return rc;
	last = &l->in.traces[l->in.n - 1];
	free(last->receipt);
	last->receipt = NULL;
	last->n_receipt = 0;
	return 0;
}

static int trace_list(struct console_req *r)
{
	struct list l = { 0 };
	struct store_txn *t;
	int rc;

	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = store_trace_each(t, add_out, &l);
	store_read_end(t);
	if (!rc)
		console_ok(r, &proto_trace_list_schema, &l.out);
	proto_release(&proto_trace_list_schema, &l.out);
	return rc;
}

static int inbox(struct console_req *r)
{
	struct tn_find_arg a;
	struct list l = { 0 };
	struct store_txn *t;
	int rc;

	if (console_args(r, &proto_find_arg_schema, &a))
		return 0;
	l.review_only = !a.all;
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	rc = store_trace_in_each(t, add_in, &l);
	store_read_end(t);
	if (!rc)
		console_ok(r, &proto_trace_in_list_schema, &l.in);
	proto_release(&proto_trace_in_list_schema, &l.in);
	return rc;
}

struct review_job {
	struct console_req *req;
	struct node *node;
	struct tn_id_arg arg;
	int approve;
	struct tn_trace_in tr;
	char peer[TN_NAME_LEN];
};

static int review_op(struct store_txn *t, void *arg)
{
	struct review_job *j = arg;
	struct peer *p;
	int rc;

	proto_release(&proto_trace_in_schema, &j->tr);
	if ((rc = store_trace_in_get(t, j->arg.id, &j->tr)))
		return rc;
	if (strcmp(j->tr.status, "in_review"))
		return TN_ERR_INVALID;
	memcpy(j->peer, j->tr.peer, sizeof(j->peer));
	if (!(p = peer_by_name(j->node, j->tr.peer)))
		return TN_ERR_UNKNOWN_PEER;
	return trace_respond(t, p, &j->tr, j->approve ? NULL :
			     j->arg.reason[0] ? j->arg.reason : "declined by the operator");
}

static void reviewed(void *arg, int rc)
{
	struct review_job *j = arg;

	if (rc) {
		console_fail(j->req, rc, rc == TN_ERR_INVALID ? "not waiting for review" : NULL);
	} else {
		free(j->tr.receipt);
		j->tr.receipt = NULL;
		j->tr.n_receipt = 0;
		console_ok(j->req, &proto_trace_in_schema, &j->tr);
		outbox_flush(peer_by_name(j->node, j->peer));
	}
	proto_release(&proto_trace_in_schema, &j->tr);
	free(j);
}

static int review(struct console_req *r, int approve)
{
	struct review_job *j = calloc(1, sizeof(*j));

	if (!j)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_id_arg_schema, &j->arg)) {
		free(j);
		return 0;
	}
	j->node = console_node(r);
	j->approve = approve;
	j->req = console_defer(r);
	batch_add(j->node, review_op, reviewed, j);
	return 0;
}

static int approve(struct console_req *r)
{
	return review(r, 1);
}

static int deny(struct console_req *r)
{
	return review(r, 0);
}

static void requested(void *arg, int rc, const struct tn_trace *tr, const char *why)
{
	struct console_req *r = arg;

	if (rc)
		console_fail(r, rc, why);
	else
		console_ok(r, &proto_trace_schema, tr);
}

static int trace_request_cmd(struct console_req *r)
{
	struct tn_trace_arg a;
	char why[96];
	int rc;

	if (console_args(r, &proto_trace_arg_schema, &a))
		return 0;
	rc = trace_request(console_node(r), &a, requested, r, why, sizeof(why));
	if (rc == TN_ERR_INVALID)
		console_fail(r, rc, why);
	else if (!rc)
		console_defer(r);
	return rc == TN_ERR_INVALID ? 0 : rc;
}

/* `trace show` is audited when it shows a result's content. */
struct view {
	struct console_req *req;
	struct tn_id_arg arg;
	struct tn_trace tr;
};

static int view_op(struct store_txn *t, void *arg)
{
	struct view *v = arg;
	int rc;

	proto_release(&proto_trace_schema, &v->tr);
	if ((rc = store_trace_get(t, v->arg.id, &v->tr)))
		return rc;
	if (strcmp(v->tr.status, "answered"))
		return 0;
	return node_audit(t, v->tr.peer, "local", "trace.view", v->tr.req.case_ref,
			  v->tr.result.status, "");
}

static void viewed(void *arg, int rc)
{
	struct view *v = arg;

	if (rc)
		console_fail(v->req, rc, NULL);
	else
		console_ok(v->req, &proto_trace_schema, &v->tr);
	proto_release(&proto_trace_schema, &v->tr);
	free(v);
}

static int trace_show(struct console_req *r)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		return TN_ERR_NOMEM;
	if (console_args(r, &proto_id_arg_schema, &v->arg)) {
		free(v);
		return 0;
	}
	v->req = console_defer(r);
	batch_add(console_node(r), view_op, viewed, v);
	return 0;
}

const struct console_cmd cmd_trace_table[] = {
	{ "trace.request", trace_request_cmd },
	{ "trace.list", trace_list },
	{ "trace.show", trace_show },
	{ "inbox", inbox },
	{ "approve", approve },
	{ "deny", deny },
	{ NULL, NULL },
};
