/* SPDX-License-Identifier: Apache-2.0 */
/* Answering a peer's lost/stolen query: look every item up in our open
 * reports (fuzzy items, if the peer's policy offers candidates, through
 * serial matching: the best open report, and how it matched), raise an
 * alert for each hit, audit, commit, then answer (signed when anything
 * hit, so the hit is a receipt). The queries of one stolen_queries are
 * answered each as if it came alone, but those without a hit go back
 * together in one stolen_results. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

/* The answers without a hit to one stolen_queries, gathered. */
struct bundle {
	uint32_t left;                /* queries not answered yet */
	struct tn_stolen_results res;
};

struct answer_job {
	struct node *node;
	struct bundle *b;             /* NULL: the query came alone */
	char peer[TN_NAME_LEN];
	struct tn_stolen_query q;
	struct tn_stolen_result res;
	uint32_t hits;
	uint32_t fuzzy;   /* items looked up by serial matching */
};

static void job_free(struct answer_job *j)
{
	proto_release(&proto_stolen_query_schema, &j->q);
	proto_release(&proto_stolen_result_schema, &j->res);
	free(j);
}

static int take_first(void *arg, const struct tn_stolen *s)
{
	struct tn_stolen_answer *a = arg;

	if (!(a->report = malloc(sizeof(*a->report))))
		return TN_ERR_NOMEM;
	*a->report = *s;
	a->hit = true;
	return 1;      /* one report is enough */
}

/* The best open report for a fuzzy item, and how it matched. */
static int look_up_fuzzy(struct store_txn *t, const struct tn_query_item *it,
			 struct tn_stolen_answer *a)
{
	struct match_query q;
	struct match_cand c;
	struct tn_stolen s;
	int rc;

	if (match_query_init(&q, it->make, it->serial, it->model, it->caliber, NULL, true))
		return 0;   /* nothing readable matches nothing */
	if ((rc = store_stolen_match(t, &q, &c, 1)) <= 0)
		return rc == TN_ERR_LIMIT ? 0 : rc;
	if ((rc = store_stolen_get(t, c.id, &s)))
		return rc;
	memcpy(a->match, c.reason, sizeof(a->match));
	rc = take_first(a, &s);
	proto_release(&proto_stolen_schema, &s);
	return rc < 0 ? rc : 0;
}

static int look_up_item(struct store_txn *t, struct answer_job *j, const struct peer *p,
			uint32_t i)
{
	const struct tn_query_item *it = &j->q.items[i];
	int rc;

	if (proto_item_fuzzy(it) && policy_candidates(p)) {
		j->fuzzy++;
		return look_up_fuzzy(t, it, &j->res.results[i]);
	}
	if (proto_item_fuzzy(it))
		j->res.exact_only = true;
	rc = store_stolen_find(t, it->make, it->serial, take_first, &j->res.results[i]);
	return rc == TN_ERR_INVALID ? 0 : rc;   /* an item that does not normalize matches nothing */
}

static int look_up(struct node *n, struct answer_job *j, const struct peer *p)
{
	struct store_txn *t;
	int rc;

	if (!(j->res.results = calloc(j->q.n ? j->q.n : 1, sizeof(*j->res.results))))
		return TN_ERR_NOMEM;
	j->res.n = j->q.n;
	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	for (uint32_t i = 0; i < j->q.n && rc >= 0; i++) {
		rc = look_up_item(t, j, p, i);
		j->hits += j->res.results[i].hit;
	}
	store_read_end(t);
	return rc < 0 ? rc : 0;
}

/* Past the peer's daily limit, fuzzy items keep only exact hits. */
static void exact_only(struct answer_job *j)
{
	for (uint32_t i = 0; i < j->res.n; i++) {
		struct tn_stolen_answer *a = &j->res.results[i];

		if (!a->match[0] || !strcmp(a->match, "exact"))
			continue;
		free(a->report);
		a->report = NULL;
		a->hit = false;
		a->match[0] = '\0';
		j->hits--;
	}
	j->res.exact_only = true;
}

/* The owner of report s learns that j's peer asked about its gun. */
static int add_alert(struct store_txn *t, const struct answer_job *j, const struct tn_stolen *s)
{
	struct tn_alert a = { .ts = node_now_ms(), .stolen_id = s->id };

	memcpy(a.peer, j->peer, sizeof(a.peer));
	memcpy(a.make, s->make, sizeof(a.make));
	memcpy(a.serial, s->serial, sizeof(a.serial));
	memcpy(a.case_ref, s->case_ref, sizeof(a.case_ref));
	memcpy(a.their_case, j->q.case_ref, sizeof(a.their_case));
	memcpy(a.purpose, j->q.purpose, sizeof(a.purpose));
	proto_strcpy(a.kind, sizeof(a.kind), "stolen_query");
	return store_alert_add(t, &a);
}

