/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of witnessed audit checkpoints: the signed checkpoint, the
 * message that carries it to a witness with its consistency proof, the
 * witness's answer, and the live question for what a witness holds. */
#include "proto.h"

#define CHECKPOINT_BODY_FIELDS                                   \
	PF_STR_OF(struct tn_checkpoint, node, PF_REQ),           \
	PF_U64_OF(struct tn_checkpoint, size, PF_REQ | PF_ID),   \
	PF_BIN_OF(struct tn_checkpoint, root, PF_REQ),           \
	PF_BIN_OF(struct tn_checkpoint, head, PF_REQ),           \
	PF_U64_OF(struct tn_checkpoint, ts, PF_REQ)

static const struct proto_field checkpoint_fields[] = {
	CHECKPOINT_BODY_FIELDS,
	PF_BIN_OF(struct tn_checkpoint, sig, PF_REQ),
};
const struct proto_schema proto_checkpoint_schema =
	PROTO_SCHEMA(struct tn_checkpoint, checkpoint_fields);

/* The bytes that are signed: every field but the signature. */
static const struct proto_field checkpoint_body_fields[] = {
	CHECKPOINT_BODY_FIELDS,
};
const struct proto_schema proto_checkpoint_body_schema =
	PROTO_SCHEMA(struct tn_checkpoint, checkpoint_body_fields);

static const struct proto_field checkpoint_msg_fields[] = {
	PF_BIN_OF(struct tn_checkpoint_msg, mid, PF_REQ),
	PF_OBJ_OF(struct tn_checkpoint_msg, cp, PF_REQ, proto_checkpoint_schema),
	PF_U64_OF(struct tn_checkpoint_msg, from_size, PF_REQ),
	PF_BLOB_OF(struct tn_checkpoint_msg, proof, n_proof, TN_PROOF_MAX * TN_HASH_LEN, 0),
};
const struct proto_schema proto_checkpoint_msg_schema =
	PROTO_SCHEMA(struct tn_checkpoint_msg, checkpoint_msg_fields);

static const struct proto_field cosignature_fields[] = {
	PF_BIN_OF(struct tn_cosignature, mid, PF_REQ),
	PF_STR_OF(struct tn_cosignature, node, PF_REQ),
	PF_U64_OF(struct tn_cosignature, size, PF_REQ),
	PF_BIN_OF(struct tn_cosignature, root, PF_REQ),
	PF_STR_OF(struct tn_cosignature, status, PF_REQ),
	PF_U64_OF(struct tn_cosignature, held_size, PF_REQ),
	PF_BIN_OF(struct tn_cosignature, held_root, PF_REQ),
	PF_STR_OF(struct tn_cosignature, reason, 0),
	PF_U64_OF(struct tn_cosignature, ts, PF_REQ),
	PF_BIN_OF(struct tn_cosignature, sig, 0),
};
const struct proto_schema proto_cosignature_schema =
	PROTO_SCHEMA(struct tn_cosignature, cosignature_fields);

static const struct proto_field checkpoint_get_fields[] = {
	PF_U64_OF(struct tn_checkpoint_get, seq, PF_REQ),
};
const struct proto_schema proto_checkpoint_get_schema =
	PROTO_SCHEMA(struct tn_checkpoint_get, checkpoint_get_fields);

static const struct proto_field checkpoint_held_fields[] = {
	PF_U64_OF(struct tn_checkpoint_held, seq, PF_REQ),
	PF_OBJ_OF(struct tn_checkpoint_held, cp, 0, proto_checkpoint_schema),
	PF_BIN_OF(struct tn_checkpoint_held, cosig, 0),
};
const struct proto_schema proto_checkpoint_held_schema =
	PROTO_SCHEMA(struct tn_checkpoint_held, checkpoint_held_fields);
