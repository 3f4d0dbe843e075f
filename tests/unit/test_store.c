/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of store/: records and serial lookups, stolen reports, batches
 * with failing ops, map growth and its limit, reopening, damaged values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../store/store.h"
#include "tmpdir.h"

#define KIB ((size_t)1 << 10)
#define MIB ((size_t)1 << 20)
#define GIB ((size_t)1 << 30)

struct fix {
	char *dir;
	struct store *s;
};

/* What a find callback saw. */
struct seen {
	int n;
	uint64_t ids[16];
	char models[16][TN_MODEL_LEN];
	char makes[16][TN_MAKE_LEN];
};

/* ---- helpers ---- */

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->dir = tmpdir_new("test_store"));
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

static void reopen(struct fix *f, size_t map, size_t max)
{
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->dir, map, max), 0);
}

/* Start again on an empty store opened with the given map sizes (reopen
 * would keep the bigger map the first open made). */
static void fresh(struct fix *f, size_t map, size_t max)
{
	char path[96];

	store_close(f->s);
	f->s = NULL;
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(tmpdir_clear(path), 0);
	assert_int_equal(store_open(&f->s, f->dir, map, max), 0);
}

static struct tn_record rec(const char *make, const char *model, const char *serial)
{
	struct tn_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.make, sizeof(r.make), "%s", make);
	snprintf(r.model, sizeof(r.model), "%s", model);
	snprintf(r.serial, sizeof(r.serial), "%s", serial);
	strcpy(r.caliber, "9mm");
	strcpy(r.type, "pistol");
	strcpy(r.country, "USA");
	return r;
}

static struct tn_stolen theft(const char *make, const char *serial)
{
	struct tn_stolen s;

	memset(&s, 0, sizeof(s));
	strcpy(s.kind, "stolen");
	snprintf(s.make, sizeof(s.make), "%s", make);
	snprintf(s.serial, sizeof(s.serial), "%s", serial);
	strcpy(s.date, "2023-05-01");
	strcpy(s.agency, "PNC Guatemala");
	strcpy(s.case_ref, "GT-2023-0042");
	return s;
}

static struct tn_event event(const char *kind, const char *date, const char *party)
{
	struct tn_event e;

	memset(&e, 0, sizeof(e));
	snprintf(e.kind, sizeof(e.kind), "%s", kind);
	snprintf(e.date, sizeof(e.date), "%s", date);
	snprintf(e.party, sizeof(e.party), "%s", party);
	return e;
}

static int op_record(struct store_txn *t, void *arg)
{
	return store_record_add(t, arg);
}

static int op_stolen(struct store_txn *t, void *arg)
{
	return store_stolen_add(t, arg);
}

static int op_fail(struct store_txn *t, void *arg)
{
	struct tn_record r = rec("Glock", "17", "FAILED-1");
	int rc = store_record_add(t, &r);

	(void)arg;
	assert_int_equal(rc, 0);
	return TN_ERR_INVALID; /* after writing: the write must be rolled back */
}

struct event_arg {
	uint64_t id;
	struct tn_event e;
};

static int op_event(struct store_txn *t, void *arg)
{
	struct event_arg *a = arg;

	return store_record_add_event(t, a->id, &a->e);
}

struct recover_arg {
	uint64_t id;
	const char *date;
	struct tn_stolen out;
};

static int op_recover(struct store_txn *t, void *arg)
{
	struct recover_arg *a = arg;

	return store_stolen_recover(t, a->id, a->date, &a->out);
}

static uint64_t add(struct store *s, const char *make, const char *model, const char *serial)
{
	struct tn_record r = rec(make, model, serial);

	assert_int_equal(store_write(s, op_record, &r), 0);
	assert_true(r.id > 0);
	return r.id;
}

static uint64_t add_stolen(struct store *s, const char *make, const char *serial)
{
	struct tn_stolen st = theft(make, serial);

	assert_int_equal(store_write(s, op_stolen, &st), 0);
	assert_true(st.id > 0);
	return st.id;
}

static int note_record(void *arg, const struct tn_record *r)
{
	struct seen *z = arg;

	if (z->n < 16) {
		z->ids[z->n] = r->id;
		strcpy(z->models[z->n], r->model);
		strcpy(z->makes[z->n], r->make);
	}
	z->n++;
	return 0;
}

