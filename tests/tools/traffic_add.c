/* SPDX-License-Identifier: Apache-2.0 */
/* traffic_add: months of realistic traffic written into a stopped node's
 * store, rows as the daemon writes them (our traces and their results,
 * peers' traces and our answers, stolen checks both ways, alerts, and the
 * audit entries of all of it), drawn from a seed so that a run repeats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../crypto/cx.h"
#include "../../store/store.h"
#include "lib/traffic.h"

#define CHUNK 20000               /* rows per write transaction */
#define REVIEW_DAYS 14
#define URGENT_DAYS 2
#define HANDLING "use in the case named in the request only; no onward sharing " \
	"without our consent; keep at most %u days"

/* One of our traces, as planned: what stats reads is decided here, the
 * rest is drawn again from the trace's own generator when written. */
struct out_plan {
	uint64_t created, answered;  /* answered 0: still open */
	uint64_t id;                 /* given by the store */
	uint32_t gen;                /* its generator's number */
	uint32_t follows;            /* 1 + the gen of the trace it follows; 0: none */
	int32_t ttc;                 /* days, -1 when the result has none */
	uint16_t peer;
	int8_t status, export_to;    /* export_to: a peer index, -1: none */
	uint8_t urgent;
	char origin[TN_NAME_LEN];
};

struct in_plan {
	uint64_t received, answered;
	uint16_t peer;
	int8_t status;
	uint8_t urgent;
};

/* A stolen query: ours to up to three peers, or one peer's to us. */
struct sq_plan {
	uint64_t ts, qid;
	uint16_t peer[3];
	uint8_t n, hit[3], timeout[3];
	uint32_t report;             /* a peer's hit: our report (index) */
};

enum ev_kind { EV_OUT_REQ, EV_OUT_RES, EV_IN_REQ, EV_IN_RES, EV_SQ_OUT, EV_SQ_RES, EV_SQ_IN };

struct ev {
	uint64_t ts;
	uint32_t idx;
	uint8_t kind, slot;
};

struct world {
	uint64_t seed, start, end, now;
	uint32_t n_peers, months, per_month;
	const char *node;
	struct peer_way peers[TRAFFIC_PEERS_MAX];
	struct out_plan *out;
	uint32_t n_out, n_follow, *pos;   /* pos[gen]: the plan's index */
	struct in_plan *in;
	uint32_t n_in;
	struct sq_plan *sq_out, *sq_in;
	uint32_t n_sq_out, n_sq_in, n_reports;
	uint64_t *report_ids;
	struct ev *ev;
	uint32_t n_ev, cap_ev;
	uint32_t n_alerts;
};

static void hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = need * 2;
	if (!(p = realloc(p, (size_t)*cap * size))) {
		fprintf(stderr, "traffic_add: out of memory\n");
		exit(1);
	}
	return p;
}

static void event(struct world *w, uint64_t ts, enum ev_kind kind, uint32_t idx, uint8_t slot)
{
	w->ev = grow(w->ev, &w->cap_ev, w->n_ev + 1, sizeof(*w->ev));
	w->ev[w->n_ev++] = (struct ev){ ts, idx, (uint8_t)kind, slot };
}

