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
	unsigned replays;             /* extra copies sent after it */
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

/* ---- envelopes ---- */

/* Seal a {seq} ping as the node's receiver expects, give or take what sp
 * changes. */
static int seal(struct tp *t, const struct env_spec *sp, uint64_t seq, struct tn_envelope *e)
{
	const struct cx_id *signer = sp->sign_other ? t->other_id : t->id;
	struct tn_ping p = { .seq = seq };
	struct proto_buf m = { 0 };
	int rc;

	memset(e, 0, sizeof(*e));
	e->v = TN_PROTO_VERSION;
	e->suite = TN_SUITE_BOX_ED25519;
	e->ttl = 1;
	snprintf(e->type, sizeof(e->type), "%s", sp->type ? sp->type : "ping");
	snprintf(e->from, sizeof(e->from), "%s", sp->from_other ? t->other : t->name);
	snprintf(e->to, sizeof(e->to), "%s",
		 !sp->to_other ? t->peer_name : t->other ? t->other : "ZZZ");
	e->ts = (uint64_t)((int64_t)wall_ms() + sp->skew_ms);
	rc = proto_encode(&proto_ping_schema, &p, &m);
	if (!rc)
		rc = cx_env_seal(e, signer, t->key, m.data, m.len, sp->sign || sp->sign_other);
	if (!rc && sp->flip)
		e->body[e->n_body / 2] ^= 0x01;
	proto_buf_free(&m);
	return rc;
}

/* Send the scenario's envelope (copies times), then a link ping: expect
 * exactly `want` pong envelopes before its pong, and a live link. */
static int sc_env(struct tp *t)
{
	const struct env_spec *sp = &t->sc->env;
	uint64_t seq = ++t->seq;
	struct tn_envelope e;
	struct seen s = { 0 };
	int rc;

	if ((sp->from_other && !t->other) || (sp->sign_other && !t->other_id))
		return say(t, 1, "needs --other NAME (pinned by the node) / --other-id DIR");
	if ((rc = seal(t, sp, seq, &e)))
		return say(t, 1, "cannot seal: %s", tn_strerror(rc));
	for (unsigned i = 0; i <= sp->replays && !rc; i++)
		rc = send_link(t, "env", &proto_envelope_schema, &e);
	proto_release(&proto_envelope_schema, &e);
	if (rc || (rc = barrier(t, &s)))
		return say(t, 1, "link %s after the envelope", ended(rc));
	if (s.env_bad)
		return say(t, 1, "%u reply envelope(s) did not open", s.env_bad);
	if (s.env != sp->want || (s.env && s.seq != seq))
		return say(t, 1, "%u pong envelope(s), want %u", s.env, sp->want);
	if (!sp->want)
		return say(t, 0, "envelope dropped silently, link still answers pings");
	return say(t, 0, "%u sent, %u pong envelope opened (seq %llu), link up", sp->replays + 1,
		   s.env, (unsigned long long)s.seq);
}

/* ---- link-level scenarios ---- */

static int sc_hello_ping(struct tp *t)
{
	struct seen s = { 0 };
	int rc = barrier(t, &s);

	if (rc)
		return say(t, 1, "no pong: %s", ended(rc));
	return say(t, 0, "HELLO from %s, link ping answered with pong", t->peer_name);
}

/* Expect the node to end the session (by the deadline). */
static int expect_close(struct tp *t, const char *what)
{
	int how;

	if (!wait_close(t, &how))
		return say(t, 1, "%s: the node kept the connection open", what);
	return say(t, 0, "%s: the node ended the connection (%s)", what, ended(how));
}

/* A frame of a fine size holding bytes that are not msgpack, inside TLS. */
static int sc_garbage_frame(struct tp *t)
{
	uint8_t junk[200];
	struct seen s = { 0 };
	int rc;

	cx_random(junk, sizeof(junk));
	junk[0] = 0xc1; /* never used in msgpack */
	t->scratch.len = 0;
	if (!(rc = proto_frame_write(&t->scratch, junk, sizeof(junk))) &&
	    !(rc = send_plain(t, t->scratch.data, t->scratch.len)))
		rc = barrier(t, &s);
	if (rc)
		return say(t, 1, "link %s after one undecodable frame", ended(rc));
	return say(t, 0, "undecodable frame ignored, link still answers pings");
}

