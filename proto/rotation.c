/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of key rotation: the notice a node sends each pinned peer
 * (and the body both its keys sign), and the console's key.rotate. */
#include "proto.h"

#define ROTATION_BODY_FIELDS                                   \
	PF_STR_OF(struct tn_key_rotation, node, PF_REQ),       \
	PF_BIN_OF(struct tn_key_rotation, old_pk, PF_REQ),     \
	PF_BIN_OF(struct tn_key_rotation, new_pk, PF_REQ),     \
	PF_U64_OF(struct tn_key_rotation, ts, PF_REQ)

static const struct proto_field rotation_fields[] = {
	PF_BIN_OF(struct tn_key_rotation, mid, PF_REQ),
	ROTATION_BODY_FIELDS,
	PF_BIN_OF(struct tn_key_rotation, sig_old, PF_REQ),
	PF_BIN_OF(struct tn_key_rotation, sig_new, PF_REQ),
};
const struct proto_schema proto_key_rotation_schema =
	PROTO_SCHEMA(struct tn_key_rotation, rotation_fields);

/* The bytes both keys sign: every field but mid and the signatures. */
static const struct proto_field rotation_body_fields[] = {
	ROTATION_BODY_FIELDS,
};
const struct proto_schema proto_key_rotation_body_schema =
	PROTO_SCHEMA(struct tn_key_rotation, rotation_body_fields);

static const struct proto_field rotate_arg_fields[] = {
	PF_BOOL_OF(struct tn_rotate_arg, finish, 0),
};
const struct proto_schema proto_rotate_arg_schema =
	PROTO_SCHEMA(struct tn_rotate_arg, rotate_arg_fields);

static const struct proto_field rotate_info_fields[] = {
	PF_STR_OF(struct tn_rotate_info, state, PF_REQ),
	PF_STR_OF(struct tn_rotate_info, fingerprint, 0),
	PF_STR_OF(struct tn_rotate_info, key, 0),
	PF_U32_OF(struct tn_rotate_info, peers, 0),
	PF_STR_OF(struct tn_rotate_info, pending, 0),
	PF_STR_OF(struct tn_rotate_info, card, 0),
};
const struct proto_schema proto_rotate_info_schema =
	PROTO_SCHEMA(struct tn_rotate_info, rotate_info_fields);
