/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9497 OPRF(ristretto255, SHA-512) in the OPRF and VOPRF modes: key
 * derivation, blinding, evaluation and finalisation, and the batched DLEQ
 * proof that a server evaluated with the key it published. */
#include <assert.h>
#include <string.h>

#include "cx_int.h"

#define HLEN crypto_hash_sha512_BYTES
#define ELEM crypto_core_ristretto255_BYTES
#define SCALAR crypto_core_ristretto255_SCALARBYTES
#define MAX_LEN 0xffffu      /* the most I2OSP(len, 2) can say */
#define MSG_PARTS 12
#define MSG_LENS 6

_Static_assert(ELEM == CX_OPRF_ELEM && SCALAR == CX_OPRF_SCALAR, "ristretto255 sizes");
_Static_assert(HLEN == CX_OPRF_OUT && 2 * SCALAR == CX_OPRF_PROOF, "SHA-512 sizes");

/* A hash input in pieces; len holds the I2OSP(x, 2) pieces. Never copied:
 * its parts point into it. */
struct msg {
	struct cx_part p[MSG_PARTS];
	uint8_t len[MSG_LENS][2];
	size_t n, nl;
};

/* "prefix" || contextString, as a domain separation tag or a label. */
struct dst {
	uint8_t b[64];
	size_t n;
};

static void msg_add(struct msg *m, const void *p, size_t n)
{
	assert(m->n < MSG_PARTS);
	m->p[m->n++] = (struct cx_part){ p, n };
}

/* I2OSP(v, 2). */
static void msg_u16(struct msg *m, size_t v)
{
	uint8_t *l;

	assert(m->nl < MSG_LENS && v <= MAX_LEN);
	l = m->len[m->nl++];
	l[0] = (uint8_t)(v >> 8);
	l[1] = (uint8_t)v;
	msg_add(m, l, 2);
}

/* I2OSP(n, 2) || p. */
static void msg_lp(struct msg *m, const void *p, size_t n)
{
	msg_u16(m, n);
	msg_add(m, p, n);
}

static void msg_update(crypto_hash_sha512_state *st, const struct msg *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->p[i].n)
			crypto_hash_sha512_update(st, m->p[i].p, m->p[i].n);
}

/* SHA-512 of the pieces. */
static void msg_hash(const struct msg *m, uint8_t out[HLEN])
{
	crypto_hash_sha512_state st;

	crypto_hash_sha512_init(&st);
	msg_update(&st, m);
	crypto_hash_sha512_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

static int mode_ok(enum cx_oprf_mode mode)
{
	return mode == CX_OPRF || mode == CX_VOPRF;
}

/* prefix || "OPRFV1-" || I2OSP(mode, 1) || "-ristretto255-SHA512". */
static void dst_make(struct dst *d, const char *prefix, enum cx_oprf_mode mode)
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

static void dst_update(crypto_hash_sha512_state *st, const struct dst *d)
{
	uint8_t n = (uint8_t)d->n;

	crypto_hash_sha512_update(st, d->b, d->n);
	crypto_hash_sha512_update(st, &n, 1);
}

/* expand_message_xmd with SHA-512 (RFC 9380 5.3.1): len bytes, at most
 * 255 blocks. b_1 = H(b_0 || 1 || DST'), b_i = H((b_0 ^ b_(i-1)) || i ||
 * DST'); starting from bi = 0 makes the first xor give b_0 itself. */
static void xmd(const struct msg *m, const struct dst *d, uint8_t *out, size_t len)
{
	static const uint8_t z_pad[128];
	uint8_t b0[HLEN], bi[HLEN] = { 0 };
	uint8_t lib[3] = { (uint8_t)(len >> 8), (uint8_t)len, 0 };
	size_t ell = (len + HLEN - 1) / HLEN;
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
		size_t take = len - (i - 1) * HLEN < HLEN ? len - (i - 1) * HLEN : HLEN;

		for (size_t k = 0; k < HLEN; k++)
			bi[k] ^= b0[k];
		crypto_hash_sha512_init(&st);
		crypto_hash_sha512_update(&st, bi, sizeof bi);
		crypto_hash_sha512_update(&st, &ib, 1);
		dst_update(&st, d);
		crypto_hash_sha512_final(&st, bi);
		memcpy(out + (i - 1) * HLEN, bi, take);
	}
	sodium_memzero(b0, sizeof b0);
	sodium_memzero(bi, sizeof bi);
	sodium_memzero(&st, sizeof st);
}

