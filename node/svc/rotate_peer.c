/* SPDX-License-Identifier: Apache-2.0 */
/* A peer's key rotation, on our side: its key_rotation notice checked
 * (sender, the key we pin, both signatures) and its new key pinned as the
 * peer's next key, accepted from then on beside the old one; the first
 * link with the new key makes it the peer's key (net/rekey.c), which is
 * stored and audited here. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

struct rot_job {
	struct node *node;
	char peer[TN_NAME_LEN];
	struct tn_key_rotation r;
	struct tn_peer rec;           /* the record to store */
	char fp[CX_FP_LEN];           /* of the new key */
	char old_fp[CX_FP_LEN];
	int repeat;                   /* already pinned (or in use): ack only */
};

/* Why the notice cannot be taken from p, or NULL; *why_drop the reason. */
static const char *refusal(const struct peer *p, const struct tn_key_rotation *r,
			   enum drop *why_drop)
{
	const struct peer *holder = peer_by_pk(p->node, r->new_pk);
	int rc;

	*why_drop = DROP_bad_sig;
	if (strcmp(r->node, p->rec.name)) {
		*why_drop = DROP_forged_from;
		return "key_rotation names another node";
	}
	if ((rc = cx_rotation_verify(r)) == TN_ERR_INVALID) {
		*why_drop = DROP_malformed;
		return "key_rotation: the new key is the old one or not a usable key";
	}
	if (rc)
		return "key_rotation: a signature does not hold (old or new key)";
	/* A repeat after we already took the new key into use is only acked. */
	if (!memcmp(r->new_pk, p->rec.pk, CX_PK_LEN))
		return NULL;
	if (memcmp(r->old_pk, p->rec.pk, CX_PK_LEN))
		return "key_rotation: old_pk is not the key pinned for the sender";
	if ((holder && holder != p) || !memcmp(r->new_pk, cx_id_pk(p->node->id), CX_PK_LEN))
		return "key_rotation: the new key is pinned for another node";
	return NULL;
}

static int pin_next_op(struct store_txn *t, void *arg)
{
	struct rot_job *j = arg;
	char detail[TN_TEXT_LEN];
	int rc;

	if (j->repeat)
		return 0;
	if ((rc = store_peer_put(t, &j->rec)))
		return rc;
	snprintf(detail, sizeof(detail), "announced a new key %s (pinned %s): accepted as its next "
		 "key", j->fp, j->old_fp);
	return node_audit(t, j->peer, "in", "key_rotation", NULL, "ok", detail);
}

static void pinned_next(void *arg, int rc)
{
	struct rot_job *j = arg;
	struct peer *p = peer_by_name(j->node, j->peer);

	if (rc)
		node_log("error", "%s: cannot pin %s's next key: %s", j->node->cfg.name, j->peer,
			 tn_strerror(rc));
	else if (!j->repeat && p && !memcmp(p->rec.pk, j->rec.pk, CX_PK_LEN))
		memcpy(p->rec.next_pk, j->r.new_pk, CX_PK_LEN);
	if (!rc && !j->repeat)
		node_log("warn", "%s: ALERT: peer %s announced a new key %s (pinned %s); it is "
			 "accepted from now on beside the old one, and replaces it at the first link "
			 "made with it", j->node->cfg.name, j->peer, j->fp, j->old_fp);
	if (!rc && p && !outbox_ack(p, j->r.mid))
		outbox_flush(p);
	free(j);
}

static void on_key_rotation(struct peer *p, struct env_msg *m)
{
	const struct tn_key_rotation *r = m->msg;
	struct rot_job *j;
	const char *why;
	enum drop drop;

	if ((why = refusal(p, r, &drop))) {
		peer_drop(p->node, p, drop, why);
		return;
	}
	if (!(j = calloc(1, sizeof(*j))))
		return;
	j->node = p->node;
	j->r = *r;
	j->rec = p->rec;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	cx_fingerprint(r->new_pk, j->fp);
	memcpy(j->old_fp, p->fp, sizeof(j->old_fp));
	j->repeat = !memcmp(r->new_pk, p->rec.pk, CX_PK_LEN) ||
		    (peer_has_next(p) && !memcmp(r->new_pk, p->rec.next_pk, CX_PK_LEN));
	memcpy(j->rec.next_pk, r->new_pk, CX_PK_LEN);
	batch_add(p->node, pin_next_op, pinned_next, j);
}

/* ---- the first link with the next key ---- */

static int promoted_op(struct store_txn *t, void *arg)
{
	struct rot_job *j = arg;
	char detail[TN_TEXT_LEN];
	int rc = store_peer_put(t, &j->rec);

	snprintf(detail, sizeof(detail), "linked with its new key %s, which replaces %s", j->fp,
		 j->old_fp);
	return rc ? rc : node_audit(t, j->peer, "in", "key.promote", NULL, "ok", detail);
}

static void promoted(void *arg, int rc)
{
	struct rot_job *j = arg;

	if (rc)
		node_log("error", "%s: cannot store %s's new key (it is in use until a restart, "
			 "then accepted again as its next key): %s", j->node->cfg.name, j->peer,
			 tn_strerror(rc));
	free(j);
}

void rotate_peer_rekeyed(struct peer *p, const uint8_t old_pk[CX_PK_LEN])
{
	struct rot_job *j = calloc(1, sizeof(*j));
	struct tn_key_rotation none = { 0 };

	if (!j)
		return;
	j->node = p->node;
	j->rec = p->rec;
	j->r = none;
	memcpy(j->peer, p->rec.name, sizeof(j->peer));
	memcpy(j->fp, p->fp, sizeof(j->fp));
	cx_fingerprint(old_pk, j->old_fp);
	batch_add(p->node, promoted_op, promoted, j);
}

const struct svc_handler rotate_peer_handlers[] = {
	{ WIRE_KEY_ROTATION, on_key_rotation },
	{ WIRE_COUNT, NULL },
};
