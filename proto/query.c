/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of lost/stolen queries, their results and alerts; whether
 * an item asks for fuzzy matching. */
#include <string.h>

#include "match.h"
#include "proto.h"

static const struct proto_field item_fields[] = {
	PF_STR_OF(struct tn_query_item, make, PF_REQ),
	PF_STR_OF(struct tn_query_item, serial, PF_REQ),
	PF_STR_OF(struct tn_query_item, model, 0),
	PF_STR_OF(struct tn_query_item, caliber, 0),
	PF_BOOL_OF(struct tn_query_item, fuzzy, 0),
};
const struct proto_schema proto_query_item_schema = PROTO_SCHEMA(struct tn_query_item, item_fields);

int proto_item_fuzzy(const struct tn_query_item *it)
{
	return it->fuzzy || strchr(it->serial, MATCH_UNREAD_CHAR);
}

static const struct proto_field stolen_query_fields[] = {
	PF_U64_OF(struct tn_stolen_query, qid, PF_REQ | PF_HEX64),
	PF_STR_OF(struct tn_stolen_query, purpose, PF_REQ),
	PF_STR_OF(struct tn_stolen_query, case_ref, 0),
	PF_ARR_OF(struct tn_stolen_query, items, n, TN_QUERY_ITEMS_MAX, PF_REQ,
		  proto_query_item_schema),
};
const struct proto_schema proto_stolen_query_schema =
	PROTO_SCHEMA(struct tn_stolen_query, stolen_query_fields);

static const struct proto_field answer_fields[] = {
	PF_BOOL_OF(struct tn_stolen_answer, hit, PF_REQ),
	PF_PTR_OF(struct tn_stolen_answer, report, 0, proto_stolen_schema),
	PF_STR_OF(struct tn_stolen_answer, match, 0),
};
static const struct proto_schema answer_schema = PROTO_SCHEMA(struct tn_stolen_answer, answer_fields);

static const struct proto_field stolen_result_fields[] = {
	PF_U64_OF(struct tn_stolen_result, qid, PF_REQ | PF_HEX64),
	PF_STR_OF(struct tn_stolen_result, status, PF_REQ),
	PF_ARR_OF(struct tn_stolen_result, results, n, TN_QUERY_ITEMS_MAX, 0, answer_schema),
	PF_BOOL_OF(struct tn_stolen_result, exact_only, 0),
};
const struct proto_schema proto_stolen_result_schema =
	PROTO_SCHEMA(struct tn_stolen_result, stolen_result_fields);

static const struct proto_field stolen_queries_fields[] = {
	PF_ARR_OF(struct tn_stolen_queries, asks, n, TN_ASKS_MAX, PF_REQ, proto_stolen_query_schema),
};
const struct proto_schema proto_stolen_queries_schema =
	PROTO_SCHEMA(struct tn_stolen_queries, stolen_queries_fields);

uint32_t proto_result_hits(const struct tn_stolen_result *r)
{
	uint32_t hits = 0;

	for (uint32_t i = 0; i < r->n; i++)
		hits += r->results[i].hit;
	return hits;
}

uint32_t proto_asks_items(const struct tn_stolen_queries *q)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < q->n; i++)
		n += q->asks[i].n;
	return n;
}

static const struct proto_field stolen_results_fields[] = {
	PF_ARR_OF(struct tn_stolen_results, results, n, TN_ASKS_MAX, PF_REQ,
		  proto_stolen_result_schema),
};
const struct proto_schema proto_stolen_results_schema =
	PROTO_SCHEMA(struct tn_stolen_results, stolen_results_fields);

static const struct proto_field query_arg_fields[] = {
	PF_STR_OF(struct tn_query_arg, peer, 0),
	PF_BOOL_OF(struct tn_query_arg, all, 0),
	PF_U32_OF(struct tn_query_arg, timeout_ms, 0),
	PF_STR_OF(struct tn_query_arg, purpose, 0),
	PF_STR_OF(struct tn_query_arg, case_ref, 0),
	PF_STR_OF(struct tn_query_arg, officer, 0),
	PF_STR_OF(struct tn_query_arg, ordered_by, 0),
	PF_ARR_OF(struct tn_query_arg, items, n, TN_QUERY_ITEMS_MAX, PF_REQ,
		  proto_query_item_schema),
};
const struct proto_schema proto_query_arg_schema = PROTO_SCHEMA(struct tn_query_arg, query_arg_fields);

static const struct proto_field peer_answer_fields[] = {
	PF_STR_OF(struct tn_peer_answer, peer, PF_REQ),
	PF_STR_OF(struct tn_peer_answer, mode, PF_REQ),
	PF_STR_OF(struct tn_peer_answer, status, PF_REQ),
	PF_ARR_OF(struct tn_peer_answer, results, n, TN_QUERY_ITEMS_MAX, 0, answer_schema),
	PF_BOOL_OF(struct tn_peer_answer, exact_only, PF_REQ),
};
static const struct proto_schema peer_answer_schema =
	PROTO_SCHEMA(struct tn_peer_answer, peer_answer_fields);

static const struct proto_field query_reply_fields[] = {
	PF_U64_OF(struct tn_query_reply, qid, PF_REQ | PF_HEX64),
	PF_U32_OF(struct tn_query_reply, hits, PF_REQ),
	PF_ARR_OF(struct tn_query_reply, peers, n, 4096, 0, peer_answer_schema),
};
const struct proto_schema proto_query_reply_schema =
	PROTO_SCHEMA(struct tn_query_reply, query_reply_fields);

static const struct proto_field alert_fields[] = {
	PF_U64_OF(struct tn_alert, id, PF_ID),
	PF_U64_OF(struct tn_alert, ts, PF_REQ),
	PF_STR_OF(struct tn_alert, peer, PF_REQ),
	PF_U64_OF(struct tn_alert, stolen_id, PF_ID),
	PF_STR_OF(struct tn_alert, make, 0),
	PF_STR_OF(struct tn_alert, serial, 0),
	PF_STR_OF(struct tn_alert, case_ref, 0),
	PF_STR_OF(struct tn_alert, their_case, 0),
	PF_STR_OF(struct tn_alert, purpose, 0),
	PF_STR_OF(struct tn_alert, kind, 0),
};
const struct proto_schema proto_alert_schema = PROTO_SCHEMA(struct tn_alert, alert_fields);

static const struct proto_field alert_list_fields[] = {
	PF_ARR_OF(struct tn_alert_list, alerts, n, TN_BATCH_MAX, 0, proto_alert_schema),
};
const struct proto_schema proto_alert_list_schema = PROTO_SCHEMA(struct tn_alert_list, alert_list_fields);
