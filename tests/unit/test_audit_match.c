/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the audit filter (proto/audit_match.c): every filter given
 * must match, an empty one matches anything, the time range is half open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "../../proto/proto.h"

#define DAY 86400000ull
#define T0 1704067200000ull /* 2024-01-01T00:00:00Z */

static struct tn_audit entry(uint64_t ts, const char *user, const char *officer,
			     const char *case_ref, const char *peer)
{
	struct tn_audit a = { .seq = 1, .ts = ts, .dir = "local", .type = "record.add" };

	snprintf(a.user, sizeof(a.user), "%s", user);
	snprintf(a.officer, sizeof(a.officer), "%s", officer);
	snprintf(a.case_ref, sizeof(a.case_ref), "%s", case_ref);
	snprintf(a.peer, sizeof(a.peer), "%s", peer);
	return a;
}

static void test_an_empty_filter_matches_every_entry(void **state)
{
	struct tn_audit_arg f = { 0 };
	struct tn_audit a = entry(T0, "", "", "", ""), b = entry(T0, "ana", "O-1", "C-9", "MEX");

	(void)state;
	assert_true(proto_audit_match(&f, &a));
	assert_true(proto_audit_match(&f, &b));
}

static void test_each_text_filter_needs_an_exact_match(void **state)
{
	struct tn_audit a = entry(T0, "ana", "O-1", "C-9", "MEX");
	struct tn_audit_arg f = { 0 };

	(void)state;
	snprintf(f.user, sizeof(f.user), "ana");
	assert_true(proto_audit_match(&f, &a));
	snprintf(f.user, sizeof(f.user), "an");
	assert_false(proto_audit_match(&f, &a));
	snprintf(f.user, sizeof(f.user), "ANA");
	assert_false(proto_audit_match(&f, &a));
	f.user[0] = '\0';
	snprintf(f.officer, sizeof(f.officer), "O-1");
	assert_true(proto_audit_match(&f, &a));
	snprintf(f.case_ref, sizeof(f.case_ref), "C-8");
	assert_false(proto_audit_match(&f, &a));
	snprintf(f.case_ref, sizeof(f.case_ref), "C-9");
	snprintf(f.peer, sizeof(f.peer), "MEX");
	assert_true(proto_audit_match(&f, &a));
	snprintf(f.peer, sizeof(f.peer), "GTM");
	assert_false(proto_audit_match(&f, &a));
}

static void test_a_filter_never_matches_an_entry_without_that_field(void **state)
{
	struct tn_audit a = entry(T0, "", "", "", "");
	struct tn_audit_arg f = { .peer = "MEX" };

	(void)state;
	assert_false(proto_audit_match(&f, &a));
}

static void test_the_time_range_includes_since_and_excludes_until(void **state)
{
	struct tn_audit_arg f = { .since_ms = T0, .until_ms = T0 + DAY };
	struct tn_audit a;

	(void)state;
	a = entry(T0 - 1, "", "", "", "");
	assert_false(proto_audit_match(&f, &a));
	a.ts = T0;
	assert_true(proto_audit_match(&f, &a));
	a.ts = T0 + DAY - 1;
	assert_true(proto_audit_match(&f, &a));
	a.ts = T0 + DAY;
	assert_false(proto_audit_match(&f, &a));
	f.until_ms = 0;   /* no end */
	a.ts = UINT64_MAX;
	assert_true(proto_audit_match(&f, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_empty_filter_matches_every_entry),
		cmocka_unit_test(test_each_text_filter_needs_an_exact_match),
		cmocka_unit_test(test_a_filter_never_matches_an_entry_without_that_field),
		cmocka_unit_test(test_the_time_range_includes_since_and_excludes_until),
	};

	return cmocka_run_group_tests_name("audit_match", tests, NULL, NULL);
}
