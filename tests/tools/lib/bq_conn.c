/* SPDX-License-Identifier: Apache-2.0 */
/* bench_query: console connections to the node: connect, write what is
 * queued, and one command waited for to its reply; see bq.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bq.h"

double bq_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bq_die(const char *fmt, const char *arg)
{
	fputs("bench_query: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

int bq_open_conn(struct bq *b, struct cn *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(b->sock) >= sizeof(sa.sun_path))
		return bq_die("socket path too long: %s", b->sock);
	memcpy(sa.sun_path, b->sock, strlen(b->sock) + 1);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    fcntl(c->fd, F_SETFL, O_NONBLOCK))
		return bq_die("cannot connect to %s", b->sock);
	proto_framer_init(&c->in, PROTO_CONSOLE_FRAME_MAX);
	return 0;
}

void bq_flush_out(struct cn *c)
{
	while (c->out.len) {
		ssize_t w = write(c->fd, c->out.data, c->out.len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return;
		if (w <= 0)
			bq_die("%s", "the node closed the console connection");
		proto_buf_consume(&c->out, (size_t)w);
	}
}

/* Send one console command on c and wait for its reply, parsed into *m
 * (NULL after the deadline). */
void bq_call(struct cn *c, const char *cmd, const struct proto_schema *sc, const void *args,
	     struct proto_msg **m, double deadline)
{
	struct proto_buf body = { 0 };
	struct proto_writer *w = proto_writer_new(&body);
	const uint8_t *reply;
	size_t len;
	int rc;

	if (!w || proto_w_map(w, 2) || proto_w_str(w, "cmd") || proto_w_str(w, cmd) ||
	    proto_w_str(w, "args") || proto_w_obj(w, sc, args) ||
	    proto_frame_write(&c->out, body.data, body.len))
		bq_die("%s", "cannot encode a request");
	proto_writer_free(w);
	proto_buf_free(&body);
	*m = NULL;
	while ((rc = proto_framer_next(&c->in, &reply, &len)) == 0) {
		struct pollfd pf = { c->fd, POLLIN, 0 };
		double left = deadline - bq_now_s();
		uint8_t buf[65536];
		ssize_t n;

		bq_flush_out(c);
		pf.events |= c->out.len ? POLLOUT : 0;
		if (left <= 0)
			return;
		if (poll(&pf, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			bq_die("%s", "poll failed");
		if (!(pf.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			bq_die("%s", "the node closed the console connection");
		if (proto_framer_feed(&c->in, buf, (size_t)n))
			bq_die("%s", "bad frame from the node");
	}
	if (rc < 0 || proto_msg_parse(m, reply, len))
		bq_die("%s", "bad frame from the node");
}
