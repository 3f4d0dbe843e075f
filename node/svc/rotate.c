/* SPDX-License-Identifier: Apache-2.0 */
/* Our key rotation: a new key made beside node.key (node.key.next), a
 * key_rotation notice signed by both keys queued to every pinned peer
 * through the outbox, and, once every peer acknowledged it (or at once
 * when the operator says so), the new key made node.key, the TLS context
 * rebuilt and the links closed so that they come back under the new key.
 * The store's meta "rotation" holds the new public key while a rotation
 * is announced, so a restart in the middle resumes it. */
#include <stdlib.h>
#include <string.h>

#include "svc.h"

#define META_KEY "rotation"

struct rotation {
	struct node *node;
	struct cx_id *next;         /* node.key.next while a rotation is announced */
	uv_timer_t check;           /* finish once every notice was acknowledged */
	unsigned finishing : 1;
};

/* hooks.delivered does not carry the node; there is one per process. */
static struct rotation *the_rot;

/* ---- which notices are still waiting ---- */

struct waiting {
	uint8_t (*mids)[TN_MID_LEN];
	uint32_t n, cap;
	int keep;                   /* collect the mids, not only count them */
};

static int each_notice(void *arg, const struct tn_outmsg *o)
{
	struct waiting *w = arg;
	void *grown;

	if (strcmp(o->type, wire_types[WIRE_KEY_ROTATION].name))
		return 0;
	if (w->keep && w->n == w->cap) {
		if (!(grown = realloc(w->mids, (w->cap ? 2 * w->cap : 8) * sizeof(*w->mids))))
			return TN_ERR_NOMEM;
		w->mids = grown;
		w->cap = w->cap ? 2 * w->cap : 8;
	}
	if (w->keep)
		memcpy(w->mids[w->n], o->mid, TN_MID_LEN);
	w->n++;
	return 0;
}

/* How many notices wait in the outbox for p (their mids kept in w when
 * w->keep), or an error. */
static int waiting_for(struct store_txn *t, const struct peer *p, struct waiting *w)
{
	uint32_t before = w->n;
	int rc = store_outbox_each(t, p->rec.name, each_notice, w);

	return rc ? rc : (int)(w->n - before);
}

/* Notices still waiting, all peers together. */
static int waiting_all(struct store_txn *t, struct node *n)
{
	struct waiting w = { 0 };
	int rc = 0;

	for (struct peer *p = n->peers; p && rc >= 0; p = p->next)
		rc = waiting_for(t, p, &w);
	return rc < 0 ? rc : (int)w.n;
}

/* ---- finishing ---- */

/* The switch itself, before the store learns of it: node.key.next made
 * node.key (node.key.old kept), then the node runs on the new key. */
static int switch_keys(struct node *n, struct rotate_job *j)
{
	struct rotation *r = n->rotation;
	int rc;

	cx_fingerprint(cx_id_pk(n->id), j->old_fp);
	if ((rc = cx_id_promote(n->dir, r->next))) {
		node_log("error", "%s: cannot make node.key.next the node key: %s", n->cfg.name,
			 tn_strerror(rc));
		return rc;
	}
	if ((rc = link_rekey(n, r->next))) {
		node_log("error", "%s: the new key is node.key, but the node cannot use it (%s): "
			 "restart it", n->cfg.name, tn_strerror(rc));
		return rc;
	}
	r->next = NULL;             /* the node's identity now */
	return 0;
}

int rotate_finish(struct node *n, struct rotate_job *j)
{
	struct rotation *r = n->rotation;
	int rc;

	if (!r->next)
		return TN_ERR_NOT_FOUND;
	if (r->finishing)
		return TN_ERR_AGAIN;
	if ((rc = switch_keys(n, j)))
		return rc;
	r->finishing = 1;
	j->node = n;
	return 0;
}

/* Drop p's notices still waiting, naming p in j->info.pending. */
static int drop_waiting(struct store_txn *t, struct peer *p, struct rotate_job *j)
{
	struct waiting w = { .keep = 1 };
	size_t len = strlen(j->info.pending);
	int rc = waiting_for(t, p, &w);

	for (uint32_t i = 0; rc > 0 && i < w.n; i++)
		if (store_outbox_del(t, p->rec.name, w.mids[i]))
			rc = TN_ERR_IO;
	if (rc > 0)
		snprintf(j->info.pending + len, sizeof(j->info.pending) - len, "%s%s",
			 len ? "," : "", p->rec.name);
	free(w.mids);
	return rc < 0 ? rc : 0;
}

