/* SPDX-License-Identifier: Apache-2.0 */
/* svc: candidates for a misread serial, and blind lost/stolen checks
 * (blind.c, blind_eval.c, blind_copy.c). Included by svc.h. */
#ifndef TN_SVC_BLIND_H
#define TN_SVC_BLIND_H

/* The best k candidates for q among our records, best first, into out
 * (release with proto_cand_list_schema), with how many more rank as high
 * as the last one (counted among the best MATCH_K_MAX). 0, or an error
 * such as TN_ERR_LIMIT for a serial with too little of it readable. */
int candidates_find(struct store_txn *t, const struct match_query *q, uint32_t k,
		    struct tn_cand_list *out) TN_WUR;

/* ---- blind lost/stolen checks (blind.c, blind_eval.c, blind_copy.c) ---- */

/* Load our OPRF key, or make one (and our set from the open reports). */
int blind_start(struct node *n) TN_WUR;
void blind_stop(struct node *n);
/* The key's epoch, mode and public element (NULL without a key). */
const struct tn_blind_state *blind_state(const struct node *n);
/* Our tag of make and serial. */
int blind_tag(const struct node *n, const char *make, const char *serial,
	      uint8_t tag[TN_BLIND_TAG]) TN_WUR;
/* A copy of our key, for a worker thread (a rekey may swap n->blind
 * meanwhile): evaluate count blinded elements into eval, with the VOPRF
 * proof in its mode; free (wiped). */
struct blind_key *blind_key_dup(const struct node *n);
int blind_key_evaluate(const struct blind_key *k, const uint8_t *elem, uint32_t count,
		       uint8_t *eval, uint8_t proof[TN_BLIND_PROOF]) TN_WUR;
uint32_t blind_key_mode(const struct blind_key *k);
void blind_key_free(struct blind_key *k);
/* Inside a batch op: report s was filed (delta 1) or recovered (-1); our
 * set and every blind peer learn of it. */
int blind_report(struct store_txn *t, struct node *n, const struct tn_stolen *s, int delta) TN_WUR;
/* Inside a batch op: queue our whole set to peer; tell peer it has no
 * blind set of ours any more. */
int blind_publish(struct store_txn *t, struct node *n, const char *peer) TN_WUR;
int blind_withdraw(struct store_txn *t, const char *peer) TN_WUR;

/* A new OPRF key at the operator's word: made (new), put in place with
 * our set made again and published whole to every blind peer (op, in a
 * batch), then used from the commit on (done: our state, NULL if rc). */
struct blind_rekey;
struct blind_rekey *blind_rekey_new(struct node *n);
int blind_rekey_op(struct store_txn *t, struct blind_rekey *r) TN_WUR;
const struct tn_blind_state *blind_rekey_done(struct blind_rekey *r, int rc);
void blind_rekey_free(struct blind_rekey *r);

/* Asking peer blind: 0 with *out NULL when we hold no complete set of
 * peer's (ask in clear), else the blinded items to send. */
struct blind_ask;
int blind_ask_new(struct node *n, const char *peer, uint64_t qid,
		  const struct tn_query_item *items, uint32_t count, struct blind_ask **out) TN_WUR;
const struct tn_blind_query *blind_ask_query(const struct blind_ask *a);
/* Read peer's evaluations r of a's items: hit[i] set for the items whose
 * tag is in our copy of peer's set. TN_ERR_BAD_SIG for a proof that does
 * not hold. */
int blind_ask_read(struct node *n, const struct blind_ask *a, const char *peer,
		   const struct tn_query_item *items, const struct tn_blind_result *r,
		   uint8_t *hit) TN_WUR;
void blind_ask_free(struct blind_ask *a);

#endif
