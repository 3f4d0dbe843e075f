/* SPDX-License-Identifier: Apache-2.0 */
/* audit_rewrite: the adversary of witnessed checkpoints. With raw access to
 * a stopped node's LMDB file, it deletes audit entries (the later ones move
 * down, so the seqs stay contiguous), edits others' detail, recomputes
 * every link and hash from the first entry changed, and the head, so that
 * the chain alone verifies; and it wipes the node's own evidence (its
 * Merkle tree, checkpoints and cosignatures). Like mdb_dump in
 * test_audit.sh, it opens the file with LMDB itself, round the store. */
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/cx.h"
#include "../../proto/rows.h"

#define HEAD_KEY "store:audit:head"   /* store/audit.c: BE64 seq || hash */
#define SEQ_NONE 0
#define OPS_MAX 16

/* Databases and meta keys (by substring) that hold the node's own
 * evidence of what its log was: an attacker empties them too. */
static const char *const evidence[] = { "tree", "checkpoints", "cosigs", "cosignatures", NULL };
static const char *const evidence_meta[] = { "tree", "checkpoint", "cosig", NULL };

struct log {
	struct tn_audit *e;
	size_t n;
	uint64_t old_last;    /* the last seq before the rewrite */
};

/* Entries named by their seqs before the rewrite. */
struct ops {
	uint64_t del[OPS_MAX];
	uint64_t edit[OPS_MAX];
	const char *text[OPS_MAX];
	size_t n_del, n_edit;
};

