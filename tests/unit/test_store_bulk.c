/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of bulk adds of encoded records (store/bulk.c): ids in row
 * order whatever the keys' order, the bytes kept with the id put in, the
 * rules of store_record_add for duplicates on file and within the batch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static void assert_stored(struct store *s, uint64_t id, const char *make, const char *serial)
{
	struct store_txn *t;
	struct tn_record got;

	assert_int_equal(store_read_begin(s, &t), 0);
	assert_int_equal(store_record_get(t, id, &got), 0);
	assert_true(got.id == id);
	assert_string_equal(got.make, make);
	assert_string_equal(got.serial, serial);
	proto_release(&proto_record_schema, &got);
	store_read_end(t);
}

static void test_bulk_ids_follow_rows_not_keys(void **state)
{
	struct fix *f = *state;
	struct fix_batch b = { 0 };
	struct seen z;

	assert_int_equal(add(f->s, "Glock", "17", "FIRST-1"), 1);
	fix_push(&b, "Glock", "17", "Z-900");
	fix_push(&b, "Beretta", "92", "A-100");
	fix_push(&b, "Ruger", "LCP", "M-500");
	fix_push(&b, "Colt", "Python", "A-099");
	assert_int_equal(store_write(f->s, fix_op_bulk, &b), 0);
	assert_int_equal(b.added, 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_true(b.rows[i].id == 2 + i);
	assert_stored(f->s, 2, "Glock", "Z-900");
	assert_stored(f->s, 3, "Beretta", "A-100");
	assert_stored(f->s, 5, "Colt", "A-099");
	assert_int_equal(find(f->s, "colt", "a099", &z), 1);
	assert_int_equal(z.ids[0], 5);
	assert_int_equal(find(f->s, NULL, "M 500", &z), 1);
	assert_int_equal(z.ids[0], 4);
	assert_int_equal(stats(f->s).records, 5);
	assert_int_equal(add(f->s, "Walther", "PDP", "NEXT-1"), 6);
	fix_batch_done(&b);
}

static void test_bulk_refuses_duplicates_on_file_and_in_the_batch(void **state)
{
	struct fix *f = *state;
	struct fix_batch b = { 0 };
	struct seen z;

	assert_int_equal(add(f->s, "Glock", "17", "DUP-1"), 1);
	fix_push(&b, "Glock", "17", "DUP-1");      /* on file */
	fix_push(&b, "GLOCK", "17", "dup 1");      /* on file, written another way */
	fix_push(&b, "Glock", "19", "DUP-1");      /* same key, another model */
	fix_push(&b, "glock", "19.", "DUP/1");     /* the row before it */
	fix_push(&b, "Ruger", "17", "DUP-1");      /* another make */
	fix_push(&b, "S&W", "M&P 9", "SW-7");
	fix_push(&b, "Smith & Wesson", "mp9", "SW7"); /* alias and model folded */
	assert_int_equal(store_write(f->s, fix_op_bulk, &b), 0);
	assert_int_equal(b.added, 3);
	assert_true(b.rows[0].id == 0);
	assert_true(b.rows[1].id == 0);
	assert_true(b.rows[2].id == 2);
	assert_true(b.rows[3].id == 0);
	assert_true(b.rows[4].id == 3);
	assert_true(b.rows[5].id == 4);
	assert_true(b.rows[6].id == 0);
	assert_int_equal(find(f->s, "Glock", "DUP-1", &z), 2);
	assert_int_equal(z.ids[0], 1);
	assert_int_equal(z.ids[1], 2);
	assert_int_equal(stats(f->s).records, 4);
	fix_batch_done(&b);
}

/* Ids past one byte: the value grows by the id's width, and decodes. */
static void test_bulk_puts_wide_ids_into_the_bytes(void **state)
{
	struct fix *f = *state;
	struct fix_batch b = { 0 };

	assert_int_equal(apply_records(f->s, "PRE", 0, 300, 300), 0);
	fix_push(&b, "Taurus", "G2C", "WIDE-1");
	fix_push(&b, "Taurus", "G3", "WIDE-2");
	assert_int_equal(store_write(f->s, fix_op_bulk, &b), 0);
	assert_int_equal(b.added, 2);
	assert_stored(f->s, 301, "Taurus", "WIDE-1");
	assert_stored(f->s, 302, "Taurus", "WIDE-2");
	fix_batch_done(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_bulk_ids_follow_rows_not_keys),
		T(test_bulk_refuses_duplicates_on_file_and_in_the_batch),
		T(test_bulk_puts_wide_ids_into_the_bytes),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
