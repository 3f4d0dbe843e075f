/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the CSV parser unit tests: a log of what the parser reported,
 * and checks that any chunking of the input gives the expected log. */
#ifndef TN_TESTS_CSV_LOG_H
#define TN_TESTS_CSV_LOG_H

#include <stddef.h>

#include "../../proto/proto.h"

struct log {
	char *s;
	size_t len, cap;
	int stop_at_row; /* return 1 from this row (1-based), 0 never */
	int stop_at_bad;
	int rows, bads;
};

/* Append n bytes of p to the log (kept NUL-terminated). */
void log_add(struct log *l, const char *p, size_t n);

/* proto_csv callbacks that log "R<line>:<field>...\n" and "B<line>:why\n". */
int on_row(void *arg, char **fields, int n, unsigned long line);
int on_bad(void *arg, unsigned long line, const char *why);

/* Parse in chunks of the given size (0: all at once) and return the log. */
char *parse_chunked(const char *in, size_t n, size_t chunk);

/* Parse whole, byte by byte and in odd chunks; all must agree with want. */
void expect_n(const char *in, size_t n, const char *want);
void expect(const char *in, const char *want);

#endif
