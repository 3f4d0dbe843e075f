/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of dates, countries, event kinds and the record, event and
 * lost/stolen checks (proto/validate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

#define SET(field, s) snprintf((field), sizeof(field), "%s", (s))

static struct tn_event events[4];

static struct tn_record good_record(void)
{
	struct tn_record r;

	memset(&r, 0, sizeof r);
	memset(events, 0, sizeof events);
	SET(r.make, "Glock");
	SET(r.model, "G19");
	SET(r.caliber, "9mm");
	SET(r.type, "pistol");
	SET(r.serial, "ABC123");
	SET(r.country, "AUT");
	SET(events[0].kind, "manufactured");
	SET(events[0].date, "2019-03-04");
	SET(events[1].kind, "imported");
	SET(events[1].date, "2019-06-01");
	SET(events[1].country, "AUT");
	SET(events[2].kind, "exported");
	SET(events[2].date, "2020-02-29");
	SET(events[2].country, "MEX");
	r.events = events;
	r.n_events = 3;
	return r;
}

static struct tn_stolen good_stolen(void)
{
	struct tn_stolen s;

	memset(&s, 0, sizeof s);
	SET(s.kind, "stolen");
	SET(s.make, "S&W");
	SET(s.serial, "dvx-1234");
	SET(s.date, "2023-11-05");
	return s;
}

/* ---- event kinds ---- */

static void test_event_names_follow_enum_order(void **state)
{
	static const char *const names[] = {
		"manufactured", "imported", "sold", "transferred", "exported",
		"destroyed", "stolen", "lost", "recovered",
	};

	(void)state;
	assert_int_equal(sizeof names / sizeof names[0], TN_EV_COUNT);
	for (int k = 0; k < TN_EV_COUNT; k++) {
		assert_string_equal(proto_event_name(k), names[k]);
		assert_int_equal(proto_event_kind(names[k]), k);
	}
}

static void test_event_kind_rejects_unknown_names(void **state)
{
	(void)state;
	assert_null(proto_event_name(-1));
	assert_null(proto_event_name(TN_EV_COUNT));
	assert_int_equal(proto_event_kind("Sold"), TN_ERR_INVALID);
	assert_int_equal(proto_event_kind("sold "), TN_ERR_INVALID);
	assert_int_equal(proto_event_kind(""), TN_ERR_INVALID);
	assert_int_equal(proto_event_kind(NULL), TN_ERR_INVALID);
}

/* ---- dates ---- */

static void test_date_accepts_real_days(void **state)
{
	(void)state;
	assert_int_equal(proto_date_check("2024-01-31"), 0);
	assert_int_equal(proto_date_check("2024-02-29"), 0);
	assert_int_equal(proto_date_check("2000-02-29"), 0);
	assert_int_equal(proto_date_check("1800-01-01"), 0);
	assert_int_equal(proto_date_check("2200-12-31"), 0);
}

static void test_date_rejects_feb_30(void **state)
{
	(void)state;
	assert_int_equal(proto_date_check("2023-02-30"), TN_ERR_INVALID);
	assert_int_equal(proto_date_check("2024-02-30"), TN_ERR_INVALID);
}

static void test_date_knows_leap_years(void **state)
{
	(void)state;
	assert_int_equal(proto_date_check("2023-02-29"), TN_ERR_INVALID);
	assert_int_equal(proto_date_check("1900-02-29"), TN_ERR_INVALID);
	assert_int_equal(proto_date_check("2100-02-29"), TN_ERR_INVALID);
	assert_int_equal(proto_date_check("2096-02-29"), 0);
}

static void test_date_rejects_other_shapes(void **state)
{
	static const char *const bad[] = {
		"", "2024-1-05", "2024-01-5", "24-01-05", "2024/01/05",
		"2024-01-05 ", " 2024-01-05", "2024-01-05T00:00", "20240105",
		"2024-00-10", "2024-13-01", "2024-04-31", "2024-01-00",
		"+024-01-05", "2024-+1-05", "2024-01- 5", "abcd-ef-gh",
		"1799-12-31", "2201-01-01", "9999-12-31", "0000-01-01",
		"2024-01-05\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (proto_date_check(bad[i]) != TN_ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(proto_date_check(NULL), TN_ERR_INVALID);
}

static void test_date_diff_counts_days(void **state)
{
	(void)state;
	assert_int_equal(proto_date_diff("2024-01-01", "2024-01-01"), 0);
	assert_int_equal(proto_date_diff("2024-02-28", "2024-03-01"), 2);
	assert_int_equal(proto_date_diff("2023-02-28", "2023-03-01"), 1);
	assert_int_equal(proto_date_diff("2024-03-01", "2024-02-28"), -2);
	assert_int_equal(proto_date_diff("1970-01-01", "2000-01-01"), 10957);
	assert_int_equal(proto_date_diff("2000-01-01", "2100-01-01"), 36525);
	assert_int_equal(proto_date_diff("1800-01-01", "2200-12-31"), 146461);
	assert_int_equal(proto_date_diff("1800-03-01", "1800-02-28"), -1);
}

static void test_date_diff_of_bad_date_is_int32_min(void **state)
{
	(void)state;
	assert_int_equal(proto_date_diff("2023-02-30", "2024-01-01"), INT32_MIN);
	assert_int_equal(proto_date_diff("2024-01-01", "yesterday"), INT32_MIN);
	assert_int_equal(proto_date_diff(NULL, "2024-01-01"), INT32_MIN);
}

/* ---- countries ---- */

static void test_country_is_three_upper_case_letters(void **state)
{
	(void)state;
	assert_int_equal(proto_country_check("GTM"), 0);
	assert_int_equal(proto_country_check("gtm"), TN_ERR_INVALID);
	assert_int_equal(proto_country_check("GT"), TN_ERR_INVALID);
	assert_int_equal(proto_country_check("GTMX"), TN_ERR_INVALID);
	assert_int_equal(proto_country_check("G1M"), TN_ERR_INVALID);
	assert_int_equal(proto_country_check("GT "), TN_ERR_INVALID);
	assert_int_equal(proto_country_check(""), TN_ERR_INVALID);
	assert_int_equal(proto_country_check("\xc3\x89TM"), TN_ERR_INVALID);
	assert_int_equal(proto_country_check(NULL), TN_ERR_INVALID);
}

/* ---- events ---- */

static void test_event_check_accepts_a_sale(void **state)
{
	struct tn_event e;
	char why[128] = "";

	(void)state;
	memset(&e, 0, sizeof e);
	SET(e.kind, "sold");
	SET(e.date, "2021-07-14");
	SET(e.party, "Armeria El Quetzal");
	assert_int_equal(proto_event_check(&e, why, sizeof why), 0);
}

static void test_event_check_requires_export_destination(void **state)
{
	struct tn_event e;
	char why[128] = "";

	(void)state;
	memset(&e, 0, sizeof e);
	SET(e.kind, "exported");
	SET(e.date, "2021-07-14");
	assert_int_equal(proto_event_check(&e, why, sizeof why), TN_ERR_INVALID);
	assert_non_null(strstr(why, "destination"));
	SET(e.country, "MEX");
	assert_int_equal(proto_event_check(&e, why, sizeof why), 0);
}

static void test_event_check_names_bad_kind_date_and_country(void **state)
{
	struct tn_event e;
	char why[128] = "";

	(void)state;
	memset(&e, 0, sizeof e);
	SET(e.kind, "found");
	SET(e.date, "2021-07-14");
	assert_int_equal(proto_event_check(&e, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "unknown kind 'found'");
	SET(e.kind, "sold");
	SET(e.date, "2021-7-14");
	assert_int_equal(proto_event_check(&e, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "bad date '2021-7-14'");
	SET(e.date, "2021-07-14");
	SET(e.country, "mx");
	assert_int_equal(proto_event_check(&e, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "bad country 'mx'");
}

static void test_event_check_rejects_unterminated_field(void **state)
{
	struct tn_event e;
	char why[128] = "";

	(void)state;
	memset(&e, 0, sizeof e);
	SET(e.kind, "sold");
	SET(e.date, "2021-07-14");
	memset(e.party, 'A', sizeof e.party);
	assert_int_equal(proto_event_check(&e, why, sizeof why), TN_ERR_INVALID);
}

/* ---- records ---- */

static void test_record_check_accepts_a_good_record(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_record_check(&r, why, sizeof why), 0);
	r.n_events = 0;
	r.events = NULL;
	r.country[0] = '\0';
	r.model[0] = r.caliber[0] = r.type[0] = '\0';
	assert_int_equal(proto_record_check(&r, why, sizeof why), 0);
}

static void test_record_check_names_the_bad_event(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	SET(events[1].date, "2023-02-30");
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "event 2: bad date '2023-02-30'");
	r = good_record();
	events[2].country[0] = '\0';
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "event 3: exported without destination country");
}

static void test_record_check_requires_make_and_serial(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	r.serial[0] = '\0';
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "serial is empty");
	SET(r.serial, " -./");
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_non_null(strstr(why, "serial"));
	r = good_record();
	r.make[0] = '\0';
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "make is empty");
	SET(r.make, "&&&");
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_non_null(strstr(why, "make"));
}

