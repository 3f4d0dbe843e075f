/* SPDX-License-Identifier: Apache-2.0 */
/* Blind lost/stolen checks: the messages by which a country publishes the
 * OPRF outputs of its open reports to a peer (a set, kept current by
 * versioned changes), and by which the peer has its items evaluated
 * blind. Included by wire.h, whose registry names them. */
#ifndef TN_BLIND_H
#define TN_BLIND_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"

#define TN_BLIND_ELEM 32          /* a ristretto255 element */
#define TN_BLIND_PROOF 64         /* a VOPRF proof */
#define TN_BLIND_TAG 8            /* bytes of an OPRF output a set keeps */
#define TN_BLIND_CHUNK 65536      /* tags one blind_set carries, at most */
#define TN_BLIND_ITEMS 1000       /* elements of one blind_query, at most */
#define TN_BLIND_LIMIT 10000      /* evaluations a peer may ask a day, by default */

/* blind_set (owner -> peer, outbox, signed): a change of the owner's set
 * of tags, the first TN_BLIND_TAG bytes of the OPRF output of each open
 * report's "MAKE|SERIAL" (both normalized). */
struct tn_blind_set {
	uint8_t mid[16];
	uint64_t epoch;               /* the OPRF key's id; 0: no blind checks for you */
	uint32_t mode;                /* 0 OPRF, 1 VOPRF: results carry a proof */
	uint8_t pk[TN_BLIND_ELEM];    /* the OPRF key's public element */
	uint64_t base;                /* the version the copy must be at (not with full) */
	uint64_t version;             /* the version this message brings it to */
	bool full;                    /* start from an empty set */
	bool last;                    /* with this message the version is complete */
	uint32_t count;               /* with last: tags in the complete set */
	uint32_t n_add;               /* bytes: tags added, sorted */
	uint8_t *add;
	uint32_t n_del;               /* bytes: tags removed, sorted */
	uint8_t *del;
};

/* blind_query (asker -> owner): the items' blinded elements. */
struct tn_blind_query {
	uint64_t qid;
	uint64_t epoch;               /* the key the asker's copy is under */
	uint32_t n_elem;              /* bytes: a multiple of TN_BLIND_ELEM */
	uint8_t *elem;
};

/* blind_result (owner -> asker): the evaluated elements, in order. */
struct tn_blind_result {
	uint64_t qid;
	char status[16];              /* ok, declined, over_limit, stale, error */
	uint32_t n_eval;              /* bytes */
	uint8_t *eval;
	uint32_t n_proof;             /* bytes: TN_BLIND_PROOF in VOPRF mode, else 0 */
	uint8_t *proof;
};

/* blind_set_get (asker -> owner): my copy is behind or broken; send the
 * whole set again. */
struct tn_blind_set_get {
	uint64_t epoch;
	uint64_t version;             /* the version the copy is at */
};

/* What a node holds of a peer's set (and of its own, under its name). */
struct tn_blind_state {
	uint64_t epoch;
	uint32_t mode;
	uint8_t pk[TN_BLIND_ELEM];
	uint64_t version;
	uint32_t count;
	bool complete;                /* every message of version is in */
};

extern const struct proto_schema proto_blind_set_schema;
extern const struct proto_schema proto_blind_query_schema;
extern const struct proto_schema proto_blind_result_schema;
extern const struct proto_schema proto_blind_set_get_schema;
extern const struct proto_schema proto_blind_state_schema;

/* The OPRF input of a make and serial: "MAKE|SERIAL", both normalized;
 * its length, or TN_ERR_INVALID. */
int proto_blind_input(const char *make, const char *serial, char *out, size_t cap) TN_WUR;

#endif
