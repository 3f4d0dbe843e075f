/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the streaming CSV parser (proto/csv.c) and of records read
 * from `record import` rows (proto/record_csv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../proto/proto.h"

/* ---- a log of what the parser reported ---- */

struct log {
	char *s;
	size_t len, cap;
	int stop_at_row; /* return 1 from this row (1-based), 0 never */
	int stop_at_bad;
	int rows, bads;
};

static void log_add(struct log *l, const char *p, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		l->cap = (l->len + n + 1) * 2;
		l->s = realloc(l->s, l->cap);
		assert_non_null(l->s);
	}
	memcpy(l->s + l->len, p, n);
	l->len += n;
	l->s[l->len] = '\0';
}

static void log_fmt(struct log *l, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	log_add(l, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static int on_row(void *arg, char **fields, int n, unsigned long line)
{
	struct log *l = arg;

	log_fmt(l, "R%lu:", line);
	for (int i = 0; i < n; i++) {
		log_add(l, "<", 1);
		log_add(l, fields[i], strlen(fields[i]));
		log_add(l, ">", 1);
	}
	log_add(l, "\n", 1);
	return ++l->rows == l->stop_at_row;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	struct log *l = arg;

	log_fmt(l, "B%lu:%s\n", line, why);
	return ++l->bads == l->stop_at_bad ? 2 : 0;
}

/* Parse in chunks of the given size (0: all at once) and return the log. */
static char *parse_chunked(const char *in, size_t n, size_t chunk)
{
	struct log l = { 0 };
	struct proto_csv *c = proto_csv_new(on_row, on_bad, &l);

	assert_non_null(c);
	log_add(&l, "", 0);
	if (!chunk)
		chunk = n ? n : 1;
	for (size_t off = 0; off < n; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;
		assert_int_equal(proto_csv_feed(c, in + off, k), 0);
	}
	assert_int_equal(proto_csv_finish(c), 0);
	proto_csv_free(c);
	return l.s;
}

/* Parse whole, byte by byte and in odd chunks; all must agree with want. */
static void expect_n(const char *in, size_t n, const char *want)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 1000 };

	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		char *got = parse_chunked(in, n, chunks[i]);

		if (strcmp(got, want))
			fail_msg("chunk %zu:\n--- got\n%s--- want\n%s", chunks[i], got, want);
		free(got);
	}
}

static void expect(const char *in, const char *want)
{
	expect_n(in, strlen(in), want);
}

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

/* ---- records from rows ---- */

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
		cmocka_unit_test(test_csv_bytewise_feed_matches_whole_feed),
		cmocka_unit_test(test_csv_random_garbage_parses_the_same_in_any_chunks),
		cmocka_unit_test(test_csv_row_callback_stops_the_parse),
		cmocka_unit_test(test_csv_bad_callback_stops_the_parse),
		cmocka_unit_test(test_csv_works_without_bad_callback),
		cmocka_unit_test(test_record_csv_columns_are_the_record_fields),
		cmocka_unit_test(test_record_from_csv_fills_fields_and_events),
		cmocka_unit_test(test_record_from_csv_ignores_trailing_empty_groups),
		cmocka_unit_test(test_record_from_csv_rejects_partial_group),
		cmocka_unit_test(test_record_from_csv_names_too_long_column),
		cmocka_unit_test(test_record_from_csv_leaves_meaning_to_record_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
