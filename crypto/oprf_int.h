/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by oprf.c and voprf.c: hash inputs in pieces, the
 * context strings, HashToGroup and HashToScalar (oprf_hash.c), and the
 * checks of scalars and elements that come from outside. */
#ifndef TN_OPRF_INT_H
#define TN_OPRF_INT_H

#include "cx_int.h"

#define CX__OPRF_HASH crypto_hash_sha512_BYTES
#define CX__OPRF_MAX_LEN 0xffffu  /* the most I2OSP(len, 2) can say */
#define CX__MSG_PARTS 12
#define CX__MSG_LENS 6

/* A hash input in pieces; len holds the I2OSP(x, 2) pieces. Never copied:
 * its parts point into it. Start from { 0 }. */
struct cx__msg {
	struct cx_part p[CX__MSG_PARTS];
	uint8_t len[CX__MSG_LENS][2];
	size_t n, nl;
};

/* prefix || contextString, as a domain separation tag or a label. */
struct cx__dst {
	uint8_t b[64];
	size_t n;
};

/* Append n bytes at p (kept by reference). */
void cx__msg_add(struct cx__msg *m, const void *p, size_t n);
/* Append I2OSP(v, 2). */
void cx__msg_u16(struct cx__msg *m, size_t v);
/* Append I2OSP(n, 2) || p. */
void cx__msg_lp(struct cx__msg *m, const void *p, size_t n);
/* SHA-512 of the pieces. */
void cx__msg_hash(const struct cx__msg *m, uint8_t out[CX__OPRF_HASH]);
/* prefix || "OPRFV1-" || I2OSP(mode, 1) || "-ristretto255-SHA512". */
void cx__dst_make(struct cx__dst *d, const char *prefix, enum cx_oprf_mode mode);
/* HashToScalar(m) with DST d. */
void cx__hash_to_scalar(const struct cx__msg *m, const struct cx__dst *d,
			uint8_t s[CX_OPRF_SCALAR]);
/* HashToGroup(in) of the mode. */
void cx__hash_to_group(enum cx_oprf_mode mode, const void *in, size_t n,
		       uint8_t p[CX_OPRF_ELEM]);
/* Non-zero for a canonical (below L), non-zero scalar. */
int cx__scalar_ok(const uint8_t s[CX_OPRF_SCALAR]);
/* Non-zero unless the encoding's top bit is set (see oprf_hash.c). */
int cx__top_bit_clear(const uint8_t e[CX_OPRF_ELEM]);
/* Non-zero for the canonical encoding of an element other than the
 * identity. */
int cx__elem_ok(const uint8_t e[CX_OPRF_ELEM]);

#endif
