/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ envelopes: sealing and opening, signed or not,
 * across the wire and relays, with the wrong keys, and at the size limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto_env.h"

static void test_env_round_trips_unsigned(void **state)
{
	struct tn_envelope e, e2;
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	assert_true(e.n_body > sizeof m + CX_MAC_LEN);
	assert_null(memmem(e.body, e.n_body, m, 16)); /* no plaintext on the wire */
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, k.bpk, &s), 0);
	assert_int_equal(s.n_m, sizeof m);
	assert_memory_equal(s.m, m, sizeof m);
	assert_int_equal(s.n_s, 0);
	assert_null(s.s);
	proto_release(&proto_sealed_schema, &s);
	/* id and nonce are fresh for every envelope. */
	env_seal(*state, &k, &e2, m, sizeof m, 0);
	assert_memory_not_equal(e.id, e2.id, sizeof e.id);
	assert_memory_not_equal(e.nonce, e2.nonce, sizeof e.nonce);
	/* The sender can open its own envelope too (same shared key). */
	expect_open(&e2, k.ab, k.apk, k.bpk, 0);
	env_free(&e);
	env_free(&e2);
}

static void test_env_round_trips_signed(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	struct tn_sealed s;
	uint8_t m[256];

	env_keys(*state, &k);
	cx_random(m, sizeof m);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, k.bpk, &s), 0);
	assert_int_equal(s.n_m, sizeof m);
	assert_memory_equal(s.m, m, sizeof m);
	assert_int_equal(s.n_s, CX_SIG_LEN);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.bpk), 0);
	proto_release(&proto_sealed_schema, &s);
	env_free(&e);
}

/* What a relay or the receiver sees: the envelope encoded, then decoded;
 * a relay lowering ttl on the way does not break it. */
static void test_env_survives_the_wire_and_ttl_changes(void **state)
{
	struct tn_envelope e, got, relayed;
	struct proto_buf b = { 0 };
	struct env_keys k;
	uint8_t m[] = "\x81\xa1q\xa6" "ABC123";

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	assert_int_equal(proto_encode(&proto_envelope_schema, &e, &b), 0);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &got, NULL, 0), 0);
	expect_open(&got, k.ba, k.apk, k.bpk, 0);
	got.ttl--;
	b.len = 0;
	assert_int_equal(proto_encode(&proto_envelope_schema, &got, &b), 0);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &relayed, NULL, 0),
			 0);
	assert_int_equal(relayed.ttl, 2);
	expect_open(&relayed, k.ba, k.apk, k.bpk, 0);
	relayed.ttl = 0;
	expect_open(&relayed, k.ba, k.apk, k.bpk, 0);
	relayed.ttl = UINT32_MAX;
	expect_open(&relayed, k.ba, k.apk, k.bpk, 0);
	proto_buf_free(&b);
	env_free(&e);
	env_free(&got);
	env_free(&relayed);
}

static void test_env_open_rejects_wrong_key(void **state)
{
	struct pair *p = *state;
	uint8_t aa[CX_KEY_LEN], zero[CX_KEY_LEN] = { 0 }, m[64] = "for B only";
	struct tn_envelope e;
	struct env_keys k;

	env_keys(p, &k);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	env_seal(p, &k, &e, m, sizeof m, 1);
	expect_open(&e, aa, k.apk, k.bpk, TN_ERR_BAD_BOX);
	expect_open(&e, zero, k.apk, k.bpk, TN_ERR_BAD_BOX);
	expect_open(&e, k.ba, k.apk, k.bpk, 0);
	env_free(&e);
}

static void test_env_open_rejects_signature_of_other_key(void **state)
{
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[64] = "signed by A";

	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, sizeof m, 1);
	expect_open(&e, k.ba, k.bpk, k.bpk, TN_ERR_BAD_SIG);
	expect_open(&e, k.ba, k.apk, k.bpk, 0);
	/* Unsigned envelopes do not look at from_pk. */
	env_free(&e);
	env_seal(*state, &k, &e, m, sizeof m, 0);
	expect_open(&e, k.ba, k.bpk, k.bpk, 0);
	env_free(&e);
}

