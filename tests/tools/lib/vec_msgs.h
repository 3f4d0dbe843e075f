/* SPDX-License-Identifier: Apache-2.0 */
/* The messages of the test vectors (tests/vectors/envelopes.json), one of
 * each registered type: a GTM officer's stolen query and trace request,
 * MEX's answers; GTM's audit checkpoint, MEX's cosignature of it, and
 * what MEX holds. Fixed values, so the vectors never change by themselves. */
#ifndef TN_TOOLS_VEC_MSGS_H
#define TN_TOOLS_VEC_MSGS_H

#include "../../../proto/proto.h"

extern struct tn_ping vm_ping;
extern struct tn_stolen_query vm_query;
extern struct tn_stolen_result vm_result_hit, vm_result_no_hit;
extern struct tn_stolen_queries vm_queries;
extern struct tn_stolen_results vm_results;
extern struct tn_trace_request vm_request;
extern struct tn_trace_ack vm_trace_ack;
extern struct tn_trace_result vm_trace_result, vm_trace_candidates;
extern struct tn_ack vm_ack;
extern struct tn_checkpoint_msg vm_checkpoint;
extern struct tn_cosignature vm_cosignature;
extern struct tn_checkpoint_get vm_checkpoint_get;
extern struct tn_checkpoint_held vm_checkpoint_held;

/* GTM's audit log in the checkpoint vectors: the hashes of its entries
 * 1..VM_ENTRIES; the checkpoint covers them all, its proof starts at
 * VM_FROM entries. */
#define VM_ENTRIES 5
#define VM_FROM 3
extern uint8_t vm_entries[VM_ENTRIES][TN_HASH_LEN];
extern uint8_t vm_from_root[TN_HASH_LEN];

/* Fill what depends on other messages: message ids, the first retail sale,
 * the time to crime, and the result's digest of the request. 0 or a
 * TN_ERR_* code. */
int vec_msgs_init(void) TN_WUR;

/* Blind checks: MEX's OPRF key is DeriveKeyPair(VOPRF, 32 bytes 0x5b,
 * VM_BLIND_INFO); its set holds the tags of three reports; GTM blinds
 * vm_blind_items with the blinds 1 + i*k (bytes i = 0..30) and 0x0a on
 * top, k = 3 and 5; MEX's proof uses k = 7. */
#define VM_BLIND_INFO "tracenet blind test"
#define VM_BLIND_REPORTS 3
#define VM_BLIND_ITEMS 2
extern const char *const vm_blind_items[VM_BLIND_ITEMS];
extern struct tn_blind_set vm_blind_set;
extern struct tn_blind_query vm_blind_query;
extern struct tn_blind_result vm_blind_result;
extern struct tn_blind_set_get vm_blind_set_get;
/* Compute the blind-check messages; 0 or a TN_ERR_* code. */
int vec_blind_init(void) TN_WUR;

/* GTM's key rotation: from its key of keys.json to the key of the seed
 * VM_ROTATION_SEED (32 bytes of that value), made at VM_ROTATION_TS. */
#define VM_ROTATION_SEED 0x7a
#define VM_ROTATION_TS 1767225600000ull
extern struct tn_key_rotation vm_key_rotation;

struct cx_id;
/* Sign the rotation notice by the old key and the new one. */
int vec_rotation_sign(const struct cx_id *old, const struct cx_id *next) TN_WUR;
/* Sign the checkpoint as node (GTM) and cosign it as witness (MEX), into
 * every message that carries it. */
int vec_msgs_sign(const struct cx_id *node, const struct cx_id *witness) TN_WUR;

#endif
