/* SPDX-License-Identifier: Apache-2.0 */
/* Dialing a pinned peer: a numeric address at once, a host name through
 * getaddrinfo on libuv's thread pool. When a name has several addresses,
 * each attempt takes the next one, so a dead address costs one backoff
 * step. DNS only says where to knock: the pinned key decides who answers. */
#include <stdlib.h>
#include <string.h>

#include "../node.h"

struct dial {
	uv_getaddrinfo_t req;
	struct peer *peer;  /* NULL once the peer no longer waits for it */
};

/* The attempt-th address of res (in turn), as a sockaddr_storage. */
static int pick(const struct addrinfo *res, unsigned attempt, struct sockaddr_storage *sa)
{
	const struct addrinfo *a;
	unsigned n = 0;

	for (a = res; a; a = a->ai_next)
		n += a->ai_addrlen <= sizeof(*sa);
	if (!n)
		return TN_ERR_NOT_FOUND;
	attempt %= n;
	for (a = res; a; a = a->ai_next) {
		if (a->ai_addrlen > sizeof(*sa))
			continue;
		if (attempt-- == 0)
			break;
	}
	memset(sa, 0, sizeof(*sa));
	memcpy(sa, a->ai_addr, a->ai_addrlen);
	return 0;
}

static void on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct dial *d = req->data;
	struct peer *p = d->peer;
	struct sockaddr_storage sa;
	int rc = status < 0 ? TN_ERR_NOT_FOUND : pick(res, p ? p->attempts : 0, &sa);

	free(d);
	uv_freeaddrinfo(res);
	if (!p)
		return;
	p->resolving = NULL;
	if (rc) {
		if (p->attempts <= 1)
			node_log("info", "%s: cannot resolve %s's address %s: %s", p->node->cfg.name,
				 p->rec.name, p->rec.addr,
				 status < 0 ? uv_strerror(status) : "no usable address");
		peer_retry(p);
		return;
	}
	link_connect(p, &sa);
}

static int resolve(struct peer *p)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_protocol = IPPROTO_TCP, .ai_flags = AI_ADDRCONFIG };
	char host[CX_ADDR_LEN], port[8];
	struct dial *d;
	int portnum;

	if (node_addr_split(p->rec.addr, host, &portnum))
		return TN_ERR_INVALID;
	snprintf(port, sizeof(port), "%d", portnum);
	if (!(d = calloc(1, sizeof(*d))))
		return TN_ERR_NOMEM;
	d->peer = p;
	d->req.data = d;
	if (uv_getaddrinfo(&p->node->loop, &d->req, on_resolved, host, port, &hints)) {
		free(d);
		return TN_ERR_IO;
	}
	p->resolving = d;
	return 0;
}

void peer_dial(struct peer *p)
{
	struct sockaddr_storage sa;

	if (!node_addr_parse(p->rec.addr, &sa))
		link_connect(p, &sa);
	else if (resolve(p))
		peer_retry(p);
}

void peer_dial_cancel(struct peer *p)
{
	struct dial *d = p->resolving;

	if (!d)
		return;
	p->resolving = NULL;
	d->peer = NULL;
	uv_cancel((uv_req_t *)&d->req);
}
