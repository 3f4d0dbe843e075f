/* SPDX-License-Identifier: Apache-2.0 */
/* What a node keeps besides records: pinned peers, queued messages,
 * receipts, traces both ways, alerts and audit entries. */
#ifndef TN_ROWS_H
#define TN_ROWS_H

#include "wire.h"

/* A pinned peer, as the store keeps it, with what it may ask of us. */
struct tn_peer {
	char name[TN_NAME_LEN];
	uint8_t pk[TN_KEY_LEN];
	char addr[64];
	uint64_t added_ms;
	char traces[8];           /* auto | review | deny; empty means review */
	char stolen[8];           /* clear (or allow) | blind | deny; empty means clear */
	uint32_t daily_limit;     /* trace requests a day; 0 means 1000 */
	char disclose[64];        /* party,place,ref (empty means all) or none */
	char candidates[8];       /* allow | deny: offer fuzzy matches; empty means deny */
	uint32_t blind_limit;     /* blind evaluations a day; 0 means TN_BLIND_LIMIT */
	uint8_t next_pk[TN_KEY_LEN]; /* the key it announced (key_rotation); zero: none */
};

/* A message waiting in the outbox for its peer. */
struct tn_outmsg {
	char peer[TN_NAME_LEN];
	char type[TN_KIND_LEN];
	uint8_t mid[TN_MID_LEN];
	bool sign;
	uint64_t created_ms;
	uint32_t n_m;
	uint8_t *m;
};

/* What a third party needs to check a signed message without the node. */
struct tn_receipt {
	struct tn_envelope hdr;       /* authenticated header fields (no body) */
	uint8_t pk[TN_KEY_LEN];       /* the signer's Ed25519 key */
	uint8_t to_pk[TN_KEY_LEN];    /* the recipient's, bound by the signature */
	uint32_t n_m;
	uint8_t *m;
	uint8_t sig[TN_SIG_LEN];
};

/* A trace as the requesting node keeps it (req_out). */
struct tn_trace {
	uint64_t id;
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];     /* queued, sent, acknowledged, in_review, answered, purged */
	uint64_t created_ms;
	uint64_t updated_ms;
	char deadline[TN_DATE_LEN];
	struct tn_trace_request req;
	struct tn_trace_result result;
	uint32_t n_receipt;
	uint8_t *receipt;             /* msgpack tn_receipt of the signed result */
	uint64_t answered_ms;         /* when the result arrived; 0 in older stores */
	bool overdue;                 /* listings: no answer, its deadline passed */
};

/* Our trace requests' wire ref: our trace id in the low 32 bits, random
 * upper bits (none before this rule), so that a store restored from a
 * backup, whose ids start again where the backup stood, never sends a
 * reference a peer has seen. */
#define TN_REF_ID(ref) ((ref) & 0xffffffffull)

/* A trace as the answering node keeps it (req_in). */
struct tn_trace_in {
	uint64_t id;
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];     /* in_review, answered, declined */
	uint64_t received_ms;
	uint8_t digest[TN_HASH_LEN];
	struct tn_trace_request req;
	char result_status[24];
	uint32_t n_receipt;
	uint8_t *receipt;             /* msgpack tn_receipt of the signed request */
	uint64_t answered_ms;         /* when we answered or declined; 0 in older stores */
	char deadline[TN_DATE_LEN];   /* the one our acknowledgement gave; "" in older stores */
};

/* Raised on the node that owns a report when a peer's query hits it. */
struct tn_alert {
	uint64_t id;
	uint64_t ts;
	char peer[TN_NAME_LEN];
	uint64_t stolen_id;
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
	char case_ref[TN_REF_LEN];      /* ours */
	char their_case[TN_REF_LEN];
	char purpose[TN_PURPOSE_LEN];
	char kind[TN_KIND_LEN];         /* stolen_query (a hit), checkpoint (a witness's alarm) */
};

#define TN_USER_LEN 33              /* a Unix user name + NUL */
#define TN_UID_LEN 11               /* a uid in decimal + NUL */

/* One entry of the hash-chained audit log: who asked or answered what,
 * when, and the outcome. hash = H(prev || msgpack(entry without hash)).
 * The fields after detail are empty for what no console user caused;
 * empty fields are left out of the hashed bytes. */
