/* SPDX-License-Identifier: Apache-2.0 */
/* Traces: req_out (ours, by id), req_in (peers', by id, plus 11-byte keys
 * peer || ref -> id that make a repeated request recognisable), and the
 * outbox (peer || seq -> message), oldest first per peer. */
#include <string.h>

#include "store_int.h"

int store_trace_put(struct store_txn *t, struct tn_trace *tr)
{
	int rc;

	if (!tr->id && (rc = store__next_id(t, STORE_SEQ_TRACE, &tr->id)))
		return rc;
	return store__obj_put(t, STORE_DB_REQ_OUT, tr->id, &proto_trace_schema, tr, 0);
}

int store_trace_last(struct store_txn *t, uint64_t *id)
{
	int rc = store__u64_get(t, STORE_SEQ_TRACE, id);

	if (rc == TN_ERR_NOT_FOUND)
		*id = 0;
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}

int store_trace_add(struct store_txn *t, const struct tn_trace *tr)
{
	uint64_t last;
	int rc;

	if (!tr->id)
		return TN_ERR_INVALID;
	if ((rc = store_trace_last(t, &last)))
		return rc;
	if (tr->id > last && (rc = store__u64_put(t, STORE_SEQ_TRACE, tr->id)))
		return rc;
	return store__obj_put(t, STORE_DB_REQ_OUT, tr->id, &proto_trace_schema, tr,
			      MDB_NOOVERWRITE);
}

int store_trace_get(struct store_txn *t, uint64_t id, struct tn_trace *tr)
{
	return store__obj_get(t, STORE_DB_REQ_OUT, id, &proto_trace_schema, tr);
}

/* Walk db's 8-byte keys in order, decoding each value with sch. */
static int walk_ids(struct store_txn *t, enum store__db db, const struct proto_schema *sch,
		    void *obj, int (*fn)(void *arg, const void *obj), void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc, op = MDB_FIRST;

	if ((rc = store__cursor(t, db, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 8)
			continue;
		if ((rc = store__obj_decode(sch, &v, obj)))
			break;
		rc = fn(arg, obj);
		proto_release(sch, obj);
		if (rc)
			break;
	}
	store__cursor_done(t, db, c);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}

struct typed {
	store_trace_fn out;
	store_trace_in_fn in;
	void *arg;
};

static int call_out(void *arg, const void *obj)
{
	struct typed *x = arg;

	return x->out(x->arg, obj);
}

static int call_in(void *arg, const void *obj)
{
	struct typed *x = arg;

	return x->in(x->arg, obj);
}

int store_trace_each(struct store_txn *t, store_trace_fn fn, void *arg)
{
	struct typed x = { .out = fn, .arg = arg };
	struct tn_trace tr;

	return walk_ids(t, STORE_DB_REQ_OUT, &proto_trace_schema, &tr, call_out, &x);
}

static void ref_key(uint8_t key[11], const char *peer, uint64_t ref)
{
	memcpy(key, peer, 3);
	store__be64_put(key + 3, ref);
}

int store_trace_in_put(struct store_txn *t, struct tn_trace_in *tr)
{
	uint8_t kb[11], idb[8];
	MDB_val k = { sizeof(kb), kb }, v = { sizeof(idb), idb };
	int rc;

	if (!tr->id) {
		ref_key(kb, tr->peer, tr->req.ref);
		if (!store__get(t, STORE_DB_REQ_IN, &k, &v) && v.mv_size == 8) {
			tr->id = store__be64_get(v.mv_data);
			return TN_ERR_EXISTS;
		}
		if ((rc = store__next_id(t, STORE_SEQ_TRACE_IN, &tr->id)))
			return rc;
		store__be64_put(idb, tr->id);
		v = (MDB_val){ sizeof(idb), idb };
		if ((rc = store__put(t, STORE_DB_REQ_IN, &k, &v, 0)))
			return rc;
	}
	return store__obj_put(t, STORE_DB_REQ_IN, tr->id, &proto_trace_in_schema, tr, 0);
}

int store_trace_in_get(struct store_txn *t, uint64_t id, struct tn_trace_in *tr)
{
	return store__obj_get(t, STORE_DB_REQ_IN, id, &proto_trace_in_schema, tr);
}

int store_trace_in_each(struct store_txn *t, store_trace_in_fn fn, void *arg)
{
	struct typed x = { .in = fn, .arg = arg };
	struct tn_trace_in tr;

	return walk_ids(t, STORE_DB_REQ_IN, &proto_trace_in_schema, &tr, call_in, &x);
}

/* Visit the peer's outbox entries: fn gets the cursor positioned on each. */
static int outbox_walk(struct store_txn *t, const char *peer,
		       int (*fn)(void *arg, MDB_cursor *c, const MDB_val *v), void *arg)
{
	uint8_t kb[11];
	MDB_val k = { sizeof(kb), kb }, v;
	MDB_cursor *c;
	int rc, op = MDB_SET_RANGE;

	ref_key(kb, peer, 0);
	if ((rc = store__cursor(t, STORE_DB_OUTBOX, &c)))
		return rc;
	while ((rc = store__err(mdb_cursor_get(c, &k, &v, op))) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != 11 || memcmp(k.mv_data, peer, 3))
			break;
		if ((rc = fn(arg, c, &v)))
			break;
	}
	store__cursor_done(t, STORE_DB_OUTBOX, c);
	return rc == TN_ERR_NOT_FOUND ? 0 : rc;
}

