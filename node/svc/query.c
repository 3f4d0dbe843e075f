/* SPDX-License-Identifier: Apache-2.0 */
/* Asking peers whether guns are reported lost or stolen: one envelope per
 * peer carries every item; the console gets one aggregated answer once
 * every peer answered or the timeout passed. Sent and received results
 * are audited before the operator sees them. */
#include <stdlib.h>
#include <string.h>

#include "../node.h"

#define QUERY_TIMEOUT_MS 5000
#define QUERY_TIMEOUT_MAX_MS 120000

struct query {
	struct query *next;
	struct node *node;
	struct console_req *req;
	uv_timer_t timer;
	struct tn_stolen_query q;
	struct tn_query_reply reply;
	uint32_t waiting;           /* peers still to answer */
	unsigned done : 1;
};

static void query_free(uv_handle_t *h)
{
	struct query *qu = h->data;

	proto_release(&proto_stolen_query_schema, &qu->q);
	proto_release(&proto_query_reply_schema, &qu->reply);
	free(qu);
}

static void unlink_query(struct query *qu)
{
	struct query **pp = &qu->node->queries;

	while (*pp && *pp != qu)
		pp = &(*pp)->next;
	if (*pp)
		*pp = qu->next;
}

static int audit_results_op(struct store_txn *t, void *arg)
{
	struct query *qu = arg;
	char ref[24], outcome[TN_REF_LEN];
	int rc = 0;

	snprintf(ref, sizeof(ref), "%016llx", (unsigned long long)qu->q.qid);
	for (uint32_t i = 0; i < qu->reply.n && !rc; i++) {
		struct tn_peer_answer *a = &qu->reply.peers[i];
		uint32_t hits = 0;

		for (uint32_t k = 0; k < a->n; k++)
			hits += a->results[k].hit;
		if (hits)
			snprintf(outcome, sizeof(outcome), "%u hit(s)", hits);
		else
			snprintf(outcome, sizeof(outcome), "%s", strcmp(a->status, "answered") ?
				 a->status : "no_hit");
		rc = node_audit(t, a->peer, "in", "stolen_result", ref, outcome, qu->q.case_ref);
	}
	return rc;
}

static void replied(void *arg, int rc)
{
	struct query *qu = arg;

	if (rc)
		console_fail(qu->req, rc, "the answers could not be recorded in the audit log");
	else
		console_ok(qu->req, &proto_query_reply_schema, &qu->reply);
	uv_close((uv_handle_t *)&qu->timer, query_free);
}

/* Every peer answered, or time is up: audit, then answer the console. */
static void finish(struct query *qu)
{
	if (qu->done)
		return;
	qu->done = 1;
	uv_timer_stop(&qu->timer);
	unlink_query(qu);
	for (uint32_t i = 0; i < qu->reply.n; i++)
		if (!strcmp(qu->reply.peers[i].status, "waiting"))
			snprintf(qu->reply.peers[i].status, TN_KIND_LEN, "timeout");
	batch_add(qu->node, audit_results_op, replied, qu);
}

static void on_timeout(uv_timer_t *t)
{
	finish(t->data);
}

void queries_abort(struct node *n)
{
	while (n->queries)
		finish(n->queries);
}

static void on_result(struct peer *p, const struct tn_envelope *e, const struct tn_sealed *s)
{
	struct tn_stolen_result res;
	struct tn_peer_answer *a;
	struct query *qu;

	(void)e;
	if (proto_decode(&proto_stolen_result_schema, s->m, s->n_m, &res, NULL, 0)) {
		peer_drop(p->node, p, DROP_malformed, "stolen_result");
		return;
	}
	for (qu = p->node->queries; qu && qu->q.qid != res.qid; qu = qu->next)
		;
	for (uint32_t k = 0; qu && k < res.n; k++)
		if (res.results[k].hit && !s->n_s) {
			peer_drop(p->node, p, DROP_bad_sig, "unsigned stolen hit");
			qu = NULL;
		}
	for (uint32_t i = 0; qu && i < qu->reply.n; i++) {
		a = &qu->reply.peers[i];
		if (strcmp(a->peer, p->rec.name) || strcmp(a->status, "waiting"))
			continue;
		snprintf(a->status, sizeof(a->status), "%s",
			 strcmp(res.status, "ok") ? res.status : "answered");
		a->n = res.n < qu->q.n ? res.n : qu->q.n;
		a->results = res.results;
		res.results = NULL;
		res.n = 0;
		for (uint32_t k = 0; k < a->n; k++)
			qu->reply.hits += a->results[k].hit;
		if (--qu->waiting == 0)
			finish(qu);
		break;
	}
	proto_release(&proto_stolen_result_schema, &res);
}

static int send_query(struct query *qu, struct peer *p)
{
	struct proto_buf b = { 0 };
	int rc = proto_encode(&proto_stolen_query_schema, &qu->q, &b);

	if (!rc)
		rc = env_send(p, "stolen_query", &b, 0);
	proto_buf_free(&b);
	return rc;
}

