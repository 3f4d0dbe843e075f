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
	const char *scenario;
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

struct scenario {
	const char *name;
	int (*fn)(struct tp *t, int argc, char **argv);
	const char *help;
	enum stage stage;             /* how far to get before fn runs */
	int timeout_s;                /* default deadline of the whole run */
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

struct env_spec {
	const char *type, *from, *to;
	int64_t skew_ms;
	const struct cx_id *signer;   /* NULL: unsigned */
};

/* Seal a {seq} message as the node's receiver expects, give or take what
 * spec changes. */
static int seal(struct tp *t, const struct env_spec *sp, uint64_t seq, struct tn_envelope *e)
{
	struct tn_ping p = { .seq = seq };
	struct proto_buf m = { 0 };
	int rc;

	memset(e, 0, sizeof(*e));
	e->v = TN_PROTO_VERSION;
	e->suite = TN_SUITE_BOX_ED25519;
	e->ttl = 1;
	snprintf(e->type, sizeof(e->type), "%s", sp->type ? sp->type : "ping");
	snprintf(e->from, sizeof(e->from), "%s", sp->from ? sp->from : t->name);
	snprintf(e->to, sizeof(e->to), "%s", sp->to ? sp->to : t->peer_name);
	e->ts = (uint64_t)((int64_t)wall_ms() + sp->skew_ms);
	rc = proto_encode(&proto_ping_schema, &p, &m);
	if (!rc)
		rc = cx_env_seal(e, sp->signer ? sp->signer : t->id, t->key, m.data, m.len,
				 sp->signer != NULL);
	proto_buf_free(&m);
	return rc;
}

static int send_env(struct tp *t, const struct tn_envelope *e)
{
	return send_link(t, "env", &proto_envelope_schema, e);
}

/* Send e (twice if replayed); expect `want` answers, then a live link. */
static int env_expect(struct tp *t, struct tn_envelope *e, int copies, unsigned want)
{
	uint64_t seq = t->seq;
	struct seen s = { 0 };
	int rc = 0;

	for (int i = 0; i < copies && !rc; i++)
		rc = send_env(t, e);
	if (!rc)
		rc = barrier(t, &s);
	proto_release(&proto_envelope_schema, e);
	if (rc)
		return say(t, 1, "link %s instead of an answer to the envelope", ended(rc));
	if (s.env_bad)
		return say(t, 1, "%u reply envelope(s) did not open", s.env_bad);
	if (s.env != want || (want && s.seq != seq))
		return say(t, 1, "%u reply envelope(s), want %u", s.env, want);
	if (want)
		return say(t, 0, "%d sent, %u pong envelope opened (seq %llu), link up", copies,
			   s.env, (unsigned long long)s.seq);
	return say(t, 0, "envelope dropped silently, link still answers pings");
}

/* Seal a ping per spec and expect `want` pongs. */
static int env_case(struct tp *t, const struct env_spec *sp, int copies, unsigned want)
{
	struct tn_envelope e;
	int rc = seal(t, sp, ++t->seq, &e);

	if (rc)
		return say(t, 1, "cannot seal: %s", tn_strerror(rc));
	return env_expect(t, &e, copies, want);
}

/* ---- scenarios ---- */

static int sc_hello_ping(struct tp *t, int argc, char **argv)
{
	struct seen s = { 0 };
	int rc = barrier(t, &s);

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "no pong: %s", ended(rc));
	return say(t, 0, "HELLO from %s, link ping answered with pong", t->peer_name);
}

static int sc_env_ping(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { 0 };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 1);
}

static int sc_env_ping_signed(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .signer = t->id };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 1);
}

static int sc_replay(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { 0 };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 2, 1);
}

static int sc_stale(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .skew_ms = -10 * 60 * 1000 };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 0);
}

static int sc_future(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .skew_ms = 10 * 60 * 1000 };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 0);
}

