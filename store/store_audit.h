/* SPDX-License-Identifier: Apache-2.0 */
/* store: the audit chain (append, walk, verify, retention cut and its
 * anchor), its Merkle tree and checkpoints, and what we witness of other
 * nodes' logs. Included by store.h. */
#ifndef TN_STORE_AUDIT_H
#define TN_STORE_AUDIT_H

/* A 32-byte hash function, given by the caller (the store has no crypto). */
typedef void (*store_hash_fn)(const void *m, size_t n, uint8_t out[32]);
typedef int (*store_audit_fn)(void *arg, const struct tn_audit *a);

/* Append a to the chain: sets a->seq, a->prev (the last hash) and a->hash
 * = hash(prev || msgpack of a without hash). */
int store_audit_append(struct store_txn *t, struct tn_audit *a, store_hash_fn hash) TN_WUR;
/* Call fn for each entry from sequence from_seq on, in order. */
int store_audit_each(struct store_txn *t, uint64_t from_seq, store_audit_fn fn, void *arg) TN_WUR;
/* Recompute the chain from the anchor, if any (its signature is not
 * checked here); v says where the log starts, how many entries were
 * checked and the first bad one (an edited, removed or reordered entry,
 * one before the anchor, or a head mismatch). */
int store_audit_verify(struct store_txn *t, store_hash_fn hash, struct tn_audit_verify *v) TN_WUR;
/* A Merkle root the log must have at size (a checkpoint's). result: 0
 * when the entries give that root, TN_ERR_NOT_FOUND when the log ends
 * before size, TN_ERR_INVALID when they give another root or the chain
 * broke before size. */
struct store_root_check {
	uint64_t size;
	uint8_t root[TN_HASH_LEN];
	int result;
};
/* store_audit_verify, also recomputing the tree from the entries' own
 * hashes for each check (sorted by size); checks below the anchor are
 * compared with the stored tree, the entries being gone. */
int store_audit_verify_roots(struct store_txn *t, store_hash_fn hash, struct tn_audit_verify *v,
			     struct store_root_check *checks, size_t count) TN_WUR;
/* The last entry's seq and hash (0 and zeros for an empty log). */
int store_audit_head(struct store_txn *t, uint64_t *seq, uint8_t hash[TN_HASH_LEN]) TN_WUR;
/* What store_audit_cut did. */
struct store_audit_cut {
	uint64_t deleted;              /* entries deleted, from the front */
	uint64_t first_kept;           /* the seq the log starts at now */
	uint8_t prev[TN_HASH_LEN];     /* the hash that entry links to */
	struct tn_audit_verify check;  /* first_bad: a broken entry stopped the cut */
};

/* Delete the entries older than before_ms from the front of the log, at
 * most max, each checked first (a broken one stops the cut). out says
 * where the log starts now; the caller stores the anchor for it. */
int store_audit_cut(struct store_txn *t, store_hash_fn hash, uint64_t before_ms, uint32_t max,
		    struct store_audit_cut *out) TN_WUR;
/* The anchor left where the front of the log was cut; TN_ERR_NOT_FOUND
 * when it never was. */
int store_audit_anchor_get(struct store_txn *t, struct tn_audit_anchor *a) TN_WUR;
int store_audit_anchor_put(struct store_txn *t, const struct tn_audit_anchor *a) TN_WUR;

/* ---- the audit log's Merkle tree, checkpoints and witnesses ---- */

/* Add the entries past the tree's size as leaves, up to entry head (the
 * log's last, store_audit_head) or max of them when max is not 0, storing
 * each perfect subtree as it completes; *size gets the tree's size.
 * Entries cut by retention must be in the tree first. */
int store_tree_extend(struct store_txn *t, store_hash_fn hash, uint64_t head, uint64_t max,
		      uint64_t *size) TN_WUR;
/* The hash of entry seq (which must still be there). */
int store_audit_hash_at(struct store_txn *t, uint64_t seq, uint8_t hash[TN_HASH_LEN]) TN_WUR;
/* The leaves the tree holds. */
int store_tree_size(struct store_txn *t, uint64_t *size) TN_WUR;
/* The root of the tree's first size leaves. */
int store_tree_root(struct store_txn *t, store_hash_fn hash, uint64_t size,
		    uint8_t root[TN_HASH_LEN]) TN_WUR;
/* The consistency proof from size m to size n (hashes, 32 bytes each). */
int store_tree_proof(struct store_txn *t, store_hash_fn hash, uint64_t m, uint64_t n,
		     uint8_t proof[][TN_HASH_LEN], uint32_t *count) TN_WUR;

/* The tree's first size leaves as a compact range (to go on from). */
int store_tree_range(struct store_txn *t, uint64_t size, struct merkle_range *r) TN_WUR;

/* Our own signed checkpoints, by size. get with size 0: the latest one
 * (TN_ERR_NOT_FOUND when there is none). */
int store_checkpoint_put(struct store_txn *t, const struct tn_checkpoint *cp) TN_WUR;
int store_checkpoint_get(struct store_txn *t, uint64_t size, struct tn_checkpoint *cp) TN_WUR;
typedef int (*store_checkpoint_fn)(void *arg, const struct tn_checkpoint *cp);
/* Call fn for each of our checkpoints, smallest first. */
int store_checkpoint_each(struct store_txn *t, store_checkpoint_fn fn, void *arg) TN_WUR;

/* The size of the last checkpoint queued to peer (0: none), from which
 * the next one's proof starts: the outbox delivers them in order. */
int store_checkpoint_sent_put(struct store_txn *t, const char *peer, uint64_t size) TN_WUR;
int store_checkpoint_sent_get(struct store_txn *t, const char *peer, uint64_t *size) TN_WUR;
/* The latest answer of witness peer to our checkpoints (its cosignature
 * when it witnessed one); TN_ERR_NOT_FOUND before the first. */
int store_cosig_put(struct store_txn *t, const char *peer, const struct tn_cosignature *c) TN_WUR;
int store_cosig_get(struct store_txn *t, const char *peer, struct tn_cosignature *c) TN_WUR;

/* ---- witnessing other nodes' logs ---- */

/* What we hold of peer's log (w->cp.size 0: no checkpoint yet);
 * TN_ERR_NOT_FOUND, w zeroed, before its first checkpoint message. */
int store_witness_get(struct store_txn *t, const char *peer, struct tn_witnessed *w) TN_WUR;
/* Replace what we hold of peer's log. */
int store_witness_put(struct store_txn *t, const char *peer, const struct tn_witnessed *w) TN_WUR;
/* Keep a checkpoint we refused (or found behind) as evidence, assigning
 * e->id. */
int store_evidence_add(struct store_txn *t, struct tn_evidence *e) TN_WUR;
typedef int (*store_evidence_fn)(void *arg, const struct tn_evidence *e);
/* Call fn for the evidence against peer (NULL: every peer), oldest first;
 * fn's non-zero return stops the walk and is returned. */
int store_evidence_each(struct store_txn *t, const char *peer, store_evidence_fn fn,
			void *arg) TN_WUR;

#endif
