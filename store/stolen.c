/* SPDX-License-Identifier: Apache-2.0 */
/* Lost/stolen reports: add, recover, find the open ones by serial through
 * stolen_idx, list in id order. The index keeps recovered reports too. */
#include <string.h>

#include "store_int.h"

#define STATUS_OPEN "open"
#define STATUS_RECOVERED "recovered"

struct find_ctx {
	store_stolen_fn fn;
	void *arg;
	int count;
	int open_only;
};

static int is_open(const struct tn_stolen *s)
{
	return !strcmp(s->status, STATUS_OPEN);
}

/* Checked with proto_stolen_check first: the store only keeps what it
 * can decode again. */
int store_stolen_add(struct store_txn *t, struct tn_stolen *s)
{
	struct store__key k;
	uint64_t id, old = s->id;
	int rc;

	strcpy(s->status, STATUS_OPEN);
	memset(s->recovered_on, 0, sizeof(s->recovered_on));
	if (proto_stolen_check(s, NULL, 0) || store__key_make(&k, s->make, s->serial))
		return TN_ERR_INVALID;
	if ((rc = store__next_id(t, STORE_SEQ_STOLEN, &id)))
		return rc;
	s->id = id;
	rc = store__obj_put(t, STORE_DB_STOLEN, id, &proto_stolen_schema, s, MDB_APPEND);
	if (!rc)
		rc = store__key_put(t, STORE_DB_STOLEN_IDX, &k, id);
	if (!rc)
		rc = store__count_add(t, STORE_COUNT_OPEN, 1);
	if (rc)
		s->id = old;
	return rc;
}

int store_stolen_get(struct store_txn *t, uint64_t id, struct tn_stolen *s)
{
	int rc = store__obj_get(t, STORE_DB_STOLEN, id, &proto_stolen_schema, s);

	if (!rc)
		s->id = id;
	return rc;
}

int store_stolen_recover(struct store_txn *t, uint64_t id, const char *date, struct tn_stolen *out)
{
	struct tn_stolen s;
	int ret;

	if (!date || proto_date_check(date))
		return TN_ERR_INVALID;
	if ((ret = store_stolen_get(t, id, &s)))
		return ret;
	if (!is_open(&s)) {
		ret = TN_ERR_INVALID;
		goto out;
	}
	strcpy(s.status, STATUS_RECOVERED);
	strcpy(s.recovered_on, date);
	if ((ret = store__obj_put(t, STORE_DB_STOLEN, id, &proto_stolen_schema, &s, 0)) ||
	    (ret = store__count_add(t, STORE_COUNT_OPEN, -1)))
		goto out;
	if (out)
		*out = s;
out:
	proto_release(&proto_stolen_schema, &s);
	return ret;
}

/* Hand s to the caller's fn if it passes the filter. */
static int offer(struct find_ctx *c, const struct tn_stolen *s)
{
	if (c->open_only && !is_open(s))
		return 0;
	c->count++;
	return c->fn ? c->fn(c->arg, s) : 0;
}

static int visit(struct store_txn *t, uint64_t id, void *arg)
{
	struct tn_stolen s;
	int rc = store_stolen_get(t, id, &s);

	if (rc)
		return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
	rc = offer(arg, &s);
	proto_release(&proto_stolen_schema, &s);
	return rc;
}

/* fn may be NULL to count open matches only. */
int store_stolen_find(struct store_txn *t, const char *make, const char *serial,
		      store_stolen_fn fn, void *arg)
{
	struct find_ctx c = { fn, arg, 0, 1 };
	struct store__key k;
	int rc;

	if ((rc = store__key_make(&k, make, serial)) ||
	    (rc = store__key_walk(t, STORE_DB_STOLEN_IDX, &k, visit, &c)))
		return rc;
	return c.count;
}

static int each_value(struct find_ctx *c, const MDB_val *k, const MDB_val *v)
{
	struct tn_stolen s;
	int rc;

	if (k->mv_size != 8)
		return TN_ERR_STORE;
	if ((rc = store__obj_decode(&proto_stolen_schema, v, &s)))
		return rc;
	s.id = store__be64_get(k->mv_data);
	rc = offer(c, &s);
	proto_release(&proto_stolen_schema, &s);
	return rc;
}

int store_stolen_each(struct store_txn *t, int open_only, store_stolen_fn fn, void *arg)
{
	struct find_ctx c = { fn, arg, 0, open_only };
	MDB_cursor *cur;
	MDB_val k, v;
	int ret, rc;

	if ((ret = store__cursor(t, STORE_DB_STOLEN, &cur)))
		return ret;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); !rc;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if ((ret = each_value(&c, &k, &v)))
			goto out;
	ret = rc == MDB_NOTFOUND ? c.count : store__err(rc);
out:
	store__cursor_done(t, STORE_DB_STOLEN, cur);
	return ret;
}
