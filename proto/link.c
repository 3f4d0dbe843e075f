/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of pinned peers and of peer link frames: HELLO, PING/PONG
 * and envelopes. */
#include "proto_int.h"

static const struct proto_field peer_fields[] = {
	PF_STR_OF(struct tn_peer, name, PF_REQ),
	PF_BIN_OF(struct tn_peer, pk, PF_REQ),
	PF_STR_OF(struct tn_peer, addr, 0),
	PF_U64_OF(struct tn_peer, added_ms, 0),
	PF_STR_OF(struct tn_peer, traces, 0),
	PF_STR_OF(struct tn_peer, stolen, 0),
	PF_U32_OF(struct tn_peer, daily_limit, 0),
	PF_STR_OF(struct tn_peer, disclose, 0),
	PF_STR_OF(struct tn_peer, candidates, 0),
	PF_U32_OF(struct tn_peer, blind_limit, 0),
	PF_BIN_OF(struct tn_peer, next_pk, 0),
};
const struct proto_schema proto_peer_schema = PROTO_SCHEMA(struct tn_peer, peer_fields);

static const struct proto_field policy_fields[] = {
	PF_STR_OF(struct tn_policy_arg, name, PF_REQ),
	PF_STR_OF(struct tn_policy_arg, traces, 0),
	PF_STR_OF(struct tn_policy_arg, stolen, 0),
	PF_U32_OF(struct tn_policy_arg, daily_limit, 0),
	PF_STR_OF(struct tn_policy_arg, disclose, 0),
	PF_STR_OF(struct tn_policy_arg, candidates, 0),
	PF_U32_OF(struct tn_policy_arg, blind_limit, 0),
};
const struct proto_schema proto_policy_arg_schema = PROTO_SCHEMA(struct tn_policy_arg, policy_fields);

static const struct proto_field hello_fields[] = {
	PF_STR_OF(struct tn_hello, name, PF_REQ),
	PF_U32_OF(struct tn_hello, version, PF_REQ),
	PF_STR_OF(struct tn_hello, suites, PF_REQ),
	PF_U64_OF(struct tn_hello, ts, PF_REQ),
	PF_STR_OF(struct tn_hello, features, 0),
};
const struct proto_schema proto_hello_schema = PROTO_SCHEMA(struct tn_hello, hello_fields);

static const struct proto_field ping_fields[] = {
	PF_U64_OF(struct tn_ping, seq, PF_REQ),
};
const struct proto_schema proto_ping_schema = PROTO_SCHEMA(struct tn_ping, ping_fields);

#define ENV_HEADER_FIELDS                                                   \
	PF_U32_OF(struct tn_envelope, v, PF_REQ),                           \
	PF_U32_OF(struct tn_envelope, suite, PF_REQ),                       \
	PF_STR_OF(struct tn_envelope, type, PF_REQ),                        \
	PF_STR_OF(struct tn_envelope, from, PF_REQ),                        \
	PF_STR_OF(struct tn_envelope, to, PF_REQ),                          \
	PF_BIN_OF(struct tn_envelope, id, PF_REQ),                          \
	PF_U64_OF(struct tn_envelope, ts, PF_REQ),                          \
	PF_BIN_OF(struct tn_envelope, nonce, PF_REQ)

static const struct proto_field env_header_fields[] = { ENV_HEADER_FIELDS };
const struct proto_schema proto_env_header_schema =
	PROTO_SCHEMA(struct tn_envelope, env_header_fields);

static const struct proto_field envelope_fields[] = {
	ENV_HEADER_FIELDS,
	PF_U32_OF(struct tn_envelope, ttl, 0),
	PF_BLOB_OF(struct tn_envelope, body, n_body, 16u << 20, PF_REQ),
};
const struct proto_schema proto_envelope_schema = PROTO_SCHEMA(struct tn_envelope, envelope_fields);

static const struct proto_field sealed_fields[] = {
	PF_BIN_OF(struct tn_sealed, h, PF_REQ),
	PF_BLOB_OF(struct tn_sealed, m, n_m, 16u << 20, PF_REQ),
	PF_BLOB_OF(struct tn_sealed, s, n_s, TN_SIG_LEN, 0),
};
const struct proto_schema proto_sealed_schema = PROTO_SCHEMA(struct tn_sealed, sealed_fields);

int proto_frame_type(const struct proto_msg *m, char *out, size_t cap)
{
	return proto_msg_str(m, "t", out, cap);
}
