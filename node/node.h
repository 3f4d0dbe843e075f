/* SPDX-License-Identifier: Apache-2.0 */
/* node: tracenetd, the event-driven node. One libuv loop owns the console
 * socket, the peer links, and the group commit of every store write. */
#ifndef TN_NODE_H
#define TN_NODE_H

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <uv.h>

#include "../crypto/cx.h"
#include "../proto/proto.h"
#include "../store/store.h"

#define TN_VERSION "0.1.0"
#define NODE_CONF "tracenet.conf"
#define NODE_SOCK "console.sock"
#define NODE_OUT_MAX ((size_t)64 << 20) /* unsent bytes before a link is cut */

/* ---- configuration (DIR/tracenet.conf, INI) ---- */

struct node_config {
	char name[TN_NAME_LEN];
	char listen[CX_ADDR_LEN];
	char advertise[CX_ADDR_LEN]; /* host[:port] in our card; "" = listen */
	size_t map_size;
	size_t map_max;
	size_t max_frame;
};

/* Defaults for a node called name. */
void node_config_defaults(struct node_config *c, const char *name);
/* Parse configuration text over the defaults; why names origin and line. */
int node_config_parse(struct node_config *c, const char *text, const char *origin, char *why,
		      size_t why_len) TN_WUR;
/* Read dir/tracenet.conf over the defaults; why gets the bad line. */
int node_config_load(struct node_config *c, const char *dir, char *why, size_t why_len) TN_WUR;
/* Write dir/tracenet.conf (fails if it exists). */
int node_config_save(const struct node_config *c, const char *dir) TN_WUR;

/* ---- logging (stderr, one line per event) ---- */

/* Log a line at level "info", "warn" or "error". */
void node_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append a deep copy of obj to the array *items (n used, cap allocated),
 * growing it; TN_ERR_LIMIT past TN_BATCH_MAX items. */
int node_collect(void **items, uint32_t *n, uint32_t *cap, const struct proto_schema *s,
		 const void *obj) TN_WUR;
/* Join dir and name into out (PATH_MAX); TN_ERR_CONFIG if too long. */
int node_path(char *out, const char *dir, const char *name) TN_WUR;

/* ---- connections: framed msgpack over a stream ---- */

struct conn;

struct conn_ops {
	/* The TLS handshake is done (TLS connections only); < 0 closes. */
	int (*on_ready)(struct conn *c);
	/* One complete frame arrived; return < 0 to close the connection. */
	int (*on_frame)(struct conn *c, const uint8_t *body, size_t len);
	/* The connection is gone (after which the conn is freed). */
	void (*on_close)(struct conn *c, int reason);
};

struct conn {
	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_pipe_t pipe;
		uv_tcp_t tcp;
	} h;
	struct node *node;
	const struct conn_ops *ops;
	void *data;
	struct proto_framer in;
	struct cx_tls *tls;         /* NULL for the console */
	struct proto_buf frame;     /* scratch: a frame before encryption */
	struct proto_buf out;       /* queued, not yet handed to libuv */
	struct proto_buf wbuf;      /* the bytes of the write in flight */
	uv_write_t wreq;
	unsigned busy;              /* requests of this conn still in a batch */
	unsigned writing : 1;
	unsigned closing : 1;
	unsigned paused : 1;        /* frames wait until busy drops to 0 */
	unsigned tls_up : 1;
	unsigned handle_closed : 1; /* freed once busy drops to 0 */
	int close_reason;
	char peer[32];              /* name used in log lines */
};

/* Allocate a conn for an accepted or connecting stream. */
struct conn *conn_new(struct node *n, const struct conn_ops *ops, size_t max_frame);
/* Take ownership of a TLS session and start its handshake. */
int conn_tls_start(struct conn *c, struct cx_tls *tls) TN_WUR;
/* Start reading. */
int conn_start(struct conn *c) TN_WUR;
/* Queue one frame with body. */
int conn_send(struct conn *c, const void *body, size_t len);
/* Close at once, dropping unsent bytes (shutdown). */
void conn_abort(struct conn *c);
/* Close (idempotent); on_close runs once all requests in flight are done. */
void conn_close(struct conn *c, int reason);
/* Hold a conn open across an asynchronous request. */
void conn_hold(struct conn *c);
/* Release it, resuming frames that waited. */
void conn_release(struct conn *c);

