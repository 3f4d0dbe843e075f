/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of records read from `record import` CSV rows
 * (proto/record_csv.c): columns, event groups, lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

static void test_record_csv_columns_are_the_record_fields(void **state)
{
	static const char *const want[] = {
		"make", "model", "caliber", "type", "serial", "country", "importer",
	};
	int i;

	(void)state;
	for (i = 0; proto_record_csv_columns[i]; i++) {
		assert_true(i < 7);
		assert_string_equal(proto_record_csv_columns[i], want[i]);
	}
	assert_int_equal(i, 7);
}

static void test_record_from_csv_fills_fields_and_events(void **state)
{
	char *f[] = { "Glock", "G19", "9mm", "pistol", "ABC123", "AUT", "Importadora X",
		      "manufactured", "2019-03-04", "Glock GmbH", "Deutsch-Wagram", "", "",
		      "imported", "2019-06-01", "Importadora X", "Puerto Quetzal", "AUT", "P-1" };
	struct tn_record r;
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_record_from_csv(&r, f, 19, why, sizeof why), 0);
	assert_string_equal(r.make, "Glock");
	assert_string_equal(r.importer, "Importadora X");
	assert_int_equal(r.n_events, 2);
	assert_string_equal(r.events[0].place, "Deutsch-Wagram");
	assert_string_equal(r.events[1].country, "AUT");
	assert_string_equal(r.events[1].ref, "P-1");
	assert_int_equal(proto_record_check(&r, why, sizeof why), 0);
	free(r.events);
}

static void test_record_from_csv_ignores_trailing_empty_groups(void **state)
{
	char *f[] = { "Ruger", "10/22", ".22 LR", "rifle", "123-45678", "USA", "",
		      "sold", "2020-01-01", "Dealer", "", "", "",
		      "", "", "", "", "", "", "", "" };
	struct tn_record r;
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_record_from_csv(&r, f, 21, why, sizeof why), 0);
	assert_int_equal(r.n_events, 1);
	free(r.events);
	/* A group whose last columns are empty is still complete. */
	assert_int_equal(proto_record_from_csv(&r, f, 13, why, sizeof why), 0);
	assert_int_equal(r.n_events, 1);
	free(r.events);
	assert_int_equal(proto_record_from_csv(&r, f, 7, why, sizeof why), 0);
	assert_int_equal(r.n_events, 0);
	assert_null(r.events);
}

static void test_record_from_csv_rejects_partial_group(void **state)
{
	char *f[] = { "Ruger", "10/22", ".22 LR", "rifle", "123-45678", "USA", "",
		      "sold", "2020-01-01", "Dealer" };
	struct tn_record r;
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_record_from_csv(&r, f, 10, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "event 1 has 3 of 6 columns");
	assert_null(r.events);
	assert_int_equal(proto_record_from_csv(&r, f, 5, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "5 columns, expected at least 7");
}

static void test_record_from_csv_names_too_long_column(void **state)
{
	char longer[TN_PLACE_LEN + 1];
	char *f[] = { "Colt", "AR-15", "5.56x45mm", "rifle", "LGC1", "USA", "",
		      "sold", "2020-01-01", "Dealer", longer, "", "" };
	struct tn_record r;
	char why[128] = "";

	(void)state;
	memset(longer, 'p', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(proto_record_from_csv(&r, f, 13, why, sizeof why), TN_ERR_TOO_BIG);
	assert_non_null(strstr(why, "event1_place"));
	assert_null(r.events);
	longer[TN_SERIAL_LEN] = '\0';
	f[10] = "";
	f[4] = longer;
	assert_int_equal(proto_record_from_csv(&r, f, 13, why, sizeof why), TN_ERR_TOO_BIG);
	assert_string_equal(why, "column serial: 48 bytes, at most 47");
	longer[TN_SERIAL_LEN - 1] = '\0';
	assert_int_equal(proto_record_from_csv(&r, f, 13, why, sizeof why), 0);
	free(r.events);
}

static void test_record_from_csv_leaves_meaning_to_record_check(void **state)
{
	char *f[] = { "Colt", "", "", "", "LGC1", "usa", "",
		      "", "", "", "", "", "",
		      "sold", "2020-02-30", "", "", "", "" };
	struct tn_record r;
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_record_from_csv(&r, f, 19, why, sizeof why), 0);
	assert_int_equal(r.n_events, 2);
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	free(r.events);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_csv_columns_are_the_record_fields),
		cmocka_unit_test(test_record_from_csv_fills_fields_and_events),
		cmocka_unit_test(test_record_from_csv_ignores_trailing_empty_groups),
		cmocka_unit_test(test_record_from_csv_rejects_partial_group),
		cmocka_unit_test(test_record_from_csv_names_too_long_column),
		cmocka_unit_test(test_record_from_csv_leaves_meaning_to_record_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
