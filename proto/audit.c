/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of the hash-chained audit log: an entry, the part of it
 * that is hashed, and the console's audit listing and verification (with
 * what each witness holds). */
#include "proto.h"

#define AUDIT_BODY_FIELDS                                   \
	PF_U64_OF(struct tn_audit, seq, PF_REQ | PF_ID),    \
	PF_U64_OF(struct tn_audit, ts, PF_REQ),             \
	PF_STR_OF(struct tn_audit, peer, 0),                \
	PF_STR_OF(struct tn_audit, dir, PF_REQ),            \
	PF_STR_OF(struct tn_audit, type, PF_REQ),           \
	PF_STR_OF(struct tn_audit, ref, 0),                 \
	PF_STR_OF(struct tn_audit, outcome, 0),             \
	PF_STR_OF(struct tn_audit, detail, 0),              \
	PF_STR_OF(struct tn_audit, user, 0),                \
	PF_STR_OF(struct tn_audit, uid, 0),                 \
	PF_STR_OF(struct tn_audit, officer, 0),             \
	PF_STR_OF(struct tn_audit, ordered_by, 0),          \
	PF_STR_OF(struct tn_audit, case_ref, 0),            \
	PF_BIN_OF(struct tn_audit, prev, PF_REQ)

static const struct proto_field audit_fields[] = {
	AUDIT_BODY_FIELDS,
	PF_BIN_OF(struct tn_audit, hash, PF_REQ),
};
const struct proto_schema proto_audit_schema = PROTO_SCHEMA(struct tn_audit, audit_fields);

/* The bytes that are hashed: every field but the hash, in the same order. */
static const struct proto_field audit_body_fields[] = {
	AUDIT_BODY_FIELDS,
};
const struct proto_schema proto_audit_body_schema =
	PROTO_SCHEMA(struct tn_audit, audit_body_fields);

static const struct proto_field audit_list_fields[] = {
	PF_ARR_OF(struct tn_audit_list, entries, n, TN_BATCH_MAX, 0, proto_audit_schema),
};
const struct proto_schema proto_audit_list_schema =
	PROTO_SCHEMA(struct tn_audit_list, audit_list_fields);

static const struct proto_field audit_arg_fields[] = {
	PF_U64_OF(struct tn_audit_arg, since_ms, 0),
	PF_U64_OF(struct tn_audit_arg, from_seq, PF_ID),
	PF_U32_OF(struct tn_audit_arg, limit, 0),
	PF_U64_OF(struct tn_audit_arg, until_ms, 0),
	PF_STR_OF(struct tn_audit_arg, user, 0),
	PF_STR_OF(struct tn_audit_arg, officer, 0),
	PF_STR_OF(struct tn_audit_arg, case_ref, 0),
	PF_STR_OF(struct tn_audit_arg, peer, 0),
};
const struct proto_schema proto_audit_arg_schema =
	PROTO_SCHEMA(struct tn_audit_arg, audit_arg_fields);

static const struct proto_field audit_verify_arg_fields[] = {
	PF_STR_OF(struct tn_audit_verify_arg, witness, 0),
	PF_BOOL_OF(struct tn_audit_verify_arg, local, 0),
};
const struct proto_schema proto_audit_verify_arg_schema =
	PROTO_SCHEMA(struct tn_audit_verify_arg, audit_verify_arg_fields);

static const struct proto_field audit_witness_fields[] = {
	PF_STR_OF(struct tn_audit_witness, peer, PF_REQ),
	PF_STR_OF(struct tn_audit_witness, status, PF_REQ),
	PF_U64_OF(struct tn_audit_witness, size, PF_ID),
	PF_U64_OF(struct tn_audit_witness, ts, 0),
	PF_STR_OF(struct tn_audit_witness, reason, 0),
};
const struct proto_schema proto_audit_witness_schema =
	PROTO_SCHEMA(struct tn_audit_witness, audit_witness_fields);

static const struct proto_field audit_verify_fields[] = {
	PF_U64_OF(struct tn_audit_verify, entries, PF_REQ),
	PF_U64_OF(struct tn_audit_verify, first_bad, PF_REQ | PF_ID),
	PF_STR_OF(struct tn_audit_verify, error, 0),
	PF_U64_OF(struct tn_audit_verify, from_seq, PF_REQ | PF_ID),
	PF_ARR_OF(struct tn_audit_verify, witnesses, n, TN_BATCH_MAX, 0,
		  proto_audit_witness_schema),
};
const struct proto_schema proto_audit_verify_schema =
	PROTO_SCHEMA(struct tn_audit_verify, audit_verify_fields);

#define ANCHOR_BODY_FIELDS                                         \
	PF_U64_OF(struct tn_audit_anchor, seq, PF_REQ | PF_ID),    \
	PF_BIN_OF(struct tn_audit_anchor, prev, PF_REQ),           \
	PF_U64_OF(struct tn_audit_anchor, cut_ms, PF_REQ),         \
	PF_U64_OF(struct tn_audit_anchor, made_ms, PF_REQ)

static const struct proto_field anchor_fields[] = {
	ANCHOR_BODY_FIELDS,
	PF_BIN_OF(struct tn_audit_anchor, sig, PF_REQ),
};
const struct proto_schema proto_audit_anchor_schema =
	PROTO_SCHEMA(struct tn_audit_anchor, anchor_fields);

/* The bytes that are signed: every field but the signature. */
static const struct proto_field anchor_body_fields[] = {
	ANCHOR_BODY_FIELDS,
};
const struct proto_schema proto_audit_anchor_body_schema =
	PROTO_SCHEMA(struct tn_audit_anchor, anchor_body_fields);

#define EXPORT_BODY_FIELDS                                                          \
	PF_STR_OF(struct tn_audit_export, node, PF_REQ),                            \
	PF_BIN_OF(struct tn_audit_export, key, PF_REQ),                             \
	PF_U64_OF(struct tn_audit_export, made_ms, PF_REQ),                         \
	PF_U64_OF(struct tn_audit_export, head_seq, PF_REQ | PF_ID),                \
	PF_BIN_OF(struct tn_audit_export, head_hash, PF_REQ),                       \
	PF_OBJ_OF(struct tn_audit_export, anchor, 0, proto_audit_anchor_schema),    \
	PF_OBJ_OF(struct tn_audit_export, filter, 0, proto_audit_arg_schema),       \
	PF_ARR_OF(struct tn_audit_export, entries, n, TN_BATCH_MAX, 0, proto_audit_schema)

static const struct proto_field export_fields[] = {
	EXPORT_BODY_FIELDS,
	PF_BIN_OF(struct tn_audit_export, sig, PF_REQ),
};
const struct proto_schema proto_audit_export_schema =
	PROTO_SCHEMA(struct tn_audit_export, export_fields);

/* The bytes that are signed: every field but the signature. */
static const struct proto_field export_body_fields[] = {
	EXPORT_BODY_FIELDS,
};
const struct proto_schema proto_audit_export_body_schema =
	PROTO_SCHEMA(struct tn_audit_export, export_body_fields);

static const struct proto_field audit_retain_fields[] = {
	PF_U64_OF(struct tn_audit_retain, deleted, PF_REQ),
	PF_U64_OF(struct tn_audit_retain, from_seq, PF_REQ | PF_ID),
	PF_U64_OF(struct tn_audit_retain, cut_ms, PF_REQ),
};
const struct proto_schema proto_audit_retain_schema =
	PROTO_SCHEMA(struct tn_audit_retain, audit_retain_fields);
