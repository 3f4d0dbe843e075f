/* SPDX-License-Identifier: Apache-2.0 */
/* Blind lost/stolen checks, the owner's side: our OPRF key and our set of
 * tags (the first bytes of the OPRF output of each open report's make and
 * serial), kept as reports are filed and recovered, published to every
 * peer whose policy says blind (whole, then by versioned changes through
 * the outbox). Evaluating a peer's blinded items is in blind_eval.c. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define META_SK "blind:sk"

struct blind_key {
	uint8_t *sk;                  /* locked memory */
	struct tn_blind_state st;     /* epoch, mode and pk of the key (version and
				       * count as at start: the store has them) */
};

const struct tn_blind_state *blind_state(const struct node *n)
{
	return n->blind ? &n->blind->st : NULL;
}

/* The tag of make and serial under key k. */
static int tag_under(const struct blind_key *k, const char *make, const char *serial,
		     uint8_t tag[TN_BLIND_TAG])
{
	char in[TN_MAKE_LEN + TN_SERIAL_LEN];
	uint8_t out[CX_OPRF_OUT];
	int len, rc;

	if (!k)
		return TN_ERR_INVALID;
	if ((len = proto_blind_input(make, serial, in, sizeof(in))) < 0)
		return len;
	if ((rc = cx_oprf_output(k->st.mode, k->sk, in, (size_t)len, out)))
		return rc;
	memcpy(tag, out, TN_BLIND_TAG);
	return 0;
}

int blind_tag(const struct node *n, const char *make, const char *serial,
	      uint8_t tag[TN_BLIND_TAG])
{
	return tag_under(n->blind, make, serial, tag);
}

int blind_key_evaluate(const struct blind_key *k, const uint8_t *elem, uint32_t count,
		       uint8_t *eval, uint8_t proof[TN_BLIND_PROOF])
{
	int rc = 0;

	for (uint32_t i = 0; i < count && !rc; i++)
		rc = cx_oprf_evaluate(k->sk, elem + (size_t)i * TN_BLIND_ELEM,
				      eval + (size_t)i * TN_BLIND_ELEM);
	if (!rc && k->st.mode == CX_VOPRF)
		rc = cx_voprf_prove(k->sk, k->st.pk, (const uint8_t (*)[CX_OPRF_ELEM])elem,
				    (const uint8_t (*)[CX_OPRF_ELEM])eval, count, NULL, proof);
	return rc;
}

uint32_t blind_key_mode(const struct blind_key *k)
{
	return k->st.mode;
}

/* A blind_set of our set at state st, to fill in. */
static void set_head(const struct tn_blind_state *st, struct tn_blind_set *m)
{
	memset(m, 0, sizeof(*m));
	m->epoch = st->epoch;
	m->mode = st->mode;
	memcpy(m->pk, st->pk, sizeof(m->pk));
	m->version = st->version;
	m->count = st->count;
}

static int queue_set(struct store_txn *t, const char *peer, struct tn_blind_set *m)
{
	outbox_new_mid(m->mid);
	return outbox_queue(t, peer, WIRE_BLIND_SET, m->mid, m);
}

/* Our whole set to one peer, in messages of TN_BLIND_CHUNK tags. */
struct chunker {
	struct store_txn *t;
	const char *peer;
	struct tn_blind_set m;
	uint8_t *buf;
};

static int chunk_add(void *arg, const uint8_t tag[TN_BLIND_TAG])
{
	struct chunker *c = arg;
	int rc;

	memcpy(c->buf + c->m.n_add, tag, TN_BLIND_TAG);
	c->m.n_add += TN_BLIND_TAG;
	if (c->m.n_add < TN_BLIND_CHUNK * TN_BLIND_TAG)
		return 0;
	c->m.add = c->buf;
	rc = queue_set(c->t, c->peer, &c->m);
	c->m.full = false;         /* the next ones continue this version */
	c->m.base = c->m.version;
	c->m.n_add = 0;
	return rc;
}