/* HashToScalar: 64 expanded bytes reduced mod L. */
static void hash_to_scalar(const struct msg *m, const struct dst *d, uint8_t s[SCALAR])
{
	uint8_t wide[HLEN];

	xmd(m, d, wide, sizeof wide);
	crypto_core_ristretto255_scalar_reduce(s, wide);
	sodium_memzero(wide, sizeof wide);
}

/* HashToGroup: the one-way map of 64 expanded bytes. */
static void hash_to_group(enum cx_oprf_mode mode, const void *in, size_t n, uint8_t p[ELEM])
{
	struct msg m = { 0 };
	struct dst d;
	uint8_t wide[HLEN];

	dst_make(&d, "HashToGroup-", mode);
	msg_add(&m, in, n);
	xmd(&m, &d, wide, sizeof wide);
	crypto_core_ristretto255_from_hash(p, wide);
	sodium_memzero(wide, sizeof wide);
}

/* A canonical (below L), non-zero scalar. */
static int scalar_ok(const uint8_t s[SCALAR])
{
	uint8_t wide[HLEN] = { 0 }, r[SCALAR];

	memcpy(wide, s, SCALAR);
	crypto_core_ristretto255_scalar_reduce(r, wide);
	int ok = sodium_memcmp(r, s, SCALAR) == 0 && !sodium_is_zero(s, SCALAR);
	sodium_memzero(wide, sizeof wide);
	sodium_memzero(r, sizeof r);
	return ok;
}

/* libsodium 1.0.18 decodes an element ignoring the top bit of its last
 * byte, so two encodings name each element; RFC 9496 4.3.1 refuses the
 * one with the bit set. Every element from outside passes here. */
static int top_bit_clear(const uint8_t e[ELEM])
{
	return (e[ELEM - 1] & 0x80) == 0;
}

/* A canonical encoding of an element other than the identity. */
static int elem_ok(const uint8_t e[ELEM])
{
	return top_bit_clear(e) && crypto_core_ristretto255_is_valid_point(e) &&
	       !sodium_is_zero(e, ELEM);
}

int cx_oprf_derive_key(enum cx_oprf_mode mode, const uint8_t seed[static 32],
		       const uint8_t *info, size_t info_len, uint8_t sk[static CX_OPRF_SCALAR],
		       uint8_t pk[static CX_OPRF_ELEM])
{
	struct msg m = { 0 };
	struct dst d;
	uint8_t ctr = 0;
	int ret = TN_ERR_CRYPTO;

	memset(pk, 0, ELEM);
	sodium_memzero(sk, SCALAR);
	if (!mode_ok(mode))
		return TN_ERR_INVALID;
	if (info_len > MAX_LEN)
		return TN_ERR_TOO_BIG;
	dst_make(&d, "DeriveKeyPair", mode);
	msg_add(&m, seed, 32);
	msg_lp(&m, info, info_len);
	msg_add(&m, &ctr, 1);
	for (unsigned c = 0; c <= 255 && sodium_is_zero(sk, SCALAR); c++) {
		ctr = (uint8_t)c;
		hash_to_scalar(&m, &d, sk);
	}
	if (sodium_is_zero(sk, SCALAR) || crypto_scalarmult_ristretto255_base(pk, sk) != 0)
		goto out;
	ret = 0;
out:
	if (ret) {
		sodium_memzero(sk, SCALAR);
		memset(pk, 0, ELEM);
	}
	return ret;
}