static int sc_forged_from(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .from = t->other };

	(void)argc;
	(void)argv;
	if (!t->other)
		return say(t, 1, "needs --other NAME (another peer the node pins)");
	return env_case(t, &sp, 1, 0);
}

static int sc_not_for_me(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .to = t->other ? t->other : "ZZZ" };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 0);
}

static int sc_unknown_type(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .type = "no_such_type" };

	(void)argc;
	(void)argv;
	return env_case(t, &sp, 1, 0);
}

static int sc_bad_sig(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { .signer = t->other_id };

	(void)argc;
	(void)argv;
	if (!t->other_id)
		return say(t, 1, "needs --other-id DIR (a second identity)");
	return env_case(t, &sp, 1, 0);
}

static int sc_bad_box(struct tp *t, int argc, char **argv)
{
	const struct env_spec sp = { 0 };
	struct tn_envelope e;
	int rc = seal(t, &sp, ++t->seq, &e);

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "cannot seal: %s", tn_strerror(rc));
	e.body[e.n_body / 2] ^= 0x01;
	return env_expect(t, &e, 1, 0);
}

/* A frame of the right size holding random bytes, inside TLS. */
static int sc_garbage_frame(struct tp *t, int argc, char **argv)
{
	uint8_t junk[200];
	struct seen s = { 0 };
	int rc;

	(void)argc;
	(void)argv;
	cx_random(junk, sizeof(junk));
	junk[0] = 0xc1; /* never valid msgpack */
	t->scratch.len = 0;
	rc = proto_frame_write(&t->scratch, junk, sizeof(junk));
	if (!rc)
		rc = send_plain(t, t->scratch.data, t->scratch.len);
	if (!rc)
		rc = barrier(t, &s);
	if (rc)
		return say(t, 1, "link %s after one undecodable frame", ended(rc));
	return say(t, 0, "undecodable frame ignored, link still answers pings");
}

/* Expect the node to end the session (at most by the deadline). */
static int expect_close(struct tp *t, const char *what)
{
	int how;

	if (!wait_close(t, &how))
		return say(t, 1, "%s: the node kept the connection open", what);
	return say(t, 0, "%s: the node ended the connection (%s)", what, ended(how));
}

/* Random bytes straight on the socket, bypassing TLS. */
static int sc_garbage(struct tp *t, int argc, char **argv)
{
	uint8_t junk[512];
	int rc;

	(void)argc;
	(void)argv;
	cx_random(junk, sizeof(junk));
	junk[0] = 0xff; /* not a TLS record type: fails at once */
	if ((rc = send_all(t->fd, junk, sizeof(junk))))
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "512 raw bytes inside the TLS session");
}

static int sc_oversize(struct tp *t, int argc, char **argv)
{
	const uint8_t hdr[8] = { 0x04, 0, 0, 0, 0x82, 0xa1, 't', 0xa3 }; /* 64 MiB */
	int rc = send_plain(t, hdr, sizeof(hdr));

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "frame header announcing 64 MiB");
}

static int sc_wrong_hello_name(struct tp *t, int argc, char **argv)
{
	const char *name = t->other ? t->other : "ZZZ";
	int rc = send_hello(t, name, TN_PROTO_VERSION);

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "HELLO naming another node");
}

static int sc_bad_version(struct tp *t, int argc, char **argv)
{
	int rc = send_hello(t, t->name, TN_PROTO_VERSION + 41);

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "HELLO with protocol version 42");
}

static int sc_frame_before_hello(struct tp *t, int argc, char **argv)
{
	int rc = send_ping(t, "ping", ++t->seq);

	(void)argc;
	(void)argv;
	if (rc)
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "ping before HELLO");
}

static int sc_no_hello(struct tp *t, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return expect_close(t, "TLS done, no HELLO sent");
}

