/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the CSV parser unit tests; see csv_log.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_log.h"

void log_add(struct log *l, const char *p, size_t n)
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

int on_row(void *arg, char **fields, int n, unsigned long line)
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

int on_bad(void *arg, unsigned long line, const char *why)
{
	struct log *l = arg;

	log_fmt(l, "B%lu:%s\n", line, why);
	return ++l->bads == l->stop_at_bad ? 2 : 0;
}

char *parse_chunked(const char *in, size_t n, size_t chunk)
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

void expect_n(const char *in, size_t n, const char *want)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 7, 64, 1000 };

	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		char *got = parse_chunked(in, n, chunks[i]);

		if (strcmp(got, want))
			fail_msg("chunk %zu:\n--- got\n%s--- want\n%s", chunks[i], got, want);
		free(got);
	}
}

void expect(const char *in, const char *want)
{
	expect_n(in, strlen(in), want);
}
