/* SPDX-License-Identifier: Apache-2.0 */
/* svc: what the node does with messages and requests, above the
 * transport: the audit chain, per-peer policy, the persistent outbox,
 * answering and asking lost/stolen queries, traces both ways, retention,
 * witnessed checkpoints both ways, and requests that wait for a peer's
 * answer. */
#ifndef TN_SVC_H
#define TN_SVC_H

#include "../net/net.h"

/* Register the services' handlers and hooks with the transport, and load
 * (or make) the key of blind checks. */
int svc_start(struct node *n) TN_WUR;
/* After `tracenetd restore`: audit and log it once (restored.c). */
int restored_note(struct node *n) TN_WUR;
/* Answer every request still waiting for a peer (shutdown). */
void svc_stop(struct node *n);

/* ---- audit ---- */

/* Append an entry to the audit chain inside the op's transaction t, timed
 * now, for the op's actor (batch_actor). dir is "in", "out" or "local";
 * peer, ref and detail may be NULL. */
int node_audit(struct store_txn *t, const char *peer, const char *dir, const char *type,
	       const char *ref, const char *outcome, const char *detail) TN_WUR;
/* Audit a local console act on id (0: none) with outcome "ok". */
int node_audit_local(struct store_txn *t, const char *type, uint64_t id, const char *fmt, ...)
	TN_WUR __attribute__((format(printf, 4, 5)));
/* The detail of a stolen_query entry on either side, "N item(s),
 * purpose: P" (the stats count its N guns); returns out. */
const char *node_audit_items(char out[TN_TEXT_LEN], uint32_t n, const char *purpose);
/* The audit chain's hash (BLAKE2b-256), as the store wants it. */
void node_audit_hash(const void *m, size_t n, uint8_t out[32]);

/* ---- audit retention (audit_cut.c) ---- */

#define AUDIT_CUT_MAX 100000   /* entries one op deletes at most */

/* One cut of the audit log's front: the op's argument and its result. */
struct audit_cut {
	struct node *node;
	uint64_t now;                 /* when the cut was asked for */
	uint64_t before_ms;           /* entries older than this go; 0: none */
	char before_text[32];         /* before_ms in UTC, for the log lines */
	struct store_audit_cut res;   /* what the op's last run did */
	void (*more)(struct node *n); /* for audit_cut_start: entries are left */
};

/* A cut as of now under the node's retention (none when it is forever). */
void audit_cut_init(struct audit_cut *c, struct node *n);
/* Batch op (arg: struct audit_cut): delete at most AUDIT_CUT_MAX entries
 * older than c->before_ms, store the signed anchor where the log now
 * starts and audit the deletion ("audit.retain"), when anything went. */
int audit_cut_op(struct store_txn *t, void *arg) TN_WUR;
/* After the op's commit (rc): log what it did; non-zero when it stopped
 * at AUDIT_CUT_MAX, so that old entries may be left. */
int audit_cut_done(const struct audit_cut *c, int rc);
/* Queue a cut as of now; after its commit, more(n) runs if old entries
 * may be left, to cut again in a later pass. */
void audit_cut_start(struct node *n, void (*more)(struct node *n));

/* ---- witnessed checkpoints ---- */

/* Sign the log's head as a checkpoint every cfg.checkpoint_ms when the log
 * grew, and queue it to every pinned peer with a consistency proof from
 * the size that peer last witnessed (checkpoint.c). */
void checkpoint_start(struct node *n);
typedef void (*checkpoint_done_fn)(void *arg, int rc, const struct tn_checkpoint *cp);
/* The same now: done gets the checkpoint (a new one when the log grew
 * since the last, else the last) once it is committed and queued. */
void checkpoint_now(struct node *n, checkpoint_done_fn done, void *arg);

/* What witness p holds of our log: its answer's checkpoint cp (cp->size
 * 0: none) and its cosignature; rc 0 once cp is our own signed checkpoint
 * and cosig p's signature of it (or p holds none), TN_ERR_BAD_SIG when
 * either does not verify (cp and cosig as p sent them), TN_ERR_TIMEOUT,
 * or TN_ERR_CLOSED at shutdown (cp and cosig zeroed). */
typedef void (*witness_held_fn)(void *arg, int rc, const struct tn_checkpoint *cp,
				const uint8_t cosig[TN_SIG_LEN]);
/* Ask witness p (checkpoint_get) which checkpoint of our log it holds;
 * done runs with its answer, or after 5 s without one (witnessed.c).
 * Fails at once, without calling done, when p has no link. */
int witness_ask(struct node *n, struct peer *p, witness_held_fn done, void *arg) TN_WUR;

/* One checkpoint the local log must contain (a witness's): result 0 when
 * it does, TN_ERR_NOT_FOUND when the log ends before it (behind: restored
 * from an older copy?), TN_ERR_INVALID when its entries differ
 * (rewritten). */
