/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ envelopes under tampering: every changed body byte,
 * header field and receipt part is caught, and so is malformed plaintext. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto_env.h"

static void test_env_open_rejects_every_flipped_body_byte(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	for (int sign = 0; sign < 2; sign++) {
		env_seal(*state, &k, &e, m, sizeof m, sign);
		for (size_t i = 0; i < e.n_body; i++) {
			e.body[i] ^= 0x01;
			expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
			e.body[i] ^= 0x01;
		}
		e.n_body--;
		expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
		e.n_body = CX_MAC_LEN - 1;
		expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
		e.n_body = 0;
		expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
		env_free(&e);
	}
}

static void test_env_open_rejects_changed_header_fields(void **state)
{
	struct tn_envelope e, bad;
	struct env_keys k;
	uint8_t m[100];
	enum change c;

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	for (int sign = 0; sign < 2; sign++) {
		env_seal(*state, &k, &e, m, sizeof m, sign);
		for (int i = 0; (bad = e, c = change_header(&bad, i)) != CHANGE_NONE; i++)
			expect_open(&bad, k.ba, k.apk, k.bpk,
				    c == CHANGE_VERSION ? TN_ERR_UNSUPPORTED : TN_ERR_BAD_BOX);
		for (size_t i = 0; i < sizeof e.id; i++) {
			bad = e;
			bad.id[i] ^= 0x01;
			expect_open(&bad, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
		}
		for (size_t i = 0; i < sizeof e.nonce; i++) {
			bad = e;
			bad.nonce[i] ^= 0x80;
			expect_open(&bad, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
		}
		bad = e;
		bad.ttl = 0;
		expect_open(&bad, k.ba, k.apk, k.bpk, 0);
		expect_open(&e, k.ba, k.apk, k.bpk, 0);
		env_free(&e);
	}
}

/* A stored receipt: header, message and signature, checked without the
 * box. Also checked by hand, as a third party without tracenet would:
 * Ed25519 over BLAKE2b-256(header map) || m. */
static void test_env_verify_checks_receipt(void **state)
{
	struct tn_envelope e, bad;
	struct proto_buf b = { 0 };
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[200], h[32];
	enum change c;

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, k.bpk, &s), 0);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.bpk), 0);

	/* Recomputed with libsodium alone, as a third party would: h is
	 * BLAKE2b-256("tracenet/1 header" NUL || header map), the signature
	 * Ed25519 over "tracenet/1 envelope" NUL || to_pk || h || m. */
	assert_int_equal(proto_buf_add(&b, "tracenet/1 header", 18), 0);
	assert_int_equal(proto_encode(&proto_env_header_schema, &e, &b), 0);
	crypto_generichash(h, sizeof h, b.data, b.len, NULL, 0);
	assert_memory_equal(h, s.h, sizeof h);
	b.len = 0;
	assert_int_equal(proto_buf_add(&b, "tracenet/1 envelope", 20), 0);
	assert_int_equal(proto_buf_add(&b, k.bpk, CX_PK_LEN), 0);
	assert_int_equal(proto_buf_add(&b, h, sizeof h), 0);
	assert_int_equal(proto_buf_add(&b, m, sizeof m), 0);
	assert_int_equal(crypto_sign_verify_detached(s.s, b.data, b.len, k.apk), 0);

	for (size_t i = 0; i < s.n_m; i++) {
		s.m[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.bpk), TN_ERR_BAD_SIG);
		s.m[i] ^= 0x01;
	}
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m - 1, s.s, k.apk, k.bpk), TN_ERR_BAD_SIG);
	for (size_t i = 0; i < s.n_s; i++) {
		s.s[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.bpk), TN_ERR_BAD_SIG);
		s.s[i] ^= 0x01;
	}
	for (int i = 0; (bad = e, c = change_header(&bad, i)) != CHANGE_NONE; i++)
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk, k.bpk),
				 c == CHANGE_VERSION ? TN_ERR_UNSUPPORTED : TN_ERR_BAD_SIG);
	for (size_t i = 0; i < sizeof e.id; i++) {
		bad = e;
		bad.id[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk, k.bpk), TN_ERR_BAD_SIG);
	}
	for (size_t i = 0; i < sizeof e.nonce; i++) {
		bad = e;
		bad.nonce[i] ^= 0x01;
		assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk, k.bpk), TN_ERR_BAD_SIG);
	}
	bad = e;
	bad.ttl = 0;
	bad.n_body = 0; /* the receipt needs no body */
	bad.body = NULL;
	assert_int_equal(cx_env_verify(&bad, s.m, s.n_m, s.s, k.apk, k.bpk), 0);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.bpk, k.bpk), TN_ERR_BAD_SIG);
	proto_release(&proto_sealed_schema, &s);
	proto_buf_free(&b);
	env_free(&e);
}

