/* SPDX-License-Identifier: Apache-2.0 */
/* Between the files of the stats computation: a table of counted rows
 * keyed by their leading bytes, and the state of one computation. */
#ifndef TN_STATS_INT_H
#define TN_STATS_INT_H

#include "proto.h"

/* Rows of size bytes, each keyed by its first klen bytes (zero-padded
 * strings, so equal keys are equal bytes), found through a hash. */
struct stats__tab {
	uint8_t *rows;
	uint32_t n, cap;
	uint32_t *slots;           /* row index + 1; 0 is empty */
	uint32_t n_slots;
	size_t size, klen;
};

/* The row whose key is key's first klen bytes, added (zeroed but for its
 * key) when new. NULL when out of memory. */
void *stats__tab_get(struct stats__tab *t, const void *key);
void stats__tab_free(struct stats__tab *t);

/* A growing list of minutes. */
struct stats__vals {
	uint32_t *v;
	uint32_t n, cap;
};

/* The answers of one direction, peer and urgency, and their minutes. */
struct stats__group {
	struct tn_stats_answers a;  /* key: dir, peer, urgent */
	struct stats__vals mins;     /* request to answer */
	struct stats__vals dls;      /* request to the end of the deadline's day */
};

int stats__vals_add(struct stats__vals *l, uint32_t v) TN_WUR;

struct tn_stats_acc {
	struct tn_stats_arg arg;
	uint64_t now_ms, from_ms, to_ms;   /* the period: [from_ms, to_ms) */
	char until[TN_DATE_LEN];           /* its last day */
	struct stats__tab traces;          /* struct tn_stats_traces */
	struct stats__tab groups;          /* struct stats__group */
	struct stats__tab origins, exporters, dealers; /* struct tn_stats_count */
	struct stats__tab flows;           /* struct tn_stats_flow */
	struct stats__tab stolen;          /* struct tn_stats_stolen */
	struct tn_stats_ttc ttc;
	uint32_t hist[TN_STATS_TTC_BUCKETS];
};

#define STATS_DAY_MS 86400000ull
#define STATS_TOP 50                 /* names kept in each count list */

#endif
