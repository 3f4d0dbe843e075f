/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 signatures and BLAKE2b digests, each over a label naming its
 * purpose and then its input, so that nothing made for one purpose ever
 * checks for another (as OpenSSH's signature namespaces do). */
#include <stdlib.h>
#include <string.h>

#include "cx_int.h"

/* The labels are written into PROTOCOL.md; each is hashed or signed with
 * its terminating NUL byte. */
static const char *const labels[CX_PURPOSES] = {
	[CX_HEADER] = "tracenet/1 header",
	[CX_REQUEST] = "tracenet/1 request",
	[CX_ENVELOPE] = "tracenet/1 envelope",
	[CX_CHECKPOINT] = "tracenet/1 checkpoint",
	[CX_ROTATION] = "tracenet/1 rotation",
	[CX_EXPORT] = "tracenet/1 export",
	[CX_ANCHOR] = "tracenet/1 audit anchor",
	[CX_COSIGN] = "tracenet/1 cosignature",
};

const char *cx_label(enum cx_purpose p)
{
	return labels[p];
}

void cx_hash_for(enum cx_purpose p, const void *m, size_t n, uint8_t out[static 32])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, 32);
	crypto_generichash_update(&st, (const uint8_t *)labels[p], strlen(labels[p]) + 1);
	crypto_generichash_update(&st, m, n);
	crypto_generichash_final(&st, out, 32);
}

/* label NUL || parts..., in a buffer the caller wipes and frees. */
static uint8_t *join(enum cx_purpose p, const struct cx_part *parts, size_t n_parts, size_t *len)
{
	size_t n = strlen(labels[p]) + 1, off;
	uint8_t *b;

	for (size_t i = 0; i < n_parts; i++)
		n += parts[i].n;
	if (!(b = malloc(n ? n : 1)))
		return NULL;
	off = strlen(labels[p]) + 1;
	memcpy(b, labels[p], off);
	for (size_t i = 0; i < n_parts; i++) {
		if (parts[i].n)
			memcpy(b + off, parts[i].p, parts[i].n);
		off += parts[i].n;
	}
	*len = n;
	return b;
}

int cx_sign_for(const struct cx_id *id, enum cx_purpose p, const struct cx_part *parts,
		size_t n_parts, uint8_t sig[static CX_SIG_LEN])
{
	size_t n;
	uint8_t *b = join(p, parts, n_parts, &n);

	if (!b)
		return TN_ERR_NOMEM;
	crypto_sign_detached(sig, NULL, b, n, id->sk);
	sodium_memzero(b, n);
	free(b);
	return 0;
}

int cx_verify_for(const uint8_t pk[static CX_PK_LEN], enum cx_purpose p,
		  const struct cx_part *parts, size_t n_parts, const uint8_t sig[static CX_SIG_LEN])
{
	size_t n;
	uint8_t *b = join(p, parts, n_parts, &n);
	int ok;

	if (!b)
		return TN_ERR_NOMEM;
	ok = crypto_sign_verify_detached(sig, b, n, pk) == 0;
	sodium_memzero(b, n);
	free(b);
	return ok ? 0 : TN_ERR_BAD_SIG;
}
