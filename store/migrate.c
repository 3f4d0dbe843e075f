/* SPDX-License-Identifier: Apache-2.0 */
/* Layout upgrades, run at open inside the transaction that checks the
 * version. Version 1 filed serials unfolded (serial 0x00 make); version 2
 * files them under the folded serial, so both serial indexes are rebuilt
 * from the records and reports they point at. */
#include "store_int.h"

typedef int (*key_of_fn)(const MDB_val *v, struct store__key *k);

static int record_key(const MDB_val *v, struct store__key *k)
{
	struct tn_record r;
	int rc = store__obj_decode(&proto_record_schema, v, &r);

	if (!rc)
		rc = store__key_make(k, r.make, r.serial);
	proto_release(&proto_record_schema, &r);
	return rc;
}

static int stolen_key(const MDB_val *v, struct store__key *k)
{
	struct tn_stolen s;
	int rc = store__obj_decode(&proto_stolen_schema, v, &s);

	if (!rc)
		rc = store__key_make(k, s.make, s.serial);
	proto_release(&proto_stolen_schema, &s);
	return rc;
}

/* Empty idx, then file every object of db in it again. */
static int reindex(struct store_txn *t, enum store__db db, enum store__db idx, key_of_fn key_of)
{
	struct store__key k;
	MDB_cursor *c;
	MDB_val id, v;
	int ret, rc;

	store__journal_unrecorded(t->s);
	if ((ret = store__rc(t, mdb_drop(t->txn, t->s->dbi[idx], 0))) ||
	    (ret = store__cursor(t, db, &c)))
		return ret;
	for (rc = mdb_cursor_get(c, &id, &v, MDB_FIRST); !rc;
	     rc = mdb_cursor_get(c, &id, &v, MDB_NEXT)) {
		ret = id.mv_size != 8 ? TN_ERR_STORE : key_of(&v, &k);
		if (!ret)
			ret = store__key_put(t, idx, &k, store__be64_get(id.mv_data));
		if (ret)
			goto out;
	}
	ret = rc == MDB_NOTFOUND ? 0 : store__rc(t, rc);
out:
	store__cursor_done(t, db, c);
	return ret;
}

int store__migrate(struct store_txn *t, uint64_t *version)
{
	int rc = 0;

	if (*version == 1 &&
	    !(rc = reindex(t, STORE_DB_FIREARMS, STORE_DB_SERIAL_IDX, record_key)) &&
	    !(rc = reindex(t, STORE_DB_STOLEN, STORE_DB_STOLEN_IDX, stolen_key)))
		*version = 2;
	if (!rc && *version == STORE_VERSION)
		rc = store__u64_put(t, STORE_META_VERSION, *version);
	return rc;
}
