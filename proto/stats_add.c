/* SPDX-License-Identifier: Apache-2.0 */
/* The stats computation's first half: each stored row (our traces, peers'
 * traces, alerts, audit entries) is counted into the tables of a
 * struct tn_stats_acc when it falls in the period and concerns the peer
 * asked for. Pure: the caller gives "now". */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats_int.h"

#define MIN_MS 60000ull

/* Days since 1970-01-01 of date d (checked before). */
static int64_t day_of(const char *d)
{
	return proto_date_diff("1970-01-01", d);
}

static void date_of(char out[TN_DATE_LEN], uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, TN_DATE_LEN, "%Y-%m-%d", &tm))
		out[0] = '\0';
}

static void tabs_init(struct tn_stats_acc *s)
{
	s->traces.size = sizeof(struct tn_stats_traces);
	s->traces.klen = offsetof(struct tn_stats_traces, count);
	s->groups.size = sizeof(struct stats__group);
	s->groups.klen = offsetof(struct tn_stats_answers, urgent) + sizeof(bool);
	s->origins.size = s->exporters.size = s->dealers.size = sizeof(struct tn_stats_count);
	s->origins.klen = s->exporters.klen = s->dealers.klen = TN_PARTY_LEN;
	s->flows.size = sizeof(struct tn_stats_flow);
	s->flows.klen = offsetof(struct tn_stats_flow, count);
	s->stolen.size = sizeof(struct tn_stats_stolen);
	s->stolen.klen = TN_NAME_LEN;
}

int proto_stats_begin(struct tn_stats_acc **out, const struct tn_stats_arg *a, uint64_t now_ms)
{
	struct tn_stats_acc *s;

	*out = NULL;
	if ((a->since[0] && proto_date_check(a->since)) ||
	    (a->until[0] && proto_date_check(a->until)))
		return TN_ERR_INVALID;
	if (!(s = calloc(1, sizeof(*s))))
		return TN_ERR_NOMEM;
	s->arg = *a;
	s->now_ms = now_ms;
	if (a->until[0])
		memcpy(s->until, a->until, sizeof(s->until));
	else
		date_of(s->until, now_ms);
	s->from_ms = a->since[0] && day_of(a->since) > 0 ? (uint64_t)day_of(a->since) * STATS_DAY_MS : 0;
	s->to_ms = day_of(s->until) >= 0 ? (uint64_t)(day_of(s->until) + 1) * STATS_DAY_MS : 0;
	tabs_init(s);
	*out = s;
	return 0;
}

/* Does a row of peer, made at ms, fall in what s adds up? */
static int wanted(const struct tn_stats_acc *s, const char *peer, uint64_t ms)
{
	if (s->arg.peer[0] && strcmp(s->arg.peer, peer))
		return 0;
	return ms >= s->from_ms && ms < s->to_ms;
}

static int count_trace(struct tn_stats_acc *s, const char *dir, const char *peer, uint64_t ms,
		       const char *status)
{
	struct tn_stats_traces k = { 0 }, *row;
	char day[TN_DATE_LEN];

	date_of(day, ms);
	proto_strcpy(k.dir, sizeof(k.dir), dir);
	proto_strcpy(k.peer, sizeof(k.peer), peer);
	snprintf(k.month, sizeof(k.month), "%.7s", day);
	proto_strcpy(k.status, sizeof(k.status), status);
	if (!(row = stats__tab_get(&s->traces, &k)))
		return TN_ERR_NOMEM;
	row->count++;
	return 0;
}

static int count_name(struct stats__tab *t, const char *name)
{
	struct tn_stats_count k = { 0 }, *row;

	if (!name[0])
		return 0;
	proto_strcpy(k.name, sizeof(k.name), name);
	if (!(row = stats__tab_get(t, &k)))
		return TN_ERR_NOMEM;
	row->count++;
	return 0;
}

/* What one answer (or its absence) adds to its group. req_ms: the
 * request; done_ms: the answer, 0 when open; 1 when answered at an
 * unknown time; deadline: a date or "". */
struct answer {
	const char *dir, *peer, *deadline;
	bool urgent;
	uint64_t req_ms, done_ms;
};

