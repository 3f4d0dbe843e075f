/* SPDX-License-Identifier: Apache-2.0 */
/* Lost/stolen queries on the wire (PROTOCOL.md 10.3, 10.4): one query or
 * several in an envelope, and their answers (wire.h has the rest). */
#ifndef TN_STOLEN_QUERY_H
#define TN_STOLEN_QUERY_H

#include "record.h"

#define TN_QUERY_ITEMS_MAX 1000
#define TN_PURPOSE_LEN 64

struct tn_query_item {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];   /* '?' marks an unreadable character */
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	bool fuzzy;                   /* also misread, partial and one-edit serials */
};

/* STOLEN_QUERY: envelope type "stolen_query". */
struct tn_stolen_query {
	uint64_t qid;
	char purpose[TN_PURPOSE_LEN];
	char case_ref[TN_REF_LEN];
	uint32_t n;
	struct tn_query_item *items;
};

struct tn_stolen_answer {
	bool hit;
	struct tn_stolen *report;   /* only with a hit */
	char match[TN_REASON_LEN];  /* how a fuzzy item hit: "confusable O→0 at 3" */
};

/* STOLEN_RESULT: envelope type "stolen_result", signed when it has a hit. */
struct tn_stolen_result {
	uint64_t qid;
	char status[TN_KIND_LEN];   /* "ok", "declined", "error" */
	uint32_t n;
	struct tn_stolen_answer *results;
	bool exact_only;            /* fuzzy items were matched exactly only (policy) */
};

/* STOLEN_QUERIES: envelope type "stolen_queries", several queries (each
 * asked, audited and answered as if it came alone) in one envelope. */
struct tn_stolen_queries {
	uint32_t n;
	struct tn_stolen_query *asks;
};

/* STOLEN_RESULTS: envelope type "stolen_results", the answers without a
 * hit to queries of one stolen_queries (a hit goes in its own, signed
 * stolen_result). */
struct tn_stolen_results {
	uint32_t n;
	struct tn_stolen_result *results;
};

/* Queries in one stolen_queries at most (their items: TN_QUERY_ITEMS_MAX
 * in all). */
#define TN_ASKS_MAX 1000
/* The HELLO feature that says a peer takes stolen_queries. */
#define TN_FEATURE_ASKS "stolen_queries"

extern const struct proto_schema proto_query_item_schema;
/* 1 when it asks for fuzzy matching: its flag, or a '?' in its serial. */
int proto_item_fuzzy(const struct tn_query_item *it);
extern const struct proto_schema proto_stolen_query_schema;
extern const struct proto_schema proto_stolen_result_schema;
extern const struct proto_schema proto_stolen_queries_schema;
extern const struct proto_schema proto_stolen_results_schema;
/* The answers of r that report a hit. */
uint32_t proto_result_hits(const struct tn_stolen_result *r);
/* The items of all asks of q. */
uint32_t proto_asks_items(const struct tn_stolen_queries *q);

#endif
