/* SPDX-License-Identifier: Apache-2.0 */
/* bench_store: the store's own speed, without node or network. Bulk-puts a
 * record CSV into a fresh store in large transactions (parse and put timed
 * apart), adds lost/stolen reports, notes the file's size, then times local
 * record and stolen lookups of known and unknown serials, in loops and one
 * at a time. Prints one JSON object. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../proto/proto.h"
#include "lib/csv_file.h"
#include "lib/timing.h"
#include "../../store/store.h"

#define LOOKUP_SECONDS_MAX 5.0
#define TIMED_LOOKUPS 10000          /* known records found one at a time */

struct key {
	char make[TN_MAKE_LEN];
	char serial[TN_SERIAL_LEN];
};

struct bench {
	struct store *st;
	struct tn_record *chunk;     /* records parsed, not yet put */
	uint32_t n_chunk, batch;
	uint64_t rows, puts, rejected, stolen;
	double put_s;
	struct key *known;           /* a sample of the records, for lookups */
	uint32_t n_known, max_known, every;
	uint64_t rng;                /* xorshift64 state of the sampling */
	struct stolen_csv sc;        /* the stolen CSV */
	struct key *skeys;           /* their make and serial, for lookups */
	int failed;
};

static int put_op(struct store_txn *t, void *arg)
{
	struct bench *b = arg;
	int rc;

	for (uint32_t i = 0; i < b->n_chunk; i++)
		if ((rc = store_record_add(t, &b->chunk[i])) && rc != TN_ERR_EXISTS)
			return rc;
	return 0;
}

/* Put the parsed chunk in one durable transaction; only this is "put" time. */
static int flush_chunk(struct bench *b)
{
	double t0 = tm_now_s();
	int rc = store_write(b->st, put_op, b);

	b->put_s += tm_now_s() - t0;
	if (rc) {
		fprintf(stderr, "bench_store: put failed: %s\n", tn_strerror(rc));
		return b->failed = 1;
	}
	b->puts += b->n_chunk;
	for (uint32_t i = 0; i < b->n_chunk; i++)
		proto_release(&proto_record_schema, &b->chunk[i]);
	b->n_chunk = 0;
	return 0;
}

static uint64_t next_random(struct bench *b)
{
	b->rng ^= b->rng << 13;
	b->rng ^= b->rng >> 7;
	b->rng ^= b->rng << 17;
	return b->rng;
}

/* Every 7th row is a candidate; once max_known are held, a candidate
 * replaces a random one (reservoir sampling), so the sample spans the file
 * however long it is. */
static void sample_known(struct bench *b, const struct tn_record *r)
{
	uint64_t c = b->rows / b->every, j;   /* candidates so far, this one too */
	struct key *k;

	if (b->rows % b->every || !b->max_known)
		return;
	if (b->n_known < b->max_known)
		k = &b->known[b->n_known++];
	else if ((j = next_random(b) % c) < b->max_known)
		k = &b->known[j];
	else
		return;
	memcpy(k->make, r->make, sizeof(k->make));
	memcpy(k->serial, r->serial, sizeof(k->serial));
}

static int on_record(void *arg, char **f, int n, unsigned long line)
{
	struct bench *b = arg;
	struct tn_record *r = &b->chunk[b->n_chunk];
	char why[TN_TEXT_LEN];

	if (line == 1 && n > 0 && !strcasecmp(f[0], "make"))
		return 0;
	b->rows++;
	if (proto_record_from_csv(r, f, n, why, sizeof(why)) ||
	    proto_record_check(r, why, sizeof(why))) {
		proto_release(&proto_record_schema, r);
		b->rejected++;
		return 0;
	}
	sample_known(b, r);
	if (++b->n_chunk == b->batch)
		return flush_chunk(b);
	return 0;
}

static int on_bad(void *arg, unsigned long line, const char *why)
{
	(void)line;
	(void)why;
	((struct bench *)arg)->rejected++;
	return 0;
}

/* Stream path through the CSV parser, bad rows counted as rejected. */
static int parse_file(const char *path, proto_csv_row_fn row, void *arg)
{
	int rc = csv_file_read(path, row, on_bad, arg);

	if (rc)
		fprintf(stderr, "bench_store: cannot parse %s\n", path);
	return rc;
}

static int stolen_op(struct store_txn *t, void *arg)
{
	struct bench *b = arg;
	int rc;

	b->stolen = 0;
	for (uint32_t i = 0; i < b->sc.n; i++) {
		if ((rc = store_stolen_add(t, &b->sc.reports[i])) < 0 && rc != TN_ERR_INVALID)
			return rc;
		b->stolen += rc == 0;
	}
	return 0;
}

static int count_record(void *arg, const struct tn_record *r)
{
	(void)r;
	++*(uint64_t *)arg;
	return 0;
}

static int count_stolen(void *arg, const struct tn_stolen *s)
{
	(void)s;
	++*(uint64_t *)arg;
	return 0;
}