/* ---- group commit ---- */

typedef void (*batch_done_fn)(void *arg, int rc);

/* Queue a store write. fn runs inside the loop pass's single transaction;
 * done(arg, rc) runs after the commit, with the op's rc or the commit's
 * error. Nothing may be acknowledged before done. */
void batch_add(struct node *n, store_op_fn fn, batch_done_fn done, void *arg);
/* Commit everything queued (the uv_prepare callback calls this). */
void batch_flush(struct node *n);

/* ---- audit ---- */

/* Append an entry to the audit chain inside the op's transaction t, timed
 * now. dir is "in", "out" or "local"; peer, ref and detail may be NULL. */
int node_audit(struct store_txn *t, const char *peer, const char *dir, const char *type,
	       const char *ref, const char *outcome, const char *detail) TN_WUR;
/* Audit a local console act on id (0: none) with outcome "ok". */
int node_audit_local(struct store_txn *t, const char *type, uint64_t id, const char *fmt, ...)
	TN_WUR __attribute__((format(printf, 4, 5)));
/* The audit chain's hash (BLAKE2b-256), as the store wants it. */
void node_audit_hash(const void *m, size_t n, uint8_t out[32]);

struct console_req;

/* ---- peers and links ---- */

#define LINK_HANDSHAKE_MS 10000   /* TLS + HELLO must finish within this */
#define LINK_PING_MS 10000        /* idle time before a PING */
#define LINK_DEAD_MS 30000        /* silence before a link is cut */
#define LINK_BACKOFF_MIN_MS 250
#define LINK_BACKOFF_MAX_MS 30000
#define ENV_SKEW_MS (5 * 60 * 1000)
#define LINK_FRAMES_PER_S 5000    /* sustained frames a second from one link */
/* Remembered envelope ids per peer: a link at its frame budget for the
 * whole 10-minute window fits (the table grows only as traffic needs). */
#define REPLAY_MAX ((size_t)LINK_FRAMES_PER_S * 2 * ENV_SKEW_MS / 1000 + 65536)
#define LINK_SLOW_MS 50           /* reading pause once a link used its burst */
#define LINK_HANDSHAKES_MAX 64    /* inbound connections not yet authenticated */

enum drop {
#define DROP_ENUM(r) DROP_##r,
	TN_DROP_REASONS(DROP_ENUM)
#undef DROP_ENUM
	DROP_COUNT
};

/* Remembered envelope ids of one peer, for replay detection. */
struct replay {
	uint8_t (*ids)[TN_ID_LEN];
	uint64_t *ts;             /* 0 marks a free slot */
	size_t cap, n;
	uint64_t full_until;      /* do not rescan a full window before this */
};

struct link;

struct peer {
	struct peer *next;
	struct node *node;
	struct tn_peer rec;
	uint8_t key[CX_KEY_LEN];  /* crypto_box shared key, computed once */
	char fp[CX_FP_LEN];
	struct link *link;        /* the link in use, once HELLO is done */
	struct link *dialing;     /* our outbound attempt, until it is up */
	uv_timer_t retry;
	struct dial *resolving;   /* a name lookup in flight for a dial */
	unsigned attempts;
	uint64_t last_seen_ms;
	uint64_t sent, received;
	uint64_t drops[DROP_COUNT];
	struct replay replay;
	uint8_t (*carried)[TN_MID_LEN]; /* outbox ids sent on the current link */
	uint32_t n_carried, cap_carried;
	unsigned removed : 1;
};

/* Load the pinned peers from the store and start dialing them. */
int peers_start(struct node *n) TN_WUR;
/* Pin a peer (already stored) and dial it. */
int peer_add(struct node *n, const struct tn_peer *rec) TN_WUR;
/* Unpin a peer: close its links and forget it. */
void peer_remove(struct peer *p);
/* Peer by name or by key, or NULL. */
struct peer *peer_by_name(struct node *n, const char *name);
struct peer *peer_by_pk(struct node *n, const uint8_t pk[static CX_PK_LEN]);
/* A link to p went down or a dial failed: try again after a backoff. */
void peer_retry(struct peer *p);
/* Count and log a refusal. */
void peer_drop(struct node *n, struct peer *p, enum drop why, const char *detail);
/* Free every peer (shutdown, after the loop). */
void peers_free(struct node *n);