struct tn_audit {
	uint64_t seq;               /* 1, 2, ... */
	uint64_t ts;                /* ms since the epoch */
	char peer[TN_NAME_LEN];     /* the other country, empty for local acts */
	char dir[8];                /* "in", "out" or "local" */
	char type[TN_KIND_LEN];     /* message or command type */
	char ref[TN_REF_LEN];       /* query or request id */
	char outcome[TN_REF_LEN];   /* "hit", "no_hit", "sent", "declined", ... */
	char detail[TN_TEXT_LEN];
	char user[TN_USER_LEN];     /* the console caller's Unix account ... */
	char uid[TN_UID_LEN];       /* ... and its uid */
	char officer[TN_REF_LEN];   /* a search: the officer who ran it, */
	char ordered_by[TN_REF_LEN]; /* the official who ordered it, */
	char case_ref[TN_REF_LEN];  /* the case it serves */
	uint8_t prev[TN_HASH_LEN];
	uint8_t hash[TN_HASH_LEN];
};

/* What is left where entries were deleted from the front of the audit log
 * (retention): the first kept entry's seq and the hash it links to, signed
 * by the node ("tracenet/1 audit anchor"). */
struct tn_audit_anchor {
	uint64_t seq;               /* the first kept entry */
	uint8_t prev[TN_HASH_LEN];  /* the hash of the last deleted one */
	uint64_t cut_ms;            /* entries older than this were deleted */
	uint64_t made_ms;
	uint8_t sig[64];
};

/* What one witness holds of our log, against the local log. */
struct tn_audit_witness {
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];   /* contains, behind, rewritten, none, unreachable,
				     * bad_signature, error */
	uint64_t size;              /* the entries its checkpoint covers (0: none) */
	uint64_t ts;                /* when we signed that checkpoint */
	char reason[TN_TEXT_LEN];
};

struct tn_audit_verify {
	uint64_t entries;           /* entries checked */
	uint64_t first_bad;         /* 0 if the chain is intact */
	char error[TN_TEXT_LEN];
	uint64_t from_seq;          /* the first entry kept (1 unless cut) */
	uint32_t n;
	struct tn_audit_witness *witnesses; /* audit.verify: what each one said */
};

/* What a witness holds of a peer's log: the latest checkpoint it
 * witnessed (size 0: none yet), its own cosignature of it, and the id of
 * the last checkpoint message it took from that peer, whatever came of it
 * (a repeat of that message is acknowledged again, not judged again). */
struct tn_witnessed {
	struct tn_checkpoint cp;
	uint8_t cosig[TN_SIG_LEN];
	uint64_t witnessed_ms;      /* when it took cp */
	uint8_t last_mid[TN_MID_LEN];
};

/* A peer's checkpoint a witness refused or found behind, kept as
 * evidence: the checkpoint, what the witness held then, and the receipt of
 * the signed message that carried it (proof included). */
struct tn_evidence {
	uint64_t id;
	uint64_t ts;                /* when it came */
	char peer[TN_NAME_LEN];
	char status[TN_KIND_LEN];   /* refused, behind */
	char reason[TN_TEXT_LEN];
	struct tn_checkpoint cp;
	struct tn_checkpoint held;
	uint32_t n_receipt;
	uint8_t *receipt;           /* msgpack tn_receipt */
};

extern const struct proto_schema proto_peer_schema;
extern const struct proto_schema proto_outmsg_schema;
extern const struct proto_schema proto_receipt_schema;
extern const struct proto_schema proto_trace_schema;
extern const struct proto_schema proto_trace_in_schema;
extern const struct proto_schema proto_alert_schema;
extern const struct proto_schema proto_audit_schema;
extern const struct proto_schema proto_audit_anchor_schema;
extern const struct proto_schema proto_audit_anchor_body_schema;

extern const struct proto_schema proto_audit_body_schema; /* without hash */
extern const struct proto_schema proto_audit_witness_schema;
extern const struct proto_schema proto_audit_verify_schema;
extern const struct proto_schema proto_witnessed_schema;
extern const struct proto_schema proto_evidence_schema;

#endif
