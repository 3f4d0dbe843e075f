/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: a test peer with a real node identity that speaks (or abuses) the
 * link protocol over a blocking socket, runs one scenario against a node and
 * exits 0 when the node reacted as it should. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../crypto/cx.h"
#include "../../proto/proto.h"

#define RX_MAX (128u << 20)    /* our own framer: larger than any node frame */

enum stage { ST_TCP, ST_TLS, ST_UP };

struct tp {
	int fd;
	struct cx_id *id, *other_id;
	struct cx_tls_ctx *ctx;
	struct cx_tls *tls;
	struct proto_framer in;
	struct proto_buf out, scratch, copy;
	char name[TN_NAME_LEN];       /* ours (HELLO, envelope from) */
	char peer_name[TN_NAME_LEN];  /* the node's, from its HELLO */
	uint8_t peer_pk[CX_PK_LEN];
	uint8_t key[CX_KEY_LEN];      /* shared box key with the node */
	uint8_t pin_pk[CX_PK_LEN];
	int have_pin, answer_pings, eof;
	const char *other;            /* --other NAME */
	const char *scenario, *addr;
	const struct scenario *sc;
	char **argv;                  /* the scenario's own arguments */
	int argc;
	uint64_t seq;
	int64_t start, deadline;      /* monotonic ms */
};

/* What one frame from the node was. */
struct frame {
	char t[8];
	char etype[TN_KIND_LEN];      /* envelopes: their type */
	uint64_t seq;
	int env_ok;                   /* envelopes: it opened and decoded */
};

/* How an envelope scenario departs from a well-formed sealed ping. */
struct env_spec {
	const char *type;             /* NULL: "ping" */
	int64_t skew_ms;              /* added to ts */
	unsigned from_other : 1;      /* from = --other */
	unsigned to_other : 1;        /* to = --other, or ZZZ */
	unsigned sign : 1;            /* signed, by us */
	unsigned sign_other : 1;      /* signed, by --other-id */
	unsigned flip : 1;            /* one body byte flipped */
	unsigned copies;              /* how many times it is sent */
	unsigned want;                /* pong envelopes expected */
};

struct scenario {
	const char *name;
	int (*fn)(struct tp *t);
	const char *help;
	enum stage stage;             /* how far to get before fn runs */
	int timeout_s;                /* default deadline of the whole run */
	struct env_spec env;          /* envelope scenarios only */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The one line of output: what happened. Returns bad (1 when the node did
 * not react as it should), so callers can end with `return say(...)`. */
static int say(const struct tp *t, int bad, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int say(const struct tp *t, int bad, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s", t->scenario, bad ? "UNEXPECTED: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%.1f s)\n", (double)(mono_ms() - t->start) / 1000.0);
	fflush(stdout);
	return bad;
}

static const char *ended(int rc)
{
	return rc == TN_ERR_CLOSED ? "closed" : rc == TN_ERR_TLS ? "TLS alert" :
	       rc == TN_ERR_TIMEOUT ? "timed out" : tn_strerror(rc);
}

/* ---- socket and TLS plumbing ---- */

static int send_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EPIPE || errno == ECONNRESET ? TN_ERR_CLOSED : TN_ERR_IO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send what TLS has queued for the socket. */
static int flush(struct tp *t)
{
	int rc = cx_tls_drain(t->tls, &t->out);

	if (!rc && t->out.len)
		rc = send_all(t->fd, t->out.data, t->out.len);
	t->out.len = 0;
	return rc;
}

/* Wait for bytes until deadline and feed them to TLS: 1 when some came,
 * 0 at the deadline, TN_ERR_CLOSED when the node closed the socket. */
static int fill(struct tp *t, int64_t deadline)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	int64_t left = deadline - mono_ms();
	uint8_t buf[16384];
	ssize_t n;
	int rc;

	rc = poll(&pfd, 1, left > 0 ? (int)left : 0);
	if (rc <= 0)
		return rc < 0 && errno != EINTR ? TN_ERR_IO : 0;
	n = recv(t->fd, buf, sizeof(buf), 0);
	if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE)))
		return TN_ERR_CLOSED;
	if (n < 0)
		return errno == EINTR ? 1 : TN_ERR_IO;
	if (t->tls && cx_tls_feed(t->tls, buf, (size_t)n))
		return TN_ERR_NOMEM;
	return 1;
}

