/* SPDX-License-Identifier: Apache-2.0 */
/* Pinning, dialing and redialing peers: a numeric address at once, a
 * host name through getaddrinfo on libuv's thread pool, then again after
 * an exponential backoff with jitter whenever the peer has no link. When a name has several addresses,
 * each attempt takes the next one, so a dead address costs one backoff
 * step. DNS only says where to knock: the pinned key decides who answers. */
#include <stdlib.h>
#include <string.h>

#include "net.h"

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
	if (link_connect(p, &sa))
		peer_retry(p);
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

	if (!node_addr_parse(p->rec.addr, &sa) ? link_connect(p, &sa) : resolve(p))
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

static void on_retry(uv_timer_t *t)
{
	struct peer *p = t->data;

	if (!p->link && !p->dialing && !p->resolving && !p->removed && !p->node->stopping)
		peer_dial(p);
}

void peer_retry(struct peer *p)
{
	uint64_t delay = LINK_BACKOFF_MIN_MS;
	uint32_t jitter;

	if (p->removed || p->node->stopping || p->rec.addr[0] == '\0')
		return;
	for (unsigned i = 0; i < p->attempts && delay < LINK_BACKOFF_MAX_MS; i++)
		delay *= 2;
	if (delay > LINK_BACKOFF_MAX_MS)
		delay = LINK_BACKOFF_MAX_MS;
	cx_random(&jitter, sizeof(jitter));
	delay = delay * 3 / 4 + jitter % (delay / 2 + 1);
	p->attempts++;
	uv_timer_start(&p->retry, on_retry, delay, 0);
}

int peer_add(struct node *n, const struct tn_peer *rec)
{
	struct peer *p = calloc(1, sizeof(*p));
	int rc;

	if (!p || !(p->key = cx_secret_new(CX_KEY_LEN))) {
		free(p);
		return TN_ERR_NOMEM;
	}
	p->node = n;
	p->rec = *rec;
	if ((rc = cx_shared_key(n->id, rec->pk, p->key))) {
		cx_secret_free(p->key);
		free(p);
		return rc;
	}
	cx_fingerprint(rec->pk, p->fp);
	cx_replay_init(&p->replay, REPLAY_MAX, 2 * ENV_SKEW_MS);
	p->pinned_ms = node_now_ms();
	budget_init(&p->budget, uv_now(&n->loop));
	uv_timer_init(&n->loop, &p->retry);
	p->retry.data = p;
	p->next = n->peers;
	n->peers = p;
	if (p->rec.addr[0])
		peer_dial(p);
	return 0;
}

static void on_peer_closed(uv_handle_t *h)
{
	peer_free(h->data);
}

void peer_remove(struct peer *p)
{
	struct peer **pp = &p->node->peers;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	p->removed = 1;
	if (p->link)
		link_abandon(p->link);
	if (p->dialing)
		link_abandon(p->dialing);
	peer_dial_cancel(p);
	uv_close((uv_handle_t *)&p->retry, on_peer_closed);
}

static int load_one(void *arg, const struct tn_peer *rec)
{
	struct node *n = arg;
	int rc = peer_add(n, rec);

	if (rc)
		node_log("warn", "%s: pinned peer %s has an unusable key, skipped", n->cfg.name,
			 rec->name);
	return 0;
}

int peers_start(struct node *n)
{
	struct store_txn *t;
	int rc;

	if ((rc = store_read_begin(n->store, &t)))
		return rc;
	rc = store_peer_each(t, load_one, n);
	store_read_end(t);
	return rc;
}
