/* SPDX-License-Identifier: Apache-2.0 */
/* node: the core of tracenetd, one libuv loop that owns the console
 * socket, the peer links and the group commit of every store write.
 * This header holds what every area of the daemon shares: configuration,
 * logging, the clock, group commit and the node itself. Transport lives
 * behind net/net.h, services behind svc/svc.h, console commands behind
 * cmd/cmd.h; each area sees only the headers of the areas below it. */
#ifndef TN_NODE_H
#define TN_NODE_H

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <uv.h>

#include "../crypto/cx.h"
#include "../proto/proto.h"
#include "../store/store.h"
#include "version.h"
#define NODE_CONF "tracenet.conf"
#define NODE_SOCK "console.sock"
#define NODE_AUDIT_KEEP_DEFAULT_MS (730 * 86400000ull) /* two years */
#define NODE_CHECKPOINT_DEFAULT_MS (10 * 60000ull)      /* ten minutes */
#define NODE_CONSOLE_MEM_DEFAULT ((size_t)256 << 20)    /* all console clients */

struct node;

#include "config.h"

/* ---- addresses ---- */

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

/* ---- logging, time, paths ---- */

/* Log a line at level "info", "warn" or "error". */
void node_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Send log lines where c's [log] section says, from now on. */
void node_log_setup(const struct node_config *c);
/* Tell the service manager (NOTIFY_SOCKET) "KEY=value" lines; 0 when
 * there is none to tell. */
int node_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The monotonic clock in microseconds (as the service manager reads it). */
uint64_t node_monotonic_us(void);

#define NODE_LOG_BURST 10          /* lines of one kind in a window ... */
#define NODE_LOG_WINDOW_MS 60000   /* ... then one summary of the rest */

/* Rate limit of one kind of log line (a drop reason from one source). */
struct node_ratelog {
	uint64_t since;      /* start of the window, ms */
	uint32_t lines;      /* logged in it */
	uint64_t suppressed; /* not logged in it */
};

/* Whether to log one more line of this kind at now; counts it if not. */
int node_ratelog_allow(struct node_ratelog *r, uint64_t now);
/* The count of lines suppressed in a window that is over (to log as a
 * summary), starting a new window; 0 when there is nothing to say. */
uint64_t node_ratelog_due(struct node_ratelog *r, uint64_t now);
/* Milliseconds since the epoch. */
uint64_t node_now_ms(void);
/* The UTC date days from today, YYYY-MM-DD. */
void node_date_in(char out[TN_DATE_LEN], int days);
/* Join dir and name into out (PATH_MAX); TN_ERR_CONFIG if too long. */
int node_path(char *out, const char *dir, const char *name) TN_WUR;
/* For a write that failed with rc (disk full, I/O error, map full): the
 * one line that says so, how much the disk has free and what to do;
 * 1 when it is one of those, else 0 and why untouched. */
int node_disk_why(const struct node *n, int rc, char *why, size_t len);
/* Append a deep copy of obj to the array *items (n used, cap allocated),
 * growing it; TN_ERR_LIMIT past TN_BATCH_MAX items. */
int node_collect(void **items, uint32_t *n, uint32_t *cap, const struct proto_schema *s,
		 const void *obj) TN_WUR;

/* ---- who acts ---- */

/* On whose behalf the node acts: a console caller (from the socket's
 * credentials) and, for a search, the officer, the ordering official and
 * the case. Every audit entry the act causes names them. */
struct node_actor {
	uint32_t uid;
	unsigned roles;                 /* ROLE_* */
	char user[TN_USER_LEN];
	char officer[TN_REF_LEN];
	char ordered_by[TN_REF_LEN];
	char case_ref[TN_REF_LEN];
};

/* ---- group commit ---- */

typedef void (*batch_done_fn)(void *arg, int rc);

/* Queue a store write. fn runs inside the loop pass's single transaction;
 * done(arg, rc) runs after the commit, with the op's rc or the commit's
 * error. Nothing may be acknowledged before done. The op acts for
 * n->actor (the console request being handled, if any). */
void batch_add(struct node *n, store_op_fn fn, batch_done_fn done, void *arg);
/* batch_add for a given actor (NULL: the node itself), copied. */
void batch_add_as(struct node *n, const struct node_actor *who, store_op_fn fn,
		  batch_done_fn done, void *arg);
