/* SPDX-License-Identifier: Apache-2.0 */
/* Replay window: the envelope ids of one peer seen within span ms. An
 * envelope's ts is authenticated, so a replay carries the same ts as the
 * original: ids live in buckets by ts (a tenth of the span each), and a
 * lookup searches one bucket. Each id is kept as a 64-bit SipHash of id
 * and ts under a random key (a sender cannot make them collide; a chance
 * one is 2^-64 per pair), 16 to 32 bytes an id, and a whole bucket is
 * freed once all it holds has left the window. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cx.h"

static uint64_t width_of(const struct cx_replay *r)
{
	return r->span_ms / 10 ? r->span_ms / 10 : 1;
}

/* Free the buckets whose every id is older than the span. */
static void expire(struct cx_replay *r, uint64_t now)
{
	uint64_t w = width_of(r);

	for (int i = 0; i < CX_REPLAY_BUCKETS; i++) {
		struct cx_replay_bucket *b = &r->b[i];

		if (b->fp && (b->epoch + 1) * w + r->span_ms <= now) {
			r->n -= b->n;
			free(b->fp);
			memset(b, 0, sizeof(*b));
		}
	}
}

static uint64_t fingerprint(const struct cx_replay *r, const uint8_t id[TN_ID_LEN], uint64_t ts)
{
	uint8_t in[TN_ID_LEN + 8], h[crypto_shorthash_BYTES];
	uint64_t v;

	memcpy(in, id, TN_ID_LEN);
	memcpy(in + TN_ID_LEN, &ts, 8);
	crypto_shorthash(h, in, sizeof(in), r->key);
	memcpy(&v, h, sizeof(v));
	return v ? v : 1;   /* 0 marks a free slot */
}

/* The slot of fp in b: where it is, or the free one where it would go. */
static uint32_t find(struct cx_replay *r, const struct cx_replay_bucket *b, uint64_t fp)
{
	uint32_t i = (uint32_t)(fp & (b->cap - 1));

	for (; b->fp[i]; i = (i + 1) & (b->cap - 1)) {
		r->probes++;
		if (b->fp[i] == fp)
			break;
	}
	return i;
}

/* Room for one more in b: grown (doubling from 64) at half full; 1 when
 * it moved. */
static int reserve(struct cx_replay *r, struct cx_replay_bucket *b)
{
	struct cx_replay_bucket old = *b;
	uint32_t cap = b->cap ? 2 * b->cap : 64;

	if (2 * (b->n + 1) <= b->cap)
		return 0;
	if (!(b->fp = calloc(cap, sizeof(*b->fp)))) {
		b->fp = old.fp;
		return TN_ERR_NOMEM;
	}
	b->cap = cap;
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.fp[i])
			b->fp[find(r, b, old.fp[i])] = old.fp[i];
	free(old.fp);
	return 1;
}

void cx_replay_init(struct cx_replay *r, size_t max, uint64_t span_ms)
{
	memset(r, 0, sizeof(*r));
	r->max = max;
	r->span_ms = span_ms;
	crypto_shorthash_keygen(r->key);
}

int cx_replay_check(struct cx_replay *r, const uint8_t id[static TN_ID_LEN], uint64_t ts,
		    uint64_t now)
{
	uint64_t epoch = ts / width_of(r), fp = fingerprint(r, id, ts);
	struct cx_replay_bucket *b = &r->b[epoch % CX_REPLAY_BUCKETS];
	uint32_t i = 0;
	int rc;

	expire(r, now);
	if (b->fp && b->epoch != epoch)
		return TN_ERR_LIMIT;   /* ts far outside the window the receiver accepts */
	b->epoch = epoch;
	if (b->fp && b->fp[i = find(r, b, fp)] == fp)
		return TN_ERR_REPLAY;
	if (r->n >= r->max)
		return TN_ERR_LIMIT;
	if ((rc = reserve(r, b)) < 0)
		return rc;
	if (rc)
		i = find(r, b, fp);
	b->fp[i] = fp;
	b->n++;
	r->n++;
	return 0;
}

size_t cx_replay_bytes(const struct cx_replay *r)
{
	size_t bytes = 0;

	for (int i = 0; i < CX_REPLAY_BUCKETS; i++)
		bytes += (size_t)r->b[i].cap * sizeof(*r->b[i].fp);
	return bytes;
}

void cx_replay_free(struct cx_replay *r)
{
	for (int i = 0; i < CX_REPLAY_BUCKETS; i++)
		free(r->b[i].fp);
	sodium_memzero(r->key, sizeof(r->key));
	memset(r->b, 0, sizeof(r->b));
	r->n = 0;
}
