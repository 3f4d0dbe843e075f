/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ batches and snapshots: a failing op is rolled back
 * alone, snapshots stay fixed, stats count, meta keys round-trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static int op_fail(struct store_txn *t, void *arg)
{
	struct tn_record r = rec("Glock", "17", "FAILED-1");
	int rc = store_record_add(t, &r);

	(void)arg;
	assert_int_equal(rc, 0);
	return TN_ERR_INVALID; /* after writing: the write must be rolled back */
}

static void test_failing_op_leaves_the_rest_of_the_batch_committed(void **state)
{
	struct fix *f = *state;
	struct tn_record a = rec("Glock", "17", "B-1"), c = rec("Glock", "17", "B-3");
	struct tn_stolen b = theft("Glock", "B-2");
	struct tn_record dup = rec("Glock", "17", "B1");
	struct store_op ops[] = {
		{ op_record, &a, 0 }, { op_fail, NULL, 0 }, { op_stolen, &b, 0 },
		{ op_record, &dup, 0 }, { op_record, &c, 0 },
	};
	struct seen z;

	assert_int_equal(store_apply(f->s, ops, 5), 0);
	assert_int_equal(ops[0].rc, 0);
	assert_int_equal(ops[1].rc, TN_ERR_INVALID);
	assert_int_equal(ops[2].rc, 0);
	assert_int_equal(ops[3].rc, TN_ERR_EXISTS);
	assert_int_equal(ops[4].rc, 0);
	assert_int_equal(find(f->s, NULL, "FAILED1", &z), 0);
	assert_int_equal(find(f->s, "Glock", "B1", &z), 1);
	assert_int_equal(find(f->s, "Glock", "B3", &z), 1);
	assert_int_equal(find_stolen(f->s, "Glock", "B2", &z), 1);
	/* the failed op's id was rolled back with it */
	assert_int_equal(a.id, 1);
	assert_int_equal(c.id, 2);
	assert_int_equal(stats(f->s).records, 2);
}

static int op_count(struct store_txn *t, void *arg)
{
	(void)t;
	++*(int *)arg;
	return 0;
}

/* Ops run straight in the batch's transaction: once each when all succeed;
 * a failure runs the batch again, each op nested, and a lone failing op
 * is simply undone. */
static void test_ops_run_once_unless_one_fails(void **state)
{
	struct fix *f = *state;
	int runs[3] = { 0 };
	struct store_op ok[] = { { op_count, &runs[0], 0 }, { op_count, &runs[1], 0 } };
	struct store_op bad[] = { { op_count, &runs[2], 0 }, { op_fail, NULL, 0 } };
	struct seen z;

	assert_int_equal(store_apply(f->s, ok, 2), 0);
	assert_int_equal(runs[0], 1);
	assert_int_equal(runs[1], 1);
	assert_int_equal(store_apply(f->s, bad, 2), 0);
	assert_int_equal(runs[2], 2);
	assert_int_equal(bad[0].rc, 0);
	assert_int_equal(bad[1].rc, TN_ERR_INVALID);
	assert_int_equal(store_write(f->s, op_fail, NULL), TN_ERR_INVALID);
	assert_int_equal(find(f->s, NULL, "FAILED1", &z), 0);
	assert_int_equal(stats(f->s).records, 0);
}

static void test_read_snapshot_does_not_see_later_commits(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_record r;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	add(f->s, "Glock", "17", "SNAP1");
	assert_int_equal(store_record_find(t, NULL, "SNAP1", NULL, NULL), 0);
	assert_int_equal(store_record_get(t, 1, &r), TN_ERR_NOT_FOUND);
	store_read_end(t);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_find(t, NULL, "SNAP1", NULL, NULL), 1);
	store_read_end(t);
}

static void test_stats_count_records_and_open_reports(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-03-01", { 0 } };
	struct store_stats st;

	add(f->s, "Glock", "17", "S1");
	add(f->s, "Glock", "17", "S2");
	add_stolen(f->s, "Glock", "S1");
	ra.id = add_stolen(f->s, "Glock", "S2");
	add_stolen(f->s, "Glock", "S3");
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	st = stats(f->s);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.stolen, 3);
	assert_int_equal(st.stolen_open, 2);
	assert_true(st.map_size >= STORE_MAP_DEFAULT);
	assert_true(st.map_used > 0 && st.map_used < st.map_size);
}

struct meta_arg {
	const char *key;
	const char *val;
};

static int op_meta(struct store_txn *t, void *arg)
{
	struct meta_arg *m = arg;

	return store_meta_put(t, m->key, m->val, strlen(m->val));
}

static void test_meta_round_trips_and_reserves_store_keys(void **state)
{
	struct fix *f = *state;
	struct meta_arg m = { "node.name", "GTM" };
	struct store_txn *t;
	char buf[8];
	size_t len = 0;

	assert_int_equal(store_write(f->s, op_meta, &m), 0);
	m.key = "store:seq:record";
	assert_int_equal(store_write(f->s, op_meta, &m), TN_ERR_INVALID);
	m.key = "";
	assert_int_equal(store_write(f->s, op_meta, &m), TN_ERR_INVALID);
	reopen(f, 0, 0);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_meta_get(t, "node.name", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "GTM", 3);
	assert_int_equal(store_meta_get(t, "node.name", buf, 2, &len), TN_ERR_TOO_BIG);
	assert_int_equal(len, 3);
	assert_int_equal(store_meta_get(t, "absent", buf, sizeof(buf), &len), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_failing_op_leaves_the_rest_of_the_batch_committed),
		T(test_ops_run_once_unless_one_fails),
		T(test_read_snapshot_does_not_see_later_commits),
		T(test_stats_count_records_and_open_reports),
		T(test_meta_round_trips_and_reserves_store_keys),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