static int count_one(void *arg, MDB_cursor *c, const MDB_val *v)
{
	(void)c;
	(void)v;
	return ++*(int *)arg >= STORE_OUTBOX_MAX ? TN_ERR_LIMIT : 0;
}

int store_outbox_add(struct store_txn *t, const struct tn_outmsg *m)
{
	struct proto_buf *b = &t->s->enc;
	uint8_t kb[11];
	MDB_val k = { sizeof(kb), kb }, v;
	uint64_t seq;
	int count = 0, rc;

	if (proto_country_check(m->peer))
		return TN_ERR_INVALID;
	if ((rc = outbox_walk(t, m->peer, count_one, &count)) ||
	    (rc = store__next_id(t, STORE_SEQ_OUTBOX, &seq)))
		return rc;
	b->len = 0;
	if ((rc = proto_encode(&proto_outmsg_schema, m, b)))
		return rc;
	ref_key(kb, m->peer, seq);
	v = (MDB_val){ b->len, b->data };
	return store__put(t, STORE_DB_OUTBOX, &k, &v, 0);
}

struct each_ctx {
	store_outmsg_fn fn;
	void *arg;
	const uint8_t *mid;
	struct store_txn *t;
};

static int each_one(void *arg, MDB_cursor *c, const MDB_val *v)
{
	struct each_ctx *x = arg;
	struct tn_outmsg m;
	int rc;

	(void)c;
	if ((rc = store__obj_decode(&proto_outmsg_schema, v, &m)))
		return rc;
	rc = x->fn(x->arg, &m);
	proto_release(&proto_outmsg_schema, &m);
	return rc;
}

int store_outbox_each(struct store_txn *t, const char *peer, store_outmsg_fn fn, void *arg)
{
	struct each_ctx x = { fn, arg, NULL };

	return outbox_walk(t, peer, each_one, &x);
}

struct depth_ctx {
	uint64_t count, oldest_ms;
};

static int depth_one(void *arg, MDB_cursor *c, const MDB_val *v)
{
	struct depth_ctx *x = arg;
	struct tn_outmsg m;
	int rc;

	(void)c;
	if (x->count++)
		return 0;
	if ((rc = store__obj_decode(&proto_outmsg_schema, v, &m)))
		return rc;
	x->oldest_ms = m.created_ms;
	proto_release(&proto_outmsg_schema, &m);
	return 0;
}

int store_outbox_depth(struct store_txn *t, const char *peer, uint64_t *count,
		       uint64_t *oldest_ms)
{
	struct depth_ctx x = { 0, 0 };
	int rc = outbox_walk(t, peer, depth_one, &x);

	*count = x.count;
	*oldest_ms = x.oldest_ms;
	return rc;
}

static int del_one(void *arg, MDB_cursor *c, const MDB_val *v)
{
	struct each_ctx *x = arg;
	struct tn_outmsg m;
	int rc, match;

	if ((rc = store__obj_decode(&proto_outmsg_schema, v, &m)))
		return rc;
	match = !memcmp(m.mid, x->mid, TN_MID_LEN);
	proto_release(&proto_outmsg_schema, &m);
	if (!match)
		return 0;
	return (rc = store__cursor_del(x->t, STORE_DB_OUTBOX, c)) ? rc : 1;
}

int store_outbox_del(struct store_txn *t, const char *peer, const uint8_t mid[16])
{
	struct each_ctx x = { NULL, NULL, mid, t };
	int rc;

	if (t->rdonly)
		return TN_ERR_INVALID;
	rc = outbox_walk(t, peer, del_one, &x);
	return rc == 1 ? 0 : rc ? rc : TN_ERR_NOT_FOUND;
}
