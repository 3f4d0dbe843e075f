/* SPDX-License-Identifier: Apache-2.0 */
/* LMDB reads and writes through a store_txn: gets and puts, cursors,
 * msgpack values. */
#include <string.h>

#include "store_int.h"

int store__get(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v)
{
	return store__err(mdb_get(t->txn, t->s->dbi[db], k, v));
}

/* A value put with MDB_RESERVE is filled after the put: its commit is a
 * checkpoint rather than a record of it. */
int store__put(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v, unsigned flags)
{
	int rc = store__rc(t, mdb_put(t->txn, t->s->dbi[db], k, v, flags));

	if (!rc)
		store__journal_op(t, STORE_JR_PUT, db, k, flags & MDB_RESERVE ? NULL : v);
	return rc;
}

int store__del(struct store_txn *t, enum store__db db, MDB_val *k, MDB_val *v)
{
	int rc = store__rc(t, mdb_del(t->txn, t->s->dbi[db], k, v));

	if (!rc)
		store__journal_op(t, v ? STORE_JR_DEL_DUP : STORE_JR_DEL, db, k, v);
	return rc;
}

/* The key and value are recorded before the delete, which may reuse
 * the page they are on. */
int store__cursor_del(struct store_txn *t, enum store__db db, MDB_cursor *c)
{
	size_t mark = store__journal_mark(t->s);
	MDB_val k, v;
	int rc = mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT);

	if (rc)
		return store__rc(t, rc);
	store__journal_op(t, db == STORE_DB_SERIAL_IDX || db == STORE_DB_STOLEN_IDX ?
			  STORE_JR_DEL_DUP : STORE_JR_DEL, db, &k, &v);
	if ((rc = mdb_cursor_del(c, 0)))
		store__journal_rewind(t->s, mark);
	return store__rc(t, rc);
}

int store__cursor_put(struct store_txn *t, enum store__db db, MDB_cursor *c, MDB_val *k,
		      MDB_val *v, unsigned flags)
{
	int rc = store__rc(t, mdb_cursor_put(c, k, v, flags));

	if (!rc)
		store__journal_op(t, STORE_JR_PUT, db, k, flags & MDB_RESERVE ? NULL : v);
	return rc;
}

/* Read txns lend their kept cursor (renewed once per snapshot) unless it
 * is already in use further up the stack; write txns open a fresh one. */
int store__cursor(struct store_txn *t, enum store__db db, MDB_cursor **out)
{
	uint32_t bit = 1u << db;
	int rc;

	if (!t->rdonly || (t->busy & bit))
		return store__err(mdb_cursor_open(t->txn, t->s->dbi[db], out));
	if (!t->cur[db])
		rc = mdb_cursor_open(t->txn, t->s->dbi[db], &t->cur[db]);
	else if (!(t->bound & bit))
		rc = mdb_cursor_renew(t->txn, t->cur[db]);
	else
		rc = 0;
	if (rc)
		return store__err(rc);
	t->bound |= bit;
	t->busy |= bit;
	*out = t->cur[db];
	return 0;
}

void store__cursor_done(struct store_txn *t, enum store__db db, MDB_cursor *c)
{
	if (c == t->cur[db])
		t->busy &= ~(1u << db);
	else
		mdb_cursor_close(c);
}

void store__cursors_close(struct store_txn *t)
{
	for (int i = 0; i < STORE_DB_COUNT; i++) {
		if (t->cur[i])
			mdb_cursor_close(t->cur[i]);
		t->cur[i] = NULL;
	}
}

/* A value that does not decode is a damaged store, not a bad request. */
int store__obj_decode(const struct proto_schema *sch, const MDB_val *v, void *obj)
{
	int rc = proto_decode(sch, v->mv_data, v->mv_size, obj, NULL, 0);

	if (rc == TN_ERR_NOMEM)
		return rc;
	return rc ? TN_ERR_STORE : 0;
}

int store__obj_get(struct store_txn *t, enum store__db db, uint64_t id,
		   const struct proto_schema *sch, void *obj)
{
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb }, v;
	int rc;

	store__be64_put(kb, id);
	if ((rc = store__get(t, db, &k, &v))) {
		memset(obj, 0, sch->size);
		return rc;
	}
	return store__obj_decode(sch, &v, obj);
}

/* Encode obj into the writer's scratch buffer and put it under id. */
int store__name_key(const char *name, MDB_val *k)
{
	if (proto_country_check(name))
		return TN_ERR_INVALID;
	k->mv_size = strlen(name);
	k->mv_data = (void *)name;
	return 0;
}

int store__val_put(struct store_txn *t, enum store__db db, MDB_val *k,
		   const struct proto_schema *sch, const void *obj, unsigned flags)
{
	struct proto_buf *b = &t->s->enc;
	MDB_val v;
	int rc;

	if (t->rdonly)
		return TN_ERR_INVALID;
	b->len = 0;
	if ((rc = proto_encode(sch, obj, b)))
		return rc;
	v.mv_size = b->len;
	v.mv_data = b->data;
	return store__put(t, db, k, &v, flags);
}

int store__obj_put(struct store_txn *t, enum store__db db, uint64_t id,
		   const struct proto_schema *sch, const void *obj, unsigned flags)
{
	uint8_t kb[8];
	MDB_val k = { sizeof(kb), kb };

	store__be64_put(kb, id);
	return store__val_put(t, db, &k, sch, obj, flags);
}
