/* SPDX-License-Identifier: Apache-2.0 */
/* Bulk adds of records checked and encoded before the transaction (an
 * import batch): the same rules as store_record_add, with the id sequence
 * read and written once, one index cursor for the batch, and each value
 * written straight into its page with its id patched in. */
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
	return store__rc(t, mdb_cursor_put(c, &k, &v, MDB_NODUPDATA));
}

/* Add each row not known yet; *last is the id sequence. */
static int add_rows(struct store_txn *t, MDB_cursor *c, struct store_rec_enc *rows, uint32_t n,
		    uint64_t *last)
{
	int added = 0, rc;

	for (uint32_t i = 0; i < n; i++) {
		struct store_rec_enc *e = &rows[i];

		e->id = 0;
		if ((rc = known(t, c, e)) == TN_ERR_EXISTS)
			continue;
		if (rc)
			return rc;
		if (*last == UINT64_MAX)
			return TN_ERR_LIMIT;
		e->id = ++*last;
		if ((rc = put_value(t, e)) || (rc = put_index(t, c, e)))
			return rc;
		added++;
	}
	return added;
}

int store_record_add_encoded(struct store_txn *t, struct store_rec_enc *rows, uint32_t n)
{
	uint64_t last = 0;
	MDB_cursor *c;
	int rc, seq;

	if (t->rdonly)
		return TN_ERR_INVALID;
	if ((rc = store__u64_get(t, STORE_SEQ_RECORD, &last)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if ((rc = store__cursor(t, STORE_DB_SERIAL_IDX, &c)))
		return rc;
	rc = add_rows(t, c, rows, n, &last);
	store__cursor_done(t, STORE_DB_SERIAL_IDX, c);
	if (rc > 0 && (seq = store__u64_put(t, STORE_SEQ_RECORD, last)))
		return seq;
	return rc;
}
