/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the audit chain (store/audit.c) on a real store with the
 * real hash: round trips, and tampering of every kind found by verify. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../crypto/cx.h"
#include "../../store/store_int.h"
#include "tmpdir.h"

struct fix {
	char *dir;
	struct store *s;
	int next;          /* number of the next entry append() writes */
};

/* ---- helpers ---- */

static void hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->dir = tmpdir_new("test_audit"));
	f->next = 1;
	assert_int_equal(store_open(&f->s, f->dir, 0, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	store_close(f->s);
	tmpdir_rm(f->dir);
	free(f);
	return 0;
}

/* n entries per write, numbered from first; an op may run twice (a batch
 * with a failing op runs again), so it changes nothing but the store. */
struct appends {
	int n;
	int first;
};

static int op_append(struct store_txn *t, void *arg)
{
	const struct appends *ap = arg;
	int rc = 0;

	for (int k = ap->first; k < ap->first + ap->n && !rc; k++) {
		struct tn_audit a = { .ts = 1700000000000ull + (uint64_t)k };

		snprintf(a.peer, sizeof(a.peer), "%s", k % 2 ? "GTM" : "");
		snprintf(a.dir, sizeof(a.dir), "%s", k % 2 ? "in" : "local");
		snprintf(a.type, sizeof(a.type), "stolen_query");
		snprintf(a.ref, sizeof(a.ref), "q%d", k);
		snprintf(a.outcome, sizeof(a.outcome), "%s", k % 3 ? "no_hit" : "hit");
		snprintf(a.detail, sizeof(a.detail), "purpose: case %d", k);
		rc = store_audit_append(t, &a, hash);
	}
	return rc;
}

static int op_append_then_fail(struct store_txn *t, void *arg)
{
	int rc = op_append(t, arg);

	return rc ? rc : TN_ERR_INVALID;
}

static void append(struct fix *f, int n)
{
	struct appends ap = { n, f->next };

	assert_int_equal(store_write(f->s, op_append, &ap), 0);
	f->next += n;
}

static void verify(struct fix *f, struct tn_audit_verify *v)
{
	struct store_txn *t;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_verify(t, hash, v), 0);
	store_read_end(t);
}

static void assert_broken(struct fix *f, uint64_t first_bad, const char *why)
{
	struct tn_audit_verify v;

	verify(f, &v);
	if (!strstr(v.error, why))
		fail_msg("error '%s' does not say '%s'", v.error, why);
	assert_int_equal(v.first_bad, first_bad);
}

static int copy_first(void *arg, const struct tn_audit *a)
{
	*(struct tn_audit *)arg = *a;
	return 1;
}

static void get(struct fix *f, uint64_t seq, struct tn_audit *a)
{
	struct store_txn *t;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_each(t, seq, copy_first, a), 1);
	store_read_end(t);
	assert_int_equal(a->seq, seq);
}

/* Raw access to the audit database, as someone with the file would have. */
struct raw {
	enum store__db db;
	MDB_val k, v;
	int del;
};

static int op_raw(struct store_txn *t, void *arg)
{
	struct raw *r = arg;

	if (r->del)
		return store__err(mdb_del(t->txn, t->s->dbi[r->db], &r->k, NULL));
	return store__put(t, r->db, &r->k, &r->v, 0);
}

static void raw_put(struct fix *f, uint64_t seq, const void *p, size_t n)
{
	uint8_t kb[8];
	struct raw r = { STORE_DB_AUDIT, { 8, kb }, { n, (void *)p }, 0 };

	store__be64_put(kb, seq);
	assert_int_equal(store_write(f->s, op_raw, &r), 0);
}

static void raw_del(struct fix *f, uint64_t seq)
{
	uint8_t kb[8];
	struct raw r = { STORE_DB_AUDIT, { 8, kb }, { 0, NULL }, 1 };

	store__be64_put(kb, seq);
	assert_int_equal(store_write(f->s, op_raw, &r), 0);
}

/* Store entry a under key seq, as it is (its hash is not recomputed). */
static void put(struct fix *f, uint64_t seq, const struct tn_audit *a)
{
	struct proto_buf b = { 0 };

	assert_int_equal(proto_encode(&proto_audit_schema, a, &b), 0);
	raw_put(f, seq, b.data, b.len);
	proto_buf_free(&b);
}

