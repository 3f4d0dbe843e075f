/* SPDX-License-Identifier: Apache-2.0 */
/* Asking a peer blind (PROTOCOL.md 10.12): our items blinded, its
 * evaluations read against our copy of its set, the items that hit asked
 * again in clear under the same query id; and what our audit keeps of it,
 * item by item, since the peer's cannot. */
#include <stdlib.h>
#include <string.h>

#include "query_int.h"

int query_any_fuzzy(const struct tn_stolen_query *q)
{
	for (uint32_t i = 0; i < q->n; i++)
		if (proto_item_fuzzy(&q->items[i]))
			return 1;
	return 0;
}

int query_send_one(struct query *qu, struct peer *p, uint32_t i)
{
	struct tn_peer_answer *a = &qu->reply.peers[i];
	int rc;

	proto_strcpy(a->mode, sizeof(a->mode), "clear");
	qu->node->counts.queries_sent++;
	if (!query_any_fuzzy(&qu->q) &&
	    (rc = blind_ask_new(qu->node, p->rec.name, qu->q.qid, qu->q.items, qu->q.n,
				&qu->tg[i].blind)))
		return rc;
	if (!qu->tg[i].blind)
		return ride_join(qu, p, i);
	proto_strcpy(a->mode, sizeof(a->mode), "blind");
	return env_send(p, WIRE_BLIND_QUERY, blind_ask_query(qu->tg[i].blind));
}

/* Asked blind, the peer's audit cannot say what we asked: ours does,
 * item by item. */
int query_blind_audit(struct store_txn *t, const struct query *qu, uint32_t i, const char *ref)
{
	char what[TN_TEXT_LEN];
	int rc = 0;

	for (uint32_t k = 0; k < qu->q.n && !rc; k++) {
		snprintf(what, sizeof(what), "%s %s, purpose: %s", qu->q.items[k].make,
			 qu->q.items[k].serial, qu->q.purpose);
		rc = node_audit(t, qu->reply.peers[i].peer, "out", "blind_query", ref, "sent", what);
	}
	return rc;
}

/* The items asked again in clear after they hit blind: the peer saw them. */
int query_follow_audit(struct store_txn *t, const struct query *qu, uint32_t i, const char *ref)
{
	const struct target *tg = &qu->tg[i];
	char what[TN_TEXT_LEN];
	int rc = 0;

	for (uint32_t k = 0; k < tg->n_follow && !rc; k++) {
		const struct tn_query_item *it = &qu->q.items[tg->follow[k]];

		snprintf(what, sizeof(what), "blind hit asked in clear: %s %s", it->make, it->serial);
		rc = node_audit(t, qu->reply.peers[i].peer, "out", "stolen_query", ref, "sent", what);
	}
	return rc;
}

/* The answers to a clear follow-up, in the places of the items asked
 * (a->results holds one answer per item of the query, no hit elsewhere). */
void query_follow_spread(const struct target *tg, struct tn_peer_answer *a,
			 struct tn_stolen_result *res)
{
	for (uint32_t k = 0; k < tg->n_follow && k < res->n; k++) {
		a->results[tg->follow[k]] = res->results[k];
		res->results[k].report = NULL;
	}
}

/* p's evaluations r of our blinded items: the items that hit go to p again
 * in clear (it may then answer with the report, signed, and raise its
 * owner's alert); with none, p's answer is complete. 1 while we wait. */
static int read_blind(struct query *qu, struct peer *p, uint32_t i,
		      const struct tn_blind_result *r)
{
	struct tn_peer_answer *a = &qu->reply.peers[i];
	struct target *tg = &qu->tg[i];
	struct tn_stolen_query fq = qu->q;
	uint8_t *hit = calloc(qu->q.n, 1);
	int rc = TN_ERR_NOMEM;

	a->n = qu->q.n;
	if (!hit || !(a->results = calloc(qu->q.n, sizeof(*a->results))) ||
	    !(tg->follow = calloc(qu->q.n, sizeof(*tg->follow))) ||
	    !(fq.items = calloc(qu->q.n, sizeof(*fq.items))))
		goto out;
	if ((rc = blind_ask_read(qu->node, tg->blind, p->rec.name, qu->q.items, r, hit)))
		goto out;
	for (uint32_t k = 0; k < qu->q.n; k++)
		if (hit[k]) {
			fq.items[tg->n_follow] = qu->q.items[k];
			tg->follow[tg->n_follow++] = k;
		}
	fq.n = tg->n_follow;
	rc = fq.n && !env_send(p, WIRE_STOLEN_QUERY, &fq);
out:
	free(fq.items);
	free(hit);
	return rc;
}

static void on_blind_result(struct peer *p, struct env_msg *m)
{
	struct tn_blind_result *r = m->msg;
	struct query *qu = (struct query *)pending_find(p->node, PENDING_QUERY, r->qid);
	struct tn_blind_set_get g = { 0 };
	uint32_t i = 0;
	int rc;

	while (qu && i < qu->reply.n && (strcmp(qu->reply.peers[i].peer, p->rec.name) ||
					 !qu->tg[i].blind || qu->tg[i].follow))
		i++;
	if (!qu || i == qu->reply.n || strcmp(qu->reply.peers[i].status, "waiting")) {
		peer_drop(p->node, p, DROP_unsolicited, "blind_result to no blind query of ours "
			  "waiting for it");
		return;
	}
	if (strcmp(r->status, "ok")) {
		proto_strcpy(qu->reply.peers[i].status, TN_KIND_LEN, r->status);
		if (!strcmp(r->status, "stale") && env_send(p, WIRE_BLIND_SET_GET, &g))
			node_log("warn", "%s: cannot ask %s for its blind set", p->node->cfg.name,
				 p->rec.name);
		rc = 0;
	} else if ((rc = read_blind(qu, p, i, r)) < 0) {
		peer_drop(p->node, p, rc == TN_ERR_BAD_SIG ? DROP_bad_sig : DROP_malformed,
			  rc == TN_ERR_BAD_SIG ? "blind_result whose proof does not hold" :
			  "blind_result we cannot read");
		proto_strcpy(qu->reply.peers[i].status, TN_KIND_LEN, "error");
		qu->reply.peers[i].n = 0;
	} else if (!rc) {
		proto_strcpy(qu->reply.peers[i].status, TN_KIND_LEN, "answered");
	}
	if (rc <= 0)
		query_answered(qu);
}

const struct svc_handler query_blind_handlers[] = {
	{ WIRE_BLIND_RESULT, on_blind_result },
	{ WIRE_COUNT, NULL },
};
