/* SPDX-License-Identifier: Apache-2.0 */
/* The reference Merkle tree; see vec_tree.h. */
#include <string.h>

#include "../../../crypto/cx.h"
#include "vec_tree.h"

static void node_of(const uint8_t l[VT_HASH], const uint8_t r[VT_HASH], uint8_t out[VT_HASH])
{
	uint8_t b[1 + 2 * VT_HASH] = { 0x01 };

	memcpy(b + 1, l, VT_HASH);
	memcpy(b + 1 + VT_HASH, r, VT_HASH);
	cx_hash(b, sizeof(b), out);
}

/* The largest power of two below n (n > 1). */
static uint64_t split(uint64_t n)
{
	uint64_t k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

void vt_root(const uint8_t (*e)[VT_HASH], uint64_t n, uint8_t out[VT_HASH])
{
	uint8_t b[1 + VT_HASH] = { 0x00 }, l[VT_HASH], r[VT_HASH];
	uint64_t k;

	if (n == 0) {
		cx_hash(b, 0, out);
		return;
	}
	if (n == 1) {
		memcpy(b + 1, e[0], VT_HASH);
		cx_hash(b, sizeof(b), out);
		return;
	}
	k = split(n);
	vt_root(e, k, l);
	vt_root(e + k, n - k, r);
	node_of(l, r, out);
}

/* SUBPROOF(m, D[0:n], b), appended at out[at]; the new count. */
static uint32_t subproof(const uint8_t (*e)[VT_HASH], uint64_t m, uint64_t n, int b,
			 uint8_t (*out)[VT_HASH], uint32_t at)
{
	uint64_t k;

	if (m == n) {
		if (!b)
			vt_root(e, n, out[at++]);
		return at;
	}
	k = split(n);
	if (m <= k) {
		at = subproof(e, m, k, b, out, at);
		vt_root(e + k, n - k, out[at]);
	} else {
		at = subproof(e + k, m - k, n - k, 0, out, at);
		vt_root(e, k, out[at]);
	}
	return at + 1;
}

uint32_t vt_proof(const uint8_t (*e)[VT_HASH], uint64_t m, uint64_t n, uint8_t (*out)[VT_HASH])
{
	return subproof(e, m, n, 1, out, 0);
}
