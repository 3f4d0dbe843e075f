/* SPDX-License-Identifier: Apache-2.0 */
/* Console commands on traces: request, list, show (audited); and the
 * review inbox of peers' requests: inbox, approve, deny. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Listings show a result's status only: its content and receipt are
 * seen through `trace show`, which audits the view. */
static int add_out(void *l, const struct tn_trace *tr)
{
	struct tn_trace *last;
	char status[sizeof(tr->result.status)], today[TN_DATE_LEN];
	int rc = cmd_list_add(l, tr, (void **)&last);

	if (rc)
		return rc;
	node_date_in(today, 0);
	last->overdue = trace_overdue(last, today);
	memcpy(status, last->result.status, sizeof(status));
	proto_release(&proto_trace_result_schema, &last->result);
	memcpy(last->result.status, status, sizeof(status));
	proto_blob_free(&last->receipt, &last->n_receipt);
	return 0;
}

static int out_walk(struct store_txn *t, struct cmd_list *l)
{
	return store_trace_each(t, add_out, l);
}

static int trace_list(struct console_req *r, void *args)
{
	return cmd_list(r, args, out_walk);
}

/* The inbox lists the requests waiting for review, or all with --all. */
static int add_in(void *arg, const struct tn_trace_in *tr)
{
	struct cmd_list *l = arg;
	const struct tn_find_arg *a = l->args;
	struct tn_trace_in *last;
	int rc;

	if (!a->all && strcmp(tr->status, "in_review"))
		return 0;
	if ((rc = cmd_list_add(l, tr, (void **)&last)))
		return rc;
	proto_blob_free(&last->receipt, &last->n_receipt);
	return 0;
}

static int in_walk(struct store_txn *t, struct cmd_list *l)
{
	return store_trace_in_each(t, add_in, l);
}

static int inbox(struct console_req *r, void *args)
{
	return cmd_list(r, args, in_walk);
}

/* approve and deny: answer a request that waits for review. */
static int review_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	struct tn_id_arg *a = w->args;
	struct tn_trace_in *tr = w->reply;
	struct peer *p;
	int rc;

	proto_release(&proto_trace_in_schema, tr);
	if ((rc = store_trace_in_get(t, a->id, tr)))
		return cmd_missing(w->why, rc, "trace request", a->id);
	if (strcmp(tr->status, "in_review")) {
		snprintf(w->why, sizeof(w->why), "trace request %llu is not waiting for review "
			 "(it is %s)", (unsigned long long)a->id, tr->status);
		return TN_ERR_INVALID;
	}
	if (!(p = peer_by_name(w->node, tr->peer))) {
		snprintf(w->why, sizeof(w->why), "trace request %llu came from %s, which is no "
			 "longer pinned", (unsigned long long)a->id, tr->peer);
		return TN_ERR_UNKNOWN_PEER;
	}
	if (console_cmd(w->req) == CMD_APPROVE)
		return trace_respond(t, p, tr, NULL);
	return trace_respond(t, p, tr, a->reason[0] ? a->reason : "declined by the operator");
}

static int reviewed(struct cmd_write *w, int rc)
{
	struct tn_trace_in *tr = w->reply;

	if (rc)
		return rc;
	proto_blob_free(&tr->receipt, &tr->n_receipt);
	outbox_flush(peer_by_name(w->node, tr->peer));
	return 0;
}

static int review(struct console_req *r, void *args)
{
	return cmd_write_args(r, args, review_op, reviewed);
}

/* A trace request waiting for its commit. */
struct request_job {
	struct console_req *req;
	struct tn_trace_arg *args;
};

static int wait_start(struct console_req *r, void *args, uint64_t id, uint32_t timeout_s);

/* With --wait, the waiter starts in the commit's callback, before any
 * answer can be read: the result's commit then audits the view too, and
 * the operator sees the result two commits after asking (the answering
 * node's and ours), with no trace.wait racing the result. */
static void requested(void *arg, int rc, const struct tn_trace *tr, const char *why)
{
	struct request_job *j = arg;

	if (!rc && j->args->wait)
		rc = wait_start(j->req, j->args, tr->id, j->args->wait);
	if (rc)
		console_fail(j->req, rc, why);
	else if (!j->args->wait)
		console_ok(j->req, &proto_trace_schema, tr);
}

/* A follow-up serves the case of the trace it follows. 0, or 1 when r
 * was refused, or an error. */
static int follow_case(struct console_req *r, struct tn_trace_arg *a)
{
	struct store_txn *t;
	struct tn_trace old;
	int rc;

	if (!a->follow || a->req.case_ref[0])
		return 0;
	if ((rc = store_read_begin(console_node(r)->store, &t)))
		return rc;
	if (!(rc = store_trace_get(t, a->follow, &old))) {
		memcpy(a->req.case_ref, old.req.case_ref, sizeof(a->req.case_ref));
		proto_release(&proto_trace_schema, &old);
	}
	store_read_end(t);
	if (rc == TN_ERR_NOT_FOUND) {
		char why[TN_TEXT_LEN];

		cmd_fail(r, cmd_missing(why, rc, "trace", a->follow), why);
		return 1;
	}
	return rc;
}

static int trace_request_cmd(struct console_req *r, void *args)
{
	struct tn_trace_arg *a = args;
	struct request_job *j = console_alloc(r, NULL, sizeof(*j));
	char why[96];
	int rc;

	if (!j)
		return TN_ERR_NOMEM;
	if ((rc = follow_case(r, a)) ||
	    (rc = cmd_search_who(r, a->officer, a->ordered_by, a->req.case_ref, a->purpose)))
		return rc > 0 ? 0 : rc;
	j->req = r;
	j->args = a;
	return cmd_started(r, trace_request(console_node(r), args, requested, j, why, sizeof(why)),
			   why);
}

