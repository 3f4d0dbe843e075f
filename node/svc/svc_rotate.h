/* SPDX-License-Identifier: Apache-2.0 */
/* svc: our key rotation (rotate.c) and our peers' (rotate_peer.c).
 * Included by svc.h. */
#ifndef TN_SVC_ROTATE_H
#define TN_SVC_ROTATE_H

#define ROTATE_MID 0x02             /* mid[0] of our key_rotation notices */

/* One announcement or finish of a rotation, and what the console shows. */
struct rotate_job {
	struct node *node;
	struct cx_id *next;         /* announce: the new key until it is recorded */
	uint64_t ts;
	char old_fp[CX_FP_LEN];     /* finish: the key replaced */
	struct tn_rotate_info info;
};

/* Resume a rotation a restart interrupted (at start). */
int rotate_start(struct node *n) TN_WUR;
/* Close and free the rotation's state (node stop). */
void rotate_stop(struct node *n);
/* Make and load node.key.next for j; why says what stops it. */
int rotate_begin(struct node *n, struct rotate_job *j, char *why, size_t len) TN_WUR;
/* Batch op: record the rotation, queue the notice to every pinned peer, audit. */
int rotate_announce_op(struct store_txn *t, struct rotate_job *j) TN_WUR;
/* After its commit: the rotation is on (rc 0) or the new key is dropped. */
int rotate_announced(struct rotate_job *j, int rc);
/* Switch to the new key now (files, TLS, links); then rotate_finish_op
 * records it. TN_ERR_NOT_FOUND when no rotation is announced. */
int rotate_finish(struct node *n, struct rotate_job *j) TN_WUR;
/* Batch op: drop the notices still waiting (naming their peers), end the
 * rotation in the store, re-sign the audit anchor, audit. */
int rotate_finish_op(struct store_txn *t, struct rotate_job *j) TN_WUR;
/* After its commit: log, and send what waits under the new key. */
void rotate_finished(struct rotate_job *j, int rc);
/* Inside a batch op: our outbox message mid to peer was acknowledged. */
int rotate_delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN]) TN_WUR;
/* hooks.peer_rekeyed: store and audit a peer's new key in use. */
void rotate_peer_rekeyed(struct peer *p, const uint8_t old_pk[CX_PK_LEN]);

#endif
