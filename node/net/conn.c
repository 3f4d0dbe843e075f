/* SPDX-License-Identifier: Apache-2.0 */
/* Framed connections over libuv streams: reads are cut into frames for
 * the owner's on_frame; writes are coalesced into one uv_write at a time.
 * A connection with a request in a batch stops reading until the reply
 * is out, so replies keep request order and a fast sender is held back. */
#include <stdlib.h>
#include <string.h>

#include "net.h"

static char space[64 * 1024];

/* Reads go to one static buffer, then into the framer; but the rest of a
 * large frame on a plain stream (an import batch on the console) is read
 * straight into the framer, so that its bytes are copied once. */
static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct conn *c = h->data;
	uint8_t *p;
	size_t n;

	(void)hint;
	if (!c->tls && !proto_framer_room(&c->in, sizeof(space), &p, &n)) {
		*buf = uv_buf_init((char *)p, n > UINT32_MAX ? UINT32_MAX : (unsigned)n);
		return;
	}
	*buf = uv_buf_init(space, sizeof(space));
}

static void uncork(struct conn *c);

/* Keep a console client's share of console_held: its unsent replies and
 * the input it sent that is not handled yet. Non-zero when c grew and
 * all clients together now hold more than [console] memory_max. */
static int account(struct conn *c)
{
	struct node *n = c->node;
	size_t now;
	int grew;

	if (!c->counted)
		return 0;
	now = c->handle_closed ? 0 : c->out.len + c->wbuf.len + c->in.in.len - c->in.off;
	n->console_held = n->console_held - c->held + now;
	grew = now > c->held;
	c->held = now;
	return grew && n->console_held > n->cfg.console_mem_max;
}

/* Close the client whose growth took the total over the cap. */
static void over_cap(struct conn *c)
{
	struct node *n = c->node;

	node_log("warn", "%s: console clients hold %zu KiB of unsent replies and partial requests, "
		 "over [console] memory_max (%zu KiB): closing the client holding %zu KiB that "
		 "went over", n->cfg.name, n->console_held >> 10, n->cfg.console_mem_max >> 10,
		 c->held >> 10);
	n->counts.console_refused++;
	c->close_reason = TN_ERR_LIMIT;
	conn_abort(c);
}

static void conn_free(struct conn *c)
{
	c->handle_closed = 1;
	(void)account(c);
	uncork(c);
	proto_framer_free(&c->in);
	cx_tls_free(c->tls);
	proto_buf_free(&c->frame);
	proto_buf_free(&c->out);
	proto_buf_free(&c->wbuf);
	free(c);
}

/* The handle is gone; the conn itself stays while requests hold it. */
static void on_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (c->ops->on_close)
		c->ops->on_close(c, c->close_reason);
	c->handle_closed = 1;
	if (!c->busy)
		conn_free(c);
}

/* Close the handle once nothing is in flight. */
static void maybe_finish(struct conn *c)
{
	if (!c->closing || c->busy || c->writing || uv_is_closing(&c->h.handle))
		return;
	uv_close(&c->h.handle, on_handle_closed);
}

static void kick_write(struct conn *c);

static void on_written(uv_write_t *req, int status)
{
	struct conn *c = req->data;

	c->writing = 0;
	c->wbuf.len = 0;
	(void)account(c);
	if (status < 0) {
		if (!c->closing)
			node_log("warn", "%s: write failed: %s", c->peer, uv_strerror(status));
		c->out.len = 0;
		conn_close(c, TN_ERR_IO);
	}
	kick_write(c);
	maybe_finish(c);
}

