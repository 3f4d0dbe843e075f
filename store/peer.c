/* SPDX-License-Identifier: Apache-2.0 */
/* Pinned peers: name -> msgpack tn_peer. */
#include <string.h>

#include "store_int.h"

static int name_key(const char *name, MDB_val *k)
{
	if (proto_country_check(name))
		return TN_ERR_INVALID;
	k->mv_size = strlen(name);
	k->mv_data = (void *)name;
	return 0;
}

int store_peer_put(struct store_txn *t, const struct tn_peer *p)
{
	struct proto_buf *b = &t->s->enc;
	MDB_val k, v;
	int rc;

	if (t->rdonly)
		return TN_ERR_INVALID;
	if ((rc = name_key(p->name, &k)))
		return rc;
	b->len = 0;
	if ((rc = proto_encode(&proto_peer_schema, p, b)))
		return rc;
	v.mv_size = b->len;
	v.mv_data = b->data;
	return store__put(t, STORE_DB_PEERS, &k, &v, 0);
}

int store_peer_del(struct store_txn *t, const char *name)
{
	MDB_val k;
	int rc;

	if ((rc = name_key(name, &k)))
		return rc;
	return store__rc(t, mdb_del(t->txn, t->s->dbi[STORE_DB_PEERS], &k, NULL));
}

int store_peer_each(struct store_txn *t, store_peer_fn fn, void *arg)
{
	struct tn_peer p;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, op = MDB_FIRST;

	if ((rc = store__cursor(t, STORE_DB_PEERS, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if ((rc = store__obj_decode(&proto_peer_schema, &v, &p)) || (rc = fn(arg, &p)))
			break;
	}
	store__cursor_done(t, STORE_DB_PEERS, c);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}
