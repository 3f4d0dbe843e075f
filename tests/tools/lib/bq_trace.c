/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query trace mode: guns from a records CSV traced one at a time,
 * each one trace.request that waits for its answer; see bq.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bq.h"

#define KIND_COLS_MAX 16
#define GUNS_ENOUGH 1   /* on_record's stop code */

static int kind_col[KIND_COLS_MAX], n_kind_cols;

/* Rows of the records CSV with at least min_events events become guns. */
static int on_record(void *arg, char **f, int n, unsigned long line)
{
	struct bq *b = arg;
	struct gun *g;
	unsigned events = 0;

	if (line == 1) {
		b->col_make = b->col_model = b->col_serial = -1;
		for (int i = 0; i < n; i++) {
			size_t len = strlen(f[i]);

			b->col_make = strcmp(f[i], "make") ? b->col_make : i;
			b->col_model = strcmp(f[i], "model") ? b->col_model : i;
			b->col_serial = strcmp(f[i], "serial") ? b->col_serial : i;
			if (len > 5 && !strcmp(f[i] + len - 5, "_kind") && n_kind_cols < KIND_COLS_MAX)
				kind_col[n_kind_cols++] = i;
		}
		if (b->col_make < 0 || b->col_model < 0 || b->col_serial < 0)
			bq_die("%s", "records CSV: no make, model or serial column");
		return 0;
	}
	if (b->n_guns >= b->max_req)
		return GUNS_ENOUGH;
	if (b->col_make >= n || b->col_model >= n || b->col_serial >= n ||
	    !f[b->col_serial][0])
		return 0;
	for (int i = 0; i < n_kind_cols; i++)
		events += kind_col[i] < n && f[kind_col[i]][0];
	if (events < b->min_events)
		return 0;
	g = &b->guns[b->n_guns++];
	snprintf(g->make, sizeof(g->make), "%s", f[b->col_make]);
	snprintf(g->model, sizeof(g->model), "%s", f[b->col_model]);
	snprintf(g->serial, sizeof(g->serial), "%s", f[b->col_serial]);
	return 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	(void)arg;
	(void)line;
	return bq_die("records CSV: %s", why);
}

/* The first max_req guns of the records CSV (it is not read further). */
void bq_read_guns(struct bq *b)
{
	int rc;

	if (!(b->guns = calloc(b->max_req, sizeof(*b->guns))))
		bq_die("%s", "out of memory");
	rc = csv_file_read(b->records_csv, on_record, on_bad, b);
	if (rc && rc != GUNS_ENOUGH)
		bq_die("cannot read %s", b->records_csv);
	if (!b->n_guns)
		bq_die("%s", "no record in the CSV has enough events");
	b->max_req = b->n_guns;
}

/* The trace in reply m, or -1 (and failed counted) if the call failed. */
static int trace_of(struct bq *b, struct proto_msg *m, struct tn_trace *tr)
{
	int ok = 0;

	if (m && !proto_msg_bool(m, "ok", &ok) && ok &&
	    !proto_msg_decode(m, "data", &proto_trace_schema, tr))
		return 0;
	if (m && !b->failed && proto_msg_str(m, "error", b->why, sizeof(b->why)))
		b->why[0] = '\0';
	if (!m && !b->failed)
		snprintf(b->why, sizeof(b->why), "no reply in time");
	b->failed++;
	return -1;
}

/* Trace gun i from request to answered (one request that waits for the
 * result); its round trip into lat_us. */
static void trace_one(struct bq *b, struct cn *c, uint64_t i)
{
	const struct gun *g = &b->guns[i];
	static struct tn_trace_arg a;
	struct proto_msg *m;
	struct tn_trace tr;
	double t0 = bq_now_s(), deadline = t0 + b->timeout_ms / 1000.0, t;

	memset(&a, 0, sizeof(a));
	snprintf(a.to, sizeof(a.to), "%s", b->peer);
	snprintf(a.req.case_ref, sizeof(a.req.case_ref), "BENCH-T-%llu", (unsigned long long)i);
	snprintf(a.officer, sizeof(a.officer), "bench");
	snprintf(a.req.crime, sizeof(a.req.crime), "homicide");
	snprintf(a.req.recovered_on, sizeof(a.req.recovered_on), "2024-06-01");
	snprintf(a.req.recovered_at, sizeof(a.req.recovered_at), "Ciudad de Guatemala");
	memcpy(a.req.firearm.make, g->make, sizeof(a.req.firearm.make));
	memcpy(a.req.firearm.model, g->model, sizeof(a.req.firearm.model));
	memcpy(a.req.firearm.serial, g->serial, sizeof(a.req.firearm.serial));
	a.wait = (uint32_t)(b->timeout_ms / 1000) + 1;
	b->issued++;
	bq_call(c, "trace.request", &proto_trace_arg_schema, &a, &m, deadline + 1);
	t = bq_now_s();
	if (trace_of(b, m, &tr)) {
		proto_msg_free(m);
		return;
	}
	proto_msg_free(m);
	b->end_s[b->done] = (float)(t - b->start);
	b->lat_us[b->done++] = (uint32_t)((t - t0) * 1e6);
	/* completed, or destroyed_on_record: either way the whole chain */
	b->short_chain += tr.result.n_chain < b->min_events || !tr.n_receipt;
	proto_release(&proto_trace_schema, &tr);
}

void bq_run_traces(struct bq *b)
{
	b->start = bq_now_s();
	b->stop_issuing = b->start + (double)b->time_ms / 1000;
	for (uint64_t i = 0; i < b->max_req && bq_now_s() < b->stop_issuing; i++)
		trace_one(b, &b->cn[0], i);
}
