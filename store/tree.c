/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log's Merkle tree in LMDB: every perfect subtree's hash,
 * added when a checkpoint is made (not per entry, so the common path pays
 * nothing) and kept when retention cuts the entries, so that proofs and
 * roots still reach back to entry 1. A subtree is keyed by the order in
 * which appending leaves completes it, so the tree only ever appends to
 * its database and fills its pages. Also our own signed checkpoints, and
 * what each witness was sent and last answered. */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define TREE_SIZE STORE_META_PREFIX "tree:size"
#define COSIG_PREFIX STORE_META_PREFIX "cosig:"
#define SENT_PREFIX STORE_META_PREFIX "checkpoint:sent:"

/* Subtree (level, index) is completed by leaf j = ((index + 1) << level)
 * - 1, as the level-th merge after that leaf; 2j - popcount(j) subtrees
 * were completed before leaf j. */
static void node_key(uint8_t k[8], unsigned level, uint64_t index)
{
	uint64_t j = ((index + 1) << level) - 1;

	store__be64_put(k, 2 * j - (uint64_t)__builtin_popcountll(j) + level);
}

/* merkle_fetch_fn over a transaction. */
static int node_get(void *arg, unsigned level, uint64_t index, uint8_t out[TN_HASH_LEN])
{
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	node_key(kb, level, index);
	if ((rc = store__get(arg, STORE_DB_TREE, &k, &v)))
		return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
	if (v.mv_size != TN_HASH_LEN)
		return TN_ERR_STORE;
	memcpy(out, v.mv_data, TN_HASH_LEN);
	return 0;
}

static int node_put(struct store_txn *t, unsigned level, uint64_t index,
		    const uint8_t h[TN_HASH_LEN])
{
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v = { TN_HASH_LEN, (void *)h };

	node_key(kb, level, index);
	return store__put(t, STORE_DB_TREE, &k, &v, MDB_APPEND);
}

int store_tree_size(struct store_txn *t, uint64_t *size)
{
	int rc = store__u64_get(t, TREE_SIZE, size);

	if (rc == TN_ERR_NOT_FOUND) {
		*size = 0;
		return 0;
	}
	return rc;
}

/* The tree's first size leaves as a compact range, from the store. */
static int range_load(struct store_txn *t, uint64_t size, struct merkle_range *r)
{
	uint64_t at = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	for (int level = 63; level >= 0; level--) {
		if (!(size & (1ull << level)))
			continue;
		if ((rc = node_get(t, (unsigned)level, at >> level, r->h[r->n++])))
			return rc;
		at += 1ull << level;
	}
	r->size = size;
	return 0;
}

/* Add leaf index r->size, storing it and every subtree it completes. */
static int range_add(struct store_txn *t, store_hash_fn hash, struct merkle_range *r,
		     const uint8_t entry[TN_HASH_LEN])
{
	uint64_t i = r->size;
	uint8_t cur[TN_HASH_LEN];
	unsigned level = 0;
	int rc;

	merkle_leaf(hash, entry, cur);
	if ((rc = node_put(t, 0, i, cur)))
		return rc;
	for (uint64_t s = i; s & 1; s >>= 1) {
		merkle_node(hash, r->h[--r->n], cur, cur);
		level++;
		if ((rc = node_put(t, level, i >> level, cur)))
			return rc;
	}
	memcpy(r->h[r->n++], cur, TN_HASH_LEN);
	r->size++;
	return 0;
}

/* Add entries size+1 .. head as leaves; a gap fails with TN_ERR_STORE. */
static int add_entries(struct store_txn *t, store_hash_fn hash, struct merkle_range *r,
		       uint64_t head)
{
	struct tn_audit a;
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *c;
	int rc, op = MDB_SET_KEY;

	store__be64_put(kb, r->size + 1);
	if ((rc = store__cursor(t, STORE_DB_AUDIT, &c)))
		return rc;
	while (r->size < head && !(rc = store__err(mdb_cursor_get(c, &k, &v, op)))) {
		op = MDB_NEXT;
		if (k.mv_size != 8 || store__be64_get(k.mv_data) != r->size + 1 ||
		    (rc = store__obj_decode(&proto_audit_schema, &v, &a))) {
			rc = rc == TN_ERR_NOMEM ? rc : TN_ERR_STORE;
			break;
		}
		if ((rc = range_add(t, hash, r, a.hash)))
			break;
	}
	store__cursor_done(t, STORE_DB_AUDIT, c);
	return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
}

int store_tree_extend(struct store_txn *t, store_hash_fn hash, uint64_t head, uint64_t max,
		      uint64_t *size)
{
	struct merkle_range r;
	int rc;

	if (t->rdonly)
		return TN_ERR_INVALID;
	if ((rc = store_tree_size(t, size)))
		return rc;
	if (*size > head)
		return TN_ERR_STORE;        /* the tree has entries the log lacks */
	if (*size == head)
		return 0;
	if (max && head - *size > max)
		head = *size + max;
	if ((rc = range_load(t, *size, &r)) || (rc = add_entries(t, hash, &r, head)) ||
	    (rc = store__u64_put(t, TREE_SIZE, r.size)))
		return rc;
	*size = r.size;
	return 0;
}