/* What an editor who knows the scheme would write: a fresh hash. */
static void rehash(struct tn_audit *a)
{
	struct proto_buf b = { 0 };

	assert_int_equal(proto_buf_add(&b, a->prev, TN_HASH_LEN), 0);
	assert_int_equal(proto_encode(&proto_audit_body_schema, a, &b), 0);
	hash(b.data, b.len, a->hash);
	proto_buf_free(&b);
}

/* ---- tests ---- */

static void test_append_links_entries_and_each_returns_them(void **state)
{
	struct fix *f = *state;
	struct tn_audit a1, a2, a3, want;
	static const uint8_t zero[TN_HASH_LEN];

	append(f, 3);
	get(f, 1, &a1);
	get(f, 2, &a2);
	get(f, 3, &a3);
	assert_memory_equal(a1.prev, zero, TN_HASH_LEN);
	assert_memory_equal(a2.prev, a1.hash, TN_HASH_LEN);
	assert_memory_equal(a3.prev, a2.hash, TN_HASH_LEN);
	assert_memory_not_equal(a1.hash, a2.hash, TN_HASH_LEN);
	assert_string_equal(a2.dir, "local");
	assert_string_equal(a3.peer, "GTM");
	assert_string_equal(a3.outcome, "hit");
	assert_string_equal(a3.detail, "purpose: case 3");
	want = a2;
	rehash(&want);
	assert_memory_equal(want.hash, a2.hash, TN_HASH_LEN);
}

static int count_seq(void *arg, const struct tn_audit *a)
{
	uint64_t *next = arg;

	assert_int_equal(a->seq, *next);
	(*next)++;
	return 0;
}

static int op_append_full(struct store_txn *t, void *arg)
{
	struct tn_audit a = { .ts = 1700000000000ull };

	(void)arg;
	snprintf(a.peer, sizeof(a.peer), "MEX");
	snprintf(a.dir, sizeof(a.dir), "out");
	snprintf(a.type, sizeof(a.type), "trace_request");
	snprintf(a.ref, sizeof(a.ref), "C-1");
	snprintf(a.outcome, sizeof(a.outcome), "queued");
	snprintf(a.detail, sizeof(a.detail), "crime 0900");
	snprintf(a.user, sizeof(a.user), "alice");
	snprintf(a.uid, sizeof(a.uid), "1001");
	snprintf(a.officer, sizeof(a.officer), "Ofc. Ruiz");
	snprintf(a.ordered_by, sizeof(a.ordered_by), "Judge Paz");
	snprintf(a.case_ref, sizeof(a.case_ref), "C-1");
	return store_audit_append(t, &a, hash);
}

/* The stored value of an entry, with every field or with few, is the
 * encoding of the whole entry, byte for byte (it is written from the
 * hashed body with the hash added). */
static void test_stored_entry_is_the_encoding_of_the_entry(void **state)
{
	struct fix *f = *state;
	struct proto_buf b = { 0 };
	struct store_txn *t;
	struct tn_audit a;
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v;

	append(f, 1);
	assert_int_equal(store_write(f->s, op_append_full, NULL), 0);
	for (uint64_t seq = 1; seq <= 2; seq++) {
		get(f, seq, &a);
		assert_int_equal(proto_encode(&proto_audit_schema, &a, &b), 0);
		store__be64_put(kb, seq);
		assert_int_equal(store_read_begin(f->s, &t), 0);
		assert_int_equal(store__get(t, STORE_DB_AUDIT, &k, &v), 0);
		assert_int_equal(v.mv_size, b.len);
		assert_memory_equal(v.mv_data, b.data, b.len);
		store_read_end(t);
		b.len = 0;
	}
	assert_string_equal(a.ordered_by, "Judge Paz");
	proto_buf_free(&b);
}

static void test_each_starts_at_from_seq(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	uint64_t next = 4;

	append(f, 10);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_each(t, 4, count_seq, &next), 7);
	assert_int_equal(next, 11);
	next = 1;
	assert_int_equal(store_audit_each(t, 0, count_seq, &next), 10);
	assert_int_equal(store_audit_each(t, 11, count_seq, &next), 0);
	store_read_end(t);
}

static void test_empty_log_is_intact(void **state)
{
	struct fix *f = *state;
	struct tn_audit_verify v;

	verify(f, &v);
	assert_int_equal(v.entries, 0);
	assert_int_equal(v.first_bad, 0);
}