int blind_publish(struct store_txn *t, struct node *n, const char *peer)
{
	struct chunker c = { .t = t, .peer = peer };
	struct tn_blind_state st;
	int rc;

	if (!n->blind)
		return TN_ERR_INVALID;
	if ((rc = store_blind_state_get(t, NULL, &st)))
		return rc;
	if (!(c.buf = malloc(TN_BLIND_CHUNK * TN_BLIND_TAG)))
		return TN_ERR_NOMEM;
	set_head(&st, &c.m);
	c.m.full = true;
	rc = store_blind_each(t, NULL, chunk_add, &c);
	if (!rc) {
		c.m.last = true;
		c.m.add = c.m.n_add ? c.buf : NULL;
		rc = queue_set(t, peer, &c.m);
	}
	free(c.buf);
	return rc;
}

int blind_withdraw(struct store_txn *t, const char *peer)
{
	struct tn_blind_set m = { .full = true, .last = true };

	return queue_set(t, peer, &m);
}

/* Tell every blind peer that tag entered (or left) our set, now at st. */
static int send_change(struct store_txn *t, struct node *n, const struct tn_blind_state *st,
		       const uint8_t tag[TN_BLIND_TAG], int added)
{
	struct tn_blind_set m;
	uint8_t copy[TN_BLIND_TAG];
	int rc = 0;

	memcpy(copy, tag, sizeof(copy));
	for (struct peer *p = n->peers; p && !rc; p = p->next) {
		if (!policy_stolen_blind(p))
			continue;
		set_head(st, &m);
		m.base = m.version - 1;
		m.last = true;
		if (added)
			m.add = copy, m.n_add = TN_BLIND_TAG;
		else
			m.del = copy, m.n_del = TN_BLIND_TAG;
		rc = queue_set(t, p->rec.name, &m);
	}
	return rc;
}

/* Inside the op that files (delta 1) or recovers (-1) report s: our set
 * and its state change in the op's transaction only (n->blind keeps the
 * key, which no report changes). */
int blind_report(struct store_txn *t, struct node *n, const struct tn_stolen *s, int delta)
{
	struct tn_blind_state st;
	uint8_t tag[TN_BLIND_TAG];
	int rc;

	if (!n->blind)
		return 0;
	if ((rc = blind_tag(n, s->make, s->serial, tag)))
		return rc == TN_ERR_INVALID ? 0 : rc;
	rc = delta > 0 ? store_blind_own_add(t, tag) : store_blind_own_del(t, tag);
	if (rc <= 0)
		return rc;
	if ((rc = store_blind_state_get(t, NULL, &st)))
		return rc;
	st.version++;
	st.count = delta > 0 ? st.count + 1 : st.count - 1;
	if ((rc = store_blind_state_put(t, NULL, &st)))
		return rc;
	return send_change(t, n, &st, tag, delta > 0);
}

/* ---- the key, made at the first start ---- */

struct rebuild {
	struct blind_key *k;
	struct store_txn *t;
	uint32_t count;
};

static int add_report(void *arg, const struct tn_stolen *s)
{
	struct rebuild *r = arg;
	uint8_t tag[TN_BLIND_TAG];
	int rc = tag_under(r->k, s->make, s->serial, tag);

	if (rc)
		return rc == TN_ERR_INVALID ? 0 : rc;
	if ((rc = store_blind_own_add(r->t, tag)) < 0)
		return rc;
	r->count += (uint32_t)rc;
	return 0;
}

/* A new key k (sk, pk, epoch, mode): our set made again from the open
 * reports under it, its version past the last one. */
static int make_key_op(struct store_txn *t, void *arg)
{
	struct rebuild r = { .k = arg, .t = t };
	struct blind_key *k = r.k;
	struct tn_blind_state old;
	uint64_t version = 0;
	int rc;

	if (!store_blind_state_get(t, NULL, &old))
		version = old.version;
	if ((rc = store_blind_clear(t, NULL)) ||
	    (rc = store_stolen_each(t, 1, add_report, &r)) < 0)
		return rc;
	k->st.version = version + 1;
	k->st.count = r.count;
	k->st.complete = true;
	if ((rc = store_meta_put(t, META_SK, k->sk, CX_OPRF_SCALAR)))
		return rc;
	return store_blind_state_put(t, NULL, &k->st);
}

