/* SPDX-License-Identifier: Apache-2.0 */
/* Witnessing other nodes' audit logs: witness (peer name -> msgpack
 * tn_witnessed, the checkpoint held of that peer's log) and evidence (BE
 * id -> msgpack tn_evidence, the checkpoints refused or found behind). */
#include <string.h>

#include "store_int.h"

int store_witness_get(struct store_txn *t, const char *peer, struct tn_witnessed *w)
{
	MDB_val k, v;
	int rc;

	memset(w, 0, sizeof(*w));
	if ((rc = store__name_key(peer, &k)) || (rc = store__get(t, STORE_DB_WITNESS, &k, &v)))
		return rc;
	return store__obj_decode(&proto_witnessed_schema, &v, w);
}

int store_witness_put(struct store_txn *t, const char *peer, const struct tn_witnessed *w)
{
	MDB_val k;
	int rc = store__name_key(peer, &k);

	return rc ? rc : store__val_put(t, STORE_DB_WITNESS, &k, &proto_witnessed_schema, w, 0);
}

int store_evidence_add(struct store_txn *t, struct tn_evidence *e)
{
	int rc = store__next_id(t, STORE_SEQ_EVIDENCE, &e->id);

	return rc ? rc : store__obj_put(t, STORE_DB_EVIDENCE, e->id, &proto_evidence_schema, e, 0);
}

int store_evidence_each(struct store_txn *t, const char *peer, store_evidence_fn fn, void *arg)
{
	struct tn_evidence e;
	MDB_cursor *c;
	MDB_val k, v;
	int rc, op = MDB_FIRST;

	if ((rc = store__cursor(t, STORE_DB_EVIDENCE, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if ((rc = store__obj_decode(&proto_evidence_schema, &v, &e)))
			break;
		rc = peer && strcmp(peer, e.peer) ? 0 : fn(arg, &e);
		proto_release(&proto_evidence_schema, &e);
		if (rc)
			break;
	}
	store__cursor_done(t, STORE_DB_EVIDENCE, c);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}
