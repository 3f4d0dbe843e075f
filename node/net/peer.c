/* SPDX-License-Identifier: Apache-2.0 */
/* The pinned peers in memory: lookup by name or key, refusals counted
 * per reason, and freeing. The store holds the pins; this is the live
 * view (dial.c adds, removes and redials them). */
#include <stdlib.h>
#include <string.h>

#include "net.h"

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

int peer_has_next(const struct peer *p)
{
	static const uint8_t zero[CX_PK_LEN];

	return memcmp(p->rec.next_pk, zero, CX_PK_LEN) != 0;
}

/* A peer that announced its next key is known by either key until it
 * first links with the new one. */
struct peer *peer_by_pk(struct node *n, const uint8_t pk[static CX_PK_LEN])
{
	for (struct peer *p = n->peers; p; p = p->next)
		if (!memcmp(p->rec.pk, pk, CX_PK_LEN) ||
		    (peer_has_next(p) && !memcmp(p->rec.next_pk, pk, CX_PK_LEN)))
			return p;
	return NULL;
}

static const char *source(const struct peer *p)
{
	return p ? p->rec.name : "an unauthenticated connection";
}

/* "N more drops of this kind" once a window with suppressed lines is over. */
static void summarise(struct node *n, const struct peer *p, enum drop why,
		      struct node_ratelog *r, uint64_t now)
{
	uint64_t more = node_ratelog_due(r, now);

	if (more)
		node_log("warn", "%s: dropped %llu more from %s as %s in the last %d s (not "
			 "logged one by one; %llu in all)", n->cfg.name, (unsigned long long)more,
			 source(p), drop_names[why], NODE_LOG_WINDOW_MS / 1000,
			 (unsigned long long)(p ? p->drops[why] : n->drops[why]));
}

/* Every refusal is counted; its log line is rate limited per source and
 * reason (NODE_LOG_BURST a minute), the rest summed up once the minute is
 * over, so a hostile peer can neither flood the log nor go quiet in it. */
void peer_drop(struct node *n, struct peer *p, enum drop why, const char *detail)
{
	struct node_ratelog *r = p ? &p->drop_log[why] : &n->drop_log[why];
	uint64_t now = node_now_ms();

	n->drops[why]++;
	if (p)
		p->drops[why]++;
	summarise(n, p, why, r, now);
	if (node_ratelog_allow(r, now))
		node_log("warn", "%s: dropped from %s: %s%s%s (%llu so far)", n->cfg.name,
			 source(p), drop_names[why], detail ? ", " : "", detail ? detail : "",
			 (unsigned long long)(p ? p->drops[why] : n->drops[why]));
}

static void on_summary(uv_timer_t *t)
{
	struct node *n = t->data;
	uint64_t now = node_now_ms();

	for (int why = 0; why < DROP_COUNT; why++) {
		summarise(n, NULL, (enum drop)why, &n->drop_log[why], now);
		for (struct peer *p = n->peers; p; p = p->next)
			summarise(n, p, (enum drop)why, &p->drop_log[why], now);
	}
}

void peer_drops_start(struct node *n)
{
	uv_timer_init(&n->loop, &n->drop_summary);
	n->drop_summary.data = n;
	uv_timer_start(&n->drop_summary, on_summary, NODE_LOG_WINDOW_MS, NODE_LOG_WINDOW_MS);
}

void peer_free(struct peer *p)
{
	cx_secret_free(p->key);
	cx_replay_free(&p->replay);
	free(p->carried);
	free(p);
}

void peers_free(struct node *n)
{
	struct peer *p, *next;

	for (p = n->peers; p; p = next) {
		next = p->next;
		peer_free(p);
	}
	n->peers = NULL;
}
