/* SPDX-License-Identifier: Apache-2.0 */
/* audit_rewrite: the adversary of witnessed checkpoints. With raw access to
 * a stopped node's LMDB file, it deletes one audit entry (the later ones
 * move down, so the seqs stay contiguous), edits another's detail,
 * recomputes every link and hash from the first entry changed, and the
 * head, so that the chain alone verifies; and it wipes the node's own
 * evidence (its Merkle tree, checkpoints and cosignatures). Like mdb_dump in
 * test_audit.sh, it goes round the store on purpose: it is the one test
 * tool that opens the file with LMDB itself. */
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../crypto/cx.h"
#include "../../proto/rows.h"

#define HEAD_KEY "store:audit:head"   /* store/audit.c: BE64 seq || hash */
#define SEQ_NONE 0

/* Databases and meta keys (by substring) that hold the node's own
 * evidence of what its log was: an attacker empties them too. */
static const char *const evidence[] = { "tree", "checkpoints", "cosigs", "cosignatures", NULL };
static const char *const evidence_meta[] = { "tree", "checkpoint", "cosig", NULL };

struct log {
	struct tn_audit *e;
	size_t n;
	uint64_t old_last;    /* the last seq before the rewrite */
};

struct ops {
	uint64_t del, edit;   /* original seqs; SEQ_NONE: not asked */
	const char *text;
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

/* The index of the entry seq, or n when there is none. */
static size_t find(const struct log *l, uint64_t seq)
{
	size_t i = 0;

	while (i < l->n && l->e[i].seq != seq)
		i++;
	return i;
}

/* Apply ops to l; *first gets the index of the first entry changed. */
static int change(struct log *l, const struct ops *o, size_t *first)
{
	size_t d = find(l, o->del), j = find(l, o->edit);
	const struct tn_audit *a;

	if ((o->del && d == l->n) || (o->edit && j == l->n)) {
		fprintf(stderr, "audit_rewrite: no entry %llu in the log (%llu..%llu)\n",
			(unsigned long long)(o->del && d == l->n ? o->del : o->edit),
			(unsigned long long)(l->n ? l->e[0].seq : 0), (unsigned long long)l->old_last);
		return 1;
	}
	*first = l->n;
	if (o->edit) {
		struct tn_audit e = l->e[j];

		if (proto_field_set(&proto_audit_schema, &e, "detail", o->text)) {
			fprintf(stderr, "audit_rewrite: the detail is too long\n");
			return 1;
		}
		printf("edited entry %llu (%s): detail '%s' -> '%s'\n", (unsigned long long)e.seq,
		       e.type, l->e[j].detail, e.detail);
		l->e[j] = e;
		*first = j;
	}
	if (o->del) {
		a = &l->e[d];
		printf("deleted entry %llu (%s %s, detail '%s')", (unsigned long long)a->seq,
		       a->type, a->outcome, a->detail);
		if (a->seq < l->old_last)
			printf("; entries %llu..%llu moved down by one",
			       (unsigned long long)a->seq + 1, (unsigned long long)l->old_last);
		printf("\n");
		/* The entry that takes its place links to what it linked to
		 * (rehash only sets the link of entries after the first). */
		if (d + 1 < l->n)
			memcpy(l->e[d + 1].prev, a->prev, TN_HASH_LEN);
		memmove(&l->e[d], &l->e[d + 1], (l->n - d - 1) * sizeof(*l->e));
		l->n--;
		for (size_t i = d; i < l->n; i++)
			l->e[i].seq--;
		*first = d < *first ? d : *first;
	}
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

/* Write entries first.. over their keys, drop the last key when the log
 * shrank, and put the head. */
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
	if (!rc && l->n && l->e[l->n - 1].seq < l->old_last) {
		be64_put(kb, l->old_last);
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

static int rewrite(MDB_env *env, const struct ops *o)
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
		if (!strcmp(argv[i], "--delete") && i + 1 < argc) {
			o->del = seq_arg(argv[++i]);
			if (!o->del)
				return -1;
		} else if (!strcmp(argv[i], "--edit") && i + 2 < argc) {
			o->edit = seq_arg(argv[++i]);
			o->text = argv[++i];
			if (!o->edit)
				return -1;
		} else {
			return -1;
		}
	}
	return (o->del || o->edit) && o->del != o->edit ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct ops o = { 0 };
	char path[PATH_MAX];
	MDB_env *env;
	int rc, ret = 1;

	if (argc < 3 || options(argc - 2, argv + 2, &o)) {
		fprintf(stderr, "usage: audit_rewrite NODE-DIR [--delete K] [--edit J TEXT] (node "
				"stopped; K and J name entries as they are now, J != K)\n");
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
