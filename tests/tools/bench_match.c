/* SPDX-License-Identifier: Apache-2.0 */
/* bench_match: serial matching measured on a node's store. Runs each query
 * of a gen-misreads.py file through store_record_match and prints, as one
 * JSON object, how often the record it came from is among the candidates
 * (per kind of misread), how many candidates come back, and how long the
 * fuzzy and the exact lookups take. --index-size compares the bytes per
 * record of the old and the new serial index key instead. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../proto/proto.h"
#include "../../store/store.h"
#include "lib/match_index.h"
#include "lib/timing.h"

enum { F_KIND, F_MAKE, F_SERIAL, F_MODEL, F_CALIBER, F_TYPE, F_TMAKE, F_TSERIAL, F_N };

/* The kinds of gen-misreads.py, in its order. */
static const char *const kind_names[] = {
	"exact", "confusable", "transposition", "drop", "extra", "substitution",
	"unreadable1", "unreadable2", "importer_as_make", "never_issued",
};
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))
#define KIND_EXACT 0
#define KIND_NEVER 9
/* Kinds whose queries hold one edit and no misread character: the reason
 * given for their record should name no confusable. */
#define PURE_EDIT(k) ((k) >= 2 && (k) <= 5)

struct query {
	int kind;
	char *f[F_N];                 /* into line */
	char tmake[TN_MAKE_LEN];      /* the truth, normalized; "" for none */
	char tserial[TN_SERIAL_LEN];
	char *line;
};

struct kind_stats {
	uint32_t n, hit1, hit10, hitk, errors, limit, shadowed, misexplained, tied10;
	uint64_t cands;
	double *us;                   /* fuzzy lookup of each query */
};

struct bench {
	struct store *st;
	struct query *q;
	uint32_t n, cap, k;
	struct kind_stats ks[N_KINDS];
	double *cands, *exact_us;     /* per query; exact lookups */
	double *hit_us;               /* exact lookups that found a record */
	uint32_t n_exact, n_hit;
	struct match_cand *c;
	bool misses;                  /* print queries whose record is not found */
};

static int kind_of(const char *name)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (!strcmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

/* Split a line of the queries file into q; -1 when it is not one. */
static int parse_query(struct query *q, char *line)
{
	char *p = line;
	int i;

	line[strcspn(line, "\r\n")] = '\0';
	for (i = 0; i < F_N && p; i++) {
		q->f[i] = p;
		if ((p = strchr(p, '\t')))
			*p++ = '\0';
	}
	if (i < F_N || (q->kind = kind_of(q->f[F_KIND])) < 0)
		return -1;
	q->tmake[0] = q->tserial[0] = '\0';
	if (q->f[F_TSERIAL][0] &&
	    (proto_norm_make(q->f[F_TMAKE], q->tmake, sizeof(q->tmake)) <= 0 ||
	     proto_norm_serial(q->f[F_TSERIAL], q->tserial, sizeof(q->tserial)) <= 0))
		return -1;
	q->line = line;
	return 0;
}

static int load_queries(struct bench *b, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned long no = 0;
	int ret = -1;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		if (!no++ && !strncmp(line, "kind\t", 5))
			continue;
		if (b->n == b->cap) {
			struct query *nq = realloc(b->q, (b->cap * 2 + 1024) * sizeof(*nq));

			if (!nq)
				goto out;
			b->q = nq;
			b->cap = b->cap * 2 + 1024;
		}
		if (parse_query(&b->q[b->n], line)) {
			fprintf(stderr, "bench_match: %s:%lu: not a query\n", path, no);
			goto out;
		}
		b->n++;
		line = NULL;
		cap = 0;
	}
	ret = ferror(f) ? -1 : 0;
out:
	free(line);
	fclose(f);
	return ret;
}

/* The rank of q's record among the n candidates, or -1. */
static int truth_rank(struct store_txn *t, const struct query *q, const struct match_cand *c,
		      int n)
{
	char make[TN_MAKE_LEN], serial[TN_SERIAL_LEN];
	struct tn_record r;
	int found = 0;

	if (!q->tserial[0])
		return -1;
	for (int i = 0; i < n; i++) {
		if (store_record_get(t, c[i].id, &r))
			continue;
		found = proto_norm_make(r.make, make, sizeof(make)) > 0 &&
			proto_norm_serial(r.serial, serial, sizeof(serial)) > 0 &&
			!strcmp(make, q->tmake) && !strcmp(serial, q->tserial);
		proto_release(&proto_record_schema, &r);
		if (found)
			return i;
	}
	return -1;
}

