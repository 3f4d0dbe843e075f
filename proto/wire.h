/* SPDX-License-Identifier: Apache-2.0 */
/* What crosses the border: link frames, the envelope, and the messages
 * peers exchange inside it (lost/stolen queries, trace requests, results). */
#ifndef TN_WIRE_H
#define TN_WIRE_H

#include "record.h"
#include "blind.h"

/* ---- peer link frames: {t: "hello" | "ping" | "pong" | "env", m: {...}} ---- */

#define TN_PROTO_VERSION 1
#define TN_SUITE_BOX_ED25519 1
#define TN_ID_LEN 16
#define TN_NONCE_LEN 24
#define TN_HASH_LEN 32
#define TN_SIG_LEN 64
#define TN_KEY_LEN 32
#define TN_MID_LEN 16

struct tn_hello {
	char name[TN_NAME_LEN];
	uint32_t version;
	char suites[32];          /* accepted suites, comma-separated: "1" */
	uint64_t ts;              /* the sender's clock, ms since the epoch */
	char features[64];        /* comma-separated feature names */
};

struct tn_ping {
	uint64_t seq;
};

/* The envelope: a routing header readable by relays, and a sealed body. */
struct tn_envelope {
	uint32_t v;
	uint32_t suite;
	char type[TN_KIND_LEN];
	char from[TN_NAME_LEN];
	char to[TN_NAME_LEN];
	uint8_t id[TN_ID_LEN];
	uint64_t ts;              /* ms since the epoch */
	uint32_t ttl;             /* hops left; not authenticated, relays lower it */
	uint8_t nonce[TN_NONCE_LEN];
	uint32_t n_body;
	uint8_t *body;
};

/* What the box holds: the hash of the authenticated header, the message,
 * and for messages with legal weight the sender's signature over
 * hash || message. */
struct tn_sealed {
	uint8_t h[TN_HASH_LEN];
	uint32_t n_m;
	uint8_t *m;
	uint32_t n_s;
	uint8_t *s;
};

extern const struct proto_schema proto_hello_schema;
extern const struct proto_schema proto_ping_schema;
extern const struct proto_schema proto_envelope_schema;

extern const struct proto_schema proto_env_header_schema; /* the authenticated part */
extern const struct proto_schema proto_sealed_schema;

/* The frame type under "t" in a link frame, or TN_ERR_FIELD. */
int proto_frame_type(const struct proto_msg *m, char *out, size_t cap) TN_WUR;

/* Why an envelope or a link was refused; counted per reason. */
#define TN_DROP_REASONS(X)                                                  \
	X(malformed) X(too_big) X(unknown_peer) X(forged_from) X(not_for_me) \
	X(stale) X(replay) X(bad_box) X(bad_sig) X(unknown_type)            \
	X(unsupported) X(handshake) X(replay_full) X(rate_limited) X(unsolicited)


#include "stolen_query.h"   /* lost/stolen queries */

/* ---- trace requests (ATF eTrace style) ---- */

struct tn_firearm {
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	char serial[TN_SERIAL_LEN];
	bool serial_obliterated;
	char importer[TN_PARTY_LEN];
	char country_of_origin[TN_NAME_LEN];
};

/* A record that may be the gun asked about: what identifies it, never its
 * chain or parties. */
struct tn_candidate {
	uint64_t id;                  /* the record's id: console only, never on the wire */
	bool exact;                   /* console only */
	uint32_t score;               /* 0..100 */
	char reason[TN_REASON_LEN];
	char make[TN_MAKE_LEN];
	char model[TN_MODEL_LEN];
	char caliber[TN_CALIBER_LEN];
	char type[TN_TYPE_LEN];
	char serial[TN_SERIAL_LEN];
};

#define TN_CANDIDATES_MAX 50
#define TN_CANDIDATES_SENT 10  /* candidates a trace result offers, at most */
/* Against a peer's daily limit a fuzzy lookup (a fuzzy stolen item, a
 * trace answered with candidates) counts as this many requests. */
#define TN_FUZZY_UNITS 10

/* TRACE_REQUEST: envelope type "trace_request", signed. */
struct tn_trace_request {
	uint8_t mid[TN_MID_LEN];      /* outbox message id: duplicates are re-acked */
	uint64_t ref;                 /* the requester's trace id */
	uint64_t follows;             /* the requester's trace this one follows up */
	char case_ref[TN_REF_LEN];
	char agency[TN_PARTY_LEN];
	char crime[32];
	char grounds[TN_TEXT_LEN];
	char recovered_on[TN_DATE_LEN];
	char recovered_at[TN_PLACE_LEN];
	struct tn_firearm firearm;
	char possessor[TN_PARTY_LEN];
	bool urgent;
};