/* Random bytes straight on the socket, bypassing TLS. */
static int sc_garbage(struct tp *t)
{
	uint8_t junk[512];
	int rc;

	cx_random(junk, sizeof(junk));
	junk[0] = 0xff; /* not a TLS record type: refused at once */
	if ((rc = send_all(t->fd, junk, sizeof(junk))))
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "512 raw bytes inside the TLS session");
}

static int sc_oversize(struct tp *t)
{
	const uint8_t hdr[8] = { 0x04, 0, 0, 0, 0x82, 0xa1, 't', 0xa3 }; /* 64 MiB */
	int rc = send_plain(t, hdr, sizeof(hdr));

	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "frame header announcing 64 MiB");
}

static int sc_wrong_hello_name(struct tp *t)
{
	int rc = send_hello(t, t->other ? t->other : "ZZZ", TN_PROTO_VERSION);

	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "HELLO naming another node");
}

static int sc_bad_version(struct tp *t)
{
	int rc = send_hello(t, t->name, 42);

	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "HELLO with protocol version 42");
}

static int sc_frame_before_hello(struct tp *t)
{
	int rc = send_ping(t, "ping", ++t->seq);

	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "ping before HELLO");
}

static int sc_no_hello(struct tp *t)
{
	return expect_close(t, "TLS done, no HELLO sent");
}

/* Our key is not pinned by the node: the handshake must fail. */
static int sc_unpinned(struct tp *t)
{
	int rc = tls_connect(t);

	if (rc == TN_ERR_TIMEOUT)
		return say(t, 1, "handshake neither done nor refused");
	if (rc < 0)
		return say(t, 0, "handshake refused (%s)", ended(rc));
	if (!wait_hello(t))
		return say(t, 1, "the node accepted us and sent HELLO");
	return expect_close(t, "handshake with an unpinned key");
}

/* Half a ClientHello, then nothing: the handshake deadline must fire. */
static int sc_slowloris(struct tp *t)
{
	int rc;

	if (cx_tls_new(&t->tls, t->ctx, 0) || cx_tls_handshake(t->tls) < 0 ||
	    cx_tls_drain(t->tls, &t->out) || t->out.len < 2)
		return say(t, 1, "cannot make a ClientHello");
	rc = send_all(t->fd, t->out.data, t->out.len / 2);
	t->out.len = 0;
	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "half a ClientHello, then silence");
}

/* Half a frame on an established link, then silence (keepalive cut). */
static int sc_truncated(struct tp *t)
{
	uint8_t half[4 + 50] = { 0, 0, 0, 100 };
	int rc;

	memset(half + 4, 0xa0, sizeof(half) - 4);
	t->answer_pings = 0;
	if ((rc = send_plain(t, half, sizeof(half))))
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "50 of 100 frame bytes, then silence");
}

/* Queue n pings in one TLS write. */
static int send_pings(struct tp *t, unsigned n)
{
	struct proto_buf all = { 0 }, one = { 0 };
	struct proto_writer *w = proto_writer_new(&one);
	struct tn_ping p;
	int rc = w ? 0 : TN_ERR_NOMEM;

	for (unsigned i = 0; i < n && !rc; i++) {
		p.seq = ++t->seq;
		one.len = 0;
		if (proto_w_map(w, 2) || proto_w_str(w, "t") || proto_w_str(w, "ping") ||
		    proto_w_str(w, "m") || proto_w_obj(w, &proto_ping_schema, &p))
			rc = TN_ERR_NOMEM;
		else
			rc = proto_frame_write(&all, one.data, one.len);
	}
	if (!rc)
		rc = send_plain(t, all.data, all.len);
	proto_writer_free(w);
	proto_buf_free(&one);
	proto_buf_free(&all);
	return rc;
}

/* Count the pongs already there (wait 0) or in the next frame (wait 1). */
static int count_pongs(struct tp *t, int wait, unsigned long *got)
{
	struct frame f;
	int rc;

	do {
		rc = read_frame(t, wait ? t->deadline : 0, &f);
		if (rc > 0)
			*got += !strcmp(f.t, "pong");
	} while (rc > 0 && !wait);
	if (rc == 0 && wait)
		return TN_ERR_TIMEOUT;
	return rc < 0 ? rc : 0;
}