static int note_stolen(void *arg, const struct tn_stolen *st)
{
	struct seen *z = arg;

	if (z->n < 16) {
		z->ids[z->n] = st->id;
		strcpy(z->makes[z->n], st->make);
	}
	z->n++;
	return 0;
}

/* Matches of find for make/serial, recorded in z; returns find's result. */
static int find(struct store *s, const char *make, const char *serial, struct seen *z)
{
	struct store_txn *t;
	int rc;

	memset(z, 0, sizeof(*z));
	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_record_find(t, make, serial, note_record, z);
	store_read_end(t);
	return rc;
}

static int find_stolen(struct store *s, const char *make, const char *serial, struct seen *z)
{
	struct store_txn *t;
	int rc;

	memset(z, 0, sizeof(*z));
	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_stolen_find(t, make, serial, note_stolen, z);
	store_read_end(t);
	return rc;
}

static struct store_stats stats(struct store *s)
{
	struct store_stats st;
	struct store_txn *t;

	assert_int_equal(store_read_begin(s, &t), 0);
	assert_int_equal(store_stats(t, &st), 0);
	store_read_end(t);
	return st;
}

struct chunk {
	struct tn_record *r;
	int n;
};

static int op_chunk(struct store_txn *t, void *arg)
{
	struct chunk *c = arg;
	int rc = 0;

	for (int i = 0; i < c->n && !rc; i++)
		rc = store_record_add(t, &c->r[i]);
	return rc;
}

/* Add n records with serials prefix-<first..first+n-1> in one batch, per_op
 * records to an op (LMDB allocates ~3 MiB per nested txn, which sanitizers
 * make slow). No asserts: a forked child runs it too. Returns store_apply's
 * result, or -100 when the ops' results do not agree with it. */
static int apply_records(struct store *s, const char *prefix, int first, int n, int per_op)
{
	int nops = (n + per_op - 1) / per_op, rc = TN_ERR_NOMEM;
	struct tn_record *r = calloc((size_t)n, sizeof(*r));
	struct store_op *ops = calloc((size_t)nops, sizeof(*ops));
	struct chunk *ch = calloc((size_t)nops, sizeof(*ch));
	char serial[TN_SERIAL_LEN];

	if (!r || !ops || !ch)
		goto out;
	for (int i = 0; i < n; i++) {
		snprintf(serial, sizeof(serial), "%s-%07d", prefix, first + i);
		r[i] = rec("Beretta", "92FS", serial);
		strcpy(r[i].importer, "Importadora Centroamericana de Armas S.A.");
	}
	for (int i = 0; i < nops; i++) {
		ch[i].r = r + i * per_op;
		ch[i].n = i == nops - 1 ? n - i * per_op : per_op;
		ops[i].fn = op_chunk;
		ops[i].arg = &ch[i];
	}
	rc = store_apply(s, ops, (size_t)nops);
	for (int i = 0; i < nops; i++)
		if (ops[i].rc != rc)
			rc = -100;
out:
	free(ch);
	free(ops);
	free(r);
	return rc;
}

/* ---- records ---- */

static void test_record_round_trips_through_add_get_and_find(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Glock", "19 Gen5", "ABC123"), got;
	struct tn_event ev[2] = { event("manufactured", "2019-03-04", "Glock GmbH"),
				  event("sold", "2020-01-15", "FFL 1-23-456") };
	struct store_txn *t;
	struct seen z;

	r.n_events = 2;
	r.events = ev;
	strcpy(r.importer, "Glock Inc.");
	assert_int_equal(store_write(f->s, op_record, &r), 0);
	assert_int_equal(r.id, 1);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, r.id, &got), 0);
	assert_int_equal(got.id, 1);
	assert_string_equal(got.make, "Glock");
	assert_string_equal(got.model, "19 Gen5");
	assert_string_equal(got.serial, "ABC123");
	assert_string_equal(got.importer, "Glock Inc.");
	assert_int_equal(got.n_events, 2);
	assert_string_equal(got.events[1].kind, "sold");
	assert_string_equal(got.events[1].party, "FFL 1-23-456");
	proto_release(&proto_record_schema, &got);
	assert_int_equal(store_record_get(t, 99, &got), TN_ERR_NOT_FOUND);
	store_read_end(t);

	assert_int_equal(find(f->s, "Glock", "ABC123", &z), 1);
	assert_int_equal(z.ids[0], 1);
	assert_int_equal(find(f->s, "Glock", "ABC124", &z), 0);
	assert_int_equal(find(f->s, "Ruger", "ABC123", &z), 0);
}

