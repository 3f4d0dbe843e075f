/* SPDX-License-Identifier: Apache-2.0 */
/* Candidate search over a serial index: the keys that may be the serial
 * read off a gun (its folded form, each one-edit neighbour, each filling
 * of its unreadable characters) are looked up, judged on the key first,
 * and only then read and scored. */
#include <string.h>

#include "store_int.h"

struct walk;
/* Read object id and judge it against the query into c (match_score). */
typedef int (*judge_fn)(struct walk *w, uint64_t id, struct match_cand *c);

struct walk {
	struct store_txn *t;
	const struct match_query *q;
	judge_fn judge;
	MDB_cursor *cur;
	struct match_top top;
	uint32_t visits;
};

static int judge_record(struct walk *w, uint64_t id, struct match_cand *c)
{
	struct tn_record r;
	int rc = store_record_get(w->t, id, &r);

	if (rc)
		return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
	rc = match_score(w->q, &(struct match_fields){ r.make, r.model, r.caliber, r.type,
						       r.serial, r.importer }, id, c);
	proto_release(&proto_record_schema, &r);
	return rc;
}

static int judge_stolen(struct walk *w, uint64_t id, struct match_cand *c)
{
	struct tn_stolen s;
	int rc = store_stolen_get(w->t, id, &s);

	if (rc)
		return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
	if (strcmp(s.status, "open"))
		rc = TN_ERR_NOT_FOUND;
	else
		rc = match_score(w->q, &(struct match_fields){ s.make, s.model, s.caliber, NULL,
							       s.serial, NULL }, id, c);
	proto_release(&proto_stolen_schema, &s);
	return rc;
}

static int part_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(p, s, n);
}

/* Judge one index entry: on its key alone first, then on its object. */
static int consider(struct walk *w, const MDB_val *key, const MDB_val *val)
{
	const struct match_query *q = w->q;
	struct store__key_parts kp;
	struct match_cand c;
	int rc;

	if (val->mv_size != 8 || store__key_split(key, &kp))
		return TN_ERR_STORE;
	if (++w->visits > STORE_MATCH_VISITS)
		return TN_ERR_LIMIT;
	if (match_serial_kind(q, kp.fold, kp.flen) == MATCH_NONE)
		return 0;
	if (!q->fuzzy && (!part_is(kp.serial, kp.slen, q->serial) ||
			  (q->make[0] && !part_is(kp.make, kp.mlen, q->make))))
		return 0;
	rc = w->judge(w, store__be64_get(val->mv_data), &c);
	if (rc == TN_ERR_NOT_FOUND)
		return 0;
	if (!rc)
		match_top_add(&w->top, &c);
	return rc;
}

/* Consider every entry whose key starts with the n bytes of p. */
static int scan(struct walk *w, const char *p, size_t n)
{
	MDB_val k = { n, (void *)p }, v;
	int rc = mdb_cursor_get(w->cur, &k, &v, MDB_SET_RANGE), ret;

	for (; !rc; rc = mdb_cursor_get(w->cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < n || memcmp(k.mv_data, p, n))
			return 0;
		if ((ret = consider(w, &k, &v)))
			return ret;
	}
	return rc == MDB_NOTFOUND ? 0 : store__err(rc);
}

/* Every entry filed under folded serial f of length n (f[n] is 0x00). */
static int scan_serial(struct walk *w, const char *f, size_t n)
{
	return scan(w, f, n + 1);
}

/* One character of f replaced, two neighbours swapped, one dropped. */
static int same_length_and_shorter(struct walk *w, const char *f, size_t n)
{
	char v[TN_SERIAL_LEN + 1];
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		memcpy(v, f, n + 1);
		for (const char *a = MATCH_ALPHABET; *a && !rc; a++)
			if (*a != f[i] && (v[i] = *a, 1))
				rc = scan_serial(w, v, n);
		memcpy(v, f, n + 1);
		if (!rc && i + 1 < n && f[i] != f[i + 1]) {
			v[i] = f[i + 1];
			v[i + 1] = f[i];
			rc = scan_serial(w, v, n);
		}
		if (!rc && (!i || f[i] != f[i - 1])) {
			memcpy(v, f, i);
			memcpy(v + i, f + i + 1, n - i);
			rc = scan_serial(w, v, n - 1);
		}
	}
	return rc;
}

/* One character inserted anywhere in f. */
static int longer(struct walk *w, const char *f, size_t n)
{
	char v[TN_SERIAL_LEN + 2];
	int rc = 0;

	if (n + 2 > TN_SERIAL_LEN)
		return 0;
	for (size_t i = 0; i <= n && !rc; i++) {
		memcpy(v, f, i);
		memcpy(v + i + 1, f + i, n - i + 1);
		for (const char *a = MATCH_ALPHABET; *a && !rc; a++)
			if (!i || *a != f[i - 1])   /* after its twin: already tried */
				v[i] = *a, rc = scan_serial(w, v, n + 1);
	}
	return rc;
}

/* Every filling of the unreadable characters of f from position i on. */
static int fill(struct walk *w, char *f, size_t n, size_t i)
{
	int rc = 0;

	while (i < n && f[i] != MATCH_UNREAD_CHAR)
		i++;
	if (i == n)
		return scan_serial(w, f, n);
	for (const char *a = MATCH_ALPHABET; *a && !rc; a++) {
		f[i] = *a;
		rc = fill(w, f, n, i + 1);
	}
	f[i] = MATCH_UNREAD_CHAR;
	return rc;
}

/* Unreadable characters: each filling looked up when there are at most
 * two, else every serial that starts with what was read before them. */
static int unreadable(struct walk *w)
{
	char f[TN_SERIAL_LEN];
	size_t read = strcspn(w->q->fold, "?");

	memcpy(f, w->q->fold, sizeof(f));
	if (w->q->unreadable <= 2)
		return fill(w, f, w->q->len, 0);
	if (read < STORE_MATCH_PREFIX)
		return TN_ERR_LIMIT;
	return scan(w, f, read);
}

static int search(struct walk *w)
{
	const struct match_query *q = w->q;
	int rc;

	if (q->unreadable)
		return unreadable(w);
	if ((rc = scan_serial(w, q->fold, q->len)) || !q->fuzzy || q->len < MATCH_EDIT_MIN_LEN)
		return rc;
	if ((rc = same_length_and_shorter(w, q->fold, q->len)))
		return rc;
	return longer(w, q->fold, q->len);
}

static int match(struct store_txn *t, enum store__db idx, judge_fn judge,
		 const struct match_query *q, struct match_cand *out, uint32_t k)
{
	struct walk w = { .t = t, .q = q, .judge = judge,
			  .top = { out, 0, k < MATCH_K_MAX ? k : MATCH_K_MAX } };
	int rc;

	if (!q->len)
		return TN_ERR_INVALID;
	if ((rc = store__cursor(t, idx, &w.cur)))
		return rc;
	rc = search(&w);
	store__cursor_done(t, idx, w.cur);
	return rc ? rc : (int)w.top.n;
}

int store_record_match(struct store_txn *t, const struct match_query *q,
		       struct match_cand *out, uint32_t k)
{
	return match(t, STORE_DB_SERIAL_IDX, judge_record, q, out, k);
}

int store_stolen_match(struct store_txn *t, const struct match_query *q,
		       struct match_cand *out, uint32_t k)
{
	return match(t, STORE_DB_STOLEN_IDX, judge_stolen, q, out, k);
}
