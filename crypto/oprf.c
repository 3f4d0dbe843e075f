/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9497 OPRF(ristretto255, SHA-512) in the OPRF and VOPRF modes: key
 * derivation, blinding, evaluation and finalisation, and the server's own
 * evaluation of an input it knows. The proofs are in voprf.c. */
#include <string.h>

#include "oprf_int.h"

static int mode_ok(enum cx_oprf_mode mode)
{
	return mode == CX_OPRF || mode == CX_VOPRF;
}

int cx_oprf_derive_key(enum cx_oprf_mode mode, const uint8_t seed[static 32],
		       const uint8_t *info, size_t info_len, uint8_t sk[static CX_OPRF_SCALAR],
		       uint8_t pk[static CX_OPRF_ELEM])
{
	struct cx__msg m = { 0 };
	struct cx__dst d;
	uint8_t ctr = 0;
	int ret = TN_ERR_CRYPTO;

	memset(pk, 0, CX_OPRF_ELEM);
	sodium_memzero(sk, CX_OPRF_SCALAR);
	if (!mode_ok(mode))
		return TN_ERR_INVALID;
	if (info_len > CX__OPRF_MAX_LEN)
		return TN_ERR_TOO_BIG;
	cx__dst_make(&d, "DeriveKeyPair", mode);
	cx__msg_add(&m, seed, 32);
	cx__msg_lp(&m, info, info_len);
	cx__msg_add(&m, &ctr, 1);
	for (unsigned c = 0; c <= 255 && sodium_is_zero(sk, CX_OPRF_SCALAR); c++) {
		ctr = (uint8_t)c;
		cx__hash_to_scalar(&m, &d, sk);
	}
	if (sodium_is_zero(sk, CX_OPRF_SCALAR) || crypto_scalarmult_ristretto255_base(pk, sk) != 0)
		goto out;
	ret = 0;
out:
	if (ret) {
		sodium_memzero(sk, CX_OPRF_SCALAR);
		memset(pk, 0, CX_OPRF_ELEM);
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
	uint8_t p[CX_OPRF_ELEM];
	int ret = TN_ERR_INVALID;

	if (!mode_ok(mode) || (blind_or_null && !cx__scalar_ok(blind_or_null)))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > CX__OPRF_MAX_LEN)
		goto out;
	if (blind_or_null)
		memmove(blind, blind_or_null, CX_OPRF_SCALAR);
	else
		crypto_core_ristretto255_scalar_random(blind);
	cx__hash_to_group(mode, in, n, p);
	ret = TN_ERR_INVALID;
	if (sodium_is_zero(p, CX_OPRF_ELEM))
		goto out;
	ret = TN_ERR_CRYPTO;
	if (crypto_scalarmult_ristretto255(blinded, blind, p) != 0)
		goto out;
	ret = 0;
out:
	sodium_memzero(p, sizeof p);
	if (ret) {
		sodium_memzero(blind, CX_OPRF_SCALAR);
		memset(blinded, 0, CX_OPRF_ELEM);
	}
	return ret;
}

int cx_oprf_evaluate(const uint8_t sk[static CX_OPRF_SCALAR],
		     const uint8_t blinded[static CX_OPRF_ELEM],
		     uint8_t evaluated[static CX_OPRF_ELEM])
{
	/* The multiplication refuses non-canonical encodings and an identity
	 * result, which for a non-zero sk means an identity input. */
	if (!cx__elem_ok(blinded) || crypto_scalarmult_ristretto255(evaluated, sk, blinded) != 0) {
		memset(evaluated, 0, CX_OPRF_ELEM);
		return TN_ERR_INVALID;
	}
	return 0;
}

/* Finalize's hash: lp(input) || lp(element) || "Finalize". */
static void finish(const void *in, size_t n, const uint8_t y[CX_OPRF_ELEM],
		   uint8_t out[CX__OPRF_HASH])
{
	struct cx__msg m = { 0 };

	cx__msg_lp(&m, in, n);
	cx__msg_lp(&m, y, CX_OPRF_ELEM);
	cx__msg_add(&m, "Finalize", 8);
	cx__msg_hash(&m, out);
}

int cx_oprf_finalize(enum cx_oprf_mode mode, const void *in, size_t n,
		     const uint8_t blind[static CX_OPRF_SCALAR],
		     const uint8_t evaluated[static CX_OPRF_ELEM],
		     uint8_t out[static CX_OPRF_OUT])
{
	uint8_t inv[CX_OPRF_SCALAR], y[CX_OPRF_ELEM];
	int ret = TN_ERR_INVALID;

	/* Both modes hash the same way; the mode only has to be one of them. */
	if (!mode_ok(mode) || !cx__elem_ok(evaluated))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > CX__OPRF_MAX_LEN)
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
		sodium_memzero(out, CX__OPRF_HASH);
	return ret;
}

int cx_oprf_output(enum cx_oprf_mode mode, const uint8_t sk[static CX_OPRF_SCALAR],
		   const void *in, size_t n, uint8_t out[static CX_OPRF_OUT])
{
	uint8_t p[CX_OPRF_ELEM], y[CX_OPRF_ELEM];
	int ret = TN_ERR_INVALID;

	if (!mode_ok(mode))
		goto out;
	ret = TN_ERR_TOO_BIG;
	if (n > CX__OPRF_MAX_LEN)
		goto out;
	cx__hash_to_group(mode, in, n, p);
	ret = TN_ERR_INVALID;
	if (sodium_is_zero(p, CX_OPRF_ELEM))
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
		sodium_memzero(out, CX__OPRF_HASH);
	return ret;
}
