/* SPDX-License-Identifier: Apache-2.0 */
/* bench_tree: what witnessed checkpoints cost over a large audit log. N
 * entries (default 1 000 000) are appended to a fresh store, the Merkle
 * tree is extended over all of them from nothing in one transaction, then
 * timed: the root, the consistency proof of a typical step (from N - STEP
 * to N entries), and a checkpoint made as a node makes one after STEP more
 * entries (extend, root, head, sign, keep: one durable commit) with the
 * proof it sends. Every proof is checked and the checkpoint's signature
 * verified, so that wrong figures fail the run. Prints one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../crypto/cx.h"
#include "../../proto/merkle.h"
#include "../../store/store.h"
#include "lib/timing.h"

#define N_DEFAULT 1000000
#define STEP_DEFAULT 1000
#define APPEND_BATCH 100000         /* entries per transaction */
#define MAP_SIZE ((size_t)4 << 30)  /* no map growth during the timings */
#define REPS 201                    /* reads timed, the median reported */

struct bench {
	struct store *s;
	struct cx_id *id;
	uint64_t todo;                 /* entries append_op has left to add */
	uint64_t ts;
	uint64_t size;                 /* the tree's */
	struct tn_checkpoint cp;
};

/* One proof and what it took. */
struct proof {
	uint64_t m, n;
	uint8_t h[TN_PROOF_MAX][TN_HASH_LEN];
	uint32_t count;
	double us;
};

static void hash(const void *m, size_t n, uint8_t out[32])
{
	cx_hash(m, n, out);
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "bench_tree: %s: %s\n", what, tn_strerror(rc));
	return 1;
}

/* Entries as a node writes them for a search sent to a peer. */
static int append_op(struct store_txn *t, void *arg)
{
	struct bench *b = arg;
	uint64_t n = b->todo < APPEND_BATCH ? b->todo : APPEND_BATCH;
	int rc = 0;

	for (uint64_t i = 0; i < n && !rc; i++) {
		struct tn_audit a = { .ts = b->ts + i, .peer = "MEX", .dir = "out",
				      .type = "stolen_query", .ref = "f382b3157b9da420",
				      .outcome = "sent", .detail = "1 item(s), purpose: investigation",
				      .user = "ana", .uid = "1001", .officer = "officer-1",
				      .case_ref = "C-2026-000123" };

		rc = store_audit_append(t, &a, hash);
	}
	return rc;
}

static int append(struct bench *b, uint64_t n)
{
	int rc = 0;

	while (n && !rc) {
		b->todo = n < APPEND_BATCH ? n : APPEND_BATCH;
		if (!(rc = store_write(b->s, append_op, b))) {
			n -= b->todo;
			b->ts += b->todo;
		}
	}
	return rc ? fail("append", rc) : 0;
}

static int extend_op(struct store_txn *t, void *arg)
{
	struct bench *b = arg;
	uint8_t last[TN_HASH_LEN];
	uint64_t head;
	int rc = store_audit_head(t, &head, last);

	return rc ? rc : store_tree_extend(t, hash, head, 0, &b->size);
}

/* The tree up to n leaves, in one transaction unless the store does
 * less per call. */
static int extend(struct bench *b, uint64_t n)
{
	uint64_t last;
	int rc;

	do {
		last = b->size;
		if ((rc = store_write(b->s, extend_op, b)))
			return fail("extend", rc);
	} while (b->size < n && b->size > last);
	return b->size == n ? 0 : fail("extend", TN_ERR_STORE);
}

/* A checkpoint as the node makes one: the tree up to the head, its root,
 * the head's hash, signed and kept, in the transaction that commits it. */
static int checkpoint_op(struct store_txn *t, void *arg)
{
	struct bench *b = arg;
	uint64_t seq;
	int rc;

	memset(&b->cp, 0, sizeof(b->cp));
	if ((rc = store_audit_head(t, &seq, b->cp.head)) ||
	    (rc = store_tree_extend(t, hash, seq, 0, &b->size)))
		return rc;
	if (seq != b->size)
		return TN_ERR_STORE;
	snprintf(b->cp.node, sizeof(b->cp.node), "GTM");
	b->cp.size = b->size;
	b->cp.ts = b->ts;
	if ((rc = store_tree_root(t, hash, b->size, b->cp.root)) ||
	    (rc = cx_checkpoint_sign(b->id, &b->cp)))
		return rc;
	return store_checkpoint_put(t, &b->cp);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, c = *(const double *)y;

	return (a > c) - (a < c);
}

/* The roots of the first m and n leaves, and the proof from m to n (REPS
 * times, the median time kept), checked. */
static int prove(struct bench *b, struct proof *p, uint8_t root_n[TN_HASH_LEN])
{
	uint8_t root_m[TN_HASH_LEN];
	double us[REPS], t0;
	struct store_txn *t;
	int rc;

	if ((rc = store_read_begin(b->s, &t)))
		return fail("read", rc);
	if ((rc = store_tree_root(t, hash, p->m, root_m)) ||
	    (rc = store_tree_root(t, hash, p->n, root_n)))
		goto out;
	for (int i = 0; i < REPS && !rc; i++) {
		t0 = tm_now_s();
		rc = store_tree_proof(t, hash, p->m, p->n, p->h, &p->count);
		us[i] = (tm_now_s() - t0) * 1e6;
	}
	if (!rc)
		rc = merkle_consistent(hash, p->m, root_m, p->n, root_n, p->h, p->count);
	qsort(us, REPS, sizeof(us[0]), cmp_double);
	p->us = us[REPS / 2];
out:
	store_read_end(t);
	return rc ? fail("proof", rc) : 0;
}

