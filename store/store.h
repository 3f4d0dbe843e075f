/* SPDX-License-Identifier: Apache-2.0 */
/* store: the node's LMDB environment: firearm records and their serial
 * index, lost/stolen reports, node metadata. Never touches the network.
 * Only this module includes <lmdb.h>. */
#ifndef TN_STORE_H
#define TN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../proto/match.h"
#include "../proto/merkle.h"
#include "../proto/rows.h"

#define STORE_MAP_DEFAULT ((size_t)64 << 20)   /* initial map: 64 MiB */
#define STORE_MAP_MAX_DEFAULT ((size_t)1 << 40) /* growth stops at 1 TiB */

struct store;
struct store_txn;

struct store_stats {
	uint64_t records;
	uint64_t stolen;
	uint64_t stolen_open;
	uint64_t map_size;
	uint64_t map_used;
};

/* Open (creating if needed) the environment in dir/store. The map starts
 * at map_size bytes and doubles on demand up to map_max. */
int store_open(struct store **out, const char *dir, size_t map_size, size_t map_max) TN_WUR;
/* Close the environment. No transaction may be open. */
void store_close(struct store *s);

/* Begin a read-only snapshot; never blocks the writer. */
int store_read_begin(struct store *s, struct store_txn **out) TN_WUR;
/* End a read snapshot. */
void store_read_end(struct store_txn *t);

/* One write operation of a batch. fn must act only through t, so that it
 * can be run again from scratch after the map has grown. */
typedef int (*store_op_fn)(struct store_txn *t, void *arg);

struct store_op {
	store_op_fn fn;
	void *arg;
	int rc;          /* the op's own result, set by store_apply */
};

/* Apply ops in one durable write transaction (group commit). Each op runs
 * in a nested transaction: a failing op is rolled back alone and its rc
 * says why. A full map grows and the whole batch is replayed. Returns 0
 * once committed, or a negative code when nothing was committed. */
int store_apply(struct store *s, struct store_op *ops, size_t n) TN_WUR;
/* store_apply of a single op; returns the commit error or the op's rc. */
int store_write(struct store *s, store_op_fn fn, void *arg) TN_WUR;

/* ---- firearm records ---- */

typedef int (*store_record_fn)(void *arg, const struct tn_record *r);

/* Add a record, assigning r->id. TN_ERR_EXISTS when a record with the same
 * normalized make, serial and model is already there. */
int store_record_add(struct store_txn *t, struct tn_record *r) TN_WUR;
/* Read record id into r (release with proto_release). */
int store_record_get(struct store_txn *t, uint64_t id, struct tn_record *r) TN_WUR;
/* Append an event to record id. */
int store_record_add_event(struct store_txn *t, uint64_t id, const struct tn_event *e) TN_WUR;
/* Call fn for each record whose normalized serial matches, restricted to
 * the normalized make unless make is NULL or empty. Returns the number of
 * matches, or fn's non-zero return, or a negative error. */
int store_record_find(struct store_txn *t, const char *make, const char *serial,
		      store_record_fn fn, void *arg) TN_WUR;

/* Candidates for q among the records, best first (exact ones first):
 * at most k into out. Without q->fuzzy only exact ones. Returns how many,
 * or TN_ERR_LIMIT when q would take too many lookups (three or more
 * unreadable characters with fewer than STORE_MATCH_PREFIX read before
 * them, or more than STORE_MATCH_VISITS index entries to look at). */
int store_record_match(struct store_txn *t, const struct match_query *q,
		       struct match_cand *out, uint32_t k) TN_WUR;

#define STORE_MATCH_PREFIX 3
#define STORE_MATCH_VISITS 200000

/* ---- bulk adds of records checked and encoded before the transaction ---- */

#define STORE_KEY_MAX (2 * TN_SERIAL_LEN + 2 + TN_MAKE_LEN)

/* A record that passed proto_record_check, as proto_encode writes it
 * (proto_import_next gives both), made ready outside any transaction: the
 * store keeps enc as it is, but for the id it assigns. */
struct store_rec_enc {
	const uint8_t *enc;
	uint32_t len;
	uint32_t id_off, id_len;    /* the value of the id field in enc */
	uint32_t key_len;
	uint8_t key[STORE_KEY_MAX]; /* from store_rec_enc_key */
	char model[TN_MODEL_LEN];
	uint64_t id;                /* set by store_record_add_encoded; 0: refused */
};

