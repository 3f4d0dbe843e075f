/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming RFC 4180 CSV with physical line numbers, and the record
 * import format. */
#ifndef TN_CSV_H
#define TN_CSV_H

#include "record.h"

#define PROTO_CSV_MAX_FIELDS 128
#define PROTO_CSV_MAX_FIELD 1024

struct proto_csv;

/* Called once per row: fields, count, and the line the row started on.
 * A non-zero return stops the parse and is returned by proto_csv_feed. */
typedef int (*proto_csv_row_fn)(void *arg, char **fields, int n, unsigned long line);
/* Called for a row that cannot be parsed (too many or too long fields,
 * bad quoting); the parser skips to the next line. */
typedef int (*proto_csv_bad_fn)(void *arg, unsigned long line, const char *why);

/* New streaming parser. */
struct proto_csv *proto_csv_new(proto_csv_row_fn row, proto_csv_bad_fn bad, void *arg);
/* Parse the next chunk of input. */
int proto_csv_feed(struct proto_csv *c, const char *data, size_t n);
/* Flush the last row at end of input. */
int proto_csv_finish(struct proto_csv *c);
/* Free the parser. */
void proto_csv_free(struct proto_csv *c);

/* Column order of `record import` files. */
extern const char *const proto_record_csv_columns[];
/* Fill a record from one CSV row (columns as above; events in the later
 * columns). The record's events array is allocated; release with
 * proto_release(&proto_record_schema, r). */
int proto_record_from_csv(struct tn_record *r, char **fields, int n,
			  char *why, size_t why_len) TN_WUR;

/* The record one CSV row describes, appended to out exactly as proto_encode
 * would write it (id 0), without building the struct. Checks what
 * proto_record_from_csv checks, then UTF-8 as proto_check_strings does
 * (the same reasons), not the meaning: proto_record_check is the reader's. */
int proto_record_csv_encode(char **fields, int n, struct proto_buf *out, char *why,
			    size_t why_len) TN_WUR;

#endif
