/* SPDX-License-Identifier: Apache-2.0 */
/* Accepting connections on the console socket and the peer listener with
 * our own accept loop, so that running out of file descriptors is seen:
 * one reserve descriptor is given up to accept the connection and close it
 * at once (after a one-line refusal, on the console), then taken again,
 * and the operator is told once a minute. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

#define ACCEPT_LOG_MS 60000

struct acceptor {
	uv_poll_t poll;
	struct node *node;
	int fd;                      /* the listening socket (its handle owns it) */
	accept_fn fn;
	const char *what;            /* "console", "peer" */
	struct proto_buf refusal;    /* written before closing, if any */
};

static void reserve_take(struct node *n)
{
	if (n->fd_reserve < 0)
		n->fd_reserve = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void log_exhausted(struct acceptor *a)
{
	struct node *n = a->node;
	uint64_t now = uv_now(&n->loop);
	struct rlimit lim;

	if (n->fd_logged_ms && now - n->fd_logged_ms < ACCEPT_LOG_MS)
		return;
	n->fd_logged_ms = now ? now : 1;
	if (getrlimit(RLIMIT_NOFILE, &lim))
		lim.rlim_cur = 0;
	node_log("error", "%s: out of file descriptors (limit %llu): raise LimitNOFILE; %s "
		 "connections are refused meanwhile (%llu so far)", n->cfg.name,
		 (unsigned long long)lim.rlim_cur, a->what,
		 (unsigned long long)n->counts.fd_exhausted);
}

/* Out of descriptors: spend the reserve to accept and close what waits. */
static void refuse_waiting(struct acceptor *a)
{
	struct node *n = a->node;
	int fd;

	if (n->fd_reserve >= 0) {
		close(n->fd_reserve);
		n->fd_reserve = -1;
	}
	while ((fd = accept4(a->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		if (a->refusal.len)
			(void)!write(fd, a->refusal.data, a->refusal.len);
		close(fd);
		n->counts.fd_exhausted++;
	}
	reserve_take(n);
	log_exhausted(a);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct acceptor *a = h->data;
	int fd;

	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < 64; i++) {
		fd = accept4(a->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd >= 0) {
			a->fn(a->node, fd);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE)
			refuse_waiting(a);
		if (errno != EINTR && errno != ECONNABORTED)
			return;
	}
}

int accept_start(struct acceptor **out, struct node *n, uv_stream_t *server, int backlog,
		 accept_fn fn, const char *what, const struct proto_buf *refusal)
{
	struct acceptor *a = calloc(1, sizeof(*a));
	uv_os_fd_t fd;

	*out = a;
	if (!a)
		return TN_ERR_NOMEM;
	a->node = n;
	a->fn = fn;
	a->what = what;
	reserve_take(n);
	if (uv_fileno((uv_handle_t *)server, &fd) || listen(fd, backlog) ||
	    (refusal && proto_buf_add(&a->refusal, refusal->data, refusal->len)))
		return TN_ERR_IO;
	a->fd = fd;
	uv_poll_init(&n->loop, &a->poll, fd);
	a->poll.data = a;
	return uv_poll_start(&a->poll, UV_READABLE, on_readable) ? TN_ERR_IO : 0;
}

static void on_closed(uv_handle_t *h)
{
	struct acceptor *a = h->data;

	proto_buf_free(&a->refusal);
	free(a);
}

void accept_stop(struct acceptor *a)
{
	if (!a)
		return;
	if (a->poll.data) {
		uv_close((uv_handle_t *)&a->poll, on_closed);
		return;
	}
	proto_buf_free(&a->refusal);
	free(a);
}