static void test_record_check_rejects_bad_country(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	SET(r.country, "at");
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "bad country 'at'");
}

static void test_record_check_limits_event_count(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	r.n_events = TN_EVENTS_MAX + 1;
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	r.n_events = 2;
	r.events = NULL;
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
}

static void test_reason_quotes_hostile_values_safely(void **state)
{
	struct tn_record r = good_record();
	char why[256] = "";

	(void)state;
	memset(r.country, 0, sizeof r.country);
	memcpy(r.country, "\n\x1b[", 3);
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "bad country '\?\?['");
	r = good_record();
	memset(events[0].kind, 'x', sizeof events[0].kind - 1);
	events[0].kind[sizeof events[0].kind - 1] = '\0';
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "event 1: unknown kind 'xxxxxxxxxxxxxxx'");
	/* A tiny or absent reason buffer is fine. */
	assert_int_equal(proto_record_check(&r, why, 4), TN_ERR_INVALID);
	assert_string_equal(why, "eve");
	assert_int_equal(proto_record_check(&r, NULL, 0), TN_ERR_INVALID);
}

static void test_record_check_rejects_unterminated_serial(void **state)
{
	struct tn_record r = good_record();
	char why[128] = "";

	(void)state;
	memset(r.serial, '7', sizeof r.serial);
	assert_int_equal(proto_record_check(&r, why, sizeof why), TN_ERR_INVALID);
	assert_int_equal(proto_record_check(NULL, why, sizeof why), TN_ERR_INVALID);
}

