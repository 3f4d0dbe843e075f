/* SPDX-License-Identifier: Apache-2.0 */
/* Group commit: the ops of one batch in one durable write transaction.
 * They run straight in it; only when one of them fails is the batch run
 * again with each op in a nested transaction, so that the failure undoes
 * that op alone. (A nested transaction copies every page it touches and
 * allocates its own lists: most of a small op's cost.) A full map grows
 * and the batch runs again too (after a checkpoint, which frees the pages
 * the journal held, if that can help), so an op must give the same result
 * when it runs twice. */
#include "store_int.h"

/* The batch must run again, each op nested. */
#define STORE_RERUN_NESTED 1

/* Run op in the writer's transaction, or in a child of it when nested.
 * 0 when the batch can go on (a nested op's own failure is only recorded),
 * STORE_RERUN_NESTED, TN_ERR_MAP_FULL to grow and replay, or another
 * negative code to give the batch up. */
static int run_op(struct store_txn *t, struct store_op *op, int nested)
{
	MDB_txn *parent = t->txn, *child = NULL;
	size_t mark = store__journal_mark(t->s);
	struct store__audit_head head = t->head;
	int rc;

	if (nested && (rc = store__begin(t->s, parent, 0, &child)))
		return rc;
	if (child)
		t->txn = child;
	t->full = 0;
	op->rc = op->fn(t, op->arg);
	t->txn = parent;
	if (t->full || op->rc == TN_ERR_MAP_FULL) {
		if (child)
			mdb_txn_abort(child);
		return TN_ERR_MAP_FULL;
	}
	if (op->rc < 0 && !child)
		return STORE_RERUN_NESTED;
	if (op->rc < 0) {
		mdb_txn_abort(child);
		store__journal_rewind(t->s, mark);
		t->head = head;
		return 0;
	}
	if (!child)
		return 0;
	if ((rc = mdb_txn_commit(child)) == MDB_MAP_FULL)
		return TN_ERR_MAP_FULL;
	if (rc) {
		op->rc = store__err(rc);
		store__journal_rewind(t->s, mark);
		t->head = head;
	}
	return 0;
}

static int apply_once(struct store *s, struct store_op *ops, size_t n, int nested)
{
	struct store_txn *t = &s->w;
	MDB_txn *parent;
	int rc = 0;

	if ((rc = store__begin(s, NULL, 0, &parent)))
		return rc;
	t->s = s;
	t->txn = parent;
	memset(&t->head, 0, sizeof(t->head));
	for (size_t i = 0; i < n && !rc; i++)
		rc = run_op(t, &ops[i], nested);
	if (!rc)
		rc = store__audit_head_flush(t);
	t->txn = NULL;
	if (rc) {
		mdb_txn_abort(parent);
		store__journal_reset(s);
		return rc;
	}
	if ((rc = store__err(mdb_txn_commit(parent)))) {
		store__journal_reset(s);
		return rc;
	}
	return store__journal_commit(s);
}

/* A commit failed for want of room: a checkpoint lets LMDB reuse the
 * pages the journal held; failing that, a full map grows. 0: run the
 * batch again. */
static int find_room(struct store *s, int why)
{
	int rc = store__journal_make_room(s);

	if (rc)
		return rc < 0 ? rc : 0;
	return why == TN_ERR_MAP_FULL ? store__grow(s) : why;
}

/* The map can only grow while this process has no transaction open, so
 * the batch is aborted, the map doubled and the batch run again. */
int store_apply(struct store *s, struct store_op *ops, size_t n)
{
	int nested = 0, rc;

	if (s->w.txn)
		return TN_ERR_INVALID; /* called from inside an op */
	if (s->j.broken)
		return TN_ERR_IO;
	if (!n)
		return 0;
	for (;;) {
		rc = apply_once(s, ops, n, nested);
		if (rc == STORE_RERUN_NESTED && n == 1)
			rc = 0;       /* its failure undid it already */
		if (rc == STORE_RERUN_NESTED)
			nested = 1;
		else if ((rc != TN_ERR_MAP_FULL && rc != TN_ERR_DISK_FULL) || (rc = find_room(s, rc)))
			break;
	}
	for (size_t i = 0; rc && i < n; i++)
		ops[i].rc = rc;
	return rc;
}

int store_write(struct store *s, store_op_fn fn, void *arg)
{
	struct store_op op = { fn, arg, 0 };
	int rc = store_apply(s, &op, 1);

	return rc ? rc : op.rc;
}