static uint32_t minutes(uint64_t from, uint64_t to)
{
	uint64_t m = to > from ? (to - from) / MIN_MS : 0;

	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

static int count_answer(struct tn_stats_acc *s, const struct answer *x)
{
	struct stats__group k = { 0 }, *g;
	uint64_t due = 0;

	proto_strcpy(k.a.dir, sizeof(k.a.dir), x->dir);
	proto_strcpy(k.a.peer, sizeof(k.a.peer), x->peer);
	k.a.urgent = x->urgent;
	if (!(g = stats__tab_get(&s->groups, &k)))
		return TN_ERR_NOMEM;
	if (!proto_date_check(x->deadline) && day_of(x->deadline) >= 0)
		due = (uint64_t)(day_of(x->deadline) + 1) * STATS_DAY_MS;
	if (due && stats__vals_add(&g->dls, minutes(x->req_ms, due)))
		return TN_ERR_NOMEM;
	if (!x->done_ms) {
		g->a.open++;
		g->a.overdue += due && s->now_ms >= due;
		return 0;
	}
	g->a.answered++;
	if (x->done_ms == 1)
		return 0;
	g->a.late += due && x->done_ms >= due;
	return stats__vals_add(&g->mins, minutes(x->req_ms, x->done_ms));
}

/* Case folded, runs of spaces one space, none at either end. */
static void fold(char *out, size_t cap, const char *in)
{
	size_t n = 0;

	for (; *in && n + 1 < cap; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == ' ' || c == '\t') {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static int other_possessor(const char *possessor, const char *buyer)
{
	char a[TN_PARTY_LEN], b[TN_PARTY_LEN];

	fold(a, sizeof(a), possessor);
	fold(b, sizeof(b), buyer);
	return a[0] && b[0] && strcmp(a, b);
}

static void count_ttc(struct tn_stats_acc *s, const struct tn_trace *tr)
{
	int64_t d = tr->result.time_to_crime_days;
	uint32_t b;

	if (!tr->result.status[0] || d < 0)
		return;
	s->ttc.known++;
	s->ttc.under_1y += d < 365;
	if (d < 1095) {
		s->ttc.under_3y++;
		s->ttc.under_3y_other_possessor +=
			other_possessor(tr->req.possessor, tr->result.first_retail.party);
	}
	b = d / TN_STATS_TTC_BUCKET_DAYS >= TN_STATS_TTC_BUCKETS - 1 ? TN_STATS_TTC_BUCKETS - 1 :
		(uint32_t)(d / TN_STATS_TTC_BUCKET_DAYS);
	s->hist[b]++;
}

static int count_flow(struct tn_stats_acc *s, const char *from, const char *to)
{
	struct tn_stats_flow k = { 0 }, *row;

	proto_strcpy(k.from, sizeof(k.from), from);
	proto_strcpy(k.to, sizeof(k.to), to);
	if (!(row = stats__tab_get(&s->flows, &k)))
		return TN_ERR_NOMEM;
	row->count++;
	return 0;
}

/* The status a trace is counted under: the result's once answered. */
static const char *sent_status(const struct tn_trace *tr)
{
	return !strcmp(tr->status, "answered") && tr->result.status[0] ? tr->result.status
								       : tr->status;
}

static int sent_answered(const struct tn_trace *tr)
{
	return tr->result.status[0] || !strcmp(tr->status, "answered") ||
	       !strcmp(tr->status, "rejected") || !strcmp(tr->status, "purged");
}

int proto_stats_trace(struct tn_stats_acc *s, const struct tn_trace *tr, const char *from)
{
	struct answer x = { "sent", tr->peer, tr->deadline, tr->req.urgent, tr->created_ms, 0 };
	int rc;

	if (!wanted(s, tr->peer, tr->created_ms))
		return 0;
	if (sent_answered(tr))
		x.done_ms = tr->answered_ms ? tr->answered_ms : tr->updated_ms ? tr->updated_ms : 1;
	if ((rc = count_trace(s, "sent", tr->peer, tr->created_ms, sent_status(tr))) ||
	    (rc = count_answer(s, &x)) ||
	    (rc = count_name(&s->origins, tr->req.firearm.country_of_origin)) ||
	    (rc = count_name(&s->dealers, tr->result.first_retail.party)) ||
	    (tr->result.export_to[0] && (rc = count_name(&s->exporters, tr->peer))) ||
	    (tr->req.follows && from && from[0] && (rc = count_flow(s, from, tr->peer))))
		return rc;
	count_ttc(s, tr);
	return 0;
}

int proto_stats_trace_in(struct tn_stats_acc *s, const struct tn_trace_in *tr)
{
	struct answer x = { "received", tr->peer, tr->deadline, tr->req.urgent, tr->received_ms, 0 };
	int done = !strcmp(tr->status, "answered") || !strcmp(tr->status, "declined");
	int rc;

	if (!wanted(s, tr->peer, tr->received_ms))
		return 0;
	if (done)
		x.done_ms = tr->answered_ms ? tr->answered_ms : 1;
	if ((rc = count_trace(s, "received", tr->peer, tr->received_ms,
			      done && tr->result_status[0] ? tr->result_status : tr->status)))
		return rc;
	return count_answer(s, &x);
}
