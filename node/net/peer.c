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
