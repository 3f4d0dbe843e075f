/* SPDX-License-Identifier: Apache-2.0 */
/* Witnessed audit checkpoints on the wire (PROTOCOL.md 18): the signed
 * checkpoint, the witness's cosignature, and asking what a witness holds.
 * Included by wire.h. */
#ifndef TN_CHECKPOINT_H
#define TN_CHECKPOINT_H

#define TN_PROOF_MAX 64             /* hashes in a consistency proof */

/* A node's signed statement of its audit log ("tracenet/1 checkpoint"):
 * the Merkle root over its first size entries' hashes, and the chain hash
 * of entry size. */
struct tn_checkpoint {
	char node[TN_NAME_LEN];
	uint64_t size;
	uint8_t root[TN_HASH_LEN];
	uint8_t head[TN_HASH_LEN];
	uint64_t ts;
	uint8_t sig[TN_SIG_LEN];
};

/* checkpoint (node -> witness, outbox): a new checkpoint, with the proof
 * that it extends the one of from_size the witness holds. */
struct tn_checkpoint_msg {
	uint8_t mid[TN_MID_LEN];
	struct tn_checkpoint cp;
	uint64_t from_size;           /* 0: the witness holds none of ours */
	uint32_t n_proof;             /* bytes, 32 per hash */
	uint8_t *proof;
};

/* cosignature (witness -> node, outbox): what the witness made of a
 * checkpoint; when it is witnessed, its signature of the checkpoint
 * ("tracenet/1 cosignature"). */
struct tn_cosignature {
	uint8_t mid[TN_MID_LEN];
	char node[TN_NAME_LEN];       /* whose log */
	uint64_t size;
	uint8_t root[TN_HASH_LEN];
	char status[TN_KIND_LEN];     /* witnessed, behind, refused */
	uint64_t held_size;           /* what the witness holds now */
	uint8_t held_root[TN_HASH_LEN];
	char reason[TN_TEXT_LEN];
	uint64_t ts;
	uint8_t sig[TN_SIG_LEN];
};

/* checkpoint_get (direct): the latest checkpoint of ours a witness holds;
 * checkpoint_held (direct) answers with it (cp.size 0: none). */
struct tn_checkpoint_get {
	uint64_t seq;
};

struct tn_checkpoint_held {
	uint64_t seq;
	struct tn_checkpoint cp;
	uint8_t cosig[TN_SIG_LEN];
};

/* What a witness makes of a checkpoint message from a peer, by the
 * witness's rules (PROTOCOL.md), before any signature or proof check. */
enum witness_verdict {
	WITNESS_FIRST,      /* it holds none of the peer's: take it */
	WITNESS_SAME,       /* the one it holds (same size, root, head): take it */
	WITNESS_EXTENDS,    /* larger: take it if the proof from the held one holds */
	WITNESS_BEHIND,     /* smaller than the one held: keep the held one */
	WITNESS_FORKED,     /* contradicts the one held */
	WITNESS_FORGED,     /* not the sender's log, or not its signature */
	WITNESS_UNPROVEN,   /* larger, but its proof cannot be checked */
};

/* The verdict on m from sender, the witness holding held of sender's log
 * (held->size 0: none); why says what is wrong, for the last four. */
enum witness_verdict proto_witness_judge(const char *sender, const struct tn_checkpoint *held,
					 const struct tn_checkpoint_msg *m, char *why, size_t len);
/* The cosignature status a verdict answers with: witnessed, behind, refused. */
const char *proto_witness_status(enum witness_verdict v);

extern const struct proto_schema proto_checkpoint_schema;
extern const struct proto_schema proto_checkpoint_body_schema;  /* without sig */
extern const struct proto_schema proto_checkpoint_msg_schema;
extern const struct proto_schema proto_cosignature_schema;
extern const struct proto_schema proto_checkpoint_get_schema;
extern const struct proto_schema proto_checkpoint_held_schema;

#endif