void cx_oprf_keygen(uint8_t sk[static CX_OPRF_SCALAR], uint8_t pk[static CX_OPRF_ELEM])
{
	/* A random scalar is never zero, so neither is pk the identity. */
	crypto_core_ristretto255_scalar_random(sk);
	(void)crypto_scalarmult_ristretto255_base(pk, sk);
}

int cx_oprf_blind(enum cx_oprf_mode mode, const void *in, size_t n,
		  const uint8_t *blind_or_null, uint8_t blind[static CX_OPRF_SCALAR],
		  uint8_t blinded[static CX_OPRF_ELEM])
{
	uint8_t p[ELEM];
	int ret = TN_ERR_INVALID;

	if (!mode_ok(mode) || (blind_or_null && !scalar_ok(blind_or_null)))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > MAX_LEN)
		goto out;
	if (blind_or_null)
		memmove(blind, blind_or_null, SCALAR);
	else
		crypto_core_ristretto255_scalar_random(blind);
	hash_to_group(mode, in, n, p);
	ret = TN_ERR_INVALID;
	if (sodium_is_zero(p, ELEM))
		goto out;
	ret = TN_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(blinded, blind, p) != 0)
		goto out;
	ret = 0;
out:
	sodium_memzero(p, sizeof p);
	if (ret) {
		sodium_memzero(blind, SCALAR);
		memset(blinded, 0, ELEM);
	}
	return ret;
}

int cx_oprf_evaluate(const uint8_t sk[static CX_OPRF_SCALAR],
		     const uint8_t blinded[static CX_OPRF_ELEM],
		     uint8_t evaluated[static CX_OPRF_ELEM])
{
	/* The multiplication refuses non-canonical encodings and an identity
	 * result, which for a non-zero sk means an identity input. */
	if (!elem_ok(blinded) || crypto_scalarmult_ristretto255(evaluated, sk, blinded) != 0) {
		memset(evaluated, 0, ELEM);
		return TN_ERR_INVALID;
	}
	return 0;
}

/* Finalize's hash: lp(input) || lp(element) || "Finalize". */
static void finish(const void *in, size_t n, const uint8_t y[ELEM], uint8_t out[HLEN])
{
	struct msg m = { 0 };

	msg_lp(&m, in, n);
	msg_lp(&m, y, ELEM);
	msg_add(&m, "Finalize", 8);
	msg_hash(&m, out);
}

int cx_oprf_finalize(enum cx_oprf_mode mode, const void *in, size_t n,
		     const uint8_t blind[static CX_OPRF_SCALAR],
		     const uint8_t evaluated[static CX_OPRF_ELEM],
		     uint8_t out[static CX_OPRF_OUT])
{
	uint8_t inv[SCALAR], y[ELEM];
	int ret = TN_ERR_INVALID;

	/* Both modes hash the same way; the mode only has to be one of them. */
	if (!mode_ok(mode) || !elem_ok(evaluated))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > MAX_LEN)
		goto out;
	ret = TN_ERR_INVALID;
	if (crypto_core_ristretto255_scalar_invert(inv, blind) != 0 ||
	    crypto_scalarmult_ristretto255(y, inv, evaluated) != 0)
		goto out;
	finish(in, n, y, out);
	ret = 0;
out:
	sodium_memzero(inv, sizeof inv);
	sodium_memzero(y, sizeof y);
	if (ret)
		sodium_memzero(out, HLEN);
	return ret;
}