static void kick_write(struct conn *c)
{
	struct proto_buf t;
	uv_buf_t b;
	int rc;

	if (c->writing || !c->out.len || uv_is_closing(&c->h.handle))
		return;
	/* Most writes go out whole at once: then there is no request to
	 * complete, and no epoll_ctl that libuv makes after each one. */
	b = uv_buf_init((char *)c->out.data, (unsigned)c->out.len);
	rc = uv_try_write(&c->h.stream, &b, 1);
	if (rc == (int)c->out.len) {
		c->out.len = 0;
		(void)account(c);
		return;
	}
	if (rc > 0)
		proto_buf_consume(&c->out, (size_t)rc);
	t = c->wbuf;
	c->wbuf = c->out;
	c->out = t;
	b = uv_buf_init((char *)c->wbuf.data, (unsigned)c->wbuf.len);
	c->wreq.data = c;
	rc = uv_write(&c->wreq, &c->h.stream, &b, 1, on_written);
	if (rc) {
		c->wbuf.len = 0;
		conn_close(c, TN_ERR_IO);
		return;
	}
	c->writing = 1;
}

/* Encrypt the frames queued in this loop pass as one TLS record, then
 * write: one write per connection per pass. */
static int seal_corked(struct conn *c)
{
	int rc = 0;

	if (c->tls && c->frame.len && c->tls_up) {
		rc = cx_tls_write(c->tls, c->frame.data, c->frame.len);
		if (!rc)
			rc = cx_tls_drain(c->tls, &c->out);
	}
	c->frame.len = 0;
	return rc;
}

static int cork_out(struct conn *c)
{
	int rc = seal_corked(c);

	if (rc)
		conn_close(c, rc);
	else
		kick_write(c);
	return rc;
}

void conns_flush(struct node *n)
{
	struct conn *c;

	while ((c = n->corked)) {
		n->corked = c->next_corked;
		c->corked = 0;
		(void)cork_out(c);
	}
}

static void uncork(struct conn *c)
{
	struct conn **pp = &c->node->corked;

	if (!c->corked)
		return;
	while (*pp != c)
		pp = &(*pp)->next_corked;
	*pp = c->next_corked;
	c->corked = 0;
}

int conn_send(struct conn *c, const void *body, size_t len)
{
	int rc;

	if (c->closing && uv_is_closing(&c->h.handle))
		return TN_ERR_CLOSED;
	if (c->out.len + c->wbuf.len + c->frame.len + len > NODE_OUT_MAX) {
		node_log("warn", "%s: does not read what it is sent, dropping the connection",
			 c->peer);
		c->close_reason = TN_ERR_LIMIT;
		conn_abort(c);
		return TN_ERR_LIMIT;
	}
	/* Before TLS is up, nothing can be corked (the handshake writes). */
	if ((rc = proto_frame_write(c->tls ? &c->frame : &c->out, body, len)))
		return rc;
	if (account(c)) {
		over_cap(c);
		return TN_ERR_LIMIT;
	}
	if (!c->corked) {
		c->corked = 1;
		c->next_corked = c->node->corked;
		c->node->corked = c;
	}
	return 0;
}

/* Hand complete frames to the owner until one of them has to wait. */
static void drain_frames(struct conn *c)
{
	const uint8_t *body;
	size_t len;
	int rc;

	while (!c->closing && !c->busy) {
		rc = proto_framer_next(&c->in, &body, &len);
		if (rc == 0)
			return;
		if (rc < 0)
			node_log("warn", "%s: %s, closing", c->peer, tn_strerror(rc));
		else
			rc = c->ops->on_frame(c, body, len);
		if (rc < 0) {
			conn_close(c, rc);
			return;
		}
	}
	/* While a request is in flight, frames wait in order; reading goes on
	 * until read_ahead bytes wait (no epoll_ctl pair per request when the
	 * client waits for its answer, as most do). */
	if (c->busy && !c->paused && c->in.in.len - c->in.off >= c->read_ahead) {
		c->paused = 1;
		uv_read_stop(&c->h.stream);
	}
}

/* Advance the handshake; 1 once it is done. */
static int tls_handshake(struct conn *c)
{
	int rc = cx_tls_handshake(c->tls);
	int drc = cx_tls_drain(c->tls, &c->out);

	kick_write(c);
	if (rc < 0 || drc < 0)
		return rc < 0 ? rc : drc;
	if (rc == 0)
		return 0;
	c->tls_up = 1;
	if (c->ops->on_ready && (rc = c->ops->on_ready(c)) < 0)
		return rc;
	return 1;
}