static void test_find_ignores_dashes_spaces_and_case(void **state)
{
	struct fix *f = *state;
	struct seen z;

	add(f->s, "Glock", "17", "BXR-4471 a");
	assert_int_equal(find(f->s, "glock", "bxr4471A", &z), 1);
	assert_int_equal(find(f->s, "GLOCK", "b x r-4471-a", &z), 1);
	assert_int_equal(find(f->s, NULL, "Bxr 4471.A", &z), 1);
	assert_string_equal(z.makes[0], "Glock");
}

static void test_find_folds_make_aliases(void **state)
{
	struct fix *f = *state;
	struct seen z;

	add(f->s, "Smith & Wesson", "M&P 9", "NKX1234");
	assert_int_equal(find(f->s, "S&W", "NKX1234", &z), 1);
	assert_string_equal(z.makes[0], "Smith & Wesson");
	assert_int_equal(find(f->s, "Smith and Wesson", "nkx-1234", &z), 1);
}

static void test_find_without_make_returns_every_make_with_that_serial(void **state)
{
	struct fix *f = *state;
	struct seen z;
	uint64_t a, b;

	a = add(f->s, "Glock", "17", "12345");
	b = add(f->s, "Ruger", "LCP", "12345");
	add(f->s, "Ruger", "LCP", "123456"); /* longer serial: not a match */
	add(f->s, "Colt", "1911", "1234");   /* shorter serial: not a match */

	assert_int_equal(find(f->s, NULL, "12345", &z), 2);
	assert_true((z.ids[0] == a && z.ids[1] == b) || (z.ids[0] == b && z.ids[1] == a));
	assert_int_equal(find(f->s, "", "12345", &z), 2);
	assert_int_equal(find(f->s, "Sturm Ruger & Co", "12345", &z), 1);
	assert_int_equal(z.ids[0], b);
	assert_int_equal(find(f->s, "Glock", "12345", &z), 1);
	assert_int_equal(z.ids[0], a);
}

static void test_add_refuses_same_make_serial_and_model(void **state)
{
	struct fix *f = *state;
	struct tn_record dup = rec("GLOCK", "g-19", "ab-123"), other = rec("Glock", "G26", "AB123");
	struct seen z;

	add(f->s, "Glock", "G19", "AB123");
	assert_int_equal(store_write(f->s, op_record, &dup), TN_ERR_EXISTS);
	assert_int_equal(dup.id, 0);
	assert_int_equal(store_write(f->s, op_record, &other), 0);
	assert_int_equal(find(f->s, "Glock", "AB123", &z), 2);
	assert_string_equal(z.models[0], "G19");
	assert_string_equal(z.models[1], "G26");
}

static void test_add_refuses_records_that_do_not_validate(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Glock", "17", "--- ..");
	struct tn_event bad = event("teleported", "2020-01-01", "");

	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r = rec("&&", "17", "X1");
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r = rec("Glock", "17", "X1");
	r.n_events = 1;
	r.events = &bad;
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_INVALID);
	r.n_events = TN_EVENTS_MAX + 1;
	assert_int_equal(store_write(f->s, op_record, &r), TN_ERR_LIMIT);
	assert_int_equal(stats(f->s).records, 0);
}

static void test_add_event_appends_and_persists(void **state)
{
	struct fix *f = *state;
	struct event_arg a = { add(f->s, "Colt", "Python", "V12345"),
			       event("exported", "2021-06-30", "Colt's Mfg") };
	struct store_txn *t;
	struct tn_record r;

	strcpy(a.e.country, "GTM");
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	a.e = event("stolen", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	a.e = event("bogus", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_INVALID);
	a.id = 999;
	a.e = event("sold", "2022-02-02", "");
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_NOT_FOUND);
	reopen(f, 0, 0);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, 1, &r), 0);
	assert_int_equal(r.n_events, 2);
	assert_string_equal(r.events[0].kind, "exported");
	assert_string_equal(r.events[0].country, "GTM");
	assert_string_equal(r.events[1].kind, "stolen");
	assert_string_equal(r.model, "Python");
	proto_release(&proto_record_schema, &r);
	store_read_end(t);
}