static void test_chain_is_intact_after_many_appends_and_reopen(void **state)
{
	struct fix *f = *state;
	struct tn_audit_verify v;

	for (int i = 0; i < 50; i++)
		append(f, 20);
	verify(f, &v);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(v.entries, 1000);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->dir, 0, 0), 0);
	verify(f, &v);
	assert_int_equal(v.first_bad, 0);
	append(f, 5);
	verify(f, &v);
	assert_string_equal(v.error, "");
	assert_int_equal(v.entries, 1005);
}

static void test_append_of_a_failing_op_is_rolled_back_alone(void **state)
{
	struct fix *f = *state;
	struct tn_audit_verify v;
	struct tn_audit a;
	struct appends ap[3] = { { 1, 100 }, { 2, 200 }, { 1, 300 } };
	struct store_op ops[3] = { { op_append, &ap[0] }, { op_append_then_fail, &ap[1] },
				   { op_append, &ap[2] } };

	append(f, 2);
	assert_int_equal(store_apply(f->s, ops, 3), 0);
	assert_int_equal(ops[1].rc, TN_ERR_INVALID);
	verify(f, &v);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(v.entries, 4);
	get(f, 3, &a);
	assert_string_equal(a.ref, "q100");
	get(f, 4, &a);
	assert_string_equal(a.ref, "q300");
}

struct head_seen {
	struct appends ap;
	uint64_t seq;
	uint8_t hash[TN_HASH_LEN];
};

static int op_append_then_head(struct store_txn *t, void *arg)
{
	struct head_seen *h = arg;
	int rc = op_append(t, &h->ap);

	return rc ? rc : store_audit_head(t, &h->seq, h->hash);
}

/* The head is put once per batch: an op of the batch reads it as the ops
 * before it left it, and a reader after the commit reads the same. */
static void test_head_within_a_batch_is_the_last_entry(void **state)
{
	struct fix *f = *state;
	struct head_seen h[2] = { { { 2, 100 }, 0, { 0 } }, { { 3, 200 }, 0, { 0 } } };
	struct store_op ops[2] = { { op_append_then_head, &h[0] }, { op_append_then_head, &h[1] } };
	struct store_txn *t;
	struct tn_audit a;
	uint8_t hash[TN_HASH_LEN];
	uint64_t seq;

	append(f, 1);
	assert_int_equal(store_apply(f->s, ops, 2), 0);
	assert_int_equal(h[0].seq, 3);
	assert_int_equal(h[1].seq, 6);
	get(f, 6, &a);
	assert_memory_equal(h[1].hash, a.hash, TN_HASH_LEN);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_head(t, &seq, hash), 0);
	store_read_end(t);
	assert_int_equal(seq, 6);
	assert_memory_equal(hash, a.hash, TN_HASH_LEN);
}

static void test_edited_outcome_is_a_hash_mismatch(void **state)
{
	struct fix *f = *state;
	struct tn_audit a;

	append(f, 10);
	get(f, 7, &a);
	assert_string_equal(a.outcome, "no_hit");
	strcpy(a.outcome, "hit");
	put(f, 7, &a);
	assert_broken(f, 7, "entry 7: hash mismatch (edited)");
}

static void test_edited_and_rehashed_entry_breaks_the_next_link(void **state)
{
	struct fix *f = *state;
	struct tn_audit a;

	append(f, 10);
	get(f, 4, &a);
	strcpy(a.detail, "nothing to see");
	rehash(&a);
	put(f, 4, &a);
	assert_broken(f, 5, "entry 5: link to the previous entry broken");
}

static void test_rewritten_last_entry_no_longer_matches_the_head(void **state)
{
	struct fix *f = *state;
	struct tn_audit a;

	append(f, 10);
	get(f, 10, &a);
	strcpy(a.outcome, "declined");
	rehash(&a);
	put(f, 10, &a);
	assert_broken(f, 11, "head does not match entry 10");
}

static void test_deleted_entry_is_missing(void **state)
{
	struct fix *f = *state;

	append(f, 12);
	raw_del(f, 7);
	assert_broken(f, 7, "entry 7 missing");
}

static void test_deleted_last_entry_is_truncation(void **state)
{
	struct fix *f = *state;

	append(f, 12);
	raw_del(f, 12);
	assert_broken(f, 12, "head says 12 entries, found 11");
	raw_del(f, 11);
	assert_broken(f, 11, "head says 12 entries, found 10");
}

