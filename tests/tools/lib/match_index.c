/* SPDX-License-Identifier: Apache-2.0 */
/* The serial index's size under its old and its new key; see
 * match_index.h. The two indexes are DUPSORT databases of 8-byte ids, as
 * the store keeps them, filled in record order, as an import fills them,
 * in a scratch environment that is removed afterwards. */
#include <errno.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../proto/proto.h"
#include "../../../store/store.h"
#include "match_index.h"

#define SCRATCH_MAP ((size_t)64 << 30)   /* sparse; far above what is used */
#define PUTS_PER_TXN 100000
#define MISSES_MAX 100000                /* ids in a row without a record */

struct scratch {
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi old_idx, new_idx;
	uint32_t puts;
	char dir[PATH_MAX];
};

static int lmdb_fail(const char *what, int rc)
{
	fprintf(stderr, "bench_match: %s: %s\n", what, mdb_strerror(rc));
	return 1;
}

static int scratch_open(struct scratch *s)
{
	unsigned flags = MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED;
	int rc;

	snprintf(s->dir, sizeof(s->dir), "%s/bench_match.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "bench_match: %s: %s\n", s->dir, strerror(errno));
		s->dir[0] = '\0';
		return 1;
	}
	if ((rc = mdb_env_create(&s->env)) || (rc = mdb_env_set_maxdbs(s->env, 2)) ||
	    (rc = mdb_env_set_mapsize(s->env, SCRATCH_MAP)) ||
	    (rc = mdb_env_open(s->env, s->dir, MDB_NOSYNC, 0600)) ||
	    (rc = mdb_txn_begin(s->env, NULL, 0, &s->txn)) ||
	    (rc = mdb_dbi_open(s->txn, "old", flags, &s->old_idx)) ||
	    (rc = mdb_dbi_open(s->txn, "new", flags, &s->new_idx)))
		return lmdb_fail("scratch environment", rc);
	return 0;
}

static void scratch_close(struct scratch *s)
{
	char path[PATH_MAX + 16];

	if (s->txn)
		mdb_txn_abort(s->txn);
	if (s->env)
		mdb_env_close(s->env);
	if (!s->dir[0])
		return;
	snprintf(path, sizeof(path), "%s/data.mdb", s->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", s->dir);
	unlink(path);
	rmdir(s->dir);
}

/* Key b of n bytes: the parts joined by 0x00. */
static size_t join(uint8_t *b, const char *const *parts, int n)
{
	size_t len = 0, l;

	for (int i = 0; i < n; i++) {
		l = strlen(parts[i]);
		memcpy(b + len, parts[i], l);
		len += l;
		if (i + 1 < n)
			b[len++] = 0;
	}
	return len;
}

/* Put record r (id) under both keys. */
static int put_record(struct scratch *s, const struct tn_record *r)
{
	char serial[TN_SERIAL_LEN], fold[TN_SERIAL_LEN], make[TN_MAKE_LEN];
	uint8_t kb[STORE_KEY_MAX], vb[8];
	MDB_val k, v = { sizeof(vb), vb };
	int rc;

	if (proto_norm_serial(r->serial, serial, sizeof(serial)) <= 0 ||
	    match_fold_serial(serial, fold, sizeof(fold)) <= 0 ||
	    proto_norm_make(r->make, make, sizeof(make)) <= 0)
		return 0;   /* the store would not hold it */
	for (int i = 0; i < 8; i++)
		vb[i] = (uint8_t)(r->id >> (56 - 8 * i));
	k.mv_data = kb;
	k.mv_size = join(kb, (const char *const[]){ serial, make }, 2);
	if ((rc = mdb_put(s->txn, s->old_idx, &k, &v, MDB_NODUPDATA)) && rc != MDB_KEYEXIST)
		return lmdb_fail("put", rc);
	k.mv_size = join(kb, (const char *const[]){ fold, make, serial }, 3);
	if ((rc = mdb_put(s->txn, s->new_idx, &k, &v, MDB_NODUPDATA)) && rc != MDB_KEYEXIST)
		return lmdb_fail("put", rc);
	if (++s->puts % PUTS_PER_TXN == 0 &&
	    ((rc = mdb_txn_commit(s->txn)) || (rc = mdb_txn_begin(s->env, NULL, 0, &s->txn))))
		return s->txn = NULL, lmdb_fail("commit", rc);
	return 0;
}

/* Every record of st, in id order, into both indexes. */
static int fill(struct scratch *s, struct store *st, uint64_t *n)
{
	struct store_stats ss;
	struct store_txn *t;
	struct tn_record r;
	uint64_t id, misses = 0;
	int rc;

	if ((rc = store_read_begin(st, &t)) || (rc = store_stats(t, &ss))) {
		fprintf(stderr, "bench_match: store: %s\n", tn_strerror(rc));
		return 1;
	}
	*n = 0;
	for (id = 1; *n < ss.records && misses < MISSES_MAX && !rc; id++) {
		if ((rc = store_record_get(t, id, &r)) == TN_ERR_NOT_FOUND) {
			misses++;
			rc = 0;
			continue;
		}
		if (rc)
			break;
		misses = 0;
		++*n;
		rc = put_record(s, &r);
		proto_release(&proto_record_schema, &r);
	}
	store_read_end(t);
	if (rc < 0)
		fprintf(stderr, "bench_match: record %llu: %s\n", (unsigned long long)id,
			tn_strerror(rc));
	return rc != 0;
}

/* Pages of dbi times the page size. */
static int db_bytes(struct scratch *s, MDB_dbi dbi, double *bytes, size_t *depth)
{
	MDB_stat ms;
	int rc = mdb_stat(s->txn, dbi, &ms);

	if (rc)
		return lmdb_fail("stat", rc);
	*bytes = (double)(ms.ms_branch_pages + ms.ms_leaf_pages + ms.ms_overflow_pages) *
		 ms.ms_psize;
	*depth = ms.ms_depth;
	return 0;
}

int match_index_size(struct store *st)
{
	struct scratch s = { 0 };
	double old_b, new_b;
	size_t old_d, new_d;
	uint64_t n = 0;
	int ret = 1;

	if (scratch_open(&s) || fill(&s, st, &n) || db_bytes(&s, s.old_idx, &old_b, &old_d) ||
	    db_bytes(&s, s.new_idx, &new_b, &new_d))
		goto out;
	printf("{\"records\": %llu, \"old_bytes_per_record\": %.1f, "
	       "\"new_bytes_per_record\": %.1f, \"growth\": %.4f, \"old_depth\": %zu, "
	       "\"new_depth\": %zu}\n", (unsigned long long)n, n ? old_b / (double)n : 0,
	       n ? new_b / (double)n : 0, old_b > 0 ? new_b / old_b - 1 : 0, old_d, new_d);
	ret = 0;
out:
	scratch_close(&s);
	return ret;
}
