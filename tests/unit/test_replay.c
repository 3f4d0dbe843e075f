/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the replay window: seen ids refused, old ones forgotten,
 * a full window refusing, and ids a sender chose to collide costing no
 * more than random ones (counted in slot comparisons, not time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../crypto/cx.h"

#define SPAN 600000

static void id_of(uint8_t id[TN_ID_LEN], uint64_t n)
{
	memset(id, 0xab, TN_ID_LEN);         /* the same first 8 bytes for all */
	memcpy(id + 8, &n, sizeof(n));
}

static void test_replay_refuses_an_id_seen_before(void **state)
{
	struct cx_replay r;
	uint8_t id[TN_ID_LEN];

	(void)state;
	cx_replay_init(&r, 100, SPAN);
	id_of(id, 1);
	assert_int_equal(cx_replay_check(&r, id, 1000, 1000), 0);
	assert_int_equal(cx_replay_check(&r, id, 1000, 2000), TN_ERR_REPLAY);
	id_of(id, 2);
	assert_int_equal(cx_replay_check(&r, id, 1000, 2000), 0);
	cx_replay_free(&r);
}

static void test_replay_is_full_at_its_max_until_ids_expire(void **state)
{
	struct cx_replay r;
	uint8_t id[TN_ID_LEN];
	uint64_t now = 1000, i;
	int rc = 0;

	(void)state;
	cx_replay_init(&r, 20, SPAN);
	for (i = 0; i < 40 && !rc; i++) {
		id_of(id, i);
		rc = cx_replay_check(&r, id, now, now);
	}
	assert_int_equal(rc, TN_ERR_LIMIT);
	assert_int_equal(i, 21);
	/* Once their bucket (a tenth of the span) has left the window, the
	 * old ids make room again. */
	assert_int_equal(cx_replay_check(&r, id, now + SPAN + SPAN / 10, now + SPAN + SPAN / 10),
			 0);
	cx_replay_free(&r);
}

static void test_colliding_ids_cost_few_comparisons_each(void **state)
{
	const uint64_t n = 200000;
	struct cx_replay r;
	uint8_t id[TN_ID_LEN];

	(void)state;
	cx_replay_init(&r, 4 * n, SPAN);
	for (uint64_t i = 0; i < n; i++) {
		id_of(id, i);
		assert_int_equal(cx_replay_check(&r, id, 1000, 1000), 0);
	}
	/* Indexed by the raw first 8 bytes this took ~n^2/2 = 2e10; keyed,
	 * a handful per id at a table at most half full. */
	assert_true(r.probes < 4 * n);
	id_of(id, n / 2);
	assert_int_equal(cx_replay_check(&r, id, 1000, 1000), TN_ERR_REPLAY);
	cx_replay_free(&r);
}

/* At most 40 bytes an id however many there are, and the memory goes
 * back once the ids have left the window. */
static void test_ids_cost_little_and_their_memory_goes_back(void **state)
{
	struct cx_replay r;
	uint8_t id[TN_ID_LEN];
	uint64_t n = 0;

	(void)state;
	cx_replay_init(&r, 1u << 22, SPAN);
	for (uint64_t t = 0; t < SPAN; t += 1000)        /* ids spread over the span */
		for (int k = 0; k < 300; k++, n++) {
			id_of(id, n);
			assert_int_equal(cx_replay_check(&r, id, 1000000 + t, 1000000 + t), 0);
			if (n % 997 == 0)
				assert_true(cx_replay_bytes(&r) <= 40 * (n + 1) + 64 * 8 * CX_REPLAY_BUCKETS);
		}
	assert_true(cx_replay_bytes(&r) <= 40 * n);
	id_of(id, n);
	assert_int_equal(cx_replay_check(&r, id, 1000000 + 3 * SPAN, 1000000 + 3 * SPAN), 0);
	assert_true(cx_replay_bytes(&r) <= 64 * 8);
	cx_replay_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_refuses_an_id_seen_before),
		cmocka_unit_test(test_replay_is_full_at_its_max_until_ids_expire),
		cmocka_unit_test(test_colliding_ids_cost_few_comparisons_each),
		cmocka_unit_test(test_ids_cost_little_and_their_memory_goes_back),
	};

	if (cx_init())
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
