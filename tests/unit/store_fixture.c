/* SPDX-License-Identifier: Apache-2.0 */
/* The fixture of the store/ unit tests; see store_fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"
#include "tmpdir.h"

int fix_setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_non_null(f->dir = tmpdir_new("test_store"));
	assert_int_equal(store_open(&f->s, f->dir, 0, 0), 0);
	*state = f;
	return 0;
}

int fix_teardown(void **state)
{
	struct fix *f = *state;

	store_close(f->s);
	tmpdir_rm(f->dir);
	free(f);
	return 0;
}

void reopen(struct fix *f, size_t map, size_t max)
{
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->dir, map, max), 0);
}

void fresh(struct fix *f, size_t map, size_t max)
{
	char path[96];

	store_close(f->s);
	f->s = NULL;
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(tmpdir_clear(path), 0);
	assert_int_equal(store_open(&f->s, f->dir, map, max), 0);
}

struct tn_record rec(const char *make, const char *model, const char *serial)
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

struct tn_stolen theft(const char *make, const char *serial)
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

struct tn_event event(const char *kind, const char *date, const char *party)
{
	struct tn_event e;

	memset(&e, 0, sizeof(e));
	snprintf(e.kind, sizeof(e.kind), "%s", kind);
	snprintf(e.date, sizeof(e.date), "%s", date);
	snprintf(e.party, sizeof(e.party), "%s", party);
	return e;
}

int op_record(struct store_txn *t, void *arg)
{
	return store_record_add(t, arg);
}

int op_stolen(struct store_txn *t, void *arg)
{
	return store_stolen_add(t, arg);
}

int op_event(struct store_txn *t, void *arg)
{
	struct event_arg *a = arg;

	return store_record_add_event(t, a->id, &a->e);
}

int op_recover(struct store_txn *t, void *arg)
{
	struct recover_arg *a = arg;

	return store_stolen_recover(t, a->id, a->date, &a->out);
}

uint64_t add(struct store *s, const char *make, const char *model, const char *serial)
{
	struct tn_record r = rec(make, model, serial);

	assert_int_equal(store_write(s, op_record, &r), 0);
	assert_true(r.id > 0);
	return r.id;
}

uint64_t add_stolen(struct store *s, const char *make, const char *serial)
{
	struct tn_stolen st = theft(make, serial);

	assert_int_equal(store_write(s, op_stolen, &st), 0);
	assert_true(st.id > 0);
	return st.id;
}

int note_record(void *arg, const struct tn_record *r)
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

int note_stolen(void *arg, const struct tn_stolen *st)
{
	struct seen *z = arg;

	if (z->n < 16) {
		z->ids[z->n] = st->id;
		strcpy(z->makes[z->n], st->make);
	}
	z->n++;
	return 0;
}

int find(struct store *s, const char *make, const char *serial, struct seen *z)
{
	struct store_txn *t;
	int rc;

	memset(z, 0, sizeof(*z));
	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_record_find(t, make, serial, note_record, z);
	store_read_end(t);
	return rc;
}

int find_stolen(struct store *s, const char *make, const char *serial, struct seen *z)
{
	struct store_txn *t;
	int rc;

	memset(z, 0, sizeof(*z));
	assert_int_equal(store_read_begin(s, &t), 0);
	rc = store_stolen_find(t, make, serial, note_stolen, z);
	store_read_end(t);
	return rc;
}

struct store_stats stats(struct store *s)
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

int apply_records(struct store *s, const char *prefix, int first, int n, int per_op)
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

void fix_push(struct fix_batch *b, const char *make, const char *model, const char *serial)
{
	struct tn_record r = rec(make, model, serial);
	struct store_rec_enc *e = &b->rows[b->n];

	assert_true(b->n < FIX_ROWS_MAX);
	assert_int_equal(proto_encode(&proto_record_schema, &r, &b->enc[b->n]), 0);
	e->enc = b->enc[b->n].data;
	e->len = (uint32_t)b->enc[b->n].len;
	e->id_off = 4; /* a fixmap and the key "id" */
	e->id_len = 1;
	assert_int_equal(store_rec_enc_key(e, &r), 0);
	b->n++;
}

int fix_op_bulk(struct store_txn *t, void *arg)
{
	struct fix_batch *b = arg;

	b->added = store_record_add_encoded(t, b->rows, b->n);
	return b->added < 0 ? b->added : 0;
}

void fix_batch_done(struct fix_batch *b)
{
	for (uint32_t i = 0; i < b->n; i++)
		proto_buf_free(&b->enc[i]);
}
