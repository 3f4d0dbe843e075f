/* SPDX-License-Identifier: Apache-2.0 */
/* Bulk adds of records checked and encoded before the transaction (an
 * import batch): the same rules as store_record_add, with the id sequence
 * read and written once, one index cursor for the batch, and each value
 * written straight into its page with its id patched in. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "../proto/import.h"

int store_rec_enc_key(struct store_rec_enc *e, const struct tn_record *r)
{
	struct store__key k;
	int rc;

	if ((rc = store__key_make(&k, r->make, r->serial)))
		return rc;
	memcpy(e->key, k.b, k.len);
	e->key_len = (uint32_t)k.len;
	memcpy(e->model, r->model, sizeof(e->model));
	return 0;
}

/* TN_ERR_EXISTS when a record under e's key has e's model. */
static int known(struct store_txn *t, MDB_cursor *c, const struct store_rec_enc *e)
{
	MDB_val k = { e->key_len, (void *)e->key }, v;
	int rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY), ret;

	for (; !rc; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
		if (v.mv_size != 8)
			return TN_ERR_STORE;
		ret = store__refuse_same_model(t, store__be64_get(v.mv_data), (void *)e->model);
		if (ret)
			return ret;
	}
	return rc == MDB_NOTFOUND ? 0 : store__err(rc);
}

/* The value: enc with e->id in place of the id it holds. */
static int put_value(struct store_txn *t, const struct store_rec_enc *e)
{
	uint8_t kb[8], id[9];
	size_t il = proto_uint_put(id, e->id), tail = e->id_off + e->id_len;
	MDB_val k = { sizeof(kb), kb }, v = { e->len - e->id_len + il, NULL };
	uint8_t *p;
	int rc;

	store__be64_put(kb, e->id);
	if ((rc = store__put(t, STORE_DB_FIREARMS, &k, &v, MDB_RESERVE | MDB_APPEND)))
		return rc;
	p = v.mv_data;
	memcpy(p, e->enc, e->id_off);
	memcpy(p + e->id_off, id, il);
	memcpy(p + e->id_off + il, e->enc + tail, e->len - tail);
	return 0;
}

static int put_index(struct store_txn *t, MDB_cursor *c, const struct store_rec_enc *e)
{
	uint8_t vb[8];
	MDB_val k = { e->key_len, (void *)e->key }, v = { sizeof(vb), vb };

	store__be64_put(vb, e->id);
	return store__cursor_put(t, STORE_DB_SERIAL_IDX, c, &k, &v, MDB_NODUPDATA);
}

/* A row in key order: the first 8 bytes of its key (big-endian, zeros
 * after a shorter key) order most rows without reading the rows. */
struct sorted {
	uint64_t head;
	uint32_t row;
};

static uint64_t key_head(const struct store_rec_enc *e)
{
	uint64_t h = 0;

	for (uint32_t i = 0; i < 8; i++)
		h = h << 8 | (i < e->key_len ? e->key[i] : 0);
	return h;
}

/* Index keys in LMDB's order (bytes, then length), then rows in order. */
static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sorted *p = a, *q = b;
	const struct store_rec_enc *x, *y;
	int c;

	if (p->head != q->head)
		return p->head < q->head ? -1 : 1;
	x = (const struct store_rec_enc *)arg + p->row;
	y = (const struct store_rec_enc *)arg + q->row;
	c = memcmp(x->key, y->key, x->key_len < y->key_len ? x->key_len : y->key_len);
	if (c)
		return c;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	return p->row < q->row ? -1 : p->row > q->row;
}

static int same_key(const struct store_rec_enc *x, const struct store_rec_enc *y)
{
	return x->key_len == y->key_len && !memcmp(x->key, y->key, x->key_len);
}

/* In key order: refuse each row whose model is on file under its key, or
 * taken by an earlier row of the batch; the others get id 1 for now. */
static int decide(struct store_txn *t, MDB_cursor *c, struct store_rec_enc *rows,
		  const struct sorted *order, uint32_t n)
{
	uint32_t group = 0;
	int rc;

	for (uint32_t k = 0; k < n; k++) {
		struct store_rec_enc *e = &rows[order[k].row];

		if (!k || !same_key(e, &rows[order[k - 1].row]))
			group = k;
		e->id = 0;
		if ((rc = known(t, c, e)) == TN_ERR_EXISTS)
			continue;
		if (rc)
			return rc;
		e->id = 1;
		for (uint32_t g = group; g < k && e->id; g++)
			if (rows[order[g].row].id &&
			    store__same_model(rows[order[g].row].model, e->model))
				e->id = 0;
	}
	return 0;
}

/* Ids in row order, values appended in that order, index entries put in
 * key order (neighbours share pages: LMDB finds most on the page it is on). */
static int add_rows(struct store_txn *t, MDB_cursor *c, struct store_rec_enc *rows,
		    const struct sorted *order, uint32_t n, uint64_t *last)
{
	int added = 0, rc;

	if ((rc = decide(t, c, rows, order, n)))
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		if (!rows[i].id)
			continue;
		if (*last == UINT64_MAX)
			return TN_ERR_LIMIT;
		rows[i].id = ++*last;
		added++;
		if ((rc = put_value(t, &rows[i])))
			return rc;
	}
	for (uint32_t k = 0; k < n; k++)
		if (rows[order[k].row].id && (rc = put_index(t, c, &rows[order[k].row])))
			return rc;
	return added;
}

int store_record_add_encoded(struct store_txn *t, struct store_rec_enc *rows, uint32_t n)
{
	uint64_t last = 0;
	struct sorted *order;
	MDB_cursor *c;
	int rc, seq;

	if (t->rdonly)
		return TN_ERR_INVALID;
	if (!n)
		return 0;
	if ((rc = store__u64_get(t, STORE_SEQ_RECORD, &last)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (!(order = malloc(n * sizeof(*order))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++)
		order[i] = (struct sorted){ key_head(&rows[i]), i };
	qsort_r(order, n, sizeof(*order), cmp_rows, rows);
	if (!(rc = store__cursor(t, STORE_DB_SERIAL_IDX, &c))) {
		rc = add_rows(t, c, rows, order, n, &last);
		store__cursor_done(t, STORE_DB_SERIAL_IDX, c);
	}
	free(order);
	if (rc > 0 && (seq = store__u64_put(t, STORE_SEQ_RECORD, last)))
		return seq;
	return rc;
}