static void test_env_seal_refuses_bad_input(void **state)
{
	struct pair *p = *state;
	struct tn_envelope e;
	struct env_keys k;
	uint8_t m[16] = "x";

	env_keys(p, &k);
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, k.bpk, m, 0, 0), TN_ERR_INVALID);
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, k.bpk, NULL, 1, 0), TN_ERR_INVALID);
	assert_int_equal(cx_env_seal(&e, NULL, k.ab, k.bpk, m, sizeof m, 1), TN_ERR_INVALID);
	/* Refused before m is read, so a short buffer is fine here. */
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, k.bpk, m, 16u << 20, 0), TN_ERR_TOO_BIG);
	e.v = 2;
	assert_int_equal(cx_env_seal(&e, p->a, k.ab, k.bpk, m, sizeof m, 0), TN_ERR_UNSUPPORTED);
	assert_null(e.body);
	assert_int_equal(e.n_body, 0);
	/* An unsigned seal needs no identity. */
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, NULL, k.ab, k.bpk, m, sizeof m, 0), 0);
	expect_open(&e, k.ba, k.apk, k.bpk, 0);
	env_free(&e);
}

/* The biggest message that fits the envelope's body limit. */
static void test_env_seals_the_largest_message(void **state)
{
	size_t n = (16u << 20) - 112 - CX_MAC_LEN;
	uint8_t *m = calloc(1, n);
	struct tn_envelope e;
	struct env_keys k;
	struct proto_buf b = { 0 };

	assert_non_null(m);
	env_keys(*state, &k);
	env_seal(*state, &k, &e, m, n, 1);
	assert_int_equal(proto_encode(&proto_envelope_schema, &e, &b), 0);
	env_free(&e);
	assert_int_equal(proto_decode(&proto_envelope_schema, b.data, b.len, &e, NULL, 0), 0);
	expect_open(&e, k.ba, k.apk, k.bpk, 0);
	env_free(&e);
	env_init(&e);
	assert_int_equal(cx_env_seal(&e, (*(struct pair **)state)->a, k.ab, k.bpk, m, n + 1, 0),
			 TN_ERR_TOO_BIG);
	proto_buf_free(&b);
	free(m);
}

/* A signature made for one purpose never checks for another, and one made
 * for recipient B never checks as made for anyone else. */
static void test_signature_checks_only_for_its_purpose_and_recipient(void **state)
{
	struct pair *p = *state;
	struct tn_envelope e;
	struct env_keys k;
	struct tn_sealed s;
	struct cx_part part = { "audit head", 10 };
	uint8_t m[64] = "signed by A for B", sig[CX_SIG_LEN];

	env_keys(p, &k);
	env_seal(p, &k, &e, m, sizeof m, 1);
	assert_int_equal(cx_env_open(&e, k.ba, k.apk, k.bpk, &s), 0);
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.bpk), 0);
	/* Handed on as if it had been sent to A (or anyone but B): refused. */
	assert_int_equal(cx_env_verify(&e, s.m, s.n_m, s.s, k.apk, k.apk), TN_ERR_BAD_SIG);
	expect_open(&e, k.ba, k.apk, k.apk, TN_ERR_BAD_SIG);
	proto_release(&proto_sealed_schema, &s);
	env_free(&e);
	for (int a = 0; a < CX_PURPOSES; a++) {
		assert_int_equal(cx_sign_for(p->a, (enum cx_purpose)a, &part, 1, sig), 0);
		for (int b = 0; b < CX_PURPOSES; b++)
			assert_int_equal(cx_verify_for(k.apk, (enum cx_purpose)b, &part, 1, sig),
					 a == b ? 0 : TN_ERR_BAD_SIG);
	}
}

int main(void)
{
	const struct CMUnitTest envelopes[] = {
		cmocka_unit_test(test_env_round_trips_unsigned),
		cmocka_unit_test(test_env_round_trips_signed),
		cmocka_unit_test(test_env_survives_the_wire_and_ttl_changes),
		cmocka_unit_test(test_env_open_rejects_wrong_key),
		cmocka_unit_test(test_env_open_rejects_signature_of_other_key),
		cmocka_unit_test(test_signature_checks_only_for_its_purpose_and_recipient),
		cmocka_unit_test(test_env_seal_refuses_bad_input),
		cmocka_unit_test(test_env_seals_the_largest_message),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_envelopes", envelopes, pair_setup,
					   pair_teardown);
}
