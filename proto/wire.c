/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of peer message types: each type's wire name, schema and
 * signing rule. The node decodes, checks signatures and encodes every
 * message through this table; adding a type is adding a row. */
#include <string.h>

#include "wire.h"

/* A lost/stolen answer is a receipt when it reports a hit. */
static int has_hit(const void *msg)
{
	return proto_result_hits(msg) != 0;
}

const struct wire_def wire_types[WIRE_COUNT] = {
	[WIRE_PING] = { "ping", &proto_ping_schema, WIRE_SIGN_NEVER },
	[WIRE_PONG] = { "pong", &proto_ping_schema, WIRE_SIGN_NEVER },
	[WIRE_STOLEN_QUERY] = { "stolen_query", &proto_stolen_query_schema, WIRE_SIGN_NEVER },
	[WIRE_STOLEN_RESULT] = { "stolen_result", &proto_stolen_result_schema,
				WIRE_SIGN_WHEN, has_hit },
	[WIRE_TRACE_REQUEST] = { "trace_request", &proto_trace_request_schema, WIRE_SIGN_ALWAYS },
	[WIRE_TRACE_ACK] = { "trace_ack", &proto_trace_ack_schema, WIRE_SIGN_NEVER },
	[WIRE_TRACE_RESULT] = { "trace_result", &proto_trace_result_schema, WIRE_SIGN_ALWAYS },
	[WIRE_ACK] = { "ack", &proto_ack_schema, WIRE_SIGN_NEVER },
	[WIRE_CHECKPOINT] = { "checkpoint", &proto_checkpoint_msg_schema, WIRE_SIGN_ALWAYS },
	[WIRE_COSIGNATURE] = { "cosignature", &proto_cosignature_schema, WIRE_SIGN_ALWAYS },
	[WIRE_CHECKPOINT_GET] = { "checkpoint_get", &proto_checkpoint_get_schema, WIRE_SIGN_NEVER },
	[WIRE_CHECKPOINT_HELD] = { "checkpoint_held", &proto_checkpoint_held_schema,
				   WIRE_SIGN_NEVER },
	[WIRE_BLIND_SET] = { "blind_set", &proto_blind_set_schema, WIRE_SIGN_ALWAYS },
	[WIRE_BLIND_QUERY] = { "blind_query", &proto_blind_query_schema, WIRE_SIGN_NEVER },
	[WIRE_BLIND_RESULT] = { "blind_result", &proto_blind_result_schema, WIRE_SIGN_NEVER },
	[WIRE_BLIND_SET_GET] = { "blind_set_get", &proto_blind_set_get_schema, WIRE_SIGN_NEVER },
	[WIRE_KEY_ROTATION] = { "key_rotation", &proto_key_rotation_schema, WIRE_SIGN_ALWAYS },
	[WIRE_STOLEN_QUERIES] = { "stolen_queries", &proto_stolen_queries_schema, WIRE_SIGN_NEVER },
	[WIRE_STOLEN_RESULTS] = { "stolen_results", &proto_stolen_results_schema, WIRE_SIGN_NEVER },
};

int wire_type_of(const char *name)
{
	for (int t = 0; t < WIRE_COUNT; t++)
		if (!strcmp(wire_types[t].name, name))
			return t;
	return TN_ERR_UNSUPPORTED;
}

int wire_must_sign(enum wire_type t, const void *msg)
{
	switch (wire_types[t].sign) {
	case WIRE_SIGN_ALWAYS:
		return 1;
	case WIRE_SIGN_WHEN:
		return wire_types[t].weighty(msg);
	default:
		return 0;
	}
}
