/* SPDX-License-Identifier: Apache-2.0 */
/* What the exchanges add up to (console command `stats`, and the report
 * drawn from it): traces per peer and month by status, answer times
 * against deadlines, time-to-crime, where traced guns came from, the
 * flows of followed traces, and stolen checks. Every list keeps its shape
 * whether empty or full. */
#ifndef TN_STATS_H
#define TN_STATS_H

#include "rows.h"

#define TN_MONTH_LEN 8               /* YYYY-MM + NUL */
#define TN_STATS_ROWS_MAX 20000

/* stats's arguments: a period and, optionally, one peer. */
struct tn_stats_arg {
	char since[TN_DATE_LEN];         /* YYYY-MM-DD, inclusive; "" = the beginning */
	char until[TN_DATE_LEN];         /* YYYY-MM-DD, inclusive; "" = today */
	char peer[TN_NAME_LEN];          /* "" = every peer */
};

/* Traces of one direction, peer, month and status. */
struct tn_stats_traces {
	char dir[16];                    /* "sent" (ours) or "received" (peers'); 8 letters need 9 bytes */
	char peer[TN_NAME_LEN];
	char month[TN_MONTH_LEN];        /* of the request */
	char status[24];                 /* a result status, or the trace's own while open */
	uint32_t count;
};

/* How fast one peer answers (dir "sent": our requests to it) or we answer
 * it (dir "received"), urgent and routine apart. Minutes. */
struct tn_stats_answers {
	char dir[16];
	char peer[TN_NAME_LEN];
	bool urgent;
	uint32_t answered;
	uint32_t late;                   /* answered after the deadline */
	uint32_t overdue;                /* open now, past the deadline */
	uint32_t open;
	uint32_t median_min, p90_min, max_min;
	uint32_t deadline_min;           /* the median deadline given, after the request */
};

/* Traces with a time-to-crime from from_days (inclusive) to the next
 * bucket's from_days; the last bucket is open. */
struct tn_stats_bucket {
	uint32_t from_days;
	uint32_t count;
};

#define TN_STATS_TTC_BUCKET_DAYS 90
#define TN_STATS_TTC_BUCKETS 41      /* 40 of 90 days (ten years), then the rest */

/* Time-to-crime of the traces we sent that came back with one: days from
 * the first retail sale to the recovery. */
struct tn_stats_ttc {
	uint32_t known;                  /* traces with a time-to-crime */
	uint32_t under_1y, under_3y;
	uint32_t under_3y_other_possessor; /* of those under 3 years: possessor not the first buyer */
	uint32_t n;
	struct tn_stats_bucket *histogram;
};

/* A count under a name: a country or a dealer. */
struct tn_stats_count {
	char name[TN_PARTY_LEN];
	uint32_t count;
};

/* A followed trace: the gun went from one country to the next. */
struct tn_stats_flow {
	char from[TN_NAME_LEN];
	char to[TN_NAME_LEN];
	uint32_t count;
};

/* Stolen checks with one peer: its queries to us, ours to it. */
struct tn_stats_stolen {
	char peer[TN_NAME_LEN];
	uint32_t asked_us, hits_for_them;  /* their queries and the hits on our reports */
	uint32_t we_asked, hits_for_us;    /* ours, and the hits they reported */
	uint32_t alerts;                   /* alerts raised on our reports by its queries */
};

struct tn_stats {
	char node[TN_NAME_LEN];
	char since[TN_DATE_LEN];
	char until[TN_DATE_LEN];
	uint64_t made_ms;
	uint32_t n_traces;
	struct tn_stats_traces *traces;
	uint32_t n_answers;
	struct tn_stats_answers *answers;
	struct tn_stats_ttc ttc;
	uint32_t n_origins;                /* country of manufacture of guns we traced */
	struct tn_stats_count *origins;
	uint32_t n_exporters;              /* the country whose record ended in an export */
	struct tn_stats_count *exporters;
	uint32_t n_dealers;                /* the last known dealer (first retail seller) */
	struct tn_stats_count *dealers;
	uint32_t n_flows;
	struct tn_stats_flow *flows;
	uint32_t n_stolen;
	struct tn_stats_stolen *stolen;
};

extern const struct proto_schema proto_stats_arg_schema;
extern const struct proto_schema proto_stats_schema;

/* ---- the computation: rows in, one struct tn_stats out ---- */

struct tn_stats_acc;

/* Start adding up the rows of a's period and peer as of now_ms;
 * TN_ERR_INVALID when a date is not YYYY-MM-DD. */
int proto_stats_begin(struct tn_stats_acc **out, const struct tn_stats_arg *a,
		      uint64_t now_ms) TN_WUR;
/* Count one of our traces; from: the peer of the trace it follows, if any. */
int proto_stats_trace(struct tn_stats_acc *s, const struct tn_trace *tr, const char *from) TN_WUR;
/* Count one peer's trace to us. */
int proto_stats_trace_in(struct tn_stats_acc *s, const struct tn_trace_in *tr) TN_WUR;
/* Count one alert (checkpoint alarms are skipped). */
int proto_stats_alert(struct tn_stats_acc *s, const struct tn_alert *a) TN_WUR;
/* Count one audit entry (stolen checks only). */
int proto_stats_audit(struct tn_stats_acc *s, const struct tn_audit *a) TN_WUR;
/* Fill out (release it with proto_stats_schema) from node's rows; frees s. */
int proto_stats_end(struct tn_stats_acc *s, const char *node, struct tn_stats *out) TN_WUR;
/* Free s unfinished. */
void proto_stats_free(struct tn_stats_acc *s);

#endif