/* The actor of the op running now (NULL: the node itself). */
const struct node_actor *batch_actor(void);
/* Make who the actor of what the running op does next; returns the one
 * it replaces, to be put back. */
const struct node_actor *batch_act_as(const struct node_actor *who);
/* A write nobody waits for (an acknowledgement retired, the record of a
 * query that already left): it commits with the next commit, or after
 * BATCH_LATER_MS at most, so it never adds a commit of its own on a
 * request's path. Acts for n->actor. */
void batch_add_later(struct node *n, store_op_fn fn, batch_done_fn done, void *arg);
#define BATCH_LATER_MS 1000
/* Commit everything queued if anything waits for it (the uv_prepare
 * callback calls this); batch_flush_all commits the later writes too. */
void batch_flush(struct node *n);
void batch_flush_all(struct node *n);
void batch_start(struct node *n);

/* ---- what the node counts, for `metrics` ---- */

#define NODE_COMMIT_BUCKETS 12
/* The upper bounds of the commit latency buckets, in microseconds. */
extern const uint32_t node_commit_le_us[NODE_COMMIT_BUCKETS];

struct node_counts {
	uint64_t queries_sent;       /* stolen queries sent, one per peer asked */
	uint64_t queries_answered;   /* peers' stolen queries answered */
	uint64_t query_envelopes;    /* the envelopes they came in */
	uint64_t blind_evals;        /* peers' blind queries evaluated */
	uint64_t traces_sent;        /* our trace requests queued */
	uint64_t traces_received;    /* peers' trace requests stored */
	uint64_t traces_answered;    /* results (answers or refusals) queued to peers */
	uint64_t commits_failed;
	uint64_t commit_us_sum;      /* time spent committing, microseconds */
	uint64_t commit_le[NODE_COMMIT_BUCKETS + 1]; /* commits per bucket; last: slower */
	uint64_t console_refused;    /* console clients closed at the memory cap */
	uint64_t fd_exhausted;       /* connections refused for want of a descriptor */
};

/* ---- the node ---- */

enum drop {
#define DROP_ENUM(r) DROP_##r,
	TN_DROP_REASONS(DROP_ENUM)
#undef DROP_ENUM
	DROP_COUNT
};

struct peer;
struct proto_msg;
struct tn_envelope;
struct tn_sealed;
struct store_txn;
struct console_req;

/* A message of a registered type that passed every check of the envelope
 * layer; msg is its decoded struct, which a handler may keep (setting
 * msg to NULL) or leave to be released after it returns. */
struct env_msg {
	enum wire_type type;
	const struct tn_envelope *e;
	const struct tn_sealed *s;
	void *msg;
};

typedef void (*env_handler_fn)(struct peer *p, struct env_msg *m);

/* News that climbs from the transport to the services, which register
 * these when the node starts: lower layers never call upward by name. */
struct node_hooks {
	void (*link_up)(struct peer *p);        /* HELLO done both ways */
	void (*link_down)(struct peer *p);      /* the peer has no link left */
	void (*link_env)(struct peer *p, struct proto_msg *m); /* an "env" frame */
	/* Inside a batch op: our outbox message mid to peer was delivered. */
	int (*delivered)(struct store_txn *t, const char *peer, const uint8_t mid[TN_MID_LEN]);
	/* A peer linked with the next key it announced, now its key. */
	void (*peer_rekeyed)(struct peer *p, const uint8_t old_pk[CX_PK_LEN]);
	env_handler_fn on_msg[WIRE_COUNT];      /* by message type */
	/* A console request: its frame's body, valid during the call. */
	void (*console)(struct console_req *r, const uint8_t *body, size_t len);
	/* Append the metrics text (Prometheus text format 0.0.4) to out. */
	int (*metrics)(struct node *n, struct proto_buf *out);
};

struct batch_entry;
struct pending;
struct ride;
struct rotation;
struct metrics_http;
struct acceptor;