static void test_swapped_entries_are_out_of_place(void **state)
{
	struct fix *f = *state;
	struct tn_audit a3, a4;

	append(f, 6);
	get(f, 3, &a3);
	get(f, 4, &a4);
	put(f, 3, &a4);
	put(f, 4, &a3);
	assert_broken(f, 3, "entry 3: holds entry 4 (moved)");
	/* Renumbering them as well still breaks the hashes. */
	a4.seq = 3;
	a3.seq = 4;
	put(f, 3, &a4);
	put(f, 4, &a3);
	assert_broken(f, 3, "entry 3: link to the previous entry broken");
}

static void test_undecodable_value_is_a_bad_entry(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_audit a;
	uint64_t next = 1;
	static const uint8_t junk[] = { 0x93, 0x01, 0xc1, 0xff };
	struct proto_buf b = { 0 };

	append(f, 8);
	raw_put(f, 5, junk, sizeof(junk));
	assert_broken(f, 5, "entry 5: does not decode");
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_each(t, 1, count_seq, &next), TN_ERR_STORE);
	store_read_end(t);
	/* A well-formed entry without its hash is as bad. */
	get(f, 6, &a);
	assert_int_equal(proto_encode(&proto_audit_body_schema, &a, &b), 0);
	raw_put(f, 5, b.data, b.len);
	proto_buf_free(&b);
	assert_broken(f, 5, "entry 5: does not decode");
	raw_put(f, 5, "", 0);
	assert_broken(f, 5, "entry 5: does not decode");
}

static void test_missing_head_is_found_and_append_refuses_to_overwrite(void **state)
{
	struct fix *f = *state;
	struct raw r = { STORE_DB_META, { strlen("store:audit:head"), "store:audit:head" },
			 { 0, NULL }, 1 };
	struct tn_audit a;

	append(f, 3);
	get(f, 1, &a);
	assert_int_equal(store_write(f->s, op_raw, &r), 0);
	assert_broken(f, 4, "head missing, found 3 entries");
	assert_int_not_equal(store_write(f->s, op_append, &(struct appends){ 1, 50 }), 0);
	get(f, 1, &a);
	assert_string_equal(a.ref, "q1");
}

static int op_meta_head(struct store_txn *t, void *arg)
{
	(void)arg;
	return store_meta_put(t, "store:audit:head", "x", 1);
}

static void test_head_is_a_reserved_meta_key(void **state)
{
	struct fix *f = *state;
	struct tn_audit_verify v;

	append(f, 1);
	assert_int_equal(store_write(f->s, op_meta_head, NULL), TN_ERR_INVALID);
	verify(f, &v);
	assert_int_equal(v.first_bad, 0);
}

/* ---- retention: cutting the front, verifying from the anchor ---- */

#define TS(k) (1700000000000ull + (uint64_t)(k))   /* entry k's time */

/* A cut as the node makes it: the entries go, the anchor is left. */
struct cut {
	uint64_t before_ms;
	uint32_t max;
	struct store_audit_cut out;
};

static int op_cut(struct store_txn *t, void *arg)
{
	struct cut *c = arg;
	struct tn_audit_anchor an = { .cut_ms = c->before_ms, .made_ms = TS(1000) };
	int rc = store_audit_cut(t, hash, c->before_ms, c->max, &c->out);

	if (rc || !c->out.deleted)
		return rc;
	an.seq = c->out.first_kept;
	memcpy(an.prev, c->out.prev, TN_HASH_LEN);
	return store_audit_anchor_put(t, &an);
}

static void cut(struct fix *f, uint64_t before_ms, uint32_t max, struct store_audit_cut *out)
{
	struct cut c = { before_ms, max };

	assert_int_equal(store_write(f->s, op_cut, &c), 0);
	*out = c.out;
}

static void assert_intact(struct fix *f, uint64_t from_seq, uint64_t entries)
{
	struct tn_audit_verify v;

	verify(f, &v);
	assert_string_equal(v.error, "");
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(v.from_seq, from_seq);
	assert_int_equal(v.entries, entries);
}

static void get_anchor(struct fix *f, struct tn_audit_anchor *an)
{
	struct store_txn *t;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_anchor_get(t, an), 0);
	store_read_end(t);
}