static int by_ts(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->kind != y->kind ? x->kind - y->kind : (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_created(const void *a, const void *b)
{
	const struct out_plan *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return (x->gen > y->gen) - (x->gen < y->gen);
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* ---- the months ---- */

/* The first instant of the month `back` months before the end's. */
static uint64_t month_start(uint64_t end, uint32_t back)
{
	time_t s = (time_t)(end / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mon -= (int)back;
	return (uint64_t)timegm(&tm) * 1000;
}

/* n instants of month m (0: the oldest), sorted. */
static void month_times(const struct world *w, uint32_t m, uint32_t kind, uint64_t *t, uint32_t n)
{
	uint64_t from = month_start(w->end, w->months - 1 - m);
	uint64_t to = m + 1 < w->months ? month_start(w->end, w->months - 2 - m) : w->end;
	struct rng r = rng_for(w->seed, kind, m);

	for (uint32_t i = 0; i < n; i++)
		t[i] = from + (uint64_t)(rng_unit(&r) * (double)(to - from));
	qsort(t, n, sizeof(*t), by_u64);
}

/* Minutes a request waits for its answer from a peer of this pace. */
static uint64_t answer_after(struct rng *r, const struct peer_way *p, int urgent)
{
	double med = p->median_min / (urgent && p->review ? 5.0 : 1.0);
	double min = rng_lognormal(r, med, p->sigma);

	return (uint64_t)(min * MIN_MS) + 2000 + rng_below(r, 30000);
}

static uint32_t other_peer(struct rng *r, const struct world *w, uint32_t not)
{
	uint32_t p = traffic_pick_peer(r, w->n_peers);

	return p != not ? p : (not + 1 + rng_below(r, w->n_peers - 1)) % w->n_peers;
}

/* ---- planning: times, peers and outcomes of everything ---- */

/* A follow-up of o (whose result exported the gun) to the export country. */
static void plan_follow_up(struct world *w, const struct out_plan *o, struct rng *r)
{
	uint64_t at = o->answered + 3600000 + rng_below(r, 10) * DAY_MS;
	struct out_plan *f;
	double x = rng_unit(r);

	if (at >= w->end || rng_unit(r) >= 0.6)
		return;
	f = &w->out[w->n_out];
	*f = (struct out_plan){ .created = at, .gen = w->n_out++, .follows = o->gen + 1,
				.peer = (uint16_t)o->export_to, .urgent = o->urgent,
				.export_to = -1, .ttc = o->ttc };
	memcpy(f->origin, o->origin, sizeof(f->origin));
	f->status = x < 0.7 ? ST_COMPLETED : x < 0.9 ? ST_NO_RECORD : ST_DECLINED;
	f->answered = at + answer_after(r, &w->peers[f->peer], f->urgent);
	if (f->answered >= w->end)
		f->answered = 0;
	w->n_follow++;
}

static void plan_one_out(struct world *w, uint64_t created)
{
	struct out_plan *o = &w->out[w->n_out];
	struct rng r = rng_for(w->seed, 10, w->n_out), rf = rng_for(w->seed, 11, w->n_out);
	struct tn_firearm scratch;
	const struct peer_way *p;

	*o = (struct out_plan){ .created = created, .gen = w->n_out++, .export_to = -1, .ttc = -1 };
	o->peer = (uint16_t)traffic_pick_peer(&r, w->n_peers);
	p = &w->peers[o->peer];
	o->urgent = rng_unit(&r) < 0.10;
	o->status = (int8_t)traffic_status(&r);
	if (traffic_makes_guns(p->name) && rng_unit(&r) < 0.6)
		memcpy(o->origin, p->name, sizeof(o->origin));
	traffic_firearm(&rf, &scratch, o->origin);
	o->answered = created + answer_after(&r, p, o->urgent);
	if (o->answered >= w->end)
		o->answered = 0;
	if (o->status == ST_COMPLETED || o->status == ST_PARTIAL || o->status == ST_DESTROYED)
		o->ttc = traffic_time_to_crime(&r);
	if (o->status == ST_COMPLETED && !strcmp(o->origin, p->name) && w->n_peers > 1 &&
	    rng_unit(&r) < 0.2)
		o->export_to = (int8_t)other_peer(&r, w, o->peer);
	if (o->export_to >= 0 && o->answered)
		plan_follow_up(w, o, &r);
}

static void plan_out(struct world *w)
{
	uint32_t k = w->per_month;
	uint64_t *t = calloc(k ? k : 1, sizeof(*t));

	w->out = calloc((size_t)w->months * k * 2 + 1, sizeof(*w->out));
	if (!t || !w->out)
		exit(1);
	for (uint32_t m = 0; m < w->months; m++) {
		month_times(w, m, 100, t, k);
		for (uint32_t i = 0; i < k; i++)
			plan_one_out(w, t[i]);
	}
	qsort(w->out, w->n_out, sizeof(*w->out), by_created);
	if (!(w->pos = calloc(w->n_out + 1, sizeof(*w->pos))))
		exit(1);
	for (uint32_t i = 0; i < w->n_out; i++) {
		w->pos[w->out[i].gen] = i;
		event(w, w->out[i].created, EV_OUT_REQ, i, 0);
		if (w->out[i].answered)
			event(w, w->out[i].answered, EV_OUT_RES, i, 0);
	}
	free(t);
}

/* Peers' requests to us: we review most partners' (about three days,
 * urgent ones faster) and answer some at once. */
static void plan_in(struct world *w)
{
	uint32_t k = (w->per_month + 1) / 2;
	uint64_t *t = calloc(k ? k : 1, sizeof(*t));

	w->in = calloc((size_t)w->months * k + 1, sizeof(*w->in));
	if (!t || !w->in)
		exit(1);
	for (uint32_t m = 0; m < w->months; m++) {
		month_times(w, m, 101, t, k);
		for (uint32_t i = 0; i < k; i++) {
			struct in_plan *p = &w->in[w->n_in];
			struct rng r = rng_for(w->seed, 20, w->n_in);
			const struct peer_way *pw;

			p->received = t[i];
			p->peer = (uint16_t)traffic_pick_peer(&r, w->n_peers);
			pw = &w->peers[p->peer];
			p->urgent = rng_unit(&r) < 0.10;
			p->status = (int8_t)traffic_status(&r);
			p->answered = t[i] + 1000 + rng_below(&r, 2000);
			if (pw->we_review)
				p->answered += (uint64_t)(rng_lognormal(&r, 3 * 1440, 0.7) * MIN_MS /
							  (p->urgent ? 4 : 1));
			if (p->answered >= w->end)
				p->answered = 0;
			event(w, p->received, EV_IN_REQ, w->n_in, 0);
			if (p->answered)
				event(w, p->answered, EV_IN_RES, w->n_in, 0);
			w->n_in++;
		}
	}
	free(t);
}

/* Stolen checks, twice the traces each way: ours go to one to three
 * peers, 1.5 % of the answers hit (1 % time out); 2 % of peers' queries
 * hit one of our reports. */
static void plan_stolen(struct world *w)
{
	uint32_t k = 2 * w->per_month, n = w->months * k;
	uint64_t *t = calloc(k ? k : 1, sizeof(*t));

	w->sq_out = calloc(n + 1, sizeof(*w->sq_out));
	w->sq_in = calloc(n + 1, sizeof(*w->sq_in));
	if (!t || !w->sq_out || !w->sq_in)
		exit(1);
	for (uint32_t m = 0; m < w->months; m++) {
		month_times(w, m, 102, t, k);
		for (uint32_t i = 0; i < k; i++) {
			struct sq_plan *q = &w->sq_out[w->n_sq_out];
			struct rng r = rng_for(w->seed, 30, w->n_sq_out);
			double x = rng_unit(&r);

			*q = (struct sq_plan){ .ts = t[i], .qid = rng_next(&r) };
			q->n = (uint8_t)(x < 0.6 || w->n_peers < 2 ? 1 : x < 0.85 || w->n_peers < 3 ? 2 : 3);
			q->peer[0] = (uint16_t)traffic_pick_peer(&r, w->n_peers);
			for (uint8_t j = 1; j < q->n; j++)
				q->peer[j] = (uint16_t)((q->peer[0] + j) % w->n_peers);
			for (uint8_t j = 0; j < q->n; j++) {
				x = rng_unit(&r);
				q->hit[j] = x < 0.015;
				q->timeout[j] = x >= 0.015 && x < 0.025;
				event(w, q->ts, EV_SQ_OUT, w->n_sq_out, j);
				event(w, q->ts + (q->timeout[j] ? 10000 : 300 + rng_below(&r, 3700)),
				      EV_SQ_RES, w->n_sq_out, j);
			}
			w->n_sq_out++;
		}
		month_times(w, m, 103, t, k);
		for (uint32_t i = 0; i < k; i++) {
			struct sq_plan *q = &w->sq_in[w->n_sq_in];
			struct rng r = rng_for(w->seed, 31, w->n_sq_in);

			*q = (struct sq_plan){ .ts = t[i], .qid = rng_next(&r), .n = 1 };
			q->peer[0] = (uint16_t)traffic_pick_peer(&r, w->n_peers);
			q->hit[0] = rng_unit(&r) < 0.02;
			q->report = rng_below(&r, w->n_reports);
			w->n_alerts += q->hit[0];
			event(w, q->ts, EV_SQ_IN, w->n_sq_in++, 0);
		}
	}
	free(t);
}

/* ---- rows, as the daemon writes them ---- */

/* A trace request's message id carries the requester's trace id. */
static void trace_mid(uint8_t mid[TN_MID_LEN], uint64_t id, struct rng *r)
{
	for (int i = 0; i < TN_MID_LEN; i++)
		mid[i] = (uint8_t)rng_next(r);
	mid[0] = 1;
	for (int i = 8; i >= 1; i--, id >>= 8)
		mid[i] = (uint8_t)id;
}

static void request_digest(const struct tn_trace_request *q, uint8_t out[TN_HASH_LEN])
{
	struct proto_buf b = { 0 };

	if (!proto_encode(&proto_trace_request_schema, q, &b))
		cx_hash_for(CX_REQUEST, b.data, b.len, out);
	proto_buf_free(&b);
}

/* Our request of plan o (the first of its gun): *recovered gets the day. */
static void our_request(const struct world *w, const struct out_plan *o,
			struct tn_trace_request *q, uint64_t *recovered)
{
	struct rng r = rng_for(w->seed, 11, o->gen);
	char origin[TN_NAME_LEN];

	memcpy(origin, o->origin, sizeof(origin));
	memset(q, 0, sizeof(*q));
	traffic_firearm(&r, &q->firearm, origin);
	traffic_case(&r, q, o->gen + 1);
	*recovered = o->created - (1 + rng_below(&r, 45)) * DAY_MS;
	traffic_date(*recovered, q->recovered_on);
	q->urgent = o->urgent;
	if (o->status == ST_UNMARKED) {
		q->firearm.serial[0] = '\0';
		q->firearm.serial_obliterated = true;
	}
}

static void ev_set(struct tn_event *e, const char *kind, uint64_t ms, const char *country)
{
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	traffic_date(ms, e->date);
	snprintf(e->country, sizeof(e->country), "%s", country ? country : "");
}

/* The record's events: made here or imported, then sold (or exported),
 * perhaps transferred or destroyed; sale is the first retail day. */
static uint32_t chain(const struct world *w, const struct out_plan *o, const char *from,
		      uint64_t recovered, uint64_t sale, struct tn_event *ev)
{
	const char *peer = w->peers[o->peer].name;
	struct rng r = rng_for(w->seed, 12, o->gen);
	uint32_t n = 0;

	memset(ev, 0, 4 * sizeof(*ev));
	if (o->follows || strcmp(o->origin, peer)) {
		ev_set(&ev[n], "imported", sale - (o->follows ? 30 : 30 + rng_below(&r, 500)) * DAY_MS,
		       o->follows ? from : o->origin);
		snprintf(ev[n].party, sizeof(ev[n].party), "%s Arms Import S.A.", peer);
		snprintf(ev[n++].ref, sizeof(ev[0].ref), "IMP-%u", rng_below(&r, 900000));
	} else {
		ev_set(&ev[n], "manufactured", sale - (90 + rng_below(&r, 700)) * DAY_MS, NULL);
		snprintf(ev[n++].party, sizeof(ev[0].party), "factory of %s", o->origin);
	}
	if (o->export_to >= 0) {
		ev_set(&ev[n], "exported", sale - 60 * DAY_MS, w->peers[o->export_to].name);
		snprintf(ev[n].party, sizeof(ev[n].party), "factory of %s", o->origin);
		snprintf(ev[n++].ref, sizeof(ev[0].ref), "EXP-%u", rng_below(&r, 900000));
		return n;
	}
	ev_set(&ev[n], "sold", sale, NULL);
	traffic_dealer(&r, peer, &ev[n++]);
	if (o->status == ST_DESTROYED)
		ev_set(&ev[n++], "destroyed", sale + (recovered - sale) / 2, NULL);
	else if (rng_unit(&r) < 0.2)
		ev_set(&ev[n++], "transferred", sale + (recovered - sale) / 3, NULL);
	return n;
}

static void our_result(const struct world *w, const struct out_plan *o, const char *from,
		       uint64_t recovered, struct tn_trace *tr, struct tn_event *ev)
{
	struct tn_trace_result *res = &tr->result;
	const struct peer_way *p = &w->peers[o->peer];
	uint64_t sale = recovered - (uint64_t)(o->ttc > 0 ? o->ttc : 0) * DAY_MS;
	uint32_t days = (uint32_t)((w->now - o->answered) / DAY_MS) + 365;
	struct rng r = rng_for(w->seed, 13, o->gen);

	for (int i = 0; i < TN_MID_LEN; i++)
		res->mid[i] = (uint8_t)rng_next(&r);
	res->mid[0] = 0;
	res->ref = tr->id;
	request_digest(&tr->req, res->request_digest);
	snprintf(res->status, sizeof(res->status), "%s", traffic_status_names[o->status]);
	res->keep_days = p->keep_days > days ? p->keep_days : days;
	snprintf(res->handling, sizeof(res->handling), HANDLING, res->keep_days);
	res->time_to_crime_days = -1;
	if (o->status == ST_NO_RECORD || o->status == ST_DECLINED || o->status == ST_UNMARKED) {
		snprintf(res->reason, sizeof(res->reason), "%s", o->status == ST_DECLINED ?
			 "daily limit of trace requests reached" : o->status == ST_UNMARKED ?
			 "a trace needs a legible serial number" : "");
		return;
	}
	res->chain = ev;
	res->n_chain = chain(w, o, from, recovered, sale, ev);
	for (uint32_t i = 0; i < res->n_chain; i++) {
		if (o->status == ST_PARTIAL)
			ev[i].party[0] = ev[i].place[0] = ev[i].ref[0] = '\0';
		if (!strcmp(ev[i].kind, "sold") && !res->first_retail.kind[0]) {
			res->first_retail = ev[i];
			res->time_to_crime_days = o->ttc;
		}
	}
	if (o->export_to >= 0) {
		const struct tn_event *x = &ev[res->n_chain - 1];

		memcpy(res->export_to, x->country, sizeof(res->export_to));
		memcpy(res->export_date, x->date, sizeof(res->export_date));
		memcpy(res->export_ref, x->ref, sizeof(res->export_ref));
	}
	if (o->status == ST_DESTROYED)
		snprintf(res->reason, sizeof(res->reason), "the record says this firearm was "
			 "destroyed: possible diversion");
}

/* The trace's own status: answered, or where an open one stands. */
static void out_status(const struct world *w, const struct out_plan *o, struct tn_trace *tr)
{
	const struct peer_way *p = &w->peers[o->peer];
	const char *s = "answered";

	if (!o->answered)
		s = o->created + MIN_MS > w->end ? "queued" : p->review ? "in_review" : "acknowledged";
	snprintf(tr->status, sizeof(tr->status), "%s", s);
	if (strcmp(s, "queued"))
		traffic_date(o->created + 2000 + (p->review ? (o->urgent ? URGENT_DAYS : REVIEW_DAYS) *
						   DAY_MS : 0), tr->deadline);
	tr->updated_ms = o->answered ? o->answered : o->created + (strcmp(s, "queued") ? 2000 : 0);
	tr->answered_ms = o->answered;
}

static int put_out(struct store_txn *t, struct world *w, uint32_t i)
{
	struct out_plan *o = &w->out[i];
	const struct out_plan *first = o->follows ? &w->out[w->pos[o->follows - 1]] : o;
	struct tn_trace tr = { .created_ms = o->created };
	struct tn_event ev[4];
	uint64_t recovered;
	struct rng r = rng_for(w->seed, 14, o->gen);
	int rc;

	memcpy(tr.peer, w->peers[o->peer].name, sizeof(tr.peer));
	our_request(w, first, &tr.req, &recovered);
	tr.req.urgent = o->urgent;
	if (o->follows)
		tr.req.follows = first->id;
	if ((rc = store_trace_put(t, &tr)))
		return rc;
	o->id = tr.id;
	tr.req.ref = tr.id;
	trace_mid(tr.req.mid, tr.id, &r);
	out_status(w, o, &tr);
	if (o->answered)
		our_result(w, o, w->peers[first->peer].name, recovered, &tr, ev);
	return store_trace_put(t, &tr);
}

static void in_request(const struct world *w, uint32_t i, struct tn_trace_in *tr)
{
	const struct in_plan *p = &w->in[i];
	struct rng r = rng_for(w->seed, 21, i);
	char origin[TN_NAME_LEN] = "";

	memcpy(tr->peer, w->peers[p->peer].name, sizeof(tr->peer));
	tr->received_ms = p->received;
	traffic_firearm(&r, &tr->req.firearm, origin);
	traffic_case(&r, &tr->req, i + 1);
	traffic_date(p->received, tr->req.recovered_on);
	snprintf(tr->req.case_ref, sizeof(tr->req.case_ref), "%s-%.4s-%06u", tr->peer,
		 tr->req.recovered_on, i + 1);
	snprintf(tr->req.agency, sizeof(tr->req.agency), "%s national police", tr->peer);
	tr->req.urgent = p->urgent;
	tr->req.ref = 5000 + i;
	trace_mid(tr->req.mid, tr->req.ref, &r);
	traffic_date(p->received - (1 + rng_below(&r, 60)) * DAY_MS, tr->req.recovered_on);
	if (p->status == ST_UNMARKED) {
		tr->req.firearm.serial[0] = '\0';
		tr->req.firearm.serial_obliterated = true;
	}
	request_digest(&tr->req, tr->digest);
}

static int put_in(struct store_txn *t, struct world *w, uint32_t i)
{
	const struct in_plan *p = &w->in[i];
	struct tn_trace_in tr = { 0 };

	in_request(w, i, &tr);
	tr.answered_ms = p->answered;
	traffic_date(p->received + (p->urgent ? URGENT_DAYS : REVIEW_DAYS) * DAY_MS, tr.deadline);
	snprintf(tr.status, sizeof(tr.status), "%s", !p->answered ? "in_review" :
		 p->status == ST_DECLINED ? "declined" : "answered");
	if (p->answered)
		snprintf(tr.result_status, sizeof(tr.result_status), "%s",
			 traffic_status_names[p->status]);
	return store_trace_in_put(t, &tr);
}

static int put_report(struct store_txn *t, struct world *w, uint32_t i)
{
	struct rng r = rng_for(w->seed, 40, i);
	struct tn_stolen s = { 0 };
	struct tn_firearm f = { 0 };
	char origin[TN_NAME_LEN] = "";
	int rc;

	traffic_firearm(&r, &f, origin);
	snprintf(s.kind, sizeof(s.kind), "%s", rng_unit(&r) < 0.8 ? "stolen" : "lost");
	memcpy(s.make, f.make, sizeof(s.make));
	memcpy(s.model, f.model, sizeof(s.model));
	memcpy(s.caliber, f.caliber, sizeof(s.caliber));
	memcpy(s.serial, f.serial, sizeof(s.serial));
	traffic_date(w->start - (1 + rng_below(&r, 1500)) * DAY_MS, s.date);
	snprintf(s.place, sizeof(s.place), "Guatemala City, zone %u", 1 + rng_below(&r, 21));
	snprintf(s.agency, sizeof(s.agency), "PNC");
	snprintf(s.case_ref, sizeof(s.case_ref), "MP-R-%06u", i + 1);
	if ((rc = store_stolen_add(t, &s)) == 0)
		w->report_ids[i] = s.id;
	return rc;
}

/* A peer's query hit our report: the alert, as the answering node raises it. */
static int put_alert(struct store_txn *t, struct world *w, uint32_t i)
{
	const struct sq_plan *q = &w->sq_in[i];
	struct tn_stolen s;
	struct tn_alert a = { .ts = q->ts, .stolen_id = w->report_ids[q->report] };
	int rc;

	if (!q->hit[0])
		return 0;
	if ((rc = store_stolen_get(t, a.stolen_id, &s)))
		return rc;
	memcpy(a.peer, w->peers[q->peer[0]].name, sizeof(a.peer));
	memcpy(a.make, s.make, sizeof(a.make));
	memcpy(a.serial, s.serial, sizeof(a.serial));
	memcpy(a.case_ref, s.case_ref, sizeof(a.case_ref));
	snprintf(a.their_case, sizeof(a.their_case), "%s-Q-%06u", a.peer, i + 1);
	snprintf(a.purpose, sizeof(a.purpose), "investigation");
	snprintf(a.kind, sizeof(a.kind), "stolen_query");
	return store_alert_add(t, &a);
}

/* ---- the audit log ---- */

/* The console user an act was done for (one of four operators). */
static void actor(struct tn_audit *a, uint64_t k, const char *case_ref)
{
	static const char *const users[] = { "ana", "luis", "marta", "jorge" };

	snprintf(a->user, sizeof(a->user), "%s", users[k % 4]);
	snprintf(a->uid, sizeof(a->uid), "%u", 1001 + (unsigned)(k % 4));
	snprintf(a->officer, sizeof(a->officer), "officer-%u", 1 + (unsigned)(k % 9));
	snprintf(a->case_ref, sizeof(a->case_ref), "%s", case_ref);
}

static void audit_set(struct tn_audit *a, const char *peer, const char *dir, const char *type,
		      const char *ref, const char *outcome, const char *detail)
{
	snprintf(a->peer, sizeof(a->peer), "%s", peer);
	snprintf(a->dir, sizeof(a->dir), "%s", dir);
	snprintf(a->type, sizeof(a->type), "%s", type);
	snprintf(a->ref, sizeof(a->ref), "%s", ref);
	snprintf(a->outcome, sizeof(a->outcome), "%s", outcome);
	snprintf(a->detail, sizeof(a->detail), "%s", detail);
}

static void audit_out_trace(const struct world *w, const struct ev *e, struct tn_audit *a)
{
	const struct out_plan *o = &w->out[e->idx];
	const struct out_plan *first = o->follows ? &w->out[w->pos[o->follows - 1]] : o;
	struct tn_trace_request q;
	uint64_t recovered;
	char detail[64];

	our_request(w, first, &q, &recovered);
	if (e->kind == EV_OUT_REQ) {
		snprintf(detail, sizeof(detail), "crime %s", q.crime);
		audit_set(a, w->peers[o->peer].name, "out", "trace_request", q.case_ref, "queued",
			  detail);
		actor(a, o->gen, q.case_ref);
	} else {
		audit_set(a, w->peers[o->peer].name, "in", "trace_result", q.case_ref,
			  traffic_status_names[o->status],
			  o->export_to >= 0 ? w->peers[o->export_to].name : "");
	}
}

static void audit_in_trace(const struct world *w, const struct ev *e, struct tn_audit *a)
{
	const struct in_plan *p = &w->in[e->idx];
	const struct peer_way *pw = &w->peers[p->peer];
	struct tn_trace_in tr = { 0 };
	const char *why = pw->we_review ? "declined by the operator" :
		"daily limit of trace requests reached";

	in_request(w, e->idx, &tr);
	if (e->kind == EV_IN_REQ) {
		audit_set(a, pw->name, "in", "trace_request", tr.req.case_ref, pw->we_review ?
			  "review" : p->status == ST_DECLINED ? "over_limit" : "auto", tr.req.crime);
		return;
	}
	audit_set(a, pw->name, "out", "trace_result", "", traffic_status_names[p->status],
		  p->status == ST_DECLINED ? why : tr.req.case_ref);
	if (pw->we_review)
		actor(a, e->idx, "");
}

static void audit_stolen(const struct world *w, const struct ev *e, struct tn_audit *a)
{
	const struct sq_plan *q = e->kind == EV_SQ_IN ? &w->sq_in[e->idx] : &w->sq_out[e->idx];
	const char *peer = w->peers[q->peer[e->slot]].name;
	char ref[24], case_ref[32];

	snprintf(ref, sizeof(ref), "%016llx", (unsigned long long)q->qid);
	snprintf(case_ref, sizeof(case_ref), "MP-%06u", e->idx + 1);
	if (e->kind == EV_SQ_IN) {
		audit_set(a, peer, "in", "stolen_query", ref, q->hit[0] ? "1 hit(s)" : "no_hit",
			  "investigation");
		return;
	}
	if (e->kind == EV_SQ_OUT)
		audit_set(a, peer, "out", "stolen_query", ref, "sent",
			  "1 item(s), purpose: investigation");
	else
		audit_set(a, peer, "in", "stolen_result", ref, q->hit[e->slot] ? "1 hit(s)" :
			  q->timeout[e->slot] ? "timeout" : "no_hit", case_ref);
	actor(a, e->idx, case_ref);
}

static int put_audit(struct store_txn *t, struct world *w, uint32_t i)
{
	const struct ev *e = &w->ev[i];
	struct tn_audit a = { .ts = e->ts };

	if (e->kind == EV_OUT_REQ || e->kind == EV_OUT_RES)
		audit_out_trace(w, e, &a);
	else if (e->kind == EV_IN_REQ || e->kind == EV_IN_RES)
		audit_in_trace(w, e, &a);
	else
		audit_stolen(w, e, &a);
	return store_audit_append(t, &a, hash);
}

/* ---- writing, CHUNK rows a transaction ---- */

typedef int (*put_fn)(struct store_txn *t, struct world *w, uint32_t i);

struct chunk {
	struct world *w;
	uint32_t from, to;
	put_fn put;
};

static int chunk_op(struct store_txn *t, void *arg)
{
	struct chunk *c = arg;
	int rc = 0;

	for (uint32_t i = c->from; i < c->to && !rc; i++)
		rc = c->put(t, c->w, i);
	return rc;
}

static int put_all(struct store *s, struct world *w, uint32_t n, put_fn put, const char *what)
{
	for (uint32_t i = 0; i < n; i += CHUNK) {
		struct chunk c = { w, i, i + CHUNK < n ? i + CHUNK : n, put };
		int rc = store_write(s, chunk_op, &c);

		if (rc) {
			fprintf(stderr, "traffic_add: writing %s: %s\n", what, tn_strerror(rc));
			return rc;
		}
	}
	return 0;
}

static int write_all(struct store *s, struct world *w)
{
	if (!(w->report_ids = calloc(w->n_reports, sizeof(*w->report_ids))))
		return TN_ERR_NOMEM;
	return put_all(s, w, w->n_reports, put_report, "stolen reports") ||
	       put_all(s, w, w->n_out, put_out, "our traces") ||
	       put_all(s, w, w->n_in, put_in, "peers' traces") ||
	       put_all(s, w, w->n_sq_in, put_alert, "alerts") ||
	       put_all(s, w, w->n_ev, put_audit, "audit entries");
}

/* ---- arguments ---- */

static int usage(void)
{
	fprintf(stderr, "usage: traffic_add NODE-DIR [--peers N] [--months M] "
			"[--traces-per-month K] [--seed S] [--end YYYY-MM-DD] [--node NAME]\n");
	return 2;
}

static int parse_end(struct world *w, const char *s)
{
	struct tm tm = { 0 };
	const char *rest = strptime(s, "%Y-%m-%d", &tm);

	if (!rest || *rest || proto_date_check(s))
		return -1;
	w->end = (uint64_t)timegm(&tm) * 1000 + DAY_MS - 1;
	return 0;
}

static int args(struct world *w, int argc, char **argv)
{
	for (int i = 2; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n = v ? strtoul(v, NULL, 10) : 0;

		if (!v)
			return -1;
		if (!strcmp(k, "--peers") && n >= 1 && n <= TRAFFIC_PEERS_MAX)
			w->n_peers = (uint32_t)n;
		else if (!strcmp(k, "--months") && n >= 1 && n <= 120)
			w->months = (uint32_t)n;
		else if (!strcmp(k, "--traces-per-month") && n <= 1000000)
			w->per_month = (uint32_t)n;
		else if (!strcmp(k, "--seed"))
			w->seed = strtoull(v, NULL, 10);
		else if (!strcmp(k, "--node") && strlen(v) == 3)
			w->node = v;
		else if (strcmp(k, "--end") || parse_end(w, v))
			return -1;
	}
	return 0;
}

static void summary(const struct world *w, double secs)
{
	uint32_t open = 0;

	for (uint32_t i = 0; i < w->n_out; i++)
		open += !w->out[i].answered;
	printf("{\"months\": %u, \"peers\": %u, \"per_month\": %u, \"traces_out\": %u, "
	       "\"follow_ups\": %u, \"open_out\": %u, \"traces_in\": %u, \"stolen_reports\": %u, "
	       "\"stolen_queries_out\": %u, \"stolen_queries_in\": %u, \"alerts\": %u, "
	       "\"audit\": %u, \"rows\": %u, \"seconds\": %.2f}\n", w->months, w->n_peers,
	       w->per_month, w->n_out, w->n_follow, open, w->n_in, w->n_reports, w->n_sq_out,
	       w->n_sq_in, w->n_alerts, w->n_ev,
	       w->n_out + w->n_in + w->n_reports + w->n_alerts + w->n_ev, secs);
}

static void world_free(struct world *w)
{
	free(w->out);
	free(w->pos);
	free(w->in);
	free(w->sq_out);
	free(w->sq_in);
	free(w->report_ids);
	free(w->ev);
}

int main(int argc, char **argv)
{
	struct world w = { .seed = 1, .n_peers = 10, .months = 12, .per_month = 500,
			   .node = "GTM" };
	struct timespec t0, t1;
	struct store *s;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	w.now = (uint64_t)time(NULL) * 1000;
	w.end = w.now;
	if (argc < 2 || args(&w, argc, argv))
		return usage();
	w.end = w.end < w.now ? w.end : w.now;
	w.start = month_start(w.end, w.months - 1);
	w.n_peers = (uint32_t)traffic_peers(w.peers, w.n_peers, w.seed, w.node);
	w.n_reports = 100 + w.months * w.per_month / 10;
	plan_out(&w);
	plan_in(&w);
	plan_stolen(&w);
	qsort(w.ev, w.n_ev, sizeof(*w.ev), by_ts);
	if (cx_init() || store_open(&s, argv[1], 0, 0)) {
		fprintf(stderr, "traffic_add: cannot open the store of %s\n", argv[1]);
		world_free(&w);
		return 1;
	}
	rc = write_all(s, &w);
	store_close(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc)
		summary(&w, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	world_free(&w);
	return rc ? 1 : 0;
}
