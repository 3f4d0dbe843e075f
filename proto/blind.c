/* SPDX-License-Identifier: Apache-2.0 */
/* Field tables of the blind lost/stolen checks, and the OPRF input of an
 * item. */
#include <string.h>

#include "proto.h"

static const struct proto_field set_fields[] = {
	PF_BIN_OF(struct tn_blind_set, mid, PF_REQ),
	PF_U64_OF(struct tn_blind_set, epoch, PF_REQ | PF_HEX64),
	PF_U32_OF(struct tn_blind_set, mode, PF_REQ),
	PF_BIN_OF(struct tn_blind_set, pk, PF_REQ),
	PF_U64_OF(struct tn_blind_set, base, PF_REQ),
	PF_U64_OF(struct tn_blind_set, version, PF_REQ),
	PF_BOOL_OF(struct tn_blind_set, full, PF_REQ),
	PF_BOOL_OF(struct tn_blind_set, last, PF_REQ),
	PF_U32_OF(struct tn_blind_set, count, PF_REQ),
	PF_BLOB_OF(struct tn_blind_set, add, n_add, TN_BLIND_CHUNK * TN_BLIND_TAG, 0),
	PF_BLOB_OF(struct tn_blind_set, del, n_del, TN_BLIND_CHUNK * TN_BLIND_TAG, 0),
};
const struct proto_schema proto_blind_set_schema = PROTO_SCHEMA(struct tn_blind_set, set_fields);

static const struct proto_field query_fields[] = {
	PF_U64_OF(struct tn_blind_query, qid, PF_REQ | PF_HEX64),
	PF_U64_OF(struct tn_blind_query, epoch, PF_REQ | PF_HEX64),
	PF_BLOB_OF(struct tn_blind_query, elem, n_elem, TN_BLIND_ITEMS * TN_BLIND_ELEM, PF_REQ),
};
const struct proto_schema proto_blind_query_schema =
	PROTO_SCHEMA(struct tn_blind_query, query_fields);

static const struct proto_field result_fields[] = {
	PF_U64_OF(struct tn_blind_result, qid, PF_REQ | PF_HEX64),
	PF_STR_OF(struct tn_blind_result, status, PF_REQ),
	PF_BLOB_OF(struct tn_blind_result, eval, n_eval, TN_BLIND_ITEMS * TN_BLIND_ELEM, 0),
	PF_BLOB_OF(struct tn_blind_result, proof, n_proof, TN_BLIND_PROOF, 0),
};
const struct proto_schema proto_blind_result_schema =
	PROTO_SCHEMA(struct tn_blind_result, result_fields);

static const struct proto_field set_get_fields[] = {
	PF_U64_OF(struct tn_blind_set_get, epoch, PF_REQ | PF_HEX64),
	PF_U64_OF(struct tn_blind_set_get, version, PF_REQ),
};
const struct proto_schema proto_blind_set_get_schema =
	PROTO_SCHEMA(struct tn_blind_set_get, set_get_fields);

static const struct proto_field state_fields[] = {
	PF_U64_OF(struct tn_blind_state, epoch, PF_REQ | PF_HEX64),
	PF_U32_OF(struct tn_blind_state, mode, PF_REQ),
	PF_BIN_OF(struct tn_blind_state, pk, PF_REQ),
	PF_U64_OF(struct tn_blind_state, version, PF_REQ),
	PF_U32_OF(struct tn_blind_state, count, PF_REQ),
	PF_BOOL_OF(struct tn_blind_state, complete, PF_REQ),
};
const struct proto_schema proto_blind_state_schema =
	PROTO_SCHEMA(struct tn_blind_state, state_fields);

int proto_blind_input(const char *make, const char *serial, char *out, size_t cap)
{
	int nm, ns;

	if (!make || !serial || cap < 2 ||
	    (nm = proto_norm_make(make, out, cap)) <= 0 || (size_t)nm + 2 >= cap)
		return TN_ERR_INVALID;
	out[nm] = '|';
	if ((ns = proto_norm_serial(serial, out + nm + 1, cap - (size_t)nm - 1)) <= 0)
		return TN_ERR_INVALID;
	return nm + 1 + ns;
}