/* TRACE_ACK: type "trace_ack", sent at once with the committed deadline. */
struct tn_trace_ack {
	uint8_t mid[TN_MID_LEN];
	uint64_t ref;
	char status[TN_KIND_LEN];     /* "received" (answered automatically) or "in_review" */
	char deadline[TN_DATE_LEN];
};

/* TRACE_RESULT: type "trace_result", signed. */
struct tn_trace_result {
	uint8_t mid[TN_MID_LEN];
	uint64_t ref;
	uint8_t request_digest[TN_HASH_LEN];  /* of the signed request (CX_REQUEST) */
	char status[24];              /* completed, partial, no_record, possible_matches,
				       * unmarked_or_obliterated, destroyed_on_record, declined */
	char reason[TN_TEXT_LEN];
	uint32_t n_chain;
	struct tn_event *chain;
	struct tn_event first_retail;
	char export_to[TN_NAME_LEN];
	char export_date[TN_DATE_LEN];
	char export_ref[TN_REF_LEN];
	int64_t time_to_crime_days;   /* -1 when unknown */
	char handling[TN_TEXT_LEN];   /* what the requester may do with the answer */
	uint32_t keep_days;           /* the requester purges the result after this */
	uint32_t n_cand;
	struct tn_candidate *candidates; /* with possible_matches, best first */
	uint32_t more_candidates;     /* further records as likely as the last one */
};

/* Delivery acknowledgement of an outbox message: type "ack". */
struct tn_ack {
	uint8_t mid[TN_MID_LEN];
};

extern const struct proto_schema proto_candidate_schema;
extern const struct proto_schema proto_firearm_schema;
extern const struct proto_schema proto_trace_request_schema;
extern const struct proto_schema proto_trace_ack_schema;
extern const struct proto_schema proto_trace_result_schema;
extern const struct proto_schema proto_ack_schema;

/* ---- the registry of message types: one row per envelope type ---- */

/* ---- key rotation ---- */

/* key_rotation (node -> each pinned peer, outbox): the node's next key,
 * signed by the old key and by the new one ("tracenet/1 rotation") over
 * the body {node, old_pk, new_pk, ts}. */
struct tn_key_rotation {
	uint8_t mid[TN_MID_LEN];
	char node[TN_NAME_LEN];
	uint8_t old_pk[TN_KEY_LEN];
	uint8_t new_pk[TN_KEY_LEN];
	uint64_t ts;                  /* when the node made the new key */
	uint8_t sig_old[TN_SIG_LEN];
	uint8_t sig_new[TN_SIG_LEN];
};

extern const struct proto_schema proto_key_rotation_schema;
extern const struct proto_schema proto_key_rotation_body_schema; /* what both sign */

enum wire_type {
	WIRE_PING,
	WIRE_PONG,
	WIRE_STOLEN_QUERY,
	WIRE_STOLEN_RESULT,
	WIRE_TRACE_REQUEST,
	WIRE_TRACE_ACK,
	WIRE_TRACE_RESULT,
	WIRE_ACK,
	WIRE_CHECKPOINT,
	WIRE_COSIGNATURE,
	WIRE_CHECKPOINT_GET,
	WIRE_CHECKPOINT_HELD,
	WIRE_BLIND_SET,
	WIRE_BLIND_QUERY,
	WIRE_BLIND_RESULT,
	WIRE_BLIND_SET_GET,
	WIRE_KEY_ROTATION,
	WIRE_STOLEN_QUERIES,
	WIRE_STOLEN_RESULTS,
	WIRE_COUNT
};

/* When the sender signs a message of a type (a signed message is a
 * receipt: it has legal weight). */
enum wire_sign {
	WIRE_SIGN_NEVER,
	WIRE_SIGN_ALWAYS,
	WIRE_SIGN_WHEN,       /* when the row's weighty() says so */
};

struct wire_def {
	const char *name;                   /* the envelope's type */
	const struct proto_schema *schema;  /* of the message in the box */
	enum wire_sign sign;
	int (*weighty)(const void *msg);    /* WIRE_SIGN_WHEN: sign this one? */
};

extern const struct wire_def wire_types[WIRE_COUNT];

/* The type named name, or TN_ERR_UNSUPPORTED. */
int wire_type_of(const char *name) TN_WUR;
/* Whether msg, a decoded message of type t, must carry a signature. */
int wire_must_sign(enum wire_type t, const void *msg);

#include "checkpoint.h"

#endif
