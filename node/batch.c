/* SPDX-License-Identifier: Apache-2.0 */
/* Group commit: every store write queued during a loop pass is applied in
 * one transaction just before the loop sleeps, and acknowledged only once
 * that transaction is durable (redis beforeSleep, LMDB one-writer). */
#include <stdlib.h>
#include <string.h>

#include "node.h"

struct batch_entry {
	batch_done_fn done;
	void *arg;
};

void batch_add(struct node *n, store_op_fn fn, batch_done_fn done, void *arg)
{
	struct store_op *ops;
	struct batch_entry *e;
	size_t cap;

	if (n->batch_len == n->batch_cap) {
		cap = n->batch_cap ? 2 * n->batch_cap : 64;
		ops = realloc(n->ops, cap * sizeof(*ops));
		if (ops)
			n->ops = ops;
		e = ops ? realloc(n->batch, cap * sizeof(*e)) : NULL;
		if (!e) {
			done(arg, TN_ERR_NOMEM);
			return;
		}
		n->batch = e;
		n->batch_cap = cap;
	}
	n->ops[n->batch_len] = (struct store_op){ .fn = fn, .arg = arg };
	n->batch[n->batch_len++] = (struct batch_entry){ .done = done, .arg = arg };
}

/* Apply and acknowledge one batch; returns how many ops it held. */
static size_t flush_once(struct node *n)
{
	size_t len = n->batch_len;
	struct batch_entry *batch = n->batch;
	struct store_op *ops = n->ops;
	int rc;

	if (!len)
		return 0;
	n->batch = NULL;
	n->ops = NULL;
	n->batch_len = n->batch_cap = 0;
	rc = store_apply(n->store, ops, len);
	if (rc)
		node_log("error", "commit of %zu writes failed: %s", len, tn_strerror(rc));
	else
		n->commits++;
	for (size_t i = 0; i < len; i++)
		batch[i].done(batch[i].arg, rc ? rc : ops[i].rc);
	free(batch);
	free(ops);
	return len;
}

void batch_flush(struct node *n)
{
	/* Acknowledging can release waiting requests that queue new writes;
	 * commit those too before the loop sleeps. */
	while (flush_once(n))
		;
}
