/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: abrupt resets: the node must survive writing to a dead socket,
 * and a new connection must still get a pong. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tp.h"

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
	if ((rc = tp_reach(t, ST_UP)) || (rc = tp_barrier(t, &s)))
		return tp_say(t, 1, "%s; then a new connection got no pong: %s", what,
			      tp_ended(rc));
	return tp_say(t, 0, "%s; a new connection still gets a pong", what);
}

/* [N] times: a full ClientHello, then a reset before the node answers. */
int sc_rst_handshake(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 20;
	char what[64];

	for (unsigned long i = 0; i < n; i++) {
		if (i && tp_tcp_connect(t, t->addr))
			return tp_say(t, 1, "reconnect %lu failed: %s", i, strerror(errno));
		if (cx_tls_new(&t->tls, t->ctx, 0) || cx_tls_handshake(t->tls) < 0 ||
		    tp_flush(t))
			return tp_say(t, 1, "cannot send a ClientHello");
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
	int rc = tp_send_pings(t, kind == 2 ? 8 : 256);

	if (!rc && kind == 2 && !(rc = tp_seal(t, &sp, ++t->seq, &e))) {
		rc = tp_send_link(t, "env", &proto_envelope_schema, &e);
		proto_release(&proto_envelope_schema, &e);
		if (!rc && (rc = tp_read_frame(t, t->deadline, &f)) > 0)
			rc = 0;
	}
	if (!rc && kind && !(rc = cx_tls_close(t->tls)))
		rc = tp_flush(t);
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
int sc_rst_flood(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 30;
	char what[80];
	int rc;

	for (unsigned long i = 0; i < n; i++)
		if ((i && (rc = tp_reach(t, ST_UP))) || (rc = rst_round(t, (unsigned)(i % 3))))
			return tp_say(t, 1, "round %lu: %s", i, tp_ended(rc));
	snprintf(what, sizeof(what), "%lu links reset with replies unread", n);
	return still_answers(t, what);
}

/* [N] pings whose replies are never read, so they back up towards us, then
 * an RST while the node is still reading and answering the pings. */
int sc_rst_stalled(struct tp *t)
{
	unsigned long n = t->argc ? strtoul(t->argv[0], NULL, 10) : 10000;
	char what[80];
	int rc = 0;

	for (unsigned long sent = 0; sent < n && !rc; sent += 1000)
		rc = tp_send_pings(t, 1000);
	if (rc)
		return tp_say(t, 1, "cannot send the pings: %s", tp_ended(rc));
	usleep(1000 * 1000); /* the node reads and answers (throttled) meanwhile */
	reset_conn(t);
	snprintf(what, sizeof(what), "%lu pongs left unread, then an RST", n);
	return still_answers(t, what);
}
