/* SPDX-License-Identifier: Apache-2.0 */
/* A reference Merkle tree of a few audit entries, written from the
 * definitions of RFC 9162 section 2.1 (recursive, slow, obvious), with
 * BLAKE2b-256: leaf = H(0x00 || entry hash), node = H(0x01 || left ||
 * right). Independent of proto/merkle.c, so that the vectors and the test
 * peer check it rather than repeat it. */
#ifndef TN_TOOLS_VEC_TREE_H
#define TN_TOOLS_VEC_TREE_H

#include <stdint.h>

#define VT_HASH 32
#define VT_PROOF_MAX 64

/* The tree head of the first n entries (n 0: the hash of nothing). */
void vt_root(const uint8_t (*entries)[VT_HASH], uint64_t n, uint8_t out[VT_HASH]);
/* The consistency proof from m to n entries (0 < m <= n), RFC 9162
 * 2.1.4.1 PROOF(m, D[0:n]): its hashes in out, their count returned. */
uint32_t vt_proof(const uint8_t (*entries)[VT_HASH], uint64_t m, uint64_t n,
		  uint8_t (*out)[VT_HASH]);

#endif
