/* SPDX-License-Identifier: Apache-2.0 */
/* Replay window: the ids of envelopes accepted from one peer in the last
 * 2 x ENV_SKEW_MS, in an open-addressing table. Envelopes older than that
 * are refused by their timestamp, so nothing older needs remembering. */
#include <stdlib.h>
#include <string.h>

#include "net.h"

static size_t slot_of(const struct replay *r, const uint8_t *id)
{
	uint64_t h;

	memcpy(&h, id, sizeof(h));  /* ids are random: any 8 bytes hash well */
	return (size_t)(h & (r->cap - 1));
}

static int expired(uint64_t ts, uint64_t now)
{
	return ts + 2 * ENV_SKEW_MS < now;
}

/* Rebuild the table without expired ids, growing it if it is still busy.
 * A full window is not rescanned for every envelope: at most once a second. */
static int rehash(struct replay *r, uint64_t now)
{
	struct replay old = *r;
	size_t live = 0, cap;

	if (now < r->full_until)
		return TN_ERR_LIMIT;
	for (size_t i = 0; i < old.cap; i++)
		live += old.ts[i] && !expired(old.ts[i], now);
	if (live >= REPLAY_MAX) {
		r->full_until = now + 1000;
		return TN_ERR_LIMIT;
	}
	for (cap = old.cap ? old.cap : 64; cap < 4 * (live + 1); cap *= 2)
		;
	r->ids = calloc(cap, sizeof(*r->ids));
	r->ts = calloc(cap, sizeof(*r->ts));
	if (!r->ids || !r->ts) {
		free(r->ids);
		free(r->ts);
		*r = old;
		return TN_ERR_NOMEM;
	}
	r->cap = cap;
	r->n = 0;
	r->full_until = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.ts[i] && !expired(old.ts[i], now))
			(void)!replay_check(r, old.ids[i], old.ts[i], now);
	free(old.ids);
	free(old.ts);
	return 0;
}

int replay_check(struct replay *r, const uint8_t id[static TN_ID_LEN], uint64_t ts, uint64_t now)
{
	size_t i;
	int rc;

	if (2 * (r->n + 1) > r->cap && (rc = rehash(r, now)))
		return rc;
	for (i = slot_of(r, id); r->ts[i]; i = (i + 1) & (r->cap - 1))
		if (!memcmp(r->ids[i], id, TN_ID_LEN))
			return TN_ERR_REPLAY;
	memcpy(r->ids[i], id, TN_ID_LEN);
	r->ts[i] = ts ? ts : 1;
	r->n++;
	return 0;
}

void replay_free(struct replay *r)
{
	free(r->ids);
	free(r->ts);
	memset(r, 0, sizeof(*r));
}
