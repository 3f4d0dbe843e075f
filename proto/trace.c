/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of trace requests, acknowledgements, results, receipts,
 * the outbox, and the traces each side keeps. */
#include "proto.h"

static const struct proto_field firearm_fields[] = {
	PF_STR_OF(struct tn_firearm, make, PF_REQ),
	PF_STR_OF(struct tn_firearm, model, 0),
	PF_STR_OF(struct tn_firearm, caliber, 0),
	PF_STR_OF(struct tn_firearm, type, 0),
	PF_STR_OF(struct tn_firearm, serial, 0),
	PF_BOOL_OF(struct tn_firearm, serial_obliterated, 0),
	PF_STR_OF(struct tn_firearm, importer, 0),
	PF_STR_OF(struct tn_firearm, country_of_origin, 0),
};
const struct proto_schema proto_firearm_schema = PROTO_SCHEMA(struct tn_firearm, firearm_fields);

static const struct proto_field candidate_fields[] = {
	PF_U32_OF(struct tn_candidate, score, PF_REQ),
	PF_STR_OF(struct tn_candidate, reason, PF_REQ),
	PF_STR_OF(struct tn_candidate, make, PF_REQ),
	PF_STR_OF(struct tn_candidate, model, 0),
	PF_STR_OF(struct tn_candidate, caliber, 0),
	PF_STR_OF(struct tn_candidate, type, 0),
	PF_STR_OF(struct tn_candidate, serial, PF_REQ),
};
const struct proto_schema proto_candidate_schema = PROTO_SCHEMA(struct tn_candidate, candidate_fields);

static const struct proto_field request_fields[] = {
	PF_BIN_OF(struct tn_trace_request, mid, PF_REQ),
	PF_U64_OF(struct tn_trace_request, ref, PF_REQ | PF_ID),
	PF_U64_OF(struct tn_trace_request, follows, PF_ID),
	PF_STR_OF(struct tn_trace_request, case_ref, PF_REQ),
	PF_STR_OF(struct tn_trace_request, agency, 0),
	PF_STR_OF(struct tn_trace_request, crime, PF_REQ),
	PF_STR_OF(struct tn_trace_request, grounds, 0),
	PF_STR_OF(struct tn_trace_request, recovered_on, PF_REQ),
	PF_STR_OF(struct tn_trace_request, recovered_at, 0),
	PF_OBJ_OF(struct tn_trace_request, firearm, PF_REQ, proto_firearm_schema),
	PF_STR_OF(struct tn_trace_request, possessor, 0),
	PF_BOOL_OF(struct tn_trace_request, urgent, 0),
};
const struct proto_schema proto_trace_request_schema =
	PROTO_SCHEMA(struct tn_trace_request, request_fields);

static const struct proto_field ack_fields_t[] = {
	PF_BIN_OF(struct tn_trace_ack, mid, PF_REQ),
	PF_U64_OF(struct tn_trace_ack, ref, PF_REQ | PF_ID),
	PF_STR_OF(struct tn_trace_ack, status, PF_REQ),
	PF_STR_OF(struct tn_trace_ack, deadline, 0),
};
const struct proto_schema proto_trace_ack_schema = PROTO_SCHEMA(struct tn_trace_ack, ack_fields_t);

static const struct proto_field result_fields[] = {
	PF_BIN_OF(struct tn_trace_result, mid, PF_REQ),
	PF_U64_OF(struct tn_trace_result, ref, PF_REQ | PF_ID),
	PF_BIN_OF(struct tn_trace_result, request_digest, PF_REQ),
	PF_STR_OF(struct tn_trace_result, status, PF_REQ),
	PF_STR_OF(struct tn_trace_result, reason, 0),
	PF_ARR_OF(struct tn_trace_result, chain, n_chain, TN_EVENTS_MAX, 0, proto_event_schema),
	PF_OBJ_OF(struct tn_trace_result, first_retail, 0, proto_event_schema),
	PF_STR_OF(struct tn_trace_result, export_to, 0),
	PF_STR_OF(struct tn_trace_result, export_date, 0),
	PF_STR_OF(struct tn_trace_result, export_ref, 0),
	PF_I64_OF(struct tn_trace_result, time_to_crime_days, 0),
	PF_STR_OF(struct tn_trace_result, handling, 0),
	PF_U32_OF(struct tn_trace_result, keep_days, 0),
	PF_ARR_OF(struct tn_trace_result, candidates, n_cand, TN_CANDIDATES_MAX, 0,
		  proto_candidate_schema),
	PF_U32_OF(struct tn_trace_result, more_candidates, 0),
};
const struct proto_schema proto_trace_result_schema =
	PROTO_SCHEMA(struct tn_trace_result, result_fields);

