/* SPDX-License-Identifier: Apache-2.0 */
/* Our audit checkpoints: every [audit] checkpoint_every, and on demand,
 * the node extends the Merkle tree over its audit entries, signs its root
 * and head ("tracenet/1 checkpoint") and queues it in the outbox of every
 * pinned peer, with the proof that it extends the last one that peer was
 * sent (or, after a refusal, the one it says it holds). The peers are the
 * witnesses: a history rewritten later no longer extends what they hold. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

/* Leaves added to the tree in one commit: a long log catches up over
 * several, each signed, rather than in one long stall of the loop. */
#define CHECKPOINT_STEP 100000

struct cp_job {
	struct node *node;
	uint64_t now;
	struct tn_checkpoint cp;   /* the new one, or the last when the log did not grow */
	int made;
	int behind;                /* the tree has not reached the head yet */
	char (*peers)[TN_NAME_LEN];
	uint32_t n_peers, cap;
	checkpoint_done_fn done;
	void *arg;
};

static int note_peer(void *arg, const struct tn_peer *p)
{
	struct cp_job *j = arg;

	if (proto_grow((void **)&j->peers, j->n_peers, &j->cap, sizeof(*j->peers)))
		return TN_ERR_NOMEM;
	memcpy(j->peers[j->n_peers++], p->name, TN_NAME_LEN);
	return 0;
}

/* A peer's checkpoints still waiting in its outbox: only the newest
 * counts, so the older ones go (a peer that never answers holds one). */
struct pending_cps {
	uint8_t (*mids)[TN_MID_LEN];
	uint32_t n, cap;
};

static int note_cp(void *arg, const struct tn_outmsg *m)
{
	struct pending_cps *p = arg;

	if (strcmp(m->type, wire_types[WIRE_CHECKPOINT].name))
		return 0;
	if (proto_grow((void **)&p->mids, p->n, &p->cap, sizeof(*p->mids)))
		return TN_ERR_NOMEM;
	memcpy(p->mids[p->n++], m->mid, TN_MID_LEN);
	return 0;
}

static int drop_pending(struct store_txn *t, const char *peer, uint32_t *dropped)
{
	struct pending_cps p = { 0 };
	int rc = store_outbox_each(t, peer, note_cp, &p);

	for (uint32_t i = 0; i < p.n && !rc; i++)
		rc = store_outbox_del(t, peer, p.mids[i]);
	*dropped = p.n;
	free(p.mids);
	return rc;
}

/* Where peer's proof starts: the last checkpoint it was sent; but the
 * size it says it holds when it refused one, or when the last one sent
 * never arrived (dropped). */
static int proof_base(struct store_txn *t, const char *peer, uint64_t size, uint64_t *base)
{
	struct tn_cosignature c;
	uint32_t dropped;
	int rc;

	if ((rc = drop_pending(t, peer, &dropped)))
		return rc;
	if ((rc = store_cosig_get(t, peer, &c)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (dropped || (!rc && strcmp(c.status, "witnessed"))) {
		*base = !rc && c.held_size <= size ? c.held_size : 0;
		return 0;
	}
	return store_checkpoint_sent_get(t, peer, base);
}

static int queue_to(struct store_txn *t, const struct tn_checkpoint *cp, const char *peer)
{
	uint8_t proof[MERKLE_DEPTH][TN_HASH_LEN];
	struct tn_checkpoint_msg m = { .cp = *cp };
	uint32_t count = 0;
	int rc;

	if ((rc = proof_base(t, peer, cp->size, &m.from_size)))
		return rc;
	if (m.from_size &&
	    (rc = store_tree_proof(t, node_audit_hash, m.from_size, cp->size, proof, &count)))
		return rc;
	m.n_proof = count * TN_HASH_LEN;
	m.proof = count ? &proof[0][0] : NULL;
	outbox_new_mid(m.mid);
	if ((rc = outbox_queue(t, peer, WIRE_CHECKPOINT, m.mid, &m)))
		return rc;
	return store_checkpoint_sent_put(t, peer, cp->size);
}

/* Sign the tree of the first size entries, and entry size's hash. */
static int sign(struct store_txn *t, struct cp_job *j, uint64_t size)
{
	struct tn_checkpoint *cp = &j->cp;
	int rc;

	memset(cp, 0, sizeof(*cp));
	proto_strcpy(cp->node, sizeof(cp->node), j->node->cfg.name);
	cp->size = size;
	cp->ts = j->now;
	if ((rc = store_audit_hash_at(t, size, cp->head)) ||
	    (rc = store_tree_root(t, node_audit_hash, size, cp->root)))
		return rc;
	return cx_checkpoint_sign(j->node->id, cp);
}

/* Runs again from scratch when its batch does. */
static int make_op(struct store_txn *t, void *arg)
{
	struct cp_job *j = arg;
	uint8_t last[TN_HASH_LEN];
	uint64_t size, head;
	int rc;

	j->made = j->behind = 0;
	j->n_peers = 0;
	if ((rc = store_audit_head(t, &head, last)) ||
	    (rc = store_tree_extend(t, node_audit_hash, head, CHECKPOINT_STEP, &size)))
		return rc;
	j->behind = size < head;
	rc = store_checkpoint_get(t, 0, &j->cp);
	if (rc != TN_ERR_NOT_FOUND && (rc || j->cp.size == size))
		return rc;                          /* the log did not grow */
	if (!size)
		return 0;
	if ((rc = sign(t, j, size)) || (rc = store_checkpoint_put(t, &j->cp)) ||
	    (rc = store_peer_each(t, note_peer, j)))
		return rc;
	for (uint32_t i = 0; i < j->n_peers && !rc; i++)
		rc = queue_to(t, &j->cp, j->peers[i]);
	j->made = !rc;
	return rc;
}

static void on_timer(uv_timer_t *t);

static void made(void *arg, int rc)
{
	struct cp_job *j = arg;
	struct peer *p;

	if (rc)
		node_log("error", "audit checkpoint failed: %s", tn_strerror(rc));
	else if (j->made)
		node_log("info", "audit checkpoint %llu signed and queued to %u peer(s)",
			 (unsigned long long)j->cp.size, j->n_peers);
	for (uint32_t i = 0; !rc && j->made && i < j->n_peers; i++)
		if ((p = peer_by_name(j->node, j->peers[i])))
			outbox_flush(p);
	if (!rc && j->behind)
		uv_timer_start(&j->node->checkpoint, on_timer, 0, j->node->cfg.checkpoint_ms);
	if (j->done)
		j->done(j->arg, rc, &j->cp);
	free(j->peers);
	free(j);
}

void checkpoint_now(struct node *n, checkpoint_done_fn done, void *arg)
{
	struct cp_job *j = calloc(1, sizeof(*j));

	if (!j) {
		if (done)
			done(arg, TN_ERR_NOMEM, NULL);
		return;
	}
	j->node = n;
	j->now = node_now_ms();
	j->done = done;
	j->arg = arg;
	batch_add(n, make_op, made, j);
}

static void on_timer(uv_timer_t *t)
{
	checkpoint_now(t->data, NULL, NULL);
}

void checkpoint_start(struct node *n)
{
	uint64_t every = n->cfg.checkpoint_ms;

	uv_timer_init(&n->loop, &n->checkpoint);
	n->checkpoint.data = n;
	uv_timer_start(&n->checkpoint, on_timer, every, every);
}