static int sc_flood(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 10000, sent = 0, got = 0;
	int64_t t0 = mono_ms();
	double secs;
	int rc = 0;

	while (!rc && sent < n) {
		unsigned chunk = n - sent < 256 ? (unsigned)(n - sent) : 256;

		if (!(rc = send_pings(t, chunk)))
			rc = count_pongs(t, 0, &got);
		sent += chunk;
	}
	while (!rc && got < n)
		rc = count_pongs(t, 1, &got);
	secs = (double)(mono_ms() - t0) / 1000.0;
	if (got != n)
		return say(t, 1, "%lu pings sent, %lu pongs (%s)", sent, got, ended(rc));
	return say(t, 0, "%lu pings, %lu pongs in %.2f s (%.0f/s)", sent, got, secs,
		   secs > 0 ? (double)got / secs : 0.0);
}

/* ---- abrupt resets: the node must survive writing to a dead socket ---- */

static int reach(struct tp *t, enum stage stage);

/* Drop the connection with a TCP RST (SO_LINGER 0) and forget the session. */
static void reset_conn(struct tp *t)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (t->fd >= 0) {
		(void)setsockopt(t->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(t->fd);
	}
	t->fd = -1;
	cx_tls_free(t->tls);
	t->tls = NULL;
	proto_framer_free(&t->in);
	t->out.len = 0;
	t->eof = 0;
}

/* After the resets: does a fresh connection still get a pong? */
static int still_answers(struct tp *t, const char *what)
{
	struct seen s = { 0 };
	int rc;

	usleep(300 * 1000); /* let the node handle the resets first */
	if ((rc = reach(t, ST_UP)) || (rc = barrier(t, &s)))
		return say(t, 1, "%s; then a new connection got no pong: %s", what, ended(rc));
	return say(t, 0, "%s; a new connection still gets a pong", what);
}

/* [N] times: a full ClientHello, then a reset before the node answers. */
static int sc_rst_handshake(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 20;
	char what[64];

	for (unsigned long i = 0; i < n; i++) {
		if (i && tcp_connect(t, t->addr))
			return say(t, 1, "reconnect %lu failed: %s", i, strerror(errno));
		if (cx_tls_new(&t->tls, t->ctx, 0) || cx_tls_handshake(t->tls) < 0 ||
		    flush(t))
			return say(t, 1, "cannot send a ClientHello");
		reset_conn(t);
	}
	snprintf(what, sizeof(what), "%lu ClientHellos reset at once", n);
	return still_answers(t, what);
}

/* One round of rst-flood: pings, then (by kind) an RST at once; a
 * close_notify and an RST; or wait for the first reply, close_notify and
 * close() with replies unread, which the kernel also turns into an RST. */
static int rst_round(struct tp *t, unsigned kind)
{
	const struct env_spec sp = { 0 };
	struct tn_envelope e;
	struct frame f;
	int rc = send_pings(t, kind == 2 ? 8 : 256);

	if (!rc && kind == 2 && !(rc = seal(t, &sp, ++t->seq, &e))) {
		rc = send_link(t, "env", &proto_envelope_schema, &e);
		proto_release(&proto_envelope_schema, &e);
		if (!rc && (rc = read_frame(t, t->deadline, &f)) > 0)
			rc = 0;
	}
	if (!rc && kind && !(rc = cx_tls_close(t->tls)))
		rc = flush(t);
	if (rc)
		return rc;
	if (kind == 2) {
		close(t->fd);
		t->fd = -1;
	}
	reset_conn(t);
	return 0;
}

/* [N] rounds of: a link up, pings, and an abrupt end (see rst_round). */
static int sc_rst_flood(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 30;
	char what[80];
	int rc;

	for (unsigned long i = 0; i < n; i++)
		if ((i && (rc = reach(t, ST_UP))) || (rc = rst_round(t, (unsigned)(i % 3))))
			return say(t, 1, "round %lu: %s", i, ended(rc));
	snprintf(what, sizeof(what), "%lu links reset with replies unread", n);
	return still_answers(t, what);
}

/* [N] pings whose replies are never read, so they back up towards us, then
 * an RST while the node is still reading and answering the pings. */
static int sc_rst_stalled(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 10000;
	char what[80];
	int rc = 0;

	for (unsigned long sent = 0; sent < n && !rc; sent += 1000)
		rc = send_pings(t, 1000);
	if (rc)
		return say(t, 1, "cannot send the pings: %s", ended(rc));
	usleep(1000 * 1000); /* the node reads and answers (throttled) meanwhile */
	reset_conn(t);
	snprintf(what, sizeof(what), "%lu pongs left unread, then an RST", n);
	return still_answers(t, what);
}

