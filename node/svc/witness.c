/* SPDX-License-Identifier: Apache-2.0 */
/* Witnessing our peers' audit logs: a peer's signed checkpoint is judged
 * against the one we hold of its log. One that extends it (proven) is
 * taken and cosigned; one that does not is refused, kept as evidence,
 * raised as an alert and audited. The answer goes back through the
 * outbox in the same commit, and the checkpoint is acknowledged after it.
 * A peer may also ask which checkpoint of its log we hold. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

struct wit_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_checkpoint_msg msg;
	uint8_t *receipt;             /* of the signed message, for the evidence */
	uint32_t n_receipt;
	int sig_ok;                   /* msg.cp is signed by the peer's key */
	/* What the op's last run found. */
	int duplicate;                /* msg.mid was taken already */
	enum witness_verdict verdict;
	char why[TN_TEXT_LEN];
	uint64_t held_size;           /* what we held before */
};

static void wit_job_free(struct wit_job *j)
{
	proto_release(&proto_checkpoint_msg_schema, &j->msg);
	free(j->receipt);
	free(j);
}

static int taken(enum witness_verdict v)
{
	return v == WITNESS_FIRST || v == WITNESS_SAME || v == WITNESS_EXTENDS;
}

/* The rules, then the signature, then the proof from what we hold. */
static enum witness_verdict judge(struct wit_job *j, const struct tn_checkpoint *held)
{
	const struct tn_checkpoint *cp = &j->msg.cp;
	enum witness_verdict v = proto_witness_judge(j->peer, held, &j->msg, j->why,
						     sizeof(j->why));

	if (v == WITNESS_FORGED)
		return v;
	if (!j->sig_ok) {
		snprintf(j->why, sizeof(j->why), "checkpoint %llu: its signature is not %s's",
			 (unsigned long long)cp->size, j->peer);
		return WITNESS_FORGED;
	}
	if (v != WITNESS_EXTENDS ||
	    !merkle_consistent(node_audit_hash, held->size, held->root, cp->size, cp->root,
			       (const uint8_t (*)[TN_HASH_LEN])j->msg.proof,
			       j->msg.n_proof / TN_HASH_LEN))
		return v;
	snprintf(j->why, sizeof(j->why), "checkpoint %llu does not extend the %llu entries we "
		 "witnessed: its consistency proof fails", (unsigned long long)cp->size,
		 (unsigned long long)held->size);
	return WITNESS_FORKED;
}

/* Our answer, queued to the peer: what we made of its checkpoint, what we
 * hold now (w), and our cosignature when we took it. */
static int answer(struct store_txn *t, const struct wit_job *j, const struct tn_witnessed *w)
{
	struct tn_cosignature c = { .size = j->msg.cp.size, .held_size = w->cp.size,
				    .ts = node_now_ms() };

	memcpy(c.node, j->peer, sizeof(c.node));
	memcpy(c.root, j->msg.cp.root, TN_HASH_LEN);
	memcpy(c.held_root, w->cp.root, TN_HASH_LEN);
	proto_strcpy(c.status, sizeof(c.status), proto_witness_status(j->verdict));
	proto_strcpy(c.reason, sizeof(c.reason), j->why);
	if (taken(j->verdict))
		memcpy(c.sig, w->cosig, TN_SIG_LEN);
	outbox_new_mid(c.mid);
	return outbox_queue(t, j->peer, WIRE_COSIGNATURE, c.mid, &c);
}

/* The operator's alert: one short line; the evidence has the rest. */
static int raise_alert(struct store_txn *t, const struct wit_job *j)
{
	struct tn_alert a = { .ts = node_now_ms() };
	unsigned long long size = j->msg.cp.size, held = j->held_size;

	memcpy(a.peer, j->peer, sizeof(a.peer));
	proto_strcpy(a.kind, sizeof(a.kind), "checkpoint");
	if (j->verdict == WITNESS_BEHIND)
		snprintf(a.purpose, sizeof(a.purpose), "checkpoint %llu is behind the %llu we "
			 "witnessed", size, held);
	else if (j->verdict == WITNESS_FORGED)
		snprintf(a.purpose, sizeof(a.purpose), "checkpoint %llu is not its own", size);
	else if (size == held)
		snprintf(a.purpose, sizeof(a.purpose), "checkpoint %llu differs from the one we "
			 "witnessed", size);
	else
		snprintf(a.purpose, sizeof(a.purpose), "checkpoint %llu does not extend the %llu "
			 "we witnessed", size, held);
	return store_alert_add(t, &a);
}

/* A refused (or behind) checkpoint: evidence and alert, unless all it
 * lacks is a proof we can check (nothing contradicts what we hold). */
