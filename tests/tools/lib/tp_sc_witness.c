/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: the witnessing scenarios. `witness`: the test peer keeps a
 * small audit log of its own and sends the node checkpoints of it, honest
 * and not, each of which the node must answer as the witness's rules say.
 * `witness-answer`: the node asks the test peer, as its witness, what it
 * holds, and gets nothing, a forgery, no answer, or checkpoints the node's
 * log does not contain. `cosignatures`: answers to checkpoints of the
 * node's, which it must acknowledge whatever they say. */
#include <stdio.h>
#include <string.h>

#include "tp.h"
#include "vec_tree.h"

#define LOG_MAX 8

/* The test peer's log: the hashes of its entries. */
struct wlog {
	uint8_t e[LOG_MAX][VT_HASH];
};

static void wlog_init(struct wlog *l, unsigned variant)
{
	char text[48];

	for (int i = 0; i < LOG_MAX; i++) {
		snprintf(text, sizeof(text), "tn_peer entry %d%s", i + 1,
			 variant && i == 2 ? " rewritten" : "");
		cx_hash(text, strlen(text), l->e[i]);
	}
}

/* One checkpoint message of ours. */
struct cpmsg {
	struct tn_checkpoint_msg m;
	uint8_t proof[VT_PROOF_MAX][VT_HASH];
};

/* The checkpoint of l's first size entries, signed, with the proof from
 * from entries (none when from is 0 or size). */
static int cp_make(struct tp *t, const struct wlog *l, uint64_t size, uint64_t from,
		   struct cpmsg *c)
{
	struct tn_checkpoint *cp = &c->m.cp;

	memset(c, 0, sizeof(*c));
	cx_random(c->m.mid, TN_MID_LEN);
	c->m.mid[0] = 0;
	snprintf(cp->node, sizeof(cp->node), "%s", t->name);
	cp->size = size;
	vt_root(l->e, size, cp->root);
	memcpy(cp->head, l->e[size - 1], VT_HASH);
	cp->ts = tp_wall_ms();
	c->m.from_size = from;
	if (from && from < size) {
		c->m.n_proof = VT_HASH * vt_proof(l->e, from, size, c->proof);
		c->m.proof = c->proof[0];
	}
	return cx_checkpoint_sign(t->id, cp);
}

/* 0 when no cosignature comes before the pong of a link ping (frames
 * are handled in order), 1 when one does, or how the link ended. */
static int no_cosignature(struct tp *t)
{
	struct seen s = { 0 };
	int rc = tp_barrier(t, &s);

	return rc ? rc : s.cosignatures != 0;
}

/* Send c, then read until the node acknowledged it and, when want, sent
 * its cosignature (acknowledged in turn) into out. Without want: no
 * cosignature may come. 0, or 1 after saying what went wrong. */
static int exchange(struct tp *t, const struct cpmsg *c, int want, struct tn_cosignature *out,
		    const char *step)
{
	struct tn_ack ack;
	int rc, acked = 0, answered = 0;
	struct frame f;

	if ((rc = tp_send_msg(t, "checkpoint", &proto_checkpoint_msg_schema, &c->m, 1)))
		return tp_say(t, 1, "%s: cannot send: %s", step, tn_strerror(rc));
	while ((!acked || (want && !answered)) && (rc = tp_read_frame(t, t->deadline, &f)) > 0) {
		if (!strcmp(f.etype, "ack") && !memcmp(f.mid, c->m.mid, TN_MID_LEN))
			acked = 1;
		if (strcmp(f.etype, "cosignature"))
			continue;
		if (!want || answered)
			return tp_say(t, 1, "%s: a cosignature came, none expected", step);
		*out = f.cosig;
		answered = 1;
		memcpy(ack.mid, f.mid, TN_MID_LEN);
		if (tp_send_msg(t, "ack", &proto_ack_schema, &ack, 0))
			return tp_say(t, 1, "%s: cannot acknowledge the cosignature", step);
	}
	if (rc <= 0)
		return tp_say(t, 1, "%s: %s%s (%s)", step, acked ? "" : "no ack",
			      want && !answered ? " no cosignature" : "", tp_ended(rc));
	if (!want && (rc = no_cosignature(t)))
		return tp_say(t, 1, "%s: %s after the ack", step, rc > 0 ? "a cosignature" :
			      tp_ended(rc));
	return 0;
}