#define ENV(...) ST_UP, 10, { __VA_ARGS__ }
static const struct scenario scenarios[] = {
	{ "hello-ping", sc_hello_ping, "HELLO, link ping: expect pong", ST_UP, 10 },
	{ "env-ping", sc_env, "sealed ping envelope: expect a pong envelope", ENV(.want = 1) },
	{ "env-ping-signed", sc_env, "same, signed: expect a pong", ENV(.want = 1, .sign = 1) },
	{ "replay", sc_env, "one envelope twice: expect one pong", ENV(.want = 1, .replays = 1) },
	{ "stale", sc_env, "ts 10 min ago: no pong", ENV(.skew_ms = -600000) },
	{ "future", sc_env, "ts in 10 min: no pong", ENV(.skew_ms = 600000) },
	{ "forged-from", sc_env, "from = --other (pinned): no pong", ENV(.from_other = 1) },
	{ "not-for-me", sc_env, "to = --other or ZZZ: no pong", ENV(.to_other = 1) },
	{ "bad-box", sc_env, "one body byte flipped: no pong", ENV(.flip = 1) },
	{ "unknown-type", sc_env, "type no_such_type: no pong", ENV(.type = "no_such_type") },
	{ "bad-sig", sc_env, "signed by --other-id DIR: no pong", ENV(.sign_other = 1) },
	{ "garbage-frame", sc_garbage_frame, "non-msgpack frame: link survives", ST_UP, 10 },
	{ "garbage", sc_garbage, "raw bytes under TLS: expect close", ST_UP, 10 },
	{ "oversize", sc_oversize, "frame header of 64 MiB: expect close", ST_UP, 10 },
	{ "wrong-hello-name", sc_wrong_hello_name, "HELLO as --other: close", ST_TLS, 10 },
	{ "bad-version", sc_bad_version, "HELLO version 42: expect close", ST_TLS, 10 },
	{ "frame-before-hello", sc_frame_before_hello, "ping first: close", ST_TLS, 10 },
	{ "no-hello", sc_no_hello, "TLS, then silence: close (10 s)", ST_TLS, 20 },
	{ "unpinned", sc_unpinned, "key not pinned: refused in TLS", ST_TCP, 10 },
	{ "slowloris", sc_slowloris, "half a ClientHello: close (10 s)", ST_TCP, 20 },
	{ "truncated-then-silence", sc_truncated, "half a frame: close (30 s)", ST_UP, 50 },
	{ "flood", sc_flood, "[N] N pings at once: N pongs", ST_UP, 120 },
	{ "rst-handshake", sc_rst_handshake, "[N] ClientHello + RST: survives", ST_TCP, 30 },
	{ "rst-flood", sc_rst_flood, "[N] pings + RST: node survives", ST_UP, 60 },
	{ "rst-stalled", sc_rst_stalled, "[N] pongs unread + RST: survives", ST_UP, 60 },
	{ NULL, NULL, NULL, ST_TCP, 0, { 0 } },
};
#undef ENV

/* ---- main ---- */

static int usage(void)
{
	fprintf(stderr, "usage: tn_peer DIR HOST:PORT SCENARIO [ARGS] [--name NAME] "
			"[--pin-card CARD] [--other NAME] [--other-id DIR] [--timeout S]\n"
			"       tn_peer --list\nscenarios:\n");
	for (const struct scenario *s = scenarios; s->name; s++)
		fprintf(stderr, "  %-24s %s\n", s->name, s->help);
	return 2;
}

/* The name under [node] in DIR/tracenet.conf. */
static int conf_name(const char *dir, char out[static TN_NAME_LEN])
{
	char path[4096], line[256], v[8];
	FILE *f;
	int rc = TN_ERR_NOT_FOUND;

	snprintf(path, sizeof(path), "%s/tracenet.conf", dir);
	if (!(f = fopen(path, "r")))
		return TN_ERR_IO;
	while (rc && fgets(line, sizeof(line), f))
		if (sscanf(line, " name = %7s", v) == 1 && strlen(v) == 3) {
			memcpy(out, v, TN_NAME_LEN);
			rc = 0;
		}
	fclose(f);
	return rc;
}

struct args {
	char *pos[8];
	int npos, timeout_s;
	const char *name, *card, *other_dir;
};

