/* SPDX-License-Identifier: Apache-2.0 */
/* bench_replay: what one peer's replay window (crypto/replay.c) costs in
 * memory and probes, with the node's parameters (REPLAY_MAX, a span of
 * 2 x ENV_SKEW_MS). One sender at a steady rate: N envelope ids over one
 * span (ts = send time, received 2 ms later), so the window ends full;
 * then N more over the next span while the first ones expire (steady
 * state); then the clock runs past the span and one more id arrives,
 * which frees every expired bucket. Heap in use (mallinfo2: arena plus
 * mmapped chunks) and RSS (/proc/self/statm) are read at each step, and
 * once more after malloc_trim(0), which the node calls only after large
 * console requests, never on this path. Prints one JSON object. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../crypto/cx.h"
#include "../../node/net/net.h"

#define BASE_MS 1750000000123ull  /* a wall clock in ms, off the bucket edges */
#define DELIVERY_MS 2
#define REPLAYS_MAX 100000        /* remembered ids checked again */

struct mem {
	size_t heap, rss;
};

struct bench {
	struct cx_replay r;
	uint64_t n, span;
	uint8_t salt[TN_ID_LEN];
	uint64_t probes, lookups;     /* of new ids whose bucket did not grow */
	int failed;
};

static struct mem mem_now(void)
{
	struct mallinfo2 mi = mallinfo2();
	unsigned long size = 0, resident = 0;
	struct mem m = { mi.uordblks + mi.hblkhd, 0 };
	FILE *f = fopen("/proc/self/statm", "r");

	if (f && fscanf(f, "%lu %lu", &size, &resident) == 2)
		m.rss = resident * (size_t)sysconf(_SC_PAGESIZE);
	if (f)
		fclose(f);
	return m;
}

static double mib(size_t bytes)
{
	return (double)bytes / (1 << 20);
}

/* Envelope id number i: random-looking, and the same each time. */
static void id_of(const struct bench *b, uint64_t i, uint8_t id[TN_ID_LEN])
{
	memcpy(id, b->salt, TN_ID_LEN);
	for (int k = 0; k < 8; k++)
		id[k] ^= (uint8_t)(i >> (8 * k));
}

/* The ts of id i: sent at a steady rate, N ids a span. */
static uint64_t ts_of(const struct bench *b, uint64_t i)
{
	return BASE_MS + i * b->span / b->n;
}

/* Check id i as received DELIVERY_MS after its ts; count the probes of
 * the lookup unless the bucket grew (a rehash is not a lookup). */
static int check(struct bench *b, uint64_t i)
{
	uint8_t id[TN_ID_LEN];
	uint64_t ts = ts_of(b, i), probes = b->r.probes;
	size_t bytes = cx_replay_bytes(&b->r);
	int rc;

	id_of(b, i, id);
	rc = cx_replay_check(&b->r, id, ts, ts + DELIVERY_MS);
	if (!rc && cx_replay_bytes(&b->r) == bytes) {
		b->probes += b->r.probes - probes;
		b->lookups++;
	}
	return rc;
}

/* Ids from .. to-1, all new. */
static int fill(struct bench *b, uint64_t from, uint64_t to)
{
	uint64_t i;
	int rc = 0;

	for (i = from; i < to && !rc; i++)
		rc = check(b, i);
	if (rc)
		fprintf(stderr, "bench_replay: id %llu: %s\n", (unsigned long long)i - 1,
			tn_strerror(rc));
	return rc;
}

/* Slots compared per check of an id the window holds (a replay), over
 * ids spread across the window from first on. */
static double replay_probes(struct bench *b, uint64_t first)
{
	uint64_t m = b->n < REPLAYS_MAX ? b->n : REPLAYS_MAX, step = b->n / m;
	uint64_t probes = b->r.probes, i;
	uint8_t id[TN_ID_LEN];

	for (i = 0; i < m; i++) {
		uint64_t k = first + i * step, ts = ts_of(b, k);

		id_of(b, k, id);
		if (cx_replay_check(&b->r, id, ts, ts_of(b, first + b->n - 1) + DELIVERY_MS) !=
		    TN_ERR_REPLAY) {
			fprintf(stderr, "bench_replay: id %llu was not remembered\n",
				(unsigned long long)k);
			b->failed = 1;
			break;
		}
	}
	return i ? (double)(b->r.probes - probes) / (double)i : 0;
}

static void print_mem(const char *name, struct mem m, int comma)
{
	printf("  \"rss_%s_mb\": %.1f,\n  \"heap_%s_mb\": %.2f%s\n", name, mib(m.rss), name,
	       mib(m.heap), comma ? "," : "");
}

static int run(struct bench *b)
{
	struct mem m0 = mem_now(), full, steady, after, trimmed;
	size_t table;
	double hit;

	if (fill(b, 0, b->n))
		return 1;
	full = mem_now();
	table = cx_replay_bytes(&b->r);
	hit = replay_probes(b, 0);
	if (b->failed || fill(b, b->n, 2 * b->n))
		return 1;
	steady = mem_now();
	/* A span and a bucket past the last id: everything has expired. */
	if (check(b, 3 * b->n + b->n / 10 + 1))
		return 1;
	after = mem_now();
	malloc_trim(0);
	trimmed = mem_now();
	printf("{\n  \"ids\": %llu,\n  \"max\": %zu,\n  \"span_ms\": %llu,\n",
	       (unsigned long long)b->n, b->r.max, (unsigned long long)b->span);
	printf("  \"bytes_per_id\": %.1f,\n  \"rss_bytes_per_id\": %.1f,\n"
	       "  \"table_bytes_per_id\": %.1f,\n",
	       (double)(full.heap - m0.heap) / b->n, (double)(full.rss - m0.rss) / b->n,
	       (double)table / b->n);
	print_mem("before", m0, 1);
	print_mem("full", full, 1);
	print_mem("steady", steady, 1);
	print_mem("after_window", after, 1);
	print_mem("after_trim", trimmed, 1);
	printf("  \"probes_per_lookup\": %.3f,\n  \"probes_per_replay\": %.3f\n}\n",
	       b->lookups ? (double)b->probes / b->lookups : 0, hit);
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench b;
	int rc;

	if (argc > 2 || (argc == 2 && strtoull(argv[1], NULL, 10) == 0)) {
		fputs("usage: bench_replay [IDS]   (default 1000000, one sender, one span)\n",
		      stderr);
		return 2;
	}
	if (cx_init()) {
		fputs("bench_replay: cx_init failed\n", stderr);
		return 1;
	}
	b.n = argc == 2 ? strtoull(argv[1], NULL, 10) : 1000000;
	b.span = 2 * ENV_SKEW_MS;
	cx_random(b.salt, sizeof(b.salt));
	/* The node's limit, unless IDS is too many for it (then room for two spans). */
	cx_replay_init(&b.r, REPLAY_MAX > 2 * b.n ? REPLAY_MAX : 2 * b.n, b.span);
	rc = run(&b);
	cx_replay_free(&b.r);
	return rc;
}
