/* SPDX-License-Identifier: Apache-2.0 */
/* Asking peers whether guns are reported lost or stolen: one envelope per
 * peer carries every item; the asker gets one aggregated answer once
 * every peer answered or the timeout passed. The query leaves at once;
 * its "sent" entries wait for the next commit (batch_add_later), which is
 * usually the one that audits the results, and the operator sees nothing
 * before both are durable. So a query costs two commits in series: the
 * answering node's before it discloses, and ours before we show. */
#include <stdlib.h>
#include <string.h>

#include "query_int.h"

#define QUERY_TIMEOUT_MS 5000
#define QUERY_TIMEOUT_MAX_MS 120000

static void query_free(struct query *qu)
{
	for (uint32_t i = 0; qu->tg && i < qu->reply.n; i++) {
		free(qu->tg[i].receipt);
		free(qu->tg[i].follow);
		blind_ask_free(qu->tg[i].blind);
	}
	free(qu->tg);
	proto_release(&proto_stolen_query_schema, &qu->q);
	proto_release(&proto_query_reply_schema, &qu->reply);
	free(qu);
}

static void query_release(struct pending *w)
{
	query_free((struct query *)w);
}

static int audit_results_op(struct store_txn *t, void *arg)
{
	struct query *qu = arg;
	char ref[24], outcome[TN_REF_LEN];
	int rc = 0;

	query_ref(qu, ref);
	for (uint32_t i = 0; i < qu->reply.n && !rc; i++) {
		struct tn_peer_answer *a = &qu->reply.peers[i];
		uint32_t hits = 0;

		for (uint32_t k = 0; k < a->n; k++)
			hits += a->results[k].hit;
		if (hits)
			snprintf(outcome, sizeof(outcome), "%u hit(s)", hits);
		else
			proto_strcpy(outcome, sizeof(outcome), strcmp(a->status, "answered") ?
				     a->status : "no_hit");
		rc = node_audit(t, a->peer, "in", "stolen_result", ref, outcome, qu->q.case_ref);
		if (!rc && qu->tg[i].n_follow)
			rc = query_follow_audit(t, qu, i, ref);
		if (!rc && qu->tg[i].n_receipt)
			rc = store_receipt_put(t, qu->q.qid, a->peer, qu->tg[i].receipt,
					       qu->tg[i].n_receipt);
	}
	return rc;
}

/* A query whose "sent" entries did not commit shows no answer at all;
 * they commit before the results or with them, in the same batch. */
static void replied(void *arg, int rc)
{
	struct query *qu = arg;

	if (qu->sent < 0)
		qu->done(qu->arg, qu->sent, NULL);
	else
		qu->done(qu->arg, rc, &qu->reply);
	pending_free(&qu->wait);
}

/* Every peer answered, time is up, or the node stops: audit, then answer. */
static void finish(struct pending *w, int rc)
{
	struct query *qu = (struct query *)w;

	(void)rc;
	for (uint32_t i = 0; i < qu->reply.n; i++)
		if (qu->tg[i].ride)
			ride_leave(qu, i);
	if (qu->sent < 0) {
		replied(qu, 0);
		return;
	}
	for (uint32_t i = 0; i < qu->reply.n; i++)
		if (!strcmp(qu->reply.peers[i].status, "waiting"))
			proto_strcpy(qu->reply.peers[i].status, TN_KIND_LEN, "timeout");
	batch_add_as(qu->node, qu->acted ? &qu->who : NULL, audit_results_op, replied, qu);
}

/* The first n results of res moved into a: the whole array when they are
 * all of it, else each (its report by pointer) into a new one. */
static int take_results(struct tn_peer_answer *a, struct tn_stolen_result *res, uint32_t n)
{
	if (n == res->n) {
		a->results = res->results;
		res->results = NULL;
		res->n = 0;
	} else if (n) {
		if (!(a->results = malloc(n * sizeof(*a->results))))
			return TN_ERR_NOMEM;
		memcpy(a->results, res->results, n * sizeof(*a->results));
		for (uint32_t k = 0; k < n; k++)
			res->results[k].report = NULL;
	}
	a->n = n;
	return 0;
}