/* Fill e's index key and model from the checked record r. */
int store_rec_enc_key(struct store_rec_enc *e, const struct tn_record *r) TN_WUR;
/* Add the n records of rows in order, as store_record_add would one by
 * one, ids consecutive: one with the same make, serial and model as a
 * record on file (or as an earlier one of rows) is refused and keeps id 0.
 * Returns how many were added, or a negative error after which the
 * transaction must not be committed. */
int store_record_add_encoded(struct store_txn *t, struct store_rec_enc *rows,
			     uint32_t n) TN_WUR;

/* ---- lost/stolen reports ---- */

typedef int (*store_stolen_fn)(void *arg, const struct tn_stolen *s);

/* Add a report (status "open"), assigning s->id. */
int store_stolen_add(struct store_txn *t, struct tn_stolen *s) TN_WUR;
/* Read report id. */
int store_stolen_get(struct store_txn *t, uint64_t id, struct tn_stolen *s) TN_WUR;
/* Mark report id recovered on date; TN_ERR_INVALID if already recovered. */
int store_stolen_recover(struct store_txn *t, uint64_t id, const char *date, struct tn_stolen *out) TN_WUR;
/* Call fn for each open report matching serial (and make unless empty).
 * Returns the number of matches or a negative error. */
int store_stolen_find(struct store_txn *t, const char *make, const char *serial,
		      store_stolen_fn fn, void *arg) TN_WUR;
/* store_record_match over the open reports. */
int store_stolen_match(struct store_txn *t, const struct match_query *q,
		       struct match_cand *out, uint32_t k) TN_WUR;
/* Call fn for every report (only open ones if open_only), in id order. */
int store_stolen_each(struct store_txn *t, int open_only, store_stolen_fn fn, void *arg) TN_WUR;

/* ---- traces: ours (req_out), peers' (req_in), and the outbox ---- */

typedef int (*store_trace_fn)(void *arg, const struct tn_trace *tr);
typedef int (*store_trace_in_fn)(void *arg, const struct tn_trace_in *tr);
typedef int (*store_outmsg_fn)(void *arg, const struct tn_outmsg *m);

/* Write trace tr, assigning tr->id when it is 0. */
int store_trace_put(struct store_txn *t, struct tn_trace *tr) TN_WUR;
/* The id of the newest trace (0: none yet), for ids handed out ahead. */
int store_trace_last(struct store_txn *t, uint64_t *id) TN_WUR;
/* Write a new trace under the id chosen for it ahead, moving the sequence
 * past it; TN_ERR_EXISTS when a trace has that id. */
int store_trace_add(struct store_txn *t, const struct tn_trace *tr) TN_WUR;
/* Read trace id (release with proto_release). */
int store_trace_get(struct store_txn *t, uint64_t id, struct tn_trace *tr) TN_WUR;
/* Call fn for every trace in id order. */
int store_trace_each(struct store_txn *t, store_trace_fn fn, void *arg) TN_WUR;
/* Write a peer's trace, assigning tr->id when it is 0; a new trace whose
 * (peer, req.ref) is already known fails with TN_ERR_EXISTS and sets
 * tr->id to the known one. */
int store_trace_in_put(struct store_txn *t, struct tn_trace_in *tr) TN_WUR;
/* Read a peer's trace. */
int store_trace_in_get(struct store_txn *t, uint64_t id, struct tn_trace_in *tr) TN_WUR;
/* Call fn for every peer's trace in id order. */
int store_trace_in_each(struct store_txn *t, store_trace_in_fn fn, void *arg) TN_WUR;
/* Queue a message for its peer; TN_ERR_LIMIT above STORE_OUTBOX_MAX per peer. */
int store_outbox_add(struct store_txn *t, const struct tn_outmsg *m) TN_WUR;
/* Call fn for the peer's queued messages, oldest first. */
int store_outbox_each(struct store_txn *t, const char *peer, store_outmsg_fn fn, void *arg) TN_WUR;
/* How many messages wait for peer, and when the oldest was queued (ms
 * since the epoch; 0 when none wait): one walk that decodes one message. */
int store_outbox_depth(struct store_txn *t, const char *peer, uint64_t *count,
		       uint64_t *oldest_ms) TN_WUR;
/* Remove the peer's message mid (it was acknowledged). */
int store_outbox_del(struct store_txn *t, const char *peer, const uint8_t mid[16]) TN_WUR;

#define STORE_OUTBOX_MAX 10000

/* ---- alerts: a peer's query hit one of our reports ---- */

typedef int (*store_alert_fn)(void *arg, const struct tn_alert *a);

