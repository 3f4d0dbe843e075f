/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: the JSON line of a run on stdout: rates and latency
 * percentiles of query, report or trace runs; see bq.h. */
#include <stdio.h>
#include <stdlib.h>

#include "bq.h"

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, c = *(const uint32_t *)y;

	return (a > c) - (a < c);
}

static uint32_t pct(const struct bq *b, double p)
{
	uint64_t i = (uint64_t)(p * (double)b->done);

	return b->done ? b->lat_us[i < b->done ? i : b->done - 1] : 0;
}

void bq_print_trace_json(struct bq *b, double secs)
{
	qsort(b->lat_us, b->done, sizeof(*b->lat_us), cmp_u32);
	printf("{\"round_trip\": {\"n\": %llu, \"p50_us\": %u, \"p90_us\": %u, \"p99_us\": %u, "
	       "\"max_us\": %u}, ", (unsigned long long)b->done, pct(b, 0.5), pct(b, 0.9),
	       pct(b, 0.99), b->done ? b->lat_us[b->done - 1] : 0);
	printf("\"seconds\": %.3f, \"traces_per_s\": %.1f, \"min_events\": %u, \"failed\": %llu, "
	       "\"not_answered\": %llu, \"short_chain\": %llu}\n", secs, b->done / secs,
	       b->min_events, (unsigned long long)b->failed, (unsigned long long)b->not_answered,
	       (unsigned long long)b->short_chain);
}

/* Replies per second over the second half of the run, once bursts and
 * warm-up are over. */
static double steady_rate(const struct bq *b, double secs)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < b->done; i++)
		n += b->end_s[i] >= secs / 2;
	return secs > 0 ? n / (secs / 2) : 0;
}

void bq_print_json(struct bq *b, double secs)
{
	printf("{\"steady_requests_per_s\": %.1f, ", steady_rate(b, secs));
	qsort(b->lat_us, b->done, sizeof(*b->lat_us), cmp_u32);
	printf("\"mode\": \"%s\", \"conns\": %u, \"depth\": %u, \"items_per_request\": %u, "
	       "\"requests\": %llu, \"seconds\": %.3f, \"requests_per_s\": %.1f, "
	       "\"items_per_s\": %.1f, ", b->mode, b->conns, b->depth, b->report ? 1 : b->batch,
	       (unsigned long long)b->done, secs, b->done / secs,
	       b->done * (double)(b->report ? 1 : b->batch) / secs);
	printf("\"p50_us\": %u, \"p99_us\": %u, \"p999_us\": %u, \"max_us\": %u, ",
	       pct(b, 0.5), pct(b, 0.99), pct(b, 0.999), b->done ? b->lat_us[b->done - 1] : 0);
	printf("\"failed\": %llu, \"not_answered\": %llu, \"hits\": %llu, "
	       "\"hits_expected\": %llu, \"hit_mismatch\": %llu, \"blind_answers\": %llu}\n",
	       (unsigned long long)b->failed, (unsigned long long)b->not_answered,
	       (unsigned long long)b->hits, (unsigned long long)b->hits_expected,
	       (unsigned long long)b->mismatch, (unsigned long long)b->blind);
}
