/* SPDX-License-Identifier: Apache-2.0 */
/* Group commit: every store write queued during a loop pass is applied in
 * one transaction just before the loop sleeps, and acknowledged only once
 * that transaction is durable (redis beforeSleep, LMDB one-writer). Writes
 * nobody waits for ride along with the next commit, or commit alone after
 * BATCH_LATER_MS, so they never add a commit in series to a request. */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

struct batch_entry {
	store_op_fn fn;
	batch_done_fn done;
	void *arg;
	bool acted;                  /* for actor, else for the node itself */
	struct node_actor actor;
};

static const struct node_actor *running;

const uint32_t node_commit_le_us[NODE_COMMIT_BUCKETS] = {
	250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
};

/* Count a commit that took us microseconds in its latency bucket. */
static void commit_timed(struct node_counts *c, uint64_t us)
{
	int i = 0;

	while (i < NODE_COMMIT_BUCKETS && us > node_commit_le_us[i])
		i++;
	c->commit_le[i]++;
	c->commit_us_sum += us;
}

const struct node_actor *batch_actor(void)
{
	return running;
}

const struct node_actor *batch_act_as(const struct node_actor *who)
{
	const struct node_actor *was = running;

	running = who;
	return was;
}

/* Every op runs through here, so that the audit entries it writes name
 * whom it acts for. */
static int run_entry(struct store_txn *t, void *arg)
{
	struct batch_entry *e = arg;
	int rc;

	running = e->acted ? &e->actor : NULL;
	rc = e->fn(t, e->arg);
	running = NULL;
	return rc;
}

static void add_entry(struct node *n, const struct node_actor *who, store_op_fn fn,
		      batch_done_fn done, void *arg)
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
	e = &n->batch[n->batch_len++];
	e->fn = fn;
	e->done = done;
	e->arg = arg;
	if ((e->acted = who != NULL))
		e->actor = *who;
}

void batch_add(struct node *n, store_op_fn fn, batch_done_fn done, void *arg)
{
	batch_add_as(n, n->actor, fn, done, arg);
}

void batch_add_as(struct node *n, const struct node_actor *who, store_op_fn fn,
		  batch_done_fn done, void *arg)
{
	n->batch_waited++;
	add_entry(n, who, fn, done, arg);
}

static void on_later(uv_timer_t *t)
{
	batch_flush_all(t->data);
}

void batch_add_later(struct node *n, store_op_fn fn, batch_done_fn done, void *arg)
{
	uv_handle_t *h = (uv_handle_t *)&n->later;

	if (!uv_is_active(h) && !uv_is_closing(h))
		uv_timer_start(&n->later, on_later, BATCH_LATER_MS, 0);
	add_entry(n, n->actor, fn, done, arg);
}

void batch_start(struct node *n)
{
	uv_timer_init(&n->loop, &n->later);
	n->later.data = n;
}

/* A commit LMDB made but the disk may not hold: the store takes no more
 * writes, and the node stops, so that its next start returns the store
 * to the last durable commit. */
static void stop_if_broken(struct node *n)
{
	struct store_journal_stats js;

	store_journal_stats(n->store, &js);
	if (!js.broken || n->store_broken)
		return;
	n->store_broken = 1;
	node_log("error", "%s: the store could not make a commit durable (see the next line); "
		 "stopping: start the node again once the disk is sound, and it replays its "
		 "journal", n->cfg.name);
	uv_kill(uv_os_getpid(), SIGTERM);
}

/* Apply and acknowledge one batch; returns how many ops it held. */
static size_t flush_once(struct node *n)
{
	size_t len = n->batch_len;
	struct batch_entry *batch = n->batch;
	struct store_op *ops = n->ops;
	uint64_t t0;
	int rc;

	if (!len)
		return 0;
	n->batch = NULL;
	n->ops = NULL;
	n->batch_len = n->batch_cap = n->batch_waited = 0;
	uv_timer_stop(&n->later);
	for (size_t i = 0; i < len; i++)
		ops[i] = (struct store_op){ .fn = run_entry, .arg = &batch[i] };
	t0 = uv_hrtime();
	rc = store_apply(n->store, ops, len);
	if (rc) {
		char why[TN_TEXT_LEN + 64];

		stop_if_broken(n);
		if (!node_disk_why(n, rc, why, sizeof(why)))
			proto_strcpy(why, sizeof(why), tn_strerror(rc));
		node_log("error", "commit of %zu writes failed: %s", len, why);
		n->counts.commits_failed++;
	} else {
		n->commits++;
		commit_timed(&n->counts, (uv_hrtime() - t0) / 1000);
	}
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
	while (n->batch_waited && flush_once(n))
		;
}

void batch_flush_all(struct node *n)
{
	while (flush_once(n))
		;
}