struct audit_check {
	struct tn_checkpoint cp;
	int result;
};
/* Verify the audit log: the chain from its anchor (whose signature must
 * be ours; a bad one is reported at the anchor's seq), and the Merkle
 * root recomputed from the entries themselves at each of our own
 * checkpoints and at each check. */
int audit_chain_verify_at(const struct node *n, struct store_txn *t, struct tn_audit_verify *v,
			  struct audit_check *checks, size_t count) TN_WUR;

/* ---- requests waiting for a peer's answer ---- */

enum pending_kind { PENDING_PING, PENDING_QUERY, PENDING_TRACE, PENDING_CHECKPOINT };

/* Embedded in the waiting request. done runs once: rc 0 when the owner
 * ends it (answered), TN_ERR_TIMEOUT, or TN_ERR_CLOSED at shutdown.
 * release frees the owner once pending_free's timer close is over. */
struct pending {
	struct pending *next;       /* in its bucket */
	struct pending **pprev;     /* what points at it; NULL once ended */
	struct node *node;
	uv_timer_t timer;
	enum pending_kind kind;
	uint64_t key;
	void (*done)(struct pending *w, int rc);
	void (*release)(struct pending *w);
};

/* Start waiting: w (with done and release set) is found by kind and key
 * until it ends; after timeout_ms it ends with TN_ERR_TIMEOUT. */
void pending_start(struct node *n, struct pending *w, enum pending_kind kind, uint64_t key,
		   uint64_t timeout_ms);
/* The request waiting under kind and key, or NULL. */
struct pending *pending_find(struct node *n, enum pending_kind kind, uint64_t key);
/* The next request waiting under w's kind and key, or NULL. */
struct pending *pending_next(const struct pending *w);
/* Stop waiting and run done(w, rc). */
void pending_end(struct pending *w, int rc);
/* Free w: its timer closes, then release(w) runs. */
void pending_free(struct pending *w);
/* End every request still waiting with TN_ERR_CLOSED, and free the table. */
void pending_stop(struct node *n);

/* ---- policy ---- */

/* "auto", "review" or "deny" for p's trace requests. */
const char *policy_traces(const struct peer *p);
/* Whether p may ask about lost/stolen guns; whether it asks blind (we
 * publish our set of tags to it and evaluate its blinded items). */
int policy_stolen_allowed(const struct peer *p);
int policy_stolen_blind(const struct peer *p);
/* Inside a batch op: count units blind evaluations of p today;
 * TN_ERR_LIMIT, counting nothing, past its quota. */
int policy_take_blind(struct store_txn *t, const struct peer *p, uint32_t units) TN_WUR;
/* Inside a batch op: count units requests of p today (a fuzzy lookup is
 * TN_FUZZY_UNITS); TN_ERR_LIMIT, counting nothing, past its daily limit. */
int policy_take(struct store_txn *t, const struct peer *p, uint32_t units) TN_WUR;
/* Whether we offer p candidates for serials we hold no exact record of. */
int policy_candidates(const struct peer *p);
/* Whether p may see event field ("party", "place", "ref"). */
int policy_discloses(const struct peer *p, const char *field);
/* The daily limit of trace requests of p. */
uint32_t policy_daily_limit(const struct peer *p);
/* 0 if a's values are ones policy knows; else why says what they may be. */
int policy_check(const struct tn_policy_arg *a, char *why, size_t len) TN_WUR;
/* p's record with the fields a sets changed. */
void policy_apply(struct tn_peer *rec, const struct tn_policy_arg *a);

/* ---- outbox ---- */

/* A fresh message id of ours that is not a trace request's. */
void outbox_new_mid(uint8_t mid[TN_MID_LEN]);
/* Inside a batch op: queue msg of type for peer under id mid, encoded and
 * signed as the registry says. */
int outbox_queue(struct store_txn *t, const char *peer, enum wire_type type,
		 const uint8_t mid[TN_MID_LEN], const void *msg) TN_WUR;
/* Send msg, queued under mid in this loop pass, on p's link now if it is
 * up, ahead of its commit; the link counts it as carried. */
void outbox_send_now(struct peer *p, enum wire_type type, const uint8_t mid[TN_MID_LEN],
		     const void *msg);
/* Send what p's outbox holds that this link has not carried yet. */
void outbox_flush(struct peer *p);
/* p's link came up: send its whole backlog. */
void outbox_link_up(struct peer *p);
/* Send again, every OUTBOX_RESEND_MS, what links carried but peers have
 * not acknowledged. */
void outbox_start(struct node *n);

#define OUTBOX_RESEND_MS 60000
/* Acknowledge p's message mid (after our effects are committed). */
int outbox_ack(struct peer *p, const uint8_t mid[TN_MID_LEN]);

/* ---- peer ping ---- */

typedef void (*ping_done_fn)(void *arg, int rc, uint64_t rtt_us);

