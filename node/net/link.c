/* SPDX-License-Identifier: Apache-2.0 */
/* Peer links: TCP + TLS 1.3 with pinned keys, then HELLO both ways, then
 * PING/PONG keepalive and envelopes. One link per peer pair: when both
 * sides dialed, the link dialed by the lower key wins on both sides. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net.h"

struct link {
	struct conn *conn;
	struct peer *peer;        /* known from the start (outbound) or the TLS key */
	struct node *node;
	uv_timer_t timer;         /* handshake deadline, then keepalive */
	uv_timer_t slow;          /* resumes reading after a burst */
	uv_connect_t connect;
	uint64_t last_rx, last_tx, ping_seq;
	struct budget budget;     /* frames before the peer is known */
	int handles;              /* timers still to close before free */
	unsigned outbound : 1;
	unsigned up : 1;
	unsigned counted : 1;     /* holds one of node.slots */
	unsigned refused : 1;     /* on_frame counted why it closes the link */
};

static const char *link_name(const struct link *l)
{
	return l->peer ? l->peer->rec.name : "unauthenticated peer";
}

const char *link_state(const struct peer *p)
{
	return p->link ? "up" : p->dialing || p->resolving ? "connecting" : "down";
}

int link_send(struct link *l, const struct proto_buf *body)
{
	l->last_tx = uv_now(&l->node->loop);
	return conn_send(l->conn, body->data, body->len);
}

/* Send {t: type, ...fields of obj}. */
static int send_frame(struct link *l, const char *type, const struct proto_schema *s,
		      const void *obj)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	int rc = !w ? TN_ERR_NOMEM : proto_w_map(w, 2);

	if (!rc)
		rc = proto_w_str(w, "t") || proto_w_str(w, type) ||
		     proto_w_str(w, "m") || proto_w_obj(w, s, obj) ? TN_ERR_NOMEM : 0;
	if (!rc)
		rc = link_send(l, &b);
	proto_writer_free(w);
	proto_buf_free(&b);
	return rc;
}

static void on_tick(uv_timer_t *t)
{
	struct link *l = t->data;
	uint64_t now = uv_now(&l->node->loop);
	struct tn_ping ping;

	if (!l->up) {
		peer_drop(l->node, l->peer, DROP_handshake, "no HELLO in time");
		link_close(l, TN_ERR_TIMEOUT);
	} else if (now - l->last_rx > LINK_DEAD_MS) {
		node_log("warn", "%s: link to %s silent for %llu ms, closing", l->node->cfg.name,
			 link_name(l), (unsigned long long)(now - l->last_rx));
		link_close(l, TN_ERR_TIMEOUT);
	} else if (now - l->last_tx >= LINK_PING_MS) {
		ping.seq = ++l->ping_seq;
		if (send_frame(l, "ping", &proto_ping_schema, &ping))
			link_close(l, TN_ERR_IO);
	}
}

/* The initiator's key decides which of two links survives. */
static const uint8_t *initiator(const struct link *l)
{
	return l->outbound ? cx_id_pk(l->node->id) : l->peer->rec.pk;
}

static void uncount(struct link *l)
{
	if (l->counted) {
		l->counted = 0;
		slots_give(l->node->slots, l);
	}
}

static void link_up(struct link *l)
{
	struct peer *p = l->peer;
	struct link *old = p->link;

	uncount(l);
	if (old && old != l && memcmp(initiator(old), initiator(l), CX_PK_LEN) < 0) {
		link_close(l, TN_ERR_EXISTS);
		return;
	}
	p->link = l;
	if (old && old != l)
		link_close(old, TN_ERR_EXISTS);
	if (p->dialing == l)
		p->dialing = NULL;
	l->up = 1;
	p->attempts = 0;
	uv_timer_stop(&p->retry);
	uv_timer_start(&l->timer, on_tick, LINK_PING_MS / 2, LINK_PING_MS / 2);
	node_log("info", "%s: link to %s up (%s)", l->node->cfg.name, p->rec.name,
		 l->outbound ? "dialed" : "accepted");
	l->node->hooks.link_up(p);
}