struct loop {
	const char *name;
	int stolen;          /* store_stolen_find, else store_record_find */
	int known;           /* serials on file, else unknown ones */
	int txn_each;        /* one read transaction per lookup */
};

/* A serial no record has, spread over the key space: real serials never
 * hold the letter O. */
static void unknown_serial(uint32_t i, char *out, size_t cap)
{
	uint32_t h = i * 2654435761u;

	snprintf(out, cap, "%c%c%06uO", 'A' + h % 26, 'A' + (h >> 8) % 26, (h >> 12) % 1000000);
}

/* Lookup i: known key i (cycling), or an unknown serial under a known make. */
static int find_one(struct store_txn *t, const struct loop *l, const struct key *keys,
		    uint32_t nk, uint32_t i, uint64_t *hits)
{
	struct key k = keys[i % nk];

	if (!l->known)
		unknown_serial(i, k.serial, sizeof(k.serial));
	if (l->stolen)
		return store_stolen_find(t, k.make, k.serial, count_stolen, hits);
	return store_record_find(t, k.make, k.serial, count_record, hits);
}

/* Run up to n lookups (bounded in time too); print "name_per_s". */
static int lookup_loop(struct bench *b, const struct loop *l, uint32_t n)
{
	const struct key *keys = l->stolen && l->known ? b->skeys : b->known;
	uint32_t nk = l->stolen && l->known ? b->sc.n : b->n_known, i;
	struct store_txn *t = NULL;
	uint64_t hits = 0;
	double t0 = tm_now_s(), dt;
	int rc = 0;

	if (!nk) {
		printf(",\n  \"%s_per_s\": null", l->name);
		return 0;
	}
	for (i = 0; i < n && rc >= 0; i++) {
		if (!t && (rc = store_read_begin(b->st, &t)))
			break;
		rc = find_one(t, l, keys, nk, i, &hits);
		if (l->txn_each || (i & 1023) == 1023) {
			store_read_end(t);
			t = NULL;
			if ((i & 1023) == 1023 && tm_now_s() - t0 > LOOKUP_SECONDS_MAX)
				break;
		}
	}
	if (t)
		store_read_end(t);
	dt = tm_now_s() - t0;
	if (rc < 0) {
		fprintf(stderr, "bench_store: %s: %s\n", l->name, tn_strerror(rc));
		return 1;
	}
	printf(",\n  \"%s_per_s\": %.0f,\n  \"%s_hits\": %llu", l->name, i / dt, l->name,
	       (unsigned long long)hits);
	return 0;
}

static const struct loop loops[] = {
	{ "record_find_known", 0, 1, 0 },
	{ "record_find_unknown", 0, 0, 0 },
	{ "stolen_find_known", 1, 1, 0 },
	{ "stolen_find_unknown", 1, 0, 0 },
	{ "stolen_find_unknown_txn_each", 1, 0, 1 },
};

static int run_lookups(struct bench *b, uint32_t n)
{
	if (!n)
		return 0;
	printf(",\n  \"lookups\": %u", n);
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++)
		if (lookup_loop(b, &loops[i], n))
			return 1;
	return 0;
}

static int run_import(struct bench *b, const char *path)
{
	double t0 = tm_now_s(), total;

	if (parse_file(path, on_record, b) || b->failed || (b->n_chunk && flush_chunk(b)))
		return 1;
	total = tm_now_s() - t0;
	printf("  \"records\": %llu,\n  \"rejected\": %llu,\n  \"batch\": %u,\n",
	       (unsigned long long)b->puts, (unsigned long long)b->rejected, b->batch);
	printf("  \"parse_s\": %.3f,\n  \"put_s\": %.3f,\n", total - b->put_s, b->put_s);
	printf("  \"parse_per_s\": %.0f,\n  \"put_per_s\": %.0f,\n  \"parse_put_per_s\": %.0f",
	       b->rows / (total - b->put_s), b->puts / b->put_s, b->puts / total);
	return 0;
}

static int run_stolen(struct bench *b, const char *path)
{
	double t0;
	int rc;

	if (stolen_csv_load(&b->sc, path)) {
		fprintf(stderr, "bench_store: cannot parse %s\n", path);
		return 1;
	}
	if (!(b->skeys = calloc(b->sc.n + 1, sizeof(*b->skeys))))
		return 1;
	for (uint32_t i = 0; i < b->sc.n; i++) {
		memcpy(b->skeys[i].make, b->sc.reports[i].make, TN_MAKE_LEN);
		memcpy(b->skeys[i].serial, b->sc.reports[i].serial, TN_SERIAL_LEN);
	}
	t0 = tm_now_s();
	if ((rc = store_write(b->st, stolen_op, b))) {
		fprintf(stderr, "bench_store: stolen put: %s\n", tn_strerror(rc));
		return 1;
	}
	printf(",\n  \"stolen\": %llu,\n  \"stolen_put_per_s\": %.0f",
	       (unsigned long long)b->stolen, b->stolen / (tm_now_s() - t0));
	return 0;
}