/* A query whose record is not among its n candidates, on stderr. */
static void print_miss(const struct query *q, const struct match_cand *c, int n)
{
	fprintf(stderr, "miss %s: make %s serial %s model %s; truth %s %s; %d candidates%s%s\n",
		q->f[F_KIND], q->f[F_MAKE], q->f[F_SERIAL], q->f[F_MODEL], q->f[F_TMAKE],
		q->f[F_TSERIAL], n, n ? ", first: " : "", n ? c[0].reason : "");
}

/* One lookup of q, timed from match_query_init to the candidates: their
 * count or an error; its time in *us. */
static int lookup(struct bench *b, struct store_txn *t, const struct query *q, bool fuzzy,
		  double *us)
{
	struct match_query mq;
	double t0 = tm_now_s();
	int rc = match_query_init(&mq, q->f[F_MAKE], q->f[F_SERIAL], q->f[F_MODEL],
				  q->f[F_CALIBER], q->f[F_TYPE], fuzzy);

	if (!rc)
		rc = store_record_match(t, &mq, b->c, b->k);
	*us = (tm_now_s() - t0) * 1e6;
	return rc;
}

/* Candidates an operator sees of n found: the default k at most. */
static int shown(int n)
{
	return n < MATCH_K_DEFAULT ? n : MATCH_K_DEFAULT;
}

/* Query i, fuzzy then (when it can be read whole) exact only, in one read
 * snapshot of its own, as the node's console would. */
static int run_query(struct bench *b, uint32_t i)
{
	const struct query *q = &b->q[i];
	struct kind_stats *ks = &b->ks[q->kind];
	struct store_txn *t;
	double us;
	int rc, rank, hard;

	if ((rc = store_read_begin(b->st, &t)))
		return rc;
	hard = rc = lookup(b, t, q, true, &us);
	ks->us[ks->n++] = us;
	b->cands[i] = rc > 0 ? shown(rc) : 0;
	if (rc < 0) {
		ks->errors++;
		ks->limit += rc == TN_ERR_LIMIT;
	} else {
		ks->cands += (uint64_t)shown(rc);
		rank = truth_rank(t, q, b->c, rc);
		ks->hit1 += rank == 0;
		ks->hit10 += rank >= 0 && rank < MATCH_K_DEFAULT;
		ks->tied10 += rank >= MATCH_K_DEFAULT &&
			      b->c[rank].exact == b->c[MATCH_K_DEFAULT - 1].exact &&
			      b->c[rank].score == b->c[MATCH_K_DEFAULT - 1].score;
		ks->hitk += rank >= 0;
		ks->misexplained += rank >= 0 && PURE_EDIT(q->kind) &&
				    strstr(b->c[rank].reason, "confusable");
		ks->shadowed += rc > 0 && b->c[0].exact && rank != 0;
		if (b->misses && rank < 0 && q->tserial[0])
			print_miss(q, b->c, rc);
	}
	if (!strchr(q->f[F_SERIAL], '?')) {
		if ((rc = lookup(b, t, q, false, &us)) < 0)
			hard = rc;
		b->exact_us[b->n_exact++] = us;
		if (rc > 0)
			b->hit_us[b->n_hit++] = us;
	}
	store_read_end(t);
	/* A query refused as too wide or invalid is counted, not fatal. */
	return hard < 0 && hard != TN_ERR_LIMIT && hard != TN_ERR_INVALID ? hard : 0;
}

static double share(uint64_t a, uint64_t n)
{
	return n ? (double)a / (double)n : 0;
}

/* tied_at_10: past the 10th candidate only because as many others rank
 * exactly as high (a shipment of consecutive serials: no ranking can
 * tell them apart; the node says "N more as likely"). shadowed: the first
 * candidate is another record with exactly the serial
 * read (the misread gave the serial of another gun on file); misexplained:
 * the record was found, but its reason names a confusable character the
 * query did not have (an edit placed beside its twin). */
static void print_kind(const struct kind_stats *ks, const char *name, int last)
{
	tm_sort(ks->us, ks->n);
	printf("    \"%s\": {\"queries\": %u, \"recall_at_1\": %.4f, \"recall_at_10\": %.4f, "
	       "\"recall_at_k\": %.4f, \"candidates_mean\": %.2f, \"shadowed\": %u, "
	       "\"misexplained\": %u, \"tied_at_10\": %u, \"errors\": %u, \"limit\": %u, "
	       "\"p50_us\": %.1f, \"p99_us\": %.1f}%s\n",
	       name, ks->n, share(ks->hit1, ks->n), share(ks->hit10, ks->n),
	       share(ks->hitk, ks->n), share(ks->cands, ks->n), ks->shadowed, ks->misexplained,
	       ks->tied10, ks->errors,
	       ks->limit, tm_pct(ks->us, ks->n, 0.5), tm_pct(ks->us, ks->n, 0.99), last ? "" : ",");
}

