/* SPDX-License-Identifier: Apache-2.0 */
/* Queries that share an envelope. The clear lost/stolen queries one loop
 * pass starts for the same peer leave together in one stolen_queries
 * (PROTOCOL.md 10.3.2), each under its own qid, purpose and case: one
 * seal, one frame and one envelope for the peer to open. The peer answers
 * each as if it came alone (its own audit entry and alerts, and a hit in
 * its own signed stolen_result, so that a receipt shows one query), and
 * sends the answers without a hit back together. A query alone in its
 * pass, or for a peer that did not announce stolen_queries, leaves as a
 * stolen_query. Either way each query waits for its answer under its own
 * qid, as if it had travelled alone. */
#include <stdlib.h>
#include <string.h>

#include "query_int.h"

struct seat {
	struct query *qu;           /* NULL once it left */
	uint32_t target;
};

#define RIDE_SEATS 4               /* seats held in the ride itself */

struct ride {
	struct ride *next;          /* the pass's other rides */
	char peer[TN_NAME_LEN];
	struct seat *seats;         /* first, or allocated past RIDE_SEATS */
	uint32_t n_seats, cap_seats;
	uint32_t n_items;
	struct seat first[RIDE_SEATS];
};

/* A ride qu may take: the same peer, and room for its items. */
static int fits(const struct ride *r, const struct query *qu, const char *peer)
{
	return !strcmp(r->peer, peer) && r->n_seats < TN_ASKS_MAX &&
	       r->n_items + qu->q.n <= TN_QUERY_ITEMS_MAX;
}

static struct ride *ride_new(struct node *n, const char *peer)
{
	struct ride *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->seats = r->first;
	r->cap_seats = RIDE_SEATS;
	proto_strcpy(r->peer, sizeof(r->peer), peer);
	r->next = n->rides;
	n->rides = r;
	return r;
}

static int seat_more(struct ride *r)
{
	uint32_t cap = 2 * r->cap_seats;
	struct seat *s = malloc(cap * sizeof(*s));

	if (!s)
		return TN_ERR_NOMEM;   /* an empty ride is dropped when the pass ends */
	memcpy(s, r->seats, r->n_seats * sizeof(*s));
	if (r->seats != r->first)
		free(r->seats);
	r->seats = s;
	r->cap_seats = cap;
	return 0;
}

int ride_join(struct query *qu, struct peer *p, uint32_t i)
{
	struct ride *r;
	int rc;

	if (!p->takes_asks)
		return env_send(p, WIRE_STOLEN_QUERY, &qu->q);
	for (r = qu->node->rides; r && !fits(r, qu, p->rec.name); r = r->next)
		;
	if (!r && !(r = ride_new(qu->node, p->rec.name)))
		return TN_ERR_NOMEM;
	if (r->n_seats == r->cap_seats && (rc = seat_more(r)))
		return rc;
	r->seats[r->n_seats] = (struct seat){ .qu = qu, .target = i };
	qu->tg[i].ride = r;
	qu->tg[i].seat = r->n_seats++;
	r->n_items += qu->q.n;
	return 0;
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

void ride_leave(struct query *qu, uint32_t i)
{
	(void)unseat(&qu->tg[i].ride->seats[qu->tg[i].seat]);
}

/* The queries still seated, as the asks of q (shallow copies). */
static int gather(struct ride *r, struct tn_stolen_queries *q)
{
	if (!(q->asks = malloc(r->n_seats * sizeof(*q->asks))))
		return TN_ERR_NOMEM;
	for (uint32_t k = 0; k < r->n_seats; k++)
		if (r->seats[k].qu)
			q->asks[q->n++] = r->seats[k].qu->q;
	return 0;
}

/* Send r's queries: each seat left, and an unreachable peer fails each. */
static void ride_send(struct node *n, struct ride *r)
{
	struct peer *p = peer_by_name(n, r->peer);
	struct tn_stolen_queries q = { 0 };
	int rc = p ? gather(r, &q) : TN_ERR_CLOSED;

	if (!rc && q.n == 1)
		rc = env_send(p, WIRE_STOLEN_QUERY, &q.asks[0]);
	else if (!rc && q.n)
		rc = env_send(p, WIRE_STOLEN_QUERIES, &q);
	free(q.asks);
	for (uint32_t k = 0; k < r->n_seats; k++) {
		struct query *qu = unseat(&r->seats[k]);

		if (qu && rc)
			query_unreachable(qu, r->seats[k].target);
	}
	if (r->seats != r->first)
		free(r->seats);
	free(r);
}

void rides_flush(struct node *n)
{
	struct ride *r;

	while ((r = n->rides)) {
		n->rides = r->next;
		ride_send(n, r);
	}
}