/* Send an end-to-end ping to p; done runs with the round trip, or with
 * TN_ERR_TIMEOUT after 5 s. */
int ping_start(struct peer *p, ping_done_fn done, void *arg) TN_WUR;

/* ---- lost/stolen queries ---- */

typedef void (*query_done_fn)(void *arg, int rc, const struct tn_query_reply *reply);

/* Ask a's peer (or all peers) about a's items, which are moved out of a:
 * audit, send, wait for every answer or the timeout, audit the answers,
 * then done. TN_ERR_INVALID with why when a cannot be asked. */
int query_start(struct node *n, struct tn_query_arg *a, query_done_fn done, void *arg,
		char *why, size_t len) TN_WUR;
/* Send the envelopes the pass's queries share (before the loop sleeps). */
void rides_flush(struct node *n);

/* ---- traces ---- */

typedef void (*trace_done_fn)(void *arg, int rc, const struct tn_trace *tr, const char *why);

/* Check and queue our trace request a (or the follow-up of a.follow);
 * done runs once it is committed to the outbox. TN_ERR_INVALID with why
 * when a is incomplete. */
int trace_request(struct node *n, const struct tn_trace_arg *a, trace_done_fn done, void *arg,
		  char *why, size_t len) TN_WUR;
/* Our answer to trace in from the records in t (release r's chain). */
int trace_answer(struct store_txn *t, const struct peer *p, const struct tn_trace_in *in,
		 struct tn_trace_result *r) TN_WUR;
/* Inside a batch op: answer trace in, or decline it when declined_why. */
int trace_respond(struct store_txn *t, struct peer *p, struct tn_trace_in *in,
		  const char *declined_why) TN_WUR;
/* Inside a batch op: our message mid to peer was delivered. */
int trace_delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN]) TN_WUR;
/* Whether our trace tr holds a peer's result (answered, or rejected as
 * not answering our request). */
int trace_has_result(const struct tn_trace *tr);
/* 1 when tr has no answer and the deadline its peer gave is before today
 * (YYYY-MM-DD, UTC). */
int trace_overdue(const struct tn_trace *tr, const char *today);
/* In the transaction that stores the result of our trace: audit the view
 * of one waiting request. */
typedef int (*trace_view_fn)(struct store_txn *t, void *arg, const struct tn_trace *tr);
/* A wait ended: rc 0 once the result (and the view) committed,
 * TN_ERR_TIMEOUT, TN_ERR_CLOSED at shutdown or TN_ERR_NOMEM. */
typedef void (*trace_wait_fn)(void *arg, int rc);
/* Wait at most timeout_ms for the result of our trace id (view and done
 * as above); the waiter, to end early with pending_end, or NULL when
 * done already ran with TN_ERR_NOMEM. */
struct pending *trace_wait(struct node *n, uint64_t id, uint64_t timeout_ms, trace_view_fn view,
			   trace_wait_fn done, void *arg);
/* Inside the op storing tr's result: every waiter's view. */
int trace_wait_view(struct store_txn *t, struct node *n, const struct tn_trace *tr) TN_WUR;
/* After that commit: end every waiter of trace id. */
void trace_wait_end(struct node *n, uint64_t id);
/* Purge expired trace results and cut the audit log now and every hour. */
void retention_start(struct node *n);
/* Run the retention passes again at the next loop pass. */
void retention_soon(struct node *n);

/* Add up the stats of a's period and peer from store s in one read
 * transaction, as of now_ms (release out with proto_stats_schema).
 * Touches no loop state: it may run on a worker thread. */
int stats_collect(struct store *s, const char *node, const struct tn_stats_arg *a,
		  uint64_t now_ms, struct tn_stats *out) TN_WUR;

/* Append the node's metrics to out, in the Prometheus text exposition
 * format 0.0.4 (the hooks.metrics of the console and the HTTP listener). */
int metrics_text(struct node *n, struct proto_buf *out) TN_WUR;

/* A service's handler of one message type; its table ends with fn NULL. */
struct svc_handler {
	enum wire_type type;
	env_handler_fn fn;
};

extern const struct svc_handler ping_handlers[];
extern const struct svc_handler answer_handlers[];
extern const struct svc_handler query_handlers[];
extern const struct svc_handler outbox_handlers[];
extern const struct svc_handler blind_eval_handlers[];
extern const struct svc_handler blind_copy_handlers[];
extern const struct svc_handler query_blind_handlers[];
extern const struct svc_handler trace_in_handlers[];
extern const struct svc_handler trace_out_handlers[];
extern const struct svc_handler witness_handlers[];    /* peers' checkpoints */
extern const struct svc_handler witnessed_handlers[];  /* witnesses' answers */
extern const struct svc_handler rotate_peer_handlers[]; /* peers' key rotations */

#include "svc_blind.h"
#include "svc_rotate.h"

#endif