struct node {
	uv_loop_t loop;
	char dir[PATH_MAX];
	struct node_config cfg;
	struct store *store;
	struct cx_id *id;
	struct node_hooks hooks;
	uv_pipe_t console;
	uv_tcp_t listener;
	char listen_addr[CX_ADDR_LEN];   /* with the port actually bound */
	struct cx_tls_ctx *tls;
	struct peer *peers;
	uint64_t drops[DROP_COUNT];
	struct node_ratelog drop_log[DROP_COUNT];  /* drops from unknown sources */
	uv_timer_t drop_summary;
	struct slots *slots;             /* inbound connections in their handshake */
	struct conn *corked;             /* connections with frames to write */
	struct pending **pending;        /* requests waiting for a peer's answer, */
	uint32_t pending_cap, n_pending; /* hashed by kind and key */
	struct ride *rides;              /* envelopes the pass's queries share */
	uint64_t ping_seq;
	uint64_t trace_last;             /* the last trace id handed out */
	uv_prepare_t commit;
	uv_timer_t purge;
	uv_timer_t resend;               /* unacknowledged outbox messages */
	uv_timer_t checkpoint;           /* the next audit checkpoint */
	uv_signal_t sigint, sigterm;
	uv_signal_t sighup;              /* re-read tracenet.conf (reload.c) */
	struct batch_entry *batch;
	struct store_op *ops;
	size_t batch_len, batch_cap;
	size_t batch_waited;             /* entries someone waits for */
	uv_timer_t later;                /* commits the later writes alone */
	uint64_t started_ms;
	uint64_t commits;
	struct node_counts counts;
	size_t console_held;             /* bytes all console clients hold (conn.c) */
	uint32_t console_clients;
	struct acceptor *accepting[2];   /* the console's and the peer listener's */
	int fd_reserve;                  /* spent to refuse a connection when out of fds */
	uint64_t fd_logged_ms;           /* when that was last logged */
	struct metrics_http *metrics;    /* the HTTP listener, if configured */
	char metrics_addr[CX_ADDR_LEN];  /* with the port actually bound */
	const struct node_actor *actor;  /* the console request being handled */
	struct blind_key *blind;         /* our OPRF key for blind checks (svc/blind.c) */
	uint64_t overdue, overdue_ms;    /* overdue traces, as counted at overdue_ms */
	struct rotation *rotation;       /* our key rotation in progress (svc/rotate.c) */
	gid_t role_gid[ROLE_COUNT];      /* the group granting each role ... */
	unsigned roles_granted;          /* ... for the roles that have one */
	unsigned stopping : 1;
	unsigned store_broken : 1;   /* a commit could not be made durable: stopping */
};

/* What `tracenetd init` was given (NULL: the default). */
struct node_init_opts {
	const char *name;        /* ISO alpha-3 */
	const char *listen;      /* IP:PORT */
	const char *advertise;   /* HOST[:PORT] for the card */
};

/* ---- backups (backup.c) ---- */

#define NODE_BACKUP_MANIFEST "MANIFEST"  /* in a backup: what it holds */
#define NODE_RESTORED "RESTORED"         /* in a restored node: the manifest, until audited */

/* Copy src to dst (created, never overwritten, with mode; synced). */
int node_copy_file(const char *src, const char *dst, mode_t mode) TN_WUR;
/* The same for from_dir/from to to_dir/to, mode 0600. */
int node_copy_into(const char *from_dir, const char *from, const char *to_dir,
		   const char *to) TN_WUR;
/* Write dir/MANIFEST for a backup of node name taken at ms. */
int node_backup_manifest(const char *dir, const char *name, uint64_t ms, int with_key) TN_WUR;
/* `tracenetd restore BACKUP DIR [--key FILE]`: a new node directory from
 * a backup; the errors go to stderr, one line each. */
int node_restore(const char *backup, const char *dir, const char *key) TN_WUR;

/* Create a node directory: config, key pair, empty store. The options are
 * checked as `run` will read them before anything is created. */
int node_init(const char *dir, const struct node_init_opts *o) TN_WUR;
/* Run the node in dir until SIGINT or SIGTERM. */
int node_run(const char *dir);
/* Re-read tracenet.conf and apply what can change while running (SIGHUP);
 * a bad file leaves the running configuration as it was. */
int node_reload(struct node *n);


#endif
