/* SPDX-License-Identifier: Apache-2.0 */
/* The VOPRF's batched DLEQ proof (RFC 9497 2.2, ristretto255 with SHA-512):
 * that each evaluated element is the server's key times the blinded one,
 * for the public key it published (A = G, B = pk). */
#include <string.h>

#include "oprf_int.h"

/* The composites' seed: Hash(lp(pk) || lp("Seed-" || contextString)). */
static void composite_seed(const uint8_t pk[CX_OPRF_ELEM], uint8_t seed[CX__OPRF_HASH])
{
	struct cx__msg m = { 0 };
	struct cx__dst label;

	cx__dst_make(&label, "Seed-", CX_VOPRF);
	cx__msg_lp(&m, pk, CX_OPRF_ELEM);
	cx__msg_lp(&m, label.b, label.n);
	cx__msg_hash(&m, seed);
}

/* d_i = HashToScalar(lp(seed) || I2OSP(i, 2) || lp(C_i) || lp(D_i) ||
 * "Composite"). */
static void composite_d(const uint8_t seed[CX__OPRF_HASH], size_t i, const uint8_t c[CX_OPRF_ELEM],
			const uint8_t d[CX_OPRF_ELEM], uint8_t di[CX_OPRF_SCALAR])
{
	struct cx__msg m = { 0 };
	struct cx__dst h2s;

	cx__dst_make(&h2s, "HashToScalar-", CX_VOPRF);
	cx__msg_lp(&m, seed, CX__OPRF_HASH);
	cx__msg_u16(&m, i);
	cx__msg_lp(&m, c, CX_OPRF_ELEM);
	cx__msg_lp(&m, d, CX_OPRF_ELEM);
	cx__msg_add(&m, "Composite", 9);
	cx__hash_to_scalar(&m, &h2s, di);
}

/* acc = t on the first term, acc + t after it. */
static int accumulate(uint8_t acc[CX_OPRF_ELEM], const uint8_t t[CX_OPRF_ELEM], size_t i)
{
	if (i == 0) {
		memcpy(acc, t, CX_OPRF_ELEM);
		return 0;
	}
	return crypto_core_ristretto255_add(acc, acc, t);
}

/* M = sum d_i C_i; with z (the verifier's ComputeComposites), also
 * Z = sum d_i D_i. TN_ERR_INVALID when an element does not decode or is
 * the identity (the multiplications refuse both). */
static int composites(const uint8_t pk[CX_OPRF_ELEM], const uint8_t (*c)[CX_OPRF_ELEM],
		      const uint8_t (*d)[CX_OPRF_ELEM], size_t n, uint8_t m[CX_OPRF_ELEM],
		      uint8_t *z)
{
	uint8_t seed[CX__OPRF_HASH], di[CX_OPRF_SCALAR], t[CX_OPRF_ELEM];

	composite_seed(pk, seed);
	for (size_t i = 0; i < n; i++) {
		if (!cx__top_bit_clear(c[i]) || !cx__top_bit_clear(d[i]))
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
static void challenge(const uint8_t pk[CX_OPRF_ELEM], const uint8_t m[CX_OPRF_ELEM],
		      const uint8_t z[CX_OPRF_ELEM], const uint8_t t2[CX_OPRF_ELEM],
		      const uint8_t t3[CX_OPRF_ELEM], uint8_t c[CX_OPRF_SCALAR])
{
	struct cx__msg msg = { 0 };
	struct cx__dst h2s;

	cx__dst_make(&h2s, "HashToScalar-", CX_VOPRF);
	cx__msg_lp(&msg, pk, CX_OPRF_ELEM);
	cx__msg_lp(&msg, m, CX_OPRF_ELEM);
	cx__msg_lp(&msg, z, CX_OPRF_ELEM);
	cx__msg_lp(&msg, t2, CX_OPRF_ELEM);
	cx__msg_lp(&msg, t3, CX_OPRF_ELEM);
	cx__msg_add(&msg, "Challenge", 9);
	cx__hash_to_scalar(&msg, &h2s, c);
}

int cx_voprf_prove(const uint8_t sk[static CX_OPRF_SCALAR], const uint8_t pk[static CX_OPRF_ELEM],
		   const uint8_t (*blinded)[CX_OPRF_ELEM], const uint8_t (*evaluated)[CX_OPRF_ELEM],
		   size_t n, const uint8_t *r_or_null, uint8_t proof[static CX_OPRF_PROOF])
{
	uint8_t m[CX_OPRF_ELEM], z[CX_OPRF_ELEM], t2[CX_OPRF_ELEM], t3[CX_OPRF_ELEM];
	uint8_t r[CX_OPRF_SCALAR], ck[CX_OPRF_SCALAR];
	int ret = TN_ERR_INVALID;

	if (n == 0 || n > CX__OPRF_MAX_LEN || (r_or_null && !cx__scalar_ok(r_or_null)))
		goto out;
	ret = composites(pk, blinded, evaluated, n, m, NULL);
	if (ret)
		goto out;
	if (r_or_null)
		memcpy(r, r_or_null, CX_OPRF_SCALAR);
	else
		crypto_core_ristretto255_scalar_random(r);
	ret = TN_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(z, sk, m) != 0 ||
	    crypto_scalarmult_ristretto255_base(t2, r) != 0 ||
	    crypto_scalarmult_ristretto255(t3, r, m) != 0)
		goto out;
	challenge(pk, m, z, t2, t3, proof);
	crypto_core_ristretto255_scalar_mul(ck, proof, sk);
	crypto_core_ristretto255_scalar_sub(proof + CX_OPRF_SCALAR, r, ck);
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
static int two_mul(uint8_t out[CX_OPRF_ELEM], const uint8_t a[CX_OPRF_SCALAR], const uint8_t *p,
		   const uint8_t b[CX_OPRF_SCALAR], const uint8_t q[CX_OPRF_ELEM])
{
	uint8_t u[CX_OPRF_ELEM], v[CX_OPRF_ELEM];

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
	const uint8_t *c = proof, *s = proof + CX_OPRF_SCALAR;
	uint8_t m[CX_OPRF_ELEM], z[CX_OPRF_ELEM], t2[CX_OPRF_ELEM], t3[CX_OPRF_ELEM];
	uint8_t want[CX_OPRF_SCALAR];

	if (n == 0 || n > CX__OPRF_MAX_LEN || !cx__elem_ok(pk) || !cx__scalar_ok(c) ||
	    !cx__scalar_ok(s))
		return TN_ERR_BAD_SIG;
	if (composites(pk, blinded, evaluated, n, m, z) != 0)
		return TN_ERR_BAD_SIG;
	/* t2 = s G + c pk, t3 = s M + c Z. */
	if (two_mul(t2, s, NULL, c, pk) != 0 || two_mul(t3, s, m, c, z) != 0)
		return TN_ERR_BAD_SIG;
	challenge(pk, m, z, t2, t3, want);
	return sodium_memcmp(want, c, CX_OPRF_SCALAR) == 0 ? 0 : TN_ERR_BAD_SIG;
}
