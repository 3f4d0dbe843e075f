/* SPDX-License-Identifier: Apache-2.0 */
/* net: tracenetd's transport. Framed connections (TLS peers and the
 * console share them), pinned peers and their links, dialing, the
 * listener, the end-to-end envelope layer and the console socket. News
 * goes up only through the hooks in struct node. */
#ifndef TN_NET_H
#define TN_NET_H

#include "../node.h"

#define NODE_OUT_MAX ((size_t)64 << 20) /* unsent bytes before a link is cut */
#define CONSOLE_READ_AHEAD ((size_t)1 << 20) /* a console client's input read while busy */

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
	struct proto_buf frame;     /* TLS: frames of this loop pass, not yet encrypted */
	struct conn *next_corked;   /* in node.corked while it has frames to write */
	unsigned corked : 1;
	struct proto_buf out;       /* queued, not yet handed to libuv */
	struct proto_buf wbuf;      /* the bytes of the write in flight */
	uv_write_t wreq;
	unsigned busy;              /* requests of this conn still in a batch */
	size_t read_ahead;          /* bytes read while busy before reading stops */
	unsigned writing : 1;
	unsigned closing : 1;
	unsigned paused : 1;        /* frames wait until busy drops to 0 */
	unsigned tls_up : 1;
	unsigned handle_closed : 1; /* freed once busy drops to 0 */
	unsigned counted : 1;       /* a console client: its memory counts in console_held */
	size_t held;                /* its share of console_held */
	int close_reason;
	char peer[32];              /* name used in log lines */
};

/* Allocate a conn for an accepted or connecting stream. */
struct conn *conn_new(struct node *n, const struct conn_ops *ops, size_t max_frame);
/* Take ownership of a TLS session and start its handshake. */
int conn_tls_start(struct conn *c, struct cx_tls *tls) TN_WUR;
/* Start reading. */
int conn_start(struct conn *c) TN_WUR;
/* Queue one frame with body; it goes out with the others of this loop pass
 * when conns_flush runs. */
int conn_send(struct conn *c, const void *body, size_t len);
/* Write what every connection queued in this loop pass (before the loop
 * sleeps, after the group commit). */
void conns_flush(struct node *n);
/* Close at once, dropping unsent bytes (shutdown). */
void conn_abort(struct conn *c);
/* Close (idempotent); on_close runs once all requests in flight are done. */
void conn_close(struct conn *c, int reason);
/* Hold a conn open across an asynchronous request. */
void conn_hold(struct conn *c);
/* Release it, resuming frames that waited. */
void conn_release(struct conn *c);

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
#define LINK_HANDSHAKES_PER_SOURCE 8 /* of those, from one address (IPv6: /64) */
#define SLOT_SRC_LEN 12

/* Who holds the handshake slots (slots.c). */
struct slots {
	void *owner[LINK_HANDSHAKES_MAX];         /* NULL: free */
	uint8_t src[LINK_HANDSHAKES_MAX][SLOT_SRC_LEN];
	uint64_t since[LINK_HANDSHAKES_MAX];
};

/* Take a slot for owner, a connection from sa: 0, with *evict set to the
 * owner to close when a slot had to be taken from another source;
 * TN_ERR_LIMIT when owner must be refused. */
int slots_take(struct slots *s, void *owner, const struct sockaddr_storage *sa, uint64_t now,
	       void **evict) TN_WUR;
/* Give owner's slot back (idempotent). */
void slots_give(struct slots *s, void *owner);

/* Frames a peer may still send right now (a token bucket). */
struct budget {
	uint32_t tokens;
	uint64_t refill_ms;
};

/* A full bucket as of now_ms (loop time). */
static inline void budget_init(struct budget *b, uint64_t now_ms)
{
	b->tokens = 2 * LINK_FRAMES_PER_S;
	b->refill_ms = now_ms;
}

struct link;
struct dial;