/* Our key is not pinned by the node: the handshake must fail. */
static int sc_unpinned(struct tp *t, int argc, char **argv)
{
	int rc = tls_connect(t);

	(void)argc;
	(void)argv;
	if (rc < 0 && rc != TN_ERR_TIMEOUT)
		return say(t, 0, "handshake refused (%s)", ended(rc));
	if (rc == TN_ERR_TIMEOUT)
		return say(t, 1, "handshake neither done nor refused");
	if (!wait_hello(t))
		return say(t, 1, "the node accepted us and sent HELLO");
	return expect_close(t, "handshake with an unpinned key");
}

/* Half a ClientHello, then nothing: the handshake deadline must fire. */
static int sc_slowloris(struct tp *t, int argc, char **argv)
{
	int rc;

	(void)argc;
	(void)argv;
	if (cx_tls_new(&t->tls, t->ctx, 0) || cx_tls_handshake(t->tls) < 0 ||
	    cx_tls_drain(t->tls, &t->out) || t->out.len < 2)
		return say(t, 1, "cannot make a ClientHello");
	if ((rc = send_all(t->fd, t->out.data, t->out.len / 2)))
		return say(t, 1, "cannot send: %s", ended(rc));
	t->out.len = 0;
	return expect_close(t, "half a ClientHello, then silence");
}

/* Half a frame on an established link, then silence (keepalive cut). */
static int sc_truncated(struct tp *t, int argc, char **argv)
{
	uint8_t half[4 + 50] = { 0, 0, 0, 100 };
	int rc;

	(void)argc;
	(void)argv;
	memset(half + 4, 0xa0, sizeof(half) - 4);
	t->answer_pings = 0;
	if ((rc = send_plain(t, half, sizeof(half))))
		return say(t, 1, "cannot send: %s", ended(rc));
	return expect_close(t, "50 of 100 frame bytes, then silence");
}

/* Queue n pings in one TLS write. */
static int send_pings(struct tp *t, unsigned n)
{
	struct proto_buf all = { 0 };
	struct proto_buf one = { 0 };
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

static int sc_flood(struct tp *t, int argc, char **argv)
{
	unsigned long n = argc ? strtoul(argv[0], NULL, 10) : 10000, sent = 0, got = 0;
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
		return say(t, 1, "%lu pings sent, %lu pongs (%s)", sent, got,
			   rc ? ended(rc) : "deadline");
	return say(t, 0, "%lu pings, %lu pongs in %.2f s (%.0f/s)", sent, got, secs,
		   secs > 0 ? (double)got / secs : 0.0);
}

static const struct scenario scenarios[] = {
	{ "hello-ping", sc_hello_ping, "HELLO, link ping: expect pong", ST_UP, 10 },
	{ "env-ping", sc_env_ping, "sealed ping envelope: expect a pong envelope", ST_UP, 10 },
	{ "env-ping-signed", sc_env_ping_signed, "same, signed by us: expect a pong", ST_UP, 10 },
	{ "replay", sc_replay, "one envelope sent twice: expect one pong", ST_UP, 10 },
	{ "stale", sc_stale, "ts 10 min in the past: expect no pong", ST_UP, 10 },
	{ "future", sc_future, "ts 10 min ahead: expect no pong", ST_UP, 10 },
	{ "forged-from", sc_forged_from, "from = --other (pinned): expect no pong", ST_UP, 10 },
	{ "not-for-me", sc_not_for_me, "to = --other or ZZZ: expect no pong", ST_UP, 10 },
	{ "bad-box", sc_bad_box, "one body byte flipped: expect no pong", ST_UP, 10 },
	{ "unknown-type", sc_unknown_type, "type no_such_type: expect no pong", ST_UP, 10 },
	{ "bad-sig", sc_bad_sig, "signed by --other-id: expect no pong", ST_UP, 10 },
	{ "garbage-frame", sc_garbage_frame, "random frame in TLS: link survives", ST_UP, 10 },
	{ "garbage", sc_garbage, "raw random bytes on the socket: expect close", ST_UP, 10 },
	{ "oversize", sc_oversize, "frame header of 64 MiB: expect close", ST_UP, 10 },
	{ "wrong-hello-name", sc_wrong_hello_name, "HELLO as --other: expect close", ST_TLS, 10 },
	{ "bad-version", sc_bad_version, "HELLO version 42: expect close", ST_TLS, 10 },
	{ "frame-before-hello", sc_frame_before_hello, "ping first: expect close", ST_TLS, 10 },
	{ "no-hello", sc_no_hello, "TLS, then silence: expect close (10 s)", ST_TLS, 20 },
	{ "unpinned", sc_unpinned, "our key is not pinned: expect refusal", ST_TCP, 10 },
	{ "slowloris", sc_slowloris, "half a ClientHello: expect close (10 s)", ST_TCP, 20 },
	{ "truncated-then-silence", sc_truncated, "half a frame: expect close (30 s)", ST_UP, 50 },
	{ "flood", sc_flood, "[N] N link pings at once: expect N pongs", ST_UP, 120 },
	{ NULL, NULL, NULL, ST_TCP, 0 },
};

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
	const char *pos[8];
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
			a->pos[a->npos++] = o;
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
	int rc;

	if ((rc = cx_init()) || (rc = cx_id_load(&t->id, a->pos[0])))
		return fprintf(stderr, "tn_peer: %s: %s\n", a->pos[0], tn_strerror(rc)), rc;
	if (a->other_dir && (rc = cx_id_load(&t->other_id, a->other_dir)))
		return fprintf(stderr, "tn_peer: %s: %s\n", a->other_dir, tn_strerror(rc)), rc;
	if (a->name)
		snprintf(t->name, sizeof(t->name), "%s", a->name);
	else if ((rc = conf_name(a->pos[0], t->name)))
		return fprintf(stderr, "tn_peer: no name in %s/tracenet.conf\n", a->pos[0]), rc;
	if ((rc = cx_tls_ctx_new(&t->ctx, t->id, pin, t)))
		return fprintf(stderr, "tn_peer: TLS context: %s\n", cx_tls_error()), rc;
	return 0;
}

