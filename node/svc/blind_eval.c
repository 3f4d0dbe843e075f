/* SPDX-License-Identifier: Apache-2.0 */
/* Blind lost/stolen checks, the owner's side of a query: a peer's blinded
 * items are counted against its daily quota and audited by count (we never
 * see an item), committed, then evaluated under our key, with the VOPRF
 * proof that they were; and a peer whose copy of our set broke gets it
 * whole again. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

/* A peer may ask for our whole set again once a minute. */
#define SET_GET_EVERY_MS 60000

struct eval_job {
	uv_work_t work;
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_blind_query q;
	struct tn_blind_result res;
	uint32_t count;            /* elements */
	struct blind_key *key;     /* a copy, for the worker */
	int rc;
};

static void eval_job_free(struct eval_job *j)
{
	blind_key_free(j->key);
	proto_release(&proto_blind_query_schema, &j->q);
	proto_release(&proto_blind_result_schema, &j->res);
	free(j);
}

static void status(struct eval_job *j, const char *s)
{
	proto_strcpy(j->res.status, sizeof(j->res.status), s);
}

/* Count, then audit: the quota is the bound on testing serials. */
static int eval_op(struct store_txn *t, void *arg)
{
	struct eval_job *j = arg;
	const struct peer *p = peer_by_name(j->node, j->peer);
	char ref[24], outcome[32];
	int rc;

	if (!strcmp(j->res.status, "ok") && p &&
	    (rc = policy_take_blind(t, p, j->count)) != 0) {
		if (rc != TN_ERR_LIMIT)
			return rc;
		status(j, "over_limit");
	}
	proto_hex64(ref, j->q.qid);
	if (!strcmp(j->res.status, "ok"))
		snprintf(outcome, sizeof(outcome), "%u evaluated", j->count);
	else
		proto_strcpy(outcome, sizeof(outcome), j->res.status);
	return node_audit(t, j->peer, "in", "blind_query", ref, outcome, "");
}

/* On a worker thread: the evaluations and their proof, under the key as
 * it was when the query was counted. */
static void eval_work(uv_work_t *w)
{
	struct eval_job *j = w->data;
	size_t n = (size_t)j->count * TN_BLIND_ELEM;

	j->rc = TN_ERR_NOMEM;
	if (!(j->res.eval = malloc(n)) || !(j->res.proof = malloc(TN_BLIND_PROOF)))
		return;
	j->res.n_eval = (uint32_t)n;
	j->res.n_proof = blind_key_mode(j->key) == CX_VOPRF ? TN_BLIND_PROOF : 0;
	j->rc = blind_key_evaluate(j->key, j->q.elem, j->count, j->res.eval, j->res.proof);
}

/* Answer j's peer (evaluations only with "ok"), and be done with j. */
static void reply(struct eval_job *j)
{
	struct peer *p = peer_by_name(j->node, j->peer);

	if (strcmp(j->res.status, "ok"))
		j->res.n_eval = j->res.n_proof = 0;
	if (p && env_send(p, WIRE_BLIND_RESULT, &j->res))
		node_log("warn", "%s: cannot answer %s's blind query", j->node->cfg.name, j->peer);
	eval_job_free(j);
}

static void eval_sent(uv_work_t *w, int done)
{
	struct eval_job *j = w->data;

	if (done || j->rc) {
		node_log("warn", "%s: %s's blind query holds an element we cannot evaluate: %s",
			 j->node->cfg.name, j->peer, tn_strerror(done ? TN_ERR_IO : j->rc));
		status(j, "error");
	}
	reply(j);
}

/* Counted and audited: evaluated on the thread pool (the loop serves the
 * other links and the console meanwhile), then answered. */
static void eval_send(void *arg, int rc)
{
	struct eval_job *j = arg;

	if (rc) {
		node_log("error", "%s: cannot record %s's blind query: %s", j->node->cfg.name,
			 j->peer, tn_strerror(rc));
		status(j, "error");
	} else if (!strcmp(j->res.status, "ok")) {
		j->work.data = j;
		if ((j->key = blind_key_dup(j->node)) &&
		    !uv_queue_work(&j->node->loop, &j->work, eval_work, eval_sent))
			return;
		status(j, "error");
	}
	reply(j);
}

static void on_query(struct peer *p, struct env_msg *m)
{
	struct eval_job *j = calloc(1, sizeof(*j));
	const struct tn_blind_state *st = blind_state(p->node);

	if (!j)
		return;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	env_take(m, &j->q);
	j->res.qid = j->q.qid;
	j->count = j->q.n_elem / TN_BLIND_ELEM;
	status(j, "ok");
	if (!st || !policy_stolen_blind(p))
		status(j, "declined");
	else if (j->q.epoch != st->epoch)
		status(j, "stale");
	else if (!j->count || j->q.n_elem % TN_BLIND_ELEM)
		status(j, "error");
	batch_add(p->node, eval_op, eval_send, j);
}

/* ---- a copy to make again ---- */

struct resend_job {
	struct node *node;
	char peer[TN_NAME_LEN];
};

static int resend_op(struct store_txn *t, void *arg)
{
	struct resend_job *j = arg;
	int rc = blind_publish(t, j->node, j->peer);

	return rc ? rc : node_audit(t, j->peer, "out", "blind_set", "", "whole set", "asked for");
}

static void resent(void *arg, int rc)
{
	struct resend_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);

	if (rc)
		node_log("error", "%s: cannot send our blind set to %s again: %s",
			 j->node->cfg.name, j->peer, tn_strerror(rc));
	else if (p)
		outbox_flush(p);
	free(j);
}

static void on_set_get(struct peer *p, struct env_msg *m)
{
	struct tn_blind_set_get g;
	struct resend_job *j;
	uint64_t now = node_now_ms();

	env_take(m, &g);
	if (!policy_stolen_blind(p) || now - p->blind_sent_ms < SET_GET_EVERY_MS) {
		peer_drop(p->node, p, DROP_unsolicited, policy_stolen_blind(p) ?
			  "blind_set_get again within a minute" :
			  "blind_set_get from a peer we give no blind set");
		return;
	}
	if (!(j = calloc(1, sizeof(*j))))
		return;
	p->blind_sent_ms = now;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	batch_add(p->node, resend_op, resent, j);
}

const struct svc_handler blind_eval_handlers[] = {
	{ WIRE_BLIND_QUERY, on_query },
	{ WIRE_BLIND_SET_GET, on_set_get },
	{ WIRE_COUNT, NULL },
};