/* The replay window is in memory: after a restart (or a new pin) it is
 * empty. Envelopes the peer sealed before that moment are refused, that
 * moment read on the peer's clock through the time its HELLO carries
 * (which arrives a little late, so the bound errs towards accepting). */
static void learn_clock(struct peer *p, uint64_t peer_now)
{
	int64_t offset = (int64_t)(peer_now - node_now_ms());

	p->not_before = (int64_t)p->pinned_ms + offset;
	if (offset > ENV_SKEW_MS || -offset > ENV_SKEW_MS)
		node_log("warn", "%s: %s's clock is %lld s off ours: its envelopes will be refused "
			 "as stale", p->node->cfg.name, p->rec.name, (long long)(offset / 1000));
}

/* Whether the comma-separated list of suites names suite. */
static int has_suite(const char *list, unsigned suite)
{
	char *end;

	for (const char *s = list; *s; s = *end ? end + 1 : end) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || (*end && *end != ','))
			return 0;
		if (v == suite)
			return 1;
	}
	return 0;
}

/* Whether the comma-separated list of features names name. */
static int has_feature(const char *list, const char *name)
{
	size_t n = strlen(name), len;

	for (const char *s = list;; s += len + 1) {
		len = strcspn(s, ",");
		if (len == n && !strncmp(s, name, n))
			return 1;
		if (!s[len])
			return 0;
	}
}

static int on_hello(struct link *l, struct proto_msg *m)
{
	struct tn_hello h;
	char why[96];

	if (proto_msg_decode(m, "m", &proto_hello_schema, &h)) {
		peer_drop(l->node, l->peer, DROP_handshake, proto_msg_error(m));
		return TN_ERR_FIELD;
	}
	if (strcmp(h.name, l->peer->rec.name)) {
		snprintf(why, sizeof(why), "HELLO says %.3s but the key is pinned as %s", h.name,
			 l->peer->rec.name);
		peer_drop(l->node, l->peer, DROP_handshake, why);
		return TN_ERR_UNKNOWN_PEER;
	}
	if (h.version != TN_PROTO_VERSION || !has_suite(h.suites, TN_SUITE_BOX_ED25519)) {
		peer_drop(l->node, l->peer, DROP_unsupported, "protocol version or suite");
		return TN_ERR_UNSUPPORTED;
	}
	learn_clock(l->peer, h.ts);
	l->peer->takes_asks = has_feature(h.features, TN_FEATURE_ASKS);
	link_up(l);
	return 0;
}

static void on_slow(uv_timer_t *t)
{
	struct link *l = t->data;

	conn_release(l->conn);
}

/* Token bucket: LINK_FRAMES_PER_S with bursts of twice that, per peer
 * (so reconnecting does not refill it); a peer that sends faster stops
 * being read for a moment, so one flooding peer cannot starve the others
 * or the console. */
static void throttle(struct link *l)
{
	struct budget *b = l->peer ? &l->peer->budget : &l->budget;
	uint64_t now = uv_now(&l->node->loop), add = (now - b->refill_ms) * LINK_FRAMES_PER_S / 1000;

	if (add) {
		b->tokens = (uint32_t)(b->tokens + add > 2 * LINK_FRAMES_PER_S ? 2 * LINK_FRAMES_PER_S :
				       b->tokens + add);
		b->refill_ms = now;
	}
	if (b->tokens) {
		b->tokens--;
		return;
	}
	if (!uv_is_active((uv_handle_t *)&l->slow)) {
		peer_drop(l->node, l->peer, DROP_rate_limited, "reading paused");
		conn_hold(l->conn);
		uv_timer_start(&l->slow, on_slow, LINK_SLOW_MS, 0);
	}
}