static void test_add_event_stops_at_events_max(void **state)
{
	struct fix *f = *state;
	struct tn_record r = rec("Taurus", "G2C", "TLZ0001");
	struct tn_event *ev = calloc(TN_EVENTS_MAX, sizeof(*ev));
	struct event_arg a = { 0, event("transferred", "2020-02-02", "") };

	assert_non_null(ev);
	for (int i = 0; i < TN_EVENTS_MAX - 1; i++)
		ev[i] = event("transferred", "2020-01-01", "owner");
	r.events = ev;
	r.n_events = TN_EVENTS_MAX - 1;
	assert_int_equal(store_write(f->s, op_record, &r), 0);
	a.id = r.id;
	assert_int_equal(store_write(f->s, op_event, &a), 0);
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_LIMIT);
	free(ev);
}

/* ---- stolen reports ---- */

static void test_stolen_reports_are_found_recovered_and_listed(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-01-10", { 0 } };
	struct store_txn *t;
	struct tn_stolen got;
	struct seen z;
	uint64_t a, b;

	a = add_stolen(f->s, "Glock", "SSX-100");
	b = add_stolen(f->s, "Beretta USA", "SSX100");
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(find_stolen(f->s, NULL, "ssx 100", &z), 2);
	assert_int_equal(find_stolen(f->s, "Beretta", "SSX100", &z), 1);
	assert_int_equal(z.ids[0], b);

	ra.id = a;
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	assert_string_equal(ra.out.status, "recovered");
	assert_string_equal(ra.out.recovered_on, "2024-01-10");
	assert_int_equal(ra.out.id, a);
	assert_int_equal(find_stolen(f->s, "Glock", "SSX100", &z), 0);
	assert_int_equal(find_stolen(f->s, NULL, "SSX100", &z), 1);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_stolen_get(t, a, &got), 0);
	assert_string_equal(got.status, "recovered");
	assert_string_equal(got.case_ref, "GT-2023-0042");
	memset(&z, 0, sizeof(z));
	assert_int_equal(store_stolen_each(t, 1, note_stolen, &z), 1);
	assert_int_equal(z.ids[0], b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(store_stolen_each(t, 0, note_stolen, &z), 2);
	assert_int_equal(z.ids[0], a);
	assert_int_equal(z.ids[1], b);
	store_read_end(t);
}

static void test_recover_refuses_twice_and_unknown_ids(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-01-10", { 0 } };

	ra.id = add_stolen(f->s, "Glock", "R1");
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_INVALID);
	ra.id = 77;
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_NOT_FOUND);
	ra.id = add_stolen(f->s, "Glock", "R2");
	ra.date = "2024-02-30";
	assert_int_equal(store_write(f->s, op_recover, &ra), TN_ERR_INVALID);
	assert_int_equal(stats(f->s).stolen_open, 1);
}

static int list_inner(void *arg, const struct tn_stolen *st)
{
	struct store_txn *t = arg;
	struct seen z;

	(void)st;
	memset(&z, 0, sizeof(z));
	return store_stolen_each(t, 0, note_stolen, &z) == 3 ? 0 : -1;
}

static void test_stolen_listing_can_nest_in_one_snapshot(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;

	add_stolen(f->s, "Glock", "N1");
	add_stolen(f->s, "Glock", "N2");
	add_stolen(f->s, "Glock", "N3");
	for (int round = 0; round < 2; round++) { /* the second renews the snapshot */
		assert_int_equal(store_read_begin(f->s, &t), 0);
		assert_int_equal(store_stolen_each(t, 0, list_inner, t), 3);
		store_read_end(t);
	}
}

/* ---- batches, snapshots, stats, meta ---- */

