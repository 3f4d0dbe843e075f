/* SPDX-License-Identifier: Apache-2.0 */
/* The console protocol between tracectl and tracenetd: each command's
 * arguments and reply. */
#ifndef TN_CONSOLE_H
#define TN_CONSOLE_H

#include "rows.h"

/* Request: a map {cmd: "record.add", args: {...the command's fields}}. Reply:
 * {ok: true, data: {...}} or {ok: false, code: TN_ERR_*, error: "text"}. */

#define TN_CMD_LEN 32

/* Console: peer.policy. */
struct tn_policy_arg {
	char name[TN_NAME_LEN];
	char traces[8];
	char stolen[8];
	uint32_t daily_limit;
	char disclose[64];
	char candidates[8];
	uint32_t blind_limit;
};

struct tn_id_arg {
	uint64_t id;
	char date[TN_DATE_LEN];
	char reason[TN_TEXT_LEN];
	uint32_t timeout_s;         /* trace.wait: how long at most */
};

struct tn_find_arg {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
	bool all;
};

/* backup: a hot copy of the store (and config, and the key if asked). */
#define TN_PATH_LEN 512
struct tn_backup_arg {
	char dir[TN_PATH_LEN];      /* absolute; must not exist */
	bool with_key;
};

struct tn_backup {
	char dir[TN_PATH_LEN];
	uint64_t bytes;             /* of the copied store */
	uint64_t taken_ms;
	bool with_key;
};

/* record.match: the candidates for a serial read off a gun. */
struct tn_match_arg {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];   /* '?' marks an unreadable character */
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	uint32_t limit;               /* candidates; 0 means 10 */
	bool fuzzy;                   /* tracectl's flag; the command always is */
};

struct tn_cand_list {
	uint32_t n;
	struct tn_candidate *candidates;
	uint32_t more;   /* further candidates as likely as the last one */
};

struct tn_event_arg {
	uint64_t id;
	struct tn_event event;
};

struct tn_record_list {
	uint32_t n;
	struct tn_record *records;
};

struct tn_stolen_list {
	uint32_t n;
	struct tn_stolen *reports;
};

struct tn_row_error {
	uint32_t index;
	int64_t code;
	char error[TN_TEXT_LEN];
};

struct tn_import_result {
	uint32_t imported;
	uint32_t n;
	struct tn_row_error *errors;
};

struct tn_drops {
#define TN_DROP_FIELD(r) uint64_t r;
	TN_DROP_REASONS(TN_DROP_FIELD)
#undef TN_DROP_FIELD
};

struct tn_card_info {
	char card[256];
	char name[TN_NAME_LEN];
	char fingerprint[32];
	char addr[64];
};

struct tn_name_arg {
	char name[TN_NAME_LEN];
	char card[256];
	bool force;                /* peer.remove: even with messages in flight */
};

/* key.rotate: announce a new node key, or finish the rotation now. */
struct tn_rotate_arg {
	bool finish;
};

struct tn_rotate_info {
	char state[16];            /* "announced" or "finished" */
	char fingerprint[32];      /* of the new key */
	char key[48];
	uint32_t peers;            /* notices queued (announced) */
	char pending[256];         /* peers that have not acknowledged, comma-separated */
	char card[256];            /* finished: the node's new card */
};

struct tn_peer_status {
	char name[TN_NAME_LEN];
	char traces[8];
	char stolen[8];
	uint32_t daily_limit;
	char disclose[64];
	char candidates[8];
	uint32_t blind_limit;
	char blind[16];            /* its set as we hold it: "none", "complete", "partial" */
	uint32_t blind_tags;
	char fingerprint[32];
	char key[48];              /* the pinned public key, as in its card */
	char next_fingerprint[32]; /* of the key it announced, not yet used */
	char addr[64];
	char state[16];
	uint64_t last_seen_ms;     /* ms since the epoch, 0 if never */
	uint64_t sent;
	uint64_t received;
	uint64_t dropped;
};

struct tn_peer_list {
	uint32_t n;
	struct tn_peer_status *peers;
};

struct tn_ping_result {
	char peer[TN_NAME_LEN];
	uint64_t rtt_us;
};

