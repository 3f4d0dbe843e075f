/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of the `stats` command: its arguments and its reply. */
#include "proto.h"

static const struct proto_field stats_arg_fields[] = {
	PF_STR_OF(struct tn_stats_arg, since, 0),
	PF_STR_OF(struct tn_stats_arg, until, 0),
	PF_STR_OF(struct tn_stats_arg, peer, 0),
};
const struct proto_schema proto_stats_arg_schema =
	PROTO_SCHEMA(struct tn_stats_arg, stats_arg_fields);

static const struct proto_field traces_fields[] = {
	PF_STR_OF(struct tn_stats_traces, dir, PF_REQ),
	PF_STR_OF(struct tn_stats_traces, peer, PF_REQ),
	PF_STR_OF(struct tn_stats_traces, month, PF_REQ),
	PF_STR_OF(struct tn_stats_traces, status, PF_REQ),
	PF_U32_OF(struct tn_stats_traces, count, PF_REQ),
};
static const struct proto_schema traces_schema = PROTO_SCHEMA(struct tn_stats_traces, traces_fields);

static const struct proto_field answers_fields[] = {
	PF_STR_OF(struct tn_stats_answers, dir, PF_REQ),
	PF_STR_OF(struct tn_stats_answers, peer, PF_REQ),
	PF_BOOL_OF(struct tn_stats_answers, urgent, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, answered, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, late, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, overdue, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, open, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, median_min, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, p90_min, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, max_min, PF_REQ),
	PF_U32_OF(struct tn_stats_answers, deadline_min, PF_REQ),
};
static const struct proto_schema answers_schema =
	PROTO_SCHEMA(struct tn_stats_answers, answers_fields);

static const struct proto_field bucket_fields[] = {
	PF_U32_OF(struct tn_stats_bucket, from_days, PF_REQ),
	PF_U32_OF(struct tn_stats_bucket, count, PF_REQ),
};
static const struct proto_schema bucket_schema = PROTO_SCHEMA(struct tn_stats_bucket, bucket_fields);

static const struct proto_field ttc_fields[] = {
	PF_U32_OF(struct tn_stats_ttc, known, PF_REQ),
	PF_U32_OF(struct tn_stats_ttc, under_1y, PF_REQ),
	PF_U32_OF(struct tn_stats_ttc, under_3y, PF_REQ),
	PF_U32_OF(struct tn_stats_ttc, under_3y_other_possessor, PF_REQ),
	PF_ARR_OF(struct tn_stats_ttc, histogram, n, TN_STATS_TTC_BUCKETS, PF_REQ, bucket_schema),
};
static const struct proto_schema ttc_schema = PROTO_SCHEMA(struct tn_stats_ttc, ttc_fields);

static const struct proto_field count_fields[] = {
	PF_STR_OF(struct tn_stats_count, name, PF_REQ),
	PF_U32_OF(struct tn_stats_count, count, PF_REQ),
};
static const struct proto_schema count_schema = PROTO_SCHEMA(struct tn_stats_count, count_fields);

static const struct proto_field flow_fields[] = {
	PF_STR_OF(struct tn_stats_flow, from, PF_REQ),
	PF_STR_OF(struct tn_stats_flow, to, PF_REQ),
	PF_U32_OF(struct tn_stats_flow, count, PF_REQ),
};
static const struct proto_schema flow_schema = PROTO_SCHEMA(struct tn_stats_flow, flow_fields);

static const struct proto_field stolen_fields[] = {
	PF_STR_OF(struct tn_stats_stolen, peer, PF_REQ),
	PF_U32_OF(struct tn_stats_stolen, asked_us, PF_REQ),
	PF_U32_OF(struct tn_stats_stolen, hits_for_them, PF_REQ),
	PF_U32_OF(struct tn_stats_stolen, we_asked, PF_REQ),
	PF_U32_OF(struct tn_stats_stolen, hits_for_us, PF_REQ),
	PF_U32_OF(struct tn_stats_stolen, alerts, PF_REQ),
};
static const struct proto_schema stolen_schema = PROTO_SCHEMA(struct tn_stats_stolen, stolen_fields);

static const struct proto_field stats_fields[] = {
	PF_STR_OF(struct tn_stats, node, PF_REQ),
	PF_STR_OF(struct tn_stats, since, PF_REQ),
	PF_STR_OF(struct tn_stats, until, PF_REQ),
	PF_U64_OF(struct tn_stats, made_ms, PF_REQ),
	PF_ARR_OF(struct tn_stats, traces, n_traces, TN_STATS_ROWS_MAX, PF_REQ, traces_schema),
	PF_ARR_OF(struct tn_stats, answers, n_answers, TN_STATS_ROWS_MAX, PF_REQ, answers_schema),
	PF_OBJ_OF(struct tn_stats, ttc, PF_REQ, ttc_schema),
	PF_ARR_OF(struct tn_stats, origins, n_origins, TN_STATS_ROWS_MAX, PF_REQ, count_schema),
	PF_ARR_OF(struct tn_stats, exporters, n_exporters, TN_STATS_ROWS_MAX, PF_REQ, count_schema),
	PF_ARR_OF(struct tn_stats, dealers, n_dealers, TN_STATS_ROWS_MAX, PF_REQ, count_schema),
	PF_ARR_OF(struct tn_stats, flows, n_flows, TN_STATS_ROWS_MAX, PF_REQ, flow_schema),
	PF_ARR_OF(struct tn_stats, stolen, n_stolen, TN_STATS_ROWS_MAX, PF_REQ, stolen_schema),
};
const struct proto_schema proto_stats_schema = PROTO_SCHEMA(struct tn_stats, stats_fields);
