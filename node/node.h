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
	size_t map_size;
	size_t map_max;
	size_t max_frame;
};

/* Defaults for a node called name. */
void node_config_defaults(struct node_config *c, const char *name);
/* Read dir/tracenet.conf over the defaults; why gets the bad line. */
int node_config_load(struct node_config *c, const char *dir, char *why, size_t why_len) TN_WUR;
/* Write dir/tracenet.conf (fails if it exists). */
int node_config_save(const struct node_config *c, const char *dir) TN_WUR;

/* ---- logging (stderr, one line per event) ---- */

/* Log a line at level "info", "warn" or "error". */
void node_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Join dir and name into out (PATH_MAX); TN_ERR_CONFIG if too long. */
int node_path(char *out, const char *dir, const char *name) TN_WUR;

/* ---- connections: framed msgpack over a stream ---- */

struct conn;

struct conn_ops {
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
	struct proto_buf out;       /* queued, not yet handed to libuv */
	struct proto_buf wbuf;      /* the bytes of the write in flight */
	uv_write_t wreq;
	unsigned busy;              /* requests of this conn still in a batch */
	unsigned writing : 1;
	unsigned closing : 1;
	unsigned paused : 1;        /* frames wait until busy drops to 0 */
	int close_reason;
	char peer[32];              /* name used in log lines */
};

/* Allocate a conn for an accepted or connecting stream. */
struct conn *conn_new(struct node *n, const struct conn_ops *ops, size_t max_frame);
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

/* ---- the node ---- */

struct batch_entry;

struct node {
	uv_loop_t loop;
	char dir[PATH_MAX];
	struct node_config cfg;
	struct store *store;
	struct cx_id *id;
	uv_pipe_t console;
	uv_prepare_t commit;
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