int cx_oprf_output(enum cx_oprf_mode mode, const uint8_t sk[static CX_OPRF_SCALAR],
		   const void *in, size_t n, uint8_t out[static CX_OPRF_OUT])
{
	uint8_t p[ELEM], y[ELEM];
	int ret = TN_ERR_INVALID;

	if (!mode_ok(mode))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > MAX_LEN)
		goto out;
	hash_to_group(mode, in, n, p);
	ret = TN_ERR_INVALID;
	if (sodium_is_zero(p, ELEM))
		goto out;
	ret = TN_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(y, sk, p) != 0)
		goto out;
	finish(in, n, y, out);
	ret = 0;
out:
	sodium_memzero(p, sizeof p);
	sodium_memzero(y, sizeof y);
	if (ret)
		sodium_memzero(out, HLEN);
	return ret;
}

/* ---- VOPRF: the DLEQ proof of RFC 9497 2.2, with A = G and B = pk ---- */

/* The composites' seed: Hash(lp(pk) || lp("Seed-" || contextString)). */
static void composite_seed(const uint8_t pk[ELEM], uint8_t seed[HLEN])
{
	struct msg m = { 0 };
	struct dst label;

	dst_make(&label, "Seed-", CX_VOPRF);
	msg_lp(&m, pk, ELEM);
	msg_lp(&m, label.b, label.n);
	msg_hash(&m, seed);
}

/* d_i = HashToScalar(lp(seed) || I2OSP(i, 2) || lp(C_i) || lp(D_i) ||
 * "Composite"). */
static void composite_d(const uint8_t seed[HLEN], size_t i, const uint8_t c[ELEM],
			const uint8_t d[ELEM], uint8_t di[SCALAR])
{
	struct msg m = { 0 };
	struct dst h2s;

	dst_make(&h2s, "HashToScalar-", CX_VOPRF);
	msg_lp(&m, seed, HLEN);
	msg_u16(&m, i);
	msg_lp(&m, c, ELEM);
	msg_lp(&m, d, ELEM);
	msg_add(&m, "Composite", 9);
	hash_to_scalar(&m, &h2s, di);
}

/* acc = t on the first term, acc + t after it. */
static int accumulate(uint8_t acc[ELEM], const uint8_t t[ELEM], size_t i)
{
	if (i == 0) {
		memcpy(acc, t, ELEM);
		return 0;
	}
	return crypto_core_ristretto255_add(acc, acc, t);
}

/* M = sum d_i C_i; with z (the verifier's ComputeComposites), also
 * Z = sum d_i D_i. TN_ERR_INVALID when an element does not decode or is
 * the identity (the multiplications refuse both). */
static int composites(const uint8_t pk[ELEM], const uint8_t (*c)[ELEM],
		      const uint8_t (*d)[ELEM], size_t n, uint8_t m[ELEM], uint8_t *z)
{
	uint8_t seed[HLEN], di[SCALAR], t[ELEM];

	composite_seed(pk, seed);
	for (size_t i = 0; i < n; i++) {
		if (!top_bit_clear(c[i]) || !top_bit_clear(d[i]))
			return TN_ERR_INVALID;
		composite_d(seed, i, c[i], d[i], di);
		if (crypto_scalarmult_ristretto255(t, di, c[i]) != 0 || accumulate(m, t, i) != 0)
			return TN_ERR_INVALID;
		if (z && (crypto_scalarmult_ristretto255(t, di, d[i]) != 0 ||
			  accumulate(z, t, i) != 0))
			return TN_ERR_INVALID;
	}
	return 0;
}

/* c = HashToScalar(lp(pk) || lp(M) || lp(Z) || lp(t2) || lp(t3) ||
 * "Challenge"). */
static void challenge(const uint8_t pk[ELEM], const uint8_t m[ELEM], const uint8_t z[ELEM],
		      const uint8_t t2[ELEM], const uint8_t t3[ELEM], uint8_t c[SCALAR])
{
	struct msg msg = { 0 };
	struct dst h2s;

	dst_make(&h2s, "HashToScalar-", CX_VOPRF);
	msg_lp(&msg, pk, ELEM);
	msg_lp(&msg, m, ELEM);
	msg_lp(&msg, z, ELEM);
	msg_lp(&msg, t2, ELEM);
	msg_lp(&msg, t3, ELEM);
	msg_add(&msg, "Challenge", 9);
	hash_to_scalar(&msg, &h2s, c);
}

