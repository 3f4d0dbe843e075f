/* SPDX-License-Identifier: Apache-2.0 */
/* The hashing under RFC 9497 with ristretto255 and SHA-512: hash inputs
 * in length-prefixed pieces, the context strings of the modes,
 * expand_message_xmd (RFC 9380), HashToGroup and HashToScalar, and the
 * checks of scalars and elements from outside. */
#include <assert.h>
#include <string.h>

#include "oprf_int.h"

_Static_assert(crypto_core_ristretto255_BYTES == CX_OPRF_ELEM, "ristretto255 element size");
_Static_assert(crypto_core_ristretto255_SCALARBYTES == CX_OPRF_SCALAR, "scalar size");
_Static_assert(CX__OPRF_HASH == CX_OPRF_OUT && 2 * CX_OPRF_SCALAR == CX_OPRF_PROOF,
	       "SHA-512 sizes");

void cx__msg_add(struct cx__msg *m, const void *p, size_t n)
{
	assert(m->n < CX__MSG_PARTS);
	m->p[m->n++] = (struct cx_part){ p, n };
}

/* I2OSP(v, 2). */
void cx__msg_u16(struct cx__msg *m, size_t v)
{
	uint8_t *l;

	assert(m->nl < CX__MSG_LENS && v <= CX__OPRF_MAX_LEN);
	l = m->len[m->nl++];
	l[0] = (uint8_t)(v >> 8);
	l[1] = (uint8_t)v;
	cx__msg_add(m, l, 2);
}

/* I2OSP(n, 2) || p. */
void cx__msg_lp(struct cx__msg *m, const void *p, size_t n)
{
	cx__msg_u16(m, n);
	cx__msg_add(m, p, n);
}

static void msg_update(crypto_hash_sha512_state *st, const struct cx__msg *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->p[i].n)
			crypto_hash_sha512_update(st, m->p[i].p, m->p[i].n);
}

/* SHA-512 of the pieces. */
void cx__msg_hash(const struct cx__msg *m, uint8_t out[CX__OPRF_HASH])
{
	crypto_hash_sha512_state st;

	crypto_hash_sha512_init(&st);
	msg_update(&st, m);
	crypto_hash_sha512_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

/* prefix || "OPRFV1-" || I2OSP(mode, 1) || "-ristretto255-SHA512". */
void cx__dst_make(struct cx__dst *d, const char *prefix, enum cx_oprf_mode mode)
{
	static const char suite[] = "-ristretto255-SHA512";
	size_t k = strlen(prefix);

	assert(k + 8 + sizeof suite - 1 <= sizeof d->b);
	memcpy(d->b, prefix, k);
	memcpy(d->b + k, "OPRFV1-", 7);
	d->b[k + 7] = (uint8_t)mode;
	memcpy(d->b + k + 8, suite, sizeof suite - 1);
	d->n = k + 8 + sizeof suite - 1;
}

static void dst_update(crypto_hash_sha512_state *st, const struct cx__dst *d)
{
	uint8_t n = (uint8_t)d->n;

	crypto_hash_sha512_update(st, d->b, d->n);
	crypto_hash_sha512_update(st, &n, 1);
}

/* expand_message_xmd with SHA-512 (RFC 9380 5.3.1): len bytes, at most
 * 255 blocks. b_1 = H(b_0 || 1 || DST'), b_i = H((b_0 ^ b_(i-1)) || i ||
 * DST'); starting from bi = 0 makes the first xor give b_0 itself. */
static void xmd(const struct cx__msg *m, const struct cx__dst *d, uint8_t *out, size_t len)
{
	static const uint8_t z_pad[128];
	uint8_t b0[CX__OPRF_HASH], bi[CX__OPRF_HASH] = { 0 };
	uint8_t lib[3] = { (uint8_t)(len >> 8), (uint8_t)len, 0 };
	size_t ell = (len + CX__OPRF_HASH - 1) / CX__OPRF_HASH;
	crypto_hash_sha512_state st;

	assert(ell >= 1 && ell <= 255);
	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, z_pad, sizeof z_pad);
	msg_update(&st, m);
	crypto_hash_sha512_update(&st, lib, sizeof lib);
	dst_update(&st, d);
	crypto_hash_sha512_final(&st, b0);
	for (size_t i = 1; i <= ell; i++) {
		uint8_t ib = (uint8_t)i;
		size_t left = len - (i - 1) * CX__OPRF_HASH;
		size_t take = left < CX__OPRF_HASH ? left : CX__OPRF_HASH;

		for (size_t k = 0; k < CX__OPRF_HASH; k++)
			bi[k] ^= b0[k];
		crypto_hash_sha512_init(&st);
		crypto_hash_sha512_update(&st, bi, sizeof bi);
		crypto_hash_sha512_update(&st, &ib, 1);
		dst_update(&st, d);
		crypto_hash_sha512_final(&st, bi);
		memcpy(out + (i - 1) * CX__OPRF_HASH, bi, take);
	}
	sodium_memzero(b0, sizeof b0);
	sodium_memzero(bi, sizeof bi);
	sodium_memzero(&st, sizeof st);
}

/* HashToScalar: 64 expanded bytes reduced mod L. */
void cx__hash_to_scalar(const struct cx__msg *m, const struct cx__dst *d,
			uint8_t s[CX_OPRF_SCALAR])
{
	uint8_t wide[CX__OPRF_HASH];

	xmd(m, d, wide, sizeof wide);
	crypto_core_ristretto255_scalar_reduce(s, wide);
	sodium_memzero(wide, sizeof wide);
}

/* HashToGroup: the one-way map of 64 expanded bytes. */
void cx__hash_to_group(enum cx_oprf_mode mode, const void *in, size_t n,
		       uint8_t p[CX_OPRF_ELEM])
{
	struct cx__msg m = { 0 };
	struct cx__dst d;
	uint8_t wide[CX__OPRF_HASH];

	cx__dst_make(&d, "HashToGroup-", mode);
	cx__msg_add(&m, in, n);
	xmd(&m, &d, wide, sizeof wide);
	crypto_core_ristretto255_from_hash(p, wide);
	sodium_memzero(wide, sizeof wide);
}

/* A canonical (below L), non-zero scalar. */
int cx__scalar_ok(const uint8_t s[CX_OPRF_SCALAR])
{
	uint8_t wide[CX__OPRF_HASH] = { 0 }, r[CX_OPRF_SCALAR];

	memcpy(wide, s, CX_OPRF_SCALAR);
	crypto_core_ristretto255_scalar_reduce(r, wide);
	int ok = sodium_memcmp(r, s, CX_OPRF_SCALAR) == 0 && !sodium_is_zero(s, CX_OPRF_SCALAR);
	sodium_memzero(wide, sizeof wide);
	sodium_memzero(r, sizeof r);
	return ok;
}

/* libsodium 1.0.18 decodes an element ignoring the top bit of its last
 * byte, so two encodings name each element; RFC 9496 4.3.1 refuses the
 * one with the bit set. Every element from outside passes here. */
int cx__top_bit_clear(const uint8_t e[CX_OPRF_ELEM])
{
	return (e[CX_OPRF_ELEM - 1] & 0x80) == 0;
}

/* A canonical encoding of an element other than the identity. */
int cx__elem_ok(const uint8_t e[CX_OPRF_ELEM])
{
	return cx__top_bit_clear(e) && crypto_core_ristretto255_is_valid_point(e) &&
	       !sodium_is_zero(e, CX_OPRF_ELEM);
}
