/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming CSV parser (proto/csv.c) as a stream: any
 * chunking parses the same, and callbacks can stop the parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_log.h"

/* ---- streaming ---- */

static const char *const corpus[] = {
	"make,model,serial\r\nGlock,G19,\"ABC 123\"\r\n",
	"\xef\xbb\xbf\"a\"\"b\",\"c\nd\"\r\n\r\ne",
	"a,\"b\"c,d\ne,\"f\ng\nh\",i\n\"j",
	"\"\"\"\"\"\"\"\"\"\",,,\"\n\r\",\r\r\n\n,\n",
	"x,\"1\n2\",\"3\"\"\n4\"\n\"\"x\n\"open\nz\n",
	"\r\n\xef\xbb\xbf\"\"\"\n",
};

static void test_csv_bytewise_feed_matches_whole_feed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
		char *whole = parse_chunked(corpus[i], strlen(corpus[i]), 0);

		expect(corpus[i], whole);
		free(whole);
	}
}

static void test_csv_random_garbage_parses_the_same_in_any_chunks(void **state)
{
	static const char alphabet[] = "\",\r\na\0";
	char in[3000];
	uint32_t seed = 12345;

	(void)state;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(round * 13 % 2999) + 1;
		char *whole;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		whole = parse_chunked(in, n, 0);
		expect_n(in, n, whole);
		free(whole);
	}
}

static void test_csv_row_callback_stops_the_parse(void **state)
{
	struct log l = { .stop_at_row = 2 };
	struct proto_csv *c = proto_csv_new(on_row, on_bad, &l);
	const char *in = "a\nb\nc\n";

	(void)state;
	log_add(&l, "", 0);
	assert_int_equal(proto_csv_feed(c, in, strlen(in)), 1);
	assert_int_equal(proto_csv_feed(c, "d\n", 2), 1);
	assert_int_equal(proto_csv_finish(c), 1);
	assert_string_equal(l.s, "R1:<a>\nR2:<b>\n");
	proto_csv_free(c);
	free(l.s);
}

static void test_csv_bad_callback_stops_the_parse(void **state)
{
	struct log l = { .stop_at_bad = 1 };
	struct proto_csv *c = proto_csv_new(on_row, on_bad, &l);
	const char *in = "a\n\"b\"x\nc\n";

	(void)state;
	log_add(&l, "", 0);
	assert_int_equal(proto_csv_feed(c, in, strlen(in)), 2);
	assert_string_equal(l.s, "R1:<a>\nB2:text after the closing quote of field 1\n");
	proto_csv_free(c);
	free(l.s);
}

static void test_csv_works_without_bad_callback(void **state)
{
	struct log l = { 0 };
	struct proto_csv *c = proto_csv_new(on_row, NULL, &l);
	const char *in = "\"a\"b\nc\n\"d";

	(void)state;
	log_add(&l, "", 0);
	assert_int_equal(proto_csv_feed(c, in, strlen(in)), 0);
	assert_int_equal(proto_csv_finish(c), 0);
	assert_string_equal(l.s, "R2:<c>\n");
	proto_csv_free(c);
	free(l.s);
	proto_csv_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_bytewise_feed_matches_whole_feed),
		cmocka_unit_test(test_csv_random_garbage_parses_the_same_in_any_chunks),
		cmocka_unit_test(test_csv_row_callback_stops_the_parse),
		cmocka_unit_test(test_csv_bad_callback_stops_the_parse),
		cmocka_unit_test(test_csv_works_without_bad_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
