/* SPDX-License-Identifier: Apache-2.0 */
/* Internals shared by query.c (asking peers about lost/stolen guns) and
 * query_blind.c (asking them blind, and the clear follow-up of hits). */
#ifndef TN_QUERY_INT_H
#define TN_QUERY_INT_H

#include <stdio.h>

#include "svc.h"

struct ride;

/* What we keep of one asked peer: the receipt of its signed answer (it
 * reported a hit); asked blind, the items' blinds, then which items we
 * asked it again in clear because they hit; while it waits to leave in
 * an envelope shared with other queries (ride.c), its seat there. */
struct target {
	uint8_t *receipt;
	uint32_t n_receipt;
	struct blind_ask *blind;
	uint32_t *follow;
	uint32_t n_follow;
	struct ride *ride;
	uint32_t seat;
};

struct query {
	struct pending wait;        /* first: the pending is the query */
	struct node *node;
	struct tn_stolen_query q;
	struct tn_query_reply reply;
	struct target *tg;          /* by answer, as reply.peers */
	uint32_t waiting;           /* peers still to answer */
	int sent;                   /* 0 until the "sent" entries commit, then 1 or an error */
	uint64_t timeout_ms;
	query_done_fn done;
	void *arg;
	bool acted;                 /* for who, else for the node itself */
	struct node_actor who;      /* whose results the second commit audits */
};

static inline void query_ref(const struct query *qu, char ref[24])
{
	proto_hex64(ref, qu->q.qid);
}

/* Whether an item of q asks for fuzzy matching. */
int query_any_fuzzy(const struct tn_stolen_query *q);
/* Send qu to target i, peer p: blind when we hold p's whole set (and no
 * item asks for fuzzy matching), else in clear. */
int query_send_one(struct query *qu, struct peer *p, uint32_t i) TN_WUR;
/* One target answered: the query ends when none is left. */
void query_answered(struct query *qu);
/* Take p's answer res for target i, with the receipt when it holds a hit
 * and came alone (m) and signed; a hit in no envelope of its own, or an
 * "ok" answer short of the items, is an error: 1 if target i waited. */
int query_take(struct query *qu, uint32_t i, const struct peer *p, struct tn_stolen_result *res,
	       struct env_msg *m);
/* Target i cannot be asked after all: it counts as answered. */
void query_unreachable(struct query *qu, uint32_t i);

/* Ask p in clear for target i, in the pass's shared envelope if p takes
 * one (ride.c). */
int ride_join(struct query *qu, struct peer *p, uint32_t i) TN_WUR;
/* Target i of qu leaves before its envelope does. */
void ride_leave(struct query *qu, uint32_t i);
/* Inside the "sent" commit: target i asked blind, item by item. */
int query_blind_audit(struct store_txn *t, const struct query *qu, uint32_t i,
		      const char *ref) TN_WUR;
/* Inside the results' commit: the items target i was asked again in clear. */
int query_follow_audit(struct store_txn *t, const struct query *qu, uint32_t i,
		       const char *ref) TN_WUR;
/* The answers res to a clear follow-up put in the places of their items. */
void query_follow_spread(const struct target *tg, struct tn_peer_answer *a,
			 struct tn_stolen_result *res);

#endif