static int record_op(struct store_txn *t, void *arg)
{
	struct answer_job *j = arg;
	const struct peer *p = peer_by_name(j->node, j->peer);
	char ref[24], outcome[40], what[TN_TEXT_LEN];
	int rc = 0;

	if (j->fuzzy && p && (rc = policy_take(t, p, TN_FUZZY_UNITS * j->fuzzy))) {
		if (rc != TN_ERR_LIMIT)
			return rc;
		exact_only(j);
		rc = 0;
	}
	proto_hex64(ref, j->q.qid);
	if (j->hits)
		snprintf(outcome, sizeof(outcome), "%u hit(s)", j->hits);
	else
		proto_strcpy(outcome, sizeof(outcome), "no_hit");
	if (j->fuzzy && !j->res.exact_only)
		snprintf(outcome + strlen(outcome), sizeof(outcome) - strlen(outcome),
			 ", %u fuzzy", j->fuzzy);
	for (uint32_t i = 0; i < j->res.n && !rc; i++)
		if (j->res.results[i].report)
			rc = add_alert(t, j, j->res.results[i].report);
	if (!rc)
		rc = node_audit(t, j->peer, "in", "stolen_query", ref, outcome,
				node_audit_items(what, j->q.n, j->q.purpose));
	return rc;
}

/* The last query of a bundle answered: those without a hit go back. */
static void bundle_done(struct node *n, struct peer *p, struct bundle *b)
{
	if (p && b->res.n && env_send(p, WIRE_STOLEN_RESULTS, &b->res))
		node_log("warn", "%s: cannot answer %s's queries", n->cfg.name, p->rec.name);
	else if (p)
		n->counts.queries_answered += b->res.n;
	proto_release(&proto_stolen_results_schema, &b->res);
	free(b);
}

static void send_answer(void *arg, int rc)
{
	struct answer_job *j = arg;
	struct node *n = j->node;
	struct peer *p = peer_by_name(n, j->peer);
	struct bundle *b = j->b;

	if (rc) {
		node_log("error", "%s: cannot record the answer to %s: %s", n->cfg.name,
			 j->peer, tn_strerror(rc));
		proto_strcpy(j->res.status, sizeof(j->res.status), "error");
		j->res.n = 0;
		j->hits = 0;
	} else if (j->hits) {
		node_log("warn", "%s: ALERT: %s's query hit %u of our lost/stolen reports",
			 n->cfg.name, j->peer, j->hits);
	}
	if (b && !j->hits) {
		b->res.results[b->res.n++] = j->res;   /* it goes with the others */
		memset(&j->res, 0, sizeof(j->res));
	} else if (p && env_send(p, WIRE_STOLEN_RESULT, &j->res)) {
		node_log("warn", "%s: cannot answer %s's query", n->cfg.name, j->peer);
	} else if (p) {
		n->counts.queries_answered++;
	}
	if (b && !--b->left)
		bundle_done(n, p, b);
	job_free(j);
}

/* Look q up and answer it once its audit entry is committed; q is taken. */
static void answer(struct peer *p, struct tn_stolen_query *q, struct bundle *b)
{
	struct answer_job *j = calloc(1, sizeof(*j));
	struct node *n = p->node;

	if (!j) {
		proto_release(&proto_stolen_query_schema, q);
		if (b && !--b->left)
			bundle_done(n, p, b);
		return;
	}
	j->node = n;
	j->b = b;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	j->q = *q;
	memset(q, 0, sizeof(*q));
	j->res.qid = j->q.qid;
	proto_strcpy(j->res.status, sizeof(j->res.status), "ok");
	if (!policy_stolen_allowed(p)) {
		proto_strcpy(j->res.status, sizeof(j->res.status), "declined");
	} else if (look_up(n, j, p)) {
		proto_strcpy(j->res.status, sizeof(j->res.status), "error");
		j->res.n = 0;
		j->hits = 0;
	}
	batch_add(n, record_op, send_answer, j);
}

static void on_query(struct peer *p, struct env_msg *m)
{
	struct tn_stolen_query q;

	env_take(m, &q);
	p->node->counts.query_envelopes++;
	answer(p, &q, NULL);
}

static void on_queries(struct peer *p, struct env_msg *m)
{
	struct tn_stolen_queries *qs = m->msg;
	struct bundle *b;

	if (proto_asks_items(qs) > TN_QUERY_ITEMS_MAX) {
		peer_drop(p->node, p, DROP_malformed, "stolen_queries of more than 1000 items");
		return;
	}
	if (!qs->n)
		return;
	if (!(b = calloc(1, sizeof(*b))) ||
	    !(b->res.results = calloc(qs->n, sizeof(*b->res.results)))) {
		free(b);
		return;
	}
	p->node->counts.query_envelopes++;
	b->left = qs->n;
	for (uint32_t i = 0; i < qs->n; i++)
		answer(p, &qs->asks[i], b);
}

const struct svc_handler answer_handlers[] = {
	{ WIRE_STOLEN_QUERY, on_query },
	{ WIRE_STOLEN_QUERIES, on_queries },
	{ WIRE_COUNT, NULL },
};