/* Seal plaintext p (n bytes) ourselves into e's body under e's nonce. */
static void seal_raw(struct tn_envelope *e, const uint8_t *key, const void *p, size_t n)
{
	free(e->body);
	e->n_body = (uint32_t)(n + CX_MAC_LEN);
	e->body = malloc(e->n_body);
	assert_non_null(e->body);
	cx_seal(key, e->nonce, p, n, e->body);
}

/* Seal a hand-made sealed map {h, m, s} (s of n_s bytes, none if 0). */
static void seal_map(struct tn_envelope *e, const uint8_t *key, const uint8_t *h,
		     uint8_t *m, uint32_t n_m, uint8_t *sig, uint32_t n_s)
{
	struct tn_sealed s = { .m = m, .n_m = n_m, .s = sig, .n_s = n_s };
	struct proto_buf b = { 0 };

	memcpy(s.h, h, sizeof s.h);
	assert_int_equal(proto_encode(&proto_sealed_schema, &s, &b), 0);
	seal_raw(e, key, b.data, b.len);
	proto_buf_free(&b);
}

static void test_env_open_rejects_malformed_plaintext(void **state)
{
	static const char *const junk[] = {
		"\xc1", "not msgpack", "\x90" /* [] */, "\x80" /* {} */,
		"\x81\xa1m\xc4\x01x" /* {m: bin} without h */,
		"\x82\xa1h\xc4\x01x\xa1m\xc4\x01x" /* h of 1 byte */,
	};
	struct tn_envelope e;
	struct proto_buf b = { 0 };
	struct env_keys k;
	uint8_t h[32], m[8] = "msg", sig[CX_SIG_LEN] = { 0 };

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		seal_raw(&e, k.ab, junk[i], strlen(junk[i]));
		expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_DECODE);
	}
	seal_raw(&e, k.ab, NULL, 0);
	expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_DECODE);
	seal_raw(&e, k.ab, "\x81\xa1h\xc4\x20", 5); /* truncated */
	expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_DECODE);

	/* Well-formed maps: the right h opens, a wrong h or s does not. */
	assert_int_equal(proto_encode(&proto_env_header_schema, &e, &b), 0);
	cx_hash_for(CX_HEADER, b.data, b.len, h);
	seal_map(&e, k.ab, h, m, sizeof m, NULL, 0);
	expect_open(&e, k.ba, k.apk, k.bpk, 0);
	seal_map(&e, k.ab, h, m, sizeof m, sig, 10);
	expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_SIG);
	seal_map(&e, k.ab, h, m, sizeof m, sig, sizeof sig);
	expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_SIG);
	h[31] ^= 1;
	seal_map(&e, k.ab, h, m, sizeof m, NULL, 0);
	expect_open(&e, k.ba, k.apk, k.bpk, TN_ERR_BAD_BOX);
	proto_buf_free(&b);
	env_free(&e);
}

int main(void)
{
	const struct CMUnitTest tampering[] = {
		cmocka_unit_test(test_env_open_rejects_every_flipped_body_byte),
		cmocka_unit_test(test_env_open_rejects_changed_header_fields),
		cmocka_unit_test(test_env_verify_checks_receipt),
		cmocka_unit_test(test_env_open_rejects_malformed_plaintext),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_tampering", tampering, pair_setup,
					   pair_teardown);
}