/* The root of the first n leaves, REPS times: the median in us. */
static int root_time(struct bench *b, uint64_t n, double *out)
{
	uint8_t root[TN_HASH_LEN];
	double us[REPS], t0;
	struct store_txn *t;
	int rc;

	if ((rc = store_read_begin(b->s, &t)))
		return fail("read", rc);
	for (int i = 0; i < REPS && !rc; i++) {
		t0 = tm_now_s();
		rc = store_tree_root(t, hash, n, root);
		us[i] = (tm_now_s() - t0) * 1e6;
	}
	store_read_end(t);
	qsort(us, REPS, sizeof(us[0]), cmp_double);
	*out = us[REPS / 2];
	return rc ? fail("root", rc) : 0;
}

static uint64_t used(struct bench *b)
{
	struct store_stats st = { 0 };
	struct store_txn *t;

	if (!store_read_begin(b->s, &t)) {
		if (store_stats(t, &st))
			st.map_used = 0;
		store_read_end(t);
	}
	return st.map_used;
}

/* The bytes of the checkpoint, and of the message that sends it with p. */
static int sizes(const struct bench *b, struct proof *p, size_t *cp_len, size_t *msg_len)
{
	struct tn_checkpoint_msg m = { .cp = b->cp, .from_size = p->m,
				       .n_proof = p->count * TN_HASH_LEN, .proof = &p->h[0][0] };
	struct proto_buf buf = { 0 };
	int rc;

	if (!(rc = proto_encode(&proto_checkpoint_schema, &b->cp, &buf)))
		*cp_len = buf.len;
	buf.len = 0;
	if (!rc && !(rc = proto_encode(&proto_checkpoint_msg_schema, &m, &buf)))
		*msg_len = buf.len;
	proto_buf_free(&buf);
	return rc ? fail("encode", rc) : 0;
}

static int run(struct bench *b, uint64_t n, uint64_t step)
{
	struct proof typical = { .m = n - step, .n = n }, next = { .m = n, .n = n + step };
	uint8_t root[TN_HASH_LEN];
	double t0, append_s, extend_s, root_us = 0, cp_us;
	uint64_t before;
	size_t cp_len = 0, msg_len = 0;
	int rc;

	t0 = tm_now_s();
	if (append(b, n))
		return 1;
	append_s = tm_now_s() - t0;
	before = used(b);
	t0 = tm_now_s();
	if (extend(b, n))
		return 1;
	extend_s = tm_now_s() - t0;
	if (prove(b, &typical, root) || root_time(b, n, &root_us) || append(b, step))
		return 1;
	t0 = tm_now_s();
	if ((rc = store_write(b->s, checkpoint_op, b)))
		return fail("checkpoint", rc);
	cp_us = (tm_now_s() - t0) * 1e6;
	if (prove(b, &next, root) || sizes(b, &next, &cp_len, &msg_len))
		return 1;
	if (memcmp(root, b->cp.root, TN_HASH_LEN) || cx_checkpoint_verify(cx_id_pk(b->id), &b->cp))
		return fail("the checkpoint does not check", TN_ERR_INVALID);
	printf("{\n  \"entries\": %llu,\n  \"append_s\": %.2f,\n", (unsigned long long)n, append_s);
	printf("  \"tree_extend_s\": %.3f,\n  \"tree_extend_us_per_entry\": %.3f,\n", extend_s,
	       extend_s * 1e6 / (double)n);
	printf("  \"tree_file_mb\": %.1f,\n  \"root_us\": %.1f,\n",
	       (double)(used(b) - before) / (1 << 20), root_us);
	printf("  \"step\": %llu,\n  \"proof_step_from\": %llu,\n  \"proof_step_hashes\": %u,\n"
	       "  \"proof_step_bytes\": %u,\n  \"proof_step_us\": %.1f,\n",
	       (unsigned long long)step, (unsigned long long)typical.m, typical.count,
	       typical.count * TN_HASH_LEN, typical.us);
	printf("  \"checkpoint_bytes\": %zu,\n  \"checkpoint_us\": %.1f,\n"
	       "  \"checkpoint_proof_hashes\": %u,\n  \"checkpoint_proof_us\": %.1f,\n"
	       "  \"checkpoint_msg_bytes\": %zu\n}\n", cp_len, cp_us, next.count, next.us, msg_len);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b = { .ts = 1750000000000ull };
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : N_DEFAULT;
	uint64_t step = argc > 3 ? strtoull(argv[3], NULL, 10) : STEP_DEFAULT;
	int rc;

	if (argc < 2 || argc > 4 || !step || step >= n) {
		fprintf(stderr, "usage: bench_tree DIR [ENTRIES [STEP]]   (a fresh directory; "
				"default %d entries, a step of %d)\n", N_DEFAULT, STEP_DEFAULT);
		return 2;
	}
	mkdir(argv[1], 0700);   /* the key and the store go in DIR */
	if ((rc = cx_init()) || (rc = cx_id_create(argv[1])) || (rc = cx_id_load(&b.id, argv[1])))
		return fail(argv[1], rc);
	if ((rc = store_open(&b.s, argv[1], MAP_SIZE, STORE_MAP_MAX_DEFAULT))) {
		cx_id_free(b.id);
		return fail(argv[1], rc);
	}
	rc = run(&b, n, step);
	store_close(b.s);
	cx_id_free(b.id);
	return rc;
}
