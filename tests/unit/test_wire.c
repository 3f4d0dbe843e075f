/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the registry of peer message types (proto/wire.c): every
 * row is complete, names are unique and found, and each signing rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

/* A zeroed message of any registered type. */
static const union {
	struct tn_ping ping;
	struct tn_stolen_query query;
	struct tn_stolen_result result;
	struct tn_trace_request request;
	struct tn_trace_ack trace_ack;
	struct tn_trace_result trace_result;
	struct tn_ack ack;
} empty;

/* wire_must_sign for the type called name, which must exist. */
static int must_sign(const char *name, const void *msg)
{
	int t = wire_type_of(name);

	assert_true(t >= 0);
	return wire_must_sign(t, msg);
}

static void test_every_type_has_a_name_and_a_schema(void **state)
{
	(void)state;
	for (int t = 0; t < WIRE_COUNT; t++) {
		assert_non_null(wire_types[t].name);
		assert_true(wire_types[t].name[0] != '\0');
		assert_non_null(wire_types[t].schema);
		assert_true(strlen(wire_types[t].name) < TN_KIND_LEN);
	}
}

static void test_type_names_are_unique(void **state)
{
	(void)state;
	for (int a = 0; a < WIRE_COUNT; a++)
		for (int b = a + 1; b < WIRE_COUNT; b++)
			assert_string_not_equal(wire_types[a].name, wire_types[b].name);
}

static void test_a_conditional_signing_rule_has_its_test(void **state)
{
	(void)state;
	for (int t = 0; t < WIRE_COUNT; t++)
		if (wire_types[t].sign == WIRE_SIGN_WHEN)
			assert_non_null(wire_types[t].weighty);
}

static void test_type_of_finds_every_name(void **state)
{
	(void)state;
	for (int t = 0; t < WIRE_COUNT; t++)
		assert_int_equal(wire_type_of(wire_types[t].name), t);
}

static void test_type_of_refuses_an_unknown_name(void **state)
{
	(void)state;
	assert_int_equal(wire_type_of("hello"), TN_ERR_UNSUPPORTED);
	assert_int_equal(wire_type_of("trace"), TN_ERR_UNSUPPORTED);
	assert_int_equal(wire_type_of("PING"), TN_ERR_UNSUPPORTED);
	assert_int_equal(wire_type_of(""), TN_ERR_UNSUPPORTED);
}

static void test_trace_request_and_trace_result_are_always_signed(void **state)
{
	(void)state;
	assert_int_equal(must_sign("trace_request", &empty), 1);
	assert_int_equal(must_sign("trace_result", &empty), 1);
}

static void test_pings_queries_and_acks_are_never_signed(void **state)
{
	static const char *const names[] = { "ping", "pong", "stolen_query", "trace_ack", "ack" };

	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_int_equal(must_sign(names[i], &empty), 0);
}

static void test_stolen_result_is_signed_only_with_a_hit(void **state)
{
	struct tn_stolen_answer answers[3];
	struct tn_stolen_result r = { .n = 3, .results = answers };

	(void)state;
	memset(answers, 0, sizeof answers);
	assert_int_equal(must_sign("stolen_result", &empty), 0);
	assert_int_equal(must_sign("stolen_result", &r), 0);
	answers[2].hit = true;
	assert_int_equal(must_sign("stolen_result", &r), 1);
	r.n = 2; /* the hit is past the count: not an answer */
	assert_int_equal(must_sign("stolen_result", &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type_has_a_name_and_a_schema),
		cmocka_unit_test(test_type_names_are_unique),
		cmocka_unit_test(test_a_conditional_signing_rule_has_its_test),
		cmocka_unit_test(test_type_of_finds_every_name),
		cmocka_unit_test(test_type_of_refuses_an_unknown_name),
		cmocka_unit_test(test_trace_request_and_trace_result_are_always_signed),
		cmocka_unit_test(test_pings_queries_and_acks_are_never_signed),
		cmocka_unit_test(test_stolen_result_is_signed_only_with_a_hit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