/* Move decrypted bytes into the framer: 0, or how the session ended. */
static int pump(struct tp *t)
{
	uint8_t plain[16384];
	int rc;

	while ((rc = cx_tls_read(t->tls, plain, sizeof(plain))) > 0)
		if ((rc = proto_framer_feed(&t->in, plain, (size_t)rc)))
			return rc;
	(void)flush(t); /* alerts, close_notify replies */
	return rc;
}

static int send_plain(struct tp *t, const void *p, size_t n)
{
	int rc = cx_tls_write(t->tls, p, n);

	return rc ? rc : flush(t);
}

/* Send {t: type, m: obj}, or with s NULL the body as it is. */
static int send_link(struct tp *t, const char *type, const struct proto_schema *s,
		     const void *obj)
{
	struct proto_buf b = { 0 };
	struct proto_writer *w = proto_writer_new(&b);
	int rc = TN_ERR_NOMEM;

	if (w && !proto_w_map(w, 2) && !proto_w_str(w, "t") && !proto_w_str(w, type) &&
	    !proto_w_str(w, "m") && !proto_w_obj(w, s, obj)) {
		t->scratch.len = 0;
		rc = proto_frame_write(&t->scratch, b.data, b.len);
		if (!rc)
			rc = send_plain(t, t->scratch.data, t->scratch.len);
	}
	proto_writer_free(w);
	proto_buf_free(&b);
	return rc;
}

static int send_ping(struct tp *t, const char *type, uint64_t seq)
{
	struct tn_ping p = { .seq = seq };

	return send_link(t, type, &proto_ping_schema, &p);
}

/* ---- reading frames ---- */

/* Open an envelope from the node and read its {seq}. */
static void open_env(struct tp *t, struct proto_msg *m, struct frame *f)
{
	struct tn_envelope e;
	struct tn_sealed s;
	struct tn_ping p;

	if (proto_msg_decode(m, "m", &proto_envelope_schema, &e))
		return;
	snprintf(f->etype, sizeof(f->etype), "%s", e.type);
	if (!strcmp(e.to, t->name) && !strcmp(e.from, t->peer_name) &&
	    !cx_env_open(&e, t->key, t->peer_pk, &s)) {
		if (!proto_decode(&proto_ping_schema, s.m, s.n_m, &p, NULL, 0)) {
			f->seq = p.seq;
			f->env_ok = 1;
		}
		proto_release(&proto_sealed_schema, &s);
	}
	proto_release(&proto_envelope_schema, &e);
}

/* 1 for a frame to hand out, 0 for one handled here (a ping answered). */
static int classify(struct tp *t, const uint8_t *body, size_t len, struct frame *f)
{
	struct proto_msg *m = NULL;
	struct tn_hello h;
	struct tn_ping p;
	int rc = 1;

	memset(f, 0, sizeof(*f));
	t->copy.len = 0;
	if (proto_buf_add(&t->copy, body, len) || proto_msg_parse(&m, t->copy.data, len) ||
	    proto_frame_type(m, f->t, sizeof(f->t))) {
		proto_msg_free(m);
		snprintf(f->t, sizeof(f->t), "?");
		return 1;
	}
	if (!strcmp(f->t, "hello") && !proto_msg_decode(m, "m", &proto_hello_schema, &h))
		memcpy(t->peer_name, h.name, sizeof(t->peer_name));
	else if (!strcmp(f->t, "env"))
		open_env(t, m, f);
	else if (!proto_msg_decode(m, "m", &proto_ping_schema, &p))
		f->seq = p.seq;
	if (!strcmp(f->t, "ping") && t->answer_pings)
		rc = send_ping(t, "pong", f->seq); /* 0: handled here */
	proto_msg_free(m);
	return rc;
}

/* Next frame from the node: 1 with f filled, 0 at the deadline, or how the
 * session ended (TN_ERR_CLOSED, TN_ERR_TLS). */
