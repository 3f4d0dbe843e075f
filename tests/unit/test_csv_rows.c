/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming CSV parser (proto/csv.c) on good input:
 * quoting, line ends, empty lines and fields, BOMs, physical line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_log.h"

/* ---- basics ---- */

static void test_csv_parses_simple_rows(void **state)
{
	(void)state;
	expect("a,b,c\n1,2,3\n", "R1:<a><b><c>\nR2:<1><2><3>\n");
	expect("", "");
	expect("x\n", "R1:<x>\n");
}

static void test_csv_handles_crlf_and_lf(void **state)
{
	(void)state;
	expect("a,b\r\nc,d\ne,f\r\n", "R1:<a><b>\nR2:<c><d>\nR3:<e><f>\n");
}

static void test_csv_lone_cr_ends_a_line(void **state)
{
	(void)state;
	expect("a\rb\r\rc", "R1:<a>\nR2:<b>\nR4:<c>\n");
}

static void test_csv_skips_empty_lines(void **state)
{
	(void)state;
	expect("\n\na\n\r\n\nb\n\n", "R3:<a>\nR6:<b>\n");
}

static void test_csv_keeps_empty_fields(void **state)
{
	(void)state;
	expect(",\na,,\n\"\"\n", "R1:<><>\nR2:<a><><>\nR3:<>\n");
	expect("a,b,", "R1:<a><b><>\n");
}

static void test_csv_unescapes_doubled_quotes(void **state)
{
	(void)state;
	expect("\"say \"\"hi\"\"\",\"\"\"\"\n", "R1:<say \"hi\"><\">\n");
	expect("\"a,b\",c\n", "R1:<a,b><c>\n");
}

static void test_csv_keeps_quote_inside_unquoted_field(void **state)
{
	(void)state;
	expect("Remington 870,18\" barrel,x\n", "R1:<Remington 870><18\" barrel><x>\n");
}

static void test_csv_flushes_final_row_without_newline(void **state)
{
	(void)state;
	expect("a,b\nc,\"d\"", "R1:<a><b>\nR2:<c><d>\n");
	expect("\"\"", "R1:<>\n");
}

static void test_csv_skips_utf8_bom_at_start_only(void **state)
{
	(void)state;
	expect("\xef\xbb\xbfmake,serial\n", "R1:<make><serial>\n");
	expect("a\n\xef\xbb\xbf" "b\n", "R1:<a>\nR2:<\xef\xbb\xbf" "b>\n");
	expect("\xef\xbb\xbf", "");
}

static void test_csv_partial_bom_is_data(void **state)
{
	(void)state;
	expect("\xef\xbbx\n", "R1:<\xef\xbbx>\n");
	expect("\xef", "R1:<\xef>\n");
	expect("\xef\xbb", "R1:<\xef\xbb>\n");
}

/* ---- physical lines ---- */

static void test_csv_reports_physical_line_of_multiline_row(void **state)
{
	(void)state;
	expect("a,\"1\n2\n3\",b\nc\n", "R1:<a><1\n2\n3><b>\nR4:<c>\n");
	expect("h\r\n\"x\r\ny\",z\r\nq\r\n", "R1:<h>\nR2:<x\r\ny><z>\nR4:<q>\n");
	expect("\n\"\n\n\"\n\nlast", "R2:<\n\n>\nR6:<last>\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_parses_simple_rows),
		cmocka_unit_test(test_csv_handles_crlf_and_lf),
		cmocka_unit_test(test_csv_lone_cr_ends_a_line),
		cmocka_unit_test(test_csv_skips_empty_lines),
		cmocka_unit_test(test_csv_keeps_empty_fields),
		cmocka_unit_test(test_csv_unescapes_doubled_quotes),
		cmocka_unit_test(test_csv_keeps_quote_inside_unquoted_field),
		cmocka_unit_test(test_csv_flushes_final_row_without_newline),
		cmocka_unit_test(test_csv_skips_utf8_bom_at_start_only),
		cmocka_unit_test(test_csv_partial_bom_is_data),
		cmocka_unit_test(test_csv_reports_physical_line_of_multiline_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
