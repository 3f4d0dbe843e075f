/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end envelopes: a box (precomputed per-peer key) holding the hash of
 * the authenticated header, the message and, for messages with legal weight,
 * the sender's Ed25519 signature over the envelope label, the recipient's
 * key, the hash and the message. */
#include <string.h>

#include "cx_int.h"

/* Upper bound of the msgpack bytes around m in a sealed map {h, m, s}:
 * map 1, "h" 2 + bin8 2 + 32, "m" 2 + bin32 5, "s" 2 + bin8 2 + 64. */
#define SEALED_OVERHEAD 112

static int suite_ok(const struct tn_envelope *e)
{
	if (e->v != TN_PROTO_VERSION || e->suite != TN_SUITE_BOX_ED25519)
		return TN_ERR_UNSUPPORTED;
	return 0;
}

/* The largest body proto_envelope_schema accepts, so we never seal what the
 * peer's decoder would refuse. */
static size_t body_max(void)
{
	const struct proto_schema *s = &proto_envelope_schema;

	for (uint32_t i = 0; i < s->n; i++)
		if (!strcmp(s->fields[i].key, "body"))
			return s->fields[i].max;
	return 0;
}

/* h = BLAKE2b-256 of the header label and the header's canonical encoding
 * (ttl and body are not part of proto_env_header_schema). b is scratch;
 * its contents are lost. */
static int header_hash(const struct tn_envelope *e, struct proto_buf *b,
		       uint8_t h[static TN_HASH_LEN])
{
	int ret;

	b->len = 0;
	if ((ret = proto_encode(&proto_env_header_schema, e, b)))
		return ret;
	cx_hash_for(CX_HEADER, b->data, b->len, h);
	return 0;
}

/* What is signed: label NUL || to_pk || h || m. Plain Ed25519 over that
 * concatenation, so anyone with both keys and a standard Ed25519 library
 * can check a stored receipt. */
static void signed_parts(struct cx_part parts[3], const uint8_t *to_pk,
			 const uint8_t h[static TN_HASH_LEN], const void *m, size_t n)
{
	parts[0] = (struct cx_part){ to_pk, CX_PK_LEN };
	parts[1] = (struct cx_part){ h, TN_HASH_LEN };
	parts[2] = (struct cx_part){ m, n };
}

/* Wipe the whole capacity (it held plaintext), then free. */
static void buf_wipe_free(struct proto_buf *b)
{
	if (b->data)
		cx_wipe(b->data, b->cap);
	proto_buf_free(b);
}

/* One buffer does everything: it is reserved up front for the sealed map
 * plus the MAC, so encoding the plaintext never reallocates (which would
 * leave a copy of the message in freed memory); the box is then made in
 * place (libsodium allows c == m), overwriting the plaintext, and the
 * buffer becomes e->body. Unsigned: one allocation, no public-key work. */
int cx_env_seal(struct tn_envelope *e, const struct cx_id *id, const uint8_t key[static CX_KEY_LEN],
		const uint8_t to_pk[static CX_PK_LEN], const void *m, size_t n, int sign)
{
	/* One call: each is a getrandom() system call, dearer than the box. */
	uint8_t fresh[TN_ID_LEN + TN_NONCE_LEN];

	cx_random(fresh, sizeof fresh);
	return cx_env_seal_with(e, id, key, to_pk, m, n, sign, fresh);
}

int cx_env_seal_with(struct tn_envelope *e, const struct cx_id *id,
		     const uint8_t key[static CX_KEY_LEN], const uint8_t to_pk[static CX_PK_LEN],
		     const void *m, size_t n, int sign, const uint8_t fresh[static 40])
{
	struct tn_sealed s = { .n_m = (uint32_t)n, .m = (uint8_t *)m };
	struct cx_part parts[3];
	uint8_t sig[CX_SIG_LEN];
	struct proto_buf b = { 0 };
	size_t max = body_max();
	int ret;

	e->body = NULL;
	e->n_body = 0;
	/* Messages are msgpack maps, never empty. */
	if (n == 0 || !m || (sign && !id))
		return TN_ERR_INVALID;
	if ((ret = suite_ok(e)))
		return ret;
	if (max < SEALED_OVERHEAD + CX_MAC_LEN || n > max - SEALED_OVERHEAD - CX_MAC_LEN)
		return TN_ERR_TOO_BIG;
	memcpy(e->id, fresh, sizeof e->id);
	memcpy(e->nonce, fresh + sizeof e->id, sizeof e->nonce);
	if ((ret = proto_buf_reserve(&b, n + SEALED_OVERHEAD + CX_MAC_LEN)) ||
	    (ret = header_hash(e, &b, s.h)))
		goto out;
	if (sign) {
		signed_parts(parts, to_pk, s.h, m, n);
		if ((ret = cx_sign_for(id, CX_ENVELOPE, parts, 3, sig)))
			goto out;
		s.s = sig;
		s.n_s = CX_SIG_LEN;
	}
	b.len = 0;
	if ((ret = proto_encode(&proto_sealed_schema, &s, &b)))
		goto out;
	if (b.cap - b.len < CX_MAC_LEN) { /* SEALED_OVERHEAD is wrong */
		ret = TN_ERR_CRYPTO;
		goto out;
	}
	cx_seal(key, e->nonce, b.data, b.len, b.data);
	e->body = b.data;
	e->n_body = (uint32_t)(b.len + CX_MAC_LEN);
	return 0;
out:
	buf_wipe_free(&b);
	return ret;
}