/* A retention anchor signed by the old key would no longer check. */
static int resign_anchor(struct store_txn *t, struct node *n)
{
	struct tn_audit_anchor a;
	int rc = store_audit_anchor_get(t, &a);

	if (rc == TN_ERR_NOT_FOUND)
		return 0;
	if (rc || (rc = cx_anchor_sign(n->id, &a)))
		return rc;
	return store_audit_anchor_put(t, &a);
}

int rotate_finish_op(struct store_txn *t, struct rotate_job *j)
{
	struct node *n = j->node;
	int rc = 0;

	j->info.pending[0] = '\0';
	for (struct peer *p = n->peers; p && !rc; p = p->next)
		rc = drop_waiting(t, p, j);
	if (rc || (rc = store_meta_put(t, META_KEY, "", 0)) || (rc = resign_anchor(t, n)))
		return rc;
	proto_strcpy(j->info.state, sizeof(j->info.state), "finished");
	cx_fingerprint(cx_id_pk(n->id), j->info.fingerprint);
	cx_key_format(cx_id_pk(n->id), j->info.key);
	return node_audit_local(t, "key.rotate", 0, "finished: the node key is now %s (was %s)%s%s",
				j->info.fingerprint, j->old_fp[0] ? j->old_fp : "?",
				j->info.pending[0] ? "; not acknowledged by " : "",
				j->info.pending[0] ? j->info.pending : "");
}

void rotate_finished(struct rotate_job *j, int rc)
{
	struct node *n = j->node;

	n->rotation->finishing = 0;
	if (rc) {
		node_log("error", "%s: the node runs on its new key, but the store could not record "
			 "the rotation's end (%s); it is recorded at the next start", n->cfg.name,
			 tn_strerror(rc));
		return;
	}
	node_log("warn", "%s: key rotation finished: the node key is now %s (was %s)%s%s%s",
		 n->cfg.name, j->info.fingerprint, j->old_fp,
		 j->info.pending[0] ? "; peers that had not acknowledged the notice must pin the "
		 "new card: " : "", j->info.pending, "");
	for (struct peer *p = n->peers; p; p = p->next)
		outbox_flush(p);
}

/* ---- finishing by itself, once every notice was acknowledged ---- */

static int auto_op(struct store_txn *t, void *arg)
{
	return rotate_finish_op(t, arg);
}

static void auto_done(void *arg, int rc)
{
	rotate_finished(arg, rc);
	free(arg);
}

static void on_check(uv_timer_t *h)
{
	struct rotation *r = h->data;
	struct node *n = r->node;
	struct rotate_job *j;
	struct store_txn *t;
	int left;

	if (!r->next || r->finishing || n->stopping || store_read_begin(n->store, &t))
		return;
	left = waiting_all(t, n);
	store_read_end(t);
	if (left != 0 || !(j = calloc(1, sizeof(*j))))
		return;
	if (rotate_finish(n, j)) {
		free(j);
		return;
	}
	node_log("info", "%s: every peer acknowledged the key rotation notice", n->cfg.name);
	batch_add(n, auto_op, auto_done, j);
}

static void check_soon(struct rotation *r)
{
	uv_timer_start(&r->check, on_check, 0, 0);
}

int rotate_delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN])
{
	struct rotation *r = the_rot;
	int left;

	(void)peer;
	if (mid[0] != ROTATE_MID || !r || !r->next)
		return 0;
	if ((left = waiting_all(t, r->node)) < 0)
		return left;
	if (left == 0)
		check_soon(r);     /* after this commit; the check reads it again */
	return 0;
}

/* ---- announcing ---- */

int rotate_begin(struct node *n, struct rotate_job *j, char *why, size_t len)
{
	char fp[CX_FP_LEN];
	int rc;

	if (n->rotation->next) {
		cx_fingerprint(cx_id_pk(n->rotation->next), fp);
		snprintf(why, len, "a rotation to the key %s is already announced: it finishes when "
			 "every peer has acknowledged it, or now with --finish", fp);
		return TN_ERR_EXISTS;
	}
	if ((rc = cx_id_next_create(n->dir)) == TN_ERR_EXISTS) {
		snprintf(why, len, "%s/node.key.next exists but no rotation is recorded: remove it "
			 "(it was never announced) and try again", n->dir);
		return rc;
	}
	if (rc || (rc = cx_id_next_load(&j->next, n->dir)))
		return rc;
	j->node = n;
	j->ts = node_now_ms();
	return 0;
}

