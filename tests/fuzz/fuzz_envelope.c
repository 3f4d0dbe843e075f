/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for envelopes: the input decoded as an envelope and
 * opened with a fixed key; then its body bytes, sealed by us as a
 * plaintext, so the decoding and checks behind the box are reached too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fuzz-needs: cx_env_open cx_env_verify cx_seal cx_hash_for cx_init */

#include "../../crypto/cx.h"

/* A fixed shared key, and the RFC 8032 test 1 public key as the sender. */
static const uint8_t key[CX_KEY_LEN] = { 0x42, 0x13, 0x37 };
static const uint8_t from_pk[CX_PK_LEN] = {
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,
	0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_envelope: %s\n", what);
		abort();
	}
}

/* Open e; whatever the outcome, out must be consistent and released. */
static int open_env(const struct tn_envelope *e)
{
	struct tn_sealed s;
	int rc = cx_env_open(e, key, from_pk, from_pk, &s);

	check(rc <= 0, "positive return");
	if (rc == 0) {
		check(s.m != NULL, "opened without a message");
		check(s.n_s == 0 || s.n_s == CX_SIG_LEN, "odd signature length");
		if (s.n_s)
			check(cx_env_verify(e, s.m, s.n_m, s.s, from_pk, from_pk) == 0,
			      "open and verify disagree");
	} else {
		check(s.m == NULL && s.s == NULL && s.n_m == 0, "failed open left data");
	}
	proto_release(&proto_sealed_schema, &s);
	return rc;
}

/* Replace e's body with p (n bytes) boxed under the fixed key. */
static void reseal(struct tn_envelope *e, const void *p, size_t n)
{
	uint8_t *c = malloc(n + CX_MAC_LEN);

	check(c != NULL, "malloc");
	cx_seal(key, e->nonce, p, n, c);
	free(e->body);
	e->body = c;
	e->n_body = (uint32_t)(n + CX_MAC_LEN);
}

/* If the plaintext is a sealed map, give it the right header hash, so the
 * signature check behind it is reached. */
static void fix_hash(struct tn_envelope *e, const uint8_t *p, size_t n)
{
	struct proto_buf b = { 0 };
	struct tn_sealed s;
	int rc;

	if (proto_decode(&proto_sealed_schema, p, n, &s, NULL, 0))
		return;
	check(proto_encode(&proto_env_header_schema, e, &b) == 0, "encode header");
	cx_hash_for(CX_HEADER, b.data, b.len, s.h);
	b.len = 0;
	check(proto_encode(&proto_sealed_schema, &s, &b) == 0, "encode sealed");
	reseal(e, b.data, b.len);
	rc = open_env(e);
	check(rc == 0 || rc == TN_ERR_BAD_SIG || rc == TN_ERR_UNSUPPORTED ||
	      rc == TN_ERR_DECODE, "hash fixed, yet not opened");
	proto_release(&proto_sealed_schema, &s);
	proto_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct tn_envelope e;
	uint8_t *plain;
	size_t n;

	if (!ready && cx_init() == 0)
		ready = 1;
	check(ready, "cx_init");
	if (proto_decode(&proto_envelope_schema, data, size, &e, NULL, 0))
		return 0;
	(void)open_env(&e);
	/* The body as a plaintext, sealed properly. */
	n = e.n_body;
	plain = malloc(n ? n : 1);
	check(plain != NULL, "malloc");
	if (n)
		memcpy(plain, e.body, n);
	reseal(&e, plain, n);
	(void)open_env(&e);
	fix_hash(&e, plain, n);
	free(plain);
	proto_release(&proto_envelope_schema, &e);
	return 0;
}