static void be64_put(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void hex(const uint8_t *h, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static int mdb_fail(const char *what, int rc)
{
	fprintf(stderr, "audit_rewrite: %s: %s\n", what, mdb_strerror(rc));
	return 1;
}

/* Every entry of the log, in seq order. */
static int log_read(MDB_txn *txn, MDB_dbi dbi, struct log *l)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc, op = MDB_FIRST;
	size_t cap = 0;

	if ((rc = mdb_cursor_open(txn, dbi, &c)))
		return mdb_fail("audit cursor", rc);
	while (!(rc = mdb_cursor_get(c, &k, &v, op))) {
		op = MDB_NEXT;
		if (l->n == cap) {
			void *p = realloc(l->e, (cap = cap ? 2 * cap : 64) * sizeof(*l->e));

			if (!p)
				break;
			l->e = p;
		}
		if (proto_decode(&proto_audit_schema, v.mv_data, v.mv_size, &l->e[l->n], NULL, 0))
			break;
		l->old_last = l->e[l->n++].seq;
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return mdb_fail("audit read", rc);
	fprintf(stderr, "audit_rewrite: entry after %llu does not decode, or out of memory\n",
		(unsigned long long)l->old_last);
	return 1;
}

static int no_entry(const struct log *l, uint64_t seq)
{
	fprintf(stderr, "audit_rewrite: no entry %llu in the log (%llu..%llu)\n",
		(unsigned long long)seq, (unsigned long long)(l->n ? l->e[0].seq : 0),
		(unsigned long long)l->old_last);
	return 1;
}

/* The index of the entry seq, or n when there is none. */
static size_t find(const struct log *l, uint64_t seq)
{
	size_t i = 0;

	while (i < l->n && l->e[i].seq != seq)
		i++;
	return i;
}

/* Set entry seq's detail to text; its index into *at. */
static int edit(struct log *l, uint64_t seq, const char *text, size_t *at)
{
	size_t j = find(l, seq);
	struct tn_audit e;

	if (j == l->n)
		return no_entry(l, seq);
	e = l->e[j];
	if (proto_field_set(&proto_audit_schema, &e, "detail", text)) {
		fprintf(stderr, "audit_rewrite: the detail is too long\n");
		return 1;
	}
	printf("edited entry %llu (%s): detail '%s' -> '%s'\n", (unsigned long long)e.seq, e.type,
	       l->e[j].detail, e.detail);
	l->e[j] = e;
	*at = j;
	return 0;
}

/* Remove entry seq; the later ones move down by one. Its index into *at. */
static int delete(struct log *l, uint64_t seq, size_t *at)
{
	size_t d = find(l, seq);
	const struct tn_audit *a;

	if (d == l->n)
		return no_entry(l, seq);
	a = &l->e[d];
	printf("deleted entry %llu (%s%s%s, detail '%s')\n", (unsigned long long)a->seq, a->type,
	       a->outcome[0] ? " " : "", a->outcome, a->detail);
	/* The entry that takes its place links to what it linked to
	 * (rehash only sets the links of the entries after the first). */
	if (d + 1 < l->n)
		memcpy(l->e[d + 1].prev, a->prev, TN_HASH_LEN);
	memmove(&l->e[d], &l->e[d + 1], (l->n - d - 1) * sizeof(*l->e));
	l->n--;
	for (size_t i = d; i < l->n; i++)
		l->e[i].seq--;
	*at = d;
	return 0;
}

static int by_seq_down(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y) - (x > y);
}

/* Apply o to l, the edits first and the deletes from the last one down,
 * so that each still finds its entry under its old seq; *first gets the
 * index of the first entry changed. */
static int change(struct log *l, struct ops *o, size_t *first)
{
	size_t at;

	*first = l->n;
	for (size_t i = 0; i < o->n_edit; i++) {
		if (edit(l, o->edit[i], o->text[i], &at))
			return 1;
		*first = at < *first ? at : *first;
	}
	qsort(o->del, o->n_del, sizeof(o->del[0]), by_seq_down);
	for (size_t i = 0; i < o->n_del; i++) {
		if (i && o->del[i] == o->del[i - 1])
			continue;
		if (delete(l, o->del[i], &at))
			return 1;
		*first = at < *first ? at : *first;
	}
	if (o->n_del && l->n)
		printf("the later entries moved down: the log ends at entry %llu, not %llu\n",
		       (unsigned long long)l->e[l->n - 1].seq, (unsigned long long)l->old_last);
	return 0;
}

/* Relink and rehash from index first: each entry links to the hash of
 * the one before it (the first to what it linked to: zeros, or the
 * retention anchor's prev). */
static int rehash(struct log *l, size_t first)
{
	struct proto_buf b = { 0 };
	int rc = 0;

	for (size_t i = first; i < l->n && !rc; i++) {
		struct tn_audit *a = &l->e[i];

		if (i)
			memcpy(a->prev, l->e[i - 1].hash, TN_HASH_LEN);
		b.len = 0;
		if (!(rc = proto_buf_add(&b, a->prev, TN_HASH_LEN)) &&
		    !(rc = proto_encode(&proto_audit_body_schema, a, &b)))
			cx_hash(b.data, b.len, a->hash);
	}
	proto_buf_free(&b);
	return rc;
}

/* Write entries first.. over their keys, drop the keys past the new end
 * of the log, and put the head. */
static int log_write(MDB_txn *txn, MDB_dbi audit, MDB_dbi meta, const struct log *l,
		     size_t first)
{
	uint8_t kb[8], head[8 + TN_HASH_LEN];
	MDB_val k = { sizeof(kb), kb }, v;
	struct proto_buf b = { 0 };
	int rc = 0;

	for (size_t i = first; i < l->n && !rc; i++) {
		b.len = 0;
		if ((rc = proto_encode(&proto_audit_schema, &l->e[i], &b)))
			break;
		be64_put(kb, l->e[i].seq);
		v = (MDB_val){ b.len, b.data };
		rc = mdb_put(txn, audit, &k, &v, 0);
	}
	proto_buf_free(&b);
	for (uint64_t seq = l->n ? l->e[l->n - 1].seq + 1 : 1; !rc && seq <= l->old_last; seq++) {
		be64_put(kb, seq);
		rc = mdb_del(txn, audit, &k, NULL);
	}
	if (rc || !l->n)
		return rc;
	be64_put(head, l->e[l->n - 1].seq);
	memcpy(head + 8, l->e[l->n - 1].hash, TN_HASH_LEN);
	k = (MDB_val){ strlen(HEAD_KEY), HEAD_KEY };
	v = (MDB_val){ sizeof(head), head };
	return mdb_put(txn, meta, &k, &v, 0);
}

static int matches(const MDB_val *k, const char *const *names, int whole)
{
	for (; *names; names++)
		if (whole ? k->mv_size == strlen(*names) && !memcmp(k->mv_data, *names, k->mv_size)
			  : memmem(k->mv_data, k->mv_size, *names, strlen(*names)) != NULL)
			return 1;
	return 0;
}

/* Empty the evidence databases that exist, and drop the evidence meta
 * keys; say what was there. The unnamed database lists the named ones. */
static int wipe(MDB_txn *txn, MDB_dbi meta)
{
	MDB_dbi main_db, dbi;
	MDB_cursor *c;
	MDB_val k, v;
	MDB_stat st;
	char name[64];
	int rc, op = MDB_FIRST;

	if ((rc = mdb_dbi_open(txn, NULL, 0, &main_db)) || (rc = mdb_cursor_open(txn, main_db, &c)))
		return rc;
	printf("databases:");
	while (!(rc = mdb_cursor_get(c, &k, &v, op))) {
		op = MDB_NEXT;
		printf(" %.*s", (int)k.mv_size, (char *)k.mv_data);
		if (!matches(&k, evidence, 1) || k.mv_size >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)k.mv_size, (char *)k.mv_data);
		if ((rc = mdb_dbi_open(txn, name, 0, &dbi)) || (rc = mdb_stat(txn, dbi, &st)) ||
		    (rc = mdb_drop(txn, dbi, 0)))
			break;
		printf(" (emptied, %zu keys)", st.ms_entries);
	}
	printf("\n");
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND || (rc = mdb_cursor_open(txn, meta, &c)))
		return rc;
	for (op = MDB_FIRST; !(rc = mdb_cursor_get(c, &k, &v, op)); op = MDB_NEXT)
		if (matches(&k, evidence_meta, 0)) {
			printf("deleted meta key %.*s\n", (int)k.mv_size, (char *)k.mv_data);
			if ((rc = mdb_cursor_del(c, 0)))
				break;
		}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int rewrite(MDB_env *env, struct ops *o)
{
	struct log l = { 0 };
	MDB_dbi audit, meta;
	MDB_txn *txn;
	char h[2 * TN_HASH_LEN + 1];
	size_t first = 0;
	int rc, ret = 1;

	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)))
		return mdb_fail("begin", rc);
	if ((rc = mdb_dbi_open(txn, "audit", 0, &audit)) || (rc = mdb_dbi_open(txn, "meta", 0, &meta)))
		rc = mdb_fail("open the audit and meta databases", rc);
	else if (!(rc = log_read(txn, audit, &l)) && !(rc = change(&l, o, &first)) &&
		 (rc = rehash(&l, first)))
		fprintf(stderr, "audit_rewrite: cannot hash: %s\n", tn_strerror(rc));
	if (rc)
		goto out;
	if ((rc = log_write(txn, audit, meta, &l, first)) || (rc = wipe(txn, meta))) {
		mdb_fail("write", rc);
		goto out;
	}
	rc = mdb_txn_commit(txn);
	txn = NULL;   /* freed, committed or not */
	if (rc) {
		mdb_fail("commit", rc);
		goto out;
	}
	if (first < l.n)
		printf("relinked and rehashed entries %llu..%llu\n",
		       (unsigned long long)l.e[first].seq, (unsigned long long)l.e[l.n - 1].seq);
	if (l.n) {
		hex(l.e[l.n - 1].hash, TN_HASH_LEN, h);
		printf("head: entry %llu, hash %s\n", (unsigned long long)l.e[l.n - 1].seq, h);
	}
	ret = 0;
