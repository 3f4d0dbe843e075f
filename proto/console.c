/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of console requests and replies. */
#include "proto.h"

static const struct proto_field id_arg_fields[] = {
	PF_U64_OF(struct tn_id_arg, id, PF_REQ | PF_ID),
	PF_STR_OF(struct tn_id_arg, date, 0),
	PF_STR_OF(struct tn_id_arg, reason, 0),
	PF_U32_OF(struct tn_id_arg, timeout_s, 0),
};
const struct proto_schema proto_id_arg_schema = PROTO_SCHEMA(struct tn_id_arg, id_arg_fields);

static const struct proto_field find_arg_fields[] = {
	PF_STR_OF(struct tn_find_arg, make, 0),
	PF_STR_OF(struct tn_find_arg, serial, 0),
	PF_BOOL_OF(struct tn_find_arg, all, 0),
};
const struct proto_schema proto_find_arg_schema = PROTO_SCHEMA(struct tn_find_arg, find_arg_fields);

static const struct proto_field event_arg_fields[] = {
	PF_U64_OF(struct tn_event_arg, id, PF_REQ | PF_ID),
	PF_OBJ_OF(struct tn_event_arg, event, PF_REQ, proto_event_schema),
};
const struct proto_schema proto_event_arg_schema = PROTO_SCHEMA(struct tn_event_arg, event_arg_fields);

static const struct proto_field record_list_fields[] = {
	PF_ARR_OF(struct tn_record_list, records, n, TN_IMPORT_MAX, 0, proto_record_schema),
};
const struct proto_schema proto_record_list_schema =
	PROTO_SCHEMA(struct tn_record_list, record_list_fields);

static const struct proto_field backup_arg_fields[] = {
	PF_STR_OF(struct tn_backup_arg, dir, PF_REQ),
	PF_BOOL_OF(struct tn_backup_arg, with_key, 0),
};
const struct proto_schema proto_backup_arg_schema =
	PROTO_SCHEMA(struct tn_backup_arg, backup_arg_fields);

static const struct proto_field backup_fields[] = {
	PF_STR_OF(struct tn_backup, dir, PF_REQ),
	PF_U64_OF(struct tn_backup, bytes, PF_REQ),
	PF_U64_OF(struct tn_backup, taken_ms, PF_REQ),
	PF_BOOL_OF(struct tn_backup, with_key, PF_REQ),
};
const struct proto_schema proto_backup_schema = PROTO_SCHEMA(struct tn_backup, backup_fields);

static const struct proto_field match_arg_fields[] = {
	PF_STR_OF(struct tn_match_arg, make, 0),
	PF_STR_OF(struct tn_match_arg, serial, PF_REQ),
	PF_STR_OF(struct tn_match_arg, model, 0),
	PF_STR_OF(struct tn_match_arg, caliber, 0),
	PF_STR_OF(struct tn_match_arg, type, 0),
	PF_U32_OF(struct tn_match_arg, limit, 0),
	PF_BOOL_OF(struct tn_match_arg, fuzzy, 0),
};
const struct proto_schema proto_match_arg_schema = PROTO_SCHEMA(struct tn_match_arg, match_arg_fields);

/* The console's candidates: the wire's, with the record id and whether
 * it is the exact serial. */
static const struct proto_field cand_fields[] = {
	PF_U64_OF(struct tn_candidate, id, PF_REQ | PF_ID),
	PF_BOOL_OF(struct tn_candidate, exact, PF_REQ),
	PF_U32_OF(struct tn_candidate, score, PF_REQ),
	PF_STR_OF(struct tn_candidate, reason, PF_REQ),
	PF_STR_OF(struct tn_candidate, make, PF_REQ),
	PF_STR_OF(struct tn_candidate, model, PF_REQ),
	PF_STR_OF(struct tn_candidate, caliber, PF_REQ),
	PF_STR_OF(struct tn_candidate, type, PF_REQ),
	PF_STR_OF(struct tn_candidate, serial, PF_REQ),
};
static const struct proto_schema cand_schema = PROTO_SCHEMA(struct tn_candidate, cand_fields);

static const struct proto_field cand_list_fields[] = {
	PF_ARR_OF(struct tn_cand_list, candidates, n, TN_CANDIDATES_MAX, PF_REQ, cand_schema),
	PF_U32_OF(struct tn_cand_list, more, PF_REQ),
};
const struct proto_schema proto_cand_list_schema = PROTO_SCHEMA(struct tn_cand_list, cand_list_fields);

static const struct proto_field stolen_list_fields[] = {
	PF_ARR_OF(struct tn_stolen_list, reports, n, TN_BATCH_MAX, 0, proto_stolen_schema),
};
const struct proto_schema proto_stolen_list_schema =
	PROTO_SCHEMA(struct tn_stolen_list, stolen_list_fields);

static const struct proto_field row_error_fields[] = {
	PF_U32_OF(struct tn_row_error, index, PF_REQ),
	PF_I64_OF(struct tn_row_error, code, 0),
	PF_STR_OF(struct tn_row_error, error, 0),
};
static const struct proto_schema row_error_schema = PROTO_SCHEMA(struct tn_row_error, row_error_fields);

static const struct proto_field import_result_fields[] = {
	PF_U32_OF(struct tn_import_result, imported, PF_REQ),
	PF_ARR_OF(struct tn_import_result, errors, n, TN_IMPORT_MAX, 0, row_error_schema),
};
const struct proto_schema proto_import_result_schema =
	PROTO_SCHEMA(struct tn_import_result, import_result_fields);

