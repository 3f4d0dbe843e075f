/* SPDX-License-Identifier: Apache-2.0 */
/* What our peers, as witnesses, say of our audit log: their answers to
 * the checkpoints we sent them (a checked cosignature, or a refusal that
 * means our log no longer extends what they hold), and the live question
 * of which checkpoint of ours each one holds (audit verify). */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define ASK_TIMEOUT_MS 5000

/* ---- checkpoint_get / checkpoint_held ---- */

struct ask {
	struct pending wait;          /* first: the pending is the question */
	char peer[TN_NAME_LEN];
	uint8_t pk[CX_PK_LEN];
	witness_held_fn done;
	void *arg;
	struct tn_checkpoint_held held;
	int rc;                       /* the check of the answer */
};

static void ask_release(struct pending *w)
{
	free(w);
}

static void ask_ended(struct pending *w, int rc)
{
	struct ask *a = (struct ask *)w;

	a->done(a->arg, rc ? rc : a->rc, &a->held.cp, a->held.cosig);
	pending_free(w);
}

int witness_ask(struct node *n, struct peer *p, witness_held_fn done, void *arg)
{
	struct ask *a = calloc(1, sizeof(*a));
	struct tn_checkpoint_get q;
	int rc;

	if (!a)
		return TN_ERR_NOMEM;
	cx_random(&q.seq, sizeof(q.seq));
	if ((rc = env_send(p, WIRE_CHECKPOINT_GET, &q))) {
		free(a);
		return rc;
	}
	memcpy(a->peer, p->rec.name, sizeof(a->peer));
	memcpy(a->pk, p->rec.pk, CX_PK_LEN);
	a->done = done;
	a->arg = arg;
	a->wait.done = ask_ended;
	a->wait.release = ask_release;
	pending_start(n, &a->wait, PENDING_CHECKPOINT, q.seq, ASK_TIMEOUT_MS);
	return 0;
}

/* 0 when h holds nothing, or our own checkpoint cosigned by the witness. */
static int check_held(const struct node *n, const struct ask *a,
		      const struct tn_checkpoint_held *h)
{
	if (!h->cp.size)
		return 0;
	if (strcmp(h->cp.node, n->cfg.name) || cx_checkpoint_verify(cx_id_pk(n->id), &h->cp) ||
	    cx_cosign_verify(a->pk, &h->cp, h->cosig))
		return TN_ERR_BAD_SIG;
	return 0;
}

static void on_checkpoint_held(struct peer *p, struct env_msg *m)
{
	const struct tn_checkpoint_held *h = m->msg;
	struct pending *w = pending_find(p->node, PENDING_CHECKPOINT, h->seq);
	struct ask *a = (struct ask *)w;

	if (!w || strcmp(a->peer, p->rec.name)) {
		peer_drop(p->node, p, DROP_unsolicited, "checkpoint_held for no question of ours");
		return;
	}
	a->held = *h;
	a->rc = check_held(p->node, a, h);
	pending_end(w, 0);
}

/* ---- cosignature: a witness's answer to our checkpoint ---- */

struct cosig_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	uint8_t pk[CX_PK_LEN];
	struct tn_cosignature c;
	/* What the op's last run found. */
	int duplicate;                /* this answer (its mid) is stored already */
	char bad[TN_TEXT_LEN];        /* why the answer was not taken */
};

/* "" when c is about our log and, when witnessed, cosigns our checkpoint
 * of that size; else why not (in j->bad). */
static int check_cosig(struct store_txn *t, struct cosig_job *j)
{
	const struct tn_cosignature *c = &j->c;
	struct tn_checkpoint cp;
	int rc;

	if (strcmp(c->node, j->node->cfg.name)) {
		snprintf(j->bad, sizeof(j->bad), "it answers for the log of %s", c->node);
		return 0;
	}
	if (strcmp(c->status, "witnessed"))
		return 0;
	if ((rc = store_checkpoint_get(t, c->size, &cp)) == TN_ERR_NOT_FOUND)
		snprintf(j->bad, sizeof(j->bad), "we signed no checkpoint of %llu entries",
			 (unsigned long long)c->size);
	else if (rc)
		return rc;
	else if (memcmp(cp.root, c->root, TN_HASH_LEN) || cx_cosign_verify(j->pk, &cp, c->sig))
		snprintf(j->bad, sizeof(j->bad), "its cosignature of checkpoint %llu does not "
			 "verify", (unsigned long long)c->size);
	return 0;
}

static int cosig_op(struct store_txn *t, void *arg)
{
	struct cosig_job *j = arg;
	struct tn_cosignature old;
	char ref[24];
	int rc = store_cosig_get(t, j->peer, &old);

	j->bad[0] = '\0';
	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	if ((j->duplicate = !rc && !memcmp(old.mid, j->c.mid, TN_MID_LEN)))
		return 0;
	if ((rc = check_cosig(t, j)))
		return rc;
	snprintf(ref, sizeof(ref), "%llu", (unsigned long long)j->c.size);
	if (j->bad[0])
		return node_audit(t, j->peer, "in", "cosignature", ref, "rejected", j->bad);
	if ((rc = store_cosig_put(t, j->peer, &j->c)))
		return rc;
	return node_audit(t, j->peer, "in", "cosignature", ref, j->c.status, j->c.reason);
}

static void cosig_done(void *arg, int rc)
{
	struct cosig_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);
	const struct tn_cosignature *c = &j->c;
	const char *name = j->node->cfg.name;

	if (rc)
		node_log("error", "%s: cannot record %s's cosignature: %s", name, j->peer,
			 tn_strerror(rc));
	else if (!j->duplicate && j->bad[0])
		node_log("warn", "%s: %s's cosignature rejected: %s", name, j->peer, j->bad);
	else if (!j->duplicate && strcmp(c->status, "witnessed"))
		node_log("warn", "%s: witness %s says our audit checkpoint %llu is %s: %s (it "
			 "holds %llu entries of our log)", name, j->peer,
			 (unsigned long long)c->size, c->status, c->reason,
			 (unsigned long long)c->held_size);
	if (!rc && p)
		(void)!outbox_ack(p, c->mid);
	free(j);
}

static void on_cosignature(struct peer *p, struct env_msg *m)
{
	struct cosig_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	memcpy(j->pk, p->rec.pk, CX_PK_LEN);
	env_take(m, &j->c);
	batch_add(p->node, cosig_op, cosig_done, j);
}

const struct svc_handler witnessed_handlers[] = {
	{ WIRE_COSIGNATURE, on_cosignature },
	{ WIRE_CHECKPOINT_HELD, on_checkpoint_held },
	{ WIRE_COUNT, NULL },
};