static int parse_args(struct tp *t, struct args *a, int argc, char **argv)
{
	struct cx_card c;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strncmp(o, "--", 2)) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return -1;
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(o, "--name"))
			a->name = v;
		else if (!strcmp(o, "--pin-card"))
			a->card = v;
		else if (!strcmp(o, "--other"))
			t->other = v;
		else if (!strcmp(o, "--other-id"))
			a->other_dir = v;
		else if (!strcmp(o, "--timeout"))
			a->timeout_s = atoi(v);
		else
			return -1;
	}
	if (a->card) {
		if (cx_card_parse(&c, a->card))
			return -1;
		memcpy(t->pin_pk, c.pk, CX_PK_LEN);
		t->have_pin = 1;
	}
	return a->npos >= 3 ? 0 : -1;
}

/* Identity, name and TLS context from the node directory. */
static int setup(struct tp *t, const struct args *a)
{
	const char *dir = a->pos[0];
	int rc;

	if ((rc = cx_init()) || (rc = cx_id_load(&t->id, dir)))
		return fprintf(stderr, "tn_peer: %s: %s\n", dir, tn_strerror(rc)), rc;
	if (a->other_dir && (rc = cx_id_load(&t->other_id, a->other_dir)))
		return fprintf(stderr, "tn_peer: %s: %s\n", a->other_dir, tn_strerror(rc)), rc;
	if (a->name)
		snprintf(t->name, sizeof(t->name), "%s", a->name);
	else if ((rc = conf_name(dir, t->name)))
		return fprintf(stderr, "tn_peer: no name in %s/tracenet.conf\n", dir), rc;
	if ((rc = cx_tls_ctx_new(&t->ctx, t->id, pin, t)))
		return fprintf(stderr, "tn_peer: TLS context: %s\n", cx_tls_error()), rc;
	return 0;
}

/* Get as far as stage on a new connection: TCP, TLS, or HELLO both ways. */
static int reach(struct tp *t, enum stage stage)
{
	int rc;

	proto_framer_init(&t->in, RX_MAX);
	if ((rc = tcp_connect(t, t->addr)))
		return rc;
	if (stage >= ST_TLS && (rc = tls_connect(t)))
		return rc;
	if (stage >= ST_UP && !(rc = send_hello(t, t->name, TN_PROTO_VERSION)))
		rc = wait_hello(t);
	return rc;
}

static void teardown(struct tp *t)
{
	if (t->tls && !t->eof && !cx_tls_close(t->tls))
		(void)flush(t);
	if (t->fd >= 0)
		close(t->fd);
	cx_tls_free(t->tls);
	cx_tls_ctx_free(t->ctx);
	cx_id_free(t->id);
	cx_id_free(t->other_id);
	proto_framer_free(&t->in);
	proto_buf_free(&t->out);
	proto_buf_free(&t->scratch);
	proto_buf_free(&t->copy);
}

static int run(struct tp *t)
{
	int rc = reach(t, t->sc->stage);

	if (rc == TN_ERR_INVALID || rc == TN_ERR_IO)
		return say(t, 1, "cannot connect to %s: %s", t->addr,
			   rc == TN_ERR_INVALID ? "not a numeric HOST:PORT" : strerror(errno));
	if (rc)
		return say(t, 1, "no %s with the node: %s", t->tls ? "HELLO" : "TLS", ended(rc));
	return t->sc->fn(t);
}

int main(int argc, char **argv)
{
	struct tp t = { .fd = -1, .answer_pings = 1 };
	struct args a = { .npos = 0 };
	int rc = 2;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (t.sc = scenarios; t.sc->name; t.sc++)
			printf("%s\n", t.sc->name);
		return 0;
	}
	if (parse_args(&t, &a, argc, argv))
		return usage();
	for (t.sc = scenarios; t.sc->name && strcmp(t.sc->name, a.pos[2]); t.sc++)
		;
	if (!t.sc->name)
		return usage();
	t.scenario = t.sc->name;
	t.addr = a.pos[1];
	t.argc = a.npos - 3;
	t.argv = a.pos + 3;
	t.start = mono_ms();
	t.deadline = t.start + 1000 * (a.timeout_s > 0 ? a.timeout_s : t.sc->timeout_s);
	cx_random(&t.seq, sizeof(t.seq));
	t.seq >>= 16;
	if (!setup(&t, &a))
		rc = run(&t);
	teardown(&t);
	return rc;
}
