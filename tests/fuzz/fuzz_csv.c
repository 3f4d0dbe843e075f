/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the streaming CSV parser, proto_record_from_csv and
 * proto_record_csv_encode (against it): chunk sizes come from the first
 * input bytes, and the rows seen must not depend on how the input was cut. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"

/* fuzz-needs: proto_csv_new proto_csv_feed proto_csv_finish proto_csv_free proto_record_from_csv proto_record_csv_encode */

#define HDR 4
#define STOP_RC 7

struct seen {
	uint64_t hash;
	unsigned long rows, bad, last_line;
	unsigned long stop_after; /* row callback returns STOP_RC at this row; 0 never */
	int records;              /* also run proto_record_from_csv on each row */
};

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
}

static void mix(uint64_t *h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001b3ull;
}

/* proto_record_csv_encode gives what from_csv, the string check and
 * proto_encode give together: the same bytes, or the same reason. */
static void check_direct(char **fields, int n, int rc, const char *why,
			 const struct proto_buf *via)
{
	struct proto_buf direct = { 0 };
	char why2[256] = "";
	int rc2 = proto_record_csv_encode(fields, n, &direct, why2, sizeof(why2));

	check(rc2 == rc, "direct CSV encode and from_csv disagree");
	check(!rc || !strcmp(why, why2), "direct CSV encode gives another reason");
	check(rc || (direct.len == via->len && !memcmp(direct.data, via->data, via->len)),
	      "direct CSV encode wrote other bytes");
	proto_buf_free(&direct);
}

static void check_record(char **fields, int n)
{
	struct tn_record r, back;
	struct proto_buf out = { 0 };
	char why[256];
	int rc;

	memset(&r, 0, sizeof(r));
	why[0] = '\0';
	if ((rc = proto_record_from_csv(&r, fields, n, why, sizeof(why))) ||
	    (rc = proto_check_strings(&proto_record_schema, &r, why, sizeof(why)))) {
		check(memchr(why, 0, sizeof(why)) != NULL, "why not terminated");
		check_direct(fields, n, rc, why, &out);
		proto_release(&proto_record_schema, &r);
		return;
	}
	(void)proto_record_check(&r, why, sizeof(why));
	check(proto_encode(&proto_record_schema, &r, &out) == 0, "encode");
	check_direct(fields, n, 0, why, &out);
	if (proto_decode(&proto_record_schema, out.data, out.len, &back, why, sizeof(why)) == 0) {
		check(!strcmp(r.serial, back.serial) && back.n_events == r.n_events,
		      "record from CSV does not round trip");
		proto_release(&proto_record_schema, &back);
	}
	proto_release(&proto_record_schema, &r);
	proto_buf_free(&out);
}

static int on_row(void *arg, char **fields, int n, unsigned long line)
{
	struct seen *s = arg;

	check(n >= 0 && n <= PROTO_CSV_MAX_FIELDS, "field count out of range");
	check(line >= 1 && line >= s->last_line, "line numbers go backwards");
	s->last_line = line;
	mix(&s->hash, "R", 1);
	mix(&s->hash, &n, sizeof(n));
	mix(&s->hash, &line, sizeof(line));
	for (int i = 0; i < n; i++) {
		size_t len;

		check(fields[i] != NULL, "NULL field");
		len = strlen(fields[i]);
		check(len <= PROTO_CSV_MAX_FIELD, "field longer than the maximum");
		mix(&s->hash, fields[i], len + 1);
	}
	if (s->records)
		check_record(fields, n);
	return ++s->rows == s->stop_after ? STOP_RC : 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	struct seen *s = arg;

	check(why != NULL && line >= 1 && line >= s->last_line, "bad row report");
	s->last_line = line;
	mix(&s->hash, "B", 1);
	mix(&s->hash, &line, sizeof(line));
	mix(&s->hash, why, strlen(why));
	s->bad++;
	return 0;
}

static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Parse data in chunks of 1..chunk_max bytes (all at once if 0). */
static int parse(const uint8_t *data, size_t size, size_t chunk_max, uint32_t x,
		 struct seen *s)
{
	struct proto_csv *c = proto_csv_new(on_row, on_bad, s);
	size_t off = 0, n;
	int rc = 0;

	check(c != NULL, "proto_csv_new");
	while (off < size && rc == 0) {
		n = chunk_max ? 1 + next_rand(&x) % chunk_max : size;
		if (n > size - off)
			n = size - off;
		rc = proto_csv_feed(c, (const char *)data + off, n);
		off += n;
	}
	if (rc == 0)
		rc = proto_csv_finish(c);
	proto_csv_free(c);
	return rc;
}

/* Input: chunk size selector, stop selector, 2 bytes of PRNG seed, CSV text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen whole = { .hash = 14695981039346656037ull }, cut;
	size_t chunk_max;
	uint32_t x;
	int rc_whole, rc_cut;

	if (size < HDR)
		return 0;
	chunk_max = (size_t)1 << (data[0] & 15);
	whole.stop_after = data[1] & 0x80 ? data[1] & 0x7f : 0;
	x = (uint32_t)data[2] << 8 | data[3] | 1u << 16;
	data += HDR;
	size -= HDR;
	cut = whole;
	cut.records = 1;
	rc_whole = parse(data, size, 0, x, &whole);
	rc_cut = parse(data, size, chunk_max, x, &cut);
	check(rc_whole == 0 || rc_whole == STOP_RC || rc_whole < 0, "odd return code");
	check(rc_whole == rc_cut, "return code depends on chunking");
	check(whole.rows == cut.rows && whole.bad == cut.bad && whole.hash == cut.hash,
	      "rows depend on chunking");
	if (rc_whole == STOP_RC)
		check(whole.rows == whole.stop_after, "stop not honoured");
	return 0;
}