/* The size of DIR/store/data.mdb, in MiB. */
static void report_file(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/store/data.mdb", dir);

	if (n > 0 && n < (int)sizeof(path) && !stat(path, &st))
		printf(",\n  \"file_mb\": %.1f", (double)st.st_size / (1 << 20));
	else
		printf(",\n  \"file_mb\": null");
}

/* Known records found one at a time, each in a read transaction of its
 * own (as a query's), spread over the sample: p50 and p99. */
static int run_timed_lookups(struct bench *b)
{
	uint32_t n = b->n_known < TIMED_LOOKUPS ? b->n_known : TIMED_LOOKUPS, i;
	double *us = calloc(n ? n : 1, sizeof(*us)), t0;
	struct store_txn *t;
	uint64_t hits = 0;
	int rc = 0;

	if (!us)
		return 1;
	for (i = 0; i < n && rc >= 0; i++) {
		const struct key *k = &b->known[(uint64_t)i * b->n_known / n];

		t0 = tm_now_s();
		if (!(rc = store_read_begin(b->st, &t))) {
			rc = store_record_find(t, k->make, k->serial, count_record, &hits);
			store_read_end(t);
		}
		us[i] = (tm_now_s() - t0) * 1e6;
	}
	if (rc >= 0 && n) {
		tm_sort(us, n);
		printf(",\n  \"record_find_timed\": %u,\n  \"record_find_timed_hits\": %llu,\n"
		       "  \"record_find_p50_us\": %.1f,\n  \"record_find_p99_us\": %.1f", n,
		       (unsigned long long)hits, tm_pct(us, n, 0.5), tm_pct(us, n, 0.99));
	}
	free(us);
	if (rc < 0)
		fprintf(stderr, "bench_store: timed lookups: %s\n", tn_strerror(rc));
	return rc < 0;
}

static int floor_op(struct store_txn *t, void *arg)
{
	return store_meta_put(t, "bench:floor", arg, sizeof(uint32_t));
}

/* The commit floor: durable commits of one small value, one at a time,
 * on this disk, as every path of the node pays them in series. */
static int run_commit_floor(struct bench *b, uint32_t n)
{
	double *us = calloc(n ? n : 1, sizeof(*us)), t0;
	int rc = 0;

	if (!us)
		return 1;
	for (uint32_t i = 0; i < n && !rc; i++) {
		t0 = tm_now_s();
		rc = store_write(b->st, floor_op, &i);
		us[i] = (tm_now_s() - t0) * 1e6;
	}
	if (!rc && n) {
		tm_sort(us, n);
		printf(",\n  \"commit_floor_n\": %u,\n  \"commit_floor_p50_us\": %.0f,\n"
		       "  \"commit_floor_p99_us\": %.0f", n, tm_pct(us, n, 0.5), tm_pct(us, n, 0.99));
	}
	free(us);
	if (rc)
		fprintf(stderr, "bench_store: commit floor: %s\n", tn_strerror(rc));
	return rc != 0;
}

static int usage(void)
{
	fputs("usage: bench_store DIR RECORDS.csv STOLEN.csv [BATCH [LOOKUPS [MAP_MB]]]\n"
	      "  DIR must not hold a store yet; BATCH records per transaction\n"
	      "  (default 100000), LOOKUPS per lookup loop (default 200000, 0: none),\n"
	      "  MAP_MB the initial map (default 64, as a node's; it doubles when full)\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct bench b = { .batch = 100000, .max_known = 200000, .rng = 88172645463325252ull };
	uint32_t lookups = 200000;
	size_t map = STORE_MAP_DEFAULT;
	int rc;

	if (argc < 4 || argc > 7)
		return usage();
	if (argc > 4)
		b.batch = (uint32_t)strtoul(argv[4], NULL, 10);
	if (argc > 5)
		lookups = b.max_known = (uint32_t)strtoul(argv[5], NULL, 10);
	if (argc > 6)
		map = (size_t)strtoull(argv[6], NULL, 10) << 20;
	b.every = 7;   /* sample every 7th record, spread over the file */
	b.chunk = calloc(b.batch ? b.batch : 1, sizeof(*b.chunk));
	b.known = calloc(b.max_known ? b.max_known : 1, sizeof(*b.known));
	if (!b.batch || !b.chunk || !b.known)
		return usage();
	mkdir(argv[1], 0700);   /* the store goes in DIR/store */
	if ((rc = store_open(&b.st, argv[1], map, STORE_MAP_MAX_DEFAULT))) {
		fprintf(stderr, "bench_store: %s: %s\n", argv[1], tn_strerror(rc));
		return 1;
	}
	printf("{\n");
	rc = run_import(&b, argv[2]) || run_stolen(&b, argv[3]);
	if (!rc)
		report_file(argv[1]);
	rc = rc || run_lookups(&b, lookups) || run_timed_lookups(&b) ||
	     run_commit_floor(&b, lookups ? 500 : 0);
	printf("\n}\n");
	store_close(b.st);
	free(b.chunk);
	free(b.known);
	free(b.sc.reports);
	free(b.skeys);
	return rc;
}