static void key_free(struct blind_key *k)
{
	if (k)
		cx_secret_free(k->sk);
	free(k);
}

/* A fresh key pair and epoch, not yet stored: VOPRF when proof, else
 * OPRF (the owner controls its set anyway; the proof only shows that it
 * used the published key, and costs the asker 0.3 ms a query). */
static struct blind_key *key_fresh(int proof)
{
	struct blind_key *k = calloc(1, sizeof(*k));

	if (!k || !(k->sk = cx_secret_new(CX_OPRF_SCALAR))) {
		key_free(k);
		return NULL;
	}
	cx_oprf_keygen(k->sk, k->st.pk);
	do
		cx_random(&k->st.epoch, sizeof(k->st.epoch));
	while (!k->st.epoch);
	k->st.mode = proof ? CX_VOPRF : CX_OPRF;
	return k;
}

struct blind_key *blind_key_dup(const struct node *n)
{
	struct blind_key *k;

	if (!n->blind || !(k = calloc(1, sizeof(*k))))
		return NULL;
	if (!(k->sk = cx_secret_new(CX_OPRF_SCALAR))) {
		free(k);
		return NULL;
	}
	memcpy(k->sk, n->blind->sk, CX_OPRF_SCALAR);
	k->st = n->blind->st;
	return k;
}

void blind_key_free(struct blind_key *k)
{
	key_free(k);
}

/* ---- a new key, at the operator's word ---- */

struct blind_rekey {
	struct node *node;
	struct blind_key *k;
};

struct blind_rekey *blind_rekey_new(struct node *n)
{
	struct blind_rekey *r = calloc(1, sizeof(*r));

	if (r && !(r->k = key_fresh(n->cfg.blind_proof))) {
		free(r);
		return NULL;
	}
	if (r)
		r->node = n;
	return r;
}

int blind_rekey_op(struct store_txn *t, struct blind_rekey *r)
{
	int rc = make_key_op(t, r->k);

	for (struct peer *p = r->node->peers; !rc && p; p = p->next)
		if (policy_stolen_blind(p))
			rc = blind_publish(t, r->node, p->rec.name);
	return rc ? rc : node_audit_local(t, "stolen.rekey", 0, "epoch %016llx, %u tags",
					  (unsigned long long)r->k->st.epoch, r->k->st.count);
}

const struct tn_blind_state *blind_rekey_done(struct blind_rekey *r, int rc)
{
	if (!rc) {
		key_free(r->node->blind);
		r->node->blind = r->k;
		r->k = NULL;
		for (struct peer *p = r->node->peers; p; p = p->next)
			if (policy_stolen_blind(p))
				outbox_flush(p);
	}
	return rc ? NULL : &r->node->blind->st;
}

void blind_rekey_free(struct blind_rekey *r)
{
	if (r)
		key_free(r->k);
	free(r);
}

static int key_load(struct node *n)
{
	struct store_txn *t;
	size_t len = 0;
	int rc;

	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	rc = store_blind_state_get(t, NULL, &n->blind->st);
	if (!rc)
		rc = store_meta_get(t, META_SK, n->blind->sk, CX_OPRF_SCALAR, &len);
	if (!rc && len != CX_OPRF_SCALAR)
		rc = TN_ERR_STORE;
	store_read_end(t);
	return rc;
}

int blind_start(struct node *n)
{
	int rc;

	if (!(n->blind = key_fresh(n->cfg.blind_proof)))
		return TN_ERR_NOMEM;
	if ((rc = key_load(n)) == TN_ERR_NOT_FOUND)
		rc = store_write(n->store, make_key_op, n->blind);
	if (rc) {
		node_log("error", "%s: no key for blind checks: %s", n->cfg.name, tn_strerror(rc));
		blind_stop(n);
	}
	return rc;
}

void blind_stop(struct node *n)
{
	key_free(n->blind);
	n->blind = NULL;
}