static void report(struct bench *b)
{
	const struct kind_stats *ne = &b->ks[KIND_NEVER], *ex = &b->ks[KIND_EXACT];
	uint32_t nonempty = 0, all = 0;
	double *us = malloc((b->n + 1) * sizeof(*us));

	for (size_t k = 0; k < N_KINDS; k++)
		if (us && b->ks[k].n)
			memcpy(us + all, b->ks[k].us, b->ks[k].n * sizeof(*us)), all += b->ks[k].n;
	for (uint32_t i = 0; i < b->n; i++)
		nonempty += b->q[i].kind == KIND_NEVER && b->cands[i] > 0;
	printf("{\n  \"queries\": %u,\n  \"k\": %u,\n  \"kinds\": {\n", b->n, b->k);
	for (size_t k = 0; k < N_KINDS; k++)
		print_kind(&b->ks[k], kind_names[k], k + 1 == N_KINDS);
	tm_sort(b->cands, b->n);
	tm_sort(us, all);
	tm_sort(b->exact_us, b->n_exact);
	tm_sort(b->hit_us, b->n_hit);
	printf("  },\n  \"candidates_per_query\": {\"median\": %.0f, \"p99\": %.0f},\n",
	       tm_pct(b->cands, b->n, 0.5), tm_pct(b->cands, b->n, 0.99));
	printf("  \"never_issued\": {\"false_candidate_rate\": %.4f, \"candidates_mean\": %.2f},\n",
	       share(nonempty, ne->n), share(ne->cands, ne->n));
	printf("  \"fuzzy_us\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f},\n",
	       tm_pct(us, all, 0.5), tm_pct(us, all, 0.99), all ? us[all - 1] : 0);
	printf("  \"exact_us\": {\"n\": %u, \"p50\": %.1f, \"p99\": %.1f, \"found_n\": %u, "
	       "\"found_p50\": %.1f, \"found_p99\": %.1f},\n", b->n_exact,
	       tm_pct(b->exact_us, b->n_exact, 0.5), tm_pct(b->exact_us, b->n_exact, 0.99),
	       b->n_hit, tm_pct(b->hit_us, b->n_hit, 0.5), tm_pct(b->hit_us, b->n_hit, 0.99));
	printf("  \"exact_first\": %.4f\n}\n", share(ex->hit1, ex->n));
	free(us);
}

static int run(struct bench *b, const char *queries)
{
	int rc;

	if (load_queries(b, queries)) {
		fprintf(stderr, "bench_match: cannot read %s\n", queries);
		return 1;
	}
	b->cands = calloc(b->n + 1, sizeof(double));
	b->exact_us = calloc(b->n + 1, sizeof(double));
	b->hit_us = calloc(b->n + 1, sizeof(double));
	b->c = calloc(b->k, sizeof(*b->c));
	for (size_t k = 0; k < N_KINDS; k++)
		if (!(b->ks[k].us = calloc(b->n + 1, sizeof(double))))
			return 1;
	if (!b->cands || !b->exact_us || !b->hit_us || !b->c)
		return 1;
	for (uint32_t i = 0; i < b->n; i++)
		if ((rc = run_query(b, i))) {
			fprintf(stderr, "bench_match: query %u (%s %s): %s\n", i + 1,
				b->q[i].f[F_MAKE], b->q[i].f[F_SERIAL], tn_strerror(rc));
			return 1;
		}
	report(b);
	return 0;
}

static int usage(void)
{
	fputs("usage: bench_match --store DIR --queries FILE [--k N] [--misses]\n"
	      "       bench_match --store DIR --index-size\n"
	      "  DIR holds a node's store (DIR/store); FILE is from scripts/gen-misreads.py;\n"
	      "  --misses lists on stderr the queries whose record was not found\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct bench b = { .k = MATCH_K_DEFAULT };
	const char *dir = NULL, *queries = NULL;
	bool index_size = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--store") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
			queries = argv[++i];
		else if (!strcmp(argv[i], "--k") && i + 1 < argc)
			b.k = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--misses"))
			b.misses = true;
		else if (!strcmp(argv[i], "--index-size"))
			index_size = true;
		else
			return usage();
	}
	if (!dir || (!queries && !index_size) || !b.k || b.k > MATCH_K_MAX)
		return usage();
	if ((rc = store_open(&b.st, dir, STORE_MAP_DEFAULT, STORE_MAP_MAX_DEFAULT))) {
		fprintf(stderr, "bench_match: %s: %s\n", dir, tn_strerror(rc));
		return 1;
	}
	rc = index_size ? match_index_size(b.st) : run(&b, queries);
	store_close(b.st);
	for (uint32_t i = 0; i < b.n; i++)
		free(b.q[i].line);
	for (size_t k = 0; k < N_KINDS; k++)
		free(b.ks[k].us);
	free(b.q);
	free(b.cands);
	free(b.exact_us);
	free(b.hit_us);
	free(b.c);
	return rc;
}