/* Split "host:port" or "[v6]:port" into the host (no brackets) and port. */
int node_addr_split(const char *text, char host[static CX_ADDR_LEN], int *port) TN_WUR;
/* Parse "host:port" or "[v6]:port" (numeric hosts only). */
int node_addr_parse(const char *text, struct sockaddr_storage *sa) TN_WUR;
/* Non-zero for 0.0.0.0:port and [::]:port, which no peer can dial. */
int node_addr_wildcard(const char *text);
/* The card address for [node] advertise "host" or "host:port" ("[v6]"
 * with brackets), the port taken from port when it names none. */
int node_advertise(const char *adv, int port, char out[static CX_ADDR_LEN]) TN_WUR;
/* The address in this node's card: advertise, else the listening address
 * (TN_ERR_CONFIG when that is a wildcard). */
int node_card_addr(const struct node *n, char out[static CX_ADDR_LEN]) TN_WUR;
/* Format an address as node_addr_parse reads it. */
void node_addr_format(const struct sockaddr_storage *sa, char *out, size_t cap);
/* Accept a peer connection on the listener. */
void link_accept(uv_stream_t *server, int status);
/* Start listening for peers on cfg.listen (the real port is in listen_addr). */
int link_listen(struct node *n) TN_WUR;
/* Open an outbound link to p at sa. */
void link_connect(struct peer *p, const struct sockaddr_storage *sa);
/* Dial p at its address, looking up a host name first. */
void peer_dial(struct peer *p);
/* Abandon p's name lookup, if any (peer removed, node stopping). */
void peer_dial_cancel(struct peer *p);
/* Send one link frame (HELLO, PING, PONG, env) as msgpack. */
int link_send(struct link *l, const struct proto_buf *body) TN_WUR;
/* Close a link. */
void link_close(struct link *l, int reason);
/* State of the peer's link as a word: "up", "connecting", "down". */
const char *link_state(const struct peer *p);

/* Replay window: 0 if id is new (and remembers it), TN_ERR_REPLAY if
 * seen, TN_ERR_LIMIT if the window is full of unexpired ids. */
int replay_check(struct replay *r, const uint8_t id[static TN_ID_LEN], uint64_t ts, uint64_t now) TN_WUR;
/* Free a replay window. */
void replay_free(struct replay *r);

/* Envelope handlers, by message type. */
struct env_handler {
	const char *type;
	int signed_only;      /* messages with legal weight must be signed */
	void (*fn)(struct peer *p, const struct tn_envelope *e, const struct tn_sealed *s);
};

extern const struct env_handler env_ping_table[];
extern const struct env_handler env_outbox_table[];
extern const struct env_handler env_trace_table[];
extern const struct env_handler env_answer_table[];
extern const struct env_handler env_query_table[];

/* A link frame {t: "env", ...} arrived from p: check, open, dispatch. */
void env_receive(struct peer *p, struct proto_msg *m);
/* Seal msg (msgpack bytes) for p as type and send it on p's link. */
int env_send(struct peer *p, const char *type, const struct proto_buf *msg, int sign) TN_WUR;
/* Answer every pending `peer ping` with an error (shutdown). */
void pings_abort(struct node *n);
/* ---- policy ---- */

/* "auto", "review" or "deny" for p's trace requests. */
const char *policy_traces(const struct peer *p);
/* Whether p may ask about lost/stolen guns. */
int policy_stolen_allowed(const struct peer *p);
/* Inside a batch op: count one request of p today; TN_ERR_LIMIT past its
 * daily limit. */
int policy_take(struct store_txn *t, const struct peer *p) TN_WUR;
/* Whether p may see event field ("party", "place", "ref"). */
int policy_discloses(const struct peer *p, const char *field);
/* Fill st with p's state, counters and policy. */
void peer_status(const struct peer *p, struct tn_peer_status *st);

/* ---- outbox ---- */

/* Inside a batch op: queue message m of type for peer, under id mid. */
int outbox_queue(struct store_txn *t, const char *peer, const char *type,
		 const uint8_t mid[TN_MID_LEN], const struct proto_buf *m, int sign) TN_WUR;
/* Send what p's outbox holds that this link has not carried yet. */
void outbox_flush(struct peer *p);
/* p's link came up: send its whole backlog. */
void outbox_link_up(struct peer *p);
/* Acknowledge p's message mid (after our effects are committed). */
int outbox_ack(struct peer *p, const uint8_t mid[TN_MID_LEN]);
/* Inside a batch op: our message mid to peer was delivered. */
int trace_delivered(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN]) TN_WUR;

