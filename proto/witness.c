/* SPDX-License-Identifier: Apache-2.0 */
/* Witnessing a peer's audit log: the rules that judge a new checkpoint
 * against the one held, and the field tables of what a witness keeps (the
 * checkpoint it holds of each peer, the ones it refused as evidence). */
#include <stdio.h>
#include <string.h>

#include "proto.h"

static int same(const struct tn_checkpoint *a, const struct tn_checkpoint *b)
{
	return a->size == b->size && !memcmp(a->root, b->root, TN_HASH_LEN) &&
	       !memcmp(a->head, b->head, TN_HASH_LEN);
}

/* A new checkpoint of held->size or more entries, against held. */
static enum witness_verdict judge_larger(const struct tn_checkpoint *held,
					 const struct tn_checkpoint_msg *m, char *why, size_t len)
{
	const struct tn_checkpoint *cp = &m->cp;

	if (cp->size == held->size) {
		if (same(cp, held))
			return WITNESS_SAME;
		snprintf(why, len, "checkpoint %llu: the same size as the one we witnessed, "
			 "another %s", (unsigned long long)cp->size,
			 memcmp(cp->root, held->root, TN_HASH_LEN) ? "root" : "head");
		return WITNESS_FORKED;
	}
	if (m->from_size != held->size) {
		snprintf(why, len, "checkpoint %llu: its proof starts at %llu entries; we hold "
			 "%llu", (unsigned long long)cp->size, (unsigned long long)m->from_size,
			 (unsigned long long)held->size);
		return WITNESS_UNPROVEN;
	}
	if (!m->n_proof || m->n_proof % TN_HASH_LEN) {
		snprintf(why, len, "checkpoint %llu: its proof is %u bytes, not whole hashes",
			 (unsigned long long)cp->size, m->n_proof);
		return WITNESS_UNPROVEN;
	}
	return WITNESS_EXTENDS;
}

enum witness_verdict proto_witness_judge(const char *sender, const struct tn_checkpoint *held,
					 const struct tn_checkpoint_msg *m, char *why, size_t len)
{
	const struct tn_checkpoint *cp = &m->cp;

	why[0] = '\0';
	if (strcmp(cp->node, sender)) {
		snprintf(why, len, "checkpoint %llu: of the log of %s, sent by %s",
			 (unsigned long long)cp->size, cp->node, sender);
		return WITNESS_FORGED;
	}
	if (!held->size)
		return WITNESS_FIRST;
	if (cp->size < held->size) {
		snprintf(why, len, "checkpoint %llu: behind the %llu entries we witnessed on "
			 "its log (restored from an older copy?)", (unsigned long long)cp->size,
			 (unsigned long long)held->size);
		return WITNESS_BEHIND;
	}
	return judge_larger(held, m, why, len);
}

const char *proto_witness_status(enum witness_verdict v)
{
	switch (v) {
	case WITNESS_FIRST:
	case WITNESS_SAME:
	case WITNESS_EXTENDS:
		return "witnessed";
	case WITNESS_BEHIND:
		return "behind";
	default:
		return "refused";
	}
}

static const struct proto_field witnessed_fields[] = {
	PF_OBJ_OF(struct tn_witnessed, cp, 0, proto_checkpoint_schema),
	PF_BIN_OF(struct tn_witnessed, cosig, 0),
	PF_U64_OF(struct tn_witnessed, witnessed_ms, 0),
	PF_BIN_OF(struct tn_witnessed, last_mid, 0),
};
const struct proto_schema proto_witnessed_schema =
	PROTO_SCHEMA(struct tn_witnessed, witnessed_fields);

static const struct proto_field evidence_fields[] = {
	PF_U64_OF(struct tn_evidence, id, PF_ID),
	PF_U64_OF(struct tn_evidence, ts, PF_REQ),
	PF_STR_OF(struct tn_evidence, peer, PF_REQ),
	PF_STR_OF(struct tn_evidence, status, PF_REQ),
	PF_STR_OF(struct tn_evidence, reason, 0),
	PF_OBJ_OF(struct tn_evidence, cp, PF_REQ, proto_checkpoint_schema),
	PF_OBJ_OF(struct tn_evidence, held, 0, proto_checkpoint_schema),
	PF_BLOB_OF(struct tn_evidence, receipt, n_receipt, 4u << 20, 0),
};
const struct proto_schema proto_evidence_schema = PROTO_SCHEMA(struct tn_evidence, evidence_fields);