out:
	if (txn)
		mdb_txn_abort(txn);
	free(l.e);
	return ret;
}

static uint64_t seq_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	return *s >= '1' && *s <= '9' && !*end ? v : SEQ_NONE;
}

/* Options after NODE-DIR into o; 0 if they make sense. */
static int options(int argc, char **argv, struct ops *o)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--delete") && i + 1 < argc && o->n_del < OPS_MAX) {
			if (!(o->del[o->n_del++] = seq_arg(argv[++i])))
				return -1;
		} else if (!strcmp(argv[i], "--edit") && i + 2 < argc && o->n_edit < OPS_MAX) {
			if (!(o->edit[o->n_edit] = seq_arg(argv[++i])))
				return -1;
			o->text[o->n_edit++] = argv[++i];
		} else {
			return -1;
		}
	}
	for (size_t i = 0; i < o->n_del; i++)
		for (size_t j = 0; j < o->n_edit; j++)
			if (o->del[i] == o->edit[j])
				return -1;
	return o->n_del || o->n_edit ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct ops o = { 0 };
	char path[PATH_MAX];
	MDB_env *env;
	int rc, ret = 1;

	if (argc < 3 || options(argc - 2, argv + 2, &o)) {
		fprintf(stderr, "usage: audit_rewrite NODE-DIR [--delete K]... [--edit J TEXT]... "
				"(node stopped; K and J name entries as they are now; an entry is "
				"deleted or edited, not both; at most %d of each)\n", OPS_MAX);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/store", argv[1]);
	if (cx_init())
		return 1;
	if ((rc = mdb_env_create(&env)))
		return mdb_fail("env", rc);
	if ((rc = mdb_env_set_maxdbs(env, 64)) || (rc = mdb_env_open(env, path, 0, 0600)) ||
	    (rc = mdb_env_set_mapsize(env, 0)))
		mdb_fail(path, rc);
	else
		ret = rewrite(env, &o);
	mdb_env_close(env);
	return ret;
}