/* ---- traces ---- */

/* A peer's signed trace request arrived. */
void trace_in_receive(struct peer *p, const struct tn_envelope *e, const struct tn_sealed *s);
/* Our answer to trace in from the records in t (release r's chain). */
int trace_answer(struct store_txn *t, const struct peer *p, const struct tn_trace_in *in,
		 struct tn_trace_result *r) TN_WUR;
/* Inside a batch op: answer trace in, or decline it when declined_why. */
int trace_respond(struct store_txn *t, struct peer *p, struct tn_trace_in *in,
		  const char *declined_why) TN_WUR;
/* What a third party needs to check p's signed message s (tn_receipt). */
int trace_receipt(const struct peer *p, const struct tn_envelope *e, const struct tn_sealed *s,
		  uint8_t **out, uint32_t *n) TN_WUR;
/* Purge expired trace results now and every hour. */
void retention_start(struct node *n);
/* Console: trace.show, audited when it shows a result. */
int trace_show_cmd(struct console_req *r);
/* Console: trace.request. */
int trace_request_cmd(struct console_req *r);
/* Inside a batch op: queue msg (schema s) of type for peer; draws *mid. */
int trace_queue(struct store_txn *t, const char *peer, const char *type,
		const struct proto_schema *s, void *msg, uint8_t *mid, int sign) TN_WUR;

/* Milliseconds since the epoch. */
uint64_t node_now_ms(void);
/* The UTC date days from today, YYYY-MM-DD. */
void node_date_in(char out[TN_DATE_LEN], int days);

/* ---- the node ---- */

struct batch_entry;

struct node {
	uv_loop_t loop;
	char dir[PATH_MAX];
	struct node_config cfg;
	struct store *store;
	struct cx_id *id;
	uv_pipe_t console;
	uv_tcp_t listener;
	char listen_addr[CX_ADDR_LEN];   /* with the port actually bound */
	struct cx_tls_ctx *tls;
	struct peer *peers;
	uint64_t drops[DROP_COUNT];
	struct pending_ping *pings;
	unsigned handshaking;
	struct query *queries;
	uint64_t ping_seq;
	uv_prepare_t commit;
	uv_timer_t purge;
	uv_signal_t sigint, sigterm;
	struct batch_entry *batch;
	struct store_op *ops;
	size_t batch_len, batch_cap;
	uint64_t started_ms;
	uint64_t commits;
	unsigned stopping : 1;
};

/* Create a node directory: config, key pair, empty store. */
int node_init(const char *dir, const char *name, const char *listen) TN_WUR;
/* Run the node in dir until SIGINT or SIGTERM. */
int node_run(const char *dir);

/* ---- console ---- */

/* Listen on dir/console.sock (mode 0600). */
int console_start(struct node *n) TN_WUR;

struct console_req;

struct console_cmd {
	const char *name;
	int (*fn)(struct console_req *r);
};

/* Command tables of each family, NULL-terminated. */
extern const struct console_cmd cmd_status_table[];
extern const struct console_cmd cmd_record_table[];
extern const struct console_cmd cmd_stolen_table[];
extern const struct console_cmd cmd_peer_table[];
extern const struct console_cmd cmd_audit_table[];
extern const struct console_cmd cmd_query_table[];
extern const struct console_cmd cmd_alert_table[];
extern const struct console_cmd cmd_policy_table[];
extern const struct console_cmd cmd_trace_table[];

/* Answer every pending stolen query with what arrived so far (shutdown). */
void queries_abort(struct node *n);

/* The node serving r. */
struct node *console_node(struct console_req *r);
/* Decode the request's fields with schema s; replies with the error. */
int console_args(struct console_req *r, const struct proto_schema *s, void *obj) TN_WUR;
/* Reply {ok: true, data: obj} and finish r. */
void console_ok(struct console_req *r, const struct proto_schema *s, const void *obj);
/* Reply {ok: false, code, error} and finish r; why may be NULL. */
void console_fail(struct console_req *r, int code, const char *why);
/* Keep r alive across a batch: returns r for the done callback. */
struct console_req *console_defer(struct console_req *r);

#endif
