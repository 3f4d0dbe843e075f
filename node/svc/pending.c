/* SPDX-License-Identifier: Apache-2.0 */
/* Requests that wait for a peer's answer (a ping's pong, the results of a
 * lost/stolen query): found by kind and key when the answer comes, ended
 * by it, by their timeout, or by shutdown, whichever is first. */
#include "svc.h"

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
	w->next = n->pending;
	n->pending = w;
	uv_timer_init(&n->loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, on_timeout, timeout_ms, 0);
}

struct pending *pending_find(struct node *n, enum pending_kind kind, uint64_t key)
{
	for (struct pending *w = n->pending; w; w = w->next)
		if (w->kind == kind && w->key == key)
			return w;
	return NULL;
}

void pending_end(struct pending *w, int rc)
{
	struct pending **pp = &w->node->pending;

	while (*pp && *pp != w)
		pp = &(*pp)->next;
	if (!*pp)
		return;   /* ended already */
	*pp = w->next;
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