struct peer {
	struct peer *next;
	struct node *node;
	struct tn_peer rec;
	uint8_t *key;             /* crypto_box shared key (locked memory) */
	char fp[CX_FP_LEN];
	struct link *link;        /* the link in use, once HELLO is done */
	struct link *dialing;     /* our outbound attempt, until it is up */
	uv_timer_t retry;
	struct dial *resolving;   /* a name lookup in flight for a dial */
	unsigned attempts;
	uint64_t last_seen_ms;
	uint64_t pinned_ms;       /* when this process pinned it (start or peer add) */
	int64_t not_before;       /* pinned_ms on the peer's clock, from its HELLO */
	uint64_t sent, received;
	uint64_t drops[DROP_COUNT];
	struct node_ratelog drop_log[DROP_COUNT];
	struct cx_replay replay;  /* envelope ids of the last 2 x ENV_SKEW_MS */
	struct budget budget;     /* frames it may send, whichever link it uses */
	uint64_t blind_sent_ms;   /* when it last asked for our blind set whole */
	uint8_t (*carried)[TN_MID_LEN]; /* set of outbox ids sent on the current link */
	uint32_t n_carried, cap_carried;
	unsigned removed : 1;
	unsigned takes_asks : 1;  /* its HELLO announced stolen_queries */
};

/* Peer by name or by key (its pinned key or the next key it announced),
 * or NULL. */
struct peer *peer_by_name(struct node *n, const char *name);
struct peer *peer_by_pk(struct node *n, const uint8_t pk[static CX_PK_LEN]);
/* Whether p announced a next key not yet in use. */
int peer_has_next(const struct peer *p);
/* p linked with its next key: make it p's key (shared key, fingerprint),
 * then tell the services (hooks.peer_rekeyed) to store and audit it. */
int peer_promote(struct peer *p) TN_WUR;
/* Our key becomes id (the node owns it from now on): a new TLS context,
 * every peer's shared key again, and every link closed so that it comes
 * back authenticated by id. The old identity is freed. */
int link_rekey(struct node *n, struct cx_id *id) TN_WUR;
/* TLS verify: accept only keys of pinned peers (listen.c). */
int link_pin(void *arg, const uint8_t pk[CX_PK_LEN]);
/* Count and log a refusal (p NULL: an unauthenticated source). */
void peer_drop(struct node *n, struct peer *p, enum drop why, const char *detail);
/* Log the summaries of rate-limited drop lines every minute. */
void peer_drops_start(struct node *n);
/* Free a peer's memory (after its handles are closed). */
void peer_free(struct peer *p);
/* Free every peer (shutdown, after the loop). */
void peers_free(struct node *n);

/* Load the pinned peers from the store and start dialing them. */
int peers_start(struct node *n) TN_WUR;
/* Pin a peer (already stored) and dial it. */
int peer_add(struct node *n, const struct tn_peer *rec) TN_WUR;
/* Unpin a peer: close its links and forget it. */
void peer_remove(struct peer *p);
/* A link to p went down or a dial failed: try again after a backoff. */
void peer_retry(struct peer *p);
/* Dial p at its address, looking up a host name first. */
void peer_dial(struct peer *p);
/* Abandon p's name lookup, if any (peer removed, node stopping). */
void peer_dial_cancel(struct peer *p);

/* A peer connection accepted on the listener, as its descriptor. */
void link_accept(struct node *n, int fd);
/* Start listening for peers on cfg.listen (the real port is in listen_addr). */
int link_listen(struct node *n) TN_WUR;
/* Open an outbound link to p at sa (its failures end in hooks.link_down). */
int link_connect(struct peer *p, const struct sockaddr_storage *sa) TN_WUR;
/* Send one link frame (HELLO, PING, PONG, env) as msgpack. */
int link_send(struct link *l, const struct proto_buf *body) TN_WUR;
/* Close a link. */
void link_close(struct link *l, int reason);
/* Close a link whose peer is being removed (and freed). */
void link_abandon(struct link *l);
/* State of the peer's link as a word: "up", "connecting", "down". */
const char *link_state(const struct peer *p);

/* ---- end-to-end envelopes ---- */

