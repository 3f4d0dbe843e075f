/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ stolen reports: found by serial, recovered once,
 * listed (open only or all), and listings nested in one snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static void test_stolen_reports_are_found_recovered_and_listed(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-01-10", { 0 } };
	struct store_txn *t;
	struct tn_stolen got;
	struct seen z;
	uint64_t a, b;

	a = add_stolen(f->s, "Glock", "SSX-100");
	b = add_stolen(f->s, "Beretta USA", "SSX100");
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(find_stolen(f->s, NULL, "ssx 100", &z), 2);
	assert_int_equal(find_stolen(f->s, "Beretta", "SSX100", &z), 1);
	assert_int_equal(z.ids[0], b);

	ra.id = a;
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	assert_string_equal(ra.out.status, "recovered");
	assert_string_equal(ra.out.recovered_on, "2024-01-10");
	assert_int_equal(ra.out.id, a);
	assert_int_equal(find_stolen(f->s, "Glock", "SSX100", &z), 0);
	assert_int_equal(find_stolen(f->s, NULL, "SSX100", &z), 1);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_stolen_get(t, a, &got), 0);
	assert_string_equal(got.status, "recovered");
	assert_string_equal(got.case_ref, "GT-2023-0042");
	memset(&z, 0, sizeof(z));
	assert_int_equal(store_stolen_each(t, 1, note_stolen, &z), 1);
	assert_int_equal(z.ids[0], b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(store_stolen_each(t, 0, note_stolen, &z), 2);
	assert_int_equal(z.ids[0], a);
	assert_int_equal(z.ids[1], b);
	store_read_end(t);
}

static void test_recover_refuses_twice_and_unknown_ids(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-01-10", { 0 } };

	ra.id = add_stolen(f->s, "Glock", "R1");
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_INVALID);
	ra.id = 77;
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_NOT_FOUND);
	ra.id = add_stolen(f->s, "Glock", "R2");
	ra.date = "2024-02-30";
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_INVALID);
	assert_int_equal(stats(f->s).stolen_open, 1);
}

static int list_inner(void *arg, const struct tn_stolen *st)
{
	struct store_txn *t = arg;
	struct seen z;

	(void)st;
	memset(&z, 0, sizeof(z));
	return store_stolen_each(t, 0, note_stolen, &z) == 3 ? 0 : -1;
}

static void test_stolen_listing_can_nest_in_one_snapshot(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;

	add_stolen(f->s, "Glock", "N1");
	add_stolen(f->s, "Glock", "N2");
	add_stolen(f->s, "Glock", "N3");
	for (int round = 0; round < 2; round++) { /* the second renews the snapshot */
		assert_int_equal(store_read_begin(f->s, &t), 0);
		assert_int_equal(store_stolen_each(t, 0, list_inner, t), 3);
		store_read_end(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_stolen_reports_are_found_recovered_and_listed),
		T(test_recover_refuses_twice_and_unknown_ids),
		T(test_stolen_listing_can_nest_in_one_snapshot),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
