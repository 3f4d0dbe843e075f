/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for serial matching: a peer's serial, make and model
 * (any bytes) against a record's, through match_query_init, match_score
 * and match_serial_kind, checking what the store relies on: the fold is
 * closed over its alphabet, an exact candidate has the query's serial, a
 * score stays within 0..100, a reason is terminated, and judging on the
 * index key agrees with judging the record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"
#include "../../proto/match.h"

/* fuzz-needs: match_query_init match_score match_serial_kind match_fold_serial */

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_match: %s\n", what);
		abort();
	}
}

static void check_fold(const char *s)
{
	char out[TN_SERIAL_LEN];
	int n = match_fold_serial(s, out, sizeof(out));

	if (n < 0)
		return;
	for (int i = 0; i < n; i++)
		check(strchr(MATCH_ALPHABET "?", out[i]) != NULL, "fold leaves its alphabet");
}

/* The record's serial as the index files it, folded. */
static int filed(const char *serial, char *fold)
{
	char norm[TN_SERIAL_LEN];
	int n = proto_norm_serial(serial, norm, sizeof(norm));

	return n > 0 ? match_fold_serial(norm, fold, TN_SERIAL_LEN) : -1;
}

static void check_pair(const char *qmake, const char *qserial, const char *qmodel,
		       const char *rserial, const char *rmodel, int fuzzy)
{
	struct match_fields f = { "Glock", rmodel, "9mm", "pistol", rserial, qmake };
	struct match_query q;
	struct match_cand c;
	char fold[TN_SERIAL_LEN], norm[TN_SERIAL_LEN];
	int n;

	if (match_query_init(&q, qmake, qserial, qmodel, "9mm", NULL, fuzzy))
		return;
	if (match_score(&q, &f, 7, &c))
		return;
	check(c.score >= 0 && c.score <= 100, "score out of range");
	check(memchr(c.reason, '\0', sizeof(c.reason)) != NULL, "reason not terminated");
	check(c.id == 7 && c.kind != MATCH_NONE, "candidate without id or kind");
	n = filed(rserial, fold);
	check(n > 0 && match_serial_kind(&q, fold, (size_t)n) != MATCH_NONE,
	      "the record matches but its key does not");
	if (c.exact)
		check(proto_norm_serial(rserial, norm, sizeof(norm)) > 0 && !strcmp(norm, q.serial),
		      "exact candidate with another serial");
	else
		check(c.score <= 99, "a candidate not exact scores 100");
}

/* Input: up to five strings split at '\n': query make, query serial,
 * query model, record serial, record model; the first byte's low bit
 * asks for fuzzy matching. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *s[5] = { "", "", "", "", "" };
	int fuzzy;

	if (size < 1)
		return 0;
	fuzzy = data[0] & 1;
	if (!(buf = malloc(size)))
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	s[0] = buf;
	for (int i = 1; i < 5; i++) {
		char *nl = strchr(s[i - 1], '\n');

		if (!nl)
			break;
		*nl = '\0';
		s[i] = nl + 1;
	}
	check_fold(s[1]);
	check_fold(s[3]);
	check_pair(s[0], s[1], s[2], s[3], s[4], fuzzy);
	check_pair("", s[1], "", s[3], s[4], 1);
	free(buf);
	return 0;
}