/* A link frame {t: "env", ...} arrived from p: check, open, decode by the
 * registry, enforce its signing rule, and hand it to hooks.on_msg. */
void env_receive(struct peer *p, struct proto_msg *m);
/* Encode msg of type t, sign it as the registry says, seal and send. */
int env_send(struct peer *p, enum wire_type t, const void *msg) TN_WUR;
/* Seal already encoded bytes m of type t for p and send them. */
int env_send_raw(struct peer *p, enum wire_type t, const struct proto_buf *m, int sign) TN_WUR;
/* Move the decoded message into dst (a struct of its type), which the
 * caller releases later. */
void env_take(struct env_msg *m, void *dst);
/* What a third party needs to check p's signed message (tn_receipt). */
int env_receipt(const struct peer *p, const struct env_msg *m, uint8_t **out, uint32_t *n) TN_WUR;

/* ---- the console socket ---- */

/* Listen on dir/console.sock (mode 0600); each request goes to
 * hooks.console, which replies or defers. */
int console_start(struct node *n) TN_WUR;
/* Give the socket to the [console] group now in cfg, or back to the node's
 * user alone (0600) when it names none (a reload). */
int console_regroup(struct node *n) TN_WUR;
/* The node serving r. */
struct node *console_node(struct console_req *r);
/* Reply {ok: true, data: obj} (s NULL: no data) and finish r. */
void console_ok(struct console_req *r, const struct proto_schema *s, const void *obj);
/* Reply {ok: false, code, error} and finish r; why may be NULL. */
void console_fail(struct console_req *r, int code, const char *why);
/* Keep r alive across an asynchronous step: returns r for the callback. */
struct console_req *console_defer(struct console_req *r);
/* Zeroed memory that r owns: when r finishes it is released with s (unless
 * NULL) and freed. NULL when out of memory. */
void *console_alloc(struct console_req *r, const struct proto_schema *s, size_t size);
/* The request's body (given to hooks.console) in memory r owns until it
 * finishes: the connection's input buffer itself when the body ends it,
 * else a copy. NULL when out of memory. Only during hooks.console. */
const uint8_t *console_keep(struct console_req *r, const uint8_t *body, size_t len);
/* Record which registry command r runs (the dispatcher does). */
void console_set_cmd(struct console_req *r, enum tn_cmd cmd);
/* The registry command r runs. */
enum tn_cmd console_cmd(const struct console_req *r);
/* Who sent r: its caller's uid, user name and roles; a handler adds the
 * officer, ordering official and case of a search. */
struct node_actor *console_actor(struct console_req *r);

/* ---- accepting (accept.c) ---- */

/* A connection accepted on a listening socket, as its descriptor. */
typedef void (*accept_fn)(struct node *n, int fd);
/* Listen on server's socket (bound) and hand each connection to fn; out
 * of descriptors, each waiting connection is accepted with the reserve,
 * sent refusal (if not NULL) and closed, and that logged once a minute.
 * *out is to be given to accept_stop, even on failure. */
int accept_start(struct acceptor **out, struct node *n, uv_stream_t *server, int backlog,
		 accept_fn fn, const char *what, const struct proto_buf *refusal) TN_WUR;
/* Stop accepting (before server's handle closes) and free a. */
void accept_stop(struct acceptor *a);

/* ---- the metrics listener (metrics_http.c) ---- */

/* Serve hooks.metrics over HTTP on [metrics] listen, if set (the bound
 * address in n->metrics_addr); a non-loopback address is refused unless
 * [metrics] allow_remote says yes. */
int metrics_http_start(struct node *n) TN_WUR;
/* Close the listener and its connections. */
void metrics_http_stop(struct node *n);

/* ---- the console's callers (caller.c) ---- */

/* Resolve the groups tracenet.conf [roles] names (at start). */
int caller_roles_load(struct node *n) TN_WUR;
/* The caller at the other end of console socket fd: uid, name, roles. */
int caller_read(struct node *n, int fd, struct node_actor *who) TN_WUR;

#endif
