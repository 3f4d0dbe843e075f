/* SPDX-License-Identifier: Apache-2.0 */
/* Blind lost/stolen checks, the asker's side: the copy we keep of each
 * peer's set of tags (taken whole, then changed version by version; a gap
 * or a wrong count asks the peer for it whole again), and the blinding of
 * our items and the reading of the peer's evaluations against that copy.
 * The peer sees blinded elements only; we learn hit or no hit. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

struct copy_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_blind_set m;
	int refetch;               /* the copy is broken: ask for it whole */
	uint64_t epoch, version;   /* of the copy, for that request */
};

static void copy_job_free(struct copy_job *j)
{
	proto_release(&proto_blind_set_schema, &j->m);
	free(j);
}

/* Apply n bytes of tags to peer's copy: put (add) or delete; the change of
 * its size. */
static int apply(struct store_txn *t, const char *peer, const uint8_t *tags, uint32_t n,
		 int add, int64_t *size)
{
	int rc = 0;

	for (uint32_t i = 0; i + TN_BLIND_TAG <= n && rc >= 0; i += TN_BLIND_TAG) {
		rc = add ? store_blind_peer_put(t, peer, tags + i) : store_blind_peer_del(t, peer, tags + i);
		if (rc > 0)
			*size += add ? 1 : -1;
	}
	return rc < 0 ? rc : 0;
}

/* Does m follow what we hold (st, found or not)? */
static int follows(const struct tn_blind_set *m, const struct tn_blind_state *st, int found)
{
	if (m->full)
		return 1;
	return found && st->epoch == m->epoch && st->version == m->base &&
	       (m->version == m->base + 1 || (m->version == m->base && !st->complete));
}

