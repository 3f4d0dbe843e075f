/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of console requests and replies. */
#include "proto.h"

static const struct proto_field id_arg_fields[] = {
	PF_U64_OF(struct tn_id_arg, id, PF_REQ),
	PF_STR_OF(struct tn_id_arg, date, 0),
	PF_STR_OF(struct tn_id_arg, reason, 0),
};
const struct proto_schema proto_id_arg_schema = PROTO_SCHEMA(struct tn_id_arg, id_arg_fields);

static const struct proto_field find_arg_fields[] = {
	PF_STR_OF(struct tn_find_arg, make, 0),
	PF_STR_OF(struct tn_find_arg, serial, 0),
	PF_BOOL_OF(struct tn_find_arg, all, 0),
};
const struct proto_schema proto_find_arg_schema = PROTO_SCHEMA(struct tn_find_arg, find_arg_fields);

static const struct proto_field event_arg_fields[] = {
	PF_U64_OF(struct tn_event_arg, id, PF_REQ),
	PF_OBJ_OF(struct tn_event_arg, event, PF_REQ, proto_event_schema),
};
const struct proto_schema proto_event_arg_schema = PROTO_SCHEMA(struct tn_event_arg, event_arg_fields);

static const struct proto_field record_list_fields[] = {
	PF_ARR_OF(struct tn_record_list, records, n, TN_BATCH_MAX, 0, proto_record_schema),
};
const struct proto_schema proto_record_list_schema =
	PROTO_SCHEMA(struct tn_record_list, record_list_fields);

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
	PF_ARR_OF(struct tn_import_result, errors, n, TN_BATCH_MAX, 0, row_error_schema),
};
const struct proto_schema proto_import_result_schema =
	PROTO_SCHEMA(struct tn_import_result, import_result_fields);

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
};
const struct proto_schema proto_status_schema = PROTO_SCHEMA(struct tn_status, status_fields);