static int audit_view(struct store_txn *t, const struct tn_trace *tr)
{
	return node_audit(t, tr->peer, "local", "trace.view", tr->req.case_ref,
			  tr->result.status, "");
}

/* Read trace id into w's reply; 1 when it holds a result. */
static int read_trace(struct store_txn *t, struct cmd_write *w, uint64_t id)
{
	int rc;

	proto_release(&proto_trace_schema, w->reply);
	if ((rc = store_trace_get(t, id, w->reply)))
		return cmd_missing(w->why, rc, "trace", id);
	return trace_has_result(w->reply);
}

/* `trace show` is audited when it shows a result's content. */
static int view_op(struct store_txn *t, void *arg)
{
	struct cmd_write *w = arg;
	int rc = read_trace(t, w, ((struct tn_id_arg *)w->args)->id);

	return rc == 1 ? audit_view(t, w->reply) : rc;
}

static int trace_show(struct console_req *r, void *args)
{
	return cmd_write_args(r, args, view_op, NULL);
}

/* ---- trace wait: the result at once when it is in, else as it arrives ---- */

#define WAIT_DEFAULT_S 30
#define WAIT_MAX_S 3600

struct wait_job {
	struct cmd_write w;        /* first */
	uint64_t id;
	uint32_t timeout_s;
	struct pending *waiter;    /* NULL once it ended */
	int queued;                /* wait_op not yet committed */
	int viewed;                /* the result's commit audited our view */
	int ended;                 /* the waiter ended while queued, with: */
	int ended_rc;
};

/* Reply once the wait is over: the trace as the store has it now. */
static void wait_reply(struct wait_job *j, int rc)
{
	struct store_txn *t;

	if (!rc && !(rc = store_read_begin(j->w.node->store, &t))) {
		rc = read_trace(t, &j->w, j->id);
		store_read_end(t);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == TN_ERR_TIMEOUT)
		snprintf(j->w.why, sizeof(j->w.why), "trace %llu has no result after %u s: wait "
			 "again (trace wait %llu), or look later with trace show",
			 (unsigned long long)j->id, j->timeout_s, (unsigned long long)j->id);
	if (rc)
		console_fail(j->w.req, rc, j->w.why[0] ? j->w.why : NULL);
	else
		console_ok(j->w.req, &proto_trace_schema, j->w.reply);
}

static void wait_done(void *arg, int rc)
{
	struct wait_job *j = arg;

	j->waiter = NULL;
	if (!j->queued) {
		wait_reply(j, rc);   /* frees j */
		return;
	}
	j->ended = 1;
	j->ended_rc = rc;
}

static int wait_view(struct store_txn *t, void *arg, const struct tn_trace *tr)
{
	((struct wait_job *)arg)->viewed = 1;
	return audit_view(t, tr);
}

/* The result already in is shown now (its view audited here unless the
 * result's own commit, in this same transaction, did). */
static int wait_op(struct store_txn *t, void *arg)
{
	struct wait_job *j = arg;
	int rc = read_trace(t, &j->w, j->id);

	return rc == 1 && !j->viewed ? audit_view(t, j->w.reply) : rc < 0 ? rc : 0;
}

static int waited(struct cmd_write *w, int rc)
{
	struct wait_job *j = (struct wait_job *)w;

	j->queued = 0;
	if (j->ended)
		wait_reply(j, j->ended_rc);
	else if (rc || trace_has_result(w->reply))
		pending_end(j->waiter, rc);
	return CMD_LATER;
}

static struct wait_job *wait_job_new(struct console_req *r, void *args, uint64_t id,
				     uint32_t timeout_s)
{
	struct wait_job *j = cmd_job(r, args, sizeof(*j));

	if (j) {
		j->id = id;
		j->timeout_s = !timeout_s ? WAIT_DEFAULT_S : timeout_s < WAIT_MAX_S ? timeout_s :
			       WAIT_MAX_S;
	}
	return j;
}

static void start_waiter(struct wait_job *j)
{
	j->waiter = trace_wait(j->w.node, j->id, (uint64_t)j->timeout_s * 1000, wait_view,
			       wait_done, j);
}

/* Right after the trace's own commit: no result can be in yet. */
static int wait_start(struct console_req *r, void *args, uint64_t id, uint32_t timeout_s)
{
	struct wait_job *j = wait_job_new(r, args, id, timeout_s);

	if (!j)
		return TN_ERR_NOMEM;
	start_waiter(j);
	return 0;
}

static int trace_wait_cmd(struct console_req *r, void *args)
{
	struct tn_id_arg *a = args;
	struct wait_job *j = wait_job_new(r, args, a->id, a->timeout_s);

	if (!j)
		return TN_ERR_NOMEM;
	j->queued = 1;
	start_waiter(j);
	return cmd_write(&j->w, wait_op, waited);
}

const struct cmd_handler cmd_trace_table[] = {
	{ CMD_TRACE_REQUEST, trace_request_cmd },
	{ CMD_TRACE_LIST, trace_list },
	{ CMD_TRACE_SHOW, trace_show },
	{ CMD_TRACE_WAIT, trace_wait_cmd },
	{ CMD_INBOX, inbox },
	{ CMD_APPROVE, review },
	{ CMD_DENY, review },
	{ CMD_COUNT, NULL },
};