static int on_frame(struct conn *c, const uint8_t *body, size_t len)
{
	struct link *l = c->data;
	struct proto_msg *m;
	struct tn_ping ping;
	char t[8];
	int rc = 0;

	throttle(l);
	l->last_rx = uv_now(&l->node->loop);
	if (l->peer)
		l->peer->last_seen_ms = node_now_ms();
	if (proto_msg_parse(&m, body, len) || proto_frame_type(m, t, sizeof(t))) {
		proto_msg_free(m);
		peer_drop(l->node, l->peer, DROP_malformed, "link frame");
		l->refused = !l->up;
		return l->up ? 0 : TN_ERR_FRAME;
	}
	if (!l->up)
		rc = strcmp(t, "hello") ? TN_ERR_FRAME : on_hello(l, m);
	else if (!strcmp(t, "env"))
		l->node->hooks.link_env(l->peer, m);
	else if (!strcmp(t, "ping") && !proto_msg_decode(m, "m", &proto_ping_schema, &ping))
		rc = send_frame(l, "pong", &proto_ping_schema, &ping);
	else if (!strcmp(t, "ping"))
		peer_drop(l->node, l->peer, DROP_malformed, proto_msg_error(m));
	else if (strcmp(t, "pong") && strcmp(t, "hello"))
		peer_drop(l->node, l->peer, DROP_unknown_type, t);
	if (rc == TN_ERR_FRAME)
		peer_drop(l->node, l->peer, DROP_handshake, "frame before HELLO");
	l->refused = rc < 0;
	proto_msg_free(m);
	return rc;
}

static int on_ready(struct conn *c)
{
	struct link *l = c->data;
	struct tn_hello h = { .version = TN_PROTO_VERSION, .suites = "1",
			      .features = "ping," TN_FEATURE_ASKS,
			      .ts = node_now_ms() };
	uint8_t pk[CX_PK_LEN];
	struct peer *p;

	if (cx_tls_peer_pk(c->tls, pk) || !(p = peer_by_pk(l->node, pk)))
		return TN_ERR_UNKNOWN_PEER;
	if (l->peer && l->peer != p) {
		peer_drop(l->node, l->peer, DROP_handshake, "the address answered with another key");
		return TN_ERR_UNKNOWN_PEER;
	}
	if (memcmp(pk, p->rec.pk, CX_PK_LEN) && peer_promote(p))
		return TN_ERR_CRYPTO;
	l->peer = p;
	snprintf(c->peer, sizeof(c->peer), "link %s", p->rec.name);
	memcpy(h.name, l->node->cfg.name, sizeof(h.name));
	return send_frame(l, "hello", &proto_hello_schema, &h);
}

static void free_link(uv_handle_t *h)
{
	struct link *l = h->data;

	if (--l->handles == 0)
		free(l);
}

/* Count what made the connection fail (the log line came from conn.c). */
static void count_failure(struct link *l, int reason)
{
	if (l->refused)
		return;
	if (reason == TN_ERR_TOO_BIG)
		peer_drop(l->node, l->peer, DROP_too_big, "frame above the limit");
	else if (reason == TN_ERR_FRAME || reason == TN_ERR_TLS)
		peer_drop(l->node, l->peer, l->up ? DROP_malformed : DROP_handshake,
			  tn_strerror(reason));
}

static void on_close(struct conn *c, int reason)
{
	struct link *l = c->data;
	struct peer *p = l->peer;

	count_failure(l, reason);
	if (p && p->link == l) {
		p->link = NULL;
		node_log("info", "%s: link to %s down: %s", l->node->cfg.name, p->rec.name,
			 tn_strerror(reason));
	}
	if (p && p->dialing == l)
		p->dialing = NULL;
	if (p && !p->link && !p->dialing && (l->outbound || l->up))
		l->node->hooks.link_down(p);
	uncount(l);
	if (uv_is_active((uv_handle_t *)&l->slow))
		conn_release(c);      /* the hold taken by throttle() */
	uv_close((uv_handle_t *)&l->timer, free_link);
	uv_close((uv_handle_t *)&l->slow, free_link);
}

