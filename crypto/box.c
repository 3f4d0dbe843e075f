/* SPDX-License-Identifier: Apache-2.0 */
/* Envelope sealing with per-peer precomputed crypto_box keys (X25519 derived
 * from the Ed25519 identities), plus random bytes, hashing and wiping. */
#include <string.h>

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

/* Ids, nonces and jitter come from a ChaCha20 keystream keyed from the
 * kernel, with fast key erasure (each refill's first 32 bytes are the next
 * key, then wiped), rekeyed from the kernel every 4 MiB: one getrandom()
 * per 4 KiB instead of one per envelope. Keys do not come from here. One
 * thread only (the node's loop; tracectl). */
#define RNG_BUF 4096
#define RNG_REKEY 1024       /* refills between kernel reseeds */

static struct {
	uint8_t buf[RNG_BUF];
	uint8_t key[crypto_stream_chacha20_KEYBYTES];
	size_t pos;
	uint64_t refills;
} rng = { .pos = RNG_BUF };

static void refill(void)
{
	uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = { 0 };

	if (rng.refills % RNG_REKEY == 0)
		randombytes_buf(rng.key, sizeof rng.key);
	memcpy(nonce, &rng.refills, sizeof rng.refills);
	rng.refills++;
	crypto_stream_chacha20(rng.buf, sizeof rng.buf, nonce, rng.key);
	memcpy(rng.key, rng.buf, sizeof rng.key);
	sodium_memzero(rng.buf, sizeof rng.key);
	rng.pos = sizeof rng.key;
}

void cx_random(void *buf, size_t n)
{
	if (n > RNG_BUF / 4) {
		randombytes_buf(buf, n);
		return;
	}
	if (rng.pos + n > RNG_BUF)
		refill();
	memcpy(buf, rng.buf + rng.pos, n);
	sodium_memzero(rng.buf + rng.pos, n);
	rng.pos += n;
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
