/* SPDX-License-Identifier: Apache-2.0 */
/* The operator console: a Unix socket in the node directory (mode 0600, or
 * 0660 for the [console] group) speaking framed msgpack requests, each
 * handed to hooks.console with the caller who sent it, the replies to
 * them, and the memory each request owns until its reply. */
#include <errno.h>
#include <grp.h>
#include <stddef.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net.h"

/* Memory a request owns until it finishes. */
struct owned {
	struct owned *next;
	const struct proto_schema *s;
	max_align_t obj[];
};

struct console_req {
	struct node *node;
	struct conn *conn;
	struct owned *owned;
	enum tn_cmd cmd;
	struct node_actor actor;  /* the caller, and whom it searches for */
	unsigned deferred : 1;
	unsigned large : 1;      /* its frame was at least CONSOLE_TRIM_AT bytes */
	uint8_t *kept;           /* the input buffer holding its body (console_keep) */
};

/* After a request this large (an import batch), the heap it used is given
 * back to the system rather than kept as free fragments. */
#define CONSOLE_TRIM_AT (1u << 20)

struct node *console_node(struct console_req *r)
{
	return r->node;
}

void *console_alloc(struct console_req *r, const struct proto_schema *s, size_t size)
{
	struct owned *o = calloc(1, sizeof(*o) + size);

	if (!o)
		return NULL;
	o->s = s;
	o->next = r->owned;
	r->owned = o;
	return o->obj;
}

const uint8_t *console_keep(struct console_req *r, const uint8_t *body, size_t len)
{
	uint8_t *copy;

	if (!r->kept && (r->kept = proto_framer_take(&r->conn->in, body)))
		return body;
	if (!(copy = console_alloc(r, NULL, len)))
		return NULL;
	memcpy(copy, body, len);
	return copy;
}

void console_set_cmd(struct console_req *r, enum tn_cmd cmd)
{
	r->cmd = cmd;
}

enum tn_cmd console_cmd(const struct console_req *r)
{
	return r->cmd;
}

struct node_actor *console_actor(struct console_req *r)
{
	return &r->actor;
}

/* Send a reply body built by the caller and finish the request. */
static void finish(struct console_req *r, struct proto_buf *body)
{
	struct owned *o;

	if (body->len && !r->conn->closing)
		conn_send(r->conn, body->data, body->len);
	proto_buf_free(body);
	if (r->deferred)
		conn_release(r->conn);
	while ((o = r->owned)) {
		r->owned = o->next;
		if (o->s)
			proto_release(o->s, o->obj);
		free(o);
	}
	free(r->kept);
	if (r->large)
		malloc_trim(0);
	free(r);
}

void console_ok(struct console_req *r, const struct proto_schema *s, const void *obj)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	int rc = !w;

	if (w) {
		rc = proto_w_map(w, s ? 2 : 1) || proto_w_str(w, "ok") || proto_w_bool(w, 1);
		if (!rc && s)
			rc = proto_w_str(w, "data") || proto_w_obj(w, s, obj);
		proto_writer_free(w);
	}
	if (rc) {
		proto_buf_free(&b);
		console_fail(r, TN_ERR_NOMEM, NULL);
		return;
	}
	finish(r, &b);
}

void console_fail(struct console_req *r, int code, const char *why)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	char text[TN_TEXT_LEN + 64];

	if (why && *why)
		proto_strcpy(text, sizeof(text), why);
	else
		proto_strcpy(text, sizeof(text), tn_strerror(code));
	if (w && (proto_w_map(w, 3) || proto_w_str(w, "ok") || proto_w_bool(w, 0) ||
		  proto_w_str(w, "code") || proto_w_i64(w, code) ||
		  proto_w_str(w, "error") || proto_w_str(w, text)))
		b.len = 0;
	proto_writer_free(w);
	finish(r, &b);
}

struct console_req *console_defer(struct console_req *r)
{
	r->deferred = 1;
	conn_hold(r->conn);
	return r;
}

static int on_frame(struct conn *c, const uint8_t *body, size_t len)
{
	struct console_req *r = calloc(1, sizeof(*r));

	if (!r)
		return TN_ERR_NOMEM;
	r->node = c->node;
	r->conn = c;
	r->cmd = CMD_COUNT;
	r->large = len >= CONSOLE_TRIM_AT;
	r->actor = *(const struct node_actor *)c->data;
	r->node->hooks.console(r, body, len);
	return 0;
}