static void test_failing_op_leaves_the_rest_of_the_batch_committed(void **state)
{
	struct fix *f = *state;
	struct tn_record a = rec("Glock", "17", "B-1"), c = rec("Glock", "17", "B-3");
	struct tn_stolen b = theft("Glock", "B-2");
	struct tn_record dup = rec("Glock", "17", "B1");
	struct store_op ops[] = {
		{ op_record, &a, 0 }, { op_fail, NULL, 0 }, { op_stolen, &b, 0 },
		{ op_record, &dup, 0 }, { op_record, &c, 0 },
	};
	struct seen z;

	assert_int_equal(store_apply(f->s, ops, 5), 0);
	assert_int_equal(ops[0].rc, 0);
	assert_int_equal(ops[1].rc, TN_ERR_INVALID);
	assert_int_equal(ops[2].rc, 0);
	assert_int_equal(ops[3].rc, TN_ERR_EXISTS);
	assert_int_equal(ops[4].rc, 0);
	assert_int_equal(find(f->s, NULL, "FAILED1", &z), 0);
	assert_int_equal(find(f->s, "Glock", "B1", &z), 1);
	assert_int_equal(find(f->s, "Glock", "B3", &z), 1);
	assert_int_equal(find_stolen(f->s, "Glock", "B2", &z), 1);
	/* the failed op's id was rolled back with it */
	assert_int_equal(a.id, 1);
	assert_int_equal(c.id, 2);
	assert_int_equal(stats(f->s).records, 2);
}

static void test_read_snapshot_does_not_see_later_commits(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_record r;

	assert_int_equal(store_read_begin(f->s, &t), 0);
	add(f->s, "Glock", "17", "SNAP1");
	assert_int_equal(store_record_find(t, NULL, "SNAP1", NULL, NULL), 0);
	assert_int_equal(store_record_get(t, 1, &r), TN_ERR_NOT_FOUND);
	store_read_end(t);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_find(t, NULL, "SNAP1", NULL, NULL), 1);
	store_read_end(t);
}

static void test_stats_count_records_and_open_reports(void **state)
{
	struct fix *f = *state;
	struct recover_arg ra = { 0, "2024-03-01", { 0 } };
	struct store_stats st;

	add(f->s, "Glock", "17", "S1");
	add(f->s, "Glock", "17", "S2");
	add_stolen(f->s, "Glock", "S1");
	ra.id = add_stolen(f->s, "Glock", "S2");
	add_stolen(f->s, "Glock", "S3");
	assert_int_equal(store_write(f->s, op_recover, &ra), 0);
	st = stats(f->s);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.stolen, 3);
	assert_int_equal(st.stolen_open, 2);
	assert_true(st.map_size >= STORE_MAP_DEFAULT);
	assert_true(st.map_used > 0 && st.map_used < st.map_size);
}

struct meta_arg {
	const char *key;
	const char *val;
};

static int op_meta(struct store_txn *t, void *arg)
{
	struct meta_arg *m = arg;

	return store_meta_put(t, m->key, m->val, strlen(m->val));
}

static void test_meta_round_trips_and_reserves_store_keys(void **state)
{
	struct fix *f = *state;
	struct meta_arg m = { "node.name", "GTM" };
	struct store_txn *t;
	char buf[8];
	size_t len = 0;

	assert_int_equal(store_write(f->s, op_meta, &m), 0);
	m.key = "store:seq:record";
	assert_int_equal(store_write(f->s, op_meta, &m), TN_ERR_INVALID);
	m.key = "";
	assert_int_equal(store_write(f->s, op_meta, &m), TN_ERR_INVALID);
	reopen(f, 0, 0);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_meta_get(t, "node.name", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "GTM", 3);
	assert_int_equal(store_meta_get(t, "node.name", buf, 2, &len), TN_ERR_TOO_BIG);
	assert_int_equal(len, 3);
	assert_int_equal(store_meta_get(t, "absent", buf, sizeof(buf), &len), TN_ERR_NOT_FOUND);
	store_read_end(t);
}

/* ---- map size, reopening, damage ---- */