static const struct proto_field drops_fields[] = {
#define DROP_FIELD(r) PF_U64_OF(struct tn_drops, r, 0),
	TN_DROP_REASONS(DROP_FIELD)
#undef DROP_FIELD
};
const struct proto_schema proto_drops_schema = PROTO_SCHEMA(struct tn_drops, drops_fields);

static const struct proto_field card_info_fields[] = {
	PF_STR_OF(struct tn_card_info, card, PF_REQ),
	PF_STR_OF(struct tn_card_info, name, 0),
	PF_STR_OF(struct tn_card_info, fingerprint, 0),
	PF_STR_OF(struct tn_card_info, addr, 0),
};
const struct proto_schema proto_card_info_schema = PROTO_SCHEMA(struct tn_card_info, card_info_fields);

static const struct proto_field name_arg_fields[] = {
	PF_STR_OF(struct tn_name_arg, name, 0),
	PF_STR_OF(struct tn_name_arg, card, 0),
	PF_BOOL_OF(struct tn_name_arg, force, 0),
};
const struct proto_schema proto_name_arg_schema = PROTO_SCHEMA(struct tn_name_arg, name_arg_fields);

static const struct proto_field peer_status_fields[] = {
	PF_STR_OF(struct tn_peer_status, name, PF_REQ),
	PF_STR_OF(struct tn_peer_status, traces, 0),
	PF_STR_OF(struct tn_peer_status, stolen, 0),
	PF_U32_OF(struct tn_peer_status, daily_limit, 0),
	PF_STR_OF(struct tn_peer_status, disclose, 0),
	PF_STR_OF(struct tn_peer_status, candidates, 0),
	PF_U32_OF(struct tn_peer_status, blind_limit, 0),
	PF_STR_OF(struct tn_peer_status, blind, 0),
	PF_U32_OF(struct tn_peer_status, blind_tags, 0),
	PF_STR_OF(struct tn_peer_status, fingerprint, 0),
	PF_STR_OF(struct tn_peer_status, key, 0),
	PF_STR_OF(struct tn_peer_status, next_fingerprint, 0),
	PF_STR_OF(struct tn_peer_status, addr, 0),
	PF_STR_OF(struct tn_peer_status, state, 0),
	PF_U64_OF(struct tn_peer_status, last_seen_ms, 0),
	PF_U64_OF(struct tn_peer_status, sent, 0),
	PF_U64_OF(struct tn_peer_status, received, 0),
	PF_U64_OF(struct tn_peer_status, dropped, 0),
};
const struct proto_schema proto_peer_status_schema =
	PROTO_SCHEMA(struct tn_peer_status, peer_status_fields);

static const struct proto_field peer_list_fields[] = {
	PF_ARR_OF(struct tn_peer_list, peers, n, 4096, 0, proto_peer_status_schema),
};
const struct proto_schema proto_peer_list_schema = PROTO_SCHEMA(struct tn_peer_list, peer_list_fields);

static const struct proto_field ping_result_fields[] = {
	PF_STR_OF(struct tn_ping_result, peer, PF_REQ),
	PF_U64_OF(struct tn_ping_result, rtt_us, PF_REQ),
};
const struct proto_schema proto_ping_result_schema =
	PROTO_SCHEMA(struct tn_ping_result, ping_result_fields);

static const struct proto_field status_fields[] = {
	PF_STR_OF(struct tn_status, name, PF_REQ),
	PF_STR_OF(struct tn_status, version, 0),
	PF_STR_OF(struct tn_status, fingerprint, 0),
	PF_STR_OF(struct tn_status, listen, 0),
	PF_U64_OF(struct tn_status, pid, 0),
	PF_U64_OF(struct tn_status, uptime_s, 0),
	PF_U64_OF(struct tn_status, records, 0),
	PF_U64_OF(struct tn_status, stolen, 0),
	PF_U64_OF(struct tn_status, stolen_open, 0),
	PF_U64_OF(struct tn_status, map_size, 0),
	PF_U64_OF(struct tn_status, map_used, 0),
	PF_U64_OF(struct tn_status, commits, 0),
	PF_U64_OF(struct tn_status, peers, 0),
	PF_U64_OF(struct tn_status, linked, 0),
	PF_U64_OF(struct tn_status, overdue, 0),
	PF_OBJ_OF(struct tn_status, drops, PF_REQ, proto_drops_schema),
	PF_STR_OF(struct tn_status, metrics_listen, 0),
};
const struct proto_schema proto_status_schema = PROTO_SCHEMA(struct tn_status, status_fields);

static const struct proto_field metrics_fields[] = {
	PF_STR_OF(struct tn_metrics, text, PF_REQ),
};
const struct proto_schema proto_metrics_schema = PROTO_SCHEMA(struct tn_metrics, metrics_fields);

static const struct proto_field receipt_arg_fields[] = {
	PF_U64_OF(struct tn_receipt_arg, qid, PF_REQ),
	PF_STR_OF(struct tn_receipt_arg, peer, PF_REQ),
};
const struct proto_schema proto_receipt_arg_schema =
	PROTO_SCHEMA(struct tn_receipt_arg, receipt_arg_fields);

static const struct proto_field receipt_file_fields[] = {
	PF_BLOB_OF(struct tn_receipt_file, receipt, n, 4u << 20, PF_REQ),
};
const struct proto_schema proto_receipt_file_schema =
	PROTO_SCHEMA(struct tn_receipt_file, receipt_file_fields);