static void test_uncut_log_verifies_from_entry_one(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_audit_anchor an;

	append(f, 4);
	assert_intact(f, 1, 4);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_anchor_get(t, &an), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

static void test_cut_deletes_old_entries_from_the_front(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct tn_audit a4, a5;
	struct tn_audit_anchor an;
	uint64_t next = 5;
	struct store_txn *t;

	append(f, 10);
	get(f, 4, &a4);
	get(f, 5, &a5);
	cut(f, TS(5), 100, &out);
	assert_int_equal(out.deleted, 4);
	assert_int_equal(out.first_kept, 5);
	assert_int_equal(out.check.first_bad, 0);
	assert_memory_equal(out.prev, a4.hash, TN_HASH_LEN);
	assert_memory_equal(out.prev, a5.prev, TN_HASH_LEN);
	get_anchor(f, &an);
	assert_int_equal(an.seq, 5);
	assert_int_equal(an.cut_ms, TS(5));
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_each(t, 0, count_seq, &next), 6);
	store_read_end(t);
	assert_intact(f, 5, 6);
	/* Nothing else is that old: a second cut deletes nothing. */
	cut(f, TS(5), 100, &out);
	assert_int_equal(out.deleted, 0);
	assert_int_equal(out.first_kept, 5);
}

static void test_cut_stops_after_max_entries_and_goes_on_next_time(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;

	append(f, 10);
	cut(f, TS(9), 3, &out);
	assert_int_equal(out.deleted, 3);
	assert_int_equal(out.first_kept, 4);
	assert_intact(f, 4, 7);
	cut(f, TS(9), 3, &out);
	assert_int_equal(out.deleted, 3);
	assert_int_equal(out.first_kept, 7);
	cut(f, TS(9), 3, &out);
	assert_int_equal(out.deleted, 2);
	assert_int_equal(out.first_kept, 9);
	assert_intact(f, 9, 2);
}

static int op_cut_then_fail(struct store_txn *t, void *arg)
{
	int rc = op_cut(t, arg);

	return rc ? rc : TN_ERR_INVALID;
}

/* The batch runs again, nested, when another op fails: same cut. */
static void test_cut_gives_the_same_result_when_its_batch_runs_again(void **state)
{
	struct fix *f = *state;
	struct cut c = { TS(4), 100 };
	struct store_op ops[2] = { { op_cut, &c },
				   { op_append_then_fail, &(struct appends){ 1, 50 } } };

	append(f, 6);
	assert_int_equal(store_apply(f->s, ops, 2), 0);
	assert_int_equal(ops[0].rc, 0);
	assert_int_equal(ops[1].rc, TN_ERR_INVALID);
	assert_int_equal(c.out.deleted, 3);
	assert_int_equal(c.out.first_kept, 4);
	assert_intact(f, 4, 3);
}

