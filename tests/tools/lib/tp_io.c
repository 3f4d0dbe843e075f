/* SPDX-License-Identifier: Apache-2.0 */
/* tn_peer: clocks, the one line of output, and the socket and TLS plumbing
 * under the link protocol; see tp.h. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "tp.h"

int64_t tp_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t tp_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int tp_say(const struct tp *t, int bad, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s", t->scenario, bad ? "UNEXPECTED: " : "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%.1f s)\n", (double)(tp_mono_ms() - t->start) / 1000.0);
	fflush(stdout);
	return bad;
}

const char *tp_ended(int rc)
{
	return rc == TN_ERR_CLOSED ? "closed" : rc == TN_ERR_TLS ? "TLS alert" :
	       rc == TN_ERR_TIMEOUT ? "timed out" : tn_strerror(rc);
}

int tp_send_all(int fd, const void *p, size_t n)
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
int tp_flush(struct tp *t)
{
	int rc = cx_tls_drain(t->tls, &t->out);

	if (!rc && t->out.len)
		rc = tp_send_all(t->fd, t->out.data, t->out.len);
	t->out.len = 0;
	return rc;
}

/* Wait for bytes until deadline and feed them to TLS: 1 when some came,
 * 0 at the deadline, TN_ERR_CLOSED when the node closed the socket. */
int tp_fill(struct tp *t, int64_t deadline)
{
	struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
	int64_t left = deadline - tp_mono_ms();
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
int tp_pump(struct tp *t)
{
	uint8_t plain[16384];
	int rc;

	while ((rc = cx_tls_read(t->tls, plain, sizeof(plain))) > 0)
		if ((rc = proto_framer_feed(&t->in, plain, (size_t)rc)))
			return rc;
	(void)tp_flush(t); /* alerts, close_notify replies */
	return rc;
}

int tp_send_plain(struct tp *t, const void *p, size_t n)
{
	int rc = cx_tls_write(t->tls, p, n);

	return rc ? rc : tp_flush(t);
}

/* Send {t: type, m: obj}, or with s NULL the body as it is. */
int tp_send_link(struct tp *t, const char *type, const struct proto_schema *s,
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
			rc = tp_send_plain(t, t->scratch.data, t->scratch.len);
	}
	proto_writer_free(w);
	proto_buf_free(&b);
	return rc;
}

int tp_send_ping(struct tp *t, const char *type, uint64_t seq)
{
	struct tn_ping p = { .seq = seq };

	return tp_send_link(t, type, &proto_ping_schema, &p);
}

/* Queue n pings in one TLS write. */
int tp_send_pings(struct tp *t, unsigned n)
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
		rc = tp_send_plain(t, all.data, all.len);
	proto_writer_free(w);
	proto_buf_free(&one);
	proto_buf_free(&all);
	return rc;
}