/* An unsigned box has no s; a present s must be from_pk's signature for
 * to_pk. */
static int check_sig(const uint8_t h[static TN_HASH_LEN], const struct tn_sealed *sd,
		     const uint8_t *from_pk, const uint8_t *to_pk)
{
	struct cx_part parts[3];

	if (sd->n_s != CX_SIG_LEN)
		return TN_ERR_BAD_SIG;
	signed_parts(parts, to_pk, h, sd->m, sd->n_m);
	return cx_verify_for(from_pk, CX_ENVELOPE, parts, 3, sd->s);
}

/* The header hash is computed first into the scratch buffer, which then
 * receives the plaintext; the plaintext is wiped as soon as it is decoded. */
int cx_env_open(const struct tn_envelope *e, const uint8_t key[static CX_KEY_LEN],
		const uint8_t from_pk[static CX_PK_LEN], const uint8_t to_pk[static CX_PK_LEN],
		struct tn_sealed *out)
{
	struct proto_buf b = { 0 };
	uint8_t h[TN_HASH_LEN];
	size_t n;
	int ret;

	memset(out, 0, sizeof *out);
	if ((ret = suite_ok(e)))
		return ret;
	if (!e->body || e->n_body < CX_MAC_LEN)
		return TN_ERR_BAD_BOX;
	n = e->n_body - CX_MAC_LEN;
	if ((ret = proto_buf_reserve(&b, n + TN_HASH_LEN)) ||
	    (ret = header_hash(e, &b, h)))
		goto out;
	if ((ret = cx_open(key, e->nonce, e->body, e->n_body, b.data)))
		goto out;
	b.len = n;
	ret = proto_decode(&proto_sealed_schema, b.data, n, out, NULL, 0);
	cx_wipe(b.data, n);
	if (ret) {
		ret = ret == TN_ERR_NOMEM ? ret : TN_ERR_DECODE;
		goto out;
	}
	if (cx_memcmp(h, out->h, TN_HASH_LEN)) {
		ret = TN_ERR_BAD_BOX; /* a header field changed on the way */
		goto out;
	}
	if (out->n_s != 0)
		ret = check_sig(h, out, from_pk, to_pk);
out:
	buf_wipe_free(&b);
	if (ret) {
		if (out->m)
			cx_wipe(out->m, out->n_m);
		proto_release(&proto_sealed_schema, out);
	}
	return ret;
}

int cx_env_sign(const struct tn_envelope *hdr, const struct cx_id *id,
		const uint8_t to_pk[static CX_PK_LEN], const void *m, size_t n,
		uint8_t sig[static CX_SIG_LEN])
{
	struct proto_buf b = { 0 };
	struct cx_part parts[3];
	uint8_t h[TN_HASH_LEN];
	int ret;

	if (!(ret = header_hash(hdr, &b, h))) {
		signed_parts(parts, to_pk, h, m, n);
		ret = cx_sign_for(id, CX_ENVELOPE, parts, 3, sig);
	}
	proto_buf_free(&b);
	return ret;
}

int cx_env_verify(const struct tn_envelope *hdr, const void *m, size_t n,
		  const uint8_t sig[static CX_SIG_LEN], const uint8_t from_pk[static CX_PK_LEN],
		  const uint8_t to_pk[static CX_PK_LEN])
{
	struct tn_sealed sd = { .n_m = (uint32_t)n, .m = (uint8_t *)m, .n_s = CX_SIG_LEN,
				.s = (uint8_t *)sig };
	struct proto_buf b = { 0 };
	uint8_t h[TN_HASH_LEN];
	int ret;

	if ((ret = suite_ok(hdr)))
		return ret;
	if (!(ret = header_hash(hdr, &b, h)))
		ret = check_sig(h, &sd, from_pk, to_pk);
	proto_buf_free(&b);
	return ret;
}
