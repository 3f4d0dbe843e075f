/* SPDX-License-Identifier: Apache-2.0 */
/* Replay window: the ids of envelopes accepted from one peer in the last
 * span milliseconds, in an open-addressing table indexed by a keyed hash
 * (SipHash, a random key per window), so a sender choosing its ids cannot
 * make them collide. Envelopes older than the span are refused by their
 * timestamp, so nothing older needs remembering. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cx.h"

#define PROBE_MAX 32   /* a longer run means the table must be rebuilt */

static size_t slot_of(const struct cx_replay *r, const uint8_t *id)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, id, TN_ID_LEN, r->key);
	memcpy(&v, h, sizeof(v));
	return (size_t)(v & (r->cap - 1));
}

static int expired(const struct cx_replay *r, uint64_t ts, uint64_t now)
{
	return ts + r->span_ms < now;
}

static int insert(struct cx_replay *r, const uint8_t *id, uint64_t ts);

/* Rebuild the table without expired ids, growing it if it is still busy.
 * A full window is not rescanned for every envelope: at most once a second. */
static int rehash(struct cx_replay *r, uint64_t now)
{
	struct cx_replay old = *r;
	size_t live = 0, cap;

	if (now < r->full_until)
		return TN_ERR_LIMIT;
	for (size_t i = 0; i < old.cap; i++)
		live += old.ts[i] && !expired(r, old.ts[i], now);
	if (live >= r->max) {
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
	crypto_shorthash_keygen(r->key);
	for (size_t i = 0; i < old.cap; i++)
		if (old.ts[i] && !expired(r, old.ts[i], now))
			(void)!insert(r, old.ids[i], old.ts[i]);
	free(old.ids);
	free(old.ts);
	return 0;
}

/* 0 and id stored, TN_ERR_REPLAY if it is there, TN_ERR_AGAIN when its
 * run of slots is too long (rebuild and retry). */
static int insert(struct cx_replay *r, const uint8_t *id, uint64_t ts)
{
	size_t i = slot_of(r, id);

	for (unsigned probe = 0; r->ts[i]; probe++, i = (i + 1) & (r->cap - 1)) {
		r->probes++;
		if (!memcmp(r->ids[i], id, TN_ID_LEN))
			return TN_ERR_REPLAY;
		if (probe == PROBE_MAX)
			return TN_ERR_AGAIN;
	}
	memcpy(r->ids[i], id, TN_ID_LEN);
	r->ts[i] = ts ? ts : 1;
	r->n++;
	return 0;
}

void cx_replay_init(struct cx_replay *r, size_t max, uint64_t span_ms)
{
	memset(r, 0, sizeof(*r));
	r->max = max;
	r->span_ms = span_ms;
}

int cx_replay_check(struct cx_replay *r, const uint8_t id[static TN_ID_LEN], uint64_t ts,
		    uint64_t now)
{
	int rc;

	if (2 * (r->n + 1) > r->cap && (rc = rehash(r, now)))
		return rc;
	rc = insert(r, id, ts);
	if (rc == TN_ERR_AGAIN) {
		r->full_until = 0;
		rc = rehash(r, now);
		rc = rc ? rc : insert(r, id, ts);
	}
	return rc == TN_ERR_AGAIN ? TN_ERR_LIMIT : rc;
}

void cx_replay_free(struct cx_replay *r)
{
	free(r->ids);
	free(r->ts);
	sodium_memzero(r->key, sizeof(r->key));
	r->ids = NULL;
	r->ts = NULL;
	r->cap = r->n = 0;
}
