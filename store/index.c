/* SPDX-License-Identifier: Apache-2.0 */
/* Serial indexes (serial_idx, stolen_idx): keys built from the folded and
 * the exact normalized serial and the make, and walks over the ids filed
 * under one serial. */
#include <string.h>

#include "store_int.h"

/* The key for serial and, unless make is NULL or empty, make: the folded
 * serial, 0x00, the make, 0x00, the serial. Without a make it is the
 * prefix "folded\0" shared by every make and every confusable spelling,
 * and walks keep only keys that end in the serial. */
int store__key_make(struct store__key *k, const char *make, const char *serial)
{
	char *p = (char *)k->b;
	int ns, nm = 0;

	if (!serial || (ns = proto_norm_serial(serial, k->serial, TN_SERIAL_LEN)) <= 0 ||
	    match_fold_serial(k->serial, p, TN_SERIAL_LEN) != ns)
		return TN_ERR_INVALID;
	k->slen = (size_t)ns;
	k->plen = k->slen + 1;
	k->exact = make && *make;
	if (k->exact && (nm = proto_norm_make(make, p + k->plen, TN_MAKE_LEN)) <= 0)
		return TN_ERR_INVALID;
	k->len = k->plen;
	if (k->exact) {
		k->len += (size_t)nm + 1;
		memcpy(p + k->len, k->serial, k->slen);
		k->len += k->slen;
	}
	return 0;
}

int store__key_split(const MDB_val *key, struct store__key_parts *out)
{
	const char *b = key->mv_data, *m, *sr;
	size_t n = key->mv_size;

	if (!(m = memchr(b, '\0', n)) || !(sr = memchr(m + 1, '\0', n - (size_t)(m + 1 - b))))
		return TN_ERR_STORE;
	out->fold = b;
	out->flen = (size_t)(m - b);
	out->make = m + 1;
	out->mlen = (size_t)(sr - m - 1);
	out->serial = sr + 1;
	out->slen = n - (size_t)(sr + 1 - b);
	return 0;
}

/* A key under k's prefix that is k's serial under some make. */
static int same_serial(const struct store__key *k, const MDB_val *key)
{
	struct store__key_parts kp;

	return !store__key_split(key, &kp) && kp.slen == k->slen &&
	       !memcmp(kp.serial, k->serial, k->slen);
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
		if (!k->exact && !same_serial(k, &key))
			continue;
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