static const struct conn_ops link_ops = {
	.on_ready = on_ready,
	.on_frame = on_frame,
	.on_close = on_close,
};

static struct link *link_new(struct node *n, struct peer *p, int outbound)
{
	struct link *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	if (!(l->conn = conn_new(n, &link_ops, n->cfg.max_frame))) {
		free(l);
		return NULL;
	}
	l->conn->data = l;
	l->node = n;
	l->peer = p;
	l->outbound = outbound;
	l->last_rx = l->last_tx = uv_now(&n->loop);
	uv_tcp_init(&n->loop, &l->conn->h.tcp);
	uv_timer_init(&n->loop, &l->timer);
	uv_timer_init(&n->loop, &l->slow);
	l->timer.data = l->slow.data = l;
	l->handles = 2;
	budget_init(&l->budget, uv_now(&n->loop));
	uv_timer_start(&l->timer, on_tick, LINK_HANDSHAKE_MS, 0);
	snprintf(l->conn->peer, sizeof(l->conn->peer), "link %s", p ? p->rec.name : "?");
	return l;
}

static int start_tls(struct link *l, int is_server)
{
	struct cx_tls *tls;

	/* Frames are small and go out back to back: do not wait for ACKs. */
	uv_tcp_nodelay(&l->conn->h.tcp, 1);
	if (cx_tls_new(&tls, l->node->tls, is_server))
		return TN_ERR_TLS;
	if (conn_start(l->conn))
		return TN_ERR_IO;
	return conn_tls_start(l->conn, tls);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct link *l = req->data;

	if (status == UV_ECANCELED)
		return;
	if (status < 0) {
		if (l->peer->attempts <= 1)
			node_log("info", "%s: cannot reach %s at %s: %s", l->node->cfg.name,
				 l->peer->rec.name, l->peer->rec.addr, uv_strerror(status));
		link_close(l, TN_ERR_IO);
		return;
	}
	if (start_tls(l, 0))
		link_close(l, TN_ERR_TLS);
}

int link_connect(struct peer *p, const struct sockaddr_storage *sa)
{
	struct link *l = link_new(p->node, p, 1);

	if (!l)
		return TN_ERR_NOMEM;
	p->dialing = l;
	l->connect.data = l;
	if (uv_tcp_connect(&l->connect, &l->conn->h.tcp, (const struct sockaddr *)sa, on_connect))
		link_close(l, TN_ERR_IO);
	return 0;
}

void link_accept(struct node *n, int fd)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa);
	struct link *l;
	void *evict;

	if (!(l = link_new(n, NULL, 0))) {
		close(fd);
		return;
	}
	if (uv_tcp_open(&l->conn->h.tcp, fd)) {
		close(fd);
		link_close(l, TN_ERR_IO);
		return;
	}
	if (uv_tcp_getpeername(&l->conn->h.tcp, (struct sockaddr *)&sa, &len)) {
		link_close(l, TN_ERR_IO);
		return;
	}
	if (slots_take(n->slots, l, &sa, uv_now(&n->loop), &evict)) {
		peer_drop(n, NULL, DROP_handshake, "too many connections from its address still in "
			  "their handshake");
		link_close(l, TN_ERR_LIMIT);
		return;
	}
	l->counted = 1;
	if (evict) {
		peer_drop(n, NULL, DROP_handshake, "the oldest handshake of the busiest address gave "
			  "way to a new connection");
		link_close(evict, TN_ERR_LIMIT);
	}
	if (start_tls(l, 1))
		link_close(l, TN_ERR_IO);
}

void link_close(struct link *l, int reason)
{
	conn_close(l->conn, reason);
}

/* Its peer is being freed, maybe before the handle's close is over: the
 * link forgets it first. */
void link_abandon(struct link *l)
{
	l->peer = NULL;
	conn_close(l->conn, TN_ERR_UNKNOWN_PEER);
}
