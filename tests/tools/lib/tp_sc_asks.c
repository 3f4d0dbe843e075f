/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: the asks scenario, both sides of stolen_queries (PROTOCOL.md
 * 10.3.2, 10.4.1): answers the node must refuse, queries of ours it must
 * answer each as if it came alone, and one of too many items it must drop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tp.h"

#define LINGER_MS 2000     /* linked a while longer, so the node reads it all */
#define BULK_ITEMS 600     /* per ask of the oversized stolen_queries (2 asks) */

/* What the node answered to our two queries q (hit, then miss). */
struct answers {
	uint64_t q[2];
	unsigned hit;        /* stolen_result for q[0], signed, with one hit */
	unsigned bundle;     /* stolen_results of exactly q[1], without a hit */
	unsigned bad;        /* any other answer naming q[0] or q[1] */
};

/* Which of the n qids q a stolen_result(s) from the node names, as bits. */
static unsigned ours(const struct frame *f, const uint64_t *q, unsigned n)
{
	int alone = !strcmp(f->etype, "stolen_result");
	uint32_t k = strcmp(f->etype, "stolen_results") ? 0 :
		     f->n_qids < TP_QIDS ? f->n_qids : TP_QIDS;
	unsigned m = 0;

	for (unsigned i = 0; i < n; i++) {
		if (alone && f->ref == q[i])
			m |= 1u << i;
		for (uint32_t j = 0; j < k; j++)
			if (f->qids[j] == q[i])
				m |= 1u << i;
	}
	return m;
}

static void note(struct answers *a, const struct frame *f)
{
	unsigned m = ours(f, a->q, 2);

	if (!m)
		return;
	if (!strcmp(f->etype, "stolen_result") && m == 1 && f->env_ok && f->sig && f->hits == 1)
		a->hit++;
	else if (!strcmp(f->etype, "stolen_results") && m == 2 && f->env_ok && f->n_qids == 1 &&
		 !f->hits)
		a->bundle++;
	else
		a->bad++;
}

/* Take the node's stolen_queries of three single-item asks: a hit among
 * others in one unsigned stolen_results (with an answer to a qid nobody
 * asked), the third answered alone. */
static int answer_node(struct tp *t, unsigned *asks)
{
	struct tn_stolen report = { .kind = "stolen", .make = "Glock", .serial = "AQ-1",
				    .date = "2025-01-01" };
	struct tn_stolen_answer hit = { .hit = true, .report = &report }, miss = { 0 };
	struct tn_stolen_result rs[3] = { { .status = "ok", .n = 1, .results = &hit },
					  { .status = "ok", .n = 1, .results = &miss },
					  { .status = "ok", .n = 1, .results = &miss } };
	struct tn_stolen_result last = { .status = "ok", .n = 1, .results = &miss };
	struct tn_stolen_results bundle = { .n = 3, .results = rs };
	struct frame f;
	int rc;

	while ((rc = tp_read_frame(t, t->deadline, &f)) > 0 &&
	       (strcmp(f.etype, "stolen_queries") || !f.env_ok))
		;
	if (rc <= 0)
		return tp_say(t, 1, "no stolen_queries from the node (%s)", tp_ended(rc));
	*asks = f.n_qids;
	if (f.n_qids != 3 || f.seq != 3)
		return tp_say(t, 1, "a stolen_queries of %u asks, %llu items: want 3 and 3",
			      f.n_qids, (unsigned long long)f.seq);
	rs[0].qid = f.qids[0];
	rs[1].qid = f.qids[1];
	rs[2].qid = f.qids[0] ^ 1;     /* nobody asked it */
	last.qid = f.qids[2];
	if ((rc = tp_send_msg(t, "stolen_results", &proto_stolen_results_schema, &bundle, 0)))
		return tp_say(t, 1, "cannot send the stolen_results: %s", tn_strerror(rc));
	if ((rc = tp_send_msg(t, "stolen_result", &proto_stolen_result_schema, &last, 0)))
		return tp_say(t, 1, "cannot send the stolen_result: %s", tn_strerror(rc));
	for (int64_t until = tp_mono_ms() + LINGER_MS; (rc = tp_read_frame(t, until, &f)) > 0;)
		;
	if (rc < 0)
		return tp_say(t, 1, "the node closed the link after our answers (%s)", tp_ended(rc));
	return 0;
}

/* Ask the node a hit and a miss in one stolen_queries: the hit must come
 * alone and signed, the miss in a stolen_results of its own. */
