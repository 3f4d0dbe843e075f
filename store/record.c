/* SPDX-License-Identifier: Apache-2.0 */
/* Firearm records: add (refusing duplicates), read, append events, and
 * find by serial through serial_idx. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct find_ctx {
	store_record_fn fn;
	void *arg;
	int count;
};

static int is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned char upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Next alphanumeric of *p, upper-cased, advancing past it; 0 at the end. */
static unsigned char next_alnum(const unsigned char **p)
{
	while (**p && !is_alnum(**p))
		(*p)++;
	return **p ? upper(*(*p)++) : 0;
}

/* Models compare case-insensitively, ignoring everything but letters and
 * digits: "M&P 9" is "mp9". */
int store__same_model(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	unsigned char x, y;

	do {
		x = next_alnum(&p);
		y = next_alnum(&q);
	} while (x && x == y);
	return x == y;
}

int store_record_get(struct store_txn *t, uint64_t id, struct tn_record *r)
{
	int rc = store__obj_get(t, STORE_DB_FIREARMS, id, &proto_record_schema, r);

	if (!rc)
		r->id = id;
	return rc;
}

/* A serial_idx entry must point at a record. */
static int get_indexed(struct store_txn *t, uint64_t id, struct tn_record *r)
{
	int rc = store_record_get(t, id, r);

	return rc == TN_ERR_NOT_FOUND ? TN_ERR_STORE : rc;
}

int store__refuse_same_model(struct store_txn *t, uint64_t id, void *arg)
{
	struct tn_record r;
	int rc;

	if ((rc = get_indexed(t, id, &r)))
		return rc;
	rc = store__same_model(r.model, arg) ? TN_ERR_EXISTS : 0;
	proto_release(&proto_record_schema, &r);
	return rc;
}

/* Checked with proto_record_check first: the store only keeps what it
 * can decode again. */
int store_record_add(struct store_txn *t, struct tn_record *r)
{
	struct store__key k;
	uint64_t id, old = r->id;
	int rc;

	if (r->n_events > TN_EVENTS_MAX)
		return TN_ERR_LIMIT;
	if (proto_record_check(r, NULL, 0) || store__key_make(&k, r->make, r->serial))
		return TN_ERR_INVALID;
	if ((rc = store__key_walk(t, STORE_DB_SERIAL_IDX, &k, store__refuse_same_model, r->model)) ||
	    (rc = store__next_id(t, STORE_SEQ_RECORD, &id)))
		return rc;
	r->id = id;
	rc = store__obj_put(t, STORE_DB_FIREARMS, id, &proto_record_schema, r, MDB_APPEND);
	if (!rc)
		rc = store__key_put(t, STORE_DB_SERIAL_IDX, &k, id);
	if (rc)
		r->id = old;
	return rc;
}

/* Encodes a copy of the event array with e appended; the decoded array
 * stays with r so that proto_release frees what decode allocated. */
int store_record_add_event(struct store_txn *t, uint64_t id, const struct tn_event *e)
{
	struct tn_event *ev = NULL, *orig;
	struct tn_record r;
	int ret;

	if (!e || proto_event_check(e, NULL, 0))
		return TN_ERR_INVALID;
	if ((ret = store_record_get(t, id, &r)))
		return ret;
	if (r.n_events >= TN_EVENTS_MAX) {
		ret = TN_ERR_LIMIT;
		goto out;
	}
	if (!(ev = malloc(((size_t)r.n_events + 1) * sizeof(*ev)))) {
		ret = TN_ERR_NOMEM;
		goto out;
	}
	if (r.n_events)
		memcpy(ev, r.events, r.n_events * sizeof(*ev));
	ev[r.n_events] = *e;
	orig = r.events;
	r.events = ev;
	r.n_events++;
	ret = store__obj_put(t, STORE_DB_FIREARMS, id, &proto_record_schema, &r, 0);
	r.events = orig;
	r.n_events--;
out:
	free(ev);
	proto_release(&proto_record_schema, &r);
	return ret;
}

static int visit(struct store_txn *t, uint64_t id, void *arg)
{
	struct find_ctx *c = arg;
	struct tn_record r;
	int rc;

	if (!c->fn) {
		c->count++;
		return 0;
	}
	if ((rc = get_indexed(t, id, &r)))
		return rc;
	c->count++;
	rc = c->fn(c->arg, &r);
	proto_release(&proto_record_schema, &r);
	return rc;
}

/* fn may be NULL to count matches without decoding them. */
int store_record_find(struct store_txn *t, const char *make, const char *serial,
		      store_record_fn fn, void *arg)
{
	struct find_ctx c = { fn, arg, 0 };
	struct store__key k;
	int rc;

	if ((rc = store__key_make(&k, make, serial)) ||
	    (rc = store__key_walk(t, STORE_DB_SERIAL_IDX, &k, visit, &c)))
		return rc;
	return c.count;
}
