/* SPDX-License-Identifier: Apache-2.0 */
/* What is still in flight with a peer, so that unpinning it is never
 * silent: our outbox messages to it, our traces waiting for its answer,
 * and its trace requests waiting in our review inbox. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct flight {
	const char *peer;
	uint32_t outbox, traces, inbox;
};

static int count_out(void *arg, const struct tn_outmsg *o)
{
	(void)o;
	((struct flight *)arg)->outbox++;
	return 0;
}

static int count_trace(void *arg, const struct tn_trace *tr)
{
	struct flight *f = arg;

	if (!strcmp(tr->peer, f->peer) && !trace_has_result(tr) && strcmp(tr->status, "purged"))
		f->traces++;
	return 0;
}

static int count_in(void *arg, const struct tn_trace_in *tr)
{
	struct flight *f = arg;

	if (!strcmp(tr->peer, f->peer) && !strcmp(tr->status, "in_review"))
		f->inbox++;
	return 0;
}

int cmd_peer_in_flight(struct node *n, const char *peer, char *why, size_t len)
{
	struct flight f = { .peer = peer };
	struct store_txn *t;
	int rc;

	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	if (!(rc = store_outbox_each(t, peer, count_out, &f)) &&
	    !(rc = store_trace_each(t, count_trace, &f)))
		rc = store_trace_in_each(t, count_in, &f);
	store_read_end(t);
	if (rc)
		return rc;
	if (!f.outbox && !f.traces && !f.inbox)
		return 0;
	snprintf(why, len, "%s has %u messages in our outbox not yet acknowledged, %u of our traces "
		 "waiting for its answer and %u of its requests in our review inbox", peer, f.outbox,
		 f.traces, f.inbox);
	return 1;
}