static int ask_node(struct tp *t, struct answers *a)
{
	struct tn_query_item it[2] = { { .make = "Glock", .serial = "HOSTILE-HIT" },
				       { .make = "Glock", .serial = "HOSTILE-MISS" } };
	struct tn_stolen_query asks[2] = {
		{ .purpose = "screening", .case_ref = "TLP-A", .n = 1, .items = &it[0] },
		{ .purpose = "screening", .case_ref = "TLP-B", .n = 1, .items = &it[1] },
	};
	struct tn_stolen_queries q = { .n = 2, .asks = asks };
	struct frame f;
	int rc;

	for (int i = 0; i < 2; i++) {
		cx_random(&asks[i].qid, sizeof(asks[i].qid));
		a->q[i] = asks[i].qid;
	}
	if ((rc = tp_send_msg(t, "stolen_queries", &proto_stolen_queries_schema, &q, 0)))
		return tp_say(t, 1, "cannot send our stolen_queries: %s", tn_strerror(rc));
	while ((!a->hit || !a->bundle) && (rc = tp_read_frame(t, t->deadline, &f)) > 0)
		note(a, &f);
	if (rc <= 0)
		return tp_say(t, 1, "our stolen_queries: %u signed hit(s), %u stolen_results, %u "
			      "other answer(s), then %s", a->hit, a->bundle, a->bad, tp_ended(rc));
	return 0;
}

/* Two asks of BULK_ITEMS items each, more than a stolen_queries may hold:
 * their qids in q. */
static int ask_too_much(struct tp *t, uint64_t q[2])
{
	struct tn_query_item *it = calloc(2 * BULK_ITEMS, sizeof(*it));
	struct tn_stolen_query asks[2] = {
		{ .purpose = "screening", .case_ref = "TLP-C", .n = BULK_ITEMS },
		{ .purpose = "screening", .case_ref = "TLP-D", .n = BULK_ITEMS },
	};
	struct tn_stolen_queries qs = { .n = 2, .asks = asks };
	int rc;

	if (!it)
		return tp_say(t, 1, "out of memory");
	for (unsigned k = 0; k < 2 * BULK_ITEMS; k++) {
		snprintf(it[k].make, sizeof(it[k].make), "Glock");
		snprintf(it[k].serial, sizeof(it[k].serial), "BULK-%u", k);
	}
	for (int i = 0; i < 2; i++) {
		cx_random(&asks[i].qid, sizeof(asks[i].qid));
		asks[i].items = it + i * BULK_ITEMS;
		q[i] = asks[i].qid;
	}
	rc = tp_send_msg(t, "stolen_queries", &proto_stolen_queries_schema, &qs, 0);
	free(it);
	if (rc)
		return tp_say(t, 1, "cannot send the oversized stolen_queries: %s", tn_strerror(rc));
	return 0;
}

/* Read a while: answers to our queries a counted, answers to the bulk
 * ones in *late; then the link must still answer a ping. */
static int linger(struct tp *t, struct answers *a, const uint64_t bulk[2], unsigned *late)
{
	struct seen s = { 0 };
	struct frame f;
	int rc;

	for (int64_t until = tp_mono_ms() + LINGER_MS; (rc = tp_read_frame(t, until, &f)) > 0;) {
		note(a, &f);
		*late += ours(&f, bulk, 2) != 0;
	}
	return rc ? rc : tp_barrier(t, &s);
}

/* asks: a hit among others in an unsigned stolen_results, and an answer
 * nobody asked for (the node refuses both); then our queries to the node,
 * its answers checked; then one stolen_queries of too many items, which
 * the node must drop without an answer, staying linked. */
int sc_asks(struct tp *t)
{
	struct answers a = { 0 };
	uint64_t bulk[2];
	unsigned asks = 0, late = 0;
	int rc;

	if (answer_node(t, &asks) || ask_node(t, &a) || ask_too_much(t, bulk))
		return 1;
	if ((rc = linger(t, &a, bulk, &late)))
		return tp_say(t, 1, "link %s after the oversized stolen_queries", tp_ended(rc));
	if (a.hit != 1 || a.bundle != 1 || a.bad)
		return tp_say(t, 1, "our stolen_queries: %u signed hit(s), %u stolen_results, %u "
			      "other answer(s); want 1, 1, 0", a.hit, a.bundle, a.bad);
	if (late)
		return tp_say(t, 1, "%u answer(s) to the stolen_queries of %u items", late,
			      2 * BULK_ITEMS);
	return tp_say(t, 0, "answered %u asks in 1 stolen_results (a hit, a qid nobody asked) "
		      "and 1 stolen_result; asked 2: 1 signed hit alone, 1 miss in a stolen_results; "
		      "%u items: no answer, link up", asks, 2 * BULK_ITEMS);
}