/* Get as far as the scenario needs: TCP, TLS, or HELLO both ways. */
static int reach(struct tp *t, const struct scenario *sc, const char *addr)
{
	int rc;

	if ((rc = tcp_connect(t, addr)))
		return say(t, 1, "cannot connect to %s: %s", addr,
			   rc == TN_ERR_INVALID ? "not a numeric HOST:PORT" : strerror(errno));
	if (sc->stage >= ST_TLS && (rc = tls_connect(t)))
		return say(t, 1, "TLS handshake with %s failed: %s", addr, ended(rc));
	if (sc->stage >= ST_UP && ((rc = send_hello(t, t->name, TN_PROTO_VERSION)) ||
				   (rc = wait_hello(t))))
		return say(t, 1, "no HELLO from the node: %s", ended(rc));
	return 0;
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

int main(int argc, char **argv)
{
	struct tp t = { .fd = -1, .answer_pings = 1 };
	struct args a = { .timeout_s = 0 };
	const struct scenario *sc;
	int rc = 2;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (sc = scenarios; sc->name; sc++)
			printf("%s\n", sc->name);
		return 0;
	}
	if (parse_args(&t, &a, argc, argv))
		return usage();
	for (sc = scenarios; sc->name && strcmp(sc->name, a.pos[2]); sc++)
		;
	if (!sc->name)
		return usage();
	proto_framer_init(&t.in, RX_MAX);
	t.scenario = sc->name;
	t.start = mono_ms();
	t.deadline = t.start + 1000 * (a.timeout_s > 0 ? a.timeout_s : sc->timeout_s);
	cx_random(&t.seq, sizeof(t.seq));
	t.seq >>= 16;
	if (!setup(&t, &a))
		rc = reach(&t, sc, a.pos[1]) ? 1 : sc->fn(&t, a.npos - 3, (char **)a.pos + 3);
	teardown(&t);
	return rc;
}
