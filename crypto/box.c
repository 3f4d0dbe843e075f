/* SPDX-License-Identifier: Apache-2.0 */
/* Envelope sealing with per-peer precomputed crypto_box keys (X25519 derived
 * from the Ed25519 identities), plus random bytes, hashing and wiping. */
#include "cx_int.h"

int cx_shared_key(const struct cx_id *id, const uint8_t peer_pk[static CX_PK_LEN],
		  uint8_t key[static CX_KEY_LEN])
{
	uint8_t xpk[crypto_box_PUBLICKEYBYTES];
	int ret = TN_ERR_CRYPTO;

	/* Refuses keys that are not on the curve or have small order. */
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, peer_pk) != 0)
		goto out;
	if (crypto_box_beforenm(key, xpk, id->xsk) != 0)
		goto out;
	ret = 0;
out:
	if (ret)
		sodium_memzero(key, CX_KEY_LEN);
	return ret;
}

void cx_seal(const uint8_t key[static CX_KEY_LEN], const uint8_t nonce[static CX_NONCE_LEN],
	     const void *m, size_t n, uint8_t *c)
{
	/* Fails only for n > SIZE_MAX - CX_MAC_LEN, which no caller can hold. */
	(void)crypto_box_easy_afternm(c, m, n, nonce, key);
}

int cx_open(const uint8_t key[static CX_KEY_LEN], const uint8_t nonce[static CX_NONCE_LEN],
	    const uint8_t *c, size_t n, uint8_t *m)
{
	if (n < CX_MAC_LEN)
		return TN_ERR_BAD_BOX;
	if (crypto_box_open_easy_afternm(m, c, n, nonce, key) != 0)
		return TN_ERR_BAD_BOX;
	return 0;
}

void cx_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

int cx_memcmp(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0 ? 0 : 1;
}

void cx_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

void *cx_secret_new(size_t n)
{
	return sodium_malloc(n);
}

void cx_secret_free(void *p)
{
	sodium_free(p);
}

void cx_hash(const void *m, size_t n, uint8_t out[static 32])
{
	crypto_generichash(out, 32, m, n, NULL, 0);
}