static int read_frame(struct tp *t, int64_t deadline, struct frame *f)
{
	const uint8_t *body;
	size_t len;
	int rc;

	for (;;) {
		rc = proto_framer_next(&t->in, &body, &len);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			if ((rc = classify(t, body, len, f)) != 0)
				return rc;
			continue;
		}
		if (t->eof)
			return t->eof;
		if ((rc = fill(t, deadline)) <= 0) {
			t->eof = rc;
			return rc;
		}
		t->eof = pump(t);
	}
}

/* Read and discard until the node ends the session: 1 if it did. */
static int wait_close(struct tp *t, int *how)
{
	struct frame f;
	int rc;

	while ((rc = read_frame(t, t->deadline, &f)) > 0)
		;
	*how = rc ? rc : TN_ERR_TIMEOUT;
	return rc < 0;
}

/* Wait for the node's HELLO. */
static int wait_hello(struct tp *t)
{
	struct frame f;
	int rc;

	while ((rc = read_frame(t, t->deadline, &f)) > 0)
		if (!strcmp(f.t, "hello") && t->peer_name[0])
			return 0;
	return rc ? rc : TN_ERR_TIMEOUT;
}

struct seen {
	unsigned env, env_bad;
	uint64_t seq;
};

/* Send a link ping and read until its pong; the envelopes that came first
 * are counted in s. Frames are handled in order, so whatever the node did
 * with what we sent before is visible by then. */
static int barrier(struct tp *t, struct seen *s)
{
	uint64_t seq = ++t->seq;
	struct frame f;
	int rc;

	if ((rc = send_ping(t, "ping", seq)))
		return rc;
	while ((rc = read_frame(t, t->deadline, &f)) > 0) {
		if (!strcmp(f.t, "pong") && f.seq == seq)
			return 0;
		if (!strcmp(f.t, "env")) {
			s->env++;
			s->env_bad += !f.env_ok;
			s->seq = f.seq;
		}
	}
	return rc ? rc : TN_ERR_TIMEOUT;
}

/* ---- connecting ---- */

static int pin(void *arg, const uint8_t pk[CX_PK_LEN])
{
	struct tp *t = arg;

	return t->have_pin && memcmp(pk, t->pin_pk, CX_PK_LEN);
}

static int tcp_connect(struct tp *t, const char *addr)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	char host[CX_ADDR_LEN];
	struct addrinfo *ai;
	const char *colon = strrchr(addr, ':');
	size_t hl = colon ? (size_t)(colon - addr) : 0;

	if (!colon || hl >= sizeof(host))
		return TN_ERR_INVALID;
	if (addr[0] == '[' && hl >= 2 && addr[hl - 1] == ']') {
		addr++;
		hl -= 2;
	}
	memcpy(host, addr, hl);
	host[hl] = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &ai))
		return TN_ERR_INVALID;
	t->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0 || connect(t->fd, ai->ai_addr, ai->ai_addrlen)) {
		freeaddrinfo(ai);
		return TN_ERR_IO;
	}
	freeaddrinfo(ai);
	return 0;
}

/* Client handshake; the node's key then gives the shared box key. */
static int tls_connect(struct tp *t)
{
	int rc;

	if (!t->tls && cx_tls_new(&t->tls, t->ctx, 0))
		return TN_ERR_NOMEM;
	while ((rc = cx_tls_handshake(t->tls)) == 0) {
		if ((rc = flush(t)) || (rc = fill(t, t->deadline)) <= 0)
			return rc ? rc : TN_ERR_TIMEOUT;
	}
	if (rc < 0)
		return rc;
	if ((rc = flush(t)) || (rc = cx_tls_peer_pk(t->tls, t->peer_pk)))
		return rc;
	return cx_shared_key(t->id, t->peer_pk, t->key);
}

static int send_hello(struct tp *t, const char *name, uint32_t version)
{
	struct tn_hello h = { .version = version, .suites = "1", .features = "ping" };

	snprintf(h.name, sizeof(h.name), "%s", name);
	return send_link(t, "hello", &proto_hello_schema, &h);
}