/* Add an alert, assigning a->id. */
int store_alert_add(struct store_txn *t, struct tn_alert *a) TN_WUR;
/* Call fn for the newest alerts, newest first, at most limit. */
int store_alert_each(struct store_txn *t, uint32_t limit, store_alert_fn fn, void *arg) TN_WUR;

/* ---- receipts of signed lost/stolen answers (hits) ---- */

/* Keep the receipt (msgpack tn_receipt) of peer's signed answer to qid. */
int store_receipt_put(struct store_txn *t, uint64_t qid, const char *peer, const uint8_t *r,
		      uint32_t n) TN_WUR;
/* A copy of that receipt (free it); TN_ERR_NOT_FOUND if none was kept. */
int store_receipt_get(struct store_txn *t, uint64_t qid, const char *peer, uint8_t **r,
		      uint32_t *n) TN_WUR;

/* ---- pinned peers, keyed by name ---- */

typedef int (*store_peer_fn)(void *arg, const struct tn_peer *p);

/* Insert or replace peer p. */
int store_peer_put(struct store_txn *t, const struct tn_peer *p) TN_WUR;
/* Remove peer name; TN_ERR_NOT_FOUND if absent. */
int store_peer_del(struct store_txn *t, const char *name) TN_WUR;
/* Call fn for every peer in name order. */
int store_peer_each(struct store_txn *t, store_peer_fn fn, void *arg) TN_WUR;

/* ---- blind checks: our set of tags, and peers' sets as we hold them ---- */

typedef int (*store_tag_fn)(void *arg, const uint8_t tag[TN_BLIND_TAG]);

/* Our set: count tag once more (once less); 1 when it entered (left) it. */
int store_blind_own_add(struct store_txn *t, const uint8_t tag[TN_BLIND_TAG]) TN_WUR;
int store_blind_own_del(struct store_txn *t, const uint8_t tag[TN_BLIND_TAG]) TN_WUR;
/* A peer's set as we hold it: put, remove a tag; 1 when that changed it. */
int store_blind_peer_put(struct store_txn *t, const char *peer,
			 const uint8_t tag[TN_BLIND_TAG]) TN_WUR;
int store_blind_peer_del(struct store_txn *t, const char *peer,
			 const uint8_t tag[TN_BLIND_TAG]) TN_WUR;
/* In our set (peer NULL) or peer's: empty it; 1 when it holds tag, else
 * 0; fn for each tag in order. */
int store_blind_clear(struct store_txn *t, const char *peer) TN_WUR;
int store_blind_has(struct store_txn *t, const char *peer, const uint8_t tag[TN_BLIND_TAG]) TN_WUR;
int store_blind_each(struct store_txn *t, const char *peer, store_tag_fn fn, void *arg) TN_WUR;
/* The state of our set (peer NULL) or of peer's as we hold it. */
int store_blind_state_get(struct store_txn *t, const char *peer, struct tn_blind_state *st) TN_WUR;
int store_blind_state_put(struct store_txn *t, const char *peer,
			  const struct tn_blind_state *st) TN_WUR;
int store_blind_state_del(struct store_txn *t, const char *peer) TN_WUR;

/* ---- backup ---- */

#define STORE_LAYOUT 2   /* the layout version this code writes (store:version) */
#define STORE_SUBDIR "store"   /* store_open(dir) keeps dir/store/data.mdb */

/* The redo journal that makes commits durable (store/journal.c). */
struct store_journal_stats {
	uint64_t records;      /* commits made durable by one journal record */
	uint64_t checkpoints;  /* LMDB flushed whole */
	uint64_t checkpoint_us_sum, checkpoint_us_max;  /* the time they took */
	uint64_t replayed;     /* commits replayed when the store opened */
	int broken;            /* a commit could not be made durable: the store
				* takes no more writes until it is opened again */
};
void store_journal_stats(const struct store *s, struct store_journal_stats *out);

/* Copy the store, compacted, into dir/data.mdb (dir exists and holds no
 * data.mdb); safe from any thread while the node writes. */
int store_backup(struct store *s, const char *dir) TN_WUR;

/* ---- metadata and statistics ---- */

/* Read meta key into val (cap bytes); *len gets the stored length. */
int store_meta_get(struct store_txn *t, const char *key, void *val, size_t cap, size_t *len) TN_WUR;
/* Write meta key. */
int store_meta_put(struct store_txn *t, const char *key, const void *val, size_t len) TN_WUR;
/* Counts and map usage. */
int store_stats(struct store_txn *t, struct store_stats *st) TN_WUR;

#include "store_audit.h"

#endif
