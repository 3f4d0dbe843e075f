/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming CSV parser (proto/csv.c) on bad rows: each
 * is reported with its line and why, and parsing resumes after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_log.h"

/* ---- bad rows ---- */

static void test_csv_resumes_after_bad_quote(void **state)
{
	(void)state;
	expect("a,\"b\"c,d\ne,f\n",
	       "B1:text after the closing quote of field 2\nR2:<e><f>\n");
	expect("\"x\" ,y\nz\n",
	       "B1:text after the closing quote of field 1\nR2:<z>\n");
}

static void test_csv_resumes_after_unclosed_quote_at_line_after_row(void **state)
{
	(void)state;
	/* The quote on line 2 is never closed: report line 2, then read
	 * lines 3 and 4 as rows of their own. */
	expect("h\na,\"b,c\nd,e\nf,g\n",
	       "R1:<h>\nB2:end of input inside quoted field 2\nR3:<d><e>\nR4:<f><g>\n");
	/* Here the runaway quote closes on line 3 and text follows it. */
	expect("a,\"b\nc,\"d\",e\n",
	       "B1:text after the closing quote of field 2\nR2:<c><d><e>\n");
}

static void test_csv_reports_eof_inside_quotes(void **state)
{
	(void)state;
	expect("a\n\"open", "R1:<a>\nB2:end of input inside quoted field 1\n");
	expect("\"", "B1:end of input inside quoted field 1\n");
	expect("x,\"\n", "B1:end of input inside quoted field 2\n");
}

static void test_csv_recovers_from_several_runaway_quotes(void **state)
{
	(void)state;
	expect("\"a\n\"b\nc\n\"d\ne",
	       "B1:text after the closing quote of field 1\n"
	       "B2:text after the closing quote of field 1\n"
	       "R3:<c>\n"
	       "B4:end of input inside quoted field 1\n"
	       "R5:<e>\n");
}

static void test_csv_runaway_quote_stops_at_field_limit(void **state)
{
	size_t lines = 600, n = 0;
	char *in = malloc(lines * 4 + 16);
	char *want = malloc(lines * 16 + 128);
	size_t w = 0;

	(void)state;
	assert_non_null(in);
	assert_non_null(want);
	n += (size_t)sprintf(in + n, "\"x\n");
	for (size_t i = 0; i < lines; i++)
		n += (size_t)sprintf(in + n, "ab\n");
	/* Line 1 opens a quote that swallows "ab\n" lines until the field
	 * passes 1024 bytes; then line 2 on is read again as rows. */
	w += (size_t)sprintf(want + w, "B1:field 1 is longer than %d bytes (unclosed quote?)\n",
			     PROTO_CSV_MAX_FIELD);
	for (size_t i = 0; i < lines; i++)
		w += (size_t)sprintf(want + w, "R%zu:<ab>\n", i + 2);
	expect_n(in, n, want);
	free(in);
	free(want);
}

/* Lines of x"," keep a quoted field open from one line to the next and add a
 * field per line, so every row they start runs to the end of input. */
static char *flip_flop(size_t lines, const char *tail, size_t *n)
{
	char *in = malloc(lines * 6 + strlen(tail) + 1);

	assert_non_null(in);
	for (size_t i = 0; i < lines; i++)
		memcpy(in + 6 * i, "xx\",\"\n", 6);
	strcpy(in + 6 * lines, tail);
	*n = 6 * lines + strlen(tail);
	return in;
}

static void test_csv_quote_garbage_does_not_swallow_later_rows(void **state)
{
	char want[16384];
	size_t n, w = 0;
	char *in = flip_flop(200, "ok\nok\n", &n);

	(void)state;
	/* Rows 1-73 collect more than 128 fields; later ones reach the end of
	 * input first. Each is reported, then the good rows are read. */
	for (int i = 1; i <= 73; i++)
		w += (size_t)sprintf(want + w, "B%d:more than %d fields\n", i,
				     PROTO_CSV_MAX_FIELDS);
	for (int i = 74; i <= 200; i++)
		w += (size_t)sprintf(want + w, "B%d:end of input inside quoted field %d\n",
				     i, 202 - i);
	sprintf(want + w, "R201:<ok>\nR202:<ok>\n");
	expect_n(in, n, want);
	free(in);
}

static void test_csv_endless_rejected_row_is_cut_at_the_raw_limit(void **state)
{
	size_t n, raw = (size_t)PROTO_CSV_MAX_FIELDS * (2 * PROTO_CSV_MAX_FIELD + 3);
	char *in = flip_flop(60000, "ok\n", &n), *whole, want[128];

	(void)state;
	/* Row 1 is rejected, then followed until the bytes kept from its second
	 * line on fill the rewind buffer; parsing resumes after that line. The
	 * rows after it cost linear time, not quadratic. */
	whole = parse_chunked(in, n, 0);
	sprintf(want, "B1:more than %d fields\nB%zu:more than %d fields\n",
		PROTO_CSV_MAX_FIELDS, 2 + raw / 6 + 1, PROTO_CSV_MAX_FIELDS);
	assert_memory_equal(whole, want, strlen(want));
	expect_n(in, n, whole);
	free(whole);
	free(in);
}