/* Decrypt what arrived into the framer. */
static int tls_input(struct conn *c, const void *data, size_t n)
{
	static uint8_t plain[64 * 1024];
	int rc;

	if ((rc = cx_tls_feed(c->tls, data, n)))
		return rc;
	if (!c->tls_up && (rc = tls_handshake(c)) <= 0)
		return rc;
	while ((rc = cx_tls_read(c->tls, plain, sizeof(plain))) > 0)
		if ((rc = proto_framer_feed(&c->in, plain, (size_t)rc)))
			return rc;
	/* Session tickets or alerts may want a reply. */
	if (cx_tls_drain(c->tls, &c->out) == 0)
		kick_write(c);
	return rc;
}

int conn_tls_start(struct conn *c, struct cx_tls *tls)
{
	c->tls = tls;
	return tls_handshake(c) < 0 ? TN_ERR_TLS : 0;
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct conn *c = s->data;
	int rc;

	if (n == UV_EOF) {
		conn_close(c, TN_ERR_CLOSED);
		return;
	}
	if (n < 0) {
		node_log("warn", "%s: read failed: %s", c->peer, uv_strerror((int)n));
		conn_close(c, TN_ERR_IO);
		return;
	}
	if (buf->base != space) {
		proto_framer_added(&c->in, (size_t)n);
		rc = 0;
	} else if (c->tls) {
		rc = tls_input(c, buf->base, (size_t)n);
	} else {
		rc = proto_framer_feed(&c->in, buf->base, (size_t)n);
	}
	if (rc == TN_ERR_TOO_BIG)
		node_log("warn", "%s: frame above the %zu-byte limit, closing", c->peer, c->in.max);
	else if (rc && rc != TN_ERR_CLOSED)
		node_log("warn", "%s: %s, closing", c->peer, tn_strerror(rc));
	if (rc) {
		conn_close(c, rc);
		return;
	}
	if (account(c)) {
		over_cap(c);
		return;
	}
	drain_frames(c);
	(void)account(c);
}

struct conn *conn_new(struct node *n, const struct conn_ops *ops, size_t max_frame)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->node = n;
	c->ops = ops;
	c->h.handle.data = c;
	proto_framer_init(&c->in, max_frame);
	proto_strcpy(c->peer, sizeof(c->peer), "conn");
	return c;
}

int conn_start(struct conn *c)
{
	int rc = uv_read_start(&c->h.stream, on_alloc, on_read);

	return rc ? TN_ERR_IO : 0;
}

void conn_close(struct conn *c, int reason)
{
	if (!c->closing) {
		(void)seal_corked(c);   /* what was sent before the close goes first */
		c->closing = 1;
		c->close_reason = reason;
		if (c->tls && c->tls_up && !cx_tls_close(c->tls))
			(void)!cx_tls_drain(c->tls, &c->out);
		if (!uv_is_closing(&c->h.handle))
			uv_read_stop(&c->h.stream);
	}
	kick_write(c);
	maybe_finish(c);
}

void conn_hold(struct conn *c)
{
	c->busy++;
}

void conn_release(struct conn *c)
{
	if (--c->busy)
		return;
	if (c->handle_closed) {
		conn_free(c);
		return;
	}
	if (c->closing) {
		maybe_finish(c);
		return;
	}
	drain_frames(c);
	if (!c->busy && c->paused && !c->closing) {
		c->paused = 0;
		if (conn_start(c))
			conn_close(c, TN_ERR_IO);
	}
}

void conn_abort(struct conn *c)
{
	if (!c->closing && !c->close_reason)
		c->close_reason = TN_ERR_CLOSED;
	c->closing = 1;
	c->out.len = 0;
	(void)account(c);
	if (!uv_is_closing(&c->h.handle))
		uv_close(&c->h.handle, on_handle_closed);
}
