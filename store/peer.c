/* SPDX-License-Identifier: Apache-2.0 */
/* Pinned peers: name -> msgpack tn_peer. */
#include <string.h>

#include "store_int.h"

int store_peer_put(struct store_txn *t, const struct tn_peer *p)
{
	MDB_val k;
	int rc = store__name_key(p->name, &k);

	return rc ? rc : store__val_put(t, STORE_DB_PEERS, &k, &proto_peer_schema, p, 0);
}

int store_peer_del(struct store_txn *t, const char *name)
{
	MDB_val k;
	int rc;

	if ((rc = store__name_key(name, &k)))
		return rc;
	return store__del(t, STORE_DB_PEERS, &k, NULL);
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
