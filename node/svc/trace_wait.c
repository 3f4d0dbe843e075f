/* SPDX-License-Identifier: Apache-2.0 */
/* Console requests waiting for the result of one of our traces. Each
 * waiter's view is audited inside the transaction that stores the result,
 * so the operator sees the result one commit after it arrives, and no
 * client polls. */
#include <stdbool.h>
#include <stdlib.h>

#include "svc.h"

struct waiter {
	struct pending wait;   /* first */
	trace_view_fn view;
	trace_wait_fn done;
	void *arg;
	bool acted;            /* the view is audited for who, else for the node */
	struct node_actor who;
};

static void ended(struct pending *w, int rc)
{
	struct waiter *x = (struct waiter *)w;

	x->done(x->arg, rc);
	pending_free(w);
}

static void released(struct pending *w)
{
	free(w);
}

struct pending *trace_wait(struct node *n, uint64_t id, uint64_t timeout_ms, trace_view_fn view,
			   trace_wait_fn done, void *arg)
{
	struct waiter *x = calloc(1, sizeof(*x));

	if (!x) {
		done(arg, TN_ERR_NOMEM);
		return NULL;
	}
	x->view = view;
	x->done = done;
	x->arg = arg;
	if ((x->acted = n->actor != NULL))
		x->who = *n->actor;
	x->wait.done = ended;
	x->wait.release = released;
	pending_start(n, &x->wait, PENDING_TRACE, id, timeout_ms);
	return &x->wait;
}

int trace_wait_view(struct store_txn *t, struct node *n, const struct tn_trace *tr)
{
	int rc = 0;

	for (struct pending *w = pending_find(n, PENDING_TRACE, tr->id); w && !rc;
	     w = pending_next(w)) {
		struct waiter *x = (struct waiter *)w;
		const struct node_actor *was = batch_act_as(x->acted ? &x->who : NULL);

		rc = x->view(t, x->arg, tr);
		batch_act_as(was);
	}
	return rc;
}

void trace_wait_end(struct node *n, uint64_t id)
{
	struct pending *w;

	while ((w = pending_find(n, PENDING_TRACE, id)))
		pending_end(w, 0);
}
