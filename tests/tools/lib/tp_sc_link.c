/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: the link-level scenarios: a ping, malformed or oversize frames,
 * wrong HELLOs, silence, unpinned keys, and a flood of pings. */
#include <stdlib.h>
#include <string.h>

#include "tp.h"

int sc_hello_ping(struct tp *t)
{
	struct seen s = { 0 };
	int rc = tp_barrier(t, &s);

	if (rc)
		return tp_say(t, 1, "no pong: %s", tp_ended(rc));
	return tp_say(t, 0, "HELLO from %s, link ping answered with pong", t->peer_name);
}

/* Expect the node to end the session (by the deadline). */
static int expect_close(struct tp *t, const char *what)
{
	int how;

	if (!tp_wait_close(t, &how))
		return tp_say(t, 1, "%s: the node kept the connection open", what);
	return tp_say(t, 0, "%s: the node ended the connection (%s)", what, tp_ended(how));
}

/* A frame of a fine size holding bytes that are not msgpack, inside TLS. */
int sc_garbage_frame(struct tp *t)
{
	uint8_t junk[200];
	struct seen s = { 0 };
	int rc;

	cx_random(junk, sizeof(junk));
	junk[0] = 0xc1; /* never used in msgpack */
	t->scratch.len = 0;
	if (!(rc = proto_frame_write(&t->scratch, junk, sizeof(junk))) &&
	    !(rc = tp_send_plain(t, t->scratch.data, t->scratch.len)))
		rc = tp_barrier(t, &s);
	if (rc)
		return tp_say(t, 1, "link %s after one undecodable frame", tp_ended(rc));
	return tp_say(t, 0, "undecodable frame ignored, link still answers pings");
}

/* Random bytes straight on the socket, bypassing TLS. */
int sc_garbage(struct tp *t)
{
	uint8_t junk[512];
	int rc;

	cx_random(junk, sizeof(junk));
	junk[0] = 0xff; /* not a TLS record type: refused at once */
	if ((rc = tp_send_all(t->fd, junk, sizeof(junk))))
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "512 raw bytes inside the TLS session");
}

int sc_oversize(struct tp *t)
{
	const uint8_t hdr[8] = { 0x04, 0, 0, 0, 0x82, 0xa1, 't', 0xa3 }; /* 64 MiB */
	int rc = tp_send_plain(t, hdr, sizeof(hdr));

	if (rc)
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "frame header announcing 64 MiB");
}

int sc_wrong_hello_name(struct tp *t)
{
	int rc = tp_send_hello(t, t->other ? t->other : "ZZZ", TN_PROTO_VERSION);

	if (rc)
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "HELLO naming another node");
}

int sc_bad_version(struct tp *t)
{
	int rc = tp_send_hello(t, t->name, 42);

	if (rc)
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "HELLO with protocol version 42");
}

/* Suites "12" and "21" name suites 12 and 21, not suite 1. */
int sc_bad_suites(struct tp *t)
{
	struct tn_hello h = { .version = TN_PROTO_VERSION, .suites = "12,21", .ts = tp_wall_ms() };
	int rc;

	snprintf(h.name, sizeof(h.name), "%s", t->name);
	if ((rc = tp_send_link(t, "hello", &proto_hello_schema, &h)))
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "HELLO with suites 12,21 only");
}

int sc_frame_before_hello(struct tp *t)
{
	int rc = tp_send_ping(t, "ping", ++t->seq);

	if (rc)
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "ping before HELLO");
}

int sc_no_hello(struct tp *t)
{
	return expect_close(t, "TLS done, no HELLO sent");
}

/* Our key is not pinned by the node: the handshake must fail. */
int sc_unpinned(struct tp *t)
{
	int rc = tp_tls_connect(t);

	if (rc == TN_ERR_TIMEOUT)
		return tp_say(t, 1, "handshake neither done nor refused");
	if (rc < 0)
		return tp_say(t, 0, "handshake refused (%s)", tp_ended(rc));
	if (!tp_wait_hello(t))
		return tp_say(t, 1, "the node accepted us and sent HELLO");
	return expect_close(t, "handshake with an unpinned key");
}

/* Half a ClientHello, then nothing: the handshake deadline must fire. */
int sc_slowloris(struct tp *t)
{
	int rc;

	if (cx_tls_new(&t->tls, t->ctx, 0) || cx_tls_handshake(t->tls) < 0 ||
	    cx_tls_drain(t->tls, &t->out) || t->out.len < 2)
		return tp_say(t, 1, "cannot make a ClientHello");
	rc = tp_send_all(t->fd, t->out.data, t->out.len / 2);
	t->out.len = 0;
	if (rc)
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "half a ClientHello, then silence");
}

/* Half a frame on an established link, then silence (keepalive cut). */
int sc_truncated(struct tp *t)
{
	uint8_t half[4 + 50] = { 0, 0, 0, 100 };
	int rc;

	memset(half + 4, 0xa0, sizeof(half) - 4);
	t->answer_pings = 0;
	if ((rc = tp_send_plain(t, half, sizeof(half))))
		return tp_say(t, 1, "cannot send: %s", tp_ended(rc));
	return expect_close(t, "50 of 100 frame bytes, then silence");
}

int sc_flood(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 10000, sent = 0, got = 0;
	int64_t t0 = tp_mono_ms();
	double secs;
	int rc = 0;

	while (!rc && sent < n) {
		unsigned chunk = n - sent < 256 ? (unsigned)(n - sent) : 256;

		if (!(rc = tp_send_pings(t, chunk)))
			rc = tp_count_pongs(t, 0, &got);
		sent += chunk;
	}
	while (!rc && got < n)
		rc = tp_count_pongs(t, 1, &got);
	secs = (double)(tp_mono_ms() - t0) / 1000.0;
	if (got != n)
		return tp_say(t, 1, "%lu pings sent, %lu pongs (%s)", sent, got, tp_ended(rc));
	return tp_say(t, 0, "%lu pings, %lu pongs in %.2f s (%.0f/s)", sent, got, secs,
		      secs > 0 ? (double)got / secs : 0.0);
}
