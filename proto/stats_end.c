/* SPDX-License-Identifier: Apache-2.0 */
/* The stats computation's second half: the tables become the reply's
 * lists, each sorted so the same store gives the same bytes, and the
 * answer minutes become median, 90th percentile and maximum. */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* qsort, which must not be given NULL even for no items. */
static void sort(void *v, uint32_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/* The nearest-rank percentile pct of the n sorted values v (0 when none). */
static uint32_t rank(const uint32_t *v, uint32_t n, uint32_t pct)
{
	uint64_t r;

	if (!n)
		return 0;
	r = ((uint64_t)n * pct + 99) / 100;
	return v[r ? r - 1 : 0];
}

static void settle(struct stats__group *g, struct tn_stats_answers *out)
{
	*out = g->a;
	sort(g->mins.v, g->mins.n, sizeof(uint32_t), cmp_u32);
	sort(g->dls.v, g->dls.n, sizeof(uint32_t), cmp_u32);
	out->median_min = rank(g->mins.v, g->mins.n, 50);
	out->p90_min = rank(g->mins.v, g->mins.n, 90);
	out->max_min = g->mins.n ? g->mins.v[g->mins.n - 1] : 0;
	out->deadline_min = rank(g->dls.v, g->dls.n, 50);
}

static int cmp_traces(const void *a, const void *b)
{
	const struct tn_stats_traces *x = a, *y = b;
	int c;

	if ((c = strcmp(x->dir, y->dir)) || (c = strcmp(x->peer, y->peer)) ||
	    (c = strcmp(x->month, y->month)))
		return c;
	return strcmp(x->status, y->status);
}

static int cmp_answers(const void *a, const void *b)
{
	const struct tn_stats_answers *x = a, *y = b;
	int c;

	if ((c = strcmp(x->dir, y->dir)) || (c = strcmp(x->peer, y->peer)))
		return c;
	return (int)x->urgent - (int)y->urgent;
}

static int cmp_counts(const void *a, const void *b)
{
	const struct tn_stats_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_flows(const void *a, const void *b)
{
	const struct tn_stats_flow *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (c = strcmp(x->from, y->from)) ? c : strcmp(x->to, y->to);
}

static int cmp_stolen(const void *a, const void *b)
{
	return strcmp(((const struct tn_stats_stolen *)a)->peer,
		      ((const struct tn_stats_stolen *)b)->peer);
}

/* Move t's rows into a sorted list of at most max; t is left empty. */
static void *take(struct stats__tab *t, uint32_t *n, uint32_t max,
		  int (*cmp)(const void *, const void *))
{
	void *rows = t->rows;

	sort(rows, t->n, t->size, cmp);
	*n = t->n < max ? t->n : max;
	t->rows = NULL;
	stats__tab_free(t);
	if (!*n) {
		free(rows);
		return NULL;
	}
	return rows;
}

static int answers_of(struct tn_stats_acc *s, struct tn_stats *out)
{
	struct stats__group *g = (struct stats__group *)s->groups.rows;

	out->n_answers = 0;
	if (s->groups.n && !(out->answers = calloc(s->groups.n, sizeof(*out->answers))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < s->groups.n; i++)
		settle(&g[i], &out->answers[i]);
	out->n_answers = s->groups.n;
	sort(out->answers, out->n_answers, sizeof(*out->answers), cmp_answers);
	return 0;
}

static int ttc_of(struct tn_stats_acc *s, struct tn_stats *out)
{
	out->ttc = s->ttc;
	if (!(out->ttc.histogram = calloc(TN_STATS_TTC_BUCKETS, sizeof(*out->ttc.histogram))))
		return TN_ERR_NOMEM;
	for (uint32_t i = 0; i < TN_STATS_TTC_BUCKETS; i++) {
		out->ttc.histogram[i].from_days = i * TN_STATS_TTC_BUCKET_DAYS;
		out->ttc.histogram[i].count = s->hist[i];
	}
	out->ttc.n = TN_STATS_TTC_BUCKETS;
	return 0;
}

int proto_stats_end(struct tn_stats_acc *s, const char *node, struct tn_stats *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	proto_strcpy(out->node, sizeof(out->node), node);
	memcpy(out->since, s->arg.since, sizeof(out->since));
	memcpy(out->until, s->until, sizeof(out->until));
	out->made_ms = s->now_ms;
	if ((rc = answers_of(s, out)) || (rc = ttc_of(s, out))) {
		proto_stats_free(s);
		return rc;
	}
	out->traces = take(&s->traces, &out->n_traces, TN_STATS_ROWS_MAX, cmp_traces);
	out->origins = take(&s->origins, &out->n_origins, STATS_TOP, cmp_counts);
	out->exporters = take(&s->exporters, &out->n_exporters, STATS_TOP, cmp_counts);
	out->dealers = take(&s->dealers, &out->n_dealers, STATS_TOP, cmp_counts);
	out->flows = take(&s->flows, &out->n_flows, TN_STATS_ROWS_MAX, cmp_flows);
	out->stolen = take(&s->stolen, &out->n_stolen, TN_STATS_ROWS_MAX, cmp_stolen);
	proto_stats_free(s);
	return 0;
}

void proto_stats_free(struct tn_stats_acc *s)
{
	struct stats__group *g;

	if (!s)
		return;
	g = (struct stats__group *)s->groups.rows;
	for (uint32_t i = 0; i < s->groups.n; i++) {
		free(g[i].mins.v);
		free(g[i].dls.v);
	}
	stats__tab_free(&s->groups);
	stats__tab_free(&s->traces);
	stats__tab_free(&s->origins);
	stats__tab_free(&s->exporters);
	stats__tab_free(&s->dealers);
	stats__tab_free(&s->flows);
	stats__tab_free(&s->stolen);
	free(s);
}