int query_take(struct query *qu, uint32_t i, const struct peer *p, struct tn_stolen_result *res,
	       struct env_msg *m)
{
	struct tn_peer_answer *a = &qu->reply.peers[i];
	uint32_t hits;

	if (strcmp(a->peer, p->rec.name) || strcmp(a->status, "waiting") ||
	    (qu->tg[i].blind && !qu->tg[i].n_follow))
		return 0;
	hits = proto_result_hits(res);
	proto_strcpy(a->status, sizeof(a->status), strcmp(res->status, "ok") ? res->status : "answered");
	a->exact_only = res->exact_only && query_any_fuzzy(&qu->q);
	if (!qu->tg[i].n_follow && !strcmp(res->status, "ok") && res->n < qu->q.n) {
		node_log("warn", "%s answered %u results to a query of %u items: query %016llx is "
			 "shown as an error", p->rec.name, res->n, qu->q.n,
			 (unsigned long long)qu->q.qid);
		proto_strcpy(a->status, sizeof(a->status), "error");
	} else if (hits && !m) {
		node_log("warn", "%s answered query %016llx with a hit among others, unsigned: it "
			 "is shown as an error (a hit must come in its own signed stolen_result)",
			 p->rec.name, (unsigned long long)qu->q.qid);
		proto_strcpy(a->status, sizeof(a->status), "error");
	} else if (hits && m->s->n_s &&
		   env_receipt(p, m, &qu->tg[i].receipt, &qu->tg[i].n_receipt)) {
		proto_strcpy(a->status, sizeof(a->status), "error");
	} else if (qu->tg[i].n_follow) {
		query_follow_spread(&qu->tg[i], a, res);   /* the items asked again, by place */
	} else if (take_results(a, res, res->n < qu->q.n ? res->n : qu->q.n)) {
		proto_strcpy(a->status, sizeof(a->status), "error");
	}
	for (uint32_t k = 0; k < a->n; k++)
		qu->reply.hits += a->results[k].hit;
	return 1;
}

/* p's answer res (m: the envelope it came alone in, else NULL) taken by
 * the query waiting for it, if one is. */
static int take_answer(struct peer *p, struct tn_stolen_result *res, struct env_msg *m)
{
	struct query *qu = (struct query *)pending_find(p->node, PENDING_QUERY, res->qid);

	for (uint32_t i = 0; qu && i < qu->reply.n; i++)
		if (!qu->tg[i].ride && query_take(qu, i, p, res, m)) {
			query_answered(qu);
			return 1;
		}
	return 0;
}

static void on_result(struct peer *p, struct env_msg *m)
{
	if (!take_answer(p, m->msg, m))
		peer_drop(p->node, p, DROP_unsolicited, "stolen_result to no query of ours waiting "
			  "for it");
}

/* The answers without a hit to several of our queries, in one envelope. */
static void on_results(struct peer *p, struct env_msg *m)
{
	struct tn_stolen_results *rs = m->msg;

	for (uint32_t i = 0; i < rs->n; i++)
		if (!take_answer(p, &rs->results[i], NULL))
			peer_drop(p->node, p, DROP_unsolicited, "stolen_results: an answer to no "
				  "query of ours waiting for it");
}

void query_answered(struct query *qu)
{
	if (--qu->waiting == 0)
		pending_end(&qu->wait, 0);
}

void query_unreachable(struct query *qu, uint32_t i)
{
	proto_strcpy(qu->reply.peers[i].status, TN_KIND_LEN, "unreachable");
	query_answered(qu);
}

/* The "sent" entries committed (or failed to), alone or with the
 * results: the query ends now if nothing is left to wait for. */
static void audited(void *arg, int rc)
{
	struct query *qu = arg;

	qu->sent = rc ? rc : 1;
	if (rc)
		node_log("error", "%s: cannot audit stolen query %016llx: %s; its answers are "
			 "withheld", qu->node->cfg.name, (unsigned long long)qu->q.qid,
			 tn_strerror(rc));
	if (rc || !qu->waiting)
		pending_end(&qu->wait, 0);
}