struct tn_status {
	char name[TN_NAME_LEN];
	char version[16];
	char fingerprint[32];
	char listen[64];
	uint64_t pid;
	uint64_t uptime_s;
	uint64_t records;
	uint64_t stolen;
	uint64_t stolen_open;
	uint64_t map_size;
	uint64_t map_used;
	uint64_t commits;        /* durable store commits since start */
	uint64_t peers;
	uint64_t linked;
	uint64_t overdue;        /* our traces with no answer past their deadline */
	struct tn_drops drops;
	char metrics_listen[64];  /* the HTTP metrics listener's address, "" if none */
};

/* Console: metrics, the Prometheus text exposition format (0.0.4). */
#define TN_METRICS_MAX (1u << 20)
struct tn_metrics {
	char text[TN_METRICS_MAX];
};

/* Console: query.stolen. */
struct tn_query_arg {
	char peer[TN_NAME_LEN];     /* one peer, or */
	bool all;                   /* every pinned peer */
	uint32_t timeout_ms;
	char purpose[TN_PURPOSE_LEN];
	char case_ref[TN_REF_LEN];
	char officer[TN_REF_LEN];     /* who runs the search (never sent) */
	char ordered_by[TN_REF_LEN];  /* who ordered it, when another (never sent) */
	uint32_t n;
	struct tn_query_item *items;
};

struct tn_peer_answer {
	char peer[TN_NAME_LEN];
	char mode[8];               /* clear, or blind: the peer saw blinded items only */
	char status[TN_KIND_LEN];   /* answered, declined, over_limit, unreachable, timeout */
	uint32_t n;
	struct tn_stolen_answer *results;
	bool exact_only;            /* it matched fuzzy items exactly only */
};

struct tn_query_reply {
	uint64_t qid;
	uint32_t hits;
	uint32_t n;
	struct tn_peer_answer *peers;
};

struct tn_alert_list {
	uint32_t n;
	struct tn_alert *alerts;
};

struct tn_trace_list {
	uint32_t n;
	struct tn_trace *traces;
};

struct tn_trace_in_list {
	uint32_t n;
	struct tn_trace_in *traces;
};

/* Console: trace.request takes the request fields plus the target. */
struct tn_trace_arg {
	char to[TN_NAME_LEN];
	uint64_t follow;              /* follow up trace ID to its export country */
	struct tn_trace_request req;
	char officer[TN_REF_LEN];     /* who asks (never sent) */
	char ordered_by[TN_REF_LEN];  /* who ordered it, when another (never sent) */
	char purpose[TN_PURPOSE_LEN]; /* why (never sent; the request has the crime) */
	uint32_t wait;                /* seconds to wait for the result (0: reply at once) */
};

/* Console: receipt (of peer's signed answer to query qid). */
struct tn_receipt_arg {
	uint64_t qid;
	char peer[TN_NAME_LEN];
};

struct tn_receipt_file {
	uint32_t n;
	uint8_t *receipt;            /* msgpack tn_receipt, as `verify` reads it */
};

extern const struct proto_schema proto_policy_arg_schema;
extern const struct proto_schema proto_receipt_arg_schema;
extern const struct proto_schema proto_receipt_file_schema;
extern const struct proto_schema proto_id_arg_schema;
extern const struct proto_schema proto_find_arg_schema;
extern const struct proto_schema proto_event_arg_schema;
extern const struct proto_schema proto_record_list_schema;
extern const struct proto_schema proto_match_arg_schema;
extern const struct proto_schema proto_backup_arg_schema;
extern const struct proto_schema proto_backup_schema;
extern const struct proto_schema proto_cand_list_schema;
extern const struct proto_schema proto_stolen_list_schema;
extern const struct proto_schema proto_import_result_schema;
extern const struct proto_schema proto_status_schema;
extern const struct proto_schema proto_metrics_schema;
extern const struct proto_schema proto_drops_schema;
extern const struct proto_schema proto_card_info_schema;
extern const struct proto_schema proto_rotate_arg_schema;
extern const struct proto_schema proto_rotate_info_schema;
extern const struct proto_schema proto_name_arg_schema;
extern const struct proto_schema proto_peer_status_schema;
extern const struct proto_schema proto_peer_list_schema;
extern const struct proto_schema proto_ping_result_schema;
extern const struct proto_schema proto_query_arg_schema;
extern const struct proto_schema proto_query_reply_schema;
extern const struct proto_schema proto_alert_list_schema;
extern const struct proto_schema proto_trace_list_schema;
extern const struct proto_schema proto_trace_in_list_schema;
extern const struct proto_schema proto_trace_arg_schema;

#include "console_audit.h"

#endif