static void test_cut_of_a_failing_op_deletes_nothing(void **state)
{
	struct fix *f = *state;
	struct cut c = { TS(4), 100 };
	struct store_txn *t;
	struct tn_audit_anchor an;

	append(f, 6);
	assert_int_equal(store_write(f->s, op_cut_then_fail, &c), TN_ERR_INVALID);
	assert_intact(f, 1, 6);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_anchor_get(t, &an), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

static void test_entry_below_the_anchor_fails_verify(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct tn_audit a3;

	append(f, 8);
	get(f, 3, &a3);
	cut(f, TS(4), 100, &out);
	assert_intact(f, 4, 5);
	put(f, 3, &a3);
	assert_broken(f, 3, "entry 3: before the anchor (the log starts at entry 4)");
}

static void test_missing_first_kept_entry_fails_verify(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;

	append(f, 8);
	cut(f, TS(4), 100, &out);
	raw_del(f, 4);
	assert_broken(f, 4, "entry 4 missing");
}

static int op_anchor(struct store_txn *t, void *arg)
{
	return store_audit_anchor_put(t, arg);
}

static void test_anchor_that_does_not_match_the_first_entry_fails(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct tn_audit_anchor an;

	append(f, 8);
	cut(f, TS(4), 100, &out);
	get_anchor(f, &an);
	an.prev[0] ^= 1;
	assert_int_equal(store_write(f->s, op_anchor, &an), 0);
	assert_broken(f, 4, "entry 4: does not link to the anchor");
	an.prev[0] ^= 1;
	an.seq = 6;   /* claims that more was cut */
	assert_int_equal(store_write(f->s, op_anchor, &an), 0);
	assert_broken(f, 4, "entry 4: before the anchor (the log starts at entry 6)");
}

static void test_missing_anchor_after_a_cut_fails(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct raw r = { STORE_DB_META, { strlen("store:audit:anchor"), "store:audit:anchor" },
			 { 0, NULL }, 1 };

	append(f, 8);
	cut(f, TS(4), 100, &out);
	assert_int_equal(store_write(f->s, op_raw, &r), 0);
	assert_broken(f, 1, "entry 1 missing");
	r.del = 0;
	r.v = (MDB_val){ 3, "bad" };
	assert_int_equal(store_write(f->s, op_raw, &r), 0);
	assert_broken(f, 1, "anchor damaged");
}

static void test_cut_of_everything_then_append_links_to_the_anchor(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct tn_audit a6, a7;
	struct tn_audit_anchor an;

	append(f, 6);
	get(f, 6, &a6);
	cut(f, UINT64_MAX, 100, &out);
	assert_int_equal(out.deleted, 6);
	assert_int_equal(out.first_kept, 7);
	assert_memory_equal(out.prev, a6.hash, TN_HASH_LEN);
	assert_intact(f, 7, 0);
	append(f, 2);
	get(f, 7, &a7);
	get_anchor(f, &an);
	assert_memory_equal(a7.prev, an.prev, TN_HASH_LEN);
	assert_intact(f, 7, 2);
	/* The head must still end where the anchor starts. */
	raw_del(f, 8);
	assert_broken(f, 8, "head says the log ends at entry 8, found 7");
}

static void test_cut_stops_at_a_broken_entry_and_keeps_it(void **state)
{
	struct fix *f = *state;
	struct store_audit_cut out;
	struct tn_audit a;

	append(f, 10);
	get(f, 4, &a);
	strcpy(a.outcome, "hit");
	put(f, 4, &a);
	cut(f, TS(8), 100, &out);
	assert_int_equal(out.deleted, 3);
	assert_int_equal(out.first_kept, 4);
	assert_int_equal(out.check.first_bad, 4);
	assert_string_equal(out.check.error, "entry 4: hash mismatch (edited)");
	assert_broken(f, 4, "entry 4: hash mismatch (edited)");
	/* A gap is as bad: nothing past it goes. */
	raw_del(f, 4);
	cut(f, TS(8), 100, &out);
	assert_int_equal(out.deleted, 0);
	assert_int_equal(out.check.first_bad, 4);
	assert_string_equal(out.check.error, "entry 4 missing");
}

/* ---- the Merkle tree over the entries ---- */

static int op_extend(struct store_txn *t, void *arg)
{
	uint8_t last[32];
	uint64_t head;
	int rc = store_audit_head(t, &head, last);

	return rc ? rc : store_tree_extend(t, hash, head, 0, arg);
}

static uint64_t extend(struct fix *f)
{
	uint64_t size = 0;

	assert_int_equal(store_write(f->s, op_extend, &size), 0);
	return size;
}

static int push_entry(void *arg, const struct tn_audit *a)
{
	uint8_t leaf[32];

	merkle_leaf(hash, a->hash, leaf);
	merkle_range_push(arg, hash, leaf);
	return 0;
}

/* The root of the first size entries, from the entries themselves. */
static void root_of_entries(struct fix *f, uint64_t size, uint8_t root[32])
{
	struct merkle_range r = { 0 };
	struct store_txn *t;
	struct tn_audit a;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	for (uint64_t seq = 1; seq <= size; seq++) {
		assert_int_equal(store__obj_get(t, STORE_DB_AUDIT, seq, &proto_audit_schema, &a), 0);
		push_entry(&r, &a);
	}
	store_read_end(t);
	merkle_range_root(&r, hash, root);
}

static void stored_root(struct fix *f, uint64_t size, uint8_t root[32])
{
	struct store_txn *t;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_tree_root(t, hash, size, root), 0);
	store_read_end(t);
}