/* The answer must say status and hold held (a checkpoint of l), with a
 * cosignature by the node when witnessed. */
static int expect(struct tp *t, const struct tn_cosignature *c, const struct cpmsg *sent,
		  const char *status, const struct wlog *l, uint64_t held, const char *step)
{
	uint8_t root[VT_HASH];

	vt_root(l->e, held, root);
	if (strcmp(c->status, status) || c->held_size != held || memcmp(c->held_root, root, VT_HASH))
		return tp_say(t, 1, "%s: %s, holding %llu (%s); want %s holding %llu", step,
			      c->status, (unsigned long long)c->held_size, c->reason, status,
			      (unsigned long long)held);
	if (c->size != sent->m.cp.size || memcmp(c->root, sent->m.cp.root, VT_HASH) ||
	    strcmp(c->node, t->name))
		return tp_say(t, 1, "%s: the answer names another checkpoint", step);
	if (!strcmp(status, "witnessed") && cx_cosign_verify(t->peer_pk, &sent->m.cp, c->sig))
		return tp_say(t, 1, "%s: the cosignature does not verify by the node's key", step);
	return 0;
}

/* Send a checkpoint of size entries of l (proof from from) and expect
 * status, the node holding held entries of good. */
static int step(struct tp *t, const struct wlog *l, uint64_t size, uint64_t from,
		const char *status, const struct wlog *good, uint64_t held, const char *what,
		struct cpmsg *c)
{
	struct tn_cosignature got;
	int rc;

	if ((rc = cp_make(t, l, size, from, c)))
		return tp_say(t, 1, "%s: cannot sign: %s", what, tn_strerror(rc));
	return exchange(t, c, 1, &got, what) || expect(t, &got, c, status, good, held, what);
}

/* What the node holds of our log: checkpoint size of l, cosigned. */
static int ask_held(struct tp *t, const struct wlog *l, uint64_t size)
{
	struct tn_checkpoint_get q = { .seq = ++t->seq };
	uint8_t root[VT_HASH];
	struct frame f;
	int rc;

	if ((rc = tp_send_msg(t, "checkpoint_get", &proto_checkpoint_get_schema, &q, 0)))
		return tp_say(t, 1, "cannot ask: %s", tn_strerror(rc));
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0 &&
	       (strcmp(f.etype, "checkpoint_held") || f.held.seq != q.seq))
		;
	if (rc <= 0)
		return tp_say(t, 1, "no checkpoint_held (%s)", tp_ended(rc));
	vt_root(l->e, size, root);
	if (f.held.cp.size != size || memcmp(f.held.cp.root, root, VT_HASH) ||
	    cx_checkpoint_verify(cx_id_pk(t->id), &f.held.cp) ||
	    cx_cosign_verify(t->peer_pk, &f.held.cp, f.held.cosig))
		return tp_say(t, 1, "checkpoint_held: size %llu, not our checkpoint %llu cosigned",
			      (unsigned long long)f.held.cp.size, (unsigned long long)size);
	return 0;
}

int sc_witness(struct tp *t)
{
	struct wlog good, bad;
	struct cpmsg c, forked;

	wlog_init(&good, 0);
	wlog_init(&bad, 1);
	if (step(t, &good, 2, 0, "witnessed", &good, 2, "first sight", &c) ||
	    step(t, &good, 5, 2, "witnessed", &good, 5, "extended with a proof", &c) ||
	    step(t, &good, 5, 5, "witnessed", &good, 5, "the same again, new mid", &c) ||
	    step(t, &bad, 5, 5, "refused", &good, 5, "another root at 5", &forked))
		return 1;
	if (exchange(t, &forked, 0, NULL, "the refused message again"))
		return 1;
	if (step(t, &good, 3, 0, "behind", &good, 5, "behind", &c) ||
	    step(t, &bad, 7, 5, "refused", &good, 5, "a rewritten log's proof", &c) ||
	    step(t, &good, 7, 4, "refused", &good, 5, "a proof from the wrong size", &c) ||
	    step(t, &good, 7, 5, "witnessed", &good, 7, "extended again", &c) ||
	    ask_held(t, &good, 7))
		return 1;
	return tp_say(t, 0, "9 checkpoints answered as the rules say; the node holds ours of 7 "
		      "entries, cosigned");
}

