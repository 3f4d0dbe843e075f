/* SPDX-License-Identifier: Apache-2.0 */
/* Requests that wait for a peer's answer (a ping's pong, the results of a
 * lost/stolen query): found by kind and key when the answer comes, ended
 * by it, by their timeout, or by shutdown, whichever is first. They are
 * hashed (chained buckets, doubled as they fill), so finding and ending
 * one costs the same with ten or ten thousand in flight. */
#include <stdlib.h>

#include "svc.h"

#define PENDING_MIN_CAP 64u

static uint32_t bucket_of(enum pending_kind kind, uint64_t key, uint32_t cap)
{
	uint64_t h = (key ^ (uint64_t)kind) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32) & (cap - 1);
}

static void link_in(struct pending **table, uint32_t cap, struct pending *w)
{
	struct pending **head = &table[bucket_of(w->kind, w->key, cap)];

	w->next = *head;
	if (w->next)
		w->next->pprev = &w->next;
	w->pprev = head;
	*head = w;
}

/* Keep at most one request per bucket on average; on no memory the
 * table stays as it is and chains grow longer. */
static void grow(struct node *n)
{
	uint32_t cap = n->pending_cap ? 2 * n->pending_cap : PENDING_MIN_CAP;
	struct pending **table, *w, *next;

	if (n->n_pending < n->pending_cap || !(table = calloc(cap, sizeof(*table))))
		return;
	for (uint32_t i = 0; i < n->pending_cap; i++)
		for (w = n->pending[i]; w; w = next) {
			next = w->next;
			link_in(table, cap, w);
		}
	free(n->pending);
	n->pending = table;
	n->pending_cap = cap;
}

static void on_timeout(uv_timer_t *t)
{
	pending_end(t->data, TN_ERR_TIMEOUT);
}

void pending_start(struct node *n, struct pending *w, enum pending_kind kind, uint64_t key,
		   uint64_t timeout_ms)
{
	w->node = n;
	w->kind = kind;
	w->key = key;
	w->pprev = NULL;
	uv_timer_init(&n->loop, &w->timer);
	w->timer.data = w;
	grow(n);
	if (!n->pending_cap) {
		w->done(w, TN_ERR_NOMEM);
		return;
	}
	link_in(n->pending, n->pending_cap, w);
	n->n_pending++;
	uv_timer_start(&w->timer, on_timeout, timeout_ms, 0);
}

struct pending *pending_find(struct node *n, enum pending_kind kind, uint64_t key)
{
	struct pending *w;

	if (!n->pending_cap)
		return NULL;
	for (w = n->pending[bucket_of(kind, key, n->pending_cap)]; w; w = w->next)
		if (w->kind == kind && w->key == key)
			return w;
	return NULL;
}

struct pending *pending_next(const struct pending *w)
{
	struct pending *x;

	for (x = w->next; x; x = x->next)
		if (x->kind == w->kind && x->key == w->key)
			return x;
	return NULL;
}

void pending_end(struct pending *w, int rc)
{
	if (!w->pprev)
		return;   /* ended already */
	*w->pprev = w->next;
	if (w->next)
		w->next->pprev = w->pprev;
	w->pprev = NULL;
	w->node->n_pending--;
	uv_timer_stop(&w->timer);
	w->done(w, rc);
}

static void on_closed(uv_handle_t *h)
{
	struct pending *w = h->data;

	w->release(w);
}

void pending_free(struct pending *w)
{
	uv_close((uv_handle_t *)&w->timer, on_closed);
}

void pending_stop(struct node *n)
{
	for (uint32_t i = 0; i < n->pending_cap; i++)
		while (n->pending[i])
			pending_end(n->pending[i], TN_ERR_CLOSED);
	free(n->pending);
	n->pending = NULL;
	n->pending_cap = 0;
}
