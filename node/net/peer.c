/* SPDX-License-Identifier: Apache-2.0 */
/* The pinned peers in memory: their shared keys, counters, replay windows
 * and reconnect timers. The store holds the pins; this is the live view. */
#include <stdlib.h>
#include <string.h>

#include "../node.h"

static const char *const drop_names[] = {
#define DROP_NAME(r) #r,
	TN_DROP_REASONS(DROP_NAME)
#undef DROP_NAME
};

struct peer *peer_by_name(struct node *n, const char *name)
{
	for (struct peer *p = n->peers; p; p = p->next)
		if (!strcmp(p->rec.name, name))
			return p;
	return NULL;
}

struct peer *peer_by_pk(struct node *n, const uint8_t pk[static CX_PK_LEN])
{
	for (struct peer *p = n->peers; p; p = p->next)
		if (!memcmp(p->rec.pk, pk, CX_PK_LEN))
			return p;
	return NULL;
}

void peer_drop(struct node *n, struct peer *p, enum drop why, const char *detail)
{
	uint64_t count;

	n->drops[why]++;
	count = p ? ++p->drops[why] : n->drops[why];
	/* Log the first few of each reason, then every 1000th, so that a
	 * hostile peer cannot flood the log. */
	if (count <= 10 || count % 1000 == 0)
		node_log("warn", "%s: dropped from %s: %s%s%s (%llu so far)", n->cfg.name,
			 p ? p->rec.name : "unknown", drop_names[why], detail ? ", " : "",
			 detail ? detail : "", (unsigned long long)count);
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

	if (!p)
		return TN_ERR_NOMEM;
	p->node = n;
	p->rec = *rec;
	if ((rc = cx_shared_key(n->id, rec->pk, p->key))) {
		free(p);
		return rc;
	}
	cx_fingerprint(rec->pk, p->fp);
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
	struct peer *p = h->data;

	cx_wipe(p->key, sizeof(p->key));
	replay_free(&p->replay);
	free(p->carried);
	free(p);
}

void peer_remove(struct peer *p)
{
	struct peer **pp = &p->node->peers;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	p->removed = 1;
	if (p->link)
		link_close(p->link, TN_ERR_UNKNOWN_PEER);
	if (p->dialing)
		link_close(p->dialing, TN_ERR_UNKNOWN_PEER);
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

void peers_free(struct node *n)
{
	struct peer *p, *next;

	for (p = n->peers; p; p = next) {
		next = p->next;
		cx_wipe(p->key, sizeof(p->key));
		replay_free(&p->replay);
		free(p->carried);
		free(p);
	}
	n->peers = NULL;
}