int rotate_announce_op(struct store_txn *t, struct rotate_job *j)
{
	struct node *n = j->node;
	struct tn_key_rotation r = { .ts = j->ts };
	int rc;

	proto_strcpy(r.node, sizeof(r.node), n->cfg.name);
	if ((rc = cx_rotation_sign(n->id, j->next, &r)) ||
	    (rc = store_meta_put(t, META_KEY, r.new_pk, CX_PK_LEN)))
		return rc;
	j->info.peers = 0;
	for (struct peer *p = n->peers; p && !rc; p = p->next, j->info.peers++) {
		outbox_new_mid(r.mid);
		r.mid[0] = ROTATE_MID;
		rc = outbox_queue(t, p->rec.name, WIRE_KEY_ROTATION, r.mid, &r);
	}
	if (rc)
		return rc;
	proto_strcpy(j->info.state, sizeof(j->info.state), "announced");
	cx_fingerprint(r.new_pk, j->info.fingerprint);
	cx_key_format(r.new_pk, j->info.key);
	return node_audit_local(t, "key.rotate", 0, "announced the new node key %s to %u peers",
				j->info.fingerprint, j->info.peers);
}

int rotate_announced(struct rotate_job *j, int rc)
{
	struct node *n = j->node;

	if (rc) {
		cx_id_free(j->next);
		j->next = NULL;
		if (cx_id_next_discard(n->dir))
			node_log("error", "%s: cannot remove %s/node.key.next", n->cfg.name, n->dir);
		return rc;
	}
	n->rotation->next = j->next;
	j->next = NULL;
	node_log("warn", "%s: key rotation: the new key %s is announced to %u peers; the node "
		 "keeps its key until every one has acknowledged", n->cfg.name,
		 j->info.fingerprint, j->info.peers);
	for (struct peer *p = n->peers; p; p = p->next)
		outbox_flush(p);
	check_soon(n->rotation);
	return 0;
}

/* ---- start and stop ---- */

/* The store's word on a rotation: the new key, or none (0). */
static int recorded(struct node *n, uint8_t pk[static CX_PK_LEN])
{
	struct store_txn *t;
	size_t len = 0;
	int rc;

	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	rc = store_meta_get(t, META_KEY, pk, CX_PK_LEN, &len);
	store_read_end(t);
	if (rc == TN_ERR_NOT_FOUND || (!rc && len != CX_PK_LEN))
		return 0;
	return rc ? rc : 1;
}

/* A restart after the switch, before the store recorded it. */
static int resume_finished(struct node *n)
{
	struct rotate_job *j = calloc(1, sizeof(*j));

	if (!j)
		return TN_ERR_NOMEM;
	j->node = n;
	n->rotation->finishing = 1;
	batch_add(n, auto_op, auto_done, j);
	return 0;
}

static int resume(struct node *n)
{
	struct rotation *r = n->rotation;
	uint8_t pk[CX_PK_LEN];
	int rec = recorded(n, pk), rc = cx_id_next_load(&r->next, n->dir);

	if (rec < 0 || (rc && rc != TN_ERR_NOT_FOUND))
		return rec < 0 ? rec : rc;
	if (r->next && rec && !memcmp(pk, cx_id_pk(r->next), CX_PK_LEN)) {
		node_log("warn", "%s: key rotation in progress: waiting for the peers' "
			 "acknowledgements of the notice", n->cfg.name);
		check_soon(r);
		return 0;
	}
	if (r->next) {
		node_log("warn", "%s: %s/node.key.next was never announced: removed", n->cfg.name,
			 n->dir);
		cx_id_free(r->next);
		r->next = NULL;
		return cx_id_next_discard(n->dir);
	}
	if (rec && !memcmp(pk, cx_id_pk(n->id), CX_PK_LEN))
		return resume_finished(n);
	if (rec)
		node_log("error", "%s: a rotation to another key is recorded but node.key.next is "
			 "gone; the node keeps its key", n->cfg.name);
	return 0;
}

int rotate_start(struct node *n)
{
	struct rotation *r = calloc(1, sizeof(*r));

	if (!r)
		return TN_ERR_NOMEM;
	r->node = n;
	uv_timer_init(&n->loop, &r->check);
	r->check.data = r;
	n->rotation = the_rot = r;
	return resume(n);
}

static void rotation_free(uv_handle_t *h)
{
	struct rotation *r = h->data;

	cx_id_free(r->next);
	if (the_rot == r)
		the_rot = NULL;
	free(r);
}

void rotate_stop(struct node *n)
{
	if (n->rotation && !uv_is_closing((uv_handle_t *)&n->rotation->check))
		uv_close((uv_handle_t *)&n->rotation->check, rotation_free);
	n->rotation = NULL;
}