int store_audit_hash_at(struct store_txn *t, uint64_t seq, uint8_t hash[TN_HASH_LEN])
{
	struct tn_audit a;
	int rc = store__obj_get(t, STORE_DB_AUDIT, seq, &proto_audit_schema, &a);

	if (!rc)
		memcpy(hash, a.hash, TN_HASH_LEN);
	return rc;
}

int store_tree_root(struct store_txn *t, store_hash_fn hash, uint64_t size,
		    uint8_t root[TN_HASH_LEN])
{
	uint64_t have;
	int rc;

	if ((rc = store_tree_size(t, &have)))
		return rc;
	if (size > have)
		return TN_ERR_NOT_FOUND;
	return merkle_root(hash, size, node_get, t, root);
}

int store_tree_proof(struct store_txn *t, store_hash_fn hash, uint64_t m, uint64_t n,
		     uint8_t proof[][TN_HASH_LEN], uint32_t *count)
{
	uint64_t have;
	int rc;

	if ((rc = store_tree_size(t, &have)))
		return rc;
	if (n > have)
		return TN_ERR_NOT_FOUND;
	return merkle_prove(hash, m, n, node_get, t, proof, count);
}

int store_tree_range(struct store_txn *t, uint64_t size, struct merkle_range *r)
{
	uint64_t have;
	int rc;

	if ((rc = store_tree_size(t, &have)))
		return rc;
	return size > have ? TN_ERR_NOT_FOUND : range_load(t, size, r);
}

/* ---- our checkpoints ---- */

int store_checkpoint_put(struct store_txn *t, const struct tn_checkpoint *cp)
{
	return store__obj_put(t, STORE_DB_CHECKPOINTS, cp->size, &proto_checkpoint_schema, cp, 0);
}

static int last_checkpoint(struct store_txn *t, struct tn_checkpoint *cp)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	if ((rc = store__cursor(t, STORE_DB_CHECKPOINTS, &c)))
		return rc;
	rc = store__err(mdb_cursor_get(c, &k, &v, MDB_LAST));
	if (!rc)
		rc = store__obj_decode(&proto_checkpoint_schema, &v, cp);
	store__cursor_done(t, STORE_DB_CHECKPOINTS, c);
	return rc;
}

int store_checkpoint_get(struct store_txn *t, uint64_t size, struct tn_checkpoint *cp)
{
	memset(cp, 0, sizeof(*cp));
	if (!size)
		return last_checkpoint(t, cp);
	return store__obj_get(t, STORE_DB_CHECKPOINTS, size, &proto_checkpoint_schema, cp);
}

int store_checkpoint_each(struct store_txn *t, store_checkpoint_fn fn, void *arg)
{
	struct tn_checkpoint cp;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, op = MDB_FIRST;

	if ((rc = store__cursor(t, STORE_DB_CHECKPOINTS, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if ((rc = store__obj_decode(&proto_checkpoint_schema, &v, &cp)) ||
		    (rc = fn(arg, &cp)))
			break;
	}
	store__cursor_done(t, STORE_DB_CHECKPOINTS, c);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}

/* ---- what each witness was sent and answered ---- */

static void peer_key(char *out, size_t cap, const char *prefix, const char *peer)
{
	snprintf(out, cap, "%s%s", prefix, peer);
}

int store_checkpoint_sent_put(struct store_txn *t, const char *peer, uint64_t size)
{
	char key[64];

	peer_key(key, sizeof(key), SENT_PREFIX, peer);
	return store__u64_put(t, key, size);
}

int store_checkpoint_sent_get(struct store_txn *t, const char *peer, uint64_t *size)
{
	char key[64];
	int rc;

	peer_key(key, sizeof(key), SENT_PREFIX, peer);
	if ((rc = store__u64_get(t, key, size)) == TN_ERR_NOT_FOUND)
		*size = 0;
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}

int store_cosig_put(struct store_txn *t, const char *peer, const struct tn_cosignature *c)
{
	char key[64];
	MDB_val k;

	peer_key(key, sizeof(key), COSIG_PREFIX, peer);
	k = (MDB_val){ strlen(key), key };
	return store__val_put(t, STORE_DB_META, &k, &proto_cosignature_schema, c, 0);
}

int store_cosig_get(struct store_txn *t, const char *peer, struct tn_cosignature *c)
{
	char key[64];
	MDB_val k, v;
	int rc;

	memset(c, 0, sizeof(*c));
	peer_key(key, sizeof(key), COSIG_PREFIX, peer);
	k = (MDB_val){ strlen(key), key };
	if ((rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	return store__obj_decode(&proto_cosignature_schema, &v, c);
}
