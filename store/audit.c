/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log: BE seq -> msgpack tn_audit, each entry hash-chained to
 * the one before, with the head (last seq, last hash) kept in meta. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define AUDIT_HEAD STORE_META_PREFIX "audit:head" /* BE seq || last hash */
#define HEAD_LEN (8 + TN_HASH_LEN)

/* The head as stored; TN_ERR_NOT_FOUND before the first entry,
 * TN_ERR_STORE when the stored value has the wrong size. */
static int head_read(struct store_txn *t, struct store__audit_head *h)
{
	MDB_val k = { strlen(AUDIT_HEAD), AUDIT_HEAD }, v;
	int rc;

	memset(h, 0, sizeof(*h));
	if ((rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	if (v.mv_size != HEAD_LEN)
		return TN_ERR_STORE;
	h->seq = store__be64_get(v.mv_data);
	memcpy(h->hash, (uint8_t *)v.mv_data + 8, TN_HASH_LEN);
	return 0;
}

/* The head, as the writer's batch has moved it so far. */
static int head_get(struct store_txn *t, struct store__audit_head *h)
{
	int rc;

	if (t != &t->s->w)
		return head_read(t, h);
	if (!t->head.known) {
		if ((rc = head_read(t, &t->head)) && rc != TN_ERR_NOT_FOUND)
			return rc;
		t->head.known = 1;
	}
	*h = t->head;
	return h->seq ? 0 : TN_ERR_NOT_FOUND;
}

int store__audit_head_flush(struct store_txn *t)
{
	uint8_t vb[HEAD_LEN];
	MDB_val k = { strlen(AUDIT_HEAD), AUDIT_HEAD }, v = { sizeof(vb), vb };

	if (!t->head.dirty)
		return 0;
	store__be64_put(vb, t->head.seq);
	memcpy(vb + 8, t->head.hash, TN_HASH_LEN);
	return store__put(t, STORE_DB_META, &k, &v, 0);
}

int store_audit_head(struct store_txn *t, uint64_t *seq, uint8_t hash[TN_HASH_LEN])
{
	struct store__audit_head h;
	int rc = head_get(t, &h);

	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	*seq = h.seq;
	memcpy(hash, h.hash, TN_HASH_LEN);
	return 0;
}

#define AUDIT_ANCHOR STORE_META_PREFIX "audit:anchor" /* msgpack tn_audit_anchor */

int store_audit_anchor_get(struct store_txn *t, struct tn_audit_anchor *a)
{
	MDB_val k = { strlen(AUDIT_ANCHOR), AUDIT_ANCHOR }, v;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	return store__obj_decode(&proto_audit_anchor_schema, &v, a);
}

int store_audit_anchor_put(struct store_txn *t, const struct tn_audit_anchor *a)
{
	MDB_val k = { strlen(AUDIT_ANCHOR), AUDIT_ANCHOR };

	return store__val_put(t, STORE_DB_META, &k, &proto_audit_anchor_schema, a, 0);
}

/* out = hash(prev || msgpack of a without its hash), using b as scratch. */
static int entry_hash(const struct tn_audit *a, store_hash_fn hash, struct proto_buf *b,
		      uint8_t out[TN_HASH_LEN])
{
	int rc;

	b->len = 0;
	if ((rc = proto_buf_add(b, a->prev, TN_HASH_LEN)) ||
	    (rc = proto_encode(&proto_audit_body_schema, a, b)))
		return rc;
	hash(b->data, b->len, out);
	return 0;
}

/* The stored entry is the hashed body (after prev in b) with the hash as
 * its last field, so one encoding serves both: byte for byte what
 * proto_encode writes for the whole entry, as long as the body is a
 * fixmap with room for one more field (it has at most 14). */
static int put_entry(struct store_txn *t, const struct tn_audit *a, struct proto_buf *b)
{
	static const uint8_t hash_key[] = "\xa4" "hash\xc4\x20";   /* "hash": bin8 of 32 */
	uint8_t kb[8], *body = b->data + TN_HASH_LEN;
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	_Static_assert(TN_HASH_LEN == 0x20, "the hash is a bin8 of 32 bytes");
	if ((*body & 0xf0) != 0x80 || (*body & 0x0f) == 0x0f)
		return store__obj_put(t, STORE_DB_AUDIT, a->seq, &proto_audit_schema, a,
				      MDB_NOOVERWRITE);
	if ((rc = proto_buf_add(b, hash_key, sizeof(hash_key) - 1)) ||
	    (rc = proto_buf_add(b, a->hash, TN_HASH_LEN)))
		return rc;
	body = b->data + TN_HASH_LEN;
	(*body)++;
	store__be64_put(kb, a->seq);
	v.mv_data = body;
	v.mv_size = b->len - TN_HASH_LEN;
	return store__put(t, STORE_DB_AUDIT, &k, &v, MDB_NOOVERWRITE);
}

/* The entry is never written over an existing one: a head that lags
 * behind the entries fails the append instead of rewriting history. */
int store_audit_append(struct store_txn *t, struct tn_audit *a, store_hash_fn hash)
{
	struct store__audit_head h;
	int rc;

	if (t->rdonly || t != &t->s->w)
		return TN_ERR_INVALID;
	if ((rc = head_get(t, &h)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (h.seq == UINT64_MAX)
		return TN_ERR_LIMIT;
	a->seq = h.seq + 1;
	memcpy(a->prev, h.hash, TN_HASH_LEN);
	if ((rc = entry_hash(a, hash, &t->s->enc, a->hash)) ||
	    (rc = put_entry(t, a, &t->s->enc)))
		return rc;
	t->head.seq = a->seq;
	memcpy(t->head.hash, a->hash, TN_HASH_LEN);
	t->head.dirty = 1;
	return 0;
}

/* Returns the number of entries passed to fn, or fn's non-zero return,
 * or a negative error (TN_ERR_STORE for an entry that does not decode). */
int store_audit_each(struct store_txn *t, uint64_t from_seq, store_audit_fn fn, void *arg)
{
	struct tn_audit a;
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *c;
	int rc, n = 0, op = MDB_SET_RANGE;

	store__be64_put(kb, from_seq);
	if ((rc = store__cursor(t, STORE_DB_AUDIT, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if ((rc = store__obj_decode(&proto_audit_schema, &v, &a)) || (rc = fn(arg, &a)))
			break;
		if (n < INT32_MAX)
			n++;
	}
	store__cursor_done(t, STORE_DB_AUDIT, c);
	return rc == TN_ERR_NOT_FOUND ? n : rc;
}

/* State of a verification walk. */
struct walk {
	store_hash_fn hash;
	struct tn_audit_verify *v;
	struct proto_buf buf;
	uint64_t base;                /* the entries before the anchor: cut */
	uint64_t seq;                 /* the last entry found intact so far */
	uint8_t last[TN_HASH_LEN];    /* the hash of entry seq */
	struct merkle_range *tree;    /* recomputed from the entries, for checks */
	struct store_root_check *checks; /* sorted by size */
	size_t n_checks, next;        /* the next check to make */
};

/* Record the first failure; returns 1 (stop the walk). */
__attribute__((format(printf, 3, 4)))
static int bad(struct walk *w, uint64_t seq, const char *fmt, ...)
{
	va_list ap;

	w->v->first_bad = seq;
	va_start(ap, fmt);
	vsnprintf(w->v->error, sizeof(w->v->error), fmt, ap);
	va_end(ap);
	return 1;
}

/* Start w where the log starts: at the anchor when its front was cut.
 * 1 (w->v says why) for an anchor that does not decode. */
static int walk_start(struct store_txn *t, struct walk *w)
{
	struct tn_audit_anchor a;
	int rc = store_audit_anchor_get(t, &a);

	if (rc == TN_ERR_NOT_FOUND)
		return 0;
	if (rc == TN_ERR_STORE || (!rc && !a.seq))
		return bad(w, 1, "anchor damaged");
	if (rc)
		return rc;
	w->base = w->seq = a.seq - 1;
	memcpy(w->last, a.prev, TN_HASH_LEN);
	return 0;
}

/* 0 if key k is the next entry's, else 1 (w->v says why). Keys come in
 * order, so one below the next is the first one, and below the anchor. */
static int check_key(struct walk *w, const MDB_val *k)
{
	unsigned long long want = w->seq + 1, got;

	if (k->mv_size != 8)
		return bad(w, want, "entry %llu: malformed key", want);
	if ((got = store__be64_get(k->mv_data)) == want)
		return 0;
	if (got > want)
		return bad(w, want, "entry %llu missing", want);
	if (w->base)
		return bad(w, got, "entry %llu: before the anchor (the log starts at entry %llu)",
			   got, want);
	return bad(w, want, "entry %llu: unexpected key %llu", want, got);
}

/* 0 if the entry under k is the next intact link of the chain, 1 if it is
 * not (w->v says why), negative on an error. */
static int check_entry(struct walk *w, const MDB_val *k, const MDB_val *v)
{
	unsigned long long want = w->seq + 1;
	uint8_t h[TN_HASH_LEN];
	struct tn_audit a;
	int rc;

	if (check_key(w, k))
		return 1;
	if ((rc = store__obj_decode(&proto_audit_schema, v, &a)) == TN_ERR_NOMEM)
		return rc;
	if (rc)
		return bad(w, want, "entry %llu: does not decode", want);
	if (a.seq != want)
		return bad(w, want, "entry %llu: holds entry %llu (moved)", want,
			   (unsigned long long)a.seq);
	if (memcmp(a.prev, w->last, TN_HASH_LEN))
		return w->base && w->seq == w->base
			       ? bad(w, want, "entry %llu: does not link to the anchor", want)
			       : bad(w, want, "entry %llu: link to the previous entry broken", want);
	if ((rc = entry_hash(&a, w->hash, &w->buf, h)))
		return rc;
	if (memcmp(h, a.hash, TN_HASH_LEN))
		return bad(w, want, "entry %llu: hash mismatch (edited)", want);
	w->seq = want;
	memcpy(w->last, a.hash, TN_HASH_LEN);
	return 0;
}

/* After a complete walk: the head must name the last entry, or entries
 * were cut off the end (or added, or the last one rewritten). */
static int check_head(struct store_txn *t, struct walk *w)
{
	unsigned long long n = w->seq;
	struct store__audit_head h;
	int rc = head_get(t, &h);

	if (rc == TN_ERR_NOT_FOUND)
		return n ? bad(w, n + 1, "head missing, found %llu entries",
			       (unsigned long long)(n - w->base)) : 0;
	if (rc == TN_ERR_NOMEM || rc == TN_ERR_IO)
		return rc;
	if (rc)
		return bad(w, n + 1, "head damaged");
	if (h.seq != n)
		return bad(w, (h.seq < n ? h.seq : n) + 1,
			   w->base ? "head says the log ends at entry %llu, found %llu"
				   : "head says %llu entries, found %llu",
			   (unsigned long long)h.seq, n);
	if (memcmp(h.hash, w->last, TN_HASH_LEN))
		return bad(w, n + 1, "head does not match entry %llu (rewritten)", n);
	return 0;
}

/* The checks at or below the anchor: their entries are gone, so the
 * stored tree answers for them. Then the tree as it was at the anchor. */
static int roots_start(struct store_txn *t, struct walk *w)
{
	uint8_t root[TN_HASH_LEN];
	int rc;

	for (; w->next < w->n_checks && w->checks[w->next].size <= w->base; w->next++) {
		struct store_root_check *c = &w->checks[w->next];

		if ((rc = store_tree_root(t, w->hash, c->size, root)) && rc != TN_ERR_NOT_FOUND)
			return rc;
		c->result = !rc && !memcmp(root, c->root, TN_HASH_LEN) ? 0 : TN_ERR_INVALID;
	}
	if ((rc = store_tree_range(t, w->base, w->tree)) == TN_ERR_NOT_FOUND)
		return bad(w, w->base + 1, "the audit tree does not reach the anchor (entry %llu)",
			   (unsigned long long)w->base + 1);
	return rc;
}

/* Entry w->seq (intact) is the tree's next leaf: make the checks at it. */
static void roots_step(struct walk *w)
{
	uint8_t leaf[TN_HASH_LEN], root[TN_HASH_LEN];

	merkle_leaf(w->hash, w->last, leaf);
	merkle_range_push(w->tree, w->hash, leaf);
	if (w->next == w->n_checks || w->checks[w->next].size != w->tree->size)
		return;
	merkle_range_root(w->tree, w->hash, root);
	for (; w->next < w->n_checks && w->checks[w->next].size == w->tree->size; w->next++)
		w->checks[w->next].result = memcmp(root, w->checks[w->next].root, TN_HASH_LEN)
						    ? TN_ERR_INVALID : 0;
}

/* After the walk: a check past its end is behind when the log is intact,
 * not contained when it broke first. */
static void roots_end(struct walk *w)
{
	for (; w->next < w->n_checks; w->next++)
		w->checks[w->next].result = w->v->first_bad ? TN_ERR_INVALID : TN_ERR_NOT_FOUND;
}

int store_audit_verify(struct store_txn *t, store_hash_fn hash, struct tn_audit_verify *v)
{
	return store_audit_verify_roots(t, hash, v, NULL, 0);
}

/* Walks the whole log from its anchor, if it has one, and stops at the
 * first failure. Returns 0 once the walk is done, intact or not; negative
 * on a store error. The anchor's signature is the caller's to check. */
int store_audit_verify_roots(struct store_txn *t, store_hash_fn hash, struct tn_audit_verify *v,
			     struct store_root_check *checks, size_t count)
{
	struct merkle_range tree;
	struct walk w = { .hash = hash, .v = v, .tree = &tree, .checks = checks,
			  .n_checks = count };
	MDB_cursor *c;
	MDB_val k, val;
	int rc, op = MDB_FIRST;

	memset(v, 0, sizeof(*v));
	memset(&tree, 0, sizeof(tree));
	if ((rc = walk_start(t, &w)) || (count && (rc = roots_start(t, &w))) ||
	    (rc = store__cursor(t, STORE_DB_AUDIT, &c)))
		goto out;
	while ((rc = store__err(mdb_cursor_get(c, &k, &val, op))) == 0) {
		op = MDB_NEXT;
		if ((rc = check_entry(&w, &k, &val)))
			break;
		if (count)
			roots_step(&w);
	}
	store__cursor_done(t, STORE_DB_AUDIT, c);
	if (rc == TN_ERR_NOT_FOUND)
		rc = check_head(t, &w);
out:
	if (count)
		roots_end(&w);
	v->entries = w.seq - w.base;
	v->from_seq = w.base + 1;
	proto_buf_free(&w.buf);
	return rc < 0 ? rc : 0;
}

/* 1 if the entry in v is older than before_ms or does not decode (for
 * check_entry to judge), 0 if it is younger, negative on an error. */
static int is_old(const MDB_val *v, uint64_t before_ms)
{
	struct tn_audit a;
	int rc = store__obj_decode(&proto_audit_schema, v, &a);

	if (rc == TN_ERR_NOMEM)
		return rc;
	return rc || a.ts < before_ms;
}

/* Each entry deleted is checked first as verify would: the cut stops at a
 * broken one and leaves it, so that no anchor is ever made over a gap or
 * an edit. After the cut, the walk's last intact entry is the last one
 * deleted, whose hash the first kept entry links to. */
int store_audit_cut(struct store_txn *t, store_hash_fn hash, uint64_t before_ms, uint32_t max,
		    struct store_audit_cut *out)
{
	struct walk w = { .hash = hash, .v = &out->check };
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (t->rdonly)
		return TN_ERR_INVALID;
	if ((rc = walk_start(t, &w)) || (rc = store__cursor(t, STORE_DB_AUDIT, &c)))
		goto out;
	while (out->deleted < max &&
	       (rc = store__err(mdb_cursor_get(c, &k, &v, MDB_FIRST))) == 0) {
		if ((rc = is_old(&v, before_ms)) <= 0 || (rc = check_entry(&w, &k, &v)))
			break;
		if ((rc = store__cursor_del(t, STORE_DB_AUDIT, c)))
			break;
		out->deleted++;
	}
	store__cursor_done(t, STORE_DB_AUDIT, c);
	if (rc == TN_ERR_NOT_FOUND)
		rc = check_head(t, &w);
out:
	out->first_kept = w.seq + 1;
	memcpy(out->prev, w.last, TN_HASH_LEN);
	proto_buf_free(&w.buf);
	return rc < 0 ? rc : 0;
}
