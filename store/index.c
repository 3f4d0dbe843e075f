/* SPDX-License-Identifier: Apache-2.0 */
/* Serial indexes (serial_idx, stolen_idx): keys built from the normalized
 * serial and make, and walks over the ids filed under one serial. */
#include <string.h>

#include "store_int.h"

/* The key for serial and, unless make is NULL or empty, make; without a
 * make it is the prefix "serial\0" shared by every make. */
int store__key_make(struct store__key *k, const char *make, const char *serial)
{
	char *p = (char *)k->b;
	int ns, nm = 0;

	if (!serial || (ns = proto_norm_serial(serial, p, TN_SERIAL_LEN)) <= 0)
		return TN_ERR_INVALID;
	k->exact = make && *make;
	if (k->exact && (nm = proto_norm_make(make, p + ns + 1, TN_MAKE_LEN)) <= 0)
		return TN_ERR_INVALID;
	p[ns] = '\0';
	k->len = (size_t)ns + 1 + (size_t)nm;
	return 0;
}

int store__key_put(struct store_txn *t, enum store__db db, const struct store__key *k, uint64_t id)
{
	uint8_t vb[8];
	MDB_val key = { k->len, (void *)k->b }, v = { sizeof(vb), vb };

	store__be64_put(vb, id);
	return store__put(t, db, &key, &v, MDB_NODUPDATA);
}

/* Call fn for each id under k (exact key, or every key with the prefix),
 * in key then id order. Stops at fn's first non-zero return and gives it
 * back; 0 when the walk ends. */
int store__key_walk(struct store_txn *t, enum store__db db, const struct store__key *k,
		    store__id_fn fn, void *arg)
{
	MDB_val key = { k->len, (void *)k->b }, v;
	MDB_cursor *c;
	int ret, rc;

	if ((ret = store__cursor(t, db, &c)))
		return ret;
	rc = mdb_cursor_get(c, &key, &v, k->exact ? MDB_SET_KEY : MDB_SET_RANGE);
	for (; !rc; rc = mdb_cursor_get(c, &key, &v, k->exact ? MDB_NEXT_DUP : MDB_NEXT)) {
		if (!k->exact && (key.mv_size < k->len || memcmp(key.mv_data, k->b, k->len)))
			break;
		if (v.mv_size != 8) {
			ret = TN_ERR_STORE;
			goto out;
		}
		if ((ret = fn(t, store__be64_get(v.mv_data), arg)))
			goto out;
	}
	ret = rc == MDB_NOTFOUND ? 0 : store__err(rc);
out:
	store__cursor_done(t, db, c);
	return ret;
}