static int keep_evidence(struct store_txn *t, const struct wit_job *j,
			 const struct tn_checkpoint *held)
{
	struct tn_evidence e = { .ts = node_now_ms(), .cp = j->msg.cp, .held = *held,
				 .n_receipt = j->n_receipt, .receipt = j->receipt };
	int rc;

	if (j->verdict == WITNESS_UNPROVEN)
		return 0;
	memcpy(e.peer, j->peer, sizeof(e.peer));
	proto_strcpy(e.status, sizeof(e.status), proto_witness_status(j->verdict));
	proto_strcpy(e.reason, sizeof(e.reason), j->why);
	if ((rc = store_evidence_add(t, &e)))
		return rc;
	return raise_alert(t, j);
}

static int record(struct store_txn *t, const struct wit_job *j, const struct tn_checkpoint *held)
{
	char ref[24], detail[TN_TEXT_LEN];
	int rc = 0;

	snprintf(ref, sizeof(ref), "%llu", (unsigned long long)j->msg.cp.size);
	if (j->verdict == WITNESS_FIRST)
		proto_strcpy(detail, sizeof(detail), "the first checkpoint of its log we witness");
	else if (taken(j->verdict))
		snprintf(detail, sizeof(detail), "%s the %llu entries we witnessed",
			 j->verdict == WITNESS_SAME ? "the same as" : "extends",
			 (unsigned long long)j->held_size);
	else if (!(rc = keep_evidence(t, j, held)))
		proto_strcpy(detail, sizeof(detail), j->why);
	return rc ? rc : node_audit(t, j->peer, "in", "checkpoint", ref,
				    proto_witness_status(j->verdict), detail);
}

/* Judge, take or refuse, answer, audit: all again from the start when the
 * batch runs again. */
static int witness_op(struct store_txn *t, void *arg)
{
	struct wit_job *j = arg;
	struct tn_witnessed w;
	struct tn_checkpoint held;
	int rc = store_witness_get(t, j->peer, &w);

	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	if ((j->duplicate = !rc && !memcmp(w.last_mid, j->msg.mid, TN_MID_LEN)))
		return 0;
	held = w.cp;
	j->held_size = held.size;
	j->verdict = judge(j, &held);
	memcpy(w.last_mid, j->msg.mid, TN_MID_LEN);
	if (taken(j->verdict)) {
		w.cp = j->msg.cp;
		w.witnessed_ms = node_now_ms();
		if ((rc = cx_cosign(j->node->id, &w.cp, w.cosig)))
			return rc;
	}
	if ((rc = store_witness_put(t, j->peer, &w)) || (rc = answer(t, j, &w)))
		return rc;
	return record(t, j, &held);
}

static void witnessed(void *arg, int rc)
{
	struct wit_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);
	const char *name = j->node->cfg.name;

	if (rc)
		node_log("error", "%s: cannot record %s's audit checkpoint: %s", name, j->peer,
			 tn_strerror(rc));
	else if (!j->duplicate && j->verdict == WITNESS_UNPROVEN)
		node_log("warn", "%s: %s's audit %s; refused", name, j->peer, j->why);
	else if (!j->duplicate && !taken(j->verdict))
		node_log("warn", "%s: ALERT: %s's audit %s; %s, kept as evidence", name, j->peer,
			 j->why, proto_witness_status(j->verdict));
	if (!rc && p && !outbox_ack(p, j->msg.mid))
		outbox_flush(p);
	wit_job_free(j);
}

static void on_checkpoint(struct peer *p, struct env_msg *m)
{
	struct wit_job *j = calloc(1, sizeof(*j));

	if (!j)
		return;
	j->node = p->node;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	env_take(m, &j->msg);
	j->sig_ok = cx_checkpoint_verify(p->rec.pk, &j->msg.cp) == 0;
	if (env_receipt(p, m, &j->receipt, &j->n_receipt)) {
		wit_job_free(j);
		return;
	}
	batch_add(p->node, witness_op, witnessed, j);
}

/* What we hold of p's log, with our cosignature (cp.size 0: nothing). */
static void on_checkpoint_get(struct peer *p, struct env_msg *m)
{
	const struct tn_checkpoint_get *q = m->msg;
	struct tn_checkpoint_held h = { .seq = q->seq };
	struct tn_witnessed w;
	struct store_txn *t;
	int rc;

	if (!(rc = store_read_begin(p->node->store, &t))) {
		rc = store_witness_get(t, p->rec.name, &w);
		store_read_end(t);
	}
	if (!rc) {
		h.cp = w.cp;
		memcpy(h.cosig, w.cosig, TN_SIG_LEN);
	}
	if ((rc && rc != TN_ERR_NOT_FOUND) || env_send(p, WIRE_CHECKPOINT_HELD, &h))
		node_log("warn", "%s: cannot answer %s's question for its checkpoint",
			 p->node->cfg.name, p->rec.name);
}

const struct svc_handler witness_handlers[] = {
	{ WIRE_CHECKPOINT, on_checkpoint },
	{ WIRE_CHECKPOINT_GET, on_checkpoint_get },
	{ WIRE_COUNT, NULL },
};
