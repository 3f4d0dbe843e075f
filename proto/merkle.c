/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log's Merkle tree, RFC 9162 section 2.1 in shape: roots,
 * compact ranges, consistency proofs and their check. Pure: the hash and
 * the stored subtrees come from the caller. */
#include <string.h>

#include "merkle.h"

void merkle_leaf(merkle_hash_fn h, const uint8_t entry[MERKLE_HASH_LEN],
		 uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t b[1 + MERKLE_HASH_LEN] = { 0x00 };

	memcpy(b + 1, entry, MERKLE_HASH_LEN);
	h(b, sizeof(b), out);
}

void merkle_node(merkle_hash_fn h, const uint8_t left[MERKLE_HASH_LEN],
		 const uint8_t right[MERKLE_HASH_LEN], uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t b[1 + 2 * MERKLE_HASH_LEN] = { 0x01 };

	memcpy(b + 1, left, MERKLE_HASH_LEN);
	memcpy(b + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
	h(b, sizeof(b), out);
}

void merkle_range_push(struct merkle_range *r, merkle_hash_fn h,
		       const uint8_t leaf[MERKLE_HASH_LEN])
{
	uint8_t cur[MERKLE_HASH_LEN];

	memcpy(cur, leaf, MERKLE_HASH_LEN);
	for (uint64_t s = r->size; s & 1; s >>= 1)
		merkle_node(h, r->h[--r->n], cur, cur);
	memcpy(r->h[r->n++], cur, MERKLE_HASH_LEN);
	r->size++;
}

void merkle_range_root(const struct merkle_range *r, merkle_hash_fn h,
		       uint8_t root[MERKLE_HASH_LEN])
{
	if (!r->n) {
		h("", 0, root);
		return;
	}
	memcpy(root, r->h[r->n - 1], MERKLE_HASH_LEN);
	for (uint32_t i = r->n - 1; i-- > 0;)
		merkle_node(h, r->h[i], root, root);
}

/* The largest power of two below n (n > 1). */
static uint64_t split(uint64_t n)
{
	uint64_t k = 1;

	while (k << 1 < n)
		k <<= 1;
	return k;
}

static int log2_exact(uint64_t n)
{
	return n && !(n & (n - 1)) ? __builtin_ctzll(n) : -1;
}

/* The hash of leaves [a, a + len), a subtree of the tree's shape. */
static int range_hash(merkle_hash_fn h, uint64_t a, uint64_t len, merkle_fetch_fn fetch,
		      void *arg, uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t l[MERKLE_HASH_LEN], r[MERKLE_HASH_LEN];
	int level = log2_exact(len), rc;
	uint64_t k;

	if (level >= 0)
		return a % len ? TN_ERR_INVALID : fetch(arg, (unsigned)level, a >> level, out);
	k = split(len);
	if ((rc = range_hash(h, a, k, fetch, arg, l)) ||
	    (rc = range_hash(h, a + k, len - k, fetch, arg, r)))
		return rc;
	merkle_node(h, l, r, out);
	return 0;
}

int merkle_root(merkle_hash_fn h, uint64_t size, merkle_fetch_fn fetch, void *arg,
		uint8_t root[MERKLE_HASH_LEN])
{
	if (!size) {
		h("", 0, root);
		return 0;
	}
	return range_hash(h, 0, size, fetch, arg, root);
}

struct proof {
	merkle_hash_fn h;
	merkle_fetch_fn fetch;
	void *arg;
	uint8_t (*out)[MERKLE_HASH_LEN];
	uint32_t n;
};

/* RFC 9162 2.1.4.1 SUBPROOF(m, D[a:a+n], whole). */
static int subproof(struct proof *p, uint64_t m, uint64_t a, uint64_t n, int whole)
{
	uint64_t k;
	int rc;

	if (m == n) {
		if (whole)
			return 0;
		if (p->n == MERKLE_DEPTH)
			return TN_ERR_LIMIT;
		return range_hash(p->h, a, n, p->fetch, p->arg, p->out[p->n++]);
	}
	k = split(n);
	if (m <= k)
		rc = subproof(p, m, a, k, whole);
	else
		rc = subproof(p, m - k, a + k, n - k, 0);
	if (rc)
		return rc;
	if (p->n == MERKLE_DEPTH)
		return TN_ERR_LIMIT;
	return m <= k ? range_hash(p->h, a + k, n - k, p->fetch, p->arg, p->out[p->n++])
		      : range_hash(p->h, a, k, p->fetch, p->arg, p->out[p->n++]);
}

int merkle_prove(merkle_hash_fn h, uint64_t m, uint64_t n, merkle_fetch_fn fetch, void *arg,
		 uint8_t proof[][MERKLE_HASH_LEN], uint32_t *count)
{
	struct proof p = { h, fetch, arg, proof, 0 };
	int rc;

	*count = 0;
	if (m > n)
		return TN_ERR_INVALID;
	if (!m || m == n)
		return 0;
	if (!(rc = subproof(&p, m, 0, n, 1)))
		*count = p.n;
	return rc;
}

/* Shift fn and sn right together while fn's lowest bit is set (set = 1)
 * or clear (set = 0), as long as fn is not 0. */
static void shift_while(uint64_t *fn, uint64_t *sn, int set)
{
	while (*fn && (int)(*fn & 1) == set) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

/* RFC 9162 2.1.4.2. */
int merkle_consistent(merkle_hash_fn h, uint64_t m, const uint8_t old[MERKLE_HASH_LEN],
		      uint64_t n, const uint8_t new[MERKLE_HASH_LEN],
		      const uint8_t proof[][MERKLE_HASH_LEN], uint32_t count)
{
	uint8_t fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];
	uint64_t fn = m - 1, sn = n - 1;
	uint32_t i = 0;

	if (m > n)
		return TN_ERR_INVALID;
	if (!m)                          /* the empty tree is the start of any */
		return count ? TN_ERR_INVALID : 0;
	if (m == n)
		return !count && !memcmp(old, new, MERKLE_HASH_LEN) ? 0 : TN_ERR_INVALID;
	if (log2_exact(m) >= 0) {
		memcpy(fr, old, MERKLE_HASH_LEN);
	} else {
		if (!count)
			return TN_ERR_INVALID;
		memcpy(fr, proof[i++], MERKLE_HASH_LEN);
	}
	memcpy(sr, fr, MERKLE_HASH_LEN);
	shift_while(&fn, &sn, 1);
	for (; i < count; i++) {
		if (!sn)
			return TN_ERR_INVALID;
		if ((fn & 1) || fn == sn) {
			merkle_node(h, proof[i], fr, fr);
			merkle_node(h, proof[i], sr, sr);
			shift_while(&fn, &sn, 0);
		} else {
			merkle_node(h, sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return !memcmp(fr, old, MERKLE_HASH_LEN) && !memcmp(sr, new, MERKLE_HASH_LEN) && !sn
		       ? 0 : TN_ERR_INVALID;
}
