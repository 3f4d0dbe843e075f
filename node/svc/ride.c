/* SPDX-License-Identifier: Apache-2.0 */
/* Queries that share an envelope. The clear lost/stolen queries one loop
 * pass starts for the same peer, actor, purpose and case ride in one
 * stolen_query (up to 1000 items, PROTOCOL.md 10.3): one seal, one frame,
 * one envelope for the peer to open, audit and answer, and one signature
 * however many of them hit. Each query keeps its own audit entries, its
 * timeout and its reply, and takes its slice of the shared answer. A
 * query alone in its pass leaves as it always did, under its own qid. */
#include <stdlib.h>
#include <string.h>

#include "query_int.h"

struct seat {
	struct query *qu;           /* NULL once it left */
	uint32_t target;            /* its target (where its items start: tg->first) */
};

#define RIDE_SEATS 4               /* seats held in the ride itself */

struct ride {
	struct pending wait;        /* first: by the shared qid, once sent */
	struct ride *next;          /* the pass's rides not yet sent */
	struct node *node;
	char peer[TN_NAME_LEN];
	struct seat *seats;         /* first, or allocated past RIDE_SEATS */
	uint32_t n_seats, cap_seats;
	uint32_t n_items;
	uint64_t timeout_ms;
	struct seat first[RIDE_SEATS];
};

static int same_actor(const struct query *a, const struct query *b)
{
	if (a->acted != b->acted)
		return 0;
	return !a->acted || (a->who.uid == b->who.uid && !strcmp(a->who.user, b->who.user) &&
			     !strcmp(a->who.officer, b->who.officer) &&
			     !strcmp(a->who.ordered_by, b->who.ordered_by) &&
			     !strcmp(a->who.case_ref, b->who.case_ref));
}

/* A ride qu may take: same peer, same asker, and room for its items. */
static int fits(const struct ride *r, const struct query *qu, const char *peer)
{
	const struct query *o = r->n_seats ? r->seats[0].qu : NULL;

	return o && !strcmp(o->q.case_ref, qu->q.case_ref) && !strcmp(r->peer, peer) &&
	       r->n_items + qu->q.n <= TN_QUERY_ITEMS_MAX && !strcmp(o->q.purpose, qu->q.purpose) &&
	       same_actor(o, qu);
}

static struct ride *ride_new(struct node *n, const char *peer)
{
	struct ride *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->node = n;
	r->seats = r->first;
	r->cap_seats = RIDE_SEATS;
	proto_strcpy(r->peer, sizeof(r->peer), peer);
	r->next = n->rides;
	n->rides = r;
	return r;
}

int ride_join(struct query *qu, struct peer *p, uint32_t i)
{
	struct ride *r;
	struct seat *s;

	for (r = qu->node->rides; r && !fits(r, qu, p->rec.name); r = r->next)
		;
	if (!r && !(r = ride_new(qu->node, p->rec.name)))
		return TN_ERR_NOMEM;
	if (r->n_seats == r->cap_seats) {
		uint32_t cap = 2 * r->cap_seats;

		if (!(s = malloc(cap * sizeof(*s))))
			return TN_ERR_NOMEM;   /* an empty ride is dropped when the pass ends */
		memcpy(s, r->seats, r->n_seats * sizeof(*s));
		if (r->seats != r->first)
			free(r->seats);
		r->seats = s;
		r->cap_seats = cap;
	}
	r->seats[r->n_seats] = (struct seat){ .qu = qu, .target = i };
	qu->tg[i].ride = r;
	qu->tg[i].seat = r->n_seats++;
	r->n_items += qu->q.n;
	if (qu->timeout_ms > r->timeout_ms)
		r->timeout_ms = qu->timeout_ms;
	return 0;
}

static void ride_release(struct pending *w)
{
	struct ride *r = (struct ride *)w;

	if (r->seats != r->first)
		free(r->seats);
	free(r);
}

/* The query in seat s, if any, leaves it: the query it was. */
static struct query *unseat(struct seat *s)
{
	struct query *qu = s->qu;

	if (qu) {
		qu->tg[s->target].ride = NULL;
		s->qu = NULL;
	}
	return qu;
}

