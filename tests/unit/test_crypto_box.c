/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of crypto/ boxes: the X25519 shared key of two identities,
 * and sealing and opening messages with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "crypto_pair.h"

static void test_shared_key_is_symmetric(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN], aa[CX_KEY_LEN];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), ba), 0);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	assert_memory_equal(ab, ba, CX_KEY_LEN);
	assert_int_equal(cx_memcmp(ab, ba, CX_KEY_LEN), 0);
	assert_int_not_equal(cx_memcmp(ab, aa, CX_KEY_LEN), 0);
}

static void test_shared_key_rejects_small_order_key(void **state)
{
	struct pair *p = *state;
	uint8_t bad[CX_PK_LEN] = { 0 }, key[CX_KEY_LEN];

	assert_int_equal(cx_shared_key(p->a, bad, key), TN_ERR_CRYPTO);
	bad[0] = 1; /* the identity point */
	assert_int_equal(cx_shared_key(p->a, bad, key), TN_ERR_CRYPTO);
}

static void test_seal_open_round_trips(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], ba[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[300], c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->b, cx_id_pk(p->a), ba), 0);
	cx_random(nonce, sizeof nonce);
	cx_random(m, sizeof m);
	cx_seal(ab, nonce, m, sizeof m, c);
	assert_memory_not_equal(c, m, 32);
	assert_int_equal(cx_open(ba, nonce, c, sizeof c, out), 0);
	assert_memory_equal(out, m, sizeof m);
	/* Empty messages are just a MAC. */
	cx_seal(ab, nonce, NULL, 0, c);
	assert_int_equal(cx_open(ba, nonce, c, CX_MAC_LEN, out), 0);
}

static void test_open_rejects_every_tampered_byte(void **state)
{
	struct pair *p = *state;
	uint8_t key[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[64], c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), key), 0);
	cx_random(nonce, sizeof nonce);
	cx_random(m, sizeof m);
	cx_seal(key, nonce, m, sizeof m, c);
	for (size_t i = 0; i < sizeof c; i++) {
		c[i] ^= 0x01;
		assert_int_equal(cx_open(key, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
		c[i] ^= 0x01;
	}
	for (size_t i = 0; i < sizeof nonce; i++) {
		nonce[i] ^= 0x01;
		assert_int_equal(cx_open(key, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
		nonce[i] ^= 0x01;
	}
	assert_int_equal(cx_open(key, nonce, c, sizeof c - 1, out), TN_ERR_BAD_BOX);
	assert_int_equal(cx_open(key, nonce, c, CX_MAC_LEN - 1, out), TN_ERR_BAD_BOX);
	assert_int_equal(cx_open(key, nonce, c, sizeof c, out), 0);
}

static void test_open_rejects_wrong_key(void **state)
{
	struct pair *p = *state;
	uint8_t ab[CX_KEY_LEN], aa[CX_KEY_LEN], nonce[CX_NONCE_LEN];
	uint8_t m[32] = "for B only", c[sizeof m + CX_MAC_LEN], out[sizeof m];

	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->b), ab), 0);
	assert_int_equal(cx_shared_key(p->a, cx_id_pk(p->a), aa), 0);
	cx_random(nonce, sizeof nonce);
	cx_seal(ab, nonce, m, sizeof m, c);
	assert_int_equal(cx_open(aa, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
	cx_wipe(ab, sizeof ab);
	assert_int_equal(cx_open(ab, nonce, c, sizeof c, out), TN_ERR_BAD_BOX);
}

int main(void)
{
	const struct CMUnitTest boxes[] = {
		cmocka_unit_test(test_shared_key_is_symmetric),
		cmocka_unit_test(test_shared_key_rejects_small_order_key),
		cmocka_unit_test(test_seal_open_round_trips),
		cmocka_unit_test(test_open_rejects_every_tampered_byte),
		cmocka_unit_test(test_open_rejects_wrong_key),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("crypto_boxes", boxes, pair_setup, pair_teardown);
}
