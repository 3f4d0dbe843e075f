/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of cx_random, the keystream behind envelope ids and nonces:
 * draws of every size across refills never repeat, bits are balanced, and
 * large draws still work. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../crypto/cx.h"

#define DRAWS 200000

static int cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static void test_ids_never_repeat_across_refills(void **state)
{
	uint8_t (*ids)[16] = malloc(DRAWS * sizeof(*ids));
	uint8_t odd[7];

	(void)state;
	assert_non_null(ids);
	for (size_t i = 0; i < DRAWS; i++) {
		cx_random(ids[i], sizeof(ids[i]));
		if (i % 3 == 0)
			cx_random(odd, sizeof odd);   /* misalign the stream */
	}
	qsort(ids, DRAWS, sizeof(*ids), cmp16);
	for (size_t i = 1; i < DRAWS; i++)
		assert_memory_not_equal(ids[i - 1], ids[i], 16);
	free(ids);
}

static void test_bits_are_balanced(void **state)
{
	uint8_t buf[1000];
	uint64_t ones = 0, total = 0;

	(void)state;
	for (int k = 0; k < 100; k++) {
		cx_random(buf, sizeof buf);
		for (size_t i = 0; i < sizeof buf; i++)
			ones += (uint64_t)__builtin_popcount(buf[i]);
		total += 8 * sizeof buf;
	}
	/* 800,000 fair bits: 400,000 +- 5 sigma (2,236). */
	assert_true(ones > total / 2 - 2236 && ones < total / 2 + 2236);
}

static void test_large_draws_are_filled(void **state)
{
	static uint8_t a[65536], b[65536];

	(void)state;
	cx_random(a, sizeof a);
	cx_random(b, sizeof b);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, b + 32768, 32768);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_never_repeat_across_refills),
		cmocka_unit_test(test_bits_are_balanced),
		cmocka_unit_test(test_large_draws_are_filled),
	};

	if (cx_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
