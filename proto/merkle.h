/* SPDX-License-Identifier: Apache-2.0 */
/* The Merkle tree over a node's audit entries (the shape of RFC 9162,
 * section 2.1, with the hash given by the caller): leaf i is the hash of
 * entry i+1; leaves are H(0x00 || entry hash), inner nodes H(0x01 || left
 * || right). A witness holds a root; a consistency proof shows that a
 * later root extends it. */
#ifndef TN_MERKLE_H
#define TN_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MERKLE_HASH_LEN 32
#define MERKLE_DEPTH 64

typedef void (*merkle_hash_fn)(const void *m, size_t n, uint8_t out[MERKLE_HASH_LEN]);
/* The hash of the perfect subtree of 2^level leaves starting at leaf
 * index << level, as the tree's store holds it; 0 or an error. */
typedef int (*merkle_fetch_fn)(void *arg, unsigned level, uint64_t index,
			       uint8_t out[MERKLE_HASH_LEN]);

void merkle_leaf(merkle_hash_fn h, const uint8_t entry[MERKLE_HASH_LEN],
		 uint8_t out[MERKLE_HASH_LEN]);
void merkle_node(merkle_hash_fn h, const uint8_t left[MERKLE_HASH_LEN],
		 const uint8_t right[MERKLE_HASH_LEN], uint8_t out[MERKLE_HASH_LEN]);

/* The tree of the first size leaves, kept as the roots of the perfect
 * subtrees of size's binary form, largest first (a compact range). */
struct merkle_range {
	uint64_t size;
	uint32_t n;
	uint8_t h[MERKLE_DEPTH][MERKLE_HASH_LEN];
};

/* Add one leaf (its leaf hash) to the right of r. */
void merkle_range_push(struct merkle_range *r, merkle_hash_fn h,
		       const uint8_t leaf[MERKLE_HASH_LEN]);
/* The root of r (of an empty tree: the hash of nothing). */
void merkle_range_root(const struct merkle_range *r, merkle_hash_fn h,
		       uint8_t root[MERKLE_HASH_LEN]);

/* The root of the first size leaves, from the stored perfect subtrees. */
int merkle_root(merkle_hash_fn h, uint64_t size, merkle_fetch_fn fetch, void *arg,
		uint8_t root[MERKLE_HASH_LEN]) TN_WUR;
/* The consistency proof from size m to size n (0 < m <= n): at most
 * MERKLE_DEPTH hashes, written to proof; *count gets how many. */
int merkle_prove(merkle_hash_fn h, uint64_t m, uint64_t n, merkle_fetch_fn fetch, void *arg,
		 uint8_t proof[][MERKLE_HASH_LEN], uint32_t *count) TN_WUR;
/* 0 when proof (count hashes) shows that the tree of m leaves with root
 * old is the start of the tree of n leaves with root new; TN_ERR_INVALID
 * when it does not. */
int merkle_consistent(merkle_hash_fn h, uint64_t m, const uint8_t old[MERKLE_HASH_LEN],
		      uint64_t n, const uint8_t new[MERKLE_HASH_LEN],
		      const uint8_t proof[][MERKLE_HASH_LEN], uint32_t count) TN_WUR;

#endif