static void test_csv_accepts_128_fields_and_rejects_129(void **state)
{
	char in[1024], want[2048];
	size_t n = 0, w = 0;

	(void)state;
	w += (size_t)sprintf(want, "R1:");
	for (int i = 0; i < PROTO_CSV_MAX_FIELDS; i++) {
		n += (size_t)sprintf(in + n, i ? ",%d" : "%d", i % 10);
		w += (size_t)sprintf(want + w, "<%d>", i % 10);
	}
	n += (size_t)sprintf(in + n, "\n");
	w += (size_t)sprintf(want + w, "\n");
	expect(in, want);
	in[n - 1] = ',';
	sprintf(in + n, "x\nok\n");
	sprintf(want, "B1:more than %d fields\nR2:<ok>\n", PROTO_CSV_MAX_FIELDS);
	expect(in, want);
}

static void test_csv_rejects_1000_fields(void **state)
{
	char in[4096], want[128];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(in + n, i ? ",\"%d\"" : "%d", i % 10);
	sprintf(in + n, "\r\nnext,row\r\n");
	sprintf(want, "B1:more than %d fields\nR2:<next><row>\n", PROTO_CSV_MAX_FIELDS);
	expect(in, want);
}

static void test_csv_rejected_row_with_quoted_newlines_is_skipped_whole(void **state)
{
	char in[4096], want[128];
	size_t n = 0;

	(void)state;
	/* Too many fields, some holding line breaks: the row ends where its
	 * quoting says, not at the first line break. */
	for (int i = 0; i < 200; i++)
		n += (size_t)sprintf(in + n, i % 50 ? "%d," : "\"%d\n\",", i);
	sprintf(in + n, "end\nnext\n");
	sprintf(want, "B1:more than %d fields\nR6:<next>\n", PROTO_CSV_MAX_FIELDS);
	expect(in, want);
}

static void test_csv_accepts_1024_byte_field_and_rejects_1025(void **state)
{
	static char in[4 * PROTO_CSV_MAX_FIELD], want[4 * PROTO_CSV_MAX_FIELD];
	size_t f = PROTO_CSV_MAX_FIELD;

	(void)state;
	memset(in, 'z', f);
	strcpy(in + f, "\n");
	strcpy(want, "R1:<");
	memset(want + 4, 'z', f);
	strcpy(want + 4 + f, ">\n");
	expect(in, want);
	memset(in, 'z', f + 1);
	strcpy(in + f + 1, ",b\nc\n");
	sprintf(want, "B1:field 1 is longer than %d bytes\nR2:<c>\n", PROTO_CSV_MAX_FIELD);
	expect(in, want);
	/* Quoted, with escaped quotes: the limit counts unescaped bytes. */
	in[0] = '"';
	for (size_t i = 0; i < f; i++)
		memcpy(in + 1 + 2 * i, "\"\"", 2);
	strcpy(in + 1 + 2 * f, "\"\n");
	strcpy(want, "R1:<");
	memset(want + 4, '"', f);
	strcpy(want + 4 + f, ">\n");
	expect(in, want);
}

static void test_csv_very_long_field_is_rejected_and_parsing_resumes(void **state)
{
	size_t big = 1 << 20;
	char *in = malloc(big + 32);
	char want[128];

	(void)state;
	assert_non_null(in);
	memset(in, 'q', big);
	strcpy(in + big, "\nnext\n");
	sprintf(want, "B1:field 1 is longer than %d bytes\nR2:<next>\n", PROTO_CSV_MAX_FIELD);
	expect_n(in, strlen(in), want);
	in[0] = '"';
	sprintf(want, "B1:field 1 is longer than %d bytes (unclosed quote?)\nR2:<next>\n",
		PROTO_CSV_MAX_FIELD);
	expect_n(in, strlen(in), want);
	free(in);
}

static void test_csv_rejects_nul_bytes(void **state)
{
	static const char in[] = "a,b\0c\n\"\0\"\nok\n";

	(void)state;
	expect_n(in, sizeof in - 1,
		 "B1:NUL byte in field 2\nB2:NUL byte in field 1\nR3:<ok>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_resumes_after_bad_quote),
		cmocka_unit_test(test_csv_resumes_after_unclosed_quote_at_line_after_row),
		cmocka_unit_test(test_csv_reports_eof_inside_quotes),
		cmocka_unit_test(test_csv_recovers_from_several_runaway_quotes),
		cmocka_unit_test(test_csv_runaway_quote_stops_at_field_limit),
		cmocka_unit_test(test_csv_quote_garbage_does_not_swallow_later_rows),
		cmocka_unit_test(test_csv_endless_rejected_row_is_cut_at_the_raw_limit),
		cmocka_unit_test(test_csv_accepts_128_fields_and_rejects_129),
		cmocka_unit_test(test_csv_rejects_1000_fields),
		cmocka_unit_test(test_csv_rejected_row_with_quoted_newlines_is_skipped_whole),
		cmocka_unit_test(test_csv_accepts_1024_byte_field_and_rejects_1025),
		cmocka_unit_test(test_csv_very_long_field_is_rejected_and_parsing_resumes),
		cmocka_unit_test(test_csv_rejects_nul_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