static void test_map_grows_from_a_tiny_map_to_hold_50k_records(void **state)
{
	struct fix *f = *state;
	struct store_stats st;
	struct store_txn *t;
	struct tn_record r;
	char serial[TN_SERIAL_LEN];
	struct seen z;

	fresh(f, 256 * KIB, 4 * GIB);
	assert_int_equal(stats(f->s).map_size, 256 * KIB);
	for (int i = 0; i < 50000; i += 5000)
		assert_int_equal(apply_records(f->s, "G", i, 5000, 100), 0);
	st = stats(f->s);
	assert_int_equal(st.records, 50000);
	assert_true(st.map_size > 256 * KIB);
	assert_true(st.map_used <= st.map_size);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	for (uint64_t id = 1; id <= 50000; id++) {
		assert_int_equal(store_record_get(t, id, &r), 0);
		snprintf(serial, sizeof(serial), "G-%07d", (int)id - 1);
		assert_string_equal(r.serial, serial);
		proto_release(&proto_record_schema, &r);
	}
	store_read_end(t);
	assert_int_equal(find(f->s, "Beretta", "g0049999", &z), 1);
	assert_int_equal(z.ids[0], 50000);

	/* reopening with the tiny size keeps the grown map */
	reopen(f, 256 * KIB, 4 * GIB);
	assert_int_equal(stats(f->s).map_size, st.map_size);
}

static void test_map_max_gives_map_full_and_keeps_committed_data(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;
	struct tn_record r;
	struct seen z;
	int committed = 0, rc = 0;

	fresh(f, 256 * KIB, 1 * MIB);
	while (committed < 100000 && (rc = apply_records(f->s, "M", committed, 500, 10)) == 0)
		committed += 500;
	assert_int_equal(rc, TN_ERR_MAP_FULL);
	assert_true(committed > 0);
	assert_int_equal(stats(f->s).map_size, 1 * MIB);
	assert_int_equal(stats(f->s).records, (uint64_t)committed);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, 1, &r), 0);
	assert_string_equal(r.serial, "M-0000000");
	proto_release(&proto_record_schema, &r);
	assert_int_equal(store_record_get(t, (uint64_t)committed + 1, &r), TN_ERR_NOT_FOUND);
	store_read_end(t);
	assert_int_equal(find(f->s, "Beretta", "M-0000000", &z), 1);

	/* a bigger limit lets writing go on, ids continuing */
	reopen(f, 256 * KIB, 8 * MIB);
	assert_int_equal(apply_records(f->s, "M", committed, 500, 10), 0);
	assert_int_equal(find(f->s, NULL, "M0000000", &z), 1);
	assert_int_equal(add(f->s, "Glock", "17", "AFTER"), (uint64_t)committed + 501);
}

static void test_growth_waits_until_read_snapshots_end(void **state)
{
	struct fix *f = *state;
	struct store_txn *t;

	fresh(f, 256 * KIB, 64 * MIB);
	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(apply_records(f->s, "W", 0, 3000, 50), TN_ERR_AGAIN);
	store_read_end(t);
	assert_int_equal(apply_records(f->s, "W", 0, 3000, 50), 0);
	assert_int_equal(stats(f->s).records, 3000);
}

static void test_reopen_keeps_data_and_sequences(void **state)
{
	struct fix *f = *state;
	struct seen z;

	assert_int_equal(add(f->s, "Glock", "17", "RO1"), 1);
	assert_int_equal(add(f->s, "Glock", "17", "RO2"), 2);
	assert_int_equal(add_stolen(f->s, "Glock", "RO1"), 1);
	reopen(f, 0, 0);
	assert_int_equal(find(f->s, "Glock", "RO2", &z), 1);
	assert_int_equal(find_stolen(f->s, "Glock", "RO1", &z), 1);
	assert_int_equal(add(f->s, "Glock", "17", "RO3"), 3);
	assert_int_equal(add_stolen(f->s, "Glock", "RO3"), 2);
	assert_int_equal(stats(f->s).stolen_open, 2);
}

/* Overwrite, in the data file, the msgpack header of each copy of the
 * string "CORRUPTME1" (fixstr of 10: 0xaa) with 0xc1, a byte msgpack never
 * uses. LMDB has no checksums, so the damage reads back as it is. */