static int copy_op(struct store_txn *t, void *arg)
{
	struct copy_job *j = arg;
	struct tn_blind_state st = { 0 };
	int found, rc;
	int64_t size;

	j->refetch = 0;
	if ((rc = store_blind_state_get(t, j->peer, &st)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	found = !rc;
	if (!j->m.epoch)           /* the peer gives us no blind set (any more) */
		return (rc = store_blind_clear(t, j->peer)) ? rc : store_blind_state_del(t, j->peer);
	if (found && !j->m.full && st.complete && st.epoch == j->m.epoch &&
	    j->m.version <= st.version)
		return 0;              /* one we applied already, sent again: ack it */
	if (!follows(&j->m, &st, found)) {
		j->refetch = 1;
		j->epoch = st.epoch;
		j->version = st.version;
		st.complete = false;
		return found ? store_blind_state_put(t, j->peer, &st) : 0;
	}
	if (j->m.full) {
		if ((rc = store_blind_clear(t, j->peer)))
			return rc;
		memset(&st, 0, sizeof(st));
	}
	size = st.count;
	if ((rc = apply(t, j->peer, j->m.add, j->m.n_add, 1, &size)) ||
	    (rc = apply(t, j->peer, j->m.del, j->m.n_del, 0, &size)))
		return rc;
	st.epoch = j->m.epoch;
	st.mode = j->m.mode;
	memcpy(st.pk, j->m.pk, sizeof(st.pk));
	st.version = j->m.version;
	st.count = (uint32_t)size;
	st.complete = j->m.last;
	if (st.complete && st.count != j->m.count) {
		j->refetch = 1;        /* we hold another set than the peer says */
		j->epoch = st.epoch;
		j->version = st.version;
		st.complete = false;
	}
	return store_blind_state_put(t, j->peer, &st);
}

static void copied(void *arg, int rc)
{
	struct copy_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);
	struct tn_blind_set_get g = { .epoch = j->epoch, .version = j->version };

	if (rc)
		node_log("error", "%s: cannot keep %s's blind set: %s", j->node->cfg.name, j->peer,
			 tn_strerror(rc));
	else if (p && !outbox_ack(p, j->m.mid))
		outbox_flush(p);
	if (!rc && p && j->refetch) {
		node_log("warn", "%s: our copy of %s's blind set is behind or wrong; asking for it "
			 "whole", j->node->cfg.name, j->peer);
		if (env_send(p, WIRE_BLIND_SET_GET, &g))
			node_log("warn", "%s: cannot ask %s for its blind set", j->node->cfg.name,
				 j->peer);
	}
	copy_job_free(j);
}

static void on_set(struct peer *p, struct env_msg *m)
{
	struct copy_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	env_take(m, &j->m);
	if (j->m.n_add % TN_BLIND_TAG || j->m.n_del % TN_BLIND_TAG) {
		peer_drop(p->node, p, DROP_malformed, "blind_set tags not a multiple of 8 bytes");
		copy_job_free(j);
		return;
	}
	batch_add(p->node, copy_op, copied, j);
}

const struct svc_handler blind_copy_handlers[] = {
	{ WIRE_BLIND_SET, on_set },
	{ WIRE_COUNT, NULL },
};

/* ---- asking ---- */

struct blind_ask {
	struct tn_blind_state st;
	uint32_t count;
	uint8_t *blinds;           /* count scalars, locked memory */
	struct tn_blind_query q;
};

void blind_ask_free(struct blind_ask *a)
{
	if (!a)
		return;
	cx_secret_free(a->blinds);
	free(a->q.elem);
	free(a);
}

/* Blind item i into a's i-th element. */
static int blind_item(struct blind_ask *a, const struct tn_query_item *it, uint32_t i)
{
	char in[TN_MAKE_LEN + TN_SERIAL_LEN];
	int len = proto_blind_input(it->make, it->serial, in, sizeof(in));

	if (len < 0)
		return len;
	return cx_oprf_blind(a->st.mode, in, (size_t)len, NULL,
			     a->blinds + (size_t)i * CX_OPRF_SCALAR,
			     a->q.elem + (size_t)i * TN_BLIND_ELEM);
}

int blind_ask_new(struct node *n, const char *peer, uint64_t qid,
		  const struct tn_query_item *items, uint32_t count, struct blind_ask **out)
{
	struct tn_blind_state st;
	struct blind_ask *a;
	struct store_txn *t;
	int rc;

	*out = NULL;
	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	rc = store_blind_state_get(t, peer, &st);
	store_read_end(t);
	if (rc || !st.complete || !st.epoch)
		return rc == TN_ERR_NOT_FOUND || !rc ? 0 : rc;   /* ask in clear */
	if (!(a = calloc(1, sizeof(*a))))
		return TN_ERR_NOMEM;
	a->st = st;
	a->count = count;
	a->q.qid = qid;
	a->q.epoch = a->st.epoch;
	a->q.n_elem = count * TN_BLIND_ELEM;
	rc = TN_ERR_NOMEM;
	if (!(a->blinds = cx_secret_new((size_t)count * CX_OPRF_SCALAR)) ||
	    !(a->q.elem = malloc(a->q.n_elem)))
		goto fail;
	for (uint32_t i = 0; i < count; i++)
		if ((rc = blind_item(a, &items[i], i)))
			goto fail;
	*out = a;
	return 0;
fail:
	blind_ask_free(a);
	return rc;
}

const struct tn_blind_query *blind_ask_query(const struct blind_ask *a)
{
	return &a->q;
}

/* The tag of item i from its evaluation. */
static int item_tag(const struct blind_ask *a, const struct tn_query_item *it, uint32_t i,
		    const uint8_t *eval, uint8_t tag[TN_BLIND_TAG])
{
	char in[TN_MAKE_LEN + TN_SERIAL_LEN];
	uint8_t out[CX_OPRF_OUT];
	int len = proto_blind_input(it->make, it->serial, in, sizeof(in)), rc;

	if (len < 0)
		return len;
	rc = cx_oprf_finalize(a->st.mode, in, (size_t)len, a->blinds + (size_t)i * CX_OPRF_SCALAR,
			      eval + (size_t)i * TN_BLIND_ELEM, out);
	memcpy(tag, out, TN_BLIND_TAG);
	return rc;
}

int blind_ask_read(struct node *n, const struct blind_ask *a, const char *peer,
		   const struct tn_query_item *items, const struct tn_blind_result *r,
		   uint8_t *hit)
{
	uint8_t tag[TN_BLIND_TAG];
	struct store_txn *t;
	int rc = 0;

	if (r->n_eval != a->q.n_elem)
		return TN_ERR_INVALID;
	if (a->st.mode == CX_VOPRF &&
	    (r->n_proof != TN_BLIND_PROOF ||
	     cx_voprf_verify(a->st.pk, (const uint8_t (*)[CX_OPRF_ELEM])a->q.elem,
			     (const uint8_t (*)[CX_OPRF_ELEM])r->eval, a->count, r->proof)))
		return TN_ERR_BAD_SIG;
	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	for (uint32_t i = 0; i < a->count && rc >= 0; i++) {
		if (!(rc = item_tag(a, &items[i], i, r->eval, tag)))
			rc = store_blind_has(t, peer, tag);
		hit[i] = rc > 0;
	}
	store_read_end(t);
	return rc < 0 ? rc : 0;
}
