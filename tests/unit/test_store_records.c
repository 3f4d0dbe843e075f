/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/ records: add, get and find by make and serial
 * (normalised, aliases folded), duplicates, validation, events. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static void test_record_round_trips_through_add_get_and_find(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Glock", "19 Gen5", "ABC123"), got;
	struct tn_event ev[2] = { event("manufactured", "2019-03-04", "Glock GmbH"),
				  event("sold", "2020-01-15", "FFL 1-23-456") };
	struct store_txn *t;
	struct seen z;

	r.n_events = 2;
	r.events = ev;
	strcpy(r.importer, "Glock Inc.");
	assert_int_equal(store_write(f->s, op_record, &r), 0);
	assert_int_equal(r.id, 1);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, r.id, &got), 0);
	assert_int_equal(got.id, 1);
	assert_string_equal(got.make, "Glock");
	assert_string_equal(got.model, "19 Gen5");
	assert_string_equal(got.serial, "ABC123");
	assert_string_equal(got.importer, "Glock Inc.");
	assert_int_equal(got.n_events, 2);
	assert_string_equal(got.events[1].kind, "sold");
	assert_string_equal(got.events[1].party, "FFL 1-23-456");
	proto_release(&proto_record_schema, &got);
	assert_int_equal(store_record_get(t, 99, &got), TN_ERR_NOT_FOUND);
	store_read_end(t);

	assert_int_equal(find(f->s, "Glock", "ABC123", &z), 1);
	assert_int_equal(z.ids[0], 1);
	assert_int_equal(find(f->s, "Glock", "ABC124", &z), 0);
	assert_int_equal(find(f->s, "Ruger", "ABC123", &z), 0);
}

static void test_find_ignores_dashes_spaces_and_case(void **state)
{
	struct fix *f = *state;
	struct seen z;

	add(f->s, "Glock", "17", "BXR-4471 a");
	assert_int_equal(find(f->s, "glock", "bxr4471A", &z), 1);
	assert_int_equal(find(f->s, "GLOCK", "b x r-4471-a", &z), 1);
	assert_int_equal(find(f->s, NULL, "Bxr 4471.A", &z), 1);
	assert_string_equal(z.makes[0], "Glock");
}

static void test_find_folds_make_aliases(void **state)
{
	struct fix *f = *state;
	struct seen z;

	add(f->s, "Smith & Wesson", "M&P 9", "NKX1234");
	assert_int_equal(find(f->s, "S&W", "NKX1234", &z), 1);
	assert_string_equal(z.makes[0], "Smith & Wesson");
	assert_int_equal(find(f->s, "Smith and Wesson", "nkx-1234", &z), 1);
}

static void test_find_without_make_returns_every_make_with_that_serial(void **state)
{
	struct fix *f = *state;
	struct seen z;
	uint64_t a, b;

	a = add(f->s, "Glock", "17", "12345");
	b = add(f->s, "Ruger", "LCP", "12345");
	add(f->s, "Ruger", "LCP", "123456"); /* longer serial: not a match */
	add(f->s, "Colt", "1911", "1234");   /* shorter serial: not a match */

	assert_int_equal(find(f->s, NULL, "12345", &z), 2);
	assert_true((z.ids[0] == a && z.ids[1] == b) || (z.ids[0] == b && z.ids[1] == a));
	assert_int_equal(find(f->s, "", "12345", &z), 2);
	assert_int_equal(find(f->s, "Sturm Ruger & Co", "12345", &z), 1);
	assert_int_equal(z.ids[0], b);
	assert_int_equal(find(f->s, "Glock", "12345", &z), 1);
	assert_int_equal(z.ids[0], a);
}

static void test_add_refuses_same_make_serial_and_model(void **state)
{
	struct fix *f = *state;
	struct tn_record dup = rec("GLOCK", "g-19", "ab-123"), other = rec("Glock", "G26", "AB123");
	struct seen z;

	add(f->s, "Glock", "G19", "AB123");
	assert_int_equal(store_write(f->s, op_record, &dup), TN_ERR_EXISTS);
	assert_int_equal(dup.id, 0);
	assert_int_equal(store_write(f->s, op_record, &other), 0);
	assert_int_equal(find(f->s, "Glock", "AB123", &z), 2);
	assert_string_equal(z.models[0], "G19");
	assert_string_equal(z.models[1], "G26");
}

static void test_add_refuses_records_that_do_not_validate(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Glock", "17", "--- ..");
	struct tn_event bad = event("teleported", "2020-01-01", "");

	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r = rec("&&", "17", "X1");
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r = rec("Glock", "17", "X1");
	r.n_events = 1;
	r.events = &bad;
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r.n_events = TN_EVENTS_MAX + 1;
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_LIMIT);
	assert_int_equal(stats(f->s).records, 0);
}

static void test_add_event_appends_and_persists(void **state)
{
	struct fix *f = *state;
	struct event_arg a = { add(f->s, "Colt", "Python", "V12345"),
			       event("exported", "2021-06-30", "Colt's Mfg") };
	struct store_txn *t;
	struct tn_record r;

	strcpy(a.e.country, "GTM");
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	a.e = event("stolen", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	a.e = event("bogus", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_INVALID);
	a.id = 999;
	a.e = event("sold", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_NOT_FOUND);
	reopen(f, 0, 0);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, 1, &r), 0);
	assert_int_equal(r.n_events, 2);
	assert_string_equal(r.events[0].kind, "exported");
	assert_string_equal(r.events[0].country, "GTM");
	assert_string_equal(r.events[1].kind, "stolen");
	assert_string_equal(r.model, "Python");
	proto_release(&proto_record_schema, &r);
	store_read_end(t);
}

static void test_add_event_stops_at_events_max(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Taurus", "G2C", "TLZ0001");
	struct tn_event *ev = calloc(TN_EVENTS_MAX, sizeof(*ev));
	struct event_arg a = { 0, event("transferred", "2020-02-02", "") };

	assert_non_null(ev);
	for (int i = 0; i < TN_EVENTS_MAX - 1; i++)
		ev[i] = event("transferred", "2020-01-01", "owner");
	r.events = ev;
	r.n_events = TN_EVENTS_MAX - 1;
	assert_int_equal(store_write(f->s, op_record, &r), 0);
	a.id = r.id;
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_LIMIT);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fix_setup, fix_teardown)
		T(test_record_round_trips_through_add_get_and_find),
		T(test_find_ignores_dashes_spaces_and_case),
		T(test_find_folds_make_aliases),
		T(test_find_without_make_returns_every_make_with_that_serial),
		T(test_add_refuses_same_make_serial_and_model),
		T(test_add_refuses_records_that_do_not_validate),
		T(test_add_event_appends_and_persists),
		T(test_add_event_stops_at_events_max),
#undef T
	};

	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
