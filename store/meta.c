/* SPDX-License-Identifier: Apache-2.0 */
/* The meta database: caller metadata, the store's own id sequences and
 * counters (8-byte big-endian values under "store:" keys), statistics. */
#include <string.h>

#include "store_int.h"

static int meta_key(struct store_txn *t, const char *key, MDB_val *k)
{
	if (!key || !*key)
		return TN_ERR_INVALID;
	k->mv_size = strlen(key);
	k->mv_data = (void *)key;
	if (k->mv_size > (size_t)mdb_env_get_maxkeysize(t->s->env))
		return TN_ERR_INVALID;
	return 0;
}

int store__u64_get(struct store_txn *t, const char *key, uint64_t *val)
{
	MDB_val k = { strlen(key), (void *)key }, v;
	int rc;

	if ((rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	if (v.mv_size != 8)
		return TN_ERR_STORE;
	*val = store__be64_get(v.mv_data);
	return 0;
}

int store__u64_put(struct store_txn *t, const char *key, uint64_t val)
{
	uint8_t vb[8];
	MDB_val k = { strlen(key), (void *)key }, v = { sizeof(vb), vb };

	store__be64_put(vb, val);
	return store__put(t, STORE_DB_META, &k, &v, 0);
}

/* Next value of sequence seq; the first is 1. */
int store__next_id(struct store_txn *t, const char *seq, uint64_t *id)
{
	uint64_t last = 0;
	int rc;

	if ((rc = store__u64_get(t, seq, &last)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (last == UINT64_MAX)
		return TN_ERR_LIMIT;
	if ((rc = store__u64_put(t, seq, last + 1)))
		return rc;
	*id = last + 1;
	return 0;
}

/* Add delta to counter key (absent: 0); going below 0 means damage. */
int store__count_add(struct store_txn *t, const char *key, int delta)
{
	uint64_t n = 0;
	int rc;

	if ((rc = store__u64_get(t, key, &n)) && rc != TN_ERR_NOT_FOUND)
		return rc;
	if (delta < 0 && n < (uint64_t)-delta)
		return TN_ERR_STORE;
	return store__u64_put(t, key, n + (uint64_t)(int64_t)delta);
}

/* TN_ERR_TOO_BIG (with *len set) when the value does not fit in cap. */
int store_meta_get(struct store_txn *t, const char *key, void *val, size_t cap, size_t *len)
{
	MDB_val k, v;
	int rc;

	if ((rc = meta_key(t, key, &k)) || (rc = store__get(t, STORE_DB_META, &k, &v)))
		return rc;
	if (len)
		*len = v.mv_size;
	if (v.mv_size > cap)
		return TN_ERR_TOO_BIG;
	if (v.mv_size)
		memcpy(val, v.mv_data, v.mv_size);
	return 0;
}

/* Keys under "store:" belong to the store and are refused. */
int store_meta_put(struct store_txn *t, const char *key, const void *val, size_t len)
{
	MDB_val k, v = { len, (void *)val };
	int rc;

	if ((rc = meta_key(t, key, &k)))
		return rc;
	if (!strncmp(key, STORE_META_PREFIX, strlen(STORE_META_PREFIX)) || (len && !val))
		return TN_ERR_INVALID;
	return store__put(t, STORE_DB_META, &k, &v, 0);
}

/* Table sizes from the B-tree headers (O(1)); the open-report count from
 * meta; map usage from the last committed meta page. */
int store_stats(struct store_txn *t, struct store_stats *st)
{
	MDB_stat ms;
	MDB_envinfo info;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = store__err(mdb_stat(t->txn, t->s->dbi[STORE_DB_FIREARMS], &ms))))
		return rc;
	st->records = ms.ms_entries;
	if ((rc = store__err(mdb_stat(t->txn, t->s->dbi[STORE_DB_STOLEN], &ms))))
		return rc;
	st->stolen = ms.ms_entries;
	rc = store__u64_get(t, STORE_COUNT_OPEN, &st->stolen_open);
	if (rc && rc != TN_ERR_NOT_FOUND)
		return rc;
	if ((rc = store__err(mdb_env_info(t->s->env, &info))))
		return rc;
	st->map_size = info.me_mapsize;
	st->map_used = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
	return 0;
}