static void test_tree_grows_in_steps_to_the_roots_of_the_entries(void **state)
{
	struct fix *f = *state;
	uint8_t want[32], got[32], proof[MERKLE_DEPTH][32], old[32];
	uint32_t count;
	struct store_txn *t;

	assert_int_equal(extend(f), 0);
	append(f, 5);
	assert_int_equal(extend(f), 5);
	append(f, 8);
	assert_int_equal(extend(f), 13);
	assert_int_equal(extend(f), 13);            /* nothing new: nothing changes */
	for (uint64_t n = 1; n <= 13; n++) {
		root_of_entries(f, n, want);
		stored_root(f, n, got);
		assert_memory_equal(got, want, 32);
	}
	stored_root(f, 5, old);
	stored_root(f, 13, got);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_tree_proof(t, hash, 5, 13, proof, &count), 0);
	store_read_end(t);
	assert_int_equal(merkle_consistent(hash, 5, old, 13, got, proof, count), 0);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_tree_proof(t, hash, 5, 14, proof, &count), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

static void verify_roots(struct fix *f, struct store_root_check *c, size_t n,
			 struct tn_audit_verify *v)
{
	struct store_txn *t;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_audit_verify_roots(t, hash, v, c, n), 0);
	store_read_end(t);
}

static void test_verify_finds_each_root_in_the_entries_or_says_why_not(void **state)
{
	struct fix *f = *state;
	struct store_root_check c[4] = { { .size = 3 }, { .size = 7 }, { .size = 9 },
					 { .size = 20 } };
	struct tn_audit_verify v;

	append(f, 12);
	root_of_entries(f, 3, c[0].root);
	root_of_entries(f, 7, c[1].root);
	root_of_entries(f, 9, c[2].root);
	c[2].root[0] ^= 1;                          /* a history that is not ours */
	verify_roots(f, c, 4, &v);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(c[0].result, 0);
	assert_int_equal(c[1].result, 0);
	assert_int_equal(c[2].result, TN_ERR_INVALID);
	assert_int_equal(c[3].result, TN_ERR_NOT_FOUND);  /* the log ends before it */
}

/* The tree keeps what retention cut: roots before the anchor come from it,
 * the ones after are recomputed from the anchor's subtrees and the kept
 * entries. */
static void test_roots_survive_a_cut(void **state)
{
	struct fix *f = *state;
	struct store_root_check c[2] = { { .size = 4 }, { .size = 10 } };
	struct store_audit_cut out;
	struct tn_audit_verify v;

	append(f, 10);
	root_of_entries(f, 4, c[0].root);
	root_of_entries(f, 10, c[1].root);
	assert_int_equal(extend(f), 10);
	cut(f, TS(6), 100, &out);
	assert_int_equal(out.deleted, 5);
	verify_roots(f, c, 2, &v);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(c[0].result, 0);
	assert_int_equal(c[1].result, 0);
	append(f, 3);
	assert_int_equal(extend(f), 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_append_links_entries_and_each_returns_them),
		T(test_stored_entry_is_the_encoding_of_the_entry),
		T(test_each_starts_at_from_seq),
		T(test_empty_log_is_intact),
		T(test_chain_is_intact_after_many_appends_and_reopen),
		T(test_append_of_a_failing_op_is_rolled_back_alone),
	T(test_head_within_a_batch_is_the_last_entry),
		T(test_edited_outcome_is_a_hash_mismatch),
		T(test_edited_and_rehashed_entry_breaks_the_next_link),
		T(test_rewritten_last_entry_no_longer_matches_the_head),
		T(test_deleted_entry_is_missing),
		T(test_deleted_last_entry_is_truncation),
		T(test_swapped_entries_are_out_of_place),
		T(test_undecodable_value_is_a_bad_entry),
		T(test_missing_head_is_found_and_append_refuses_to_overwrite),
		T(test_head_is_a_reserved_meta_key),
		T(test_uncut_log_verifies_from_entry_one),
		T(test_cut_deletes_old_entries_from_the_front),
		T(test_cut_stops_after_max_entries_and_goes_on_next_time),
		T(test_cut_gives_the_same_result_when_its_batch_runs_again),
		T(test_cut_of_a_failing_op_deletes_nothing),
		T(test_entry_below_the_anchor_fails_verify),
		T(test_missing_first_kept_entry_fails_verify),
		T(test_anchor_that_does_not_match_the_first_entry_fails),
		T(test_missing_anchor_after_a_cut_fails),
		T(test_cut_of_everything_then_append_links_to_the_anchor),
		T(test_cut_stops_at_a_broken_entry_and_keeps_it),
		T(test_tree_grows_in_steps_to_the_roots_of_the_entries),
		T(test_verify_finds_each_root_in_the_entries_or_says_why_not),
		T(test_roots_survive_a_cut),
#undef T
	};

	if (cx_init())
		return 1;
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
