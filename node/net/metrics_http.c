/* SPDX-License-Identifier: Apache-2.0 */
/* The optional metrics listener ([metrics] listen): plain HTTP/1.0, GET
 * /metrics answers hooks.metrics' text, anything else 404. Requests are
 * small and quick or closed: 4 KiB, 5 s, 8 connections at once. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

#define HTTP_REQUEST_MAX 4096
#define HTTP_TIMEOUT_MS 5000
#define HTTP_CONNS_MAX 8

struct hconn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wreq;
	struct metrics_http *m;
	struct hconn *next;
	struct proto_buf out;
	size_t len;
	int handles;              /* open handles; freed when it drops to 0 */
	unsigned answered : 1;
	char req[HTTP_REQUEST_MAX];
};

struct metrics_http {
	struct node *node;
	uv_tcp_t listener;
	struct hconn *conns;
	uint32_t n_conns;
};

static void on_handle_closed(uv_handle_t *h)
{
	struct hconn *c = h->data;

	if (--c->handles)
		return;
	proto_buf_free(&c->out);
	free(c);
}

static void hconn_close(struct hconn *c)
{
	struct hconn **pp = &c->m->conns;

	if (uv_is_closing((uv_handle_t *)&c->tcp))
		return;
	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = c->next;
		c->m->n_conns--;
	}
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void on_timeout(uv_timer_t *t)
{
	hconn_close(t->data);
}

static void on_written(uv_write_t *w, int status)
{
	(void)status;
	hconn_close(w->data);
}

/* Queue the whole response and close once it is written. */
static void respond(struct hconn *c, const char *status, const char *type,
		    const struct proto_buf *body)
{
	char head[256];
	int n = snprintf(head, sizeof(head), "HTTP/1.0 %s\r\nContent-Type: %s\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, type,
			 body ? body->len : 0);
	uv_buf_t b;

	c->answered = 1;
	uv_read_stop((uv_stream_t *)&c->tcp);
	if (proto_buf_add(&c->out, head, (size_t)n) ||
	    (body && proto_buf_add(&c->out, body->data, body->len))) {
		hconn_close(c);
		return;
	}
	b = uv_buf_init((char *)c->out.data, (unsigned)c->out.len);
	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_written))
		hconn_close(c);
}

/* The request line's target when it is a GET, else NULL. */
static const char *get_target(char *req, size_t *len)
{
	char *sp;

	if (strncmp(req, "GET ", 4))
		return NULL;
	req += 4;
	*len = strcspn(req, " \r\n?");
	sp = req + *len;
	return *sp == ' ' || *sp == '?' || *sp == '\r' || *sp == '\n' ? req : NULL;
}

static void answer(struct hconn *c)
{
	struct node *n = c->m->node;
	struct proto_buf body = { 0 };
	const char *target;
	size_t len = 0;

	target = get_target(c->req, &len);
	if (!target || len != 8 || memcmp(target, "/metrics", 8)) {
		struct proto_buf nf = { (uint8_t *)"not found\n", 10, 10 };

		respond(c, "404 Not Found", "text/plain", &nf);
		return;
	}
	if (n->hooks.metrics(n, &body))
		respond(c, "500 Internal Server Error", "text/plain", NULL);
	else
		respond(c, "200 OK", "text/plain; version=0.0.4", &body);
	proto_buf_free(&body);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct hconn *c = h->data;

	(void)hint;
	*buf = uv_buf_init(c->req + c->len, (unsigned)(sizeof(c->req) - 1 - c->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct hconn *c = s->data;

	(void)buf;
	if (nread < 0) {
		hconn_close(c);
		return;
	}
	c->len += (size_t)nread;
	c->req[c->len] = '\0';
	if (c->answered)
		return;
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n"))
		answer(c);
	else if (c->len >= sizeof(c->req) - 1)
		hconn_close(c);   /* a request this large is not ours */
}

static void on_connection(uv_stream_t *server, int status)
{
	struct metrics_http *m = server->data;
	struct hconn *c;

	if (status < 0 || !(c = calloc(1, sizeof(*c))))
		return;
	c->m = m;
	c->tcp.data = c->timer.data = c;
	uv_tcp_init(&m->node->loop, &c->tcp);
	uv_timer_init(&m->node->loop, &c->timer);
	c->handles = 2;
	c->next = m->conns;
	m->conns = c;
	m->n_conns++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) || m->n_conns > HTTP_CONNS_MAX ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) ||
	    uv_timer_start(&c->timer, on_timeout, HTTP_TIMEOUT_MS, 0))
		hconn_close(c);
}

/* Non-zero for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
static int loopback(const struct sockaddr_storage *sa)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	const uint8_t *a6 = s6->sin6_addr.s6_addr;

	if (sa->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) ||
	       (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) && a6[12] == 127);
}

static int bind_listener(struct metrics_http *m, const char *addr)
{
	struct node *n = m->node;
	struct sockaddr_storage sa;
	int len = sizeof(sa), rc;

	if (node_addr_parse(addr, &sa)) {
		node_log("error", "%s: [metrics] listen = %s is not an IP:PORT address", n->cfg.name,
			 addr);
		return TN_ERR_CONFIG;
	}
	if (!loopback(&sa) && !n->cfg.metrics_remote) {
		node_log("error", "%s: [metrics] listen = %s is not a loopback address: the metrics "
			 "tell whoever connects about this node's peers and traffic, without "
			 "authentication; listen on 127.0.0.1, or set [metrics] allow_remote = yes",
			 n->cfg.name, addr);
		return TN_ERR_CONFIG;
	}
	rc = uv_tcp_bind(&m->listener, (struct sockaddr *)&sa, 0);
	if (!rc)
		rc = uv_listen((uv_stream_t *)&m->listener, 16, on_connection);
	if (!rc)
		rc = uv_tcp_getsockname(&m->listener, (struct sockaddr *)&sa, &len);
	if (rc) {
		node_log("error", "%s: cannot listen for metrics on %s: %s", n->cfg.name, addr,
			 uv_strerror(rc));
		return TN_ERR_IO;
	}
	node_addr_format(&sa, n->metrics_addr, sizeof(n->metrics_addr));
	node_log("info", "%s: metrics on http://%s/metrics", n->cfg.name, n->metrics_addr);
	return 0;
}

int metrics_http_start(struct node *n)
{
	struct metrics_http *m;

	if (!n->cfg.metrics_listen[0])
		return 0;
	if (!(m = calloc(1, sizeof(*m))))
		return TN_ERR_NOMEM;
	m->node = n;
	uv_tcp_init(&n->loop, &m->listener);
	m->listener.data = m;
	n->metrics = m;
	return bind_listener(m, n->cfg.metrics_listen);
}

static void on_listener_closed(uv_handle_t *h)
{
	free(h->data);
}

void metrics_http_stop(struct node *n)
{
	struct metrics_http *m = n->metrics;

	if (!m)
		return;
	n->metrics = NULL;
	while (m->conns)
		hconn_close(m->conns);
	uv_close((uv_handle_t *)&m->listener, on_listener_closed);
}
