/* SPDX-License-Identifier: Apache-2.0 */
/* The model behind traffic_add: who the partners are and how they behave,
 * what a traced gun looks like, and the draws (seeded, so a run can be
 * made again) that give a year of traces and stolen checks their shape. */
#ifndef TN_TRAFFIC_H
#define TN_TRAFFIC_H

#include <stdint.h>

#include "../../../proto/rows.h"

#define TRAFFIC_PEERS_MAX 64
#define MIN_MS 60000ull
#define DAY_MS 86400000ull

/* A small, fast generator (splitmix64); every row draws from its own. */
struct rng {
	uint64_t s;
};

uint64_t rng_next(struct rng *r);
/* A generator for item i of kind, under the run's seed. */
struct rng rng_for(uint64_t seed, uint32_t kind, uint64_t i);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* Uniform in [0, n). */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Log-normal with this median and sigma. */
double rng_lognormal(struct rng *r, double median, double sigma);
/* An index in [0, n) under weights 1/(i+1)^s: the first few dominate
 * (n <= 256, at most four different (n, s) in a run). */
uint32_t rng_zipf(struct rng *r, uint32_t n, double s);

/* How a partner answers our requests, and how we treat its own. */
enum peer_pace { PACE_FAST, PACE_NORMAL, PACE_SLOW, PACE_LATE };

struct peer_way {
	char name[TN_NAME_LEN];
	enum peer_pace pace;
	double median_min;          /* its answer time, routine requests */
	double sigma;
	int review;                 /* it reviews (a 14-day deadline), or answers at once */
	uint32_t keep_days;         /* what it lets us keep its results for */
	int we_review;              /* our policy for its requests */
};

/* n partners with real ISO alpha-3 names (not ours), the first ones the
 * busiest; exactly one answers chronically late when n >= 3. */
int traffic_peers(struct peer_way *p, uint32_t n, uint64_t seed, const char *ours);
/* A partner for a request, busier ones more often. */
uint32_t traffic_pick_peer(struct rng *r, uint32_t n);

/* Result statuses, in the proportions of traffic_status. */
enum { ST_COMPLETED, ST_PARTIAL, ST_NO_RECORD, ST_UNMARKED, ST_DESTROYED, ST_DECLINED, ST_N };
extern const char *const traffic_status_names[ST_N];
/* A result status: completed 55 %, partial 10 %, no_record 20 %,
 * unmarked 5 %, destroyed on record 2 %, declined 8 %. */
int traffic_status(struct rng *r);

/* Days from the first retail sale to the recovery: mostly years (median
 * about nine), with a share of fast diversions under a year. */
int32_t traffic_time_to_crime(struct rng *r);

/* The gun of a request: make, model, caliber, type and serial, made in
 * origin (or anywhere, when origin is empty: then origin is set). */
void traffic_firearm(struct rng *r, struct tn_firearm *f, char origin[TN_NAME_LEN]);
/* Whether a country makes guns we model (so it can be an origin). */
int traffic_makes_guns(const char *country);
/* A licensed dealer of country: a few dominate its sales. */
void traffic_dealer(struct rng *r, const char *country, struct tn_event *e);
/* A crime, a place and an agency for a request. */
void traffic_case(struct rng *r, struct tn_trace_request *q, uint64_t n);

/* ms since the epoch as YYYY-MM-DD (UTC). */
void traffic_date(uint64_t ms, char out[TN_DATE_LEN]);

#endif