static int damage(const char *dir)
{
	char path[128];
	struct stat st;
	uint8_t *p;
	int fd, hits = 0;

	snprintf(path, sizeof(path), "%s/store/data.mdb", dir);
	if ((fd = open(path, O_RDWR)) < 0 || fstat(fd, &st))
		return -1;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	for (off_t i = 1; i + 10 <= st.st_size; i++) {
		if (p[i - 1] == 0xaa && !memcmp(p + i, "CORRUPTME1", 10)) {
			p[i - 1] = 0xc1;
			hits++;
		}
	}
	munmap(p, (size_t)st.st_size);
	return hits;
}

static void test_damaged_value_reads_as_store_error(void **state)
{
	struct fix *f = *state;
	struct event_arg a = { 0, event("sold", "2020-01-01", "") };
	struct store_txn *t;
	struct tn_record r;
	struct seen z = { 0 };

	a.id = add(f->s, "Glock", "CORRUPTME1", "DMG1");
	add(f->s, "Glock", "17", "DMG2");
	store_close(f->s);
	f->s = NULL;
	assert_true(damage(f->dir) >= 1);
	reopen(f, 0, 0);

	assert_int_equal(store_read_begin(f->s, &t), 0);
	assert_int_equal(store_record_get(t, a.id, &r), TN_ERR_STORE);
	assert_int_equal(store_record_find(t, "Glock", "DMG1", note_record, &z), TN_ERR_STORE);
	assert_int_equal(store_record_get(t, a.id + 1, &r), 0);
	proto_release(&proto_record_schema, &r);
	store_read_end(t);
	assert_int_equal(store_write(f->s, op_event, &a), TN_ERR_STORE);
	assert_int_equal(find(f->s, "Glock", "DMG2", &z), 1);
}

static const char *self_path = "/proc/self/exe";

/* The other process of the next test (a fresh exec, so it shares no
 * LMDB state with ours): grow the store in dir with 5000 records. */
static int grow_child(const char *dir)
{
	struct store *s;
	int rc;

	if (store_open(&s, dir, 256 * KIB, 1 * GIB))
		return 1;
	rc = apply_records(s, "C", 0, 5000, 50);
	store_close(s);
	return rc ? 1 : 0;
}

/* Another process grows the map past ours; our next transaction adopts it. */
static void test_map_grown_by_another_process_is_adopted(void **state)
{
	struct fix *f = *state;
	struct seen z;
	pid_t pid;
	int status;

	fresh(f, 256 * KIB, 1 * GIB);
	add(f->s, "Glock", "17", "P1");
	assert_int_equal(find(f->s, NULL, "P1", &z), 1); /* leaves a spare reader */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(self_path, self_path, "grow", f->dir, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(find(f->s, "Beretta", "C-0004999", &z), 1);
	assert_true(stats(f->s).map_size > 256 * KIB);
	assert_int_equal(add(f->s, "Glock", "17", "P2"), 5002);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_record_round_trips_through_add_get_and_find),
		T(test_find_ignores_dashes_spaces_and_case),
		T(test_find_folds_make_aliases),
		T(test_find_without_make_returns_every_make_with_that_serial),
		T(test_add_refuses_same_make_serial_and_model),
		T(test_add_refuses_records_that_do_not_validate),
		T(test_add_event_appends_and_persists),
		T(test_add_event_stops_at_events_max),
		T(test_stolen_reports_are_found_recovered_and_listed),
		T(test_recover_refuses_twice_and_unknown_ids),
		T(test_stolen_listing_can_nest_in_one_snapshot),
		T(test_failing_op_leaves_the_rest_of_the_batch_committed),
		T(test_read_snapshot_does_not_see_later_commits),
		T(test_stats_count_records_and_open_reports),
		T(test_meta_round_trips_and_reserves_store_keys),
		T(test_map_grows_from_a_tiny_map_to_hold_50k_records),
		T(test_map_max_gives_map_full_and_keeps_committed_data),
		T(test_growth_waits_until_read_snapshots_end),
		T(test_reopen_keeps_data_and_sequences),
		T(test_damaged_value_reads_as_store_error),
		T(test_map_grown_by_another_process_is_adopted),
#undef T
	};

	if (argc == 3 && !strcmp(argv[1], "grow"))
		return grow_child(argv[2]);
	if (strchr(argv[0], '/'))
		self_path = argv[0];
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