/* The node's question (checkpoint_get): its seq, or 0 on failure. */
static uint64_t wait_question(struct tp *t)
{
	struct frame f;

	while (tp_read_frame(t, t->deadline, &f) > 0)
		if (!strcmp(f.etype, "checkpoint_get"))
			return f.seq;
	return 0;
}

/* The answer of a MODE: a checkpoint of the node's log that we signed
 * (forged), or that it signed (--other-id: its key) of one entry but not
 * its (rewritten) or of more entries than it has (behind); cosigned. */
static int held_of(struct tp *t, const char *mode, struct tn_checkpoint *cp,
		   uint8_t cosig[TN_SIG_LEN])
{
	const struct cx_id *signer = !strcmp(mode, "forged") ? t->id : t->other_id;
	int rc;

	if (strcmp(mode, "forged") && strcmp(mode, "rewritten") && strcmp(mode, "behind"))
		return tp_say(t, 1, "witness-answer needs a MODE: none, forged, rewritten, behind "
			      "or silent");
	if (!signer)
		return tp_say(t, 1, "%s needs --other-id DIR, the node's own directory", mode);
	snprintf(cp->node, sizeof(cp->node), "%s", t->peer_name);
	cp->size = strcmp(mode, "behind") ? 1 : 1000000;
	memset(cp->root, 0xee, TN_HASH_LEN);
	memset(cp->head, 0xee, TN_HASH_LEN);
	cp->ts = tp_wall_ms();
	if ((rc = cx_checkpoint_sign(signer, cp)) || (rc = cx_cosign(t->id, cp, cosig)))
		return tp_say(t, 1, "cannot sign: %s", tn_strerror(rc));
	return 0;
}

int sc_witness_answer(struct tp *t)
{
	const char *mode = t->argc ? t->argv[0] : "";
	struct tn_checkpoint_held h = { .seq = wait_question(t) };
	struct seen s = { 0 };
	int rc;

	if (!h.seq)
		return tp_say(t, 1, "no checkpoint_get from the node");
	if (!strcmp(mode, "silent"))
		return tp_barrier(t, &s) ? tp_say(t, 1, "link lost") :
		       tp_say(t, 0, "question left unanswered");
	if (strcmp(mode, "none") && (rc = held_of(t, mode, &h.cp, h.cosig)))
		return rc;
	if ((rc = tp_send_msg(t, "checkpoint_held", &proto_checkpoint_held_schema, &h, 0)) ||
	    (rc = tp_barrier(t, &s)))
		return tp_say(t, 1, "cannot answer: %s", tn_strerror(rc));
	return tp_say(t, 0, "answered the node's question: %s", mode);
}

/* Send cosignature c and wait for the node's ack of it. */
static int answer_acked(struct tp *t, const struct tn_cosignature *c, const char *what)
{
	struct frame f;
	int rc;

	if ((rc = tp_send_msg(t, "cosignature", &proto_cosignature_schema, c, 1)))
		return tp_say(t, 1, "%s: cannot send: %s", what, tn_strerror(rc));
	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0)
		if (!strcmp(f.etype, "ack") && !memcmp(f.mid, c->mid, TN_MID_LEN))
			return 0;
	return tp_say(t, 1, "%s: no ack (%s)", what, tp_ended(rc));
}

int sc_cosignatures(struct tp *t)
{
	struct tn_cosignature c = { .size = 4, .status = "refused", .held_size = 9,
				    .reason = "checkpoint 4 does not extend the 9 we witnessed",
				    .ts = tp_wall_ms() };

	snprintf(c.node, sizeof(c.node), "%s", t->peer_name);
	cx_random(c.mid, TN_MID_LEN);
	c.mid[0] = 0;
	memset(c.root, 0x44, TN_HASH_LEN);
	memset(c.held_root, 0x99, TN_HASH_LEN);
	if (answer_acked(t, &c, "refused") || answer_acked(t, &c, "refused again"))
		return 1;
	cx_random(c.mid, TN_MID_LEN);
	c.mid[0] = 0;
	snprintf(c.status, sizeof(c.status), "witnessed");
	c.reason[0] = '\0';
	c.size = c.held_size = 123456;
	memset(c.sig, 0x51, TN_SIG_LEN);
	if (answer_acked(t, &c, "witnessed, of no checkpoint of the node's"))
		return 1;
	return tp_say(t, 0, "3 cosignatures acknowledged");
}
