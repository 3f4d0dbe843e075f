/* SPDX-License-Identifier: Apache-2.0 */
/* The blind-check vectors of PROTOCOL.md 20: MEX's key comes from its
 * seed, the proof holds for the published key, and GTM's first item
 * finalizes to a tag of MEX's set while its second does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vec_util.h"

#define OK(x) assert_int_equal((x), 0)

static const char *const items[2] = { "GLOCK|ABC123", "GLOCK|QZX9931K77" };

/* The fixed scalars of the vectors: byte i is 1 + i*k, byte 31 is 0x0a. */
static void scalar(uint8_t out[32], unsigned k)
{
	for (unsigned i = 0; i < 32; i++)
		out[i] = (uint8_t)(i * k + 1);
	out[31] = 0x0a;
}

static json_t *message(const struct vec_state *st, const char *name)
{
	return json_object_get(vec_named(st, name), "message");
}

static void test_key_comes_from_the_seed(void **state)
{
	uint8_t seed[32], sk[32], pk[32];
	const char *info = "tracenet blind test";

	memset(seed, 0x5b, sizeof(seed));
	OK(cx_oprf_derive_key(CX_VOPRF, seed, (const uint8_t *)info, strlen(info), sk, pk));
	vec_expect(message(*state, "blind_set"), "pk", pk, 32);
}

static void test_items_hit_and_miss_the_set(void **state)
{
	const struct vec_state *st = *state;
	json_t *set = message(st, "blind_set"), *q = message(st, "blind_query");
	json_t *r = message(st, "blind_result");
	uint8_t pk[32], blind[32], out[CX_OPRF_OUT], *tags, *elem, *eval, *proof;
	size_t nt, ne, nv, np;

	vec_hex_n(set, "pk", pk, 32);
	nt = vec_hex(json_object_get(set, "add"), &tags);
	ne = vec_hex(json_object_get(q, "elem"), &elem);
	nv = vec_hex(json_object_get(r, "eval"), &eval);
	np = vec_hex(json_object_get(r, "proof"), &proof);
	assert_int_equal(nt, 3 * TN_BLIND_TAG);
	assert_int_equal(ne, 2 * 32);
	assert_int_equal(nv, 2 * 32);
	assert_int_equal(np, 64);
	OK(cx_voprf_verify(pk, (const uint8_t (*)[32])elem, (const uint8_t (*)[32])eval, 2, proof));
	proof[0] ^= 1;
	assert_int_not_equal(cx_voprf_verify(pk, (const uint8_t (*)[32])elem,
					     (const uint8_t (*)[32])eval, 2, proof), 0);
	for (int i = 0; i < 2; i++) {
		int found = 0;

		scalar(blind, 3 + 2 * (unsigned)i);
		OK(cx_oprf_finalize(CX_VOPRF, items[i], strlen(items[i]), blind, eval + 32 * i, out));
		for (size_t k = 0; k < nt; k += TN_BLIND_TAG)
			found |= !memcmp(tags + k, out, TN_BLIND_TAG);
		assert_int_equal(found, i == 0);
	}
	free(tags);
	free(elem);
	free(eval);
	free(proof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_comes_from_the_seed),
		cmocka_unit_test(test_items_hit_and_miss_the_set),
	};

	if (cx_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("blind vectors", tests, vec_setup, vec_teardown);
}