static const struct proto_field ack_fields[] = {
	PF_BIN_OF(struct tn_ack, mid, PF_REQ),
};
const struct proto_schema proto_ack_schema = PROTO_SCHEMA(struct tn_ack, ack_fields);

static const struct proto_field outmsg_fields[] = {
	PF_STR_OF(struct tn_outmsg, peer, PF_REQ),
	PF_STR_OF(struct tn_outmsg, type, PF_REQ),
	PF_BIN_OF(struct tn_outmsg, mid, PF_REQ),
	PF_BOOL_OF(struct tn_outmsg, sign, 0),
	PF_U64_OF(struct tn_outmsg, created_ms, 0),
	PF_BLOB_OF(struct tn_outmsg, m, n_m, 4u << 20, PF_REQ),
};
const struct proto_schema proto_outmsg_schema = PROTO_SCHEMA(struct tn_outmsg, outmsg_fields);

static const struct proto_field receipt_fields[] = {
	PF_OBJ_OF(struct tn_receipt, hdr, PF_REQ, proto_env_header_schema),
	PF_BIN_OF(struct tn_receipt, pk, PF_REQ),
	PF_BIN_OF(struct tn_receipt, to_pk, PF_REQ),
	PF_BLOB_OF(struct tn_receipt, m, n_m, 4u << 20, PF_REQ),
	PF_BIN_OF(struct tn_receipt, sig, PF_REQ),
};
const struct proto_schema proto_receipt_schema = PROTO_SCHEMA(struct tn_receipt, receipt_fields);

static const struct proto_field trace_fields[] = {
	PF_U64_OF(struct tn_trace, id, PF_ID),
	PF_STR_OF(struct tn_trace, peer, PF_REQ),
	PF_STR_OF(struct tn_trace, status, PF_REQ),
	PF_U64_OF(struct tn_trace, created_ms, 0),
	PF_U64_OF(struct tn_trace, updated_ms, 0),
	PF_STR_OF(struct tn_trace, deadline, 0),
	PF_OBJ_OF(struct tn_trace, req, PF_REQ, proto_trace_request_schema),
	PF_OBJ_OF(struct tn_trace, result, 0, proto_trace_result_schema),
	PF_BLOB_OF(struct tn_trace, receipt, n_receipt, 4u << 20, 0),
	PF_U64_OF(struct tn_trace, answered_ms, 0),
	PF_BOOL_OF(struct tn_trace, overdue, 0),
};
const struct proto_schema proto_trace_schema = PROTO_SCHEMA(struct tn_trace, trace_fields);

static const struct proto_field trace_in_fields[] = {
	PF_U64_OF(struct tn_trace_in, id, PF_ID),
	PF_STR_OF(struct tn_trace_in, peer, PF_REQ),
	PF_STR_OF(struct tn_trace_in, status, PF_REQ),
	PF_U64_OF(struct tn_trace_in, received_ms, 0),
	PF_BIN_OF(struct tn_trace_in, digest, 0),
	PF_OBJ_OF(struct tn_trace_in, req, PF_REQ, proto_trace_request_schema),
	PF_STR_OF(struct tn_trace_in, result_status, 0),
	PF_BLOB_OF(struct tn_trace_in, receipt, n_receipt, 4u << 20, 0),
	PF_U64_OF(struct tn_trace_in, answered_ms, 0),
	PF_STR_OF(struct tn_trace_in, deadline, 0),
};
const struct proto_schema proto_trace_in_schema = PROTO_SCHEMA(struct tn_trace_in, trace_in_fields);

static const struct proto_field trace_list_fields[] = {
	PF_ARR_OF(struct tn_trace_list, traces, n, TN_BATCH_MAX, 0, proto_trace_schema),
};
const struct proto_schema proto_trace_list_schema = PROTO_SCHEMA(struct tn_trace_list, trace_list_fields);

static const struct proto_field trace_in_list_fields[] = {
	PF_ARR_OF(struct tn_trace_in_list, traces, n, TN_BATCH_MAX, 0, proto_trace_in_schema),
};
const struct proto_schema proto_trace_in_list_schema =
	PROTO_SCHEMA(struct tn_trace_in_list, trace_in_list_fields);

static const struct proto_field trace_arg_fields[] = {
	PF_STR_OF(struct tn_trace_arg, to, 0),
	PF_U64_OF(struct tn_trace_arg, follow, PF_ID),
	PF_OBJ_OF(struct tn_trace_arg, req, 0, proto_trace_request_schema),
	PF_STR_OF(struct tn_trace_arg, officer, 0),
	PF_STR_OF(struct tn_trace_arg, ordered_by, 0),
	PF_STR_OF(struct tn_trace_arg, purpose, 0),
	PF_U32_OF(struct tn_trace_arg, wait, 0),
};
const struct proto_schema proto_trace_arg_schema = PROTO_SCHEMA(struct tn_trace_arg, trace_arg_fields);
