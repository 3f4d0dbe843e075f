/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log's Merkle tree against a naive reference (RFC 9162's MTH
 * written as recursion over the leaves): roots, compact ranges, and every
 * consistency proof between sizes 1..40, each checked and each refused
 * once altered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "../../proto/merkle.h"

#define N 40

static uint8_t entries[N][32];

static void blake(const void *m, size_t n, uint8_t out[32])
{
	crypto_generichash(out, 32, m, n, NULL, 0);
}

/* MTH(D[a:a+n]) straight from the definition. */
static void mth(uint64_t a, uint64_t n, uint8_t out[32])
{
	uint8_t l[32], r[32];
	uint64_t k = 1;

	if (n == 0) {
		blake("", 0, out);
		return;
	}
	if (n == 1) {
		merkle_leaf(blake, entries[a], out);
		return;
	}
	while (k << 1 < n)
		k <<= 1;
	mth(a, k, l);
	mth(a + k, n - k, r);
	merkle_node(blake, l, r, out);
}

/* The stored perfect subtrees, as the store would give them. */
static int fetch(void *arg, unsigned level, uint64_t index, uint8_t out[32])
{
	uint64_t size = *(uint64_t *)arg;

	if (((index + 1) << level) > size)
		return TN_ERR_NOT_FOUND;
	mth(index << level, 1ull << level, out);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < N; i++)
		blake(&i, sizeof(i), entries[i]);
	return 0;
}

static void test_roots_match_the_definition(void **state)
{
	struct merkle_range r = { 0 };
	uint8_t want[32], got[32];

	(void)state;
	for (uint64_t n = 0; n <= N; n++) {
		mth(0, n, want);
		merkle_range_root(&r, blake, got);
		assert_memory_equal(got, want, 32);
		assert_int_equal(merkle_root(blake, n, fetch, &n, got), 0);
		assert_memory_equal(got, want, 32);
		if (n < N) {
			uint8_t leaf[32];

			merkle_leaf(blake, entries[n], leaf);
			merkle_range_push(&r, blake, leaf);
		}
	}
}

static void test_every_proof_checks_and_no_altered_one_does(void **state)
{
	uint8_t proof[MERKLE_DEPTH][32], a[32], b[32], bad[32];
	uint32_t count;

	(void)state;
	for (uint64_t n = 1; n <= N; n++) {
		mth(0, n, b);
		for (uint64_t m = 1; m <= n; m++) {
			mth(0, m, a);
			assert_int_equal(merkle_prove(blake, m, n, fetch, &n, proof, &count), 0);
			assert_int_equal(merkle_consistent(blake, m, a, n, b, proof, count), 0);
			for (uint32_t i = 0; i < count; i++) {
				proof[i][3] ^= 1;
				assert_int_equal(merkle_consistent(blake, m, a, n, b, proof, count),
						 TN_ERR_INVALID);
				proof[i][3] ^= 1;
			}
			memcpy(bad, a, 32);
			bad[0] ^= 1;
			assert_int_equal(merkle_consistent(blake, m, bad, n, b, proof, count),
					 TN_ERR_INVALID);
			if (m < n)
				assert_int_equal(merkle_consistent(blake, m, a, n, a, proof, count),
						 TN_ERR_INVALID);
			if (count)
				assert_int_equal(merkle_consistent(blake, m, a, n, b, proof, count - 1),
						 TN_ERR_INVALID);
		}
	}
}

/* A history that differs at one entry is not an extension. */
static void test_a_rewritten_prefix_is_not_consistent(void **state)
{
	uint8_t proof[MERKLE_DEPTH][32], a[32], b[32];
	uint32_t count;
	uint64_t n = 37;

	(void)state;
	mth(0, 20, a);
	entries[5][0] ^= 1;              /* the history the proof is made from */
	mth(0, n, b);
	assert_int_equal(merkle_prove(blake, 20, n, fetch, &n, proof, &count), 0);
	assert_int_equal(merkle_consistent(blake, 20, a, n, b, proof, count), TN_ERR_INVALID);
	entries[5][0] ^= 1;
}

static void test_sizes_out_of_order_are_refused(void **state)
{
	uint8_t proof[MERKLE_DEPTH][32], a[32];
	uint32_t count;
	uint64_t n = 10;

	(void)state;
	mth(0, 10, a);
	assert_int_equal(merkle_prove(blake, 11, 10, fetch, &n, proof, &count), TN_ERR_INVALID);
	assert_int_equal(merkle_consistent(blake, 11, a, 10, a, proof, 0), TN_ERR_INVALID);
	assert_int_equal(merkle_consistent(blake, 0, a, 10, a, proof, 0), 0);
	assert_int_equal(merkle_consistent(blake, 10, a, 10, a, proof, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roots_match_the_definition),
		cmocka_unit_test(test_every_proof_checks_and_no_altered_one_does),
		cmocka_unit_test(test_a_rewritten_prefix_is_not_consistent),
		cmocka_unit_test(test_sizes_out_of_order_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