/* The query is in the audit log: send it to every target now. */
static void audited(void *arg, int rc)
{
	struct query *qu = arg;
	struct peer *p;

	if (rc) {
		console_fail(qu->req, rc, "the query could not be recorded in the audit log");
		uv_close((uv_handle_t *)&qu->timer, query_free);
		return;
	}
	qu->next = qu->node->queries;
	qu->node->queries = qu;
	for (uint32_t i = 0; i < qu->reply.n; i++) {
		struct tn_peer_answer *a = &qu->reply.peers[i];

		p = peer_by_name(qu->node, a->peer);
		if (p && p->link && !send_query(qu, p)) {
			snprintf(a->status, sizeof(a->status), "waiting");
			qu->waiting++;
		} else {
			snprintf(a->status, sizeof(a->status), "unreachable");
		}
	}
	if (!qu->waiting)
		finish(qu);
}

static int audit_query_op(struct store_txn *t, void *arg)
{
	struct query *qu = arg;
	char ref[24], what[TN_TEXT_LEN];
	int rc = 0;

	snprintf(ref, sizeof(ref), "%016llx", (unsigned long long)qu->q.qid);
	snprintf(what, sizeof(what), "%u item(s), purpose: %s", qu->q.n, qu->q.purpose);
	for (uint32_t i = 0; i < qu->reply.n && !rc; i++)
		rc = node_audit(t, qu->reply.peers[i].peer, "out", "stolen_query", ref, "sent", what);
	return rc;
}

static int add_target(struct query *qu, const struct peer *p)
{
	struct tn_peer_answer *a = &qu->reply.peers[qu->reply.n++];

	memcpy(a->peer, p->rec.name, sizeof(a->peer));
	snprintf(a->status, sizeof(a->status), "unreachable");
	return 0;
}

static int pick_targets(struct query *qu, const struct tn_query_arg *a, char *why, size_t len)
{
	struct node *n = qu->node;
	uint32_t count = 0;
	struct peer *p;

	for (p = n->peers; p; p = p->next)
		count++;
	if (!(qu->reply.peers = calloc(count ? count : 1, sizeof(*qu->reply.peers))))
		return TN_ERR_NOMEM;
	if (a->all) {
		for (p = n->peers; p; p = p->next)
			add_target(qu, p);
	} else if ((p = peer_by_name(n, a->peer))) {
		add_target(qu, p);
	} else {
		snprintf(why, len, a->peer[0] ? "%s is not a pinned peer" : "give --peer NAME or --all",
			 a->peer);
		return TN_ERR_INVALID;
	}
	if (!qu->reply.n) {
		snprintf(why, len, "no peer is pinned");
		return TN_ERR_INVALID;
	}
	return 0;
}

static int check_items(const struct tn_query_arg *a, char *why, size_t len)
{
	char norm[TN_MAKE_LEN];

	if (!a->n) {
		snprintf(why, len, "no item to look up");
		return TN_ERR_INVALID;
	}
	for (uint32_t i = 0; i < a->n; i++)
		if (proto_norm_serial(a->items[i].serial, norm, sizeof(norm)) < 0 ||
		    proto_norm_make(a->items[i].make, norm, sizeof(norm)) < 0) {
			snprintf(why, len, "item %u: make and serial are required", i + 1);
			return TN_ERR_INVALID;
		}
	return 0;
}

/* Console: query.stolen. */
static int query_stolen(struct console_req *r)
{
	struct node *n = console_node(r);
	struct tn_query_arg a;
	struct query *qu;
	char why[96];
	int rc;

	if (console_args(r, &proto_query_arg_schema, &a))
		return 0;
	if (!(qu = calloc(1, sizeof(*qu)))) {
		proto_release(&proto_query_arg_schema, &a);
		return TN_ERR_NOMEM;
	}
	qu->node = n;
	if ((rc = check_items(&a, why, sizeof(why))) || (rc = pick_targets(qu, &a, why, sizeof(why)))) {
		console_fail(r, rc, why);
		proto_release(&proto_query_arg_schema, &a);
		proto_release(&proto_query_reply_schema, &qu->reply);
		free(qu);
		return 0;
	}
	cx_random(&qu->q.qid, sizeof(qu->q.qid));
	qu->reply.qid = qu->q.qid;
	snprintf(qu->q.purpose, sizeof(qu->q.purpose), "%s", a.purpose[0] ? a.purpose : "investigation");
	memcpy(qu->q.case_ref, a.case_ref, sizeof(qu->q.case_ref));
	qu->q.n = a.n;
	qu->q.items = a.items;      /* moved */
	a.items = NULL;
	a.n = 0;
	uv_timer_init(&n->loop, &qu->timer);
	qu->timer.data = qu;
	uv_timer_start(&qu->timer, on_timeout,
		       a.timeout_ms && a.timeout_ms <= QUERY_TIMEOUT_MAX_MS ? a.timeout_ms :
		       QUERY_TIMEOUT_MS, 0);
	qu->req = console_defer(r);
	batch_add(n, audit_query_op, audited, qu);
	return 0;
}

const struct console_cmd cmd_query_table[] = {
	{ "query.stolen", query_stolen },
	{ NULL, NULL },
};

const struct env_handler env_query_table[] = {
	{ "stolen_result", 0, on_result },
	{ NULL, 0, NULL },
};