/* Send the query to every target that has a link up. */
static void send_all(struct query *qu)
{
	struct peer *p;

	for (uint32_t i = 0; i < qu->reply.n; i++) {
		struct tn_peer_answer *a = &qu->reply.peers[i];

		p = peer_by_name(qu->node, a->peer);
		if (p && p->link && !query_send_one(qu, p, i)) {
			proto_strcpy(a->status, sizeof(a->status), "waiting");
			qu->waiting++;
		} else {
			proto_strcpy(a->status, sizeof(a->status), "unreachable");
		}
	}
}

static int audit_query_op(struct store_txn *t, void *arg)
{
	struct query *qu = arg;
	char ref[24], what[TN_TEXT_LEN];
	int rc = 0;

	query_ref(qu, ref);
	node_audit_items(what, qu->q.n, qu->q.purpose);
	for (uint32_t i = 0; i < qu->reply.n && !rc; i++)
		rc = qu->tg[i].blind ? query_blind_audit(t, qu, i, ref) :
		     node_audit(t, qu->reply.peers[i].peer, "out", "stolen_query", ref, "sent", what);
	return rc;
}

static void add_target(struct query *qu, const struct peer *p)
{
	struct tn_peer_answer *a = &qu->reply.peers[qu->reply.n++];

	memcpy(a->peer, p->rec.name, sizeof(a->peer));
	proto_strcpy(a->status, sizeof(a->status), "unreachable");
}

static int pick_targets(struct query *qu, const struct tn_query_arg *a, char *why, size_t len)
{
	struct node *n = qu->node;
	uint32_t count = 0;
	struct peer *p;

	for (p = n->peers; p && a->all; p = p->next)
		count++;
	if (!(qu->reply.peers = calloc(count ? count : 1, sizeof(*qu->reply.peers))) ||
	    !(qu->tg = calloc(count ? count : 1, sizeof(*qu->tg))))
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
		proto_strcpy(why, len, "no peer is pinned");
		return TN_ERR_INVALID;
	}
	return 0;
}

static int check_items(const struct tn_query_arg *a, char *why, size_t len)
{
	if (!a->n) {
		proto_strcpy(why, len, "no item to look up");
		return TN_ERR_INVALID;
	}
	for (uint32_t i = 0; i < a->n; i++)
		if (!proto_serial_ok(a->items[i].serial) || !proto_make_ok(a->items[i].make)) {
			snprintf(why, len, "item %u: make and serial are required", i + 1);
			return TN_ERR_INVALID;
		}
	return 0;
}

int query_start(struct node *n, struct tn_query_arg *a, query_done_fn done, void *arg,
		char *why, size_t len)
{
	struct query *qu;
	int rc;

	if (!(qu = calloc(1, sizeof(*qu))))
		return TN_ERR_NOMEM;
	qu->node = n;
	if ((rc = check_items(a, why, len)) || (rc = pick_targets(qu, a, why, len))) {
		query_free(qu);
		return rc;
	}
	cx_random(&qu->q.qid, sizeof(qu->q.qid));
	qu->reply.qid = qu->q.qid;
	proto_strcpy(qu->q.purpose, sizeof(qu->q.purpose), a->purpose[0] ? a->purpose :
		     "investigation");
	memcpy(qu->q.case_ref, a->case_ref, sizeof(qu->q.case_ref));
	qu->q.n = a->n;
	qu->q.items = a->items;      /* moved */
	a->items = NULL;
	a->n = 0;
	qu->timeout_ms = a->timeout_ms && a->timeout_ms <= QUERY_TIMEOUT_MAX_MS ? a->timeout_ms :
			 QUERY_TIMEOUT_MS;
	qu->done = done;
	qu->arg = arg;
	if ((qu->acted = n->actor != NULL))
		qu->who = *n->actor;
	qu->wait.done = finish;
	qu->wait.release = query_release;
	send_all(qu);
	pending_start(n, &qu->wait, PENDING_QUERY, qu->q.qid, qu->timeout_ms);
	if (qu->waiting)
		batch_add_later(n, audit_query_op, audited, qu);
	else
		batch_add(n, audit_query_op, audited, qu);
	return 0;
}

const struct svc_handler query_handlers[] = {
	{ WIRE_STOLEN_RESULT, on_result },
	{ WIRE_STOLEN_RESULTS, on_results },
	{ WIRE_COUNT, NULL },
};