static void on_close(struct conn *c, int reason)
{
	(void)reason;
	c->node->console_clients--;
	free(c->data);
	c->data = NULL;
}

static const struct conn_ops console_ops = {
	.on_frame = on_frame,
	.on_close = on_close,
};

static void on_connection(struct node *n, int fd)
{
	struct conn *c;

	if (!(c = conn_new(n, &console_ops, PROTO_CONSOLE_FRAME_MAX))) {
		close(fd);
		return;
	}
	c->read_ahead = CONSOLE_READ_AHEAD;
	proto_strcpy(c->peer, sizeof(c->peer), "console");
	uv_pipe_init(&n->loop, &c->h.pipe, 0);
	c->counted = 1;
	n->console_clients++;
	if (uv_pipe_open(&c->h.pipe, fd)) {
		close(fd);
		conn_close(c, TN_ERR_IO);
		return;
	}
	if (!(c->data = malloc(sizeof(struct node_actor))) || caller_read(n, fd, c->data) ||
	    conn_start(c))
		conn_close(c, TN_ERR_IO);
}

/* Give the [console] group the socket (0660) and a way to it: search
 * (not read) permission on the node directory. */
static int share(struct node *n, const char *path)
{
	const char *name = n->cfg.console_group;
	char buf[4096];
	struct group g, *found;
	struct stat st;

	if (!name[0])
		return 0;
	if (getgrnam_r(name, &g, buf, sizeof(buf), &found) || !found) {
		node_log("error", "group %s, named by [console] group in %s, does not exist "
			 "(create it with groupadd, or remove the line)", name, NODE_CONF);
		return TN_ERR_CONFIG;
	}
	if (chown(path, (uid_t)-1, g.gr_gid) || chmod(path, 0660) || stat(n->dir, &st) ||
	    (st.st_gid != g.gr_gid && chown(n->dir, (uid_t)-1, g.gr_gid)) ||
	    chmod(n->dir, (st.st_mode & 07777 & ~(mode_t)0070) | 0010)) {
		node_log("error", "cannot give the console to group %s: %s (the node's user must "
			 "be a member of it: usermod -aG %s USER)", name, strerror(errno), name);
		return TN_ERR_CONFIG;
	}
	return 0;
}

/* The frame a client gets when the node has no descriptor left for it. */
static int refusal(struct proto_buf *b)
{
	struct proto_buf body = { 0 };
	struct proto_writer *w = proto_writer_new(&body);
	int rc = !w || proto_w_map(w, 3) || proto_w_str(w, "ok") || proto_w_bool(w, 0) ||
		 proto_w_str(w, "code") || proto_w_i64(w, TN_ERR_LIMIT) ||
		 proto_w_str(w, "error") ||
		 proto_w_str(w, "the node is out of file descriptors: try again later");

	proto_writer_free(w);
	if (!rc)
		rc = proto_frame_write(b, body.data, body.len);
	proto_buf_free(&body);
	return rc;
}

int console_start(struct node *n)
{
	struct proto_buf no_fds = { 0 };
	char path[PATH_MAX];
	mode_t old;
	int rc;

	if (node_path(path, n->dir, NODE_SOCK) || strlen(path) >= 100) {
		node_log("error", "console socket path too long: %s", path);
		return TN_ERR_CONFIG;
	}
	unlink(path);
	old = umask(0177);
	rc = uv_pipe_bind(&n->console, path);
	umask(old);
	if (!rc)
		rc = refusal(&no_fds) ? UV_ENOMEM :
		     accept_start(&n->accepting[0], n, (uv_stream_t *)&n->console, 64, on_connection,
				  "console", &no_fds) ? UV_EIO : 0;
	proto_buf_free(&no_fds);
	if (rc) {
		node_log("error", "console %s: %s", path, uv_strerror(rc));
		return TN_ERR_IO;
	}
	return share(n, path) ? TN_ERR_CONFIG : caller_roles_load(n);
}

int console_regroup(struct node *n)
{
	char path[PATH_MAX];
	struct stat st;

	if (node_path(path, n->dir, NODE_SOCK))
		return TN_ERR_CONFIG;
	if (n->cfg.console_group[0])
		return share(n, path);
	if (chmod(path, 0600) || stat(n->dir, &st) || chmod(n->dir, st.st_mode & 07707)) {
		node_log("error", "cannot take the console back from its group: %s",
			 strerror(errno));
		return TN_ERR_IO;
	}
	return 0;
}