int cx_voprf_prove(const uint8_t sk[static CX_OPRF_SCALAR], const uint8_t pk[static CX_OPRF_ELEM],
		   const uint8_t (*blinded)[CX_OPRF_ELEM], const uint8_t (*evaluated)[CX_OPRF_ELEM],
		   size_t n, const uint8_t *r_or_null, uint8_t proof[static CX_OPRF_PROOF])
{
	uint8_t m[ELEM], z[ELEM], t2[ELEM], t3[ELEM], r[SCALAR], ck[SCALAR];
	int ret = TN_ERR_INVALID;

	if (n == 0 || n > MAX_LEN || (r_or_null && !scalar_ok(r_or_null)))
		goto out;
	ret = composites(pk, blinded, evaluated, n, m, NULL);
	if (ret)
		goto out;
	if (r_or_null)
		memcpy(r, r_or_null, SCALAR);
	else
		crypto_core_ristretto255_scalar_random(r);
	ret = TN_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(z, sk, m) != 0 ||
	    crypto_scalarmult_ristretto255_base(t2, r) != 0 ||
	    crypto_scalarmult_ristretto255(t3, r, m) != 0)
		goto out;
	challenge(pk, m, z, t2, t3, proof);
	crypto_core_ristretto255_scalar_mul(ck, proof, sk);
	crypto_core_ristretto255_scalar_sub(proof + SCALAR, r, ck);
	ret = 0;
out:
	sodium_memzero(r, sizeof r);
	sodium_memzero(ck, sizeof ck);
	sodium_memzero(t2, sizeof t2);
	sodium_memzero(t3, sizeof t3);
	sodium_memzero(z, sizeof z);
	if (ret)
		memset(proof, 0, CX_OPRF_PROOF);
	return ret;
}

/* out = a * p + b * q, with p = NULL for the generator. */
static int two_mul(uint8_t out[ELEM], const uint8_t a[SCALAR], const uint8_t *p,
		   const uint8_t b[SCALAR], const uint8_t q[ELEM])
{
	uint8_t u[ELEM], v[ELEM];

	if ((p ? crypto_scalarmult_ristretto255(u, a, p)
	       : crypto_scalarmult_ristretto255_base(u, a)) != 0)
		return -1;
	if (crypto_scalarmult_ristretto255(v, b, q) != 0)
		return -1;
	return crypto_core_ristretto255_add(out, u, v);
}

int cx_voprf_verify(const uint8_t pk[static CX_OPRF_ELEM], const uint8_t (*blinded)[CX_OPRF_ELEM],
		    const uint8_t (*evaluated)[CX_OPRF_ELEM], size_t n,
		    const uint8_t proof[static CX_OPRF_PROOF])
{
	const uint8_t *c = proof, *s = proof + SCALAR;
	uint8_t m[ELEM], z[ELEM], t2[ELEM], t3[ELEM], want[SCALAR];

	if (n == 0 || n > MAX_LEN || !elem_ok(pk) || !scalar_ok(c) || !scalar_ok(s))
		return TN_ERR_BAD_SIG;
	if (composites(pk, blinded, evaluated, n, m, z) != 0)
		return TN_ERR_BAD_SIG;
	/* t2 = s G + c pk, t3 = s M + c Z. */
	if (two_mul(t2, s, NULL, c, pk) != 0 || two_mul(t3, s, m, c, z) != 0)
		return TN_ERR_BAD_SIG;
	challenge(pk, m, z, t2, t3, want);
	return sodium_memcmp(want, c, SCALAR) == 0 ? 0 : TN_ERR_BAD_SIG;
}