/* Every seat still taken leaves: its query waits on its own timeout. */
static void vacate(struct ride *r)
{
	for (uint32_t k = 0; k < r->n_seats; k++)
		(void)unseat(&r->seats[k]);
}

static void ride_done(struct pending *w, int rc)
{
	(void)rc;
	vacate((struct ride *)w);
	pending_free(w);
}

void ride_leave(struct query *qu, uint32_t i)
{
	struct ride *r = qu->tg[i].ride;
	uint32_t k;

	(void)unseat(&r->seats[qu->tg[i].seat]);
	for (k = 0; k < r->n_seats && !r->seats[k].qu; k++)
		;
	if (k == r->n_seats && r->wait.pprev)
		pending_end(&r->wait, 0);   /* sent, and nobody waits for it now */
}

/* Every seat that is still taken gives up: unreachable. */
static void ride_fail(struct ride *r)
{
	for (uint32_t k = 0; k < r->n_seats; k++) {
		struct query *qu = unseat(&r->seats[k]);

		if (qu)
			query_unreachable(qu, r->seats[k].target);
	}
}

/* The seats still taken, placed one after the other in q. */
static int gather(struct ride *r, struct tn_stolen_query *q)
{
	uint32_t live = 0;

	if (!(q->items = malloc(r->n_items * sizeof(*q->items))))
		return TN_ERR_NOMEM;
	cx_random(&q->qid, sizeof(q->qid));
	for (uint32_t k = 0; k < r->n_seats; k++) {
		struct query *qu = r->seats[k].qu;
		struct target *tg;

		if (!qu)
			continue;
		if (!live++) {
			memcpy(q->purpose, qu->q.purpose, sizeof(q->purpose));
			memcpy(q->case_ref, qu->q.case_ref, sizeof(q->case_ref));
		}
		tg = &qu->tg[r->seats[k].target];
		tg->shared_qid = q->qid;
		tg->first = q->n;
		memcpy(q->items + q->n, qu->q.items, qu->q.n * sizeof(*q->items));
		q->n += qu->q.n;
	}
	return 0;
}

/* A seat alone: its query goes under its own qid, as if it never rode. */
static void send_alone(struct peer *p, struct seat *s)
{
	struct query *qu = unseat(s);

	if (!p || env_send(p, WIRE_STOLEN_QUERY, &qu->q))
		query_unreachable(qu, s->target);
}

static void ride_send(struct ride *r)
{
	struct peer *p = peer_by_name(r->node, r->peer);
	struct tn_stolen_query q = { 0 };
	uint32_t live = 0, last = 0;
	int rc;

	for (uint32_t k = 0; k < r->n_seats; k++)
		if (r->seats[k].qu) {
			live++;
			last = k;
		}
	if (live == 1)
		send_alone(p, &r->seats[last]);
	if (live <= 1) {
		ride_release(&r->wait);
		return;
	}
	rc = p ? gather(r, &q) : TN_ERR_CLOSED;
	if (!rc)
		rc = env_send(p, WIRE_STOLEN_QUERY, &q);
	free(q.items);
	if (rc) {
		ride_fail(r);
		ride_release(&r->wait);
		return;
	}
	r->wait.done = ride_done;
	r->wait.release = ride_release;
	pending_start(r->node, &r->wait, PENDING_RIDE, q.qid, r->timeout_ms);
}

void rides_flush(struct node *n)
{
	struct ride *r;

	while ((r = n->rides)) {
		n->rides = r->next;
		ride_send(r);
	}
}

int ride_result(struct peer *p, struct env_msg *m)
{
	const struct tn_stolen_result *res = m->msg;
	struct ride *r = (struct ride *)pending_find(p->node, PENDING_RIDE, res->qid);

	if (!r || strcmp(r->peer, p->rec.name))
		return 0;
	for (uint32_t k = 0; k < r->n_seats; k++) {
		struct seat *s = &r->seats[k];
		struct query *qu = s->qu;

		if (qu && query_take(qu, s->target, p, m, qu->tg[s->target].first, qu->q.n))
			query_answered(unseat(s));
	}
	pending_end(&r->wait, 0);
	return 1;
}