/* ---- lost/stolen reports ---- */

static void test_stolen_check_accepts_stolen_and_lost(void **state)
{
	struct tn_stolen s = good_stolen();
	char why[128] = "";

	(void)state;
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), 0);
	SET(s.kind, "lost");
	SET(s.status, "recovered");
	SET(s.recovered_on, "2024-01-02");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), 0);
	SET(s.status, "open");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), 0);
}

static void test_stolen_check_rejects_other_kinds(void **state)
{
	struct tn_stolen s = good_stolen();
	char why[128] = "";

	(void)state;
	SET(s.kind, "sold");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "kind 'sold' is neither stolen nor lost");
	s.kind[0] = '\0';
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
}

static void test_stolen_check_requires_date_make_and_serial(void **state)
{
	struct tn_stolen s = good_stolen();
	char why[128] = "";

	(void)state;
	s.date[0] = '\0';
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "date is missing (YYYY-MM-DD)");
	s = good_stolen();
	s.serial[0] = '\0';
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "serial is empty");
	s = good_stolen();
	SET(s.make, " ");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
}

static void test_stolen_check_rejects_bad_status_and_recovery_date(void **state)
{
	struct tn_stolen s = good_stolen();
	char why[128] = "";

	(void)state;
	SET(s.status, "closed");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "status 'closed' is neither open nor recovered");
	s = good_stolen();
	SET(s.recovered_on, "2024-02-30");
	assert_int_equal(proto_stolen_check(&s, why, sizeof why), TN_ERR_INVALID);
	assert_string_equal(why, "bad recovery date '2024-02-30'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_names_follow_enum_order),
		cmocka_unit_test(test_event_kind_rejects_unknown_names),
		cmocka_unit_test(test_date_accepts_real_days),
		cmocka_unit_test(test_date_rejects_feb_30),
		cmocka_unit_test(test_date_knows_leap_years),
		cmocka_unit_test(test_date_rejects_other_shapes),
		cmocka_unit_test(test_date_diff_counts_days),
		cmocka_unit_test(test_date_diff_of_bad_date_is_int32_min),
		cmocka_unit_test(test_country_is_three_upper_case_letters),
		cmocka_unit_test(test_event_check_accepts_a_sale),
		cmocka_unit_test(test_event_check_requires_export_destination),
		cmocka_unit_test(test_event_check_names_bad_kind_date_and_country),
		cmocka_unit_test(test_event_check_rejects_unterminated_field),
		cmocka_unit_test(test_record_check_accepts_a_good_record),
		cmocka_unit_test(test_record_check_names_the_bad_event),
		cmocka_unit_test(test_record_check_requires_make_and_serial),
		cmocka_unit_test(test_record_check_rejects_bad_country),
		cmocka_unit_test(test_record_check_limits_event_count),
		cmocka_unit_test(test_reason_quotes_hostile_values_safely),
		cmocka_unit_test(test_record_check_rejects_unterminated_serial),
		cmocka_unit_test(test_stolen_check_accepts_stolen_and_lost),
		cmocka_unit_test(test_stolen_check_rejects_other_kinds),
		cmocka_unit_test(test_stolen_check_requires_date_make_and_serial),
		cmocka_unit_test(test_stolen_check_rejects_bad_status_and_recovery_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
